import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { verifyChain } from '../audit/index.js';
import { onCaseEvent } from './cases.events.js';
import { buildCaseCategory, count, expect400, expectOk, intakeCase, multipart, PNG } from './cases.testkit.js';

let env: TestEnv;
let deptA: number; // lead department (城管)
let deptB: number; // assisting department
let deptC: number; // an unrelated department
let catParent: number;
let cat: number;
let agent: Client;
let handlerA: Client;
let handlerB: Client;
let handlerC: Client;
let supervisor: Client;
let office: Client;
let leaderA: Client;
let leaderC: Client;
let reporter: Client;

beforeAll(async () => {
  env = await createTestEnv();
  deptA = await env.buildUnit({ name: '城管局' });
  deptB = await env.buildUnit({ name: '交通局' });
  deptC = await env.buildUnit({ name: '人社局' });
  catParent = await buildCaseCategory(env, { name: '市容环卫', defaultUnitId: deptA });
  cat = await buildCaseCategory(env, { name: '占道经营', parentId: catParent, timeLimitDays: 5, signHours: 4 });
  agent = await env.userClient({ roles: ['agent'] });
  handlerA = await env.userClient({ roles: ['handler'], unitId: deptA });
  handlerB = await env.userClient({ roles: ['handler'], unitId: deptB });
  handlerC = await env.userClient({ roles: ['handler'], unitId: deptC });
  supervisor = await env.userClient({ roles: ['supervisor'] });
  office = await env.userClient({ roles: ['office'] });
  leaderA = await env.userClient({ roles: ['unit_leader'], unitId: deptA });
  leaderC = await env.userClient({ roles: ['unit_leader'], unitId: deptC });
  reporter = await env.userClient({ roles: ['reporter'], unitId: deptA });
});
afterAll(async () => env?.close());

const detail = async (c: Client, id: number) =>
  expectOk(await c.get(`/api/cases/${id}`)) as unknown as {
    status: string;
    requester: { name: string; phone: string; masked: boolean };
    dispatches: {
      id: number;
      unitId: number;
      role: string;
      status: string;
      round: number;
      extensionCount: number;
      deadlineDate: string;
      extensionRequest: unknown;
    }[];
    events: { type: string; note: string; isPublic: boolean }[];
    actions: string[];
    escalated: boolean;
    mergedCases: { id: number }[];
    attachments: { id: number }[];
  };
const caseRow = async (id: number) =>
  (await env.database.query<Record<string, unknown>>('SELECT * FROM cases WHERE id = $1', [id]))[0];

describe('access', () => {
  it('rejects anonymous callers and users without case permissions', async () => {
    expect((await env.anon.get('/api/cases')).statusCode).toBe(401);
    expect((await env.anon.post('/api/cases', {})).statusCode).toBe(401);
    expect((await env.anon.get('/api/cases/1')).statusCode).toBe(401);
    expect((await env.anon.post('/api/cases/1/sign')).statusCode).toBe(401);
    expect((await env.anon.get('/api/escalations')).statusCode).toBe(401);
    expect((await reporter.get('/api/cases')).statusCode).toBe(403);
    expect((await reporter.post('/api/cases', {})).statusCode).toBe(403);
  });

  it('refuses actions outside the role (403)', async () => {
    const c = await intakeCase(agent, { categoryId: cat });
    expect((await handlerA.post('/api/cases', {})).statusCode).toBe(403);
    expect((await handlerA.post(`/api/cases/${c.id}/dispatch`, { leadUnitId: deptA })).statusCode).toBe(403);
    expect((await agent.post(`/api/cases/${c.id}/sign`)).statusCode).toBe(403);
    expect((await office.post(`/api/cases/${c.id}/verify`, { ok: true })).statusCode).toBe(403);
    expect((await handlerA.post(`/api/escalations/1/decide`, { approve: true })).statusCode).toBe(403);
    expect((await agent.post(`/api/escalations/1/decide`, { approve: true })).statusCode).toBe(403);
  });
});

describe('intake', () => {
  it('rejects bad input naming the field and stores nothing', async () => {
    const before = await count(env, 'cases');
    const good = {
      channel: 'hotline',
      type: 'complaint',
      categoryId: cat,
      requester: { name: '张三', phone: '13812345678' },
      description: '路灯坏了很久没人修',
      address: '解放大道1号',
    };
    expect400(await agent.post('/api/cases', { ...good, channel: 'fax' }), 'channel');
    expect400(await agent.post('/api/cases', { ...good, type: 'x' }), 'type');
    expect400(await agent.post('/api/cases', { ...good, categoryId: 'a' }), 'categoryId');
    expect400(await agent.post('/api/cases', { ...good, categoryId: 999999 }), 'categoryId');
    expect400(await agent.post('/api/cases', { ...good, description: '短' }), 'description');
    expect400(await agent.post('/api/cases', { ...good, requester: { phone: '12345' } }), 'requester.phone');
    expect400(await agent.post('/api/cases', { ...good, lat: 30.5 }), 'lng');
    expect400(await agent.post('/api/cases', { ...good, lat: 91, lng: 114 }), 'lat');
    expect400(await agent.post('/api/cases', { ...good, dispatch: { leadUnitId: 999999 } }), 'leadUnitId');
    expect400(
      await agent.post('/api/cases', { ...good, dispatch: { leadUnitId: deptA, assistUnitIds: [deptA] } }),
      'assistUnitIds.0',
    );
    const inactive = await buildCaseCategory(env, { active: false });
    expect400(await agent.post('/api/cases', { ...good, categoryId: inactive }), 'categoryId');
    const under = await buildCaseCategory(env, { parentId: inactive });
    expect400(await agent.post('/api/cases', { ...good, categoryId: under }), 'categoryId');
    expect(await count(env, 'cases')).toBe(before);
  });

  it('creates a case with a number and a one-time password; stores only a hash; queues the acceptance SMS in the same write', async () => {
    const events: string[] = [];
    const off = onCaseEvent(async (_tx, e) => {
      events.push(e.type);
    });
    const c = await intakeCase(agent, { categoryId: cat, phone: '13900001111' });
    off();
    expect(c.number).toMatch(/^HJ\d{13}$/);
    expect(c.password).toMatch(/^\d{6}$/);
    expect(c.status).toBe('accepted');
    const row = await caseRow(c.id);
    expect(String(row.password_hash)).toMatch(/^hmac2\$[\w-]{43}$/);
    expect(String(row.password_hash)).not.toContain(c.password);
    const sms = await env.database.query<{ template: string; phone: string; body: string; status: string }>(
      'SELECT * FROM sms_outbox WHERE case_id = $1',
      [c.id],
    );
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ template: 'acceptance', phone: '13900001111', status: 'pending' });
    expect(sms[0].body).toContain(c.number);
    expect(sms[0].body).toContain(c.password);
    expect(sms[0].body).toContain('5个工作日');
    expect(events).toEqual(['created']);
    expect(await count(env, 'audit_entries', `action = 'case.created' AND entity_id = $1`, [String(c.id)])).toBe(1);
    // The detail never carries the password or its hash.
    const res = await agent.get(`/api/cases/${c.id}`);
    expect(res.body).not.toContain(c.password);
    expect(res.body).not.toContain('argon2');
    expect(res.body).not.toContain('hmac-sha256');
  });

  it('concurrent intakes with dispatch write one audit entry per event, in event order, with an intact chain', async () => {
    const before = await count(env, 'audit_entries');
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        intakeCase(agent, {
          categoryId: cat,
          phone: '',
          ...(i % 2 ? { dispatch: { leadUnitId: deptA, assistUnitIds: [deptB] } } : {}),
        }),
      ),
    );
    expect(await count(env, 'audit_entries')).toBe(before + 8 + 4);
    for (const [i, m] of made.entries()) {
      const rows = await env.database.query<{ action: string }>(
        `SELECT action FROM audit_entries WHERE entity_type = 'case' AND entity_id = $1 ORDER BY id`,
        [String(m.id)],
      );
      expect(rows.map((r) => r.action)).toEqual(i % 2 ? ['case.created', 'case.dispatched'] : ['case.created']);
      expect(m.status).toBe(i % 2 ? 'dispatched' : 'accepted');
    }
    expect((await verifyChain(env.database.db)).broken).toBeNull();
  });

  it('hands out consecutive daily numbers, also for concurrent intakes', async () => {
    const made = await Promise.all([1, 2, 3, 4].map(() => intakeCase(agent, { categoryId: cat, phone: '' })));
    const seqs = made.map((m) => Number(m.number.slice(-5))).sort((a, b) => a - b);
    expect(new Set(made.map((m) => m.number)).size).toBe(4);
    expect(seqs[3] - seqs[0]).toBe(3);
    // No phone → no SMS.
    expect(await count(env, 'sms_outbox', 'case_id = $1', [made[0].id])).toBe(0);
  });

  it('suggests the category default and lets keyword/place rules override', async () => {
    const c = await intakeCase(agent, {
      categoryId: cat,
      description: '汽车站门口夜间噪音扰民严重',
      address: '宝丰路汽车站',
    });
    let s = expectOk(await agent.get(`/api/cases/${c.id}/routing-suggestion`)) as unknown as {
      suggestions: { unitId: number; source: string }[];
      timeLimitDays: number;
    };
    expect(s.suggestions[0]).toMatchObject({ unitId: deptA, source: 'category' });
    expect(s.timeLimitDays).toBe(5);
    const rule = expectOk(
      await agent.post('/api/routing-rules', { kind: 'address', pattern: '汽车站', unitId: deptB, priority: 5 }),
      201,
    );
    s = expectOk(await agent.get(`/api/cases/${c.id}/routing-suggestion`)) as unknown as typeof s;
    expect(s.suggestions.map((x) => x.unitId)).toEqual([deptB, deptA]);
    const probe = expectOk(
      await agent.get(
        `/api/cases/routing-suggestion?categoryId=${cat}&description=x&address=${encodeURIComponent('汽车站北')}`,
      ),
    ) as unknown as typeof s;
    expect(probe.suggestions[0].unitId).toBe(deptB);
    expect((await agent.delete(`/api/routing-rules/${rule.id}`)).statusCode).toBe(204);
    expect((await handlerA.get(`/api/cases/${c.id}/routing-suggestion`)).statusCode).toBe(403);
  });

  it('finds duplicates: same category, same place, open, recent', async () => {
    const a = await intakeCase(agent, { categoryId: cat, address: '汉江区宝丰一路 12 号', lat: 30.58, lng: 114.27 });
    const b = await intakeCase(agent, { categoryId: cat, address: '宝丰一路12号', lat: 30.5801, lng: 114.2701 });
    const other = await buildCaseCategory(env, { parentId: catParent });
    await intakeCase(agent, { categoryId: other, address: '宝丰一路12号' });
    const dups = expectOk(await agent.get(`/api/cases/${b.id}/duplicates`)) as unknown as {
      id: number;
      reason: string;
    }[];
    expect(dups.map((d) => d.id)).toContain(a.id);
    expect(dups.find((d) => d.id === a.id)?.reason).toBe('same_address');
    const probe = expectOk(
      await agent.get(`/api/cases/duplicates?categoryId=${cat}&lat=30.5802&lng=114.2702`),
    ) as unknown as { id: number; reason: string }[];
    expect(probe.map((d) => d.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect400(await agent.get(`/api/cases/duplicates?categoryId=${cat}&lat=30.5`), 'lng');
    expect((await handlerA.get(`/api/cases/duplicates?categoryId=${cat}`)).statusCode).toBe(403);
  });
});

describe('the full journey with joint handling, extension, unsatisfied feedback and redo', () => {
  it('moves through every level and keeps statistics-ready data', async () => {
    const c = await intakeCase(agent, { categoryId: cat, phone: '13900002222' });
    // Bad dispatch input.
    expect400(
      await agent.post(`/api/cases/${c.id}/dispatch`, { leadUnitId: deptA, assistUnitIds: [deptB, deptB] }),
      'assistUnitIds.1',
    );
    expect400(
      await agent.post(`/api/cases/${c.id}/dispatch`, { leadUnitId: deptA, timeLimitDays: 0 }),
      'timeLimitDays',
    );
    let d = await detail(agent, c.id);
    expect(d.status).toBe('accepted');
    expect(d.actions).toEqual(expect.arrayContaining(['dispatch', 'reject', 'merge', 'escalate']));

    d = (await expectOk(
      await agent.post(`/api/cases/${c.id}/dispatch`, {
        leadUnitId: deptA,
        assistUnitIds: [deptB],
        note: '请尽快处理',
      }),
    )) as unknown as typeof d;
    expect(d.status).toBe('dispatched');
    expect(d.dispatches.map((x) => [x.unitId, x.role, x.status])).toEqual([
      [deptA, 'lead', 'pending'],
      [deptB, 'assist', 'pending'],
    ]);
    expect((await agent.post(`/api/cases/${c.id}/dispatch`, { leadUnitId: deptA })).statusCode).toBe(409);

    // Both departments see it in their inbox; the handler sees the full phone to call back.
    const inboxA = expectOk(await handlerA.get('/api/cases?mine=1')) as unknown as {
      items: { id: number; dispatch: { role: string } }[];
    };
    expect(inboxA.items.find((i) => i.id === c.id)?.dispatch.role).toBe('lead');
    const inboxB = expectOk(await handlerB.get('/api/cases?mine=1')) as unknown as typeof inboxA;
    expect(inboxB.items.find((i) => i.id === c.id)?.dispatch.role).toBe('assist');
    expect((await detail(handlerA, c.id)).requester).toMatchObject({
      name: '张三',
      phone: '13900002222',
      masked: false,
    });
    expect((await detail(handlerA, c.id)).actions).toEqual(expect.arrayContaining(['sign', 'return']));

    // The assisting department signs first: the case state follows the lead only.
    expect((await detail(handlerB, c.id)).actions).toContain('sign');
    d = (await expectOk(await handlerB.post(`/api/cases/${c.id}/sign`))) as unknown as typeof d;
    expect(d.status).toBe('dispatched');
    d = (await expectOk(await handlerA.post(`/api/cases/${c.id}/sign`))) as unknown as typeof d;
    expect(d.status).toBe('signed');
    expect((await handlerA.post(`/api/cases/${c.id}/sign`)).statusCode).toBe(409);
    d = (await expectOk(await handlerA.post(`/api/cases/${c.id}/start`))) as unknown as typeof d;
    expect(d.status).toBe('in_progress');

    // Extension: requested by the lead, approved by the agent; the deadline moves in working days.
    expect400(await handlerA.post(`/api/cases/${c.id}/extension`, { days: 0, reason: '需协调' }), 'days');
    expectOk(await handlerA.post(`/api/cases/${c.id}/extension`, { days: 3, reason: '需要协调多个部门' }));
    expect((await handlerA.post(`/api/cases/${c.id}/extension`, { days: 3, reason: '再次申请' })).statusCode).toBe(409);
    const before = (await detail(agent, c.id)).dispatches[0];
    expect(before.extensionRequest).toMatchObject({ days: 3 });
    const queue = expectOk(await agent.get('/api/cases?awaiting=extension')) as unknown as { items: { id: number }[] };
    expect(queue.items.map((i) => i.id)).toContain(c.id);
    d = (await expectOk(
      await agent.post(`/api/cases/${c.id}/extension/decide`, { approve: true, days: 2 }),
    )) as unknown as typeof d;
    expect(d.dispatches[0].extensionCount).toBe(1);
    expect(d.dispatches[0].deadlineDate > before.deadlineDate).toBe(true);
    expect(d.dispatches[0].extensionRequest).toBeNull();
    expect((await agent.post(`/api/cases/${c.id}/extension/decide`, { approve: true })).statusCode).toBe(409);

    // Assist reports its part; the case completes only when the lead reports.
    d = (await expectOk(
      await handlerB.post(`/api/cases/${c.id}/report`, { result: '已配合清理占道物品' }),
    )) as unknown as typeof d;
    expect(d.status).toBe('in_progress');
    expect400(await handlerA.post(`/api/cases/${c.id}/report`, { result: '' }), 'result');
    d = (await expectOk(
      await handlerA.post(`/api/cases/${c.id}/report`, { result: '已责令摊贩撤离并加强巡查' }),
    )) as unknown as typeof d;
    expect(d.status).toBe('reported');

    // Verification queues the completion and feedback SMS.
    d = (await expectOk(
      await agent.post(`/api/cases/${c.id}/verify`, { ok: true, note: '电话核实' }),
    )) as unknown as typeof d;
    expect(d.status).toBe('verified');
    const templates = (
      await env.database.query<{ template: string }>('SELECT template FROM sms_outbox WHERE case_id = $1 ORDER BY id', [
        c.id,
      ])
    ).map((r) => r.template);
    expect(templates).toEqual(['acceptance', 'completion', 'feedback_request']);

    // The citizen rates it unsatisfied on the tracking page.
    const rated = expectOk(
      await env.anon.post('/api/public/cases/rate', {
        number: c.number,
        password: c.password,
        rating: 'unsatisfied',
        comment: '摊贩又回来了',
      }),
    );
    expect(rated.status).toBe('review');

    // Professional review: unqualified → redo by the same lead department.
    expect400(await supervisor.post(`/api/cases/${c.id}/review`, { qualified: false, note: '' }), 'note');
    d = (await expectOk(
      await supervisor.post(`/api/cases/${c.id}/review`, { qualified: false, note: '整改不到位，退回重办' }),
    )) as unknown as typeof d;
    expect(d.status).toBe('dispatched');
    const redo = d.dispatches.filter((x) => x.round === 2);
    expect(redo.map((x) => [x.unitId, x.role, x.status])).toEqual([[deptA, 'lead', 'pending']]);
    expectOk(await handlerA.post(`/api/cases/${c.id}/sign`));
    expectOk(await handlerA.post(`/api/cases/${c.id}/report`, { result: '已清理并安装隔离设施' }));
    d = (await expectOk(await agent.post(`/api/cases/${c.id}/verify`, { ok: true }))) as unknown as typeof d;
    // A redone case closes at verification.
    expect(d.status).toBe('closed');

    const row = await caseRow(c.id);
    expect(row).toMatchObject({
      feedback_rating: 'unsatisfied',
      feedback_by: 'citizen',
      redo_count: 1,
      review_result: 'unqualified',
      extension_count: 1,
    });
    expect(row.closed_at).not.toBeNull();
    const dispatches = await env.database.query<Record<string, unknown>>(
      'SELECT * FROM case_dispatches WHERE case_id = $1 ORDER BY id',
      [c.id],
    );
    expect(dispatches.map((x) => [x.unit_id, x.role, x.round, x.status, x.extension_count])).toEqual([
      [deptA, 'lead', 1, 'reported', 1],
      [deptB, 'assist', 1, 'reported', 0],
      [deptA, 'lead', 2, 'reported', 0],
    ]);
    for (const x of dispatches) {
      expect(x.deadline).not.toBeNull();
      expect(x.sign_due).not.toBeNull();
      expect(x.signed_at).not.toBeNull();
      expect(x.reported_at).not.toBeNull();
    }
    const types = (await detail(agent, c.id)).events.map((e) => e.type);
    expect(types).toEqual([
      'created',
      'dispatched',
      'assist_signed',
      'signed',
      'started',
      'extension_requested',
      'extension_approved',
      'assist_reported',
      'reported',
      'verified',
      'feedback',
      'redo',
      'signed',
      'reported',
      'verified',
      'closed',
    ]);
    // Every event is audited.
    expect(await count(env, 'audit_entries', `entity_type = 'case' AND entity_id = $1`, [String(c.id)])).toBe(
      types.length,
    );
  });

  it('verification can send the result back to the lead', async () => {
    const c = await intakeCase(agent, { categoryId: cat, dispatch: { leadUnitId: deptA } });
    expectOk(await handlerA.post(`/api/cases/${c.id}/sign`));
    expectOk(await handlerA.post(`/api/cases/${c.id}/report`, { result: '已处理' }));
    expect400(await agent.post(`/api/cases/${c.id}/verify`, { ok: false }), 'note');
    const d = await expectOk(await agent.post(`/api/cases/${c.id}/verify`, { ok: false, note: '现场仍有摊点' }));
    expect(d.status).toBe('in_progress');
    expect((await detail(agent, c.id)).dispatches[0].status).toBe('in_progress');
    const notices = expectOk(await handlerA.get('/api/case-notices?unread=1')) as unknown as {
      caseId: number;
      kind: string;
    }[];
    expect(notices.some((n) => n.caseId === c.id && n.kind === 'verify_fail')).toBe(true);
  });

  it('agent feedback satisfied closes; close without feedback works from verified only', async () => {
    const c = await intakeCase(agent, { categoryId: cat, dispatch: { leadUnitId: deptA } });
    expect((await agent.post(`/api/cases/${c.id}/close`, { note: '无法回访' })).statusCode).toBe(409);
    expectOk(await handlerA.post(`/api/cases/${c.id}/sign`));
    expectOk(await handlerA.post(`/api/cases/${c.id}/report`, { result: '已处理' }));
    expectOk(await agent.post(`/api/cases/${c.id}/verify`, { ok: true }));
    expect400(await agent.post(`/api/cases/${c.id}/feedback`, { rating: 'great' }), 'rating');
    const d = await expectOk(
      await agent.post(`/api/cases/${c.id}/feedback`, { rating: 'basic', comment: '回访基本满意' }),
    );
    expect(d.status).toBe('closed');
    expect((await caseRow(c.id)).feedback_rating).toBe('basic');
  });
});

describe('scope: a handler sees only cases dispatched to their unit', () => {
  it('answers 404 to other units and changes nothing', async () => {
    const c = await intakeCase(agent, { categoryId: cat, phone: '13900003333', dispatch: { leadUnitId: deptA } });
    const before = await caseRow(c.id);
    const eventsBefore = await count(env, 'case_events', 'case_id = $1', [c.id]);
    expect((await handlerC.get(`/api/cases/${c.id}`)).statusCode).toBe(404);
    for (const [path, body] of [
      ['sign', undefined],
      ['start', undefined],
      ['extension', { days: 2, reason: '需要时间' }],
      ['return', { reason: '不是本单位职责' }],
      ['report', { result: '已处理完毕' }],
    ] as const) {
      const res = await handlerC.post(`/api/cases/${c.id}/${path}`, body);
      expect(res.statusCode, path).toBe(404);
    }
    expect((await handlerC.get(`/api/cases/${c.id}/attachments/1`)).statusCode).toBe(404);
    expect(await caseRow(c.id)).toEqual(before);
    expect(await count(env, 'case_events', 'case_id = $1', [c.id])).toBe(eventsBefore);
    const list = expectOk(await handlerC.get('/api/cases')) as unknown as { items: { id: number }[] };
    expect(list.items.map((i) => i.id)).not.toContain(c.id);
    // Unit leaders read their own unit's cases, with the requester masked; other units get 404.
    expect((await detail(leaderA, c.id)).requester).toMatchObject({ name: '张*', phone: '139****3333', masked: true });
    expect((await leaderC.get(`/api/cases/${c.id}`)).statusCode).toBe(404);
    // Office and supervisor read everything, masked.
    expect((await detail(office, c.id)).requester.masked).toBe(true);
    expect((await detail(supervisor, c.id)).requester.phone).toBe('139****3333');
    // Leaders cannot act.
    expect((await leaderA.post(`/api/cases/${c.id}/sign`)).statusCode).toBe(403);
  });

  it('hides an anonymous requester from the department but not from the agent', async () => {
    const c = await intakeCase(agent, {
      categoryId: cat,
      anonymous: true,
      phone: '13900004444',
      dispatch: { leadUnitId: deptA },
    });
    expect((await detail(handlerA, c.id)).requester).toMatchObject({ name: '匿名', phone: '', masked: true });
    expect((await detail(agent, c.id)).requester).toMatchObject({ name: '张三', phone: '13900004444' });
  });
});

describe('return (退单) and re-dispatch', () => {
  it('the lead returns: the case goes back to level 2, assisting orders end, re-dispatch opens round 2', async () => {
    const c = await intakeCase(agent, { categoryId: cat, dispatch: { leadUnitId: deptC, assistUnitIds: [deptB] } });
    expect400(await handlerC.post(`/api/cases/${c.id}/return`, { reason: '' }), 'reason');
    const d = await expectOk(
      await handlerC.post(`/api/cases/${c.id}/return`, { reason: '不属于本单位职责，应由城管局办理' }),
    );
    expect(d.status).toBe('returned');
    const ds = (await detail(agent, c.id)).dispatches;
    expect(ds.map((x) => x.status)).toEqual(['returned', 'cancelled']);
    expect((await caseRow(c.id)).return_count).toBe(1);
    // The returning unit still sees its history, but has nothing left to do.
    expect((await detail(handlerC, c.id)).actions).toEqual([]);
    const queue = expectOk(await agent.get('/api/cases?awaiting=dispatch')) as unknown as { items: { id: number }[] };
    expect(queue.items.map((i) => i.id)).toContain(c.id);
    const again = await detail(agent, c.id);
    expect(again.actions).toContain('dispatch');
    const re = (await expectOk(
      await agent.post(`/api/cases/${c.id}/dispatch`, { leadUnitId: deptA }),
    )) as unknown as typeof again;
    expect(re.dispatches.filter((x) => x.round === 2).map((x) => [x.unitId, x.status])).toEqual([[deptA, 'pending']]);
    const row = (
      await env.database.query<{ returned: boolean }>(
        'SELECT returned FROM case_dispatches WHERE case_id = $1 AND unit_id = $2',
        [c.id, deptC],
      )
    )[0];
    expect(row.returned).toBe(true);
  });

  it('an assisting department may return its own order only', async () => {
    const c = await intakeCase(agent, { categoryId: cat, dispatch: { leadUnitId: deptA, assistUnitIds: [deptB] } });
    const d = await expectOk(await handlerB.post(`/api/cases/${c.id}/return`, { reason: '无需协办' }));
    expect(d.status).toBe('dispatched');
    expect((await detail(agent, c.id)).dispatches.map((x) => x.status)).toEqual(['pending', 'returned']);
  });
});

describe('reject and merge', () => {
  it('rejects with a reason the requester sees', async () => {
    const c = await intakeCase(agent, { categoryId: cat });
    expect400(await agent.post(`/api/cases/${c.id}/reject`, {}), 'reason');
    expect(
      (await expectOk(await agent.post(`/api/cases/${c.id}/reject`, { reason: '不属于政府职能范围' }))).status,
    ).toBe('rejected');
    const track = expectOk(
      await env.anon.post('/api/public/cases/track', { number: c.number, password: c.password }),
    ) as unknown as { timeline: { text: string }[] };
    expect(track.timeline.map((t) => t.text)).toContain('不予受理：不属于政府职能范围');
    expect((await agent.post(`/api/cases/${c.id}/dispatch`, { leadUnitId: deptA })).statusCode).toBe(409);
  });

  it('merges a duplicate; its requester hears when the main case completes', async () => {
    const main = await intakeCase(agent, { categoryId: cat, phone: '13900005555', dispatch: { leadUnitId: deptA } });
    const dup = await intakeCase(agent, { categoryId: cat, phone: '13900006666' });
    expect400(await agent.post(`/api/cases/${dup.id}/merge`, { mainCaseId: dup.id }), 'mainCaseId');
    expect400(await agent.post(`/api/cases/${dup.id}/merge`, { mainCaseId: 999999 }), 'mainCaseId');
    const m = await expectOk(await agent.post(`/api/cases/${dup.id}/merge`, { mainCaseId: main.id }));
    expect(m.status).toBe('merged');
    expect((await detail(agent, main.id)).mergedCases.map((x) => x.id)).toEqual([dup.id]);
    // A merged case cannot be the main of another merge.
    const third = await intakeCase(agent, { categoryId: cat });
    expect400(await agent.post(`/api/cases/${third.id}/merge`, { mainCaseId: dup.id }), 'mainCaseId');

    expectOk(await handlerA.post(`/api/cases/${main.id}/sign`));
    expectOk(await handlerA.post(`/api/cases/${main.id}/report`, { result: '已拆除违规搭建' }));
    expectOk(await agent.post(`/api/cases/${main.id}/verify`, { ok: true }));
    const sms = await env.database.query<{ template: string; phone: string }>(
      'SELECT template, phone FROM sms_outbox WHERE case_id = $1 ORDER BY id',
      [dup.id],
    );
    expect(sms.map((s) => s.template)).toEqual(['acceptance', 'completion']);
    const track = expectOk(
      await env.anon.post('/api/public/cases/track', { number: dup.number, password: dup.password }),
    ) as unknown as {
      status: string;
      mainCase: { number: string; status: string };
      result: string;
      timeline: { type: string }[];
    };
    expect(track.status).toBe('merged');
    expect(track.mainCase).toEqual({ number: main.number, status: 'verified' });
    expect(track.result).toBe('已拆除违规搭建');
    expect(track.timeline.map((t) => t.type)).toContain('main_completed');
  });
});

describe('escalation (督办) and reminders (催办)', () => {
  it('agent requests, supervisor approves and follows; departments get notices', async () => {
    const c = await intakeCase(agent, { categoryId: cat, dispatch: { leadUnitId: deptA } });
    expect400(await agent.post(`/api/cases/${c.id}/escalate`, { reason: '' }), 'reason');
    expectOk(await agent.post(`/api/cases/${c.id}/escalate`, { reason: '群众多次反映，久拖未决' }));
    expect((await agent.post(`/api/cases/${c.id}/escalate`, { reason: '再次申请督办' })).statusCode).toBe(409);
    const pending = expectOk(await supervisor.get('/api/escalations?status=pending')) as unknown as {
      id: number;
      caseId: number;
    }[];
    const e = pending.find((x) => x.caseId === c.id)!;
    expect(e).toBeDefined();
    expect((await supervisor.post(`/api/escalations/${e.id}/follow`, { note: '请加快' })).statusCode).toBe(409);
    const approved = expectOk(
      await supervisor.post(`/api/escalations/${e.id}/decide`, { approve: true, note: '列为督办件' }),
    );
    expect(approved.status).toBe('approved');
    expect((await supervisor.post(`/api/escalations/${e.id}/decide`, { approve: false })).statusCode).toBe(409);
    expect((await detail(agent, c.id)).escalated).toBe(true);
    expectOk(await supervisor.post(`/api/escalations/${e.id}/follow`, { note: '请于本周五前办结并报告' }));
    expect400(await supervisor.post(`/api/escalations/${e.id}/follow`, { note: '' }), 'note');
    expect((await supervisor.post(`/api/escalations/999999/decide`, { approve: true })).statusCode).toBe(404);
    const escalated = expectOk(await agent.get('/api/cases?escalated=1')) as unknown as { items: { id: number }[] };
    expect(escalated.items.map((i) => i.id)).toContain(c.id);
    const notices = expectOk(await handlerA.get('/api/case-notices')) as unknown as {
      id: number;
      caseId: number;
      kind: string;
      read: boolean;
    }[];
    const mine = notices.filter((n) => n.caseId === c.id);
    expect(mine.map((n) => n.kind).sort()).toEqual(['dispatch', 'escalation', 'escalation']);
    // Another department cannot read or mark them.
    expect((await handlerC.post(`/api/case-notices/${mine[0].id}/read`)).statusCode).toBe(404);
    expect((await handlerA.post(`/api/case-notices/${mine[0].id}/read`)).statusCode).toBe(204);
    const unread = expectOk(await handlerA.get('/api/case-notices?unread=1')) as unknown as { id: number }[];
    expect(unread.map((n) => n.id)).not.toContain(mine[0].id);
  });

  it('a rejected escalation leaves the case unflagged', async () => {
    const c = await intakeCase(agent, { categoryId: cat, dispatch: { leadUnitId: deptA } });
    expectOk(await agent.post(`/api/cases/${c.id}/escalate`, { reason: '需要督办' }));
    const e = (
      expectOk(await agent.get('/api/escalations?status=pending')) as unknown as { id: number; caseId: number }[]
    ).find((x) => x.caseId === c.id)!;
    expect(
      (await expectOk(await supervisor.post(`/api/escalations/${e.id}/decide`, { approve: false, note: '暂不督办' })))
        .status,
    ).toBe('rejected');
    expect((await detail(agent, c.id)).escalated).toBe(false);
  });

  it('reminders go on the timeline (internal) and to the departments', async () => {
    const c = await intakeCase(agent, { categoryId: cat, dispatch: { leadUnitId: deptA } });
    expect400(await supervisor.post(`/api/cases/${c.id}/remind`, {}), 'note');
    expectOk(await supervisor.post(`/api/cases/${c.id}/remind`, { note: '请尽快签收' }));
    expectOk(await agent.post(`/api/cases/${c.id}/remind`, { note: '群众再次来电' }));
    const ev = (await detail(agent, c.id)).events.filter((e) => e.type === 'reminded');
    expect(ev.map((e) => [e.note, e.isPublic])).toEqual([
      ['请尽快签收', false],
      ['群众再次来电', false],
    ]);
    const notices = expectOk(await handlerA.get('/api/case-notices?unread=1')) as unknown as {
      caseId: number;
      kind: string;
    }[];
    expect(notices.filter((n) => n.caseId === c.id && n.kind === 'remind')).toHaveLength(2);
    // Not while the case waits for dispatch.
    const waiting = await intakeCase(agent, { categoryId: cat });
    expect((await agent.post(`/api/cases/${waiting.id}/remind`, { note: '催办' })).statusCode).toBe(409);
  });
});

describe('attachments', () => {
  it('the handler uploads evidence and reports with it; scope applies to downloads', async () => {
    const c = await intakeCase(agent, { categoryId: cat, dispatch: { leadUnitId: deptA } });
    expectOk(await handlerA.post(`/api/cases/${c.id}/sign`));
    const bad = multipart({}, [{ field: 'file', filename: 'x.exe', content: Buffer.from('MZ....') }]);
    expect400(await handlerA.request({ method: 'POST', url: `/api/cases/${c.id}/attachments`, ...bad }), 'file');
    expect(
      (
        await handlerC.request({
          method: 'POST',
          url: `/api/cases/${c.id}/attachments`,
          ...multipart({}, [{ field: 'file', filename: 'a.png', content: PNG }]),
        })
      ).statusCode,
    ).toBe(404);
    const up = expectOk(
      await handlerA.request({
        method: 'POST',
        url: `/api/cases/${c.id}/attachments`,
        ...multipart({}, [{ field: 'file', filename: '现场照片.png', content: PNG }]),
      }),
      201,
    ) as unknown as {
      ids: number[];
    };
    expect(up.ids).toHaveLength(1);
    expect400(
      await handlerA.post(`/api/cases/${c.id}/report`, { result: '已整改', attachmentIds: [999999] }),
      'attachmentIds.0',
    );
    expectOk(await handlerA.post(`/api/cases/${c.id}/report`, { result: '已整改', attachmentIds: up.ids }));
    const dl = await agent.get(`/api/cases/${c.id}/attachments/${up.ids[0]}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    expect((await handlerC.get(`/api/cases/${c.id}/attachments/${up.ids[0]}`)).statusCode).toBe(404);
    expect((await agent.get(`/api/cases/${c.id}/attachments/999999`)).statusCode).toBe(404);
    const row = (
      await env.database.query<{ dispatch_id: number | null; sha256: string }>(
        'SELECT dispatch_id, sha256 FROM case_attachments WHERE id = $1',
        [up.ids[0]],
      )
    )[0];
    expect(row.dispatch_id).toBeNull(); // linked through the report event's payload
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('queue filters and counters', () => {
  it('filters overdue, due soon, status, text, and paginates', async () => {
    const late = await intakeCase(agent, {
      categoryId: cat,
      description: '独一无二的超期诉求描述ABC',
      dispatch: { leadUnitId: deptA },
    });
    await env.database.query(
      `UPDATE cases SET deadline = now() - interval '1 day', due_soon_at = now() - interval '3 days' WHERE id = $1`,
      [late.id],
    );
    await env.database.query(
      `UPDATE case_dispatches SET deadline = now() - interval '1 day', due_soon_at = now() - interval '3 days' WHERE case_id = $1`,
      [late.id],
    );
    const overdue = expectOk(await agent.get('/api/cases?overdue=1&pageSize=200')) as unknown as {
      items: { id: number; dueState: string }[];
    };
    expect(overdue.items.find((i) => i.id === late.id)?.dueState).toBe('overdue');
    expect(overdue.items.every((i) => i.dueState === 'overdue')).toBe(true);
    const inbox = expectOk(await handlerA.get('/api/cases?mine=1&overdue=1')) as unknown as {
      items: { id: number; dispatch: { dueState: string } }[];
    };
    expect(inbox.items.find((i) => i.id === late.id)?.dispatch.dueState).toBe('overdue');
    const text = expectOk(await agent.get(`/api/cases?q=${encodeURIComponent('独一无二')}`)) as unknown as {
      items: { id: number }[];
      total: number;
    };
    expect(text.items.map((i) => i.id)).toEqual([late.id]);
    const byNumber = expectOk(await agent.get(`/api/cases?q=${late.number}`)) as unknown as { total: number };
    expect(byNumber.total).toBe(1);
    const status = expectOk(await agent.get('/api/cases?status=accepted,returned')) as unknown as {
      items: { status: string }[];
    };
    expect(status.items.every((i) => ['accepted', 'returned'].includes(i.status))).toBe(true);
    expect400(await agent.get('/api/cases?status=nonsense'), 'status.0');
    expect400(await agent.get('/api/cases?pageSize=1000'), 'pageSize');
    expect400(await agent.get('/api/cases?overdue=maybe'), 'overdue');
    const p1 = expectOk(await agent.get('/api/cases?pageSize=2&page=1')) as unknown as {
      items: { id: number }[];
      total: number;
    };
    const p2 = expectOk(await agent.get('/api/cases?pageSize=2&page=2')) as unknown as { items: { id: number }[] };
    expect(p1.items).toHaveLength(2);
    expect(p1.total).toBeGreaterThan(4);
    expect(p1.items.map((i) => i.id)).not.toContain(p2.items[0].id);
    const byUnit = expectOk(await office.get(`/api/cases?unitId=${deptB}&pageSize=200`)) as unknown as {
      items: { id: number }[];
    };
    expect(byUnit.items.length).toBeGreaterThan(0);
    const byCategory = expectOk(await agent.get(`/api/cases?categoryId=${catParent}&pageSize=1`)) as unknown as {
      total: number;
    };
    expect(byCategory.total).toBeGreaterThan(5);
  });

  it('counts the agent’s queues and the handler’s inbox', async () => {
    const a = expectOk(await agent.get('/api/cases/counts')) as unknown as Record<string, number>;
    expect(a.awaitingDispatch).toBeGreaterThan(0);
    expect(a.overdue).toBeGreaterThan(0);
    const h = expectOk(await handlerA.get('/api/cases/counts')) as unknown as Record<string, number>;
    expect(h.toSign + h.inProgress).toBeGreaterThan(0);
    expect(h.overdue).toBeGreaterThan(0);
    expect(h.awaitingDispatch).toBe(0);
    const c = expectOk(await handlerC.get('/api/cases/counts')) as unknown as Record<string, number>;
    expect(c.overdue).toBe(0);
  });
});

describe('configuration', () => {
  it('office manages categories; bad input names the field; used categories cannot be deleted', async () => {
    expect((await agent.post('/api/case-categories', { code: 'X', name: 'x' })).statusCode).toBe(403);
    expect400(await office.post('/api/case-categories', { code: 'bad code', name: '测试' }), 'code');
    expect400(await office.post('/api/case-categories', { code: 'NEW1', name: '' }), 'name');
    expect400(
      await office.post('/api/case-categories', { code: 'NEW1', name: '新分类', timeLimitDays: 0 }),
      'timeLimitDays',
    );
    expect400(
      await office.post('/api/case-categories', { code: 'NEW1', name: '新分类', parentId: 999999 }),
      'parentId',
    );
    expect400(
      await office.post('/api/case-categories', { code: 'NEW1', name: '新分类', defaultUnitId: 999999 }),
      'defaultUnitId',
    );
    const made = expectOk(
      await office.post('/api/case-categories', {
        code: 'NEW1',
        name: '新分类',
        parentId: catParent,
        open311Code: 'svc-new1',
      }),
      201,
    ) as unknown as {
      id: number;
      path: string;
      effectiveUnitId: number;
    };
    expect(made.path).toBe('市容环卫 / 新分类');
    expect(made.effectiveUnitId).toBe(deptA);
    expect((await office.post('/api/case-categories', { code: 'NEW1', name: '重复' })).statusCode).toBe(409);
    expect400(await office.patch(`/api/case-categories/${catParent}`, { parentId: made.id }), 'parentId');
    expect((await office.patch(`/api/case-categories/${made.id}`, { timeLimitDays: 3 })).json().timeLimitDays).toBe(3);
    expect((await office.delete(`/api/case-categories/${cat}`)).statusCode).toBe(409);
    expect((await office.delete(`/api/case-categories/${made.id}`)).statusCode).toBe(204);
    expect((await office.delete(`/api/case-categories/${made.id}`)).statusCode).toBe(404);
    const pub = expectOk(await env.anon.get('/api/public/case-categories')) as unknown as { id: number }[];
    expect(pub.map((c) => c.id)).toContain(cat);
  });

  it('routing rules for office and agents; settings for the office', async () => {
    expect((await handlerA.get('/api/routing-rules')).statusCode).toBe(403);
    expect400(await agent.post('/api/routing-rules', { kind: 'regex', pattern: 'x', unitId: deptA }), 'kind');
    expect400(await agent.post('/api/routing-rules', { kind: 'keyword', pattern: '', unitId: deptA }), 'pattern');
    expect400(await agent.post('/api/routing-rules', { kind: 'keyword', pattern: '噪音', unitId: 999999 }), 'unitId');
    const r = expectOk(
      await office.post('/api/routing-rules', {
        kind: 'keyword',
        pattern: '噪音|噪声',
        unitId: deptC,
        categoryId: catParent,
        priority: 3,
      }),
      201,
    );
    expect(r).toMatchObject({ unitName: '人社局', categoryName: '市容环卫' });
    expect((await agent.patch(`/api/routing-rules/${r.id}`, { active: false })).json().active).toBe(false);
    expect((await agent.delete(`/api/routing-rules/${r.id}`)).statusCode).toBe(204);
    expect((await agent.put('/api/case-settings', { duplicateRadiusM: 100, duplicateDays: 3 })).statusCode).toBe(403);
    expect400(await office.put('/api/case-settings', { duplicateRadiusM: 1, duplicateDays: 3 }), 'duplicateRadiusM');
    // Publication per case type: left out, it stays as it was (the defaults: 举报 private, mediation limited).
    expect(
      expectOk(await office.put('/api/case-settings', { duplicateRadiusM: 500, duplicateDays: 10 })),
    ).toMatchObject({
      duplicateRadiusM: 500,
      duplicateDays: 10,
      typePublication: { report: 'private', mediation: 'limited', complaint: 'public' },
    });
    expect(expectOk(await agent.get('/api/case-settings'))).toMatchObject({ duplicateRadiusM: 500, duplicateDays: 10 });
    expect(await count(env, 'audit_entries', `action = 'case_settings.update'`)).toBe(1);
  });
});
