// 好差评 → indicators: the `ratings` leaves' inputs are each department's year-to-date satisfaction rate,
// checked against a count of the raw rating rows.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { beijingDate } from '../../engine/workdays.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { syncScoreInputs } from './ratings.inputs.js';
import { resetRatingPageLimit } from './ratings.service.js';
import { invitedRating } from './ratings.testkit.js';

let env: TestEnv;
let deptA: number;
let deptB: number;
let leafId: number;
let anon: Client;
const TODAY = beijingDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const MONTH = TODAY.slice(0, 7);
const q = <T = Record<string, unknown>>(s: string, p: unknown[] = []) => env.database.query<T>(s, p);

beforeAll(async () => {
  env = await createTestEnv();
  const cat = await env.buildCategory();
  deptA = await env.buildUnit({ name: '城管局', categoryId: cat });
  deptB = await env.buildUnit({ name: '交通局', categoryId: cat });
  ({ leafId } = await env.buildSourceLeaf({
    year: YEAR,
    categoryId: cat,
    root: { code: 'C', name: '公众评价' },
    leaf: {
      code: 'C1',
      name: '好差评满意率',
      dataSource: 'ratings',
      method: { kind: 'benchmark', baseline: 70, benchmark: 95 },
    },
  }));
  anon = env.anon;
});
afterAll(async () => env?.close());
beforeEach(() => resetRatingPageLimit(env.database.db));

/** A rating of the unit rated at `at` with `level` straight in the table (an earlier month). */
async function ratedAt(unitId: number, level: string, at: string) {
  const { id } = await invitedRating(env.database, unitId, { at: new Date(at) });
  await q(`UPDATE service_ratings SET status = 'rated', level = $2, rated_at = $3 WHERE id = $1`, [id, level, at]);
}

/** The rate computed from the raw rows: rated in the year up to the end of `month` (Beijing). */
async function rawRate(unitId: number, month: string) {
  const [r] = await q<{ rated: number; good: number }>(
    `SELECT count(*)::int AS rated, count(*) FILTER (WHERE level IN ('very_satisfied','satisfied','basic'))::int AS good
       FROM service_ratings
      WHERE unit_id = $1 AND status = 'rated'
        AND to_char(rated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') BETWEEN $2 AND $3`,
    [unitId, `${YEAR}-01`, month],
  );
  return { rated: r.rated, rate: Math.round((r.good / r.rated) * 1000) / 10 };
}

const inputOf = async (unitId: number, period: string) =>
  (
    await q<{ value: string; source: string; fields: { rated: number } }>(
      'SELECT value::text, source, fields FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
      [leafId, unitId, period],
    )
  )[0];

describe('好差评 → indicators', () => {
  it('writes the department rate of the month at each rating, equal to the count of the raw rows', async () => {
    // January: 3 of 4 good (Beijing dates; 2026-01-31 23:30 Beijing is still January).
    await ratedAt(deptA, 'very_satisfied', `${YEAR}-01-05T02:00:00Z`);
    await ratedAt(deptA, 'satisfied', `${YEAR}-01-10T02:00:00Z`);
    await ratedAt(deptA, 'unsatisfied', `${YEAR}-01-20T02:00:00Z`);
    await ratedAt(deptA, 'basic', `${YEAR}-01-31T15:30:00Z`);
    // Last year's ratings do not count; nor unrated invitations.
    await ratedAt(deptA, 'very_unsatisfied', `${YEAR - 1}-12-31T15:00:00Z`);
    await invitedRating(env.database, deptA);
    // Now, through the public page: one good, one 差评 (with its reason).
    for (const [level, comment] of [
      ['satisfied', ''],
      ['very_unsatisfied', '拖了很久才处理'],
    ]) {
      const { token } = await invitedRating(env.database, deptA);
      expect((await anon.post(`/api/public/ratings/${token}`, { level, comment })).statusCode).toBe(200);
    }
    const now = await inputOf(deptA, MONTH);
    const raw = await rawRate(deptA, MONTH);
    expect(raw.rated).toBe(6);
    expect(now.source).toBe('ratings');
    expect(now.fields.rated).toBe(raw.rated);
    expect(Number(now.value)).toBeCloseTo(raw.rate, 5); // 4 of 6 → 66.7
    expect(Number(now.value)).toBeCloseTo(66.7, 5);
    // The other department has no ratings and no input.
    expect(await inputOf(deptB, MONTH)).toBeUndefined();
  });

  it('rewrites every month of the year to date from the rows (January alone: 3 of 4)', async () => {
    await ratedAt(deptB, 'very_unsatisfied', `${YEAR}-01-15T02:00:00Z`);
    const r = await env.database.db.transaction((tx) => syncScoreInputs(tx, { year: YEAR, on: TODAY }));
    const months = Number(MONTH.slice(5));
    expect(r.inputs).toBe(months * 2); // both departments, every month so far
    const jan = await inputOf(deptA, `${YEAR}-01`);
    expect(Number(jan.value)).toBeCloseTo((await rawRate(deptA, `${YEAR}-01`)).rate, 5);
    if (MONTH !== `${YEAR}-01`) expect(Number(jan.value)).toBe(75);
    expect(Number((await inputOf(deptB, MONTH)).value)).toBe(0);
    expect(Number((await inputOf(deptA, MONTH)).value)).toBeCloseTo((await rawRate(deptA, MONTH)).rate, 5);
  });
});
