import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, TEST_PASSWORD, type TestEnv } from '../../test/helpers.js';
import { MAX_FAILED_LOGINS } from './auth.service.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

describe('auth', () => {
  it('logs in, returns abilities and a CSRF token, never the hash', async () => {
    await env.buildUser({ username: 'alice', roles: ['admin'] });
    const res = await env.anon.post('/api/auth/login', { username: 'alice', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me.permissions).toContain('units.manage');
    expect(me.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(res.body).not.toContain('argon2');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('rejects a wrong password with 401 in Chinese, or English when asked', async () => {
    await env.buildUser({ username: 'bob', roles: ['reporter'] });
    const zh = await env.anon.post('/api/auth/login', { username: 'bob', password: 'wrong-pass1' });
    expect(zh.statusCode).toBe(401);
    expect(zh.json().error).toMatchObject({ code: 'BAD_CREDENTIALS', message: '用户名或密码错误' });
    const en = await env.anon.post(
      '/api/auth/login',
      { username: 'nobody', password: 'x' },
      { 'accept-language': 'en' },
    );
    expect(en.statusCode).toBe(401);
    expect(en.json().error.message).toBe('Wrong username or password');
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    await env.buildUser({ username: 'carol', roles: ['reporter'] });
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      expect((await env.anon.post('/api/auth/login', { username: 'carol', password: `bad${i}pass` })).statusCode).toBe(
        401,
      );
    }
    const res = await env.anon.post('/api/auth/login', { username: 'carol', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(423);
    expect(res.json().error.code).toBe('ACCOUNT_LOCKED');
  });

  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    const admin = await env.userClient({ roles: ['admin'] });
    const cookieOnly = await env.app.inject({
      method: 'POST',
      url: '/api/unit-categories',
      headers: { cookie: (await loginCookie('admin-csrf')).cookie },
      payload: { code: 'X1', name: '类别X' },
    });
    expect(cookieOnly.statusCode).toBe(403);
    expect(cookieOnly.json().error.code).toBe('CSRF');
    const ok = await admin.post('/api/unit-categories', { code: 'X2', name: '类别Y' });
    expect(ok.statusCode).toBe(201);
    const rows = await env.database.query<{ code: string }>(
      `SELECT code FROM unit_categories WHERE code IN ('X1','X2')`,
    );
    expect(rows.map((r) => r.code)).toEqual(['X2']);
  });

  it('requires login for /api/auth/me and forgets the session on logout', async () => {
    expect((await env.anon.get('/api/auth/me')).statusCode).toBe(401);
    const c = await env.userClient({ roles: ['office'] });
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('answers /api/auth/session with 200 either way: the user, or null when signed out', async () => {
    const anon = await env.anon.get('/api/auth/session');
    expect(anon.statusCode).toBe(200);
    expect(anon.json()).toEqual({ me: null });
    const c = await env.userClient({ roles: ['office'] });
    const s = await c.get('/api/auth/session');
    expect(s.statusCode).toBe(200);
    expect(s.json().me).toEqual((await c.get('/api/auth/me')).json());
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/auth/session')).json()).toEqual({ me: null });
  });

  it('changes the password only with the current one and a strong new one', async () => {
    const c = await env.userClient({ username: 'dave', roles: ['reporter'] });
    const wrong = await c.post('/api/auth/password', { currentPassword: 'nope-nope1', newPassword: 'NewPass2026' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('currentPassword');
    const weak = await c.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'abcdefgh' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.field).toBe('newPassword');
    expect(
      (await c.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'NewPass2026' })).statusCode,
    ).toBe(204);
    expect((await env.anon.post('/api/auth/login', { username: 'dave', password: TEST_PASSWORD })).statusCode).toBe(
      401,
    );
    expect((await env.anon.post('/api/auth/login', { username: 'dave', password: 'NewPass2026' })).statusCode).toBe(
      200,
    );
  });

  it('checks sign-in and permission before validating the body', async () => {
    const anon = await env.anon.post('/api/units', { code: '' });
    expect(anon.statusCode).toBe(401);
    const reporter = await env.userClient({ roles: ['reporter'] });
    const denied = await reporter.post('/api/units', { code: '' });
    expect(denied.statusCode).toBe(403);
    const admin = await env.userClient({ roles: ['admin'] });
    const invalid = await admin.post('/api/units', { code: '' });
    expect(invalid.statusCode).toBe(400);
  });

  it('names a wrongly typed field as invalid, not as missing', async () => {
    const admin = await env.userClient({ roles: ['admin'] });
    const res = await admin.post('/api/unit-categories', { code: 5, name: '类' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('code');
    expect(res.json().error.message).not.toContain('必填');
  });

  it('health reports the database kind', async () => {
    const res = await env.anon.get('/api/health');
    expect(res.json()).toEqual({ status: 'ok', db: env.database.kind });
  });
});

async function loginCookie(username: string) {
  await env.buildUser({ username, roles: ['admin'] });
  const res = await env.anon.post('/api/auth/login', { username, password: TEST_PASSWORD });
  return { cookie: String(res.headers['set-cookie']).split(';')[0] };
}
