// A full award round over HTTP on scores computed from inputs: candidates against hand-computed ranks →
// the office decides each with a reason → publish → a .docx certificate per awarded unit, an .xlsx list.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable } from '../../lib/xlsx-table.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { upsertScoreInputs } from '../inputs/index.js';

/*
 * One tree per year, every leaf 标杆值计分 baseline 0, benchmark 100 (score = points × value / 100):
 *   A 履职 60 → A1 60 | B 服务 40 → B1 20, B2 20.   Values (A1, B1, B2) and totals of 2025:
 *   C1 (5 units, top 30% = ceil 1.5 = 2): U1 (90,80,70) 84 · U2 (95,60,60) 81 · U3 (80,100,90) 86
 *                                          U4 (70,70,70) 70 · U5 (100,50,40) 78  → U3 1st, U1 2nd
 *   C2 (3 units, ceil 0.9 = 1):            U6 (85,90,95) 88 · U7 (88,85,90) 87.8 · U8 (60,95,100) 75 → U6
 *   2024 totals (every leaf the same value): U1 80, U2 70, U3 85, U4 50, U5 78, U6 90, U7 80, U8 70
 *   changes: U4 +20, U2 +11, U7 +7.8, U8 +5, U1 +4, U3 +1, U5 0, U6 −2 → 改进奖 (3): U4, U2, U7
 *   单项 on the leaf B1 (20 points): U3 100 → 20, then U8 95 → 19 → U3 alone.
 */
let env: TestEnv;
let office: Client;
let reporter: Client;
const U: Record<string, number> = {};
const leaf: Record<number, Record<string, number>> = {};

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
  const bench = { aggregate: 'last', unitOfMeasure: '%', method: { kind: 'benchmark', baseline: 0, benchmark: 100 } };
  await mk({ code: 'A', name: '履职效率', points: 60 });
  await mk({ parentId: made.A, code: 'A1', name: '重点任务完成率', points: 60, ...bench });
  await mk({ code: 'B', name: '服务效果', points: 40 });
  await mk({ parentId: made.B, code: 'B1', name: '群众满意率', points: 20, ...bench });
  await mk({ parentId: made.B, code: 'B2', name: '按时办结率', points: 20, ...bench });
  const act = await office.post(`/api/years/${yearId}/activate`);
  expect(act.statusCode, act.body).toBe(200);
  leaf[yearId] = made;
  return yearId;
}

async function writeInputs(yearId: number, period: string, values: Record<string, [number, number, number]>) {
  await env.database.db.transaction((tx) =>
    upsertScoreInputs(
      tx,
      Object.entries(values).flatMap(([unit, v]) =>
        (['A1', 'B1', 'B2'] as const).map((code, i) => ({
          yearId,
          indicatorId: leaf[yearId][code],
          unitId: U[unit],
          period,
          value: v[i],
          source: 'manual' as const,
          enteredBy: null,
          enteredByName: '绩效办',
        })),
      ),
    ),
  );
}

let y2025 = 0;
beforeAll(async () => {
  env = await createTestEnv();
  office = await env.userClient({ roles: ['office'] });
  reporter = await env.userClient({ roles: ['reporter'] });
  const c1 = await env.buildCategory({ code: 'C1', name: '经济发展类' });
  const c2 = await env.buildCategory({ code: 'C2', name: '社会管理类' });
  for (let i = 1; i <= 8; i++)
    U[`U${i}`] = await env.buildUnit({ code: `U${i}`, name: `单位${i}`, categoryId: i <= 5 ? c1 : c2 });
  const y2024 = await buildYear(2024);
  y2025 = await buildYear(2025);
  const same = (x: number): [number, number, number] => [x, x, x];
  await writeInputs(y2024, '2024-12', {
    U1: same(80),
    U2: same(70),
    U3: same(85),
    U4: same(50),
    U5: same(78),
    U6: same(90),
    U7: same(80),
    U8: same(70),
  });
  await writeInputs(y2025, '2025-12', {
    U1: [90, 80, 70],
    U2: [95, 60, 60],
    U3: [80, 100, 90],
    U4: [70, 70, 70],
    U5: [100, 50, 40],
    U6: [85, 90, 95],
    U7: [88, 85, 90],
    U8: [60, 95, 100],
  });
}, 120_000);
afterAll(async () => env?.close());

type Cand = { id: number; kind: string; unitId: number; rank: number; score: number; decision: string; basis: string };
const name = (id: number) => Object.entries(U).find(([, v]) => v === id)![0];

describe('a full award round over HTTP', () => {
  let roundId = 0;
  let cands: Cand[] = [];

  it('refuses a single-award indicator that is not a leaf or level-1 indicator of the year', async () => {
    const unknown = await office.post('/api/awards/rounds', { year: 2025, indicatorId: 999999 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toBe('indicatorId');
    // Last year's leaf is not this year's.
    const y2024 = Number(Object.keys(leaf).find((k) => Number(k) !== y2025));
    const r = await office.post('/api/awards/rounds', { year: 2025, indicatorId: leaf[y2024].B1 });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe('indicatorId');
  });

  it('computes the candidates: 先进 by category share, 改进奖 against 2024, 单项 on the leaf B1', async () => {
    expect((await reporter.post('/api/awards/rounds', { year: 2025 })).statusCode).toBe(403);
    const res = await office.post('/api/awards/rounds', {
      year: 2025,
      sharePercent: 30,
      indicatorId: leaf[y2025].B1,
      improvementCount: 3,
    });
    expect(res.statusCode, res.body).toBe(201);
    const round = res.json();
    roundId = round.id;
    expect(round.indicatorName).toBe('群众满意率');
    cands = round.candidates;
    const of = (kind: string) => cands.filter((c) => c.kind === kind).map((c) => [name(c.unitId), c.rank, c.score]);
    // (Listed by category in the database's collation; compared per unit.)
    expect(of('advanced').sort()).toEqual([
      ['U1', 2, 84],
      ['U3', 1, 86],
      ['U6', 1, 88],
    ]);
    expect(of('improvement').sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['U4', 1, 20],
      ['U2', 2, 11],
      ['U7', 3, 7.8],
    ]);
    expect(of('single')).toEqual([['U3', 1, 20]]);
    expect(cands.every((c) => c.decision === 'pending')).toBe(true);
  });

  it('publishes only when every candidate is decided with a reason; then it is frozen', async () => {
    const pending = await office.post(`/api/awards/rounds/${roundId}/publish`, {});
    expect(pending.statusCode).toBe(409);
    expect(pending.json().error.message).toContain('未确认');
    const short = await office.post(`/api/awards/candidates/${cands[0].id}/decide`, { award: true, reason: '好' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('reason');
    const held = cands.find((c) => c.kind === 'improvement' && name(c.unitId) === 'U7')!;
    for (const c of cands) {
      const award = c.id !== held.id;
      const r = await office.post(`/api/awards/candidates/${c.id}/decide`, {
        award,
        reason: award ? `${c.basis}，经绩效管理委员会审定` : '年内有整改建议书未销号，暂缓',
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    // A certificate before publication is refused.
    expect((await office.get(`/api/awards/candidates/${cands[0].id}/certificate`)).statusCode).toBe(409);
    const pub = await office.post(`/api/awards/rounds/${roundId}/publish`, {});
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().status).toBe('published');
    const again = await office.post(`/api/awards/candidates/${cands[0].id}/decide`, {
      award: false,
      reason: '改变主意',
    });
    expect(again.statusCode).toBe(409);
    const audit = await env.database.query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM audit_entries WHERE action LIKE 'award.%' GROUP BY 1 ORDER BY 1`,
    );
    expect(audit).toEqual([
      { action: 'award.decide', n: cands.length },
      { action: 'award.publish', n: 1 },
      { action: 'award.round.create', n: 1 },
    ]);
  });

  it('gives each awarded unit a .docx certificate naming it, none to the declined one, and an .xlsx list', async () => {
    const single = cands.find((c) => c.kind === 'single')!;
    const res = await office.get(`/api/awards/candidates/${single.id}/certificate`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    const zip = await JSZip.loadAsync(res.rawPayload);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('单位3');
    expect(xml).toContain('单项绩效奖');
    const held = cands.find((c) => c.kind === 'improvement' && name(c.unitId) === 'U7')!;
    expect((await office.get(`/api/awards/candidates/${held.id}/certificate`)).statusCode).toBe(409);
    const x = await office.get(`/api/awards/rounds/${roundId}/candidates.xlsx`);
    expect(x.statusCode).toBe(200);
    const t = await readTable(x.rawPayload);
    expect(t.title).toContain('2025年度评先评优');
    expect(t.rows).toHaveLength(cands.length);
    expect(t.rows.filter((r) => r[6] === '授予')).toHaveLength(cands.length - 1);
    expect(t.rows.find((r) => r[2] === '单位7' && r[0] === '绩效改进奖')?.[6]).toBe('不授予');
  });
});
