import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, TEST_PASSWORD, type Client, type TestEnv } from '../../test/helpers.js';
import { MAX_FAILED_LOGINS } from '../auth/index.js';

let env: TestEnv;
let admin: Client;
let unitA: number;
let unitB: number;
beforeAll(async () => {
  env = await createTestEnv();
  // Holds both halves (the API never grants both to one account; the test helper inserts directly): the split is tested in auth/security.test.ts.
  admin = await env.userClient({ username: 'users_admin', roles: ['admin', 'security_admin'] });
  unitA = await env.buildUnit({ code: 'UA', name: '甲局' });
  unitB = await env.buildUnit({ code: 'UB', name: '乙局' });
});
afterAll(async () => env?.close());

/** Every response body is checked for leaked password material. */
function noSecrets(res: LightMyRequestResponse): LightMyRequestResponse {
  expect(res.body).not.toContain('password_hash');
  expect(res.body).not.toContain('passwordHash');
  expect(res.body).not.toContain('$argon2');
  return res;
}

const userRow = async (id: number) =>
  (
    await env.database.query<{ display_name: string; unit_id: number; active: boolean; phone: string | null }>(
      'SELECT display_name, unit_id, active, phone FROM users WHERE id = $1',
      [id],
    )
  )[0];

const newUser = (over: Record<string, unknown> = {}) => ({
  username: `u${Math.random().toString(36).slice(2, 8)}`,
  displayName: '张三',
  password: 'Secret2026',
  unitId: unitA,
  roles: ['reporter'],
  ...over,
});

describe('users', () => {
  it('creates a user and answers it without any password material; the audit entry has none either', async () => {
    const res = noSecrets(await admin.post('/api/users', newUser({ username: 'zhangsan', phone: '13800000001' })));
    expect(res.statusCode).toBe(201);
    const u = res.json();
    expect(u).toMatchObject({
      username: 'zhangsan',
      displayName: '张三',
      unitId: unitA,
      phone: '13800000001',
      roles: ['reporter'],
      active: true,
      locked: false,
      leaderUnitIds: [],
    });
    expect(Object.keys(u).sort()).toEqual([
      'active',
      'createdAt',
      'displayName',
      'id',
      'leaderUnitIds',
      'locked',
      'mustChangePassword',
      'phone',
      'roles',
      'unitId',
      'username',
    ]);
    expect(u.mustChangePassword).toBe(true);
    // The new user can sign in with the password given.
    expect((await env.anon.post('/api/auth/login', { username: 'zhangsan', password: 'Secret2026' })).statusCode).toBe(
      200,
    );
    const [entry] = await env.database.query<{ after: unknown }>(
      `SELECT after FROM audit_entries WHERE action = 'user.create' AND entity_id = $1`,
      [String(u.id)],
    );
    // No password material (the mustChangePassword flag is not one).
    expect(JSON.stringify(entry.after)).not.toMatch(/argon2|passwordHash|"password"|Secret2026/i);
    const auditor = await env.userClient({ roles: ['audit_admin'] });
    const log = noSecrets(await auditor.get('/api/audit?entityType=user'));
    expect(log.statusCode).toBe(200);
  });

  it('lists users with filters by unit, role and text, never with password material', async () => {
    const a = (
      await admin.post(
        '/api/users',
        newUser({ username: 'li_a', displayName: '李甲', unitId: unitA, roles: ['unit_leader'] }),
      )
    ).json();
    const b = (
      await admin.post(
        '/api/users',
        newUser({ username: 'wang_b', displayName: '王乙', unitId: unitB, roles: ['handler', 'reporter'] }),
      )
    ).json();
    const all = noSecrets(await admin.get('/api/users'));
    expect(all.statusCode).toBe(200);
    const ids = all.json().map((u: { id: number }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id, admin.userId]));
    const byUnit = (await admin.get(`/api/users?unitId=${unitB}`)).json();
    expect(byUnit.map((u: { id: number }) => u.id)).toEqual([b.id]);
    const byRole = (await admin.get('/api/users?role=unit_leader')).json();
    expect(byRole.map((u: { id: number }) => u.id)).toEqual([a.id]);
    const byText = (await admin.get(`/api/users?q=${encodeURIComponent('王')}`)).json();
    expect(byText.map((u: { id: number }) => u.id)).toEqual([b.id]);
    expect((await admin.get('/api/users?q=WANG_')).json().map((u: { id: number }) => u.id)).toEqual([b.id]);
    expect(noSecrets(await admin.get(`/api/users/${b.id}`)).json()).toMatchObject({
      username: 'wang_b',
      roles: expect.arrayContaining(['handler', 'reporter']),
    });
    const badRole = await admin.get('/api/users?role=king');
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error.field).toBe('role');
  });

  it('updates name, unit, phone and roles with an audit entry of before and after', async () => {
    const u = (await admin.post('/api/users', newUser({ username: 'upd1' }))).json();
    const res = noSecrets(
      await admin.patch(`/api/users/${u.id}`, {
        displayName: '张三丰',
        unitId: unitB,
        phone: null,
        roles: ['unit_leader'],
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ displayName: '张三丰', unitId: unitB, phone: null, roles: ['unit_leader'] });
    expect(await userRow(u.id)).toMatchObject({ display_name: '张三丰', unit_id: unitB });
    const [entry] = await env.database.query<{
      before: Record<string, unknown>;
      after: Record<string, unknown>;
      unit_id: number;
    }>(`SELECT before, after, unit_id FROM audit_entries WHERE action = 'user.update' AND entity_id = $1`, [
      String(u.id),
    ]);
    expect(entry.before).toMatchObject({ displayName: '张三', unitId: unitA, roles: ['reporter'] });
    expect(entry.after).toMatchObject({ displayName: '张三丰', unitId: unitB, roles: ['unit_leader'] });
    expect(entry.unit_id).toBe(unitB);
  });

  it('sets the units in charge of a district leader with the user, atomically', async () => {
    const res = noSecrets(
      await admin.post(
        '/api/users',
        newUser({
          username: 'fenguan',
          roles: ['district_leader'],
          unitId: env.rootUnitId,
          leaderUnitIds: [unitA, unitB, unitA],
        }),
      ),
    );
    expect(res.statusCode).toBe(201);
    expect([...res.json().leaderUnitIds].sort()).toEqual([unitA, unitB].sort());
    const upd = await admin.patch(`/api/users/${res.json().id}`, { leaderUnitIds: [unitB] });
    expect(upd.json().leaderUnitIds).toEqual([unitB]);
    // An unknown unit in charge: 400 naming the field, and no user is created.
    const bad = await admin.post(
      '/api/users',
      newUser({ username: 'fenguan2', roles: ['district_leader'], leaderUnitIds: [999999] }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('leaderUnitIds');
    expect(await env.database.query(`SELECT 1 FROM users WHERE username = 'fenguan2'`)).toHaveLength(0);
  });

  it('refuses a duplicate username with 409, creating nothing', async () => {
    await admin.post('/api/users', newUser({ username: 'twin' }));
    const res = noSecrets(await admin.post('/api/users', newUser({ username: 'twin', displayName: '双胞胎' })));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('DUPLICATE');
    expect(await env.database.query(`SELECT 1 FROM users WHERE username = 'twin'`)).toHaveLength(1);
  });

  it('refuses a weak password with 400 on the password field, on create and on reset', async () => {
    for (const password of ['abcdefgh', '12345678', 'short1']) {
      const res = await admin.post('/api/users', newUser({ username: 'weakling', password }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION', field: 'password' });
    }
    expect(await env.database.query(`SELECT 1 FROM users WHERE username = 'weakling'`)).toHaveLength(0);
    const id = await env.buildUser({ roles: ['reporter'] });
    const reset = await admin.patch(`/api/users/${id}`, { password: 'onlyletters' });
    expect(reset.json().error.field).toBe('password');
  });

  it('refuses an unknown unit with 400 on unitId', async () => {
    const res = await admin.post('/api/users', newUser({ username: 'nounit', unitId: 999999 }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('unitId');
    const id = await env.buildUser({ roles: ['reporter'] });
    expect((await admin.patch(`/api/users/${id}`, { unitId: 999999 })).json().error.field).toBe('unitId');
  });

  it('does not let an admin deactivate themself or change their own roles', async () => {
    const off = await admin.patch(`/api/users/${admin.userId}`, { active: false });
    expect(off.statusCode).toBe(400);
    expect(off.json().error.field).toBe('active');
    const demote = await admin.patch(`/api/users/${admin.userId}`, { roles: ['reporter'] });
    expect(demote.statusCode).toBe(400);
    expect(demote.json().error.field).toBe('roles');
    expect([...(await admin.get('/api/auth/me')).json().roles].sort()).toEqual(['admin', 'security_admin']);
    expect((await userRow(admin.userId)).active).toBe(true);
  });

  it('deactivates another user, who can then no longer sign in', async () => {
    const id = await env.buildUser({ username: 'leaver', roles: ['reporter'] });
    const c = await env.login('leaver');
    expect((await admin.patch(`/api/users/${id}`, { active: false })).json().active).toBe(false);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    expect((await env.anon.post('/api/auth/login', { username: 'leaver', password: TEST_PASSWORD })).statusCode).toBe(
      403,
    );
  });

  it('resets the password of a locked account, which unlocks it', async () => {
    const id = await env.buildUser({ username: 'locked1', roles: ['reporter'] });
    for (let i = 0; i < MAX_FAILED_LOGINS; i++)
      await env.anon.post('/api/auth/login', { username: 'locked1', password: `wrong${i}pass` });
    expect((await env.anon.post('/api/auth/login', { username: 'locked1', password: TEST_PASSWORD })).statusCode).toBe(
      423,
    );
    expect((await admin.get(`/api/users/${id}`)).json().locked).toBe(true);
    const reset = noSecrets(await admin.patch(`/api/users/${id}`, { password: 'Fresh2026pw' }));
    expect(reset.statusCode).toBe(200);
    expect(reset.json().locked).toBe(false);
    expect((await env.anon.post('/api/auth/login', { username: 'locked1', password: 'Fresh2026pw' })).statusCode).toBe(
      200,
    );
    const [entry] = await env.database.query<{ after: Record<string, unknown> }>(
      `SELECT after FROM audit_entries WHERE action = 'user.update' AND entity_id = $1`,
      [String(id)],
    );
    expect(entry.after).toMatchObject({ passwordReset: true });
    expect(JSON.stringify(entry.after)).not.toMatch(/Fresh2026pw|argon2/);
  });

  it('rejects anonymous callers (401) and users without users.manage (403), changing nothing', async () => {
    const victim = await env.buildUser({ roles: ['reporter'], unitId: unitA });
    expect((await env.anon.get('/api/users')).statusCode).toBe(401);
    expect((await env.anon.post('/api/users', newUser({ username: 'anonmade' }))).statusCode).toBe(401);
    expect((await env.anon.patch(`/api/users/${victim}`, { displayName: '匿名改' })).statusCode).toBe(401);
    for (const roles of [['office'], ['unit_leader'], ['reporter']] as const) {
      const c = await env.userClient({ roles: [...roles], unitId: unitA });
      expect((await c.get('/api/users')).statusCode).toBe(403);
      expect((await c.get(`/api/users/${victim}`)).statusCode).toBe(403);
      expect((await c.post('/api/users', newUser({ username: `made_${roles[0]}`, roles: ['admin'] }))).statusCode).toBe(
        403,
      );
      expect((await c.patch(`/api/users/${victim}`, { displayName: '越权改', roles: ['admin'] })).statusCode).toBe(403);
      // Nor may they make themselves admin.
      expect((await c.patch(`/api/users/${c.userId}`, { roles: ['admin'] })).statusCode).toBe(403);
    }
    expect(
      await env.database.query(`SELECT 1 FROM users WHERE username LIKE 'made_%' OR username = 'anonmade'`),
    ).toHaveLength(0);
    expect((await userRow(victim)).display_name).not.toMatch(/改/);
    expect(
      await env.database.query(`SELECT 1 FROM user_roles WHERE user_id = $1 AND role = 'admin'`, [victim]),
    ).toHaveLength(0);
  });

  it('answers 404 for unknown users', async () => {
    expect((await admin.get('/api/users/999999')).statusCode).toBe(404);
    expect((await admin.patch('/api/users/999999', { displayName: 'x' })).statusCode).toBe(404);
  });
});
