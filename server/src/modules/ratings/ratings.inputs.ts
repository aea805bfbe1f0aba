/**
 * 好差评 → indicators: the `ratings` leaves take each department's satisfaction rate of the year to the
 * month's end (非常满意 + 满意 + 基本满意 over rated, in %, one decimal), written as score inputs per
 * (leaf, unit, month) like the desks' figures. A rating writes its department's month at once; the hourly
 * job rewrites this month and the previous one.
 */
import type { Db } from '../../db/client.js';
import { beijingDate, monthsThrough } from '../../engine/workdays.js';
import { refreshRecentInputs } from '../inputs/index.js';
import { sourceInputs } from '../performance/index.js';
import * as repo from './ratings.repo.js';
import { summariseCounts } from './ratings.rules.js';
import { RATING_LEVELS, type RatingLevel } from './ratings.table.js';

/** Who the inputs are entered by (shown with the value's provenance). */
export const INPUT_AUTHOR = '政务服务好差评系统';

const zero = () => Object.fromEntries(RATING_LEVELS.map((l) => [l, 0])) as Record<RatingLevel, number>;

/**
 * Writes the score inputs of the `ratings` leaves for the year's months up to `on` (or the months given):
 * per rated department, the year-to-date satisfaction rate at the month's end, with the counts per level
 * and the mean level points as fields. A unit with no rating yet gets no input.
 */
export async function syncScoreInputs(
  db: Db,
  v: { year: number; unitIds?: readonly number[]; on?: string; months?: readonly string[] },
): Promise<{ inputs: number }> {
  const on = v.on ?? beijingDate(new Date());
  const out = await sourceInputs(db, { year: v.year, source: 'ratings', author: INPUT_AUTHOR });
  if (!out) return { inputs: 0 };
  const byUnit = new Map<number, Map<string, Record<RatingLevel, number>>>();
  for (const r of await repo.monthlyLevels(db, v.year, v.unitIds ?? null)) {
    const months = byUnit.get(r.unitId) ?? new Map<string, Record<RatingLevel, number>>();
    byUnit.set(r.unitId, months);
    const c = months.get(r.month) ?? zero();
    c[r.level] += r.n;
    months.set(r.month, c);
  }
  for (const period of v.months ?? monthsThrough(v.year, on)) {
    for (const [unitId, months] of byUnit) {
      const ytd = zero();
      for (const [m, c] of months) if (m <= period) for (const l of RATING_LEVELS) ytd[l] += c[l];
      const s = summariseCounts(ytd);
      if (s.goodRate === null) continue;
      out.add(unitId, period, s.goodRate, { rated: s.rated, ...s.counts, score: s.score });
    }
  }
  return out.write();
}

/** The job's pass: this month's and last month's rating inputs of every department. */
export async function statisticsPass(db: Db): Promise<{ inputs: number }> {
  return refreshRecentInputs(db, 'ratings.stats', (y) => `ratings:${y}`, syncScoreInputs);
}
