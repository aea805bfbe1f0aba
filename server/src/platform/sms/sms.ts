/**
 * The district's SMS, through one outbox: to requesters of the 12345 platform, and the reporting
 * reminders to reporters. Services write the message row inside their transaction (`enqueueSms`); a sender loop in each server process claims due rows (safe across instances with
 * FOR UPDATE SKIP LOCKED), sends them outside any transaction and retries failures with backoff.
 * A slow or broken SMS gateway therefore never blocks or fails a case write.
 */
import type { Config } from '../../config.js';
import type { Database, Db } from '../../db/client.js';
import * as repo from '../../modules/cases/cases.repo.js';
import type { SmsTemplate } from '../../modules/cases/cases.table.js';

export const SMS_SIGNATURE = '【汉江区12345】';
/** The signature of the performance system's own messages (reminders to staff). */
export const STAFF_SMS_SIGNATURE = '【效能】';
export const MAX_SMS_ATTEMPTS = 5;
const MASK = '******';

type Params = Record<string, string | number>;

/** The text of a message. */
export function renderSms(template: SmsTemplate, p: Params): string {
  switch (template) {
    case 'acceptance':
      return `${SMS_SIGNATURE}您反映的诉求已受理，办件编号${p.number}，查询密码${p.password}，办理时限${p.limitDays}个工作日。可凭编号和密码在区政府网站查询办理进度，请妥善保管。`;
    case 'completion':
      return `${SMS_SIGNATURE}您反映的诉求（编号${p.number}）已办理完毕。办理结果：${p.result}`;
    case 'feedback_request':
      return `${SMS_SIGNATURE}请对诉求${p.number}的办理结果进行评价：凭编号和查询密码登录区政府网站评价，或接听回访电话。感谢您的支持！`;
    case 'reporting_reminder':
      return `${STAFF_SMS_SIGNATURE}${p.text}`;
  }
}

/** A message to queue; `caseId` for the platform's messages about a case, null for the others. */
export type SmsRequest = { caseId: number | null; phone: string; template: SmsTemplate; params: Params };

/** The outbox rows of messages to queue (rendered now, due at once). */
export function smsRows(list: readonly SmsRequest[]) {
  return list.map((v) => ({ caseId: v.caseId, phone: v.phone, template: v.template, params: v.params, body: renderSms(v.template, v.params) }));
}

/** Queues messages in the caller's transaction. */
export async function enqueueSms(tx: Db, v: SmsRequest | readonly SmsRequest[]): Promise<void> {
  const list = Array.isArray(v) ? v : [v as SmsRequest];
  if (list.length) await repo.insertSms(tx, smsRows(list));
}

/** The stored form once a message has left: the query password is not kept in the outbox. */
export function scrubbed(template: SmsTemplate, params: Params): { params: Params; body: string } {
  if (!('password' in params)) return { params, body: renderSms(template, params) };
  const p = { ...params, password: MASK };
  return { params: p, body: renderSms(template, p) };
}

export type SmsMessage = { id: number; phone: string; template: SmsTemplate; params: Params; body: string };
/** Sends one message or throws. */
export type SmsProvider = { name: string; send(msg: SmsMessage): Promise<void> };
export type SmsLog = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** Development provider: writes the message to the log (with the password masked). */
export function logProvider(log: SmsLog): SmsProvider {
  return {
    name: 'log',
    async send(msg) {
      log.info({ sms: msg.id, phone: maskDigits(msg.phone), template: msg.template }, scrubbed(msg.template, msg.params).body);
    },
  };
}

/** Gateway provider: POSTs {phone, template, params, body} as JSON; any non-2xx answer is a failure. */
export function httpProvider(url: string, opts: { timeoutMs?: number; fetchImpl?: typeof fetch } = {}): SmsProvider {
  const doFetch = opts.fetchImpl ?? fetch;
  return {
    name: 'http',
    async send(msg) {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: msg.id, phone: msg.phone, template: msg.template, params: msg.params, body: msg.body }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    },
  };
}

/** Delay before the next attempt after `attempts` failures: 1, 5, 15, 60 minutes. */
export function backoffMs(attempts: number): number {
  const steps = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
  return steps[Math.min(Math.max(attempts, 1), steps.length) - 1];
}

function maskDigits(phone: string): string {
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** Claims and sends one batch; returns what happened. Runs outside any transaction. */
export async function runSmsBatch(db: Db, provider: SmsProvider, log: SmsLog, opts: { batch?: number; claimSeconds?: number } = {}) {
  const claimed = await repo.claimDueSms(db, opts.batch ?? 20, opts.claimSeconds ?? 120);
  const out = { sent: 0, retried: 0, failed: 0 };
  for (const row of claimed) {
    const msg: SmsMessage = { id: row.id, phone: row.phone, template: row.template, params: row.params, body: row.body };
    try {
      await provider.send(msg);
      await repo.finishSms(db, row.id, { status: 'sent', sentAt: new Date(), lastError: null, ...scrubbed(row.template, row.params) });
      out.sent++;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (row.attempts >= MAX_SMS_ATTEMPTS) {
        await repo.finishSms(db, row.id, { status: 'failed', lastError: error, ...scrubbed(row.template, row.params) });
        log.error({ sms: row.id, attempts: row.attempts, err: error }, 'SMS failed for good');
        out.failed++;
      } else {
        await repo.finishSms(db, row.id, { status: 'pending', lastError: error, nextAttemptAt: new Date(Date.now() + backoffMs(row.attempts)) });
        log.warn({ sms: row.id, attempts: row.attempts, err: error }, 'SMS failed; will retry');
        out.retried++;
      }
    }
  }
  return out;
}

/** The provider the configuration asks for. */
export function providerFor(config: Pick<Config, 'smsProvider' | 'smsHttpUrl'>, log: SmsLog): SmsProvider {
  if (config.smsProvider === 'http') {
    if (!config.smsHttpUrl) throw new Error('SMS_HTTP_URL is required when SMS_PROVIDER=http');
    return httpProvider(config.smsHttpUrl);
  }
  return logProvider(log);
}

export type SmsSender = { stop(): Promise<void>; tick(): Promise<void> };
const running = new Set<SmsSender>();

/**
 * Starts the sender loop in this process (every `intervalMs`, one batch at a time). Stop it with
 * `stop()` or `stopSmsSender()` before the database closes.
 */
export function startSmsSender(opts: { database: Database; config: Config; log: SmsLog; intervalMs?: number; provider?: SmsProvider }): SmsSender {
  const provider = opts.provider ?? providerFor(opts.config, opts.log);
  let current: Promise<void> | null = null;
  let stopped = false;
  const tick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    current ??= (async () => {
      try {
        // Drain: keep going while full batches come back.
        for (let i = 0; i < 50 && !stopped; i++) {
          const r = await runSmsBatch(opts.database.db, provider, opts.log);
          if (r.sent + r.retried + r.failed < 20) break;
        }
      } catch (err) {
        opts.log.error({ err }, 'SMS sender tick failed');
      } finally {
        current = null;
      }
    })();
    return current;
  };
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 5000);
  timer.unref();
  const sender: SmsSender = {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      running.delete(sender);
      if (current) await current;
    },
  };
  running.add(sender);
  return sender;
}

/** Stops every sender started in this process and waits for a batch in flight (call before closing the database). */
export async function stopSmsSender(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}
