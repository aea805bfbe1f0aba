// An assessing body (考评主体) configures its own special scheme — tree, methods, units assessed,
// periods, grades — and nothing else: not the annual scheme, not another body's scheme, not who the
// assessing body is. The office keeps every right. A refused attempt leaves the data and the audit log as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';

let env: TestEnv;
let q: TestEnv['database']['query'];
let office: Client;
let assessorJ: Client; // 区监察局's assessor: urban is theirs
let reporterJ: Client; // same unit, no schemes.configure
let cat = 0;
let J = 0;
let K = 0;
let annual = 0;
let urban = 0;
let other = 0;
const ids: Record<string, number> = {};

async function node(c: Client, yearId: number, body: Record<string, unknown>) {
  return c.post(`/api/years/${yearId}/indicators`, body);
}
const leafBody = (code: string, parentId?: number) => ({
  ...(parentId ? { parentId } : {}),
  code,
  name: `指标${code}`,
  points: 50,
  dataSource: 'third_party',
  aggregate: 'avg',
  method: { kind: 'benchmark', baseline: 0, benchmark: 100 },
});

/** Everything a refused attempt could touch: the schemes' rows, their trees and the audit log's length. */
async function snapshot() {
  return {
    years: await q(`SELECT * FROM assessment_years ORDER BY id`),
    indicators: await q(`SELECT * FROM indicators ORDER BY id`),
    audit: (await q<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entries`))[0].n,
  };
}

beforeAll(async () => {
  env = await createTestEnv();
  q = env.database.query.bind(env.database);
  cat = await env.buildCategory({ name: '街道' });
  await env.buildUnit({ code: 'S1', name: '甲街道', categoryId: cat });
  J = await env.buildUnit({ code: 'JCJ', name: '区监察局' });
  K = await env.buildUnit({ code: 'CGZX', name: '城市管理监督指挥中心' });
  office = await env.userClient({ roles: ['office'] });
  assessorJ = await env.userClient({ roles: ['assessor'], unitId: J });
  reporterJ = await env.userClient({ roles: ['reporter'], unitId: J });
  annual = (await office.post('/api/years', { year: 2026 })).json().id;
  const scheme = async (code: string, assessingUnitId: number) => {
    const r = await office.post('/api/schemes', {
      year: 2026,
      code,
      name: `2026年${code}专项考核`,
      assessingUnitId,
      unitsAssessed: { categoryIds: [cat], unitIds: [] },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as number;
  };
  urban = await scheme('urban', J);
  other = await scheme('other', K);
  for (const [key, y] of [
    ['annual', annual],
    ['other', other],
  ] as const) {
    const root = await node(office, y, { code: 'R', name: '根', points: 100 });
    expect(root.statusCode, root.body).toBe(201);
    ids[`${key}Root`] = root.json().id;
    ids[`${key}Leaf`] = (await node(office, y, leafBody('L1', root.json().id))).json().id;
    ids[`${key}Leaf2`] = (await node(office, y, leafBody('L2', root.json().id))).json().id;
  }
});
afterAll(async () => env?.close());

describe('an assessing body configures its own special scheme', () => {
  it('edits the tree, methods, units assessed, periods and grades of its scheme, audited', async () => {
    const root = await node(assessorJ, urban, { code: 'NB', name: '内部评价', points: 100 });
    expect(root.statusCode, root.body).toBe(201);
    const a = await node(assessorJ, urban, leafBody('NB1', root.json().id));
    const b = await node(assessorJ, urban, leafBody('NB2', root.json().id));
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const m = await assessorJ.patch(`/api/indicators/${a.json().id}`, {
      method: { kind: 'deduction', perOccurrence: 1, maxTotal: 10 },
      direction: 'negative',
    });
    expect(m.statusCode, m.body).toBe(200);
    expect(m.json().method).toMatchObject({ kind: 'deduction', perOccurrence: 1 });
    const w = await assessorJ.put(`/api/indicators/${root.json().id}/weights`, {
      weights: [
        { id: a.json().id, weight: 40 },
        { id: b.json().id, weight: 60 },
      ],
    });
    expect(w.statusCode, w.body).toBe(200);
    const s = await assessorJ.patch(`/api/schemes/${urban}`, {
      periods: 'quarter',
      methods: '自查、抽查考核、会议考核',
      unitsAssessed: { categoryIds: [cat], unitIds: [K] },
    });
    expect(s.statusCode, s.body).toBe(200);
    expect(s.json()).toMatchObject({ periods: 'quarter', assessingUnitId: J });
    const g = await assessorJ.patch(`/api/years/${urban}`, {
      gradeRule: {
        by: 'threshold',
        grades: [
          { label: 'A', threshold: 90 },
          { label: 'B', threshold: 75 },
          { label: 'C', threshold: 60 },
          { label: 'D', threshold: 0 },
        ],
      },
    });
    expect(g.statusCode, g.body).toBe(200);
    expect(g.json().gradeRule.grades[1]).toEqual({ label: 'B', threshold: 75 });
    const del = await assessorJ.delete(`/api/indicators/${b.json().id}`);
    expect(del.statusCode, del.body).toBe(204);
    const [audit] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entries WHERE actor_id = $1 AND action IN ('indicator.create','indicator.update','indicator.delete','indicator.weights','scheme.update','year.update')`,
      [assessorJ.userId],
    );
    expect(audit.n).toBeGreaterThanOrEqual(7);
  });

  it('creates a scheme only with itself as the assessing body', async () => {
    const bad = await assessorJ.post('/api/schemes', {
      year: 2026,
      code: 'x1',
      name: '他人的专项',
      assessingUnitId: K,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('assessingUnitId');
    const ok = await assessorJ.post('/api/schemes', {
      year: 2026,
      code: 'x2',
      name: '效能监察考评',
      assessingUnitId: J,
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('cannot touch the annual scheme, another body’s scheme, or hand its own away; nothing changes', async () => {
    const before = await snapshot();
    const refused = [
      ['annual: add a node', () => node(assessorJ, annual, leafBody('X9', ids.annualRoot))],
      ['annual: edit a leaf', () => assessorJ.patch(`/api/indicators/${ids.annualLeaf}`, { name: '改' })],
      ['annual: delete a leaf', () => assessorJ.delete(`/api/indicators/${ids.annualLeaf}`)],
      [
        'annual: weights',
        () =>
          assessorJ.put(`/api/indicators/${ids.annualRoot}/weights`, {
            weights: [
              { id: ids.annualLeaf, weight: 10 },
              { id: ids.annualLeaf2, weight: 90 },
            ],
          }),
      ],
      ['annual: grades', () => assessorJ.patch(`/api/years/${annual}`, { name: '改名' })],
      ['annual: as a scheme', () => assessorJ.patch(`/api/schemes/${annual}`, { methods: '改' })],
      ['other: add a node', () => node(assessorJ, other, leafBody('X9', ids.otherRoot))],
      ['other: edit a leaf', () => assessorJ.patch(`/api/indicators/${ids.otherLeaf}`, { name: '改' })],
      ['other: delete a leaf', () => assessorJ.delete(`/api/indicators/${ids.otherLeaf}`)],
      ['other: settings', () => assessorJ.patch(`/api/schemes/${other}`, { periods: 'quarter' })],
      ['other: grades', () => assessorJ.patch(`/api/years/${other}`, { deadlineDay: 20 })],
      ['reporter of the body', () => reporterJ.patch(`/api/schemes/${urban}`, { methods: '改' })],
    ] as const;
    for (const [name, send] of refused) {
      const r = await send();
      expect([name, r.statusCode]).toEqual([name, 403]);
    }
    // Its own scheme, but not to another assessing body.
    const away = await assessorJ.patch(`/api/schemes/${urban}`, { assessingUnitId: K });
    expect(away.statusCode).toBe(400);
    expect(away.json().error.field).toBe('assessingUnitId');
    expect(await snapshot()).toEqual(before);
  });

  it('the office keeps full rights on every scheme', async () => {
    expect((await office.patch(`/api/schemes/${other}`, { periods: 'quarter' })).statusCode).toBe(200);
    expect((await office.patch(`/api/schemes/${urban}`, { assessingUnitId: K })).statusCode).toBe(200);
    expect((await office.patch(`/api/indicators/${ids.annualLeaf}`, { name: '年度指标' })).statusCode).toBe(200);
    // Handed to another body, the scheme is no longer the first body's to configure.
    expect((await assessorJ.patch(`/api/schemes/${urban}`, { methods: '改' })).statusCode).toBe(403);
  });
});
