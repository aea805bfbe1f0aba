// Done-means of issue 12's first run: a real server on an empty database (SEED_DEMO=false) prints a
// one-time setup link; the setup step creates the first admins; the system admin imports units and
// accounts from Excel; an account the admin creates or imports must change its password at the first
// sign-in.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCreate } from '../../cli/admin-create.js';
import { openPglite } from '../../db/client.js';

let child: ChildProcess;
let dataDir: string;
let baseUrl: string;
let output = '';

/** A tiny cookie-keeping client for the real server, sending the same-origin header a browser would. */
function browser() {
  let cookie = '';
  let csrf = '';
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(baseUrl + url, {
      method,
      headers: {
        origin: baseUrl,
        'sec-fetch-site': 'same-origin',
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
        ...(csrf && method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    const text = await res.text();
    const json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null;
    if (url === '/api/auth/login' && res.ok) csrf = json.csrfToken;
    return { status: res.status, json, headers: res.headers };
  };
  return {
    get: (u: string) => call('GET', u),
    post: (u: string, b?: unknown) => call('POST', u, b ?? {}),
    patch: (u: string, b: unknown) => call('PATCH', u, b),
    /** Uploads an Excel sheet (header row + rows) as the file of an import. */
    upload: async (u: string, header: string[], rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('导入');
      ws.addRow(header);
      for (const r of rows) ws.addRow(r);
      const fd = new FormData();
      fd.append('file', new Blob([await wb.xlsx.writeBuffer()]), 'list.xlsx');
      return call('POST', u, fd);
    },
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'xn-firstrun-'));
  const port = 3800 + Math.floor(Math.random() * 400);
  baseUrl = `http://127.0.0.1:${port}`;
  const { DATABASE_URL: _ignored, ...env } = process.env;
  child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const started = Date.now();
  while (!/setup\?token=/.test(output)) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    if (Date.now() - started > 120_000) throw new Error(`no setup link within 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 150_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('first run without the demo', () => {
  it('creates the first admins through the setup step; a new user must change the password', async () => {
    const token = /setup\?token=([\w-]+)/.exec(output)![1];
    // Printed on the console and in the log, and nowhere a known default password.
    expect(output.split(token).length - 1).toBeGreaterThanOrEqual(2);
    const anon = browser();
    expect((await anon.get('/api/setup')).json).toMatchObject({
      setupRequired: true,
      demo: false,
      passwordPolicy: { minLength: 10, minClasses: 3, history: 5 },
    });
    // Nobody can sign in yet; nor with the demo's published password.
    expect((await anon.post('/api/auth/login', { username: 'admin', password: 'Xiaoneng@2026' })).status).toBe(401);

    const setup = {
      districtName: '汉江区',
      admin: { username: 'sysadmin', displayName: '系统管理员', password: 'Sys-admin-2026' },
      securityAdmin: { username: 'secadmin', displayName: '安全管理员', password: 'Sec-admin-2026' },
      auditAdmin: { username: 'auditadmin', displayName: '审计管理员', password: 'Aud-admin-2026' },
    };
    const wrong = await anon.post('/api/setup', { ...setup, token: 'A'.repeat(32) });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.field).toBe('token');
    const weak = await anon.post('/api/setup', { ...setup, token, admin: { ...setup.admin, password: 'password1' } });
    expect(weak.status).toBe(400);
    expect(weak.json.error.field).toBe('admin.password');
    const done = await anon.post('/api/setup', { ...setup, token });
    expect(done.status).toBe(201);
    expect(done.json.users.map((u: { roles: string[] }) => u.roles[0])).toEqual([
      'admin',
      'security_admin',
      'audit_admin',
    ]);
    // The token is used up.
    expect((await anon.post('/api/setup', { ...setup, token })).status).toBe(403);
    expect((await anon.get('/api/setup')).json.setupRequired).toBe(false);

    // The system admin imports the district's units and accounts from Excel (the office keeps them in
    // Excel); accounts come without roles: granting is the security admin's.
    const sys = browser();
    const me = await sys.post('/api/auth/login', { username: 'sysadmin', password: 'Sys-admin-2026' });
    expect(me.status).toBe(200);
    expect(me.json.mustChangePassword).toBe(false);
    const root = (await sys.get('/api/units')).json[0] as { id: number; code: string };
    const unitHeader = ['单位编码', '单位名称', '单位类型', '上级单位编码'];
    // A row with an unknown parent: the whole file is refused, naming the row and column; nothing saved.
    const badUnits = await sys.upload('/api/units/excel/import', unitHeader, [
      ['CGJ', '区城市管理执法局', '部门', root.code],
      ['JD01', '汉正街街道', '街道', 'NOPE'],
    ]);
    expect(badUnits.status).toBe(400);
    expect(badUnits.json.errors).toEqual([expect.objectContaining({ row: 3, column: 'D' })]);
    expect((await sys.get('/api/units')).json).toHaveLength(1);
    const units = await sys.upload('/api/units/excel/import', unitHeader, [
      ['CGJ', '区城市管理执法局', '部门', root.code],
      ['JD01', '汉正街街道', '街道', root.code],
      ['SQ0101', '长堤街社区', '社区', 'JD01'],
    ]);
    expect(units.status).toBe(200);
    expect(units.json.created).toBe(3);
    const byCode = new Map(
      ((await sys.get('/api/units')).json as { id: number; code: string; parentId: number | null }[]).map((u) => [
        u.code,
        u,
      ]),
    );
    expect(byCode.get('SQ0101')!.parentId).toBe(byCode.get('JD01')!.id);
    const accounts = await sys.upload(
      '/api/users/excel/import',
      ['账号', '姓名', '所属单位编码', '角色', '手机号'],
      [
        ['liu', '刘填报', 'CGJ', '', '13800000001'],
        ['wang', '王街道', 'JD01', '', ''],
      ],
    );
    expect(accounts.status).toBe(200);
    expect(accounts.json.created).toBe(2);
    const liuId = ((await sys.get('/api/users')).json as { id: number; username: string }[]).find(
      (u) => u.username === 'liu',
    )!.id;
    // Nobody knows an imported account's password until the admin sets a first one (a reset).
    expect((await browser().post('/api/auth/login', { username: 'liu', password: 'Given-by-admin-1' })).status).toBe(
      401,
    );
    expect((await sys.patch(`/api/users/${liuId}`, { password: 'Given-by-admin-1' })).status).toBe(200);
    expect((await sys.patch(`/api/users/${liuId}`, { roles: ['reporter'] })).status).toBe(403);
    const sec = browser();
    expect((await sec.post('/api/auth/login', { username: 'secadmin', password: 'Sec-admin-2026' })).status).toBe(200);
    expect((await sec.patch(`/api/users/${liuId}`, { roles: ['reporter'] })).status).toBe(200);

    // The user signs in and is sent to the password change before anything else.
    const liu = browser();
    const first = await liu.post('/api/auth/login', { username: 'liu', password: 'Given-by-admin-1' });
    expect(first.status).toBe(200);
    expect(first.json.mustChangePassword).toBe(true);
    expect((await liu.get('/api/units')).json.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(
      (await liu.post('/api/auth/password', { currentPassword: 'Given-by-admin-1', newPassword: 'Own-pass-2026x' }))
        .status,
    ).toBe(204);
    expect((await liu.get('/api/units')).status).toBe(200);
    // Security headers on the real server too.
    const health = await anon.get('/api/health');
    expect(health.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('admin:create makes an admin from the command line (password on stdin), refusing a weak one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xn-admincreate-'));
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(`ERR ${l}`) };
    try {
      const env = { DATA_DIR: dir, SEED_DEMO: 'false', LOG_LEVEL: 'silent' };
      expect(
        await runAdminCreate(['--username', 'ops', '--password-stdin'], env, out, Readable.from(['weakpass\n'])),
      ).toBe(1);
      expect(lines.join('\n')).toMatch(/password/);
      const code = await runAdminCreate(
        ['--username', 'ops', '--role', 'security_admin', '--password-stdin'],
        env,
        out,
        Readable.from(['Strong-admin-2026\n']),
      );
      expect(code, lines.join('\n')).toBe(0);
      const db = await openPglite({ dataDir: path.join(dir, 'pglite') });
      try {
        const rows = await db.query<{ role: string; must: boolean }>(
          `SELECT r.role, u.must_change_password AS must FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.username = 'ops'`,
        );
        expect(rows).toEqual([{ role: 'security_admin', must: false }]);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
