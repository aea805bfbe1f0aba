import type { Database } from '../../db/client.js';
import { getYearByYear } from '../performance/index.js';
import { issueReport } from './reports.service.js';

/**
 * The demo's issued monthly reports: the district reports of the last three months of 2026 whose
 * reporting deadline has passed, as the monthly job would have issued them (each dated 09:00 the day
 * after its deadline). Three keep the seed fast (each report reads the year, renders a .docx and an
 * .xlsx); the office generates any other period on demand.
 */
export async function seedReports(database: Database): Promise<void> {
  const db = database.db;
  const year = await getYearByYear(db, 2026);
  if (!year || year.status === 'draft') return;
  const now = new Date();
  const actor = { id: null, name: '系统（每月自动生成）', ip: null };
  const memo = new Map<string, Promise<unknown>>();
  const issuedAt = (m: number) => new Date(Date.UTC(2026, m, (year.deadlineDay ?? 15) + 1, 1));
  const due = [...Array(12).keys()].map((k) => k + 1).filter((m) => issuedAt(m) <= now);
  for (const m of due.slice(-3))
    await issueReport(db, actor, {
      year,
      period: `2026-${String(m).padStart(2, '0')}`,
      unitId: null,
      trigger: 'seed',
      now: issuedAt(m),
      memo,
    });
}
