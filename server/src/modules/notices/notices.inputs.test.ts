// Notices → indicators: the `notices` leaves' inputs are the number of notices a unit received each month,
// checked against a count of the raw notice rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../engine/workdays.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { expectOk } from '../cases/cases.testkit.js';
import { statisticsPass, syncScoreInputs } from './notices.inputs.js';
import { issueNotice } from './notices.service.js';

let env: TestEnv;
let unitA: number;
let unitB: number;
let leafId: number;
let office: Client;
const TODAY = beijingDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const MONTH = TODAY.slice(0, 7);
const q = <T = Record<string, unknown>>(s: string, p: unknown[] = []) => env.database.query<T>(s, p);

beforeAll(async () => {
  env = await createTestEnv();
  const cat = await env.buildCategory();
  unitA = await env.buildUnit({ name: '市场监管局', categoryId: cat });
  unitB = await env.buildUnit({ name: '住建局', categoryId: cat });
  ({ leafId } = await env.buildSourceLeaf({
    year: YEAR,
    categoryId: cat,
    root: { code: 'B', name: '依法行政', unitOfMeasure: '件', aggregate: 'sum' },
    leaf: {
      code: 'B1',
      name: '问责文书',
      points: 2,
      unitOfMeasure: '件',
      dataSource: 'notices',
      direction: 'negative',
      aggregate: 'sum',
      method: { kind: 'deduction', perOccurrence: 0.5, maxTotal: 2 },
    },
  }));
  office = await env.userClient({ roles: ['office'] });
});
afterAll(async () => env?.close());

const body = (unitId: number, kind = 'rectification_advice') => ({
  kind,
  unitId,
  title: '窗口服务效能问题',
  findings: '明察暗访发现窗口人员离岗',
  actions: '落实首问负责制',
  deadline: `${YEAR + 1}-01-31`,
});

/** Notices of the unit issued in a Beijing month, counted from the rows. */
async function rawCount(unitId: number, month: string): Promise<number> {
  const [r] = await q<{ n: number }>(
    `SELECT count(*)::int AS n FROM notices WHERE unit_id = $1 AND to_char(issued_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $2`,
    [unitId, month],
  );
  return r.n;
}
const inputOf = async (unitId: number, period: string) =>
  (
    await q<{ value: string; source: string; fields: { numbers: string[]; supervision_decision: number } }>(
      'SELECT value::text, source, fields FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
      [leafId, unitId, period],
    )
  )[0];

describe('notices → indicators', () => {
  it('counts the notices a unit received this month at each issue, equal to the raw rows', async () => {
    const n1 = expectOk(await office.post('/api/notices', body(unitA)), 201);
    expect(Number((await inputOf(unitA, MONTH)).value)).toBe(1);
    expectOk(await office.post('/api/notices', body(unitA, 'supervision_decision')), 201);
    expectOk(await office.post('/api/notices', body(unitB, 'supervision_advice')), 201);
    const a = await inputOf(unitA, MONTH);
    expect(a.source).toBe('notices');
    expect(Number(a.value)).toBe(await rawCount(unitA, MONTH));
    expect(Number(a.value)).toBe(2);
    expect(a.fields.supervision_decision).toBe(1);
    expect(a.fields.numbers).toContain(n1.number);
    expect(Number((await inputOf(unitB, MONTH)).value)).toBe(await rawCount(unitB, MONTH));
  });

  it('writes past months from the rows when the job or the seed recounts the year', async () => {
    // A notice issued in January (backdated, as the seed does), then the whole year recounted.
    await env.database.db.transaction((tx) =>
      issueNotice(tx, { ...body(unitB), kind: 'rectification_advice', at: new Date(`${YEAR}-01-10T02:00:00Z`) }),
    );
    const r = await env.database.db.transaction((tx) => syncScoreInputs(tx, { year: YEAR, on: TODAY }));
    expect(r.inputs).toBeGreaterThanOrEqual(2);
    expect(Number((await inputOf(unitB, `${YEAR}-01`)).value)).toBe(await rawCount(unitB, `${YEAR}-01`));
    expect(Number((await inputOf(unitA, MONTH)).value)).toBe(await rawCount(unitA, MONTH));
    // The year's total on the leaf (flow: the months add up) equals the year's notices of the unit.
    const [sum] = await q<{ n: number }>(
      'SELECT sum(value)::int AS n FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2',
      [leafId, unitB],
    );
    const [rows] = await q<{ n: number }>('SELECT count(*)::int AS n FROM notices WHERE unit_id = $1 AND year = $2', [
      unitB,
      YEAR,
    ]);
    expect(sum.n).toBe(rows.n);
  });

  it('the job pass rewrites this month and the previous one, audited with the count written', async () => {
    await q('DELETE FROM score_inputs WHERE indicator_id = $1 AND period = $2', [leafId, MONTH]);
    const r = await statisticsPass(env.database.db);
    expect(r.inputs).toBeGreaterThanOrEqual(2);
    expect(Number((await inputOf(unitA, MONTH)).value)).toBe(await rawCount(unitA, MONTH));
    const [audit] = await q<{ entity_id: string; after: { inputs: number } }>(
      `SELECT entity_id, after FROM audit_entries WHERE action = 'notices.stats' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toEqual({ entity_id: `notices:${YEAR}`, after: { inputs: r.inputs } });
  });
});
