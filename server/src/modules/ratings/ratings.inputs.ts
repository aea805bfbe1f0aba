/**
 * 好差评 → indicators: the `ratings` leaves take each department's satisfaction rate of the year to the
 * month's end (非常满意 + 满意 + 基本满意 over rated, in %, one decimal), written as score inputs per
 * (leaf, unit, month) like the desks' figures. A rating writes its department's month at once; the hourly
 * job rewrites this month and the previous one.
 */
import type { Db } from '../../db/client.js';
import { beijingDate } from '../../engine/workdays.js';
import { refreshRecentInputs, upsertScoreInputs, type ScoreInputWrite } from '../inputs/index.js';
import { getYearByYear, leavesFor, listIndicators } from '../performance/index.js';
import { listUnits } from '../units/index.js';
import * as repo from './ratings.repo.js';
import { summariseCounts } from './ratings.rules.js';
import { RATING_LEVELS, type RatingLevel } from './ratings.table.js';

/** Who the inputs are entered by (shown with the value's provenance). */
export const INPUT_AUTHOR = '政务服务好差评系统';

const zero = () => Object.fromEntries(RATING_LEVELS.map((l) => [l, 0])) as Record<RatingLevel, number>;

function monthsOf(year: number, on: string): string[] {
  const y = Number(on.slice(0, 4));
  const last = y > year ? 12 : y === year ? Number(on.slice(5, 7)) : 0;
  return Array.from({ length: last }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

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
  const year = await getYearByYear(db, v.year);
  if (!year) return { inputs: 0 };
  const indicators = await listIndicators(db, year.id);
  if (!indicators.some((i) => i.dataSource === 'ratings')) return { inputs: 0 };
  const units = new Map((await listUnits(db)).map((u) => [u.id, u]));
  const byUnit = new Map<number, Map<string, Record<RatingLevel, number>>>();
  for (const r of await repo.monthlyLevels(db, v.year, v.unitIds ?? null)) {
    const months = byUnit.get(r.unitId) ?? new Map<string, Record<RatingLevel, number>>();
    byUnit.set(r.unitId, months);
    const c = months.get(r.month) ?? zero();
    c[r.level] += r.n;
    months.set(r.month, c);
  }
  const rows: ScoreInputWrite[] = [];
  const now = new Date();
  for (const period of v.months ?? monthsOf(v.year, on)) {
    for (const [unitId, months] of byUnit) {
      const unit = units.get(unitId);
      if (!unit) continue;
      const ytd = zero();
      for (const [m, c] of months) if (m <= period) for (const l of RATING_LEVELS) ytd[l] += c[l];
      const s = summariseCounts(ytd);
      if (s.goodRate === null) continue;
      for (const leaf of leavesFor(unit, indicators)) {
        if (leaf.dataSource !== 'ratings') continue;
        rows.push({
          yearId: year.id,
          indicatorId: leaf.id,
          unitId,
          period,
          value: s.goodRate,
          fields: { rated: s.rated, ...s.counts, score: s.score },
          source: 'ratings',
          sourceRef: `ratings:${unitId}:${period}`,
          enteredBy: null,
          enteredByName: INPUT_AUTHOR,
          enteredAt: now,
        });
      }
    }
  }
  await upsertScoreInputs(db, rows);
  return { inputs: rows.length };
}

/** The job's pass: this month's and last month's rating inputs of every department. */
export async function statisticsPass(db: Db): Promise<{ inputs: number }> {
  return refreshRecentInputs(db, 'ratings.stats', (y) => `ratings:${y}`, syncScoreInputs);
}
