import type { Database } from '../../db/client.js';
import { getYearByYear } from '../performance/index.js';
import { issueReport } from './reports.service.js';

/**
 * The demo's issued monthly reports: one district report per month of 2026 whose reporting deadline
 * has passed (as the monthly job would have issued them, each dated the day after its deadline), and
 * the year-to-date report. Documents are rendered now, from the demo's data.
 */
export async function seedReports(database: Database): Promise<void> {
  const db = database.db;
  const year = await getYearByYear(db, 2026);
  if (!year || year.status === 'draft') return;
  const now = new Date();
  const actor = { id: null, name: '系统（每月自动生成）', ip: null };
  const memo = new Map<string, Promise<unknown>>();
  for (let m = 1; m <= 12; m++) {
    // Issued at 09:00 Beijing on the day after the deadline (day `deadlineDay` of the next month).
    const at = new Date(Date.UTC(2026, m, (year.deadlineDay ?? 15) + 1, 1));
    if (at > now) break;
    await issueReport(db, actor, {
      year,
      period: `2026-${String(m).padStart(2, '0')}`,
      unitId: null,
      trigger: 'seed',
      now: at,
      memo,
    });
  }
}
