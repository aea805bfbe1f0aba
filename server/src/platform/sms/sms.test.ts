import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, testConfig, type TestEnv } from '../../test/helpers.js';
import { httpProvider, MAX_SMS_ATTEMPTS, renderSms, runSmsBatch, startSmsSender, stopSmsSender, type SmsMessage, type SmsProvider } from './sms.js';

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
    const params: Record<string, string | number> = template === 'acceptance' ? { number: `HJ20261123${String(i).padStart(5, '0')}`, password: '654321', limitDays: 5 } : { number: 'HJ1', result: 'ok' };
    await env.database.query('INSERT INTO sms_outbox(phone, template, params, body) VALUES ($1, $2, $3, $4)', [`1380000${String(i).padStart(4, '0')}`, template, JSON.stringify(params), renderSms(template, params)]);
  }
}
const rows = () => env.database.query<{ id: number; status: string; attempts: number; body: string; params: Record<string, string>; last_error: string | null; next_attempt_at: Date }>(
  'SELECT * FROM sms_outbox ORDER BY id',
);

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
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 3, retried: 0, failed: 0 });
    expect(p.sent.map((m) => m.body.includes('654321'))).toEqual([true, true, true]);
    for (const r of await rows()) {
      expect(r.status).toBe('sent');
      expect(r.attempts).toBe(1);
      expect(r.body).not.toContain('654321');
      expect(r.params.password).toBe('******');
    }
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 0, retried: 0, failed: 0 });
  });

  it('retries with backoff and gives up after the last attempt', async () => {
    await queue(1, 'completion');
    const p = fakeProvider(100);
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 0, retried: 1, failed: 0 });
    let [r] = await rows();
    expect(r).toMatchObject({ status: 'pending', attempts: 1, last_error: 'gateway down' });
    expect(new Date(r.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Not due yet: nothing is claimed.
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 0, retried: 0, failed: 0 });
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
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('two senders never send the same message twice', async () => {
    await queue(30);
    const a = fakeProvider();
    const b = fakeProvider();
    await Promise.all([runSmsBatch(env.database.db, a, log, { batch: 10 }), runSmsBatch(env.database.db, b, log, { batch: 10 }), runSmsBatch(env.database.db, a, log, { batch: 10 })]);
    const ids = [...a.sent, ...b.sent].map((m) => m.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it('reclaims a message whose sender died mid-send', async () => {
    await queue(1);
    await env.database.query(`UPDATE sms_outbox SET status = 'sending', attempts = 1, claimed_until = now() - interval '1 minute'`);
    const p = fakeProvider();
    expect(await runSmsBatch(env.database.db, p, log)).toEqual({ sent: 1, retried: 0, failed: 0 });
  });

  it('runs on an interval and stops cleanly', async () => {
    await queue(2);
    const p = fakeProvider();
    const sender = startSmsSender({ database: env.database, config: testConfig(), log, provider: p, intervalMs: 20 });
    for (let i = 0; i < 100 && p.sent.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await stopSmsSender();
    expect(p.sent).toHaveLength(2);
    await queue(1);
    await sender.tick(); // stopped: does nothing
    expect(p.sent).toHaveLength(2);
  });

  it('http provider posts JSON and fails on a non-2xx answer', async () => {
    const calls: { url: string; body: unknown }[] = [];
    let status = 200;
    const fetchImpl = (async (url: string, init: RequestInit) => {
      calls.push({ url, body: JSON.parse(String(init.body)) });
      return new Response('nope', { status });
    }) as unknown as typeof fetch;
    const p = httpProvider('http://sms.example/send', { fetchImpl });
    const msg: SmsMessage = { id: 1, phone: '13800000000', template: 'completion', params: { number: 'X', result: 'ok' }, body: '正文' };
    await p.send(msg);
    expect(calls[0]).toEqual({ url: 'http://sms.example/send', body: { id: 1, phone: '13800000000', template: 'completion', params: { number: 'X', result: 'ok' }, body: '正文' } });
    status = 503;
    await expect(p.send(msg)).rejects.toThrow(/503/);
  });
});
