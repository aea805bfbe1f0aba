import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { approvedTargets, getYearByYear, getYearInForce, leavesFor, listIndicators } from './performance.service.js';

let env: TestEnv;
let office: Client;
let reporterA: Client;
let leaderA: Client;
let reporterB: Client;
let unitA: number;
let unitB: number;
let unitX: number;
let yearId: number;
const ids: Record<string, number> = {};

const targetOf = async (unitId: number, indicatorId: number) =>
  (
    await env.database.query<{ target: string }>(
      'SELECT t.target::text AS target FROM plan_targets t JOIN performance_plans p ON p.id = t.plan_id WHERE p.unit_id = $1 AND t.indicator_id = $2',
      [unitId, indicatorId],
    )
  )[0]?.target;

beforeAll(async () => {
  env = await createTestEnv();
  const cat = await env.buildCategory({ name: '面向群众' });
  const streets = await env.buildCategory({ name: '街道' });
  unitA = await env.buildUnit({ name: '测试城管局', code: 'TCGJ', categoryId: cat });
  unitB = await env.buildUnit({ name: '测试民政局', code: 'TMZJ', categoryId: cat });
  unitX = await env.buildUnit({ name: '测试社区', code: 'TSQ', kind: 'community', categoryId: null });
  office = await env.userClient({ roles: ['office'] });
  reporterA = await env.userClient({ roles: ['reporter'], unitId: unitA });
  leaderA = await env.userClient({ roles: ['unit_leader'], unitId: unitA });
  reporterB = await env.userClient({ roles: ['reporter'], unitId: unitB });

  yearId = (await office.post('/api/years', { year: 2060 })).json().id;
  const add = async (code: string, body: Record<string, unknown>) => {
    const res = await office.post(`/api/years/${yearId}/indicators`, { code, name: code, ...body });
    if (res.statusCode !== 201) throw new Error(res.body);
    ids[code] = res.json().id;
  };
  await add('R', { name: '履职效率', points: 100 });
  await add('L1', {
    name: '重点任务完成率',
    points: 60,
    parentId: ids.R,
    method: { kind: 'ratio', cap: 1.2, floor: 0 },
    unitOfMeasure: '%',
  });
  await add('L2', {
    name: '行政执法过错',
    points: 30,
    parentId: ids.R,
    method: { kind: 'deduction', perOccurrence: 2, maxTotal: 30 },
    direction: 'negative',
  });
  await add('L3', {
    name: '街道专项',
    points: 10,
    parentId: ids.R,
    method: { kind: 'ratio', cap: 1, floor: 0 },
    appliesTo: { categoryIds: [streets], unitIds: [] },
  });
  expect((await office.post(`/api/years/${yearId}/activate`)).statusCode).toBe(200);
});
afterAll(async () => env?.close());

describe('performance plans', () => {
  it('rejects anonymous callers', async () => {
    expect((await env.anon.get(`/api/years/${yearId}/plans`)).statusCode).toBe(401);
    expect((await env.anon.get(`/api/years/${yearId}/plans/${unitA}`)).statusCode).toBe(401);
    expect((await env.anon.put(`/api/years/${yearId}/plans/${unitA}`, { targets: [] })).statusCode).toBe(401);
    expect((await env.anon.get(`/api/years/${yearId}/plans/${unitA}/book.docx`)).statusCode).toBe(401);
  });

  it('lists the leaves that apply to the unit, as an implicit draft', async () => {
    const res = await reporterA.get(`/api/years/${yearId}/plans/${unitA}`);
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    expect(plan).toMatchObject({ id: null, status: 'draft', unitName: '测试城管局', leafCount: 2, missingTargets: 1 });
    expect(plan.items.map((i: { code: string }) => i.code)).toEqual(['L1', 'L2']);
    expect(plan.items[0]).toMatchObject({ needsTarget: true, path: ['履职效率'], unitOfMeasure: '%' });
    expect(plan.items[1].needsTarget).toBe(false);
  });

  it('keeps unit users to their own unit: 404 on another unit’s plan, whose targets stay unchanged', async () => {
    expect(
      (await reporterB.put(`/api/years/${yearId}/plans/${unitB}`, { targets: [{ indicatorId: ids.L1, target: 80 }] }))
        .statusCode,
    ).toBe(200);
    const get = await reporterA.get(`/api/years/${yearId}/plans/${unitB}`);
    expect(get.statusCode).toBe(404);
    expect(get.json().error.code).toBe('NOT_FOUND');
    const put = await reporterA.put(`/api/years/${yearId}/plans/${unitB}`, {
      targets: [{ indicatorId: ids.L1, target: 1 }],
    });
    expect(put.statusCode).toBe(404);
    expect(await targetOf(unitB, ids.L1)).toMatch(/^80(\.0+)?$/);
    expect((await reporterA.get(`/api/years/${yearId}/plans/${unitB}/book.docx`)).statusCode).toBe(404);
    const mine = (await reporterA.get(`/api/years/${yearId}/plans`)).json() as { unitId: number }[];
    expect(mine.map((p) => p.unitId)).toEqual([unitA]);
    const all = (await office.get(`/api/years/${yearId}/plans`)).json() as { unitId: number }[];
    expect(all.map((p) => p.unitId).sort()).toEqual([unitA, unitB].sort());
    expect(all.map((p) => p.unitId)).not.toContain(unitX);
  });

  it('validates targets, naming the field', async () => {
    const bad = async (targets: unknown[]) => {
      const res = await reporterA.put(`/api/years/${yearId}/plans/${unitA}`, { targets });
      expect(res.statusCode).toBe(400);
      return res.json().error.field as string;
    };
    expect(await bad([{ indicatorId: ids.L3, target: 1 }])).toBe('targets.0.indicatorId');
    expect(await bad([{ indicatorId: ids.R, target: 1 }])).toBe('targets.0.indicatorId');
    expect(await bad([{ indicatorId: ids.L1, target: 'many' }])).toBe('targets.0.target');
    expect(await bad([{ indicatorId: ids.L1, target: 95, challenge: 90 }])).toBe('targets.0.challenge');
    expect(await bad([{ indicatorId: ids.L2, target: 2, challenge: 3 }])).toBe('targets.0.challenge'); // negative: challenge ≤ target
    expect(
      await bad([
        { indicatorId: ids.L1, target: 1 },
        { indicatorId: ids.L1, target: 2 },
      ]),
    ).toBe('targets.1.indicatorId');
    expect(await env.database.query('SELECT 1 FROM performance_plans WHERE unit_id = $1', [unitA])).toHaveLength(0);
  });

  it('runs draft → submit → return → resubmit → approve, then locks; adjustments change targets with history', async () => {
    const url = `/api/years/${yearId}/plans/${unitA}`;
    expect((await reporterA.put(url, { targets: [{ indicatorId: ids.L2, target: 0 }] })).statusCode).toBe(200);
    expect((await reporterA.post(`${url}/submit`)).statusCode).toBe(403); // reporters fill, leaders submit
    const missing = await leaderA.post(`${url}/submit`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe(`targets.${ids.L1}`);

    const saved = await reporterA.put(url, {
      targets: [
        { indicatorId: ids.L1, target: 95, challenge: 98, note: '年度重点任务' },
        { indicatorId: ids.L2, target: 0 },
      ],
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ status: 'draft', targetCount: 2, missingTargets: 0 });
    const submitted = await leaderA.post(`${url}/submit`);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().status).toBe('submitted');
    const whileReview = await reporterA.put(url, { targets: [{ indicatorId: ids.L1, target: 90 }] });
    expect(whileReview.statusCode).toBe(409);
    expect(whileReview.json().error.code).toBe('INVALID_STATE');
    expect((await reporterA.post(`${url}/approve`, {})).statusCode).toBe(403);

    const noComment = await office.post(`${url}/return`, {});
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json().error.field).toBe('comment');
    const returned = await office.post(`${url}/return`, { comment: '目标值偏低，请按上年实绩上调' });
    expect(returned.json()).toMatchObject({ status: 'returned', reviewComment: '目标值偏低，请按上年实绩上调' });

    expect(
      (
        await reporterA.put(url, {
          targets: [
            { indicatorId: ids.L1, target: 97, challenge: 99 },
            { indicatorId: ids.L2, target: 0 },
          ],
        })
      ).statusCode,
    ).toBe(200);
    expect((await leaderA.post(`${url}/submit`)).json().status).toBe('submitted');
    const approved = await office.post(`${url}/approve`, { comment: '同意' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().status).toBe('approved');
    expect((await office.post(`${url}/approve`, {})).statusCode).toBe(409);

    // Locked: direct edits are refused and the stored value does not move.
    const locked = await reporterA.put(url, { targets: [{ indicatorId: ids.L1, target: 50 }] });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error.code).toBe('IMMUTABLE');
    expect(await targetOf(unitA, ids.L1)).toMatch(/^97(\.0+)?$/);
    expect((await leaderA.post(`${url}/submit`)).statusCode).toBe(409);

    // Adjustment: needs a reason, the office decides, the target changes and the request stays as history.
    const noReason = await reporterA.post(`${url}/adjustments`, { indicatorId: ids.L1, newTarget: 92 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    const blank = await reporterA.post(`${url}/adjustments`, { indicatorId: ids.L1, newTarget: 92, reason: '   ' });
    expect(blank.json().error.field).toBe('reason');
    expect(
      (await reporterB.post(`${url}/adjustments`, { indicatorId: ids.L1, newTarget: 1, reason: '外单位' })).statusCode,
    ).toBe(404);
    const req = await reporterA.post(`${url}/adjustments`, {
      indicatorId: ids.L1,
      newTarget: 92,
      newChallenge: 95,
      reason: '上级下达任务调整',
    });
    expect(req.statusCode).toBe(201);
    expect(req.json()).toMatchObject({
      status: 'requested',
      oldTarget: 97,
      newTarget: 92,
      oldChallenge: 99,
      newChallenge: 95,
    });
    const again = await reporterA.post(`${url}/adjustments`, {
      indicatorId: ids.L1,
      newTarget: 91,
      reason: '再次调整',
    });
    expect(again.statusCode).toBe(409);
    expect(await targetOf(unitA, ids.L1)).toMatch(/^97(\.0+)?$/);

    expect((await reporterA.post(`/api/adjustments/${req.json().id}/approve`, {})).statusCode).toBe(403);
    const pending = (await office.get(`/api/years/${yearId}/adjustments?status=requested`)).json() as { id: number }[];
    expect(pending.map((a) => a.id)).toEqual([req.json().id]);
    expect((await reporterB.get(`/api/years/${yearId}/adjustments`)).json()).toEqual([]);
    const decided = await office.post(`/api/adjustments/${req.json().id}/approve`, { comment: '同意调整' });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'approved', decisionComment: '同意调整' });
    expect(await targetOf(unitA, ids.L1)).toMatch(/^92(\.0+)?$/);
    expect((await office.post(`/api/adjustments/${req.json().id}/reject`, { comment: '晚了' })).statusCode).toBe(409);

    const plan = (await reporterA.get(url)).json();
    expect(plan.items[0]).toMatchObject({ target: 92, challenge: 95 });
    expect(plan.adjustments).toHaveLength(1);
    expect(plan.adjustments[0]).toMatchObject({
      oldTarget: 97,
      newTarget: 92,
      reason: '上级下达任务调整',
      status: 'approved',
    });

    const rejected = await reporterA.post(`${url}/adjustments`, {
      indicatorId: ids.L1,
      newTarget: 80,
      reason: '想再降一点',
    });
    expect((await office.post(`/api/adjustments/${rejected.json().id}/reject`, {})).json().error.field).toBe('comment');
    expect(
      (await office.post(`/api/adjustments/${rejected.json().id}/reject`, { comment: '理由不充分' })).json().status,
    ).toBe('rejected');
    expect(await targetOf(unitA, ids.L1)).toMatch(/^92(\.0+)?$/);

    const audit = await env.database.query<{ action: string }>(
      `SELECT action FROM audit_entries WHERE unit_id = $1 AND action NOT LIKE 'auth.%' ORDER BY id`,
      [unitA],
    );
    expect(audit.map((r) => r.action)).toEqual([
      'plan.targets',
      'plan.targets',
      'plan.submit',
      'plan.return',
      'plan.targets',
      'plan.submit',
      'plan.approve',
      'adjustment.request',
      'adjustment.approve',
      'plan.target_adjusted',
      'adjustment.request',
      'adjustment.reject',
    ]);
  });

  it('exposes the service functions other modules use', async () => {
    const db = env.database.db;
    expect((await getYearByYear(db, 2060))?.id).toBe(yearId);
    expect((await getYearInForce(db))?.id).toBe(yearId);
    const inds = await listIndicators(db, yearId);
    expect(leavesFor({ id: unitA, categoryId: 1 }, inds).length).toBeGreaterThan(0);
    const targets = await approvedTargets(db, yearId);
    expect(targets.get(unitA)?.get(ids.L1)).toEqual({ target: 92, challenge: 95 });
    expect(targets.has(unitB)).toBe(false); // B's plan is only a draft
  });

  it('exports the responsibility book as .docx for one unit and for the district', async () => {
    const res = await reporterA.get(`/api/years/${yearId}/plans/${unitA}/book.docx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(String(res.headers['content-disposition'])).toContain(
      `filename*=UTF-8''${encodeURIComponent('2060年度绩效管理责任书-测试城管局.docx')}`,
    );
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const xml = await (await JSZip.loadAsync(res.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('测试城管局');
    expect(xml).toContain('重点任务完成率');
    expect(xml).toContain('92 %');

    const district = await office.get(`/api/years/${yearId}/book.docx`);
    expect(district.statusCode).toBe(200);
    const dxml = await (await JSZip.loadAsync(district.rawPayload)).file('word/document.xml')!.async('string');
    expect(dxml).toContain('测试城管局');
    expect(dxml).not.toContain('测试民政局'); // not approved
  });
});
