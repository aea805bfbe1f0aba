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
