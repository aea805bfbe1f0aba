import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobRunner, type JobDefinition } from '../../platform/jobs/index.js';
import { renderSms } from '../../platform/sms/index.js';
import { createTestEnv, testConfig, type Client, type TestEnv } from '../../test/helpers.js';

let env: TestEnv;
let admin: Client;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let runs = 0;
const jobs: JobDefinition[] = [
  {
    name: 'test.periodic',
    title: { zh: '周期任务', en: 'Periodic job' },
    everyMs: 3_600_000,
    async run() {
      runs++;
      return { runs };
    },
  },
  {
    name: 'test.broken',
    title: { zh: '出错任务', en: 'Broken job' },
    everyMs: 3_600_000,
    run: () => Promise.reject(new Error('数据库不可用 / database down')),
  },
];

beforeAll(async () => {
  env = await createTestEnv();
  admin = await env.userClient({ roles: ['admin'] });
});
afterAll(async () => env?.close());

describe('GET /api/jobs, POST /api/jobs/:name/run', () => {
  it('shows every job with its last run, result, errors and next run, and runs one on demand', async () => {
    const runner = startJobRunner({
      database: env.database,
      config: testConfig(),
      log: quiet,
      jobs,
      pollMs: 3_600_000,
    });
    try {
      await runner.tick();
      await runner.idle();
      const res = await admin.get('/api/jobs');
      expect(res.statusCode).toBe(200);
      const list = res.json() as {
        name: string;
        lastStatus: string;
        lastResult: unknown;
        lastError: string | null;
        nextRunAt: string;
        runCount: number;
        failureCount: number;
        title: { zh: string };
      }[];
      expect(list.map((j) => j.name)).toEqual(['test.broken', 'test.periodic']);
      const [broken, periodic] = list;
      expect(periodic).toMatchObject({
        lastStatus: 'ok',
        lastResult: { runs: 1 },
        runCount: 1,
        failureCount: 0,
        title: { zh: '周期任务' },
      });
      expect(new Date(periodic.nextRunAt).getTime()).toBeGreaterThan(Date.now() + 3_500_000);
      expect(broken).toMatchObject({
        lastStatus: 'failed',
        lastError: '数据库不可用 / database down',
        failureCount: 1,
      });

      // On demand: the runner of this process is poked at once (its own poll is an hour away).
      const run = await admin.post('/api/jobs/test.periodic/run');
      expect(run.statusCode).toBe(202);
      await runner.idle();
      for (let i = 0; i < 100 && runs < 2; i++) await sleep(10);
      await runner.idle();
      expect(runs).toBe(2);
      const after = (await admin.get('/api/jobs')).json() as {
        name: string;
        runCount: number;
        runRequestedAt: string | null;
      }[];
      expect(after.find((j) => j.name === 'test.periodic')).toMatchObject({ runCount: 2, runRequestedAt: null });
      const [audit] = await env.database.query<{ action: string; entity_id: string }>(
        `SELECT action, entity_id FROM audit_entries WHERE action = 'jobs.run'`,
      );
      expect(audit).toEqual({ action: 'jobs.run', entity_id: 'test.periodic' });
    } finally {
      await runner.stop();
    }
  });

  it('is for the admin only', async () => {
    expect((await env.anon.get('/api/jobs')).statusCode).toBe(401);
    const office = await env.userClient({ roles: ['office'] });
    expect((await office.get('/api/jobs')).statusCode).toBe(403);
    const before = await env.database.query(`SELECT run_requested_at FROM jobs ORDER BY name`);
    expect((await office.post('/api/jobs/test.periodic/run')).statusCode).toBe(403);
    expect(await env.database.query(`SELECT run_requested_at FROM jobs ORDER BY name`)).toEqual(before);
  });
});

describe('SMS needing a decision', () => {
  it('lists messages of unknown outcome (phone masked) and resends one under the same outbox id', async () => {
    const params = { number: 'HJ1', password: '123456', limitDays: 5 };
    const [row] = await env.database.query<{ id: number }>(
      `INSERT INTO sms_outbox(phone, template, params, body, status, attempts, last_error) VALUES ('13812345678', 'acceptance', $1, $2, 'unknown', 1, 'no answer') RETURNING id`,
      [JSON.stringify(params), renderSms('acceptance', params)],
    );
    const id = Number(row.id);
    const list = await admin.get('/api/sms-outbox?status=unknown');
    expect(list.statusCode).toBe(200);
    expect(list.json().counts.unknown).toBe(1);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id,
        phone: '138****5678',
        status: 'unknown',
        resendable: true,
        lastError: 'no answer',
      }),
    ]);
    expect(list.body).not.toContain('123456');

    const resent = await admin.post(`/api/sms-outbox/${id}/resend`);
    expect(resent.statusCode).toBe(200);
    expect(resent.json()).toMatchObject({ id, status: 'pending' });
    const [after] = await env.database.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM sms_outbox WHERE id = $1',
      [id],
    );
    expect(after).toEqual({ status: 'pending', attempts: 0 });
    // Pending now: not resendable again until its fate is unknown or failed.
    const again = await admin.post(`/api/sms-outbox/${id}/resend`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_STATE');
    const audits = await env.database.query<{ entity_id: string }>(
      `SELECT entity_id FROM audit_entries WHERE action = 'sms.resend'`,
    );
    expect(audits).toEqual([{ entity_id: String(id) }]);
  });
});
