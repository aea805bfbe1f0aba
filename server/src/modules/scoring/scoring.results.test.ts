import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { readTable } from '../../lib/xlsx-table.js';
import { cacheStats, clearScoreCache, warmScoreCache } from './scoring.cache.js';
import { bumpScoreVersion, upsertScoreInputs } from '../inputs/index.js';
import type { TIndicatorExplanation, TScoreTable, TTotalExplanation, TUnitScoreSummary } from './scoring.schema.js';

/*
 * A small tree, scored by hand (2026, January):
 *   A 履职效率 60 → A1 职责任务 60 → A1_01 ratio 40 (sum, annual target → 1/12 a month)
 *                                  → A1_02 rank 20 (step 5, min 5)
 *   B 服务效果 40 → B1_01 benchmark 40 (baseline 60, benchmark 100, last)
 * Category C1: U1, U2, U3; category C2: U4.
 *   A1_01 targets 120/120/240/120 → monthly 10/10/20/10; values 10/8/10/12 → 40/32/20/40
 *   A1_02 values 5/7/3/1 → C1 places U2 1, U1 2, U3 3 → 20/15/10; U4 alone → 20
 *   B1_01 values 90/100/60/80 → 30/40/0/20
 *   totals U1 85 (良好), U2 92 (优秀), U3 30 (不达标), U4 80 (良好)
 */
let env: TestEnv;
let office: Client;
let reporter1: Client;
let leader4: Client;
let q: TestEnv['database']['query'];
const U: Record<string, number> = {};
let C1 = 0;
let C2 = 0;
let y2026 = 0;
let y2025 = 0;
const ids: Record<number, Record<string, number>> = {};

async function buildYear(year: number): Promise<number> {
  const res = await office.post('/api/years', { year });
  expect(res.statusCode, res.body).toBe(201);
  const yearId = res.json().id as number;
  const made: Record<string, number> = {};
  const mk = async (body: Record<string, unknown>) => {
    const r = await office.post(`/api/years/${yearId}/indicators`, body);
    expect(r.statusCode, r.body).toBe(201);
    made[body.code as string] = r.json().id;
  };
  await mk({ code: 'A', name: '履职效率', points: 60 });
  await mk({ parentId: made.A, code: 'A1', name: '职责任务', points: 60 });
  await mk({
    parentId: made.A1,
    code: 'A1_01',
    name: '重点任务完成数',
    points: 40,
    aggregate: 'sum',
    unitOfMeasure: '项',
    method: { kind: 'ratio', cap: 1, floor: 0 },
  });
  await mk({
    parentId: made.A1,
    code: 'A1_02',
    name: '创新举措数',
    points: 20,
    aggregate: 'sum',
    method: { kind: 'rank', stepPoints: 5, minPoints: 5 },
  });
  await mk({ code: 'B', name: '服务效果', points: 40 });
  await mk({
    parentId: made.B,
    code: 'B1_01',
    name: '群众满意度',
    points: 40,
    aggregate: 'last',
    method: { kind: 'benchmark', baseline: 60, benchmark: 100 },
  });
  const act = await office.post(`/api/years/${yearId}/activate`);
  expect(act.statusCode, act.body).toBe(200);
  ids[yearId] = made;
  const targets: Record<string, number> = { U1: 120, U2: 120, U3: 240, U4: 120 };
  for (const [code, unitId] of Object.entries(U)) {
    const [plan] = await q<{ id: number }>(
      `INSERT INTO performance_plans(year_id, unit_id, status) VALUES ($1,$2,'approved') RETURNING id`,
      [yearId, unitId],
    );
    await q('INSERT INTO plan_targets(plan_id, indicator_id, target) VALUES ($1,$2,$3)', [
      plan.id,
      made.A1_01,
      targets[code],
    ]);
  }
  return yearId;
}

async function writeInputs(
  yearId: number,
  period: string,
  rows: [leaf: string, unit: string, value: number][],
  who = '张填报',
) {
  await env.database.db.transaction(async (tx) => {
    await upsertScoreInputs(
      tx,
      rows.map(([leaf, unit, value]) => ({
        yearId,
        indicatorId: ids[yearId][leaf],
        unitId: U[unit],
        period,
        value,
        source: 'self_report' as const,
        sourceRef: `submission:${leaf}-${unit}#r0`,
        enteredBy: null,
        enteredByName: who,
      })),
    );
  });
}

const byUnit = (t: TScoreTable) => new Map(t.rows.map((r) => [r.unitId, r]));

beforeAll(async () => {
  env = await createTestEnv();
  q = env.database.query.bind(env.database);
  office = await env.userClient({ roles: ['office'] });
  C1 = await env.buildCategory({ code: 'C1', name: '面向企业' });
  C2 = await env.buildCategory({ code: 'C2', name: '面向社会' });
  U.U1 = await env.buildUnit({ code: 'U1', name: '发改委', categoryId: C1 });
  U.U2 = await env.buildUnit({ code: 'U2', name: '市监局', categoryId: C1 });
  U.U3 = await env.buildUnit({ code: 'U3', name: '商务局', categoryId: C1 });
  U.U4 = await env.buildUnit({ code: 'U4', name: '民政局', categoryId: C2 });
  reporter1 = await env.userClient({ roles: ['reporter'], unitId: U.U1 });
  leader4 = await env.userClient({ roles: ['district_leader'], leaderOf: [U.U4] });

  // Last year: only U1 has January data; A1_01 5 of 10 → 20, A1_02 alone → 20, B1_01 70 → 10: total 50.
  y2025 = await buildYear(2025);
  await writeInputs(y2025, '2025-01', [
    ['A1_01', 'U1', 5],
    ['A1_02', 'U1', 5],
    ['B1_01', 'U1', 70],
  ]);
  expect((await office.post(`/api/years/${y2025}/close`)).statusCode).toBe(200);

  y2026 = await buildYear(2026);
  await writeInputs(y2026, '2026-01', [
    ['A1_01', 'U1', 10],
    ['A1_01', 'U2', 8],
    ['A1_01', 'U3', 10],
    ['A1_01', 'U4', 12],
    ['A1_02', 'U1', 5],
    ['A1_02', 'U2', 7],
    ['A1_02', 'U3', 3],
    ['A1_02', 'U4', 1],
    ['B1_01', 'U1', 90],
    ['B1_01', 'U2', 100],
    ['B1_01', 'U3', 60],
    ['B1_01', 'U4', 80],
  ]);
});
afterAll(async () => env?.close());

describe('GET /api/scores', () => {
  it('rejects anonymous callers and bad input naming the field', async () => {
    expect((await env.anon.get(`/api/scores?yearId=${y2026}`)).statusCode).toBe(401);
    const bad = await office.get(`/api/scores?yearId=${y2026}&period=2026-13`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('period');
    const noYear = await office.get('/api/scores?period=2026');
    expect(noYear.statusCode).toBe(400);
    expect(noYear.json().error.field).toBe('yearId');
    const otherYear = await office.get(`/api/scores?yearId=${y2026}&period=2025-01`);
    expect(otherYear.statusCode).toBe(400);
    expect(otherYear.json().error.field).toBe('period');
    expect((await office.get('/api/scores?yearId=999999')).statusCode).toBe(404);
  });

  it('scores, ranks and grades a small tree by category, with last year beside', async () => {
    const res = await office.get(`/api/scores?yearId=${y2026}&period=2026-01`);
    expect(res.statusCode, res.body).toBe(200);
    const t = res.json() as TScoreTable;
    expect(t.window).toMatchObject({ kind: 'month', n: 0, period: '2026-01' });
    expect(t.fullBase).toBe(100);
    expect(t.topIndicators.map((x) => x.code)).toEqual(['A', 'B']);
    expect(t.categories.map((c) => c.name)).toEqual(['面向企业', '面向社会']);
    const rows = byUnit(t);
    const expectRow = (unit: string, total: number, rank: number, of: number, grade: string) => {
      const r = rows.get(U[unit])!;
      expect(r.total).toBeCloseTo(total, 9);
      expect(r.rank).toBe(rank);
      expect(r.of).toBe(of);
      expect(r.grade).toBe(grade);
    };
    expectRow('U1', 85, 2, 3, '良好');
    expectRow('U2', 92, 1, 3, '优秀');
    expectRow('U3', 30, 3, 3, '不达标');
    expectRow('U4', 80, 1, 1, '良好');
    const u1 = rows.get(U.U1)!;
    expect(u1.nodes.map((n) => n.score)).toEqual([55, 30]);
    expect(u1.lastYearTotal).toBeCloseTo(50, 9);
    expect(u1.change).toBeCloseTo(35, 9);
    expect(u1.inScope).toBe(true);
    // The year to date runs through the last month with data (January).
    const ytd = (await office.get(`/api/scores?yearId=${y2026}`)).json() as TScoreTable;
    expect(ytd.window).toMatchObject({ kind: 'ytd', n: 0, period: '2026' });
    expect(byUnit(ytd).get(U.U2)!.total).toBeCloseTo(92, 9);
    // Category filter.
    const c2 = (await office.get(`/api/scores?yearId=${y2026}&period=2026-01&categoryId=${C2}`)).json() as TScoreTable;
    expect(c2.rows.map((r) => r.unitId)).toEqual([U.U4]);
  });

  it('shows a unit user their category ranking only, and a district leader the units in charge', async () => {
    const t = (await reporter1.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json() as TScoreTable;
    expect(t.rows.map((r) => r.unitId).sort()).toEqual([U.U1, U.U2, U.U3].sort());
    expect(t.rows.filter((r) => r.inScope).map((r) => r.unitId)).toEqual([U.U1]);
    expect(t.categories.map((c) => c.id)).toEqual([C1]);
    const l = (await leader4.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json() as TScoreTable;
    expect(l.rows.map((r) => r.unitId)).toEqual([U.U4]);
  });
});

describe('GET /api/scores/units/:unitId and /api/scores/explain', () => {
  it("gives a unit's tree, and 404 for another unit's detail or explanation", async () => {
    const own = await reporter1.get(`/api/scores/units/${U.U1}?yearId=${y2026}&period=2026-01`);
    expect(own.statusCode, own.body).toBe(200);
    const body = own.json();
    const byCode = new Map<string, { score: number | null; categoryAvg: number | null }>(
      body.tree.map((n: { code: string }) => [n.code, n]),
    );
    expect(body.tree.map((n: { code: string }) => n.code)).toEqual(['A', 'A1', 'A1_01', 'A1_02', 'B', 'B1_01']);
    expect(byCode.get('A1')!.score).toBeCloseTo(55, 9);
    expect(byCode.get('A1_02')!.score).toBeCloseTo(15, 9);
    expect(byCode.get('B1_01')!.categoryAvg).toBeCloseTo((30 + 40 + 0) / 3, 9);
    expect(body.row.total).toBeCloseTo(85, 9);
    expect(body.steps.join('\n')).toContain('总分');

    for (const url of [
      `/api/scores/units/${U.U2}?yearId=${y2026}`,
      `/api/scores/explain?yearId=${y2026}&unitId=${U.U2}&indicatorId=${ids[y2026].A1_01}`,
      `/api/scores/explain?yearId=${y2026}&unitId=${U.U2}`,
      `/api/scores/compare?yearId=${y2026}&unitId=${U.U2}`,
      `/api/scores/inputs?yearId=${y2026}&unitId=${U.U2}`,
    ]) {
      const res = await reporter1.get(url);
      expect(res.statusCode, url).toBe(404);
    }
    expect((await env.anon.get(`/api/scores/explain?yearId=${y2026}&unitId=${U.U1}`)).statusCode).toBe(401);
  });

  it('explains a leaf with its inputs, who entered them, the method and the arithmetic', async () => {
    const res = await reporter1.get(
      `/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&indicatorId=${ids[y2026].A1_01}&period=2026-01`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json() as TIndicatorExplanation;
    expect(e.kind).toBe('indicator');
    expect(e.score).toBeCloseTo(40, 9);
    expect(e.indicator.path).toEqual(['履职效率', '职责任务']);
    expect(e.indicator.methodText).toContain('完成比例计分');
    expect(e.inputs).toHaveLength(1);
    expect(e.inputs[0]).toMatchObject({
      period: '2026-01',
      value: 10,
      provenance: { enteredByName: '张填报', source: 'self_report', sourceRef: 'submission:A1_01-U1#r0' },
    });
    expect(e.target).toMatchObject({ annual: 120 });
    expect(e.target!.window).toBeCloseTo(10, 9);
    expect(e.arithmetic).toContain('40');
    expect(e.steps.some((s) => s.includes('年度目标 120'))).toBe(true);

    const rank = (
      await reporter1.get(
        `/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&indicatorId=${ids[y2026].A1_02}&period=2026-01`,
      )
    ).json() as TIndicatorExplanation;
    expect(rank.rank).toMatchObject({ place: 2, of: 3 });
    expect(rank.rank!.entries.map((x) => x.unitName)).toEqual(['市监局', '发改委', '商务局']);

    const node = (
      await reporter1.get(
        `/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&indicatorId=${ids[y2026].A1}&period=2026-01`,
      )
    ).json() as TIndicatorExplanation;
    expect(node.children!.map((c) => c.score)).toEqual([40, 15]);
    expect(node.arithmetic).toContain('40 + 15 = 55');

    const total = (
      await reporter1.get(`/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&period=2026-01`)
    ).json() as TTotalExplanation;
    expect(total.kind).toBe('total');
    expect(total.total).toBeCloseTo(85, 9);
    expect(total.rank).toBe(2);

    const bad = await office.get(`/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&indicatorId=${ids[y2025].A1_01}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('indicatorId');
  });
});

describe('explanations in English (Accept-Language: en)', () => {
  const leaf = () =>
    `/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&indicatorId=${ids[y2026].A1_01}&period=2026-01`;
  const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

  it('gives the steps, arithmetic, method and labels in English, and the same Chinese as before without it', async () => {
    const zh = (await reporter1.get(leaf())).json() as TIndicatorExplanation;
    expect(zh.steps).toEqual([
      '1月数据：10',
      '目标值：年度目标 120 × 1/12（按时间进度折算）= 10',
      '完成比例：实际 10 ÷ 目标 10 × 分值 40 = 40',
    ]);
    expect(zh.window.label).toBe('1月');
    expect(zh.inputs[0].periodLabel).toBe('1月');
    expect((await reporter1.get(leaf(), { 'accept-language': 'zh-CN,zh;q=0.9' })).json()).toEqual(zh);

    const res = await reporter1.get(leaf(), { 'accept-language': 'en' });
    expect(res.statusCode, res.body).toBe(200);
    const en = res.json() as TIndicatorExplanation;
    expect(en.steps).toEqual([
      'Data for Jan: 10',
      'Target: annual target 120 × 1/12 (pro-rated to the months elapsed) = 10',
      'Completion: actual 10 ÷ target 10 = 1; 1 × 40 points = 40',
    ]);
    expect(en.arithmetic).toBe(en.steps[2]);
    expect(en.window.label).toBe('Jan');
    expect(en.inputs[0].periodLabel).toBe('Jan');
    expect(en.indicator.methodText).toMatch(/^Completion ratio: score = 40 points × completion \(actual ÷ target\)/);
    // The same numbers: only the texts differ.
    const numbers = (e: TIndicatorExplanation) => ({
      ...e,
      steps: 0,
      arithmetic: 0,
      window: 0,
      inputs: 0,
      indicator: 0,
    });
    expect(numbers(en)).toEqual(numbers(zh));

    const node = (
      await reporter1.get(
        `/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&indicatorId=${ids[y2026].A1}&period=2026-01`,
        { 'accept-language': 'en' },
      )
    ).json() as TIndicatorExplanation;
    expect(node.arithmetic).toBe('Sum of the sub-indicators: 40 + 15 = 55');
    const rank = (
      await reporter1.get(
        `/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&indicatorId=${ids[y2026].A1_02}&period=2026-01`,
        { 'accept-language': 'en' },
      )
    ).json() as TIndicatorExplanation;
    expect(rank.arithmetic).toMatch(/^Rank within category \(higher is better\): actual \S+, place 2 of 3 units/);
    expect(hasChinese(rank.arithmetic)).toBe(false);
  });

  it("explains a unit's total and labels the ranking table's window in English", async () => {
    const total = (
      await reporter1.get(`/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&period=2026-01`, {
        'accept-language': 'en',
      })
    ).json() as TTotalExplanation;
    expect(total.steps[0]).toMatch(/^Base score: /);
    expect(total.arithmetic).toBe('Total: 85 = 85');
    expect(total.steps.at(-1)).toMatch(/^Place 2 of 3 units in the category, grade "/);
    const zhTotal = (
      await reporter1.get(`/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&period=2026-01`)
    ).json() as TTotalExplanation;
    expect(zhTotal.arithmetic).toBe('总分：85 = 85');
    expect(zhTotal.steps.at(-1)).toMatch(/^同类 3 个单位中排第 2 名，等次「/);

    const table = (await office.get(`/api/scores?yearId=${y2026}&period=2026-01`, { 'accept-language': 'en' })).json();
    expect(table.window.label).toBe('Jan');
    expect(
      (await office.get(`/api/scores?yearId=${y2026}&period=2026-Q1`, { 'accept-language': 'en' })).json().window.label,
    ).toBe('Q1');
    expect((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json().window.label).toBe('1月');
    const unit = (
      await reporter1.get(`/api/scores/units/${U.U1}?yearId=${y2026}&period=2026-01`, { 'accept-language': 'en' })
    ).json();
    expect(unit.window.label).toBe('Jan');
    expect(unit.steps.some((s: string) => s.startsWith('Total: '))).toBe(true);
  });
});

describe('GET /api/scores/units/:unitId/summary (home widget)', () => {
  it("gives one unit's row equal to its row of the full table, in every period asked", async () => {
    for (const period of ['2026-01', '2026', undefined]) {
      const p = period ? `&period=${period}` : '';
      const table = (await office.get(`/api/scores?yearId=${y2026}${p}`)).json() as TScoreTable;
      for (const unit of ['U1', 'U2', 'U3', 'U4']) {
        const res = await office.get(`/api/scores/units/${U[unit]}/summary?yearId=${y2026}${p}`);
        expect(res.statusCode, res.body).toBe(200);
        const s = res.json() as TUnitScoreSummary;
        expect(s.row).toEqual({ ...byUnit(table).get(U[unit])!, inScope: true });
        expect(s.window).toEqual(table.window);
        expect(s.grades).toEqual(table.grades);
        expect(s.version).toBe(table.version);
        expect(s.year.id).toBe(y2026);
      }
    }
    const u1 = (await reporter1.get(`/api/scores/units/${U.U1}/summary?yearId=${y2026}&period=2026-01`)).json();
    expect(u1.row).toMatchObject({
      total: 85,
      rank: 2,
      of: 3,
      grade: '良好',
      categoryId: C1,
      categoryName: '面向企业',
    });
    expect(u1.row.change).toBeCloseTo(35, 9);
  });

  it("refuses another unit's summary to a unit user (404, as for a missing unit); the office and a leader in charge see it", async () => {
    const other = await reporter1.get(`/api/scores/units/${U.U2}/summary?yearId=${y2026}`);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('NOT_FOUND');
    expect((await leader4.get(`/api/scores/units/${U.U1}/summary?yearId=${y2026}`)).statusCode).toBe(404);
    expect((await leader4.get(`/api/scores/units/${U.U4}/summary?yearId=${y2026}`)).statusCode).toBe(200);
    expect((await office.get(`/api/scores/units/${U.U2}/summary?yearId=${y2026}`)).statusCode).toBe(200);
    expect((await env.anon.get(`/api/scores/units/${U.U1}/summary?yearId=${y2026}`)).statusCode).toBe(401);
    const bad = await reporter1.get(`/api/scores/units/${U.U1}/summary?yearId=${y2026}&period=2026-13`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('period');
    // A unit the year does not assess (the office's scope is everything): 404.
    expect((await office.get(`/api/scores/units/999999/summary?yearId=${y2026}`)).statusCode).toBe(404);
  });
});

describe('score cache', () => {
  it('picks up a new input on the next read (incremental) and a configuration change (full)', async () => {
    const before = byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json()).get(U.U3)!.total;
    const inc = cacheStats.incremental;
    await writeInputs(y2026, '2026-01', [['B1_01', 'U3', 100]]);
    const after = byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json()).get(U.U3)!;
    expect(after.total).toBeCloseTo(before + 40, 9);
    expect(cacheStats.incremental).toBe(inc + 1);

    const full = cacheStats.full;
    await env.database.db.transaction((tx) => bumpScoreVersion(tx, y2026));
    const again = byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json()).get(U.U3)!;
    expect(again.total).toBeCloseTo(after.total, 9);
    expect(cacheStats.full).toBe(full + 1);
    await writeInputs(y2026, '2026-01', [['B1_01', 'U3', 60]]);
  });

  it('is warmed in the background: after a restart and after a configuration change the next read builds nothing', async () => {
    const db = env.database.db;
    const read = async () =>
      byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json()).get(U.U3)!.total;
    const expected = await read();
    clearScoreCache(db); // a restart
    expect(await warmScoreCache(db)).toBeGreaterThan(0);
    let full = cacheStats.full;
    expect(await read()).toBeCloseTo(expected, 9);
    expect(cacheStats.full).toBe(full);
    await db.transaction((tx) => bumpScoreVersion(tx, y2026)); // a configuration change
    expect(await warmScoreCache(db)).toBe(1);
    full = cacheStats.full;
    const hits = cacheStats.hits;
    expect(await read()).toBeCloseTo(expected, 9);
    expect(cacheStats.full).toBe(full);
    expect(cacheStats.hits).toBeGreaterThan(hits);
    expect(await warmScoreCache(db)).toBe(0); // nothing changed since
  });

  it("answers the district's table from memory only while nothing it shows changed: a plan's status, a unit's name", async () => {
    const url = `/api/scores?yearId=${y2026}&period=2026-01`;
    const first = (await office.get(url)).body;
    expect((await office.get(url)).body).toBe(first);
    // A plan sent back to the unit changes no score version, but the row's completeness.
    await q(`UPDATE performance_plans SET status = 'returned' WHERE year_id = $1 AND unit_id = $2`, [y2026, U.U1]);
    const returned = byUnit(JSON.parse((await office.get(url)).body) as TScoreTable).get(U.U1)!;
    expect(returned.completeness).toMatchObject({ planApproved: false, planStatus: 'returned' });
    await q(`UPDATE performance_plans SET status = 'approved' WHERE year_id = $1 AND unit_id = $2`, [y2026, U.U1]);
    expect((await office.get(url)).body).toBe(first);
    // A renamed unit is shown by its new name at once.
    const [{ name }] = await q<{ name: string }>('SELECT name FROM units WHERE id = $1', [U.U2]);
    const admin = await env.userClient({ roles: ['admin'] });
    const renamed = await admin.patch(`/api/units/${U.U2}`, { name: `${name}（更名）` });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(byUnit((await office.get(url)).json()).get(U.U2)!.unitName).toBe(`${name}（更名）`);
    await admin.patch(`/api/units/${U.U2}`, { name });
    expect((await office.get(url)).body).toBe(first);
  });
});

describe('accountability deductions', () => {
  let id = 0;
  it('refuse anonymous and unit users, and bad input naming the field', async () => {
    const body = {
      yearId: y2026,
      unitId: U.U1,
      period: '2026-01',
      points: 5,
      reason: '重大安全生产事故被问责',
      documentNo: '汉纪发〔2026〕3号',
    };
    expect((await env.anon.post('/api/scores/deductions', body)).statusCode).toBe(401);
    expect((await reporter1.post('/api/scores/deductions', body)).statusCode).toBe(403);
    const noDoc = await office.post('/api/scores/deductions', { ...body, documentNo: ' ' });
    expect(noDoc.statusCode).toBe(400);
    expect(noDoc.json().error.field).toBe('documentNo');
    const badMonth = await office.post('/api/scores/deductions', { ...body, period: '2025-12' });
    expect(badMonth.statusCode).toBe(400);
    expect(badMonth.json().error.field).toBe('period');
    const closed = await office.post('/api/scores/deductions', { ...body, yearId: y2025, period: '2025-01' });
    expect(closed.statusCode).toBe(409);
  });

  it('lowers the total after the base, shows in the explanation, and is audited', async () => {
    const res = await office.post('/api/scores/deductions', {
      yearId: y2026,
      unitId: U.U1,
      period: '2026-01',
      points: 5,
      reason: '重大安全生产事故被问责',
      documentNo: '汉纪发〔2026〕3号',
    });
    expect(res.statusCode, res.body).toBe(201);
    id = res.json().id;
    const row = byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json()).get(U.U1)!;
    expect(row.total).toBeCloseTo(80, 9);
    expect(row.base).toBeCloseTo(85, 9);
    expect(row.accountability).toBe(5);
    const total = (
      await reporter1.get(`/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&period=2026-01`)
    ).json() as TTotalExplanation;
    expect(total.deductions).toEqual([
      expect.objectContaining({ reason: '重大安全生产事故被问责', documentNo: '汉纪发〔2026〕3号', points: 5 }),
    ]);
    expect(total.steps.join('\n')).toContain('汉纪发〔2026〕3号');
    const listed = await reporter1.get(`/api/scores/deductions?yearId=${y2026}`);
    expect(listed.json().map((d: { id: number }) => d.id)).toEqual([id]);
    const [audit] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'deduction.create' AND entity_id = $1`,
      [String(id)],
    );
    expect(audit.n).toBe(1);
    // Another unit's user sees none of them.
    const other = await env.userClient({ roles: ['reporter'], unitId: U.U2 });
    expect((await other.get(`/api/scores/deductions?yearId=${y2026}`)).json()).toEqual([]);
    expect((await other.get(`/api/scores/deductions?yearId=${y2026}&unitId=${U.U1}`)).statusCode).toBe(404);
  });

  it('can be corrected and removed', async () => {
    const upd = await office.patch(`/api/scores/deductions/${id}`, { points: 2 });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(
      byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json()).get(U.U1)!.total,
    ).toBeCloseTo(83, 9);
    expect((await office.delete(`/api/scores/deductions/${id}`)).statusCode).toBe(204);
    expect(
      byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json()).get(U.U1)!.total,
    ).toBeCloseTo(85, 9);
    expect((await office.delete(`/api/scores/deductions/${id}`)).statusCode).toBe(404);
  });
});

describe('POST /api/scores/sandbox', () => {
  it('is for the office and leaders only', async () => {
    const body = { yearId: y2026, period: '2026-01', changes: [] };
    expect((await env.anon.post('/api/scores/sandbox', body)).statusCode).toBe(401);
    expect((await reporter1.post('/api/scores/sandbox', body)).statusCode).toBe(403);
  });

  it('shows ranks moving without changing anything real', async () => {
    const counts = async () =>
      q<{ t: string; n: string }>(
        `SELECT 'inputs' AS t, count(*)::text AS n FROM score_inputs UNION ALL SELECT 'audit', count(*)::text FROM audit_entries
         UNION ALL SELECT 'versions', coalesce(sum(version), 0)::text FROM score_versions UNION ALL SELECT 'ind', string_agg(points::text || coalesce(method::text, ''), ',' ORDER BY id) FROM indicators`,
      );
    const before = await counts();
    // Without B1_01 (0 points) the remaining 60 points are scaled to 100: U1 91.67, U2 86.67, U3 50.
    const res = await office.post('/api/scores/sandbox', {
      yearId: y2026,
      period: '2026-01',
      changes: [{ indicatorId: ids[y2026].B1_01, points: 0 }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = new Map<
      number,
      { real: { total: number; rank: number }; sandbox: { total: number; rank: number }; rankChange: number }
    >(res.json().rows.map((r: { unitId: number }) => [r.unitId, r]));
    expect(rows.get(U.U1)!.real).toMatchObject({ rank: 2 });
    expect(rows.get(U.U1)!.sandbox.total).toBeCloseTo((55 * 100) / 60, 9);
    expect(rows.get(U.U1)!.rankChange).toBe(1);
    expect(rows.get(U.U2)!.rankChange).toBe(-1);
    expect(res.json().changed).toMatchObject({ indicators: 1, ranksMoved: 2 });
    // A target change and a method change together.
    const res2 = await office.post('/api/scores/sandbox', {
      yearId: y2026,
      period: '2026-01',
      changes: [{ indicatorId: ids[y2026].A1_02, method: { kind: 'rank', stepPoints: 10, minPoints: 0 } }],
      targetChanges: [{ unitId: U.U2, indicatorId: ids[y2026].A1_01, target: 96 }],
    });
    expect(res2.statusCode, res2.body).toBe(200);
    const u2 = res2.json().rows.find((r: { unitId: number }) => r.unitId === U.U2);
    expect(u2.sandbox.total).toBeCloseTo(40 + 20 + 40, 9);
    expect(await counts()).toEqual(before);
    expect(
      byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json()).get(U.U1)!.total,
    ).toBeCloseTo(85, 9);
  });

  it('names the field of a bad change', async () => {
    const node = await office.post('/api/scores/sandbox', {
      yearId: y2026,
      period: '2026-01',
      changes: [{ indicatorId: ids[y2026].A1, points: 3 }],
    });
    expect(node.statusCode).toBe(400);
    expect(node.json().error.field).toBe('changes.0.indicatorId');
    const formula = await office.post('/api/scores/sandbox', {
      yearId: y2026,
      period: '2026-01',
      changes: [{ indicatorId: ids[y2026].A1_01, method: { kind: 'formula', expression: 'value +' } }],
    });
    expect(formula.statusCode).toBe(400);
    expect(formula.json().error.field).toBe('changes.0.method.expression');
    const unit = await office.post('/api/scores/sandbox', {
      yearId: y2026,
      period: '2026-01',
      targetChanges: [{ unitId: env.rootUnitId, indicatorId: ids[y2026].A1_01, target: 1 }],
    });
    expect(unit.statusCode).toBe(400);
    expect(unit.json().error.field).toBe('targetChanges.0.unitId');
  });
});

describe('POST /api/scores/inputs (manual entry by the office)', () => {
  it('refuses others and bad input', async () => {
    const body = {
      yearId: y2026,
      indicatorId: ids[y2026].A1_01,
      unitId: U.U4,
      period: '2026-02',
      value: 11,
      reason: '年中考核结果',
    };
    expect((await env.anon.post('/api/scores/inputs', body)).statusCode).toBe(401);
    expect((await reporter1.post('/api/scores/inputs', body)).statusCode).toBe(403);
    const node = await office.post('/api/scores/inputs', { ...body, indicatorId: ids[y2026].A1 });
    expect(node.statusCode).toBe(400);
    expect(node.json().error.field).toBe('indicatorId');
    const month = await office.post('/api/scores/inputs', { ...body, period: '2027-01' });
    expect(month.statusCode).toBe(400);
    expect(month.json().error.field).toBe('period');
    const root = await office.post('/api/scores/inputs', { ...body, unitId: env.rootUnitId });
    expect(root.statusCode).toBe(400);
    expect(root.json().error.field).toBe('unitId');
    const noReason = await office.post('/api/scores/inputs', { ...body, reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
  });

  it('stores the value with the office as its source, audited, and the scores follow', async () => {
    const res = await office.post('/api/scores/inputs', {
      yearId: y2026,
      indicatorId: ids[y2026].A1_01,
      unitId: U.U4,
      period: '2026-02',
      value: 5,
      reason: '年中考核结果',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      value: 5,
      provenance: { source: 'manual', sourceRef: '绩效办录入：年中考核结果', enteredByName: office.username },
    });
    const m2 = byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-02`)).json()).get(U.U4)!;
    expect(m2.nodes[0].score).toBeCloseTo(20, 9); // 5 of 10 → 20; no February value for the rank leaf
    const [audit] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'score_input.manual'`,
    );
    expect(audit.n).toBe(1);
    const listed = await leader4.get(
      `/api/scores/inputs?yearId=${y2026}&unitId=${U.U4}&indicatorId=${ids[y2026].A1_01}`,
    );
    expect(listed.json().map((r: { period: string }) => r.period)).toEqual(['2026-01', '2026-02']);
  });
});

describe('publications', () => {
  let pubId = 0;
  it('refuse anonymous and unit users, and draft years', async () => {
    expect((await env.anon.post('/api/scores/publications', { yearId: y2026, period: '2026-01' })).statusCode).toBe(
      401,
    );
    expect((await reporter1.post('/api/scores/publications', { yearId: y2026, period: '2026-01' })).statusCode).toBe(
      403,
    );
    const bad = await office.post('/api/scores/publications', { yearId: y2026, period: '2026-1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('period');
    const draft = (await office.post('/api/years', { year: 2030 })).json();
    expect((await office.post('/api/scores/publications', { yearId: draft.id, period: '2030' })).statusCode).toBe(409);
    expect((await office.get(`/api/scores?yearId=${y2026}&period=2026-01&published=1`)).statusCode).toBe(404);
  });

  it('freeze a period: the published result re-reads exactly after method and input changes', async () => {
    const res = await office.post('/api/scores/publications', { yearId: y2026, period: '2026-01', note: '1月通报' });
    expect(res.statusCode, res.body).toBe(201);
    pubId = res.json().id;
    expect(res.json()).toMatchObject({ period: '2026-01', windowKind: 'month', fullYear: false, unitCount: 4 });
    const live = (await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json() as TScoreTable;
    const pub1 = (await office.get(`/api/scores?yearId=${y2026}&period=2026-01&published=1`)).json() as TScoreTable;
    expect(pub1.published?.id).toBe(pubId);
    expect(pub1.rows).toEqual(live.rows);
    const explain1 = (
      await reporter1.get(
        `/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&indicatorId=${ids[y2026].A1_01}&period=2026-01&published=1`,
      )
    ).json();
    const tree1 = (await reporter1.get(`/api/scores/units/${U.U1}?yearId=${y2026}&period=2026-01&published=1`)).json();

    // A method change (the configuration, as an approved correction would make it) and an input change.
    await q(`UPDATE indicators SET method = '{"kind":"rank","stepPoints":10,"minPoints":0}'::jsonb WHERE id = $1`, [
      ids[y2026].A1_02,
    ]);
    await env.database.db.transaction((tx) => bumpScoreVersion(tx, y2026));
    // The input changed is one the office entered (an accepted submission's value changes through a revision only).
    await q(
      `UPDATE score_inputs SET source = 'manual', source_ref = '绩效办录入：初值' WHERE indicator_id = $1 AND unit_id = $2 AND period = '2026-01'`,
      [ids[y2026].A1_01, U.U1],
    );
    const input = await office.post('/api/scores/inputs', {
      yearId: y2026,
      indicatorId: ids[y2026].A1_01,
      unitId: U.U1,
      period: '2026-01',
      value: 5,
      reason: '数据更正',
    });
    expect(input.statusCode).toBe(200);

    const live2 = byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json());
    expect(live2.get(U.U1)!.total).toBeCloseTo(20 + 10 + 30, 9);
    expect(live2.get(U.U3)!.total).toBeCloseTo(20 + 0 + 0, 9);
    const pub2 = (await office.get(`/api/scores?yearId=${y2026}&period=2026-01&published=1`)).json() as TScoreTable;
    expect(pub2.rows).toEqual(pub1.rows);
    expect(byUnit(pub2).get(U.U1)!.total).toBeCloseTo(85, 9);
    const explain2 = (
      await reporter1.get(
        `/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&indicatorId=${ids[y2026].A1_01}&period=2026-01&published=1`,
      )
    ).json();
    expect(explain2).toEqual(explain1);
    expect(explain2.inputs[0]).toMatchObject({ value: 10, provenance: { enteredByName: '张填报' } });
    expect(explain2.storedScore).toBeCloseTo(40, 9);
    expect(
      (await reporter1.get(`/api/scores/units/${U.U1}?yearId=${y2026}&period=2026-01&published=1`)).json(),
    ).toEqual(tree1);
    const liveExplain = (
      await reporter1.get(
        `/api/scores/explain?yearId=${y2026}&unitId=${U.U1}&indicatorId=${ids[y2026].A1_01}&period=2026-01`,
      )
    ).json();
    expect(liveExplain.inputs[0]).toMatchObject({ value: 5, provenance: { source: 'manual' } });
  });

  it('cannot be changed or deleted, even in the database', async () => {
    await expect(q('UPDATE score_publications SET note = $1 WHERE id = $2', ['改', pubId])).rejects.toThrow(
      /immutable/,
    );
    await expect(q('DELETE FROM score_publications WHERE id = $1', [pubId])).rejects.toThrow(/immutable/);
    const [row] = await q<{ note: string }>('SELECT note FROM score_publications WHERE id = $1', [pubId]);
    expect(row.note).toBe('1月通报');
  });

  it('are listed for units, with the rows they may see', async () => {
    const list = await reporter1.get(`/api/scores/publications?yearId=${y2026}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().map((p: { id: number }) => p.id)).toEqual([pubId]);
    const one = await reporter1.get(`/api/scores/publications/${pubId}`);
    expect(one.statusCode).toBe(200);
    expect(
      one
        .json()
        .table.rows.map((r: { unitId: number }) => r.unitId)
        .sort(),
    ).toEqual([U.U1, U.U2, U.U3].sort());
    expect((await reporter1.get('/api/scores/publications/999999')).statusCode).toBe(404);
    // The stored window label (Chinese) is made again in English when asked.
    expect(list.json()[0].windowLabel).toBe('1月');
    const en = { 'accept-language': 'en' };
    expect((await reporter1.get(`/api/scores/publications?yearId=${y2026}`, en)).json()[0].windowLabel).toBe('Jan');
    const oneEn = (await reporter1.get(`/api/scores/publications/${pubId}`, en)).json();
    expect([oneEn.publication.windowLabel, oneEn.table.window.label]).toEqual(['Jan', 'Jan']);
  });

  it('publish annual results of a closed year to the public page', async () => {
    expect((await env.anon.get(`/api/public/scores/${y2025}`)).statusCode).toBe(404);
    // The public list names only years with an annual result: 2026's monthly publication is not one.
    const before = await env.anon.get('/api/public/scores');
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual([]);
    // Only U1 has 2025 data: the others are incomplete, so publishing needs a confirmed reason.
    const refused = await office.post('/api/scores/publications', { yearId: y2025, period: '2025' });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.field).toBe('incompleteReason');
    expect(refused.json().error.message).toContain('数据不完整');
    const res = await office.post('/api/scores/publications', {
      yearId: y2025,
      period: '2025',
      incompleteReason: '年度结果按时公开',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ fullYear: true, windowLabel: '全年' });
    const pub = await env.anon.get(`/api/public/scores/${y2025}`);
    expect(pub.statusCode, pub.body).toBe(200);
    const c1 = pub.json().categories.find((c: { name: string }) => c.name === '面向企业');
    // The whole year: A1_01 5 of 120 → 1.67, A1_02 20, B1_01 10.
    expect(c1.rows[0]).toMatchObject({ rank: 1, unitName: '发改委', total: 31.67, incomplete: null });
    // The units without data say so on the public page, instead of a plain grade.
    const u2 = c1.rows.find((r: { unitName: string }) => r.unitName === '市监局');
    expect(u2.incomplete).toMatch(/^数据不完整：3 项指标无得分/);
    const years = (await env.anon.get('/api/public/scores')).json();
    expect(years).toEqual([
      { yearId: y2025, year: 2025, name: expect.any(String), publishedAt: res.json().publishedAt },
    ]);
  });
});

describe('GET /api/scores/compare', () => {
  it('compares a unit with its category and its last year, with improvement candidates', async () => {
    const res = await reporter1.get(`/api/scores/compare?yearId=${y2026}&unitId=${U.U1}`);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.unit).toMatchObject({ id: U.U1, categoryName: '面向企业', of: 3 });
    expect(c.months.map((m: { period: string }) => m.period)).toEqual(['2026-01', '2026-02']);
    expect(c.months[0].lastYearTotal).toBeCloseTo(50, 9);
    expect(c.nodes.map((n: { name: string }) => n.name)).toEqual(['履职效率', '服务效果']);
    const u1 = c.improvement.find((x: { unitId: number }) => x.unitId === U.U1);
    expect(u1.lastYearRank).toBe(1);
    expect(c.improvement.some((x: { candidate: boolean }) => x.candidate)).toBe(true);
    const bad = await reporter1.get(`/api/scores/compare?yearId=${y2026}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('unitId');
  });
});

describe('completeness is never hidden', () => {
  it('marks a unit whose plan is not approved in the ranking, its page and its explanation', async () => {
    await q(`UPDATE performance_plans SET status = 'submitted' WHERE year_id = $1 AND unit_id = $2`, [y2026, U.U4]);
    await env.database.db.transaction((tx) => bumpScoreVersion(tx, y2026));
    const t = (await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json() as TScoreTable;
    const rows = byUnit(t);
    expect(rows.get(U.U1)!.completeness).toMatchObject({
      complete: true,
      planApproved: true,
      missingLeaves: 0,
      text: '',
    });
    const u4 = rows.get(U.U4)!.completeness!;
    expect(u4).toMatchObject({ complete: false, planStatus: 'submitted', planApproved: false, missingLeaves: 1 });
    expect(u4.missing.map((m) => m.code)).toEqual(['A1_01']);
    expect(u4.text).toBe('数据不完整：计划未批准（待审核）；1 项指标无得分：重点任务完成数');
    // In English when asked.
    const en = await office.get(`/api/scores?yearId=${y2026}&period=2026-01`, { 'accept-language': 'en' });
    expect(byUnit(en.json()).get(U.U4)!.completeness!.text).toBe(
      'Incomplete data: plan not approved (Submitted); 1 indicator(s) without a score: A1_01',
    );
    const unit = await leader4.get(`/api/scores/units/${U.U4}?yearId=${y2026}&period=2026-01`);
    expect(unit.statusCode, unit.body).toBe(200);
    expect(unit.json().row.completeness.text).toContain('计划未批准');
    const e = (
      await leader4.get(
        `/api/scores/explain?yearId=${y2026}&period=2026-01&unitId=${U.U4}&indicatorId=${ids[y2026].A1_01}`,
      )
    ).json() as TIndicatorExplanation;
    expect(e.planApproved).toBe(false);
    expect(e.steps).toContain('目标值：计划未批准（待审核），目标值未生效');
    expect(e.steps).not.toContain('目标值：未设定');
    const eEn = (
      await leader4.get(
        `/api/scores/explain?yearId=${y2026}&period=2026-01&unitId=${U.U4}&indicatorId=${ids[y2026].A1_01}`,
        { 'accept-language': 'en' },
      )
    ).json() as TIndicatorExplanation;
    expect(eEn.steps).toContain('Target: plan not approved (Submitted), so its targets do not apply yet');
  });

  it('lists the incomplete units the caller may see', async () => {
    const all = await office.get(`/api/scores/completeness?yearId=${y2026}&period=2026-01`);
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().incomplete.map((x: { unitId: number }) => x.unitId)).toEqual([U.U4]);
    expect(all.json().units).toBe(4);
    // A reporter of U1 sees only its own unit in full: nothing of U4.
    const own = (await reporter1.get(`/api/scores/completeness?yearId=${y2026}&period=2026-01`)).json();
    expect(own).toMatchObject({ units: 1, incomplete: [] });
    const bad = await office.get(`/api/scores/completeness?yearId=${y2026}&period=2026-13`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('period');
  });

  it('publishing lists the incomplete units and needs a reason, which is audited', async () => {
    const count = async () =>
      (await q<{ n: number }>(`SELECT count(*)::int AS n FROM score_publications WHERE year_id = $1`, [y2026]))[0].n;
    const before = await count();
    const refused = await office.post('/api/scores/publications', { yearId: y2026, period: '2026-01' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'VALIDATION', field: 'incompleteReason' });
    expect(refused.json().error.message).toContain('民政局');
    const blank = await office.post('/api/scores/publications', {
      yearId: y2026,
      period: '2026-01',
      incompleteReason: '   ',
    });
    expect(blank.statusCode).toBe(400);
    expect(await count()).toBe(before);
    const ok = await office.post('/api/scores/publications', {
      yearId: y2026,
      period: '2026-01',
      incompleteReason: '民政局计划审核中，先行通报',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await count()).toBe(before + 1);
    const [audit] = await q<{ after: Record<string, unknown> }>(
      `SELECT after FROM audit_entries WHERE action = 'scores.publish' AND entity_id = $1`,
      [String(ok.json().id)],
    );
    expect(audit.after).toMatchObject({
      incompleteReason: '民政局计划审核中，先行通报',
      incompleteUnits: [{ unitId: U.U4, unitName: '民政局', planStatus: 'submitted', missingLeaves: 1 }],
    });
    // The publication keeps the completeness it was published with, after the plan is approved.
    await q(`UPDATE performance_plans SET status = 'approved' WHERE year_id = $1 AND unit_id = $2`, [y2026, U.U4]);
    await env.database.db.transaction((tx) => bumpScoreVersion(tx, y2026));
    const pub = (await office.get(`/api/scores/publications/${ok.json().id}`)).json();
    const row = pub.table.rows.find((r: { unitId: number }) => r.unitId === U.U4);
    expect(row.completeness.text).toContain('计划未批准');
    const live = byUnit((await office.get(`/api/scores?yearId=${y2026}&period=2026-01`)).json());
    expect(live.get(U.U4)!.completeness!.complete).toBe(true);
    // Complete data publish without a reason, and the audit entry names no incomplete units.
    const clean = await office.post('/api/scores/publications', { yearId: y2026, period: '2026-01' });
    expect(clean.statusCode, clean.body).toBe(201);
    const [audit2] = await q<{ after: Record<string, unknown> }>(
      `SELECT after FROM audit_entries WHERE action = 'scores.publish' AND entity_id = $1`,
      [String(clean.json().id)],
    );
    expect(audit2.after.incompleteUnits).toBeUndefined();
  });
});

describe('Excel exports of the score tables', () => {
  const table = async (res: {
    statusCode: number;
    body: string;
    rawPayload: Buffer;
    headers: Record<string, unknown>;
  }) => {
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
    return readTable(res.rawPayload);
  };

  it('the ranking holds exactly the rows the filters and the viewer see, with Chinese headers', async () => {
    const live = (
      await office.get(`/api/scores?yearId=${y2026}&period=2026-01&categoryId=${C1}`)
    ).json() as TScoreTable;
    const x = await table(await office.get(`/api/scores/export?yearId=${y2026}&period=2026-01&categoryId=${C1}`));
    expect(x.headers.slice(0, 5)).toEqual(['类别', '名次', '同类单位数', '单位', '总分']);
    expect(x.rows.map((r) => r[3])).toEqual([...live.rows].sort((a, b) => a.rank - b.rank).map((r) => r.unitName));
    expect(x.rows.length).toBe(3);
    const u2 = x.rows.find((r) => r[3] === '市监局')!;
    expect(u2[4]).toBeCloseTo(live.rows.find((r) => r.unitId === U.U2)!.total, 9);
    // A reporter of U1 sees its own category only: U4 (another category) is not in its export.
    const own = await table(await reporter1.get(`/api/scores/export?yearId=${y2026}&period=2026-01`));
    expect(own.rows.map((r) => r[3]).sort()).toEqual(['发改委', '商务局', '市监局'].sort());
    expect((await env.anon.get(`/api/scores/export?yearId=${y2026}`)).statusCode).toBe(401);
  });

  it("a unit's scores, the publications and a publication export what their pages show", async () => {
    const unit = (await leader4.get(`/api/scores/units/${U.U4}?yearId=${y2026}&period=2026-01`)).json();
    const x = await table(await leader4.get(`/api/scores/units/${U.U4}/export?yearId=${y2026}&period=2026-01`));
    expect(x.rows.map((r) => r[0])).toEqual(unit.tree.map((n: { code: string }) => n.code));
    expect(x.title).toContain('民政局');
    expect((await leader4.get(`/api/scores/units/${U.U1}/export?yearId=${y2026}`)).statusCode).toBe(404);
    const list = (await office.get(`/api/scores/publications?yearId=${y2026}`)).json();
    const pubs = await table(await office.get(`/api/scores/publications/export?yearId=${y2026}`));
    expect(pubs.rows.length).toBe(list.length);
    const one = (await reporter1.get(`/api/scores/publications/${list[0].id}`)).json();
    const tb = await table(await reporter1.get(`/api/scores/publications/${list[0].id}/export`));
    expect(tb.rows.map((r) => r[3]).sort()).toEqual(one.table.rows.map((r: { unitName: string }) => r.unitName).sort());
  });
});
