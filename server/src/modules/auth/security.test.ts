// Issue 12's account and HTTP security findings, one test each (each failed before its fix).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { createTestEnv, TEST_PASSWORD, type Client, type TestEnv } from '../../test/helpers.js';
import { issueSetupToken } from '../setup/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

const login = (e: TestEnv, username: string, password: string, headers: Record<string, string> = {}) =>
  e.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });

const auditCount = async (e: TestEnv, action: string, entityId: number) =>
  (
    await e.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = $1 AND entity_id = $2`,
      [action, String(entityId)],
    )
  )[0].n;

describe('login throttling', () => {
  it('checks at most the limit of passwords in a burst of 41 concurrent attempts', async () => {
    const id = await env.buildUser({ username: 'burst', roles: ['reporter'] });
    const answers = await Promise.all(Array.from({ length: 41 }, (_, i) => login(env, 'burst', `wrong-${i}-Pw`)));
    const checked = answers.filter((r) => r.statusCode === 401).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(await auditCount(env, 'auth.login_failed', id)).toBeLessThanOrEqual(5);
    expect(answers.filter((r) => r.statusCode === 423).length).toBeGreaterThanOrEqual(36);
    // Locked, even for the right password.
    expect((await login(env, 'burst', TEST_PASSWORD)).statusCode).toBe(423);
  });

  it('answers an unknown username exactly like a known one, lockout included, in similar time', async () => {
    await env.buildUser({ username: 'known1', roles: ['reporter'] });
    const run = async (username: string) => {
      const codes: string[] = [];
      const t0 = performance.now();
      for (let i = 0; i < 6; i++) {
        const r = await login(env, username, `Nope-${i}-pw`);
        codes.push(`${r.statusCode} ${r.json().error.code} ${r.json().error.message}`);
      }
      return { codes, ms: performance.now() - t0 };
    };
    const known = await run('known1');
    const unknown = await run('ghost_no_such_user');
    expect(unknown.codes).toEqual(known.codes);
    expect(known.codes.at(-1)).toMatch(/^423 ACCOUNT_LOCKED/);
    // Both pay for the password checks: the unknown one is not much faster (same argon2 work).
    expect(unknown.ms).toBeGreaterThan(known.ms * 0.25); // loose: the machine is shared; skipping the hash would be ~100x faster
  });

  it('throttles one IP across many usernames (429), and X-Forwarded-For does not get around it by default', async () => {
    const e = await createTestEnv({ security: { loginIpMaxFailures: 8 } as never });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 10; i++)
        codes.push((await login(e, `spray${i}`, 'Wrong-pass1', { 'x-forwarded-for': `198.51.100.${i}` })).statusCode);
      expect(codes.slice(0, 8).every((c) => c === 401)).toBe(true);
      expect(codes.slice(8)).toEqual([429, 429]);
    } finally {
      await e.close();
    }
  });
});

describe('client IP (TRUST_PROXY)', () => {
  it('ignores X-Forwarded-For by default: the audit entry has the real peer address', async () => {
    const id = await env.buildUser({ username: 'xff1', roles: ['reporter'] });
    expect((await login(env, 'xff1', TEST_PASSWORD, { 'x-forwarded-for': '203.0.113.77' })).statusCode).toBe(200);
    const [row] = await env.database.query<{ ip: string }>(
      `SELECT ip FROM audit_entries WHERE action = 'auth.login' AND entity_id = $1`,
      [String(id)],
    );
    expect(row.ip).toBe('127.0.0.1');
  });

  it('honours X-Forwarded-For from a trusted proxy (hop count)', async () => {
    const e = await createTestEnv({ security: { trustProxy: 1 } as never });
    try {
      const id = await e.buildUser({ username: 'xff2', roles: ['reporter'] });
      expect((await login(e, 'xff2', TEST_PASSWORD, { 'x-forwarded-for': '203.0.113.78' })).statusCode).toBe(200);
      const [row] = await e.database.query<{ ip: string }>(
        `SELECT ip FROM audit_entries WHERE action = 'auth.login' AND entity_id = $1`,
        [String(id)],
      );
      expect(row.ip).toBe('203.0.113.78');
      // Over HTTPS (as the proxy says): HSTS.
      const https = await e.app.inject({
        method: 'GET',
        url: '/api/health',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(https.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await e.close();
    }
  });
});

describe('login CSRF', () => {
  it('refuses a sign-in posted from another site and accepts the same origin', async () => {
    await env.buildUser({ username: 'csrf1', roles: ['reporter'] });
    const evil = await login(env, 'csrf1', TEST_PASSWORD, { origin: 'https://evil.example' });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().error.code).toBe('CROSS_ORIGIN');
    expect(evil.headers['set-cookie']).toBeUndefined();
    expect((await login(env, 'csrf1', TEST_PASSWORD, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await login(env, 'csrf1', TEST_PASSWORD, { origin: 'null' })).statusCode).toBe(403);
    expect(
      (await login(env, 'csrf1', TEST_PASSWORD, { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' }))
        .statusCode,
    ).toBe(200);
  });
});

describe('sessions', () => {
  it('ends the sessions of a user whose password the admin resets or whose roles change', async () => {
    const admin = await env.userClient({ roles: ['admin'] });
    const sec = await env.userClient({ roles: ['security_admin'] });
    const id = await env.buildUser({ username: 'sess1', roles: ['reporter'] });
    const c1 = await env.login('sess1');
    expect((await c1.get('/api/auth/me')).statusCode).toBe(200);
    expect((await admin.patch(`/api/users/${id}`, { password: 'Reset-2026-pw' })).statusCode).toBe(200);
    expect((await c1.get('/api/auth/me')).statusCode).toBe(401);

    const id2 = await env.buildUser({ username: 'sess2', roles: ['reporter'] });
    const c2 = await env.login('sess2');
    expect((await sec.patch(`/api/users/${id2}`, { roles: ['reporter', 'handler'] })).statusCode).toBe(200);
    expect((await c2.get('/api/auth/me')).statusCode).toBe(401);
    // A change of name only keeps the session.
    const c3 = await env.login('sess2');
    expect((await admin.patch(`/api/users/${id2}`, { displayName: '改名' })).statusCode).toBe(200);
    expect((await c3.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('ends a session idle for longer than the idle timeout (30 minutes), and keeps a used one', async () => {
    const c = await env.userClient({ username: 'idle1', roles: ['reporter'] });
    await env.database.query(`UPDATE sessions SET last_seen_at = now() - interval '20 minutes' WHERE user_id = $1`, [
      c.userId,
    ]);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    // That request counted as use.
    const [s] = await env.database.query<{ idle: number }>(
      `SELECT extract(epoch FROM now() - last_seen_at)::int AS idle FROM sessions WHERE user_id = $1`,
      [c.userId],
    );
    expect(s.idle).toBeLessThan(60);
    await env.database.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [
      c.userId,
    ]);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });
});

describe('forced password change and password policy', () => {
  let admin: Client;
  beforeAll(async () => {
    admin = await env.userClient({ roles: ['admin'] });
  });

  it('sends a user the admin created to the password change, and nowhere else, until done', async () => {
    const created = await admin.post('/api/users', {
      username: 'newbie',
      displayName: '新人',
      password: 'Initial-2026',
      unitId: env.rootUnitId,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ roles: [], mustChangePassword: true });
    // The security admin grants the role (the system admin creates the account).
    const sec = await env.userClient({ roles: ['security_admin'] });
    expect((await sec.patch(`/api/users/${created.json().id}`, { roles: ['reporter'] })).statusCode).toBe(200);
    const res = await login(env, 'newbie', 'Initial-2026');
    expect(res.statusCode).toBe(200);
    expect(res.json().mustChangePassword).toBe(true);
    const c = await env.login('newbie', 'Initial-2026');
    const blocked = await c.get('/api/units');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await c.get('/api/auth/me')).json().mustChangePassword).toBe(true);
    // The policy: length, character classes, not the username, not the current one.
    for (const [pw, why] of [
      ['Short-1', /10/],
      ['alllowercaseletters', /3/],
      ['Newbie-2026-x', /用户名/],
      ['Initial-2026', /最近 5 次/],
    ] as const) {
      const r = await c.post('/api/auth/password', { currentPassword: 'Initial-2026', newPassword: pw });
      expect(r.statusCode, pw).toBe(400);
      expect(r.json().error.field).toBe('newPassword');
      expect(r.json().error.message).toMatch(why);
    }
    expect(
      (await c.post('/api/auth/password', { currentPassword: 'Initial-2026', newPassword: 'Mine-2026-ok' })).statusCode,
    ).toBe(204);
    expect((await c.get('/api/units')).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).json().mustChangePassword).toBe(false);
  });

  it('forces a change after an admin reset too, and refuses any of the last 5 passwords', async () => {
    const id = await env.buildUser({ username: 'hist1', roles: ['reporter'] });
    const c = await env.login('hist1');
    const seq = ['Hist-pass-01', 'Hist-pass-02', 'Hist-pass-03', 'Hist-pass-04', 'Hist-pass-05'];
    let current = TEST_PASSWORD;
    for (const pw of seq) {
      expect((await c.post('/api/auth/password', { currentPassword: current, newPassword: pw })).statusCode).toBe(204);
      current = pw;
    }
    for (const old of seq)
      expect((await c.post('/api/auth/password', { currentPassword: current, newPassword: old })).statusCode, old).toBe(
        400,
      );
    // Six changes ago: allowed again.
    expect(
      (await c.post('/api/auth/password', { currentPassword: current, newPassword: TEST_PASSWORD })).statusCode,
    ).toBe(204);
    expect((await admin.patch(`/api/users/${id}`, { password: 'Admin-set-2026' })).json().mustChangePassword).toBe(
      true,
    );
    const again = await env.login('hist1', 'Admin-set-2026');
    expect((await again.get('/api/units')).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('does not force the demo-style accounts that nobody reset', async () => {
    const c = await env.userClient({ roles: ['reporter'] });
    expect((await c.get('/api/auth/me')).json().mustChangePassword).toBe(false);
    expect((await c.get('/api/units')).statusCode).toBe(200);
  });
});

describe('三员分立: system, security and audit admin', () => {
  let admin: Client;
  let sec: Client;
  let auditor: Client;
  beforeAll(async () => {
    admin = await env.userClient({ username: 'sys_a', roles: ['admin'] });
    sec = await env.userClient({ username: 'sec_a', roles: ['security_admin'] });
    auditor = await env.userClient({ username: 'aud_a', roles: ['audit_admin'] });
  });

  it('the system admin cannot grant roles, not even to itself', async () => {
    const self = await admin.patch(`/api/users/${admin.userId}`, { roles: ['admin', 'office'] });
    expect(self.statusCode).toBe(400);
    const id = await env.buildUser({ roles: ['reporter'] });
    const other = await admin.patch(`/api/users/${id}`, { roles: ['office'] });
    expect(other.statusCode).toBe(403);
    const create = await admin.post('/api/users', {
      username: 'withrole',
      displayName: '带角色',
      password: 'Initial-2026',
      unitId: env.rootUnitId,
      roles: ['office'],
    });
    expect(create.statusCode).toBe(403);
    expect(
      await env.database.query(`SELECT 1 FROM user_roles WHERE user_id = $1 AND role = 'admin'`, [id]),
    ).toHaveLength(0);
    expect(
      await env.database.query(`SELECT 1 FROM user_roles WHERE user_id = $1 AND role = 'office'`, [admin.userId]),
    ).toHaveLength(0);
  });

  it('the security admin grants roles (audited) but edits no account and not its own roles', async () => {
    const id = await env.buildUser({ roles: ['reporter'] });
    const ok = await sec.patch(`/api/users/${id}`, { roles: ['unit_leader'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().roles).toEqual(['unit_leader']);
    const [entry] = await env.database.query<{
      before: { roles: string[] };
      after: { roles: string[] };
      actor_id: number;
    }>(`SELECT before, after, actor_id FROM audit_entries WHERE action = 'user.roles_changed' AND entity_id = $1`, [
      String(id),
    ]);
    expect(entry).toMatchObject({
      before: { roles: ['reporter'] },
      after: { roles: ['unit_leader'] },
      actor_id: sec.userId,
    });
    expect((await sec.patch(`/api/users/${sec.userId}`, { roles: ['security_admin', 'office'] })).statusCode).toBe(400);
    expect((await sec.patch(`/api/users/${id}`, { displayName: '安全员改名' })).statusCode).toBe(403);
    expect((await sec.patch(`/api/users/${id}`, { password: 'Sec-set-2026' })).statusCode).toBe(403);
    expect(
      (
        await sec.post('/api/users', {
          username: 'secmade',
          displayName: 'x',
          password: 'Initial-2026',
          unitId: env.rootUnitId,
        })
      ).statusCode,
    ).toBe(403);
    expect((await sec.get('/api/users')).statusCode).toBe(200);
  });

  it('one account holds at most one of the three admin roles', async () => {
    const id = await env.buildUser({ roles: ['reporter'] });
    const res = await sec.patch(`/api/users/${id}`, { roles: ['admin', 'audit_admin'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('roles');
  });

  it('only the audit admin (and the office) reads the audit log; the system admin does not', async () => {
    expect((await admin.get('/api/audit')).statusCode).toBe(403);
    expect((await sec.get('/api/audit')).statusCode).toBe(403);
    expect((await auditor.get('/api/audit')).statusCode).toBe(200);
    expect((await auditor.get('/api/users')).statusCode).toBe(403);
    expect((await auditor.patch(`/api/users/${admin.userId}`, { roles: ['office'] })).statusCode).toBe(403);
  });
});

describe('security headers and API docs', () => {
  it('sends CSP, frame, nosniff and referrer headers on API answers and errors, HSTS only over HTTPS', async () => {
    for (const url of ['/api/health', '/api/no-such-route']) {
      const res = await env.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    // X-Forwarded-Proto from an untrusted client does not turn HSTS on (TRUST_PROXY off).
    const spoofed = await env.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });

  it('shows the API docs only to signed-in users unless API_DOCS_PUBLIC', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/docs/json' })).statusCode).toBe(401);
    expect((await env.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(401);
    const c = await env.userClient({ roles: ['reporter'] });
    const docs = await c.get('/api/docs/json');
    expect(docs.statusCode).toBe(200);
    expect(docs.json().openapi).toMatch(/^3/);
    const pub = await createTestEnv({ security: { apiDocsPublic: true } as never });
    try {
      expect((await pub.app.inject({ method: 'GET', url: '/api/docs/json' })).statusCode).toBe(200);
    } finally {
      await pub.close();
    }
  });
});

describe('demo safety and settings', () => {
  it('listens on 127.0.0.1 with the demo seed unless HOST is set, and says it is a demo', async () => {
    const base = { DATA_DIR: '.tmp/test-config', SESSION_SECRET: 'x'.repeat(32) };
    expect(loadConfig({ ...base, SEED_DEMO: 'true' }).host).toBe('127.0.0.1');
    expect(loadConfig({ ...base }).host).toBe('127.0.0.1'); // PGlite: the demo is the default
    expect(loadConfig({ ...base, SEED_DEMO: 'true', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ ...base, SEED_DEMO: 'false' }).host).toBe('0.0.0.0');
    await env.buildUser({ roles: ['reporter'] });
    expect((await env.anon.get('/api/setup')).json()).toMatchObject({ demo: false, setupRequired: false });
    const demo = await createTestEnv({ seedDemo: true });
    try {
      expect((await demo.anon.get('/api/setup')).json().demo).toBe(true);
    } finally {
      await demo.close();
    }
  });

  it('reads TRUST_PROXY as off, a hop count or proxy addresses, and refuses anything else', () => {
    const base = { DATA_DIR: '.tmp/test-config', SESSION_SECRET: 'x'.repeat(32) };
    expect(loadConfig(base).security.trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '2' }).security.trustProxy).toBe(2);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.5, 172.16.0.0/12' }).security.trustProxy).toEqual([
      '10.0.0.5',
      '172.16.0.0/12',
    ]);
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'everyone' })).toThrow(ConfigError);
    expect(loadConfig({ ...base, SESSION_IDLE_MINUTES: '45', PASSWORD_MIN_LENGTH: '12' }).security).toMatchObject({
      sessionIdleMinutes: 45,
      password: { minLength: 12 },
    });
  });
});

describe('setup step (in-process, both databases)', () => {
  it('accepts the printed token once, only while no user exists, and keeps an existing top unit', async () => {
    const e = await createTestEnv();
    try {
      const token = await issueSetupToken(e.database);
      expect(token).toMatch(/^[\w-]{32}$/);
      const body = (t: string) => ({
        token: t,
        districtName: '另一个区',
        admin: { username: 'sys1', displayName: '系统', password: 'Sys-pass-2026' },
        securityAdmin: { username: 'sec1', displayName: '安全', password: 'Sec-pass-2026' },
        auditAdmin: { username: 'aud1', displayName: '审计', password: 'Aud-pass-2026' },
      });
      const cross = await e.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: body(token!),
        headers: { origin: 'https://evil.example' },
      });
      expect(cross.statusCode).toBe(403);
      const same = await e.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { ...body(token!), auditAdmin: { ...body(token!).auditAdmin, username: 'sys1' } },
      });
      expect(same.json().error.field).toBe('auditAdmin.username');
      const ok = await e.app.inject({ method: 'POST', url: '/api/setup', payload: body(token!) });
      expect(ok.statusCode).toBe(201);
      const rows = await e.database.query<{ username: string; role: string; unit_id: number }>(
        `SELECT u.username, r.role, u.unit_id FROM users u JOIN user_roles r ON r.user_id = u.id ORDER BY u.id`,
      );
      expect(rows).toEqual([
        { username: 'sys1', role: 'admin', unit_id: e.rootUnitId },
        { username: 'sec1', role: 'security_admin', unit_id: e.rootUnitId },
        { username: 'aud1', role: 'audit_admin', unit_id: e.rootUnitId },
      ]);
      expect((await e.app.inject({ method: 'POST', url: '/api/setup', payload: body(token!) })).statusCode).toBe(403);
      expect(await issueSetupToken(e.database)).toBeNull();
      const [{ n }] = await e.database.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'setup.admin_created'`,
      );
      expect(n).toBe(3);
    } finally {
      await e.close();
    }
  });
});
