import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { openPostgres } from './db/client.js';
import { acquireDataLock, LockError } from './lib/lockfile.js';
import { createTestEnv, type TestEnv } from './test/helpers.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'xn-found-'));

describe('configuration', () => {
  it('applies defaults: port 3000, ./data, embedded database with the demo seed', () => {
    const dir = tmp();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c).toMatchObject({ port: 3000, dbKind: 'pglite', seedDemo: true, dataDir: dir });
    expect(c.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    // The generated secret is kept, so sessions survive a restart.
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(c.sessionSecret);
  });

  it('turns the demo seed off for PostgreSQL unless asked', () => {
    const dir = tmp();
    const keys = { AUDIT_KEY: 'a'.repeat(32), QUERY_PEPPER: 'q'.repeat(32) };
    expect(loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://u@h/db', ...keys })).toMatchObject({
      dbKind: 'postgres',
      seedDemo: false,
    });
    expect(loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://u@h/db', SEED_DEMO: 'true', ...keys }).seedDemo).toBe(
      true,
    );
  });

  it('keeps the audit key and the query pepper outside the database: generated files in DATA_DIR, or the settings', () => {
    const dir = tmp();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.auditKey.toString()).toBe(readFileSync(path.join(dir, 'audit-key'), 'utf8'));
    expect(c.queryPepper.toString()).toBe(readFileSync(path.join(dir, 'query-pepper'), 'utf8'));
    expect(loadConfig({ DATA_DIR: dir }).auditKey).toEqual(c.auditKey);
    expect(c.auditCheckpointFile).toBe(path.join(dir, 'audit-checkpoints.jsonl'));
    expect(loadConfig({ DATA_DIR: dir, AUDIT_KEY: 'k'.repeat(40) }).auditKey.toString()).toBe('k'.repeat(40));
    const keyFile = path.join(dir, 'shared-audit-key');
    writeFileSync(keyFile, `${'s'.repeat(48)}\n`);
    expect(loadConfig({ DATA_DIR: dir, AUDIT_KEY_FILE: keyFile }).auditKey.toString()).toBe('s'.repeat(48));
    // Several instances on PostgreSQL must share the keys: a per-instance generated file is refused.
    expect(() => loadConfig({ DATA_DIR: tmp(), DATABASE_URL: 'postgres://u@h/db' })).toThrow(
      /AUDIT_KEY: required with DATABASE_URL/,
    );
    expect(() => loadConfig({ DATA_DIR: tmp(), DATABASE_URL: 'postgres://u@h/db', AUDIT_KEY: 'a'.repeat(32) })).toThrow(
      /QUERY_PEPPER: required with DATABASE_URL/,
    );
    // A verifier never creates a key.
    const empty = tmp();
    expect(() => loadConfig({ DATA_DIR: empty }, { createKeys: false })).toThrow(/no key file/);
    expect(existsSync(path.join(empty, 'audit-key'))).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ SEED_DEMO: 'maybe' }, 'SEED_DEMO'],
    [{ SMS_PROVIDER: 'http' }, 'SMS_HTTP_URL'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => loadConfig({ DATA_DIR: tmp(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tmp(), ...env })).toThrow(name);
  });
});

describe('data-folder lock', () => {
  it('refuses a folder locked by another live process and takes over a stale lock', () => {
    const dir = tmp();
    // The parent (vitest's main process) is alive and is not us.
    writeFileSync(path.join(dir, 'xiaoneng.lock'), String(process.ppid));
    expect(() => acquireDataLock(dir)).toThrow(LockError);
    expect(() => acquireDataLock(dir)).toThrow(/正被另一个效能服务进程/);
    // A lock left by a process that no longer exists is stale.
    writeFileSync(path.join(dir, 'xiaoneng.lock'), '999999999');
    const release = acquireDataLock(dir);
    expect(existsSync(path.join(dir, 'xiaoneng.lock'))).toBe(true);
    release();
    expect(existsSync(path.join(dir, 'xiaoneng.lock'))).toBe(false);
  });
});

describe('OpenAPI', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env?.close());

  it('serves the OpenAPI document and the docs page to signed-in users', async () => {
    expect((await env.anon.get('/api/docs/json')).statusCode).toBe(401);
    const user = await env.userClient({ roles: ['reporter'] });
    const json = await user.get('/api/docs/json');
    expect(json.statusCode).toBe(200);
    const doc = json.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/units', '/api/users', '/api/audit', '/api/calendar/add-working-days']),
    );
    const page = await user.get('/api/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/html/);
  });
});

describe('server process', () => {
  it('starts on an empty folder, refuses a second server on it, and exits cleanly on SIGTERM', async () => {
    const dir = tmp();
    const port = 3900 + Math.floor(Math.random() * 90);
    const { DATABASE_URL: _ignored, ...base } = process.env;
    const env = { ...base, DATA_DIR: dir, PORT: String(port), SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
    const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { env, stdio: 'pipe' });
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    for (let i = 0; ; i++) {
      if (i > 240) throw new Error('server did not start');
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(existsSync(path.join(dir, 'xiaoneng.lock'))).toBe(true);

    const second = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...env, PORT: String(port + 1) },
      stdio: 'pipe',
    });
    let stderr = '';
    second.stderr.on('data', (d) => (stderr += String(d)));
    const secondCode = await new Promise<number | null>((resolve) => second.once('exit', (code) => resolve(code)));
    expect(secondCode).toBe(1);
    expect(stderr).toContain('正被另一个效能服务进程');

    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(path.join(dir, 'xiaoneng.lock'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  }, 90_000);
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL pool', () => {
  it('survives the server ending a connection and answers the next query', async () => {
    const errors: Error[] = [];
    const db = await openPostgres(process.env.TEST_DATABASE_URL!, { max: 2, onError: (e) => errors.push(e) });
    const [{ pid }] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const admin = await openPostgres(process.env.TEST_DATABASE_URL!, { max: 1 });
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.close();
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await db.close();
  });
});
