import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, testConfig, type TestEnv } from '../../test/helpers.js';
import { startJobRunner } from '../jobs/runner.js';
import { smsSenderJob } from './sms.jobs.js';
import {
  httpProvider,
  idempotencyKeyOf,
  MAX_SMS_ATTEMPTS,
  renderSms,
  runSmsBatch,
  SmsOutcomeUnknown,
  type SmsMessage,
  type SmsProvider,
} from './sms.js';

let env: TestEnv;
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());
beforeEach(async () => {
  await env.database.query('DELETE FROM sms_outbox');
});

async function queue(n: number, template: 'acceptance' | 'completion' = 'acceptance') {
  for (let i = 0; i < n; i++) {
    const params: Record<string, string | number> =
      template === 'acceptance'
        ? { number: `HJ20261123${String(i).padStart(5, '0')}`, password: '654321', limitDays: 5 }
        : { number: 'HJ1', result: 'ok' };
    await env.database.query('INSERT INTO sms_outbox(phone, template, params, body) VALUES ($1, $2, $3, $4)', [
      `1380000${String(i).padStart(4, '0')}`,
      template,
      JSON.stringify(params),
      renderSms(template, params),
    ]);
  }
}
const opts = { idempotencyKey: idempotencyKeyOf(1), signal: new AbortController().signal };
const rows = () =>
  env.database.query<{
    id: number;
    status: string;
    attempts: number;
    body: string;
    params: Record<string, string>;
    last_error: string | null;
    next_attempt_at: Date;
  }>('SELECT * FROM sms_outbox ORDER BY id');

function fakeProvider(failTimes = 0): SmsProvider & { sent: SmsMessage[] } {
  let failures = 0;
  const sent: SmsMessage[] = [];
  return {
    name: 'fake',
    sent,
    async send(msg) {
      if (failures < failTimes) {
        failures++;
        throw new Error('gateway down');
      }
      sent.push(msg);
    },
  };
}

describe('SMS outbox sender', () => {
  it('sends due messages and forgets the query password once sent', async () => {
    await queue(3);
    const p = fakeProvider();
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 3, retried: 0, failed: 0, unknown: 0 });
    expect(p.sent.map((m) => m.body.includes('654321'))).toEqual([true, true, true]);
    for (const r of await rows()) {
      expect(r.status).toBe('sent');
      expect(r.attempts).toBe(1);
      expect(r.body).not.toContain('654321');
      expect(r.params.password).toBe('******');
    }
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 0, retried: 0, failed: 0, unknown: 0 });
  });

  it('retries with backoff and gives up after the last attempt', async () => {
    await queue(1, 'completion');
    const p = fakeProvider(100);
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 0, retried: 1, failed: 0, unknown: 0 });
    let [r] = await rows();
    expect(r).toMatchObject({ status: 'pending', attempts: 1, last_error: 'gateway down' });
    expect(new Date(r.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Not due yet: nothing is claimed.
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 0, retried: 0, failed: 0, unknown: 0 });
    for (let i = 2; i <= MAX_SMS_ATTEMPTS; i++) {
      await env.database.query('UPDATE sms_outbox SET next_attempt_at = now()');
      await runSmsBatch(env.database.db, p, log);
    }
    [r] = await rows();
    expect(r).toMatchObject({ status: 'failed', attempts: MAX_SMS_ATTEMPTS });
  });

  it('recovers after a failure', async () => {
    await queue(1);
    const p = fakeProvider(1);
    await runSmsBatch(env.database.db, p, log);
    await env.database.query('UPDATE sms_outbox SET next_attempt_at = now()');
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 1, retried: 0, failed: 0, unknown: 0 });
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('two senders never send the same message twice', async () => {
    await queue(30);
    const a = fakeProvider();
    const b = fakeProvider();
    await Promise.all([
      runSmsBatch(env.database.db, a, log, { batch: 10 }),
      runSmsBatch(env.database.db, b, log, { batch: 10 }),
      runSmsBatch(env.database.db, a, log, { batch: 10 }),
    ]);
    const ids = [...a.sent, ...b.sent].map((m) => m.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it('reclaims a message whose sender died mid-send', async () => {
    await queue(1);
    await env.database.query(
      `UPDATE sms_outbox SET status = 'sending', attempts = 1, claimed_until = now() - interval '1 minute'`,
    );
    const p = fakeProvider();
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 1, retried: 0, failed: 0, unknown: 0 });
  });

  it('runs as a job of the runner and stops cleanly', async () => {
    await queue(2);
    const p = fakeProvider();
    const runner = startJobRunner({
      database: env.database,
      config: testConfig(),
      log,
      jobs: [smsSenderJob({ provider: p, everyMs: 20 })],
      pollMs: 20,
    });
    for (let i = 0; i < 100 && p.sent.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    expect(p.sent).toHaveLength(2);
    await queue(1);
    await runner.tick(); // stopped: does nothing
    await new Promise((r) => setTimeout(r, 100));
    expect(p.sent).toHaveLength(2);
    const [job] = await env.database.query<{
      run_count: number;
      last_status: string;
      last_result: Record<string, number>;
      lease_owner: string | null;
    }>(`SELECT * FROM jobs WHERE name = 'sms.send'`);
    expect(job.run_count).toBeGreaterThan(0);
    expect(job.lease_owner).toBeNull();
    await env.database.query(`DELETE FROM jobs`);
  });

  it('http provider posts JSON and fails on a non-2xx answer', async () => {
    const calls: { url: string; body: unknown; headers: Record<string, string> }[] = [];
    let status = 200;
    const fetchImpl = (async (url: string, init: RequestInit) => {
      calls.push({ url, body: JSON.parse(String(init.body)), headers: init.headers as Record<string, string> });
      return new Response('nope', { status });
    }) as unknown as typeof fetch;
    const p = httpProvider('http://sms.example/send', { fetchImpl });
    const msg: SmsMessage = {
      id: 1,
      phone: '13800000000',
      template: 'completion',
      params: { number: 'X', result: 'ok' },
      body: '正文',
    };
    await p.send(msg, opts);
    expect({ url: calls[0].url, body: calls[0].body }).toEqual({
      url: 'http://sms.example/send',
      body: {
        id: 1,
        idempotencyKey: 'xn-sms-1',
        phone: '13800000000',
        template: 'completion',
        params: { number: 'X', result: 'ok' },
        body: '正文',
      },
    });
    expect(calls[0].headers['idempotency-key']).toBe('xn-sms-1');
    status = 503;
    await expect(p.send(msg, opts)).rejects.toThrow(/503/);
    await expect(p.send(msg, opts)).rejects.not.toBeInstanceOf(SmsOutcomeUnknown); // the gateway said no: retried
    status = 504;
    await expect(p.send(msg, opts)).rejects.toBeInstanceOf(SmsOutcomeUnknown);
  });

  it('http provider: a request that may have arrived is an unknown outcome, one that never left is a failure', async () => {
    const msg: SmsMessage = {
      id: 2,
      phone: '13800000000',
      template: 'completion',
      params: { number: 'X', result: 'ok' },
      body: '正文',
    };
    const failWith = (err: Error) =>
      httpProvider('http://sms.example/send', {
        fetchImpl: (async () => Promise.reject(err)) as unknown as typeof fetch,
      });
    const reset = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    });
    await expect(failWith(reset).send(msg, opts)).rejects.toBeInstanceOf(SmsOutcomeUnknown);
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const err = await failWith(refused)
      .send(msg, opts)
      .catch((e: unknown) => e);
    expect(err).toBe(refused);
    // A gateway that never answers: the provider's own timeout.
    const hanging = httpProvider('http://sms.example/send', {
      timeoutMs: 30,
      fetchImpl: ((_: string, init: RequestInit) =>
        new Promise((_r, reject) =>
          init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
        )) as unknown as typeof fetch,
    });
    await expect(hanging.send(msg, opts)).rejects.toBeInstanceOf(SmsOutcomeUnknown);
  });

  it('marks a message whose outcome is unknown and does not send it again by itself', async () => {
    await queue(2);
    let calls = 0;
    const p: SmsProvider = {
      name: 'flaky',
      async send(msg) {
        calls++;
        if (msg.body.includes('00000')) throw new SmsOutcomeUnknown('connection reset after sending');
        // The second never answers within the send timeout.
        await new Promise((r) => setTimeout(r, 500));
      },
    };
    expect(await runSmsBatch(env.database.db, p, log, { sendTimeoutMs: 50 })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
      unknown: 2,
    });
    const [a, b] = await rows();
    expect(a).toMatchObject({ status: 'unknown', attempts: 1, last_error: 'connection reset after sending' });
    expect(b).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(b.last_error).toMatch(/within 50 ms/);
    // Kept as it was, so the admin can resend it; the password is still there for that.
    expect(a.body).toContain('654321');
    await env.database.query(`UPDATE sms_outbox SET next_attempt_at = now() - interval '1 day'`);
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 0, retried: 0, failed: 0, unknown: 0 });
    expect(calls).toBe(2);
  });

  it('a sender whose claim was taken over cannot overwrite the new claim', async () => {
    await queue(1);
    let release!: () => void;
    const slow: SmsProvider = { name: 'slow', send: () => new Promise<void>((r) => (release = r)) };
    // Sender A claims, then stalls; its claim lapses (as if A had been frozen); B takes the message and fails it for retry.
    const a = runSmsBatch(env.database.db, slow, log, { sendTimeoutMs: 5000 });
    while (!release) await new Promise((r) => setTimeout(r, 5));
    await env.database.query(`UPDATE sms_outbox SET claimed_until = now() - interval '1 second'`);
    expect(await runSmsBatch(env.database.db, fakeProvider(1), log)).toEqual({
      sent: 0,
      retried: 1,
      failed: 0,
      unknown: 0,
    });
    release();
    await a; // A's "sent" finds the claim gone and changes nothing
    expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 2, last_error: 'gateway down' });
  });
});

/**
 * Two instances, a slow gateway: 8 s per message, 20 messages, a send timeout of 10 s (time scaled by
 * 1/50 here). One batch takes longer than the old claim of 120 s per batch, after which the other
 * instance took the batch's unsent messages and sent them a second time. Claimed one at a time just
 * before sending, every message is delivered once.
 */
describe('SMS exactly once with two senders and a slow gateway', () => {
  const SCALE = 1 / 50;
  it('delivers 20 messages exactly 20 times', { timeout: 30_000 }, async () => {
    await queue(20);
    const deliveries: number[] = [];
    const keys = new Set<string>();
    const gateway: SmsProvider = {
      name: 'slow-gateway',
      async send(msg, { idempotencyKey }) {
        await new Promise((r) => setTimeout(r, 8000 * SCALE));
        deliveries.push(msg.id);
        keys.add(idempotencyKey);
      },
    };
    const perSender = [0, 0];
    const instance = async (i: number) => {
      // Each instance's sender: drains what is due, looks again every 5 s, until the outbox is done.
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const r = await runSmsBatch(env.database.db, gateway, log, {
          batch: 20,
          sendTimeoutMs: 10_000 * SCALE,
          leaseMs: (10_000 + 60_000) * SCALE,
        });
        perSender[i] += r.sent;
        const [{ open }] = await env.database.query<{ open: number }>(
          `SELECT count(*)::int AS open FROM sms_outbox WHERE status IN ('pending', 'sending')`,
        );
        if (!open) return;
        if (!r.sent) await new Promise((res) => setTimeout(res, 5000 * SCALE));
      }
    };
    const started = Date.now();
    await Promise.all([instance(0), instance(1)]);
    expect(deliveries).toHaveLength(20);
    expect(new Set(deliveries).size).toBe(20);
    expect(keys.size).toBe(20);
    expect(perSender[0]).toBeGreaterThan(0); // both instances took part
    expect(perSender[1]).toBeGreaterThan(0);
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
    // The scenario is the one that failed: the whole outbox takes longer than the old 120 s claim (scaled).
    expect((Date.now() - started) * 2).toBeGreaterThan(120_000 * SCALE);
  });
});
