import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig, startupWarnings, ConfigError } from '../../config.js';
import { openPostgres } from '../../db/client.js';
import { adoptSessionSecret, sharedSessionSecret } from '../../lib/session-secret.js';
import { recordJobRun } from '../metrics.js';
import { withDb } from '../../test/global-setup.js';
import { createTestEnv, TEST_PASSWORD, type TestEnv } from '../../test/helpers.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
const pgUrl = process.env.TEST_DATABASE_URL;
const tmp = () => mkdtempSync(path.join(tmpdir(), 'xn-ops-'));

let env: TestEnv;
let closed: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ metricsToken: TOKEN });
  closed = await createTestEnv(); // no METRICS_TOKEN
});
afterAll(async () => {
  await env?.close();
  await closed?.close();
});

describe('readiness', () => {
  it('is ready when the database answers and every migration is applied; 503 with the pending ones otherwise', async () => {
    const ok = await env.anon.get('/api/ready');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'ready', migrations: { pending: [] } });
    expect(ok.json().migrations.applied).toBeGreaterThanOrEqual(12);
    await env.database.query(`DELETE FROM schema_migrations WHERE name = '0012_sms_reminders.sql'`);
    try {
      const pending = await env.anon.get('/api/ready');
      expect(pending.statusCode).toBe(503);
      expect(pending.json()).toMatchObject({
        status: 'not_ready',
        migrations: { pending: ['0012_sms_reminders.sql'] },
      });
    } finally {
      await env.database.query(`INSERT INTO schema_migrations(name) VALUES ('0012_sms_reminders.sql')`);
    }
  });
});

describe('X-Request-Id', () => {
  it('returns the caller’s id when it is a plain id, and a generated one otherwise', async () => {
    expect((await env.anon.get('/api/health', { 'x-request-id': 'lb-7f3a:42' })).headers['x-request-id']).toBe(
      'lb-7f3a:42',
    );
    const made = (await env.anon.get('/api/health')).headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    const bad = (await env.anon.get('/api/health', { 'x-request-id': 'evil\tid<script>' })).headers['x-request-id'];
    expect(bad).toMatch(/^[0-9a-f-]{36}$/);
    // Error responses carry it too.
    expect((await env.anon.get('/api/units', { 'x-request-id': 'r-401' })).headers['x-request-id']).toBe('r-401');
  });
});

describe('/metrics', () => {
  it('does not exist without METRICS_TOKEN, and needs the token when set', async () => {
    expect((await closed.anon.get('/metrics', { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(404);
    expect((await env.anon.get('/metrics')).statusCode).toBe(401);
    expect(
      (await env.anon.get('/metrics', { authorization: 'Bearer wrong-token-wrong-token-000000' })).statusCode,
    ).toBe(401);
  });

  it('reports requests per route pattern, job runs, the SMS backlog and the database', async () => {
    const office = await env.userClient({ roles: ['office'] });
    await office.get(`/api/units/${env.rootUnitId}`);
    await env.anon.get('/api/units/123456');
    await env.database.query(
      `INSERT INTO sms_outbox(phone, template, body, status) VALUES ('13800000000', 'acceptance', 'b', 'pending'), ('13800000001', 'acceptance', 'b', 'pending'), ('13800000002', 'acceptance', 'b', 'failed')`,
    );
    recordJobRun('test.job', 'ok', 0.2);
    recordJobRun('test.job', 'failed', 1.5);
    const res = await env.anon.get('/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    // The pattern, not the URL: one series for every unit id.
    expect(text).toMatch(/xn_http_requests_total\{method="GET",route="\/api\/units\/:id",status="200"\} 1/);
    expect(text).toMatch(/xn_http_requests_total\{method="GET",route="\/api\/units\/:id",status="401"\} 1/);
    expect(text).not.toMatch(/\/api\/units\/123456/);
    expect(text).toMatch(/xn_http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/api\/units\/:id"\}/);
    expect(text).toMatch(/xn_job_runs_total\{job="test.job",outcome="failed"\} 1/);
    expect(text).toMatch(/xn_job_duration_seconds_count\{job="test.job"\} 2/);
    expect(text).toMatch(/xn_sms_outbox_messages\{status="pending"\} 2/);
    expect(text).toMatch(/xn_sms_outbox_messages\{status="failed"\} 1/);
    expect(text).toMatch(/xn_db_up 1/);
    if (env.database.kind === 'postgres') expect(text).toMatch(/xn_db_pool_connections\{state="max"\} \d+/);
  });
});

describe('compression', () => {
  it('compresses JSON responses for clients that accept it', async () => {
    // The API description is large JSON; it needs a signed-in user unless API_DOCS_PUBLIC.
    const c = await env.userClient({ roles: ['office'] });
    const plain = await c.get('/api/docs/json');
    const gz = await c.get('/api/docs/json', { 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    const br = await c.get('/api/docs/json', { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
  });
});

/** With DATABASE_URL the server needs the audit key and the query pepper from outside the database. */
const PG_KEYS = {
  AUDIT_KEY: 'ops-test-audit-key-0123456789abcdef0123',
  QUERY_PEPPER: 'ops-test-query-pepper-0123456789abcdef',
};

describe('settings', () => {
  it('validates the pool size, statement timeout and metrics token', () => {
    const dir = tmp();
    const c = loadConfig({
      DATA_DIR: dir,
      DATABASE_URL: 'postgres://x@localhost/db',
      ...PG_KEYS,
      DATABASE_POOL_SIZE: '25',
      DATABASE_STATEMENT_TIMEOUT_MS: '5000',
    });
    expect(c).toMatchObject({
      databasePoolSize: 25,
      statementTimeoutMs: 5000,
      metricsToken: undefined,
      sessionSecretSource: 'database',
    });
    expect(loadConfig({ DATA_DIR: dir })).toMatchObject({
      databasePoolSize: 10,
      statementTimeoutMs: 60000,
      sessionSecretSource: 'file',
    });
    expect(() => loadConfig({ DATA_DIR: dir, DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => loadConfig({ DATA_DIR: dir, DATABASE_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dir, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('warns at start-up that uploads in the data folder are not shared between instances on PostgreSQL', () => {
    const dir = tmp();
    expect(
      startupWarnings(loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://x@localhost/db', ...PG_KEYS })).join('\n'),
    ).toMatch(/BLOB_STORE=s3/);
    expect(startupWarnings(loadConfig({ DATA_DIR: dir }))).toEqual([]);
  });

  it('keeps one session secret in the database: the first one offered wins', async () => {
    const a = await sharedSessionSecret(env.database, 'first-candidate-secret-0123456789abcdef');
    const b = await sharedSessionSecret(env.database, 'other-candidate-secret-0123456789abcdef');
    expect(a).toBe('first-candidate-secret-0123456789abcdef');
    expect(b).toBe(a);
  });
});

describe.skipIf(!pgUrl)('several instances on one PostgreSQL', () => {
  it(
    'a cookie from instance A works on instance B without SESSION_SECRET; statement timeout applies',
    { timeout: 60_000 },
    async () => {
      const admin = await openPostgres(pgUrl!, { max: 1 });
      const name = `xn_multi_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
      const url = withDb(pgUrl!, name);
      const open = async () => {
        // Each instance has its own data folder (so its own file secret): only the database is shared.
        const config = loadConfig({
          DATA_DIR: tmp(),
          DATABASE_URL: url,
          ...PG_KEYS,
          LOG_LEVEL: 'silent',
          DATABASE_STATEMENT_TIMEOUT_MS: '300',
        });
        const database = await openPostgres(url, {
          max: config.databasePoolSize,
          statementTimeoutMs: config.statementTimeoutMs,
        });
        await adoptSessionSecret(config, database);
        const app = await buildApp({ config, database, logger: false });
        return { config, database, app };
      };
      const A = await open();
      const B = await open();
      try {
        expect(A.config.sessionSecret).toBe(B.config.sessionSecret);
        const [root] = await A.database.query<{ id: number }>(
          `INSERT INTO units(code, name, kind) VALUES ('ROOT', '测试区', 'district') RETURNING id`,
        );
        const { hashPassword } = await import('../../lib/passwords.js');
        await A.database.query(
          `INSERT INTO users(username, display_name, password_hash, unit_id) VALUES ('u1', 'u1', $1, $2)`,
          [await hashPassword(TEST_PASSWORD), root.id],
        );
        const login = await A.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'u1', password: TEST_PASSWORD },
        });
        expect(login.statusCode, login.body).toBe(200);
        const set = login.headers['set-cookie'];
        const cookie = (Array.isArray(set) ? set[0] : String(set)).split(';')[0];
        const onB = await B.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
        expect(onB.statusCode, onB.body).toBe(200);
        expect(onB.json().username).toBe('u1');
        // DATABASE_STATEMENT_TIMEOUT_MS: the server cancels a statement that runs longer.
        await expect(A.database.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
      } finally {
        await A.app.close();
        await B.app.close();
        await A.database.close();
        await B.database.close();
        await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.close();
      }
    },
  );
});
