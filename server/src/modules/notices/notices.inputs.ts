/**
 * Notices → indicators: the `notices` leaves take the number of notices (整改建议书 / 监察建议书 / 监察决定书)
 * issued to a unit in each month (a flow: the year adds the months), written as score inputs per (leaf,
 * unit, month). Issuing a notice writes its unit's month in the same transaction; the hourly job rewrites
 * this month and the previous one.
 */
import type { Db } from '../../db/client.js';
import { beijingDate, monthsThrough } from '../../engine/workdays.js';
import { refreshRecentInputs } from '../inputs/index.js';
import { sourceInputs } from '../performance/index.js';
import * as repo from './notices.repo.js';
import { NOTICE_KINDS, type NoticeKind } from './notices.table.js';

/** Who the inputs are entered by (shown with the value's provenance). */
export const INPUT_AUTHOR = '问责文书台账';

type Month = { count: number; byKind: Record<NoticeKind, number>; numbers: string[] };

/**
 * Writes the score inputs of the `notices` leaves for the year's months up to `on` (or the months given):
 * per unit, the notices issued to it that month, with the counts per kind and the numbers (文号) as fields.
 * A unit named in `unitIds` gets its months written even at 0 (so a recount never leaves a stale value);
 * otherwise months without a notice get no input (a deduction counts a missing value as none).
 */
export async function syncScoreInputs(
  db: Db,
  v: { year: number; unitIds?: readonly number[]; on?: string; months?: readonly string[] },
): Promise<{ inputs: number }> {
  const on = v.on ?? beijingDate(new Date());
  const out = await sourceInputs(db, { year: v.year, source: 'notices', author: INPUT_AUTHOR });
  if (!out) return { inputs: 0 };
  const byUnit = new Map<number, Map<string, Month>>();
  for (const id of v.unitIds ?? []) byUnit.set(id, new Map());
  for (const r of await repo.monthlyCounts(db, v.year, v.unitIds ?? null)) {
    const months = byUnit.get(r.unitId) ?? new Map<string, Month>();
    byUnit.set(r.unitId, months);
    const m = months.get(r.month) ?? {
      count: 0,
      byKind: Object.fromEntries(NOTICE_KINDS.map((k) => [k, 0])) as Record<NoticeKind, number>,
      numbers: [],
    };
    m.count += r.n;
    m.byKind[r.kind] += r.n;
    m.numbers.push(...r.numbers);
    months.set(r.month, m);
  }
  for (const period of v.months ?? monthsThrough(v.year, on)) {
    for (const [unitId, months] of byUnit) {
      const m = months.get(period);
      if (!m && !v.unitIds?.includes(unitId)) continue;
      out.add(unitId, period, m?.count ?? 0, { ...(m?.byKind ?? {}), numbers: m?.numbers ?? [] });
    }
  }
  return out.write();
}

/** The job's pass: this month's and last month's notice counts of every unit. */
export async function statisticsPass(db: Db): Promise<{ inputs: number }> {
  return refreshRecentInputs(db, 'notices.stats', (y) => `notices:${y}`, syncScoreInputs);
}
