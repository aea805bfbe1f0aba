import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';

let env: TestEnv;
let office: Client;
let reporter: Client;
beforeAll(async () => {
  env = await createTestEnv();
  office = await env.userClient({ roles: ['office'] });
  reporter = await env.userClient({ roles: ['reporter'] });
});
afterAll(async () => env?.close());

const ratio = { kind: 'ratio', cap: 1, floor: 0 };

async function createYear(year: number): Promise<number> {
  const res = await office.post('/api/years', { year });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

async function addIndicator(yearId: number, body: Record<string, unknown>) {
  const res = await office.post(`/api/years/${yearId}/indicators`, body);
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json() as { id: number; level: number; code: string; parentId: number | null; method: unknown };
}

describe('assessment years', () => {
  it('needs a login to read and the office permission to write', async () => {
    expect((await env.anon.get('/api/years')).statusCode).toBe(401);
    expect((await env.anon.post('/api/years', { year: 2031 })).statusCode).toBe(401);
    expect((await reporter.get('/api/years')).statusCode).toBe(200);
    expect((await reporter.post('/api/years', { year: 2031 })).statusCode).toBe(403);
    expect(await env.database.query('SELECT 1 FROM assessment_years WHERE year = 2031')).toHaveLength(0);
  });

  it('creates a draft year with the default grade rule and refuses a duplicate or a bad rule', async () => {
    const res = await office.post('/api/years', { year: 2030 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ year: 2030, name: '2030年度绩效考核', status: 'draft', deadlineDay: 15 });
    expect(res.json().gradeRule.grades.map((g: { label: string }) => g.label)).toEqual([
      '优秀',
      '良好',
      '达标',
      '基本达标',
      '不达标',
    ]);
    const dup = await office.post('/api/years', { year: 2030 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'DUPLICATE', field: 'year' });
    const badRule = await office.post('/api/years', {
      year: 2032,
      gradeRule: {
        by: 'threshold',
        grades: [
          { label: '优秀', threshold: 80 },
          { label: '良好', threshold: 90 },
        ],
      },
    });
    expect(badRule.statusCode).toBe(400);
    expect(badRule.json().error.field).toBe('gradeRule.grades.1.threshold');
    const badDay = await office.patch(`/api/years/${res.json().id}`, { deadlineDay: 31 });
    expect(badDay.statusCode).toBe(400);
    expect(badDay.json().error.field).toBe('deadlineDay');
  });

  it('goes draft → in force (only when points add up and leaves have methods) → closed, and copies forward', async () => {
    const yearId = await createYear(2040);
    const a = await addIndicator(yearId, { code: 'A', name: '履职效率', points: 60 });
    const a1 = await addIndicator(yearId, {
      code: 'A1',
      name: '职责任务',
      points: 40,
      parentId: a.id,
      method: ratio,
      unitOfMeasure: '%',
    });
    const a2 = await addIndicator(yearId, {
      code: 'A2',
      name: '依法行政',
      points: 8,
      parentId: a.id,
      method: { kind: 'deduction', perOccurrence: 1, maxTotal: 8 },
    });
    expect(a1.level).toBe(2);

    // 40 + 8 ≠ 60: refused, naming the first offending node; the year stays a draft.
    const refused = await office.post(`/api/years/${yearId}/activate`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'INVALID_STATE', field: 'indicators.A.points' });
    expect(refused.json().error.message).toContain('A 履职效率');
    expect(
      (await env.database.query<{ status: string }>('SELECT status FROM assessment_years WHERE id = $1', [yearId]))[0]
        .status,
    ).toBe('draft');
    const check = (await office.get(`/api/years/${yearId}/check`)).json();
    expect(check.ok).toBe(false);
    expect(check.problems[0]).toMatchObject({ code: 'A', field: 'points' });

    // A leaf without a method also keeps it out of force.
    const a3 = await addIndicator(yearId, { code: 'A3', name: '能力建设', points: 12, parentId: a.id });
    expect((await office.post(`/api/years/${yearId}/activate`)).json().error.field).toBe('indicators.A3.method');
    expect(
      (
        await office.patch(`/api/indicators/${a3.id}`, {
          method: {
            kind: 'qualitative',
            grades: [
              { label: '好', share: 1 },
              { label: '差', share: 0.6 },
            ],
          },
        })
      ).statusCode,
    ).toBe(200);

    const ok = await office.post(`/api/years/${yearId}/activate`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'in_force', indicatorCount: 4, leafCount: 3 });
    expect((await office.get('/api/years')).json().find((y: { id: number }) => y.id === yearId).status).toBe(
      'in_force',
    );

    // In force: wording may change, the structure and scoring may not.
    expect(
      (await office.patch(`/api/indicators/${a1.id}`, { name: '职责任务完成情况', description: '三定职责' }))
        .statusCode,
    ).toBe(200);
    const pts = await office.patch(`/api/indicators/${a1.id}`, { points: 45 });
    expect(pts.statusCode).toBe(409);
    expect(pts.json().error).toMatchObject({ code: 'INVALID_STATE', field: 'points' });
    expect(
      (await office.patch(`/api/indicators/${a2.id}`, { method: { kind: 'deduction', perOccurrence: 2, maxTotal: 8 } }))
        .statusCode,
    ).toBe(409);
    expect(
      (await office.post(`/api/years/${yearId}/indicators`, { code: 'A4', name: '新增', points: 1, parentId: a.id }))
        .statusCode,
    ).toBe(409);
    expect((await office.delete(`/api/indicators/${a2.id}`)).statusCode).toBe(409);
    expect(
      (await env.database.query<{ points: string }>('SELECT points FROM indicators WHERE id = $1', [a1.id]))[0].points,
    ).toMatch(/^40(\.0+)?$/);
    expect((await office.post(`/api/years/${yearId}/activate`)).statusCode).toBe(409);

    // Copy forward: a new draft year with the same codes, new ids and parent links remapped.
    const copy = await office.post(`/api/years/${yearId}/copy`, { year: 2041 });
    expect(copy.statusCode).toBe(201);
    expect(copy.json()).toMatchObject({ year: 2041, status: 'draft', indicatorCount: 4, leafCount: 3 });
    const copied = (await office.get(`/api/years/${copy.json().id}/indicators`)).json() as {
      id: number;
      code: string;
      parentId: number | null;
      name: string;
      method: unknown;
    }[];
    expect(copied.map((n) => n.code).sort()).toEqual(['A', 'A1', 'A2', 'A3']);
    const cA = copied.find((n) => n.code === 'A')!;
    expect(cA.id).not.toBe(a.id);
    expect(copied.filter((n) => n.parentId === cA.id)).toHaveLength(3);
    expect(copied.find((n) => n.code === 'A1')).toMatchObject({ name: '职责任务完成情况', method: ratio });
    expect((await office.post(`/api/years/${yearId}/copy`, { year: 2041 })).json().error.field).toBe('year');
    // The copy is editable while the source stays frozen.
    expect(
      (await office.patch(`/api/indicators/${copied.find((n) => n.code === 'A1')!.id}`, { points: 30 })).statusCode,
    ).toBe(200);

    const closed = await office.post(`/api/years/${yearId}/close`);
    expect(closed.json().status).toBe('closed');
    const late = await office.patch(`/api/indicators/${a1.id}`, { name: '改名' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('IMMUTABLE');
    expect((await office.patch(`/api/years/${yearId}`, { name: 'x' })).json().error.code).toBe('IMMUTABLE');
    expect((await office.delete(`/api/years/${yearId}`)).statusCode).toBe(409);

    const audit = await env.database.query<{ action: string }>(
      `SELECT action FROM audit_entries WHERE entity_type = 'assessment_year' AND entity_id = $1 ORDER BY id`,
      [String(yearId)],
    );
    expect(audit.map((r) => r.action)).toEqual(['year.create', 'year.activate', 'year.close']);
  });
});

describe('indicator tree', () => {
  let yearId: number;
  beforeAll(async () => {
    yearId = await createYear(2050);
  });

  it('rejects anonymous and non-office writes', async () => {
    expect((await env.anon.get(`/api/years/${yearId}/indicators`)).statusCode).toBe(401);
    expect((await reporter.get(`/api/years/${yearId}/indicators`)).statusCode).toBe(200);
    expect(
      (await reporter.post(`/api/years/${yearId}/indicators`, { code: 'Z', name: 'z', points: 1 })).statusCode,
    ).toBe(403);
    expect((await office.get('/api/years/999999/indicators')).statusCode).toBe(404);
  });

  it('validates codes, methods and references, naming the field', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const res = await office.post(`/api/years/${yearId}/indicators`, {
        code: 'X1',
        name: '测试',
        points: 5,
        ...body,
      });
      expect(res.statusCode).toBe(400);
      return res.json().error.field as string;
    };
    expect(await bad({ method: { kind: 'ratio', cap: -1 } })).toBe('method.cap');
    expect(await bad({ method: { kind: 'magic' } })).toBe('method.kind');
    expect(await bad({ method: { kind: 'bands', bands: [] } })).toBe('method.bands');
    expect(await bad({ method: { kind: 'bands', on: 'value', bands: [{ min: 10, max: 5, points: 1 }] } })).toBe(
      'method.bands.0.max',
    );
    expect(await bad({ method: { kind: 'veto', effect: 'cap_grade', capGrade: '卓越' } })).toBe('method.capGrade');
    expect(await bad({ code: '1abc' })).toBe('code');
    const formula = await office.post(`/api/years/${yearId}/indicators`, {
      code: 'X1',
      name: '公式',
      points: 5,
      method: { kind: 'formula', expression: 'min(value / target, 1) * (points' },
    });
    expect(formula.statusCode).toBe(400);
    expect(formula.json().error.field).toBe('method.expression');
    expect(formula.json().error.message).toMatch(/第 \d+ 个字符处/);
    expect(await bad({ points: -1 })).toBe('points');
    expect(await bad({ dataSource: 'case_platform' })).toBe('caseMetric');
    expect(await bad({ dataSource: 'case_platform', caseMetric: 'nonsense' })).toBe('caseMetric');
    expect(await bad({ appliesTo: { categoryIds: [999999], unitIds: [] } })).toBe('appliesTo.categoryIds.0');
    expect(await bad({ assessingUnitId: 999999 })).toBe('assessingUnitId');
    expect(await bad({ parentId: 999999 })).toBe('parentId');
    expect(await env.database.query(`SELECT 1 FROM indicators WHERE year_id = $1`, [yearId])).toHaveLength(0);

    const good = await office.post(`/api/years/${yearId}/indicators`, {
      code: 'X0',
      name: '公式',
      points: 5,
      method: { kind: 'formula', expression: 'if(value >= target, points, max(0, points - (target - value) * 0.2))' },
    });
    expect(good.statusCode).toBe(201);
    const ok = await office.post(`/api/years/${yearId}/indicators`, {
      code: 'X1',
      name: '12345按时办结率',
      points: 5,
      dataSource: 'case_platform',
      caseMetric: 'onTimeRate',
      method: { kind: 'veto', effect: 'cap_grade', capGrade: '达标' },
    });
    expect(ok.statusCode).toBe(201);
    const dup = await office.post(`/api/years/${yearId}/indicators`, { code: 'X1', name: '重复', points: 1 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('code');
  });

  it('clears the method of a node that gets children, refuses a method on an inner node, moves without cycles', async () => {
    const b = await addIndicator(yearId, { code: 'B', name: '管理效能', points: 15, method: ratio });
    const b1 = await addIndicator(yearId, { code: 'B1', name: '依法行政', points: 8, parentId: b.id, method: ratio });
    const list = (await office.get(`/api/years/${yearId}/indicators`)).json() as {
      id: number;
      method: unknown;
      level: number;
    }[];
    expect(list.find((n) => n.id === b.id)!.method).toBeNull();
    const inner = await office.patch(`/api/indicators/${b.id}`, { method: ratio });
    expect(inner.statusCode).toBe(400);
    expect(inner.json().error.field).toBe('method');

    const b1a = await addIndicator(yearId, {
      code: 'B1a',
      name: '行政复议纠错',
      points: 8,
      parentId: b1.id,
      method: ratio,
    });
    expect(b1a.level).toBe(3);
    const cycle = await office.patch(`/api/indicators/${b.id}`, { parentId: b1a.id });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.field).toBe('parentId');
    const self = await office.patch(`/api/indicators/${b.id}`, { parentId: b.id });
    expect(self.json().error.field).toBe('parentId');

    // Moving B1 to the top lifts its subtree by one level.
    const moved = await office.patch(`/api/indicators/${b1.id}`, { parentId: null });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().level).toBe(1);
    const after = (await office.get(`/api/years/${yearId}/indicators`)).json() as { id: number; level: number }[];
    expect(after.find((n) => n.id === b1a.id)!.level).toBe(2);

    // Deleting a node takes its subtree with it.
    expect((await office.delete(`/api/indicators/${b1.id}`)).statusCode).toBe(204);
    expect(await env.database.query('SELECT 1 FROM indicators WHERE id IN ($1, $2)', [b1.id, b1a.id])).toHaveLength(0);
  });

  it('shares a node’s points among its children by weight (AHP), summing exactly', async () => {
    const c = await addIndicator(yearId, { code: 'C', name: '服务效果', points: 10 });
    const kids = [];
    for (const code of ['C1', 'C2', 'C3'])
      kids.push(await addIndicator(yearId, { code, name: code, points: 1, parentId: c.id, method: ratio }));
    const partial = await office.put(`/api/indicators/${c.id}/weights`, { weights: [{ id: kids[0].id, weight: 1 }] });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().error.field).toBe('weights');
    const res = await office.put(`/api/indicators/${c.id}/weights`, {
      weights: kids.map((k) => ({ id: k.id, weight: 1 })),
    });
    expect(res.statusCode).toBe(200);
    const pts = (res.json() as { points: number; weight: number }[]).map((k) => k.points);
    expect(pts).toEqual([3.34, 3.33, 3.33]);
    expect((res.json() as { weight: number }[])[0].weight).toBeCloseTo(1 / 3, 5);
  });
});
