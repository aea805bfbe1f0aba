/**
 * Unit scope: a user sees and changes only their own unit's data (and below), a district leader
 * the units in their charge, office-wide roles everything. Outsiders get 403 (no permission) or 404
 * (out of scope), and the other unit's rows are unchanged afterwards.
 *
 * The probes come from the modules' guard files (modules/<m>/<m>.guard.ts, `scope`; see guards.ts),
 * loaded for every module of the module list: a module with routes must either probe its unit-owned
 * data or say why it has none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser, Ctx } from '../lib/context.js';
import { MODULES } from '../modules/index.js';
import { buildWorld, setNow, type World as ReportingWorld } from '../modules/reporting/reporting.testkit.js';
import { assertUnitInScope, inScope, unitScope } from '../modules/units/index.js';
import { permissionsOf, type Role } from '../platform/access.js';
import { loadGuard, type ModuleDataKit, type ModuleGuard, type Query, type ScopeWorld } from './guards.js';
import { createTestEnv, type Client, type TestEnv } from './helpers.js';

/** Each module's guard, in module-list order (null: the module has no guard file). */
const GUARDS: [string, ModuleGuard | null][] = [];
for (const m of MODULES) GUARDS.push([m.name, await loadGuard(m.name)]);
const scopes = GUARDS.flatMap(([, g]) => (g ? [g.scope] : []));

let env: TestEnv;
let w: ScopeWorld;

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
  const roles = (await env.database.query<{ role: Role }>('SELECT role FROM user_roles WHERE user_id = $1', [id])).map(
    (r) => r.role,
  );
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    unitId: u.unit_id,
    roles,
    permissions: permissionsOf(roles),
  };
}

function ctxOf(user: AuthUser): Ctx {
  return {
    db: env.database.db,
    user,
    actor: { id: user.id, name: user.username, ip: null },
    lang: 'zh',
    scope: () => unitScope(env.database.db, user),
  };
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
    const leader = await authUser(
      await env.buildUser({ roles: ['district_leader'], unitId: env.rootUnitId, leaderOf: [w.unitA] }),
    );
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
    const leader = ctxOf(
      await authUser(await env.buildUser({ roles: ['district_leader'], unitId: env.rootUnitId, leaderOf: [w.unitA] })),
    );
    await expect(assertUnitInScope(leader, w.communityA)).resolves.toBeUndefined();
    await expect(assertUnitInScope(leader, w.communityB)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const office = ctxOf(await authUser(await env.buildUser({ roles: ['office'], unitId: w.unitA })));
    await expect(assertUnitInScope(office, w.communityB)).resolves.toBeUndefined();
  });
});

const q: Query = (sql, params) => env.database.query(sql, params);

describe('module guards', () => {
  it('every module with routes says what of it is unit-owned (scope probes) or why nothing is', () => {
    const missing = MODULES.filter((m) => m.routes.length && !GUARDS.find(([n]) => n === m.name)?.[1]).map(
      (m) => `${m.name}/${m.name}.guard.ts`,
    );
    expect(missing).toEqual([]);
    for (const [name, g] of GUARDS) {
      if (!g) continue;
      const s = g.scope;
      expect(
        Boolean(s.none) !== Boolean(s.foreignUnit || s.moduleData),
        `${name}: scope needs probes or a reason (none), not both`,
      ).toBe(true);
    }
  });
});

/** Writes by a user of unit A against B's units and users, from the modules' guards. */
const FOREIGN_UNIT_WRITES = scopes.flatMap((s) => s.foreignUnit?.(q).writes ?? []);
/** Reads of B's data by a user of A that must be refused (403 or 404). */
const FOREIGN_UNIT_READS = scopes.flatMap((s) => s.foreignUnit?.(q).reads ?? []);

/** The users of unit A (and one district leader in charge of A) who lack users.manage and units.manage. */
const OUTSIDERS: { label: string; roles: Role[]; leaderOfA?: boolean }[] = [
  { label: 'reporter of A', roles: ['reporter'] },
  { label: 'unit leader of A', roles: ['unit_leader'] },
  { label: 'district leader in charge of A', roles: ['district_leader'], leaderOfA: true },
];

describe.each(OUTSIDERS)('$label against unit B', ({ roles, leaderOfA }) => {
  let client: Client;
  beforeAll(async () => {
    client = await env.userClient({
      roles,
      unitId: leaderOfA ? env.rootUnitId : w.unitA,
      leaderOf: leaderOfA ? [w.unitA] : [],
    });
  });

  it.each(FOREIGN_UNIT_WRITES)('is refused: $name, and B is unchanged', async (probe) => {
    const before = await probe.snapshot(w);
    const auditBefore = await env.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action NOT LIKE 'auth.%'`,
    );
    const res = await probe.send(client, w);
    expect([403, 404]).toContain(res.statusCode);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(res.json().error.code);
    expect(await probe.snapshot(w)).toEqual(before);
    expect(
      await env.database.query(`SELECT count(*)::int AS n FROM audit_entries WHERE action NOT LIKE 'auth.%'`),
    ).toEqual(auditBefore);
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
  const rec: Record<string, number> = {};
  const as = {} as ModuleDataKit['as'];
  const own = {} as Record<'reporter' | 'handler', Client>;
  let restoreClock: () => void;
  let reporterB: Client;
  let agent: Client;
  // The probes are listed when the file is collected; they read the kit's records only when they run.
  const k = {
    get env() {
      return env;
    },
    get mw() {
      return mw;
    },
    get reporterB() {
      return reporterB;
    },
    get agent() {
      return agent;
    },
    rec,
    as,
    q,
  } satisfies ModuleDataKit;

  beforeAll(async () => {
    restoreClock = setNow('2026-10-10T02:00:00Z');
    mw = await buildWorld(env);
    as.reporter = await env.userClient({ roles: ['reporter'], unitId: mw.unitA });
    as.leader = await env.userClient({ roles: ['unit_leader'], unitId: mw.unitA });
    as.handler = await env.userClient({ roles: ['handler'], unitId: mw.unitA });
    reporterB = await env.userClient({ roles: ['reporter'], unitId: mw.unitB });
    agent = await env.userClient({ roles: ['agent'] });
    // B's records, made by each module through its own API, in module-list order.
    for (const s of scopes) await s.moduleData?.setup?.(k);
    own.reporter = reporterB;
    own.handler = await env.userClient({ roles: ['handler'], unitId: mw.unitB });
  });
  afterAll(() => restoreClock?.());

  const WRITES = scopes.flatMap((s) => s.moduleData?.writes?.(k) ?? []);
  const READS = scopes.flatMap((s) => s.moduleData?.reads?.(k) ?? []);

  it.each(WRITES)('is refused: $name, and B is unchanged', async (probe) => {
    const before = await probe.snapshot();
    const auditBefore = await env.database.query(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action NOT LIKE 'auth.%'`,
    );
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
    expect(
      await env.database.query(`SELECT count(*)::int AS n FROM audit_entries WHERE action NOT LIKE 'auth.%'`),
    ).toEqual(auditBefore);
  });

  it.each(READS)('is refused: $name', async (probe) => {
    const res = await probe.send(as[probe.who]);
    expect([403, 404], res.body).toContain(res.statusCode);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(res.json().error.code);
    expect(res.body).not.toContain('乙局');
  });

  it("B's own users still reach the records (the refusals above are about scope, not broken records)", async () => {
    const reads = scopes.flatMap((s) => s.moduleData?.ownReads?.(k) ?? []);
    expect(reads.length).toBeGreaterThan(0);
    for (const { who, url } of reads) {
      const res = await own[who].get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    }
  });
});
