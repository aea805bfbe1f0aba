import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { buildCaseCategory } from '../cases/cases.testkit.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { readTable } from '../../lib/xlsx-table.js';
import { syncUrbanInputs } from './schemes.service.js';

/*
 * Two schemes in 2026:
 *   annual (年度综合考核):  X1 工作目标 60 (third party, benchmark 0 → 100, last)
 *                           UM 城市管理 40 (special_assessment → the urban scheme, benchmark 0 → 100: linear)
 *                           UG 城管等次 0 … (a second annual, in another test, maps by grade)
 *   urban (城市管理专项, half-years, A ≥ 90, B ≥ 80, C ≥ 60, D):
 *                           X1 误签误结 30 (case platform misSignCount, deduction 5 per case, max 30)
 *                           IN2 主动发现 30 (case platform gridFoundCount, benchmark 0 → 4, sum)
 *                           EX1 不定期抽查 40 (third party, benchmark 0 → 100, avg)
 * The same code X1 in both trees: the trees are independent.
 */
let env: TestEnv;
let office: Client;
let assessor: Client; // of the assessing body (区监察局)
let otherAssessor: Client; // an assessor of another unit
let agent: Client;
let supervisor: Client;
let reporterS1: Client;
let q: TestEnv['database']['query'];
let C1 = 0;
const U: Record<string, number> = {};
let annual = 0;
let urban = 0;
const A: Record<string, number> = {};
const S: Record<string, number> = {};

async function mk(yearId: number, made: Record<string, number>, body: Record<string, unknown>) {
  const r = await office.post(`/api/years/${yearId}/indicators`, body);
  expect(r.statusCode, r.body).toBe(201);
  made[body.code as string] = r.json().id;
}

const totalOf = (t: { rows: { unitId: number; total: number; grade: string | null }[] }, unitId: number) =>
  t.rows.find((r) => r.unitId === unitId)!;

beforeAll(async () => {
  env = await createTestEnv();
  q = env.database.query.bind(env.database);
  C1 = await env.buildCategory({ name: '街道' });
  U.S1 = await env.buildUnit({ code: 'S1', name: '甲街道', categoryId: C1 });
  U.S2 = await env.buildUnit({ code: 'S2', name: '乙街道', categoryId: C1 });
  U.J = await env.buildUnit({ code: 'JCJ', name: '区监察局' });
  U.K = await env.buildUnit({ code: 'OTH', name: '区统计局' });
  office = await env.userClient({ roles: ['office'] });
  assessor = await env.userClient({ roles: ['assessor'], unitId: U.J });
  otherAssessor = await env.userClient({ roles: ['assessor'], unitId: U.K });
  agent = await env.userClient({ roles: ['agent'] });
  supervisor = await env.userClient({ roles: ['supervisor'] });
  reporterS1 = await env.userClient({ roles: ['reporter'], unitId: U.S1 });

  const y = await office.post('/api/years', { year: 2026 });
  expect(y.statusCode, y.body).toBe(201);
  annual = y.json().id;
  const s = await office.post('/api/schemes', {
    year: 2026,
    code: 'urban',
    name: '2026年城市管理监督评价考核',
    assessingUnitId: U.J,
    periods: 'half',
    methods: '自查、抽查考核、会议考核',
    unitsAssessed: { categoryIds: [C1], unitIds: [] },
    gradeRule: {
      by: 'threshold',
      grades: [
        { label: 'A', threshold: 90 },
        { label: 'B', threshold: 80 },
        { label: 'C', threshold: 60 },
        { label: 'D', threshold: 0 },
      ],
    },
  });
  expect(s.statusCode, s.body).toBe(201);
  urban = s.json().id;

  await mk(urban, S, { code: 'IN', name: '内部评价', points: 60 });
  await mk(urban, S, {
    parentId: S.IN,
    code: 'X1',
    name: '误签误结案件',
    points: 30,
    dataSource: 'case_platform',
    caseMetric: 'misSignCount',
    aggregate: 'sum',
    method: { kind: 'deduction', perOccurrence: 5, maxTotal: 30 },
  });
  await mk(urban, S, {
    parentId: S.IN,
    code: 'IN2',
    name: '主动发现问题',
    points: 30,
    dataSource: 'case_platform',
    caseMetric: 'gridFoundCount',
    aggregate: 'sum',
    method: { kind: 'benchmark', baseline: 0, benchmark: 4 },
  });
  await mk(urban, S, { code: 'EX', name: '外部评价', points: 40 });
  await mk(urban, S, {
    parentId: S.EX,
    code: 'EX1',
    name: '不定期抽查',
    points: 40,
    dataSource: 'third_party',
    assessingUnitId: U.J,
    aggregate: 'avg',
    method: { kind: 'benchmark', baseline: 0, benchmark: 100 },
  });

  await mk(annual, A, {
    code: 'X1',
    name: '工作目标',
    points: 60,
    dataSource: 'third_party',
    aggregate: 'last',
    method: { kind: 'benchmark', baseline: 0, benchmark: 100 },
  });
  await mk(annual, A, {
    code: 'UM',
    name: '城市管理（纳入专项考核结果）',
    points: 40,
    dataSource: 'special_assessment',
    specialSchemeId: urban,
    aggregate: 'last',
    method: { kind: 'benchmark', baseline: 0, benchmark: 100 },
  });
  for (const id of [annual, urban]) {
    const act = await office.post(`/api/years/${id}/activate`);
    expect(act.statusCode, act.body).toBe(200);
  }
  // The annual scheme's own input: 工作目标 80 for both streets.
  for (const u of [U.S1, U.S2]) {
    const r = await office.post('/api/scores/inputs', {
      yearId: annual,
      indicatorId: A.X1,
      unitId: u,
      period: '2026-03',
      value: 80,
      reason: '年度目标考核',
    });
    expect(r.statusCode, r.body).toBe(200);
  }
});
afterAll(async () => env?.close());

describe('schemes: several per year', () => {
  it('keeps the existing API on the annual scheme and lists the special one beside it', async () => {
    const years = (await office.get('/api/years')).json() as { id: number; kind: string; code: string }[];
    expect(years.map((y) => [y.id, y.kind])).toEqual([
      [annual, 'annual'],
      [urban, 'special'],
    ]);
    const list = (await office.get('/api/schemes?year=2026&kind=special')).json() as { id: number }[];
    expect(list.map((x) => x.id)).toEqual([urban]);
    // One annual scheme per year, one code per year.
    const dup = await office.post('/api/years', { year: 2026 });
    expect(dup.statusCode).toBe(409);
    const dupCode = await office.post('/api/schemes', { year: 2026, code: 'urban', name: '重复' });
    expect(dupCode.statusCode).toBe(409);
    expect(dupCode.json().error.field).toBe('code');
  });

  it('has independent trees: the same code in both, each tree its own', async () => {
    const a = (await office.get(`/api/years/${annual}/indicators`)).json() as { code: string }[];
    const s = (await office.get(`/api/years/${urban}/indicators`)).json() as { code: string }[];
    expect(a.map((n) => n.code).sort()).toEqual(['UM', 'X1']);
    expect(s.map((n) => n.code).sort()).toEqual(['EX', 'EX1', 'IN', 'IN2', 'X1']);
    expect(A.X1).not.toBe(S.X1);
  });

  it('refuses a special-assessment leaf without a special scheme of the same year', async () => {
    const draft = (await office.post('/api/schemes', { year: 2026, code: 'tmp', name: '临时专项' })).json()
      .id as number;
    const res = await office.post(`/api/years/${draft}/indicators`, {
      code: 'BAD',
      name: '自己',
      points: 0,
      dataSource: 'special_assessment',
      specialSchemeId: draft,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('specialSchemeId');
    const y2028 = (await office.post('/api/years', { year: 2028 })).json().id as number;
    const otherYear = await office.post(`/api/years/${y2028}/indicators`, {
      code: 'UM',
      name: '跨年度',
      points: 0,
      dataSource: 'special_assessment',
      specialSchemeId: urban,
    });
    expect(otherYear.statusCode).toBe(400);
    expect(otherYear.json().error.field).toBe('specialSchemeId');
    const none = await office.post(`/api/years/${y2028}/indicators`, {
      code: 'BAD',
      name: '无方案',
      points: 0,
      dataSource: 'special_assessment',
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.field).toBe('specialSchemeId');
  });
});

describe('urban figures from the cases', () => {
  it('counts 误签 and 主动发现 from the raw cases into the special scheme only', async () => {
    const cat = await buildCaseCategory(env, { name: '井盖缺失', timeLimitDays: 3 });
    await q(`UPDATE case_categories SET urban_class = 'component', urban_code = '0101' WHERE id = $1`, [cat]);
    const made: number[] = [];
    // S1's grid workers find 3 problems, S2's 1; each dispatched to the street itself.
    for (const [found, n] of [
      [U.S1, 3],
      [U.S2, 1],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const r = await agent.post('/api/cases', {
          channel: 'grid',
          type: 'report',
          categoryId: cat,
          description: `网格员巡查发现井盖缺失 ${i}`,
          address: '中关村大街',
          foundByUnitId: found,
          dispatch: { leadUnitId: found },
        });
        expect(r.statusCode, r.body).toBe(201);
        made.push(r.json().id ?? r.json().case?.id);
      }
    }
    // A hotline case cannot name a finder.
    const bad = await agent.post('/api/cases', {
      channel: 'hotline',
      type: 'report',
      categoryId: cat,
      description: '热线反映井盖缺失',
      foundByUnitId: U.S1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('foundByUnitId');
    // Two 误签 against S1, one 误结 against S2 (recorded by the supervision centre).
    const ids = (await q<{ id: number; lead_unit_id: number }>(
      `SELECT id, lead_unit_id FROM cases WHERE channel = 'grid' ORDER BY id`,
      [],
    )) as { id: number; lead_unit_id: number }[];
    const s1Cases = ids.filter((c) => c.lead_unit_id === U.S1);
    const s2Case = ids.find((c) => c.lead_unit_id === U.S2)!;
    for (const c of s1Cases.slice(0, 2)) {
      const m = await supervisor.post(`/api/cases/${c.id}/marks`, { unitId: U.S1, kind: 'mis_sign', note: '非本辖区' });
      expect(m.statusCode, m.body).toBe(201);
    }
    expect(
      (await supervisor.post(`/api/cases/${s2Case.id}/marks`, { unitId: U.S2, kind: 'mis_close' })).statusCode,
    ).toBe(201);
    // Against a unit that never held the case: 400 on unitId; a reporter may not record at all.
    const wrong = await supervisor.post(`/api/cases/${s2Case.id}/marks`, { unitId: U.S1, kind: 'mis_sign' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('unitId');
    expect(
      (await reporterS1.post(`/api/cases/${s2Case.id}/marks`, { unitId: U.S2, kind: 'mis_sign' })).statusCode,
    ).toBe(403);
    expect(
      (await supervisor.post(`/api/cases/${s2Case.id}/marks`, { unitId: U.S2, kind: 'lost' })).json().error.field,
    ).toBe('kind');

    // The records belong to the first half-year (the clock of the test machine may be later).
    await q(`UPDATE cases SET created_at = '2026-03-16T02:00:00Z' WHERE channel = 'grid'`, []);
    await q(`UPDATE case_marks SET recorded_at = '2026-04-10T02:00:00Z'`, []);
    await syncUrbanInputs(env.database.db, SYSTEM_ACTOR, { now: new Date('2026-12-31T00:00:00Z') });
    // The counts the inputs carry equal a count from the raw rows.
    const raw = async (sql: string, unitId: number) =>
      Number(((await q<{ n: number }>(sql, [unitId])) as { n: number }[])[0].n);
    const inputSum = async (indicatorId: number, unitId: number) =>
      Number(
        (
          (await q<{ s: number }>(
            `SELECT coalesce(sum(value), 0)::float8 AS s FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period LIKE '2026-%'`,
            [indicatorId, unitId],
          )) as { s: number }[]
        )[0].s,
      );
    for (const u of [U.S1, U.S2]) {
      const grid = await raw(
        `SELECT count(*)::int AS n FROM cases WHERE channel = 'grid' AND found_by_unit_id = $1`,
        u,
      );
      const mis = await raw(`SELECT count(*)::int AS n FROM case_marks WHERE kind = 'mis_sign' AND unit_id = $1`, u);
      expect(await inputSum(S.IN2, u)).toBe(grid);
      expect(await inputSum(S.X1, u)).toBe(mis);
    }
    expect(await inputSum(S.IN2, U.S1)).toBe(3);
    expect(await inputSum(S.X1, U.S1)).toBe(2);
    // The annual scheme's X1 is untouched by the special scheme's inputs.
    const annualX1 = (await q(`SELECT source, value FROM score_inputs WHERE indicator_id = $1 ORDER BY unit_id`, [
      A.X1,
    ])) as { source: string }[];
    expect(annualX1.map((r) => r.source)).toEqual(['manual', 'manual']);
  });
});

describe('spot checks (不定期抽查)', () => {
  it('lets the assessing body record one; others are refused; bad input names the field', async () => {
    const setup = await assessor.get(`/api/schemes/${urban}/spot-check-setup`);
    expect(setup.statusCode, setup.body).toBe(200);
    expect(setup.json().leaves.map((l: { id: number }) => l.id)).toEqual([S.EX1]);
    expect(
      setup
        .json()
        .units.map((u: { id: number }) => u.id)
        .sort(),
    ).toEqual([U.S1, U.S2].sort());
    const body = {
      schemeId: urban,
      indicatorId: S.EX1,
      unitId: U.S1,
      checkedOn: '2026-05-12',
      location: '中关村大街 12 号',
      findings: '垃圾桶满溢未及时清运',
      score: 70,
    };
    const r1 = await assessor.post('/api/spot-checks', body);
    expect(r1.statusCode, r1.body).toBe(201);
    const r2 = await assessor.post('/api/spot-checks', { ...body, checkedOn: '2026-05-20', score: 90 });
    expect(r2.statusCode).toBe(201);
    expect((await assessor.post('/api/spot-checks', { ...body, unitId: U.S2, score: 100 })).statusCode).toBe(201);
    // The month's input is the average of the month's checks.
    const [inp] = (await q(
      `SELECT value::float8 AS v, source FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2`,
      [S.EX1, U.S1],
    )) as { v: number; source: string }[];
    expect(inp).toEqual({ v: 80, source: 'third_party' });

    expect((await otherAssessor.post('/api/spot-checks', body)).statusCode).toBe(403);
    expect((await reporterS1.post('/api/spot-checks', body)).statusCode).toBe(403);
    for (const [patch, field] of [
      [{ score: 101 }, 'score'],
      [{ checkedOn: '2026-02-30' }, 'checkedOn'],
      [{ checkedOn: '2025-05-01' }, 'checkedOn'],
      [{ findings: '  ' }, 'findings'],
      [{ indicatorId: S.X1 }, 'indicatorId'],
      [{ unitId: U.J }, 'unitId'],
      [{ schemeId: 999999 }, 'schemeId'],
    ] as const) {
      const res = await assessor.post('/api/spot-checks', { ...body, ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    // A street sees its own checks only.
    const own = (await reporterS1.get(`/api/spot-checks?schemeId=${urban}`)).json() as { unitId: number }[];
    expect(own.length).toBe(2);
    expect(own.every((c) => c.unitId === U.S1)).toBe(true);
    const s2check = (await assessor.get(`/api/spot-checks?schemeId=${urban}&unitId=${U.S2}`)).json()[0].id as number;
    expect((await reporterS1.get(`/api/spot-checks/${s2check}`)).statusCode).toBe(404);
  });
});

describe('publication and the annual leaf (纳入年度考核)', () => {
  it('scores and publishes each scheme on its own; the annual leaf equals the special result by its mapping', async () => {
    const sTable = (await office.get(`/api/scores?yearId=${urban}&period=2026-H1`)).json();
    expect(sTable.year.id).toBe(urban);
    expect(sTable.grades).toEqual(['A', 'B', 'C', 'D']);
    const s1 = totalOf(sTable, U.S1);
    // S1: 误签 2 → 30 − 10 = 20; 主动发现 3 of 4 → 22.5; 抽查 avg 80 → 32 ⇒ 74.5 (C).
    expect(s1.total).toBeCloseTo(74.5, 6);
    expect(s1.grade).toBe('C');
    // Before the special result is published the annual leaf has no value: the annual total is X1 only.
    const before = totalOf((await office.get(`/api/scores?yearId=${annual}&period=2026`)).json(), U.S1);

    const pub = await office.post('/api/scores/publications', { yearId: urban, period: '2026-H1', note: '上半年' });
    expect(pub.statusCode, pub.body).toBe(201);
    // Publications are per scheme.
    const pubs = (await office.get(`/api/scores/publications?yearId=${annual}`)).json() as unknown[];
    expect(pubs.length).toBe(0);
    const [taken] = (await q(
      `SELECT value::float8 AS v, period, source, source_ref FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2`,
      [A.UM, U.S1],
    )) as { v: number; period: string; source: string; source_ref: string }[];
    expect(taken).toEqual({
      v: s1.total,
      period: '2026-06',
      source: 'special_assessment',
      source_ref: `publication:${pub.json().id}`,
    });

    const after = totalOf((await office.get(`/api/scores?yearId=${annual}&period=2026`)).json(), U.S1);
    // Linear: 40 × 74.5 / 100 = 29.8 added to the annual total.
    expect(after.total - before.total).toBeCloseTo((40 * s1.total) / 100, 6);

    // The annual leaf's explanation reaches the special scheme's own leaves.
    const ex = await office.get(`/api/scores/explain?yearId=${annual}&unitId=${U.S1}&indicatorId=${A.UM}&period=2026`);
    expect(ex.statusCode, ex.body).toBe(200);
    const special = ex.json().special;
    expect(special.schemeId).toBe(urban);
    expect(special.publicationId).toBe(pub.json().id);
    expect(special.total).toBeCloseTo(s1.total, 9);
    expect(special.grade).toBe('C');
    expect(special.mapping).toBe('linear');
    const leaves = Object.fromEntries(
      (special.tree as { code: string; score: number | null; isLeaf: boolean }[])
        .filter((n) => n.isLeaf)
        .map((n) => [n.code, n.score]),
    );
    expect(leaves.X1).toBeCloseTo(20, 9);
    expect(leaves.IN2).toBeCloseTo(22.5, 9);
    expect(leaves.EX1).toBeCloseTo(32, 9);

    // Scope: a street user opens their own explanation, not the other street's.
    expect(
      (await reporterS1.get(`/api/scores/explain?yearId=${annual}&unitId=${U.S2}&indicatorId=${A.UM}&period=2026`))
        .statusCode,
    ).toBe(404);
  });

  it('maps by grade when the taking-in leaf is qualitative', async () => {
    // A second special scheme taken in by grade (A 1, B 0.9, C 0.75, D 0.5 of 20 points) in a 2027 pair.
    const y = (await office.post('/api/years', { year: 2027 })).json().id as number;
    const sp = (
      await office.post('/api/schemes', {
        year: 2027,
        code: 'urban',
        name: '2027年城市管理',
        periods: 'half',
        gradeRule: {
          by: 'threshold',
          grades: [
            { label: 'A', threshold: 90 },
            { label: 'B', threshold: 80 },
            { label: 'C', threshold: 60 },
            { label: 'D', threshold: 0 },
          ],
        },
      })
    ).json().id as number;
    const a: Record<string, number> = {};
    const s: Record<string, number> = {};
    await mk(sp, s, {
      code: 'E1',
      name: '抽查',
      points: 100,
      dataSource: 'third_party',
      aggregate: 'avg',
      method: { kind: 'benchmark', baseline: 0, benchmark: 100 },
    });
    await mk(y, a, {
      code: 'UG',
      name: '城市管理等次',
      points: 20,
      dataSource: 'special_assessment',
      specialSchemeId: sp,
      aggregate: 'last',
      method: {
        kind: 'qualitative',
        grades: [
          { label: 'A', share: 1 },
          { label: 'B', share: 0.9 },
          { label: 'C', share: 0.75 },
          { label: 'D', share: 0.5 },
        ],
      },
    });
    await mk(y, a, {
      code: 'Z',
      name: '其他',
      points: 80,
      dataSource: 'third_party',
      aggregate: 'last',
      method: { kind: 'benchmark', baseline: 0, benchmark: 100 },
    });
    for (const id of [y, sp]) expect((await office.post(`/api/years/${id}/activate`)).statusCode).toBe(200);
    for (const [u, v] of [
      [U.S1, 85],
      [U.S2, 95],
    ] as const) {
      const r = await office.post('/api/scores/inputs', {
        yearId: sp,
        indicatorId: s.E1,
        unitId: u,
        period: '2027-02',
        value: v,
        reason: '抽查',
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    expect(
      (await office.post('/api/scores/publications', { yearId: sp, period: '2027-H1', note: '' })).statusCode,
    ).toBe(201);
    const rows = (await q(
      `SELECT unit_id, value::float8 AS v FROM score_inputs WHERE indicator_id = $1 ORDER BY unit_id`,
      [a.UG],
    )) as { unit_id: number; v: number }[];
    // B → index 1, A → index 0.
    expect(rows.map((r) => [r.unit_id, r.v])).toEqual([
      [U.S1, 1],
      [U.S2, 0],
    ]);
    const t = (await office.get(`/api/scores?yearId=${y}&period=2027-06`)).json();
    const ug = (
      await office.get(`/api/scores/explain?yearId=${y}&unitId=${U.S1}&indicatorId=${a.UG}&period=2027-06`)
    ).json();
    expect(ug.score).toBeCloseTo(18, 9);
    expect(ug.special.mapping).toBe('grade');
    expect(ug.special.grade).toBe('B');
    expect(totalOf(t, U.S2).total).toBeGreaterThan(0);
  });
});

describe('Excel exports of the special-assessment pages', () => {
  it('the spot checks: exactly the rows the list shows, a street only its own', async () => {
    const list = (await office.get(`/api/spot-checks?schemeId=${urban}`)).json() as {
      unitName: string;
      score: number;
    }[];
    const all = await office.get(`/api/spot-checks/export?schemeId=${urban}`);
    expect(all.statusCode, all.body).toBe(200);
    const sheet = await readTable(all.rawPayload);
    expect(sheet.headers.slice(0, 2)).toEqual(['抽查日期', '被查单位']);
    expect(sheet.rows.map((r) => [r[1], r[5]])).toEqual(list.map((c) => [c.unitName, c.score]));
    const own = await readTable((await reporterS1.get(`/api/spot-checks/export?schemeId=${urban}`)).rawPayload);
    expect(own.rows.length).toBe(2);
    expect(own.rows.every((r) => r[1] === '甲街道')).toBe(true);
  });

  it('a period’s results: every unit with its total and grade, the grade counts in the title', async () => {
    const page = (await office.get(`/api/scores?yearId=${urban}&period=2026-H1&published=1`)).json() as {
      rows: { unitName: string; total: number; grade: string | null }[];
    };
    const res = await office.get(`/api/schemes/${urban}/results/export?period=2026-H1&published=1`);
    expect(res.statusCode, res.body).toBe(200);
    const sheet = await readTable(res.rawPayload);
    expect(sheet.title).toContain('已发布');
    const byName = new Map(sheet.rows.map((r) => [r[1], r]));
    expect(byName.size).toBe(page.rows.length);
    for (const r of page.rows) {
      const row = byName.get(r.unitName)!;
      expect(row[row.length - 2]).toBeCloseTo(r.total, 6);
      expect(row[row.length - 1]).toBe(r.grade);
    }
    for (const g of ['A', 'B', 'C', 'D'])
      expect(sheet.title).toContain(`${g} ${page.rows.filter((r) => r.grade === g).length}`);
    expect((await office.get(`/api/schemes/${urban}/results/export?period=2026-13`)).statusCode).toBe(400);
  });
});
