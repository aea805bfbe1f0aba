// An evaluation campaign feeding a special scheme's `evaluation` leaf (社会监督评价 of a 专项考核), beside
// the year's annual scheme whose leaf of the same code it must not touch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';

let env: TestEnv;
let q: TestEnv['database']['query'];
let office: Client;
let d1: Client;
let d2: Client;
let d3: Client;
const U: Record<string, number> = {};
let annual = 0;
let urban = 0;
let otherSpecial = 0;
const leaf: Record<string, number> = {};

const MATRIX = [
  {
    key: 'rate',
    type: 'matrix',
    title: '城市管理工作评价',
    required: true,
    rowsAreTargets: true,
    scale: 'satisfaction5',
  },
];

async function mk(yearId: number, body: Record<string, unknown>) {
  const r = await office.post(`/api/years/${yearId}/indicators`, body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}

beforeAll(async () => {
  env = await createTestEnv();
  q = env.database.query.bind(env.database);
  const cat = await env.buildCategory({ name: '街道' });
  U.S1 = await env.buildUnit({ code: 'S1', name: '甲街道', categoryId: cat });
  U.S2 = await env.buildUnit({ code: 'S2', name: '乙街道', categoryId: cat });
  U.J = await env.buildUnit({ code: 'JCJ', name: '区监察局' });
  office = await env.userClient({ roles: ['office'] });
  d1 = await env.userClient({ roles: ['evaluator'] });
  d2 = await env.userClient({ roles: ['evaluator'] });
  d3 = await env.userClient({ roles: ['evaluator'] });
  annual = (await office.post('/api/years', { year: 2026 })).json().id;
  const special = async (code: string) => {
    const r = await office.post('/api/schemes', {
      year: 2026,
      code,
      name: `2026年${code}专项考核`,
      assessingUnitId: U.J,
      periods: 'half',
      unitsAssessed: { categoryIds: [cat], unitIds: [] },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as number;
  };
  urban = await special('urban');
  otherSpecial = await special('other');
  const evaluationLeaf = (yearId: number) =>
    mk(yearId, {
      code: 'WB3',
      name: '社会监督评价',
      points: 100,
      dataSource: 'evaluation',
      aggregate: 'last',
      method: { kind: 'benchmark', baseline: 0, benchmark: 100 },
    });
  leaf.urban = await evaluationLeaf(urban);
  leaf.annual = await evaluationLeaf(annual);
  leaf.other = await evaluationLeaf(otherSpecial);
});
afterAll(async () => env?.close());

async function questionnaire() {
  const r = await office.post('/api/evaluation/questionnaires', { title: '社会监督评价表', questions: MATRIX });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}
const campaign = async (mapping: Record<string, unknown>) =>
  office.post('/api/evaluation/campaigns', {
    year: 2026,
    kind: 'deputies',
    title: '上半年城市管理社会监督评价',
    questionnaireId: await questionnaire(),
    targetUnitIds: [U.S1, U.S2],
    periodFrom: '2026-01-01',
    periodTo: '2026-06-30',
    anonymous: false,
    panelUserIds: [d1.userId, d2.userId, d3.userId],
    mapping,
  });

describe('a campaign feeding a special scheme’s evaluation leaf', () => {
  it('refuses a scheme of another year and a leaf of another scheme, naming the field', async () => {
    const y2025 = (await office.post('/api/years', { year: 2025 })).json().id;
    const r1 = await campaign({ schemeId: y2025, indicatorIds: [] });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.field).toBe('mapping.schemeId');
    // The annual scheme's leaf of the same code is not the urban scheme's.
    const r2 = await campaign({ schemeId: urban, indicatorIds: [leaf.annual] });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.field).toBe('mapping.indicatorIds.0');
    // Without a scheme the annual one is meant: the urban leaf is not among its leaves.
    const r3 = await campaign({ indicatorIds: [leaf.urban] });
    expect(r3.statusCode).toBe(400);
    expect(r3.json().error.field).toBe('mapping.indicatorIds.0');
    expect(Number((await q<{ n: number }>(`SELECT count(*)::int AS n FROM evaluation_campaigns`))[0].n)).toBe(0);
  });

  it('closing writes each unit’s result into the special scheme’s leaf, and only there', async () => {
    const c = await campaign({ schemeId: urban, indicatorIds: [leaf.urban], mode: 'mean' });
    expect(c.statusCode, c.body).toBe(201);
    const id = c.json().id as number;
    expect(c.json().scheme).toEqual({ id: urban, name: '2026年urban专项考核', kind: 'special' });
    expect(c.json().indicators).toEqual([{ id: leaf.urban, code: 'WB3', name: '社会监督评价' }]);
    expect((await office.post(`/api/evaluation/campaigns/${id}/send`)).statusCode).toBe(200);
    // Levels: 0 非常满意 100, 1 满意 75, 2 基本满意 50, 3 不满意 25.
    for (const [who, rate] of [
      [d1, { [U.S1]: 0, [U.S2]: 2 }],
      [d2, { [U.S1]: 1, [U.S2]: 3 }],
      [d3, { [U.S1]: 0, [U.S2]: 1 }],
    ] as const) {
      const r = await who.post(`/api/evaluation/inbox/${id}`, { answers: { rate } });
      expect(r.statusCode, r.body).toBe(201);
    }
    const closed = await office.post(`/api/evaluation/campaigns/${id}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().inputs).toBe(2);
    const results = (await office.get(`/api/evaluation/campaigns/${id}/results`)).json().rows as {
      unitId: number;
      mapped: number;
    }[];
    const mapped = new Map(results.map((r) => [r.unitId, r.mapped]));
    expect(mapped.get(U.S1)).toBeCloseTo(275 / 3, 2); // (100 + 75 + 100) / 3, kept to 0.01
    expect(mapped.get(U.S2)).toBeCloseTo(50, 9);

    const inputs = await q<{
      year_id: number;
      indicator_id: number;
      unit_id: number;
      period: string;
      v: number;
      source: string;
    }>(`SELECT year_id, indicator_id, unit_id, period, value::float8 AS v, source FROM score_inputs ORDER BY unit_id`);
    expect(inputs.map((r) => [r.year_id, r.indicator_id, r.unit_id, r.period, r.source])).toEqual([
      [urban, leaf.urban, U.S1, '2026-06', 'evaluation'],
      [urban, leaf.urban, U.S2, '2026-06', 'evaluation'],
    ]);
    for (const r of inputs) expect(r.v).toBeCloseTo(mapped.get(r.unit_id)!, 4);

    // The scheme's score for the leaf comes from that input (benchmark 0 → 100 on 100 points).
    const table = (await office.get(`/api/scores?yearId=${urban}&period=2026-H1`)).json() as {
      rows: { unitId: number; total: number }[];
    };
    expect(table.rows.find((r) => r.unitId === U.S2)!.total).toBeCloseTo(50, 4);
    const ex = await office.get(
      `/api/scores/explain?yearId=${urban}&unitId=${U.S1}&indicatorId=${leaf.urban}&period=2026-H1`,
    );
    expect(ex.statusCode, ex.body).toBe(200);
    expect(JSON.stringify(ex.json())).toContain('上半年城市管理社会监督评价');
  });
});
