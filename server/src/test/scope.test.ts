/**
 * Unit scope: a user sees and changes only their own unit's data (and below), a district leader
 * the units in their charge, office-wide roles everything. Outsiders get 403 (no permission) or 404
 * (out of scope), and the other unit's rows are unchanged afterwards.
 *
 * Extending: every module whose routes touch unit-owned rows adds probes to FOREIGN_UNIT_WRITES
 * (a write by a user of unit A against unit B's data) and, for reads, to FOREIGN_UNIT_READS.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser, Ctx } from '../lib/context.js';
import { permissionsOf, type Role } from '../modules/auth/auth.policy.js';
import { assertUnitInScope, inScope, unitScope } from '../modules/units/units.service.js';
import { buildCaseCategory, intakeCase, multipart as casesMultipart, PNG } from '../modules/cases/cases.testkit.js';
import { buildWorld, multipart as reportingMultipart, setNow, TINY_PDF, type World as ReportingWorld } from '../modules/reporting/reporting.fixtures.js';
import { createTestEnv, type Client, type TestEnv } from './helpers.js';

let env: TestEnv;
/** The world every probe runs in: units A (with a community below) and B, and a user of B. */
type World = { unitA: number; communityA: number; unitB: number; communityB: number; userB: number };
let w: World;

beforeAll(async () => {
  env = await createTestEnv();
  const unitA = await env.buildUnit({ code: 'SA', name: '甲街道', kind: 'street' });
  const communityA = await env.buildUnit({ code: 'SA01', name: '甲社区', kind: 'community', parentId: unitA });
  const unitB = await env.buildUnit({ code: 'SB', name: '乙局' });
  const communityB = await env.buildUnit({ code: 'SB01', name: '乙下属', kind: 'community', parentId: unitB });
  const userB = await env.buildUser({ username: 'b_reporter', roles: ['reporter'], unitId: unitB });
  w = { unitA, communityA, unitB, communityB, userB };
});
afterAll(async () => env?.close());

async function authUser(id: number): Promise<AuthUser> {
  const [u] = await env.database.query<{ id: number; username: string; display_name: string; unit_id: number }>(
    'SELECT id, username, display_name, unit_id FROM users WHERE id = $1',
    [id],
  );
  const roles = (await env.database.query<{ role: Role }>('SELECT role FROM user_roles WHERE user_id = $1', [id])).map((r) => r.role);
  return { id: u.id, username: u.username, displayName: u.display_name, unitId: u.unit_id, roles, permissions: permissionsOf(roles) };
}

function ctxOf(user: AuthUser): Ctx {
  return { db: env.database.db, user, actor: { id: user.id, name: user.username, ip: null }, lang: 'zh', scope: () => unitScope(env.database.db, user) };
}

const ids = (s: Awaited<ReturnType<typeof unitScope>>) => (s.all ? 'all' : [...s.unitIds].sort((a, b) => a - b));

describe('unitScope', () => {
  it('gives a unit user their unit and the units below it', async () => {
    for (const role of ['reporter', 'unit_leader', 'handler', 'evaluator'] as const) {
      const u = await authUser(await env.buildUser({ roles: [role], unitId: w.unitA }));
      expect(ids(await unitScope(env.database.db, u))).toEqual([w.unitA, w.communityA]);
    }
    const community = await authUser(await env.buildUser({ roles: ['reporter'], unitId: w.communityA }));
    expect(ids(await unitScope(env.database.db, community))).toEqual([w.communityA]);
  });

  it('gives a district leader the units in charge with their subtrees and their own unit only', async () => {
    const leader = await authUser(await env.buildUser({ roles: ['district_leader'], unitId: env.rootUnitId, leaderOf: [w.unitA] }));
    const scope = await unitScope(env.database.db, leader);
    expect(ids(scope)).toEqual([env.rootUnitId, w.unitA, w.communityA].sort((a, b) => a - b));
    expect(inScope(scope, w.unitB)).toBe(false);
    expect(inScope(scope, w.communityB)).toBe(false);
    const none = await authUser(await env.buildUser({ roles: ['district_leader'], unitId: env.rootUnitId }));
    expect(ids(await unitScope(env.database.db, none))).toEqual([env.rootUnitId]);
  });

  it('gives office-wide roles every unit', async () => {
    for (const role of ['admin', 'office', 'main_leader', 'agent', 'supervisor', 'assessor'] as const) {
      const u = await authUser(await env.buildUser({ roles: [role], unitId: w.unitA }));
      expect((await unitScope(env.database.db, u)).all).toBe(true);
    }
  });

  it('assertUnitInScope passes inside the scope and answers 404 outside it', async () => {
    const reporter = ctxOf(await authUser(await env.buildUser({ roles: ['reporter'], unitId: w.unitA })));
    await expect(assertUnitInScope(reporter, w.unitA)).resolves.toBeUndefined();
    await expect(assertUnitInScope(reporter, w.communityA)).resolves.toBeUndefined();
    await expect(assertUnitInScope(reporter, w.unitB)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    await expect(assertUnitInScope(reporter, env.rootUnitId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const leader = ctxOf(await authUser(await env.buildUser({ roles: ['district_leader'], unitId: env.rootUnitId, leaderOf: [w.unitA] })));
    await expect(assertUnitInScope(leader, w.communityA)).resolves.toBeUndefined();
    await expect(assertUnitInScope(leader, w.communityB)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const office = ctxOf(await authUser(await env.buildUser({ roles: ['office'], unitId: w.unitA })));
    await expect(assertUnitInScope(office, w.communityB)).resolves.toBeUndefined();
  });

});

/** A request by a user of unit A against unit B's data, and a snapshot of the B rows it must not change. */
type Probe = {
  name: string;
  send(c: Client, w: World): Promise<LightMyRequestResponse>;
  /** Reads the rows of B the request targets, to compare before and after. */
  snapshot(w: World): Promise<unknown>;
};

const unitRow = (id: number) => env.database.query('SELECT code, name, kind, parent_id, category_id, active, sort FROM units WHERE id = $1', [id]);
const userRows = async (id: number) => ({
  user: await env.database.query('SELECT username, display_name, unit_id, phone, active, password_hash, locked_until FROM users WHERE id = $1', [id]),
  roles: await env.database.query('SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role', [id]),
});

const FOREIGN_UNIT_WRITES: Probe[] = [
  { name: 'PATCH /api/units/B (rename)', send: (c, w) => c.patch(`/api/units/${w.unitB}`, { name: '被甲改名' }), snapshot: (w) => unitRow(w.unitB) },
  { name: 'PATCH /api/units/B (deactivate)', send: (c, w) => c.patch(`/api/units/${w.unitB}`, { active: false }), snapshot: (w) => unitRow(w.unitB) },
  { name: 'PATCH /api/units/B (move under A)', send: (c, w) => c.patch(`/api/units/${w.communityB}`, { parentId: w.unitA }), snapshot: (w) => unitRow(w.communityB) },
  { name: 'DELETE /api/units/B child', send: (c, w) => c.delete(`/api/units/${w.communityB}`), snapshot: (w) => unitRow(w.communityB) },
  { name: "PATCH /api/users/<B's user> (rename)", send: (c, w) => c.patch(`/api/users/${w.userB}`, { displayName: '被甲改名' }), snapshot: (w) => userRows(w.userB) },
  {
    name: "PATCH /api/users/<B's user> (reset password, grant admin)",
    send: (c, w) => c.patch(`/api/users/${w.userB}`, { password: 'Hijack2026x', roles: ['admin'] }),
    snapshot: (w) => userRows(w.userB),
  },
  {
    name: 'POST /api/users into unit B',
    send: (c, w) => c.post('/api/users', { username: 'planted', displayName: '植入', password: 'Planted2026', unitId: w.unitB, roles: ['reporter'] }),
    snapshot: () => env.database.query(`SELECT id FROM users WHERE username = 'planted'`),
  },
];

/** Reads of B's data by a user of A that must be refused (403 or 404). Modules with unit-owned data add theirs. */
const FOREIGN_UNIT_READS: Omit<Probe, 'snapshot'>[] = [
  { name: "GET /api/users/<B's user>", send: (c, w) => c.get(`/api/users/${w.userB}`) },
  { name: 'GET /api/users?unitId=B', send: (c, w) => c.get(`/api/users?unitId=${w.unitB}`) },
];

/** The users of unit A (and one district leader in charge of A) who lack users.manage and units.manage. */
const OUTSIDERS: { label: string; roles: Role[]; leaderOfA?: boolean }[] = [
  { label: 'reporter of A', roles: ['reporter'] },
  { label: 'unit leader of A', roles: ['unit_leader'] },
  { label: 'district leader in charge of A', roles: ['district_leader'], leaderOfA: true },
];

describe.each(OUTSIDERS)('$label against unit B', ({ roles, leaderOfA }) => {
  let client: Client;
  beforeAll(async () => {
    client = await env.userClient({ roles, unitId: leaderOfA ? env.rootUnitId : w.unitA, leaderOf: leaderOfA ? [w.unitA] : [] });
  });

  it.each(FOREIGN_UNIT_WRITES)('is refused: $name, and B is unchanged', async (probe) => {
    const before = await probe.snapshot(w);
    const auditBefore = await env.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entries WHERE action NOT LIKE 'auth.%'`);
    const res = await probe.send(client, w);
    expect([403, 404]).toContain(res.statusCode);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(res.json().error.code);
    expect(await probe.snapshot(w)).toEqual(before);
    expect(await env.database.query(`SELECT count(*)::int AS n FROM audit_entries WHERE action NOT LIKE 'auth.%'`)).toEqual(auditBefore);
  });

  it.each(FOREIGN_UNIT_READS)('is refused: $name', async (probe) => {
    const res = await probe.send(client, w);
    expect([403, 404]).toContain(res.statusCode);
    expect(res.body).not.toContain('b_reporter');
  });
});

/**
 * Module data: a year in force with approved plans for departments A and B (reporting's fixture world,
 * built by direct SQL), and B's records made through the modules' own APIs by B's users and the agent:
 * a submission of B with evidence, a case dispatched to B with an attachment. Users of A (reporter,
 * unit leader, handler) then read and change B's records: every request is 403/404 and B's rows are
 * unchanged afterwards.
 */
describe('module data of unit B, by users of unit A', () => {
  let mw: ReportingWorld;
  const rec = { submission: 0, evidence: 0, case: 0, attachment: 0 };
  const as = {} as Record<'reporter' | 'leader' | 'handler', Client>;
  let restoreClock: () => void;

  beforeAll(async () => {
    restoreClock = setNow('2026-10-10T02:00:00Z');
    mw = await buildWorld(env);
    as.reporter = await env.userClient({ roles: ['reporter'], unitId: mw.unitA });
    as.leader = await env.userClient({ roles: ['unit_leader'], unitId: mw.unitA });
    as.handler = await env.userClient({ roles: ['handler'], unitId: mw.unitA });
    const reporterB = await env.userClient({ roles: ['reporter'], unitId: mw.unitB });
    await env.buildUser({ roles: ['handler'], unitId: mw.unitB });
    const agent = await env.userClient({ roles: ['agent'] });

    // B's submission (draft) with one evidence file, through the reporting API as B's reporter.
    const sub = await reporterB.post('/api/reporting/submissions', { indicatorId: mw.leafValue, unitId: mw.unitB, period: '2026-09', values: { value: 7 } });
    expect(sub.statusCode, sub.body).toBe(200);
    rec.submission = sub.json().id;
    const upload = reportingMultipart('依据.pdf', TINY_PDF, 'application/pdf');
    const ev = await reporterB.request({ method: 'POST', url: `/api/reporting/submissions/${rec.submission}/evidence`, ...upload });
    expect(ev.statusCode, ev.body).toBe(201);
    rec.evidence = ev.json().id;

    // A case dispatched to B, with an attachment, through the cases API as the agent.
    const categoryId = await buildCaseCategory(env, { name: '市容环境' });
    const c = await intakeCase(agent, { categoryId, dispatch: { leadUnitId: mw.unitB } });
    rec.case = c.id;
    const att = await agent.request({ method: 'POST', url: `/api/cases/${rec.case}/attachments`, ...casesMultipart({}, [{ field: 'file', filename: '现场.png', content: PNG, type: 'image/png' }]) });
    expect(att.statusCode, att.body).toBe(201);
    rec.attachment = att.json().ids[0];
    const [{ status }] = await env.database.query<{ status: string }>('SELECT status FROM cases WHERE id = $1', [rec.case]);
    expect(status).not.toBe('pending');
  });
  afterAll(() => restoreClock?.());

  type ModuleProbe = {
    name: string;
    who: keyof typeof as;
    send(c: Client): Promise<LightMyRequestResponse>;
    snapshot(): Promise<unknown>;
    /** Bulk routes answer 200 with each refused id under `failed` (as not found) instead of a 403/404. */
    bulk?: true;
  };
  const q = (sql: string, params: unknown[]) => env.database.query(sql, params);
  const planOfB = async () => ({
    plan: await q('SELECT * FROM performance_plans WHERE year_id = $1 AND unit_id = $2', [mw.yearId, mw.unitB]),
    targets: await q('SELECT t.* FROM plan_targets t JOIN performance_plans p ON p.id = t.plan_id WHERE p.year_id = $1 AND p.unit_id = $2 ORDER BY t.indicator_id', [mw.yearId, mw.unitB]),
    adjustments: await q('SELECT a.* FROM plan_adjustments a JOIN performance_plans p ON p.id = a.plan_id WHERE p.unit_id = $1', [mw.unitB]),
  });
  const submissionOfB = async () => ({
    submissions: await q('SELECT * FROM submissions WHERE unit_id = $1 ORDER BY id', [mw.unitB]),
    evidence: await q('SELECT * FROM submission_evidence WHERE submission_id = $1 ORDER BY id', [rec.submission]),
    events: await q('SELECT * FROM submission_events WHERE submission_id = $1 ORDER BY id', [rec.submission]),
  });
  const caseOfB = async () => ({
    case: await q('SELECT * FROM cases WHERE id = $1', [rec.case]),
    dispatches: await q('SELECT * FROM case_dispatches WHERE case_id = $1 ORDER BY id', [rec.case]),
    events: await q('SELECT * FROM case_events WHERE case_id = $1 ORDER BY id', [rec.case]),
    attachments: await q('SELECT * FROM case_attachments WHERE case_id = $1 ORDER BY id', [rec.case]),
  });

  const WRITES: ModuleProbe[] = [
    // performance plans
    { name: "PUT B's plan targets", who: 'reporter', send: (c) => c.put(`/api/years/${mw.yearId}/plans/${mw.unitB}`, { targets: [{ indicatorId: mw.leafValue, target: 1 }] }), snapshot: planOfB },
    { name: "submit B's plan", who: 'leader', send: (c) => c.post(`/api/years/${mw.yearId}/plans/${mw.unitB}/submit`), snapshot: planOfB },
    {
      name: "request an adjustment of B's plan",
      who: 'reporter',
      send: (c) => c.post(`/api/years/${mw.yearId}/plans/${mw.unitB}/adjustments`, { indicatorId: mw.leafValue, newTarget: 1, reason: '甲替乙调整' }),
      snapshot: planOfB,
    },
    // reporting submissions and evidence
    { name: "PUT B's submission", who: 'reporter', send: (c) => c.put(`/api/reporting/submissions/${rec.submission}`, { values: { value: 999 } }), snapshot: submissionOfB },
    { name: "submit B's submission", who: 'reporter', send: (c) => c.post(`/api/reporting/submissions/${rec.submission}/submit`, {}), snapshot: submissionOfB },
    { name: "DELETE B's submission", who: 'reporter', send: (c) => c.delete(`/api/reporting/submissions/${rec.submission}`), snapshot: submissionOfB },
    { name: "approve B's submission", who: 'leader', send: (c) => c.post(`/api/reporting/submissions/${rec.submission}/approve`), snapshot: submissionOfB },
    {
      name: "bulk-approve B's submission",
      who: 'leader',
      send: (c) => c.post('/api/reporting/submissions/bulk-approve', { ids: [rec.submission] }),
      snapshot: submissionOfB,
      bulk: true,
    },
    {
      name: 'save a submission for B',
      who: 'reporter',
      send: (c) => c.post('/api/reporting/submissions', { indicatorId: mw.leafValue, unitId: mw.unitB, period: '2026-08', values: { value: 1 } }),
      snapshot: submissionOfB,
    },
    {
      name: "upload evidence to B's submission",
      who: 'reporter',
      send: (c) => c.request({ method: 'POST', url: `/api/reporting/submissions/${rec.submission}/evidence`, ...reportingMultipart('甲.pdf', TINY_PDF, 'application/pdf') }),
      snapshot: submissionOfB,
    },
    { name: "DELETE B's evidence", who: 'reporter', send: (c) => c.delete(`/api/reporting/evidence/${rec.evidence}`), snapshot: submissionOfB },
    // cases
    { name: "sign B's case", who: 'handler', send: (c) => c.post(`/api/cases/${rec.case}/sign`), snapshot: caseOfB },
    { name: "start B's case", who: 'handler', send: (c) => c.post(`/api/cases/${rec.case}/start`), snapshot: caseOfB },
    { name: "report on B's case", who: 'handler', send: (c) => c.post(`/api/cases/${rec.case}/report`, { result: '甲单位代为办结' }), snapshot: caseOfB },
    { name: "return B's case", who: 'handler', send: (c) => c.post(`/api/cases/${rec.case}/return`, { reason: '甲单位退回' }), snapshot: caseOfB },
    { name: "ask an extension of B's case", who: 'handler', send: (c) => c.post(`/api/cases/${rec.case}/extension`, { days: 5, reason: '甲单位申请' }), snapshot: caseOfB },
    {
      name: "attach a file to B's case",
      who: 'handler',
      send: (c) => c.request({ method: 'POST', url: `/api/cases/${rec.case}/attachments`, ...casesMultipart({}, [{ field: 'file', filename: '甲.png', content: PNG, type: 'image/png' }]) }),
      snapshot: caseOfB,
    },
  ];

  const READS: Omit<ModuleProbe, 'snapshot'>[] = [
    { name: "GET B's plan", who: 'reporter', send: (c) => c.get(`/api/years/${mw.yearId}/plans/${mw.unitB}`) },
    { name: "GET B's responsibility book", who: 'reporter', send: (c) => c.get(`/api/years/${mw.yearId}/plans/${mw.unitB}/book.docx`) },
    { name: "GET B's submission", who: 'reporter', send: (c) => c.get(`/api/reporting/submissions/${rec.submission}`) },
    { name: "GET B's submission (unit leader)", who: 'leader', send: (c) => c.get(`/api/reporting/submissions/${rec.submission}`) },
    { name: "download B's evidence", who: 'reporter', send: (c) => c.get(`/api/reporting/evidence/${rec.evidence}`) },
    { name: "GET B's Excel template", who: 'reporter', send: (c) => c.get(`/api/reporting/excel/template?unitId=${mw.unitB}&period=2026-09`) },
    { name: "GET B's case", who: 'handler', send: (c) => c.get(`/api/cases/${rec.case}`) },
    { name: "GET B's case attachment", who: 'handler', send: (c) => c.get(`/api/cases/${rec.case}/attachments/${rec.attachment}`) },
    { name: "GET B's case statistics", who: 'handler', send: (c) => c.get(`/api/case-stats?month=2026-10&unitId=${mw.unitB}`) },
    { name: "GET B's case statistics trend", who: 'handler', send: (c) => c.get(`/api/case-stats/trend?unitId=${mw.unitB}&from=2026-01&to=2026-10`) },
    { name: "GET B's unit scores", who: 'reporter', send: (c) => c.get(`/api/scores/units/${mw.unitB}?yearId=${mw.yearId}`) },
    { name: "GET B's score explanation", who: 'reporter', send: (c) => c.get(`/api/scores/explain?yearId=${mw.yearId}&unitId=${mw.unitB}`) },
    { name: 'compare with B', who: 'reporter', send: (c) => c.get(`/api/scores/compare?yearId=${mw.yearId}&unitId=${mw.unitB}`) },
    { name: "GET B's score inputs", who: 'reporter', send: (c) => c.get(`/api/scores/inputs?yearId=${mw.yearId}&unitId=${mw.unitB}`) },
    { name: "GET B's deductions", who: 'reporter', send: (c) => c.get(`/api/scores/deductions?yearId=${mw.yearId}&unitId=${mw.unitB}`) },
  ];

  it.each(WRITES)('is refused: $name, and B is unchanged', async (probe) => {
    const before = await probe.snapshot();
    const auditBefore = await env.database.query(`SELECT count(*)::int AS n FROM audit_entries WHERE action NOT LIKE 'auth.%'`);
    const res = await probe.send(as[probe.who]);
    if (probe.bulk) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ done: [], failed: [{ id: rec.submission }] });
      expect(res.json().failed[0].message).toBe('记录不存在或无权访问');
    } else {
      expect([403, 404], res.body).toContain(res.statusCode);
      expect(['FORBIDDEN', 'NOT_FOUND']).toContain(res.json().error.code);
    }
    expect(await probe.snapshot()).toEqual(before);
    expect(await env.database.query(`SELECT count(*)::int AS n FROM audit_entries WHERE action NOT LIKE 'auth.%'`)).toEqual(auditBefore);
  });

  it.each(READS)('is refused: $name', async (probe) => {
    const res = await probe.send(as[probe.who]);
    expect([403, 404], res.body).toContain(res.statusCode);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(res.json().error.code);
    expect(res.body).not.toContain('乙局');
  });

  it("B's own users still reach the records (the refusals above are about scope, not broken records)", async () => {
    const reporterB = await env.userClient({ roles: ['reporter'], unitId: mw.unitB });
    expect((await reporterB.get(`/api/reporting/submissions/${rec.submission}`)).statusCode).toBe(200);
    expect((await reporterB.get(`/api/reporting/evidence/${rec.evidence}`)).statusCode).toBe(200);
    expect((await reporterB.get(`/api/years/${mw.yearId}/plans/${mw.unitB}`)).statusCode).toBe(200);
    const handlerB = await env.userClient({ roles: ['handler'], unitId: mw.unitB });
    expect((await handlerB.get(`/api/cases/${rec.case}`)).statusCode).toBe(200);
    expect((await handlerB.get(`/api/case-stats?month=2026-10&unitId=${mw.unitB}`)).statusCode).toBe(200);
    for (const url of [
      `/api/scores/units/${mw.unitB}?yearId=${mw.yearId}`,
      `/api/scores/explain?yearId=${mw.yearId}&unitId=${mw.unitB}`,
      `/api/scores/compare?yearId=${mw.yearId}&unitId=${mw.unitB}`,
      `/api/scores/inputs?yearId=${mw.yearId}&unitId=${mw.unitB}`,
      `/api/scores/deductions?yearId=${mw.yearId}&unitId=${mw.unitB}`,
    ]) {
      const res = await reporterB.get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    }
  });
});
