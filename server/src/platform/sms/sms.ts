/**
 * The district's SMS, through one outbox: to requesters of the 12345 platform, and the reporting
 * reminders to reporters. Services write the message row inside their transaction (`enqueueSms`); the
 * sender (the `sms.send` job, sms.jobs.ts) claims one due message at a time just before sending it,
 * for longer than a send may take, sends it outside any transaction with its outbox id as the
 * gateway's idempotency key, and retries failures with backoff. A message whose fate is unknown (no
 * answer in time, connection lost after sending) is marked `unknown` and left for the admin to
 * resend rather than sent again blindly. A slow or broken SMS gateway therefore never blocks or fails a
 * case write, and several instances never send a message twice.
 */
import type { SQL } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import * as repo from './sms.repo.js';
import type { SmsTemplate } from './sms.table.js';

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
    case 'rating_invite':
      return `${SMS_SIGNATURE}您办理的${p.subject}已办结，请对服务进行评价（好差评）：${p.link} 链接${p.days}日内有效。`;
    case 'rating_reminder':
      return `${SMS_SIGNATURE}您尚未对${p.subject}的办理服务进行评价，欢迎点击评价：${p.link}`;
    case 'evaluation_invitation':
      return `${SMS_SIGNATURE}诚邀您参加「${p.title}」，您的评价对改进政府工作很重要。请点击 ${p.link} 填写问卷（链接仅限本人使用一次）。`;
    case 'evaluation_reminder':
      return `${SMS_SIGNATURE}提醒：「${p.title}」问卷尚未填写，请点击 ${p.link} 参与评价，感谢支持！`;
    case 'assistance_referred':
      return `${SMS_SIGNATURE}您的求助（编号${p.number}）已转${p.unit}办理，将于${p.dueOn}前答复。如有疑问请致电政务服务中心求助中心。`;
    case 'reporting_reminder':
    case 'supervision_reminder':
    case 'services_warning':
    case 'assistance_staff':
      return `${STAFF_SMS_SIGNATURE}${p.text}`;
  }
}

/** A message to queue; `caseId` for the platform's messages about a case, null for the others. */
export type SmsRequest = { caseId: number | null; phone: string; template: SmsTemplate; params: Params };

/** The outbox rows of messages to queue (rendered now, due at once). */
export function smsRows(list: readonly SmsRequest[]) {
  return list.map((v) => ({
    caseId: v.caseId,
    phone: v.phone,
    template: v.template,
    params: v.params,
    body: renderSms(v.template, v.params),
  }));
}

/** The INSERT of messages as one statement, for a caller that writes several tables in one (case intake); null for none. */
export function smsInsertSql(list: readonly SmsRequest[]): SQL | null {
  return repo.insertSmsSql(smsRows(list));
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
/** What a provider gets with each message: the key the gateway deduplicates on (same for every attempt), and an abort signal for the send timeout. */
export type SmsSendOptions = { idempotencyKey: string; signal: AbortSignal };
/** Sends one message or throws; throws SmsOutcomeUnknown when the gateway may have taken it. */
export type SmsProvider = { name: string; send(msg: SmsMessage, opts: SmsSendOptions): Promise<void> };
export type SmsLog = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

/** The send's outcome is unknown (no answer in time, connection lost after the request left): not retried by itself. */
export class SmsOutcomeUnknown extends Error {
  override name = 'SmsOutcomeUnknown';
}

/** The idempotency key of an outbox message: the same for every attempt, so the gateway can drop a repeat. */
export const idempotencyKeyOf = (id: number) => `xn-sms-${id}`;

/** Development provider: writes the message to the log (with the password masked). */
export function logProvider(log: SmsLog): SmsProvider {
  return {
    name: 'log',
    async send(msg) {
      log.info(
        { sms: msg.id, phone: maskDigits(msg.phone), template: msg.template },
        scrubbed(msg.template, msg.params).body,
      );
    },
  };
}

/** Network errors that mean the request never reached the gateway: safe to retry. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Gateway provider: POSTs {id, idempotencyKey, phone, template, params, body} as JSON with the header
 * `Idempotency-Key`. A non-2xx answer is a failure (retried); no answer within the timeout, a 504, or
 * a connection lost once the request may have left is an unknown outcome.
 */
export function httpProvider(url: string, opts: { timeoutMs?: number; fetchImpl?: typeof fetch } = {}): SmsProvider {
  const doFetch = opts.fetchImpl ?? fetch;
  return {
    name: 'http',
    async send(msg, { idempotencyKey, signal }) {
      const timeout = AbortSignal.timeout(opts.timeoutMs ?? SEND_TIMEOUT_MS);
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify({
            id: msg.id,
            idempotencyKey,
            phone: msg.phone,
            template: msg.template,
            params: msg.params,
            body: msg.body,
          }),
          signal: AbortSignal.any([timeout, signal]),
        });
      } catch (err) {
        const code = (err as { cause?: { code?: string } }).cause?.code;
        if (code && NOT_SENT_CODES.has(code)) throw err;
        throw new SmsOutcomeUnknown(
          `SMS gateway: ${err instanceof Error ? err.message : String(err)}${code ? ` (${code})` : ''}`,
        );
      }
      if (res.status === 504) throw new SmsOutcomeUnknown('SMS gateway answered 504');
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

/** Longest wait for the gateway's answer to one message. */
export const SEND_TIMEOUT_MS = 10_000;
/** How long a claim outlives the send timeout (the time to record the answer, with room to spare). */
const LEASE_MARGIN_MS = 60_000;

/** Sends one message, giving up after `timeoutMs` with an unknown outcome. */
async function sendWithin(provider: SmsProvider, msg: SmsMessage, timeoutMs: number): Promise<void> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort();
      reject(new SmsOutcomeUnknown(`no answer from the SMS gateway within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([provider.send(msg, { idempotencyKey: idempotencyKeyOf(msg.id), signal: ac.signal }), expired]);
  } finally {
    clearTimeout(timer);
  }
}

export type SmsBatchResult = { sent: number; retried: number; failed: number; unknown: number };
export type SmsBatchOptions = {
  /** Most messages to send in this call. */
  batch?: number;
  /** Longest wait for the gateway per message (default 10 s). */
  sendTimeoutMs?: number;
  /** How long a claim holds (default: the send timeout plus a minute); always longer than the send timeout. */
  leaseMs?: number;
  /** Stops between messages when aborted. */
  signal?: AbortSignal;
};

/**
 * Sends up to `batch` due messages, one at a time: each is claimed just before it is sent, for longer
 * than its send may take, so a claim never lapses while its message is on its way. Runs outside any
 * transaction.
 */
export async function runSmsBatch(
  db: Db,
  provider: SmsProvider,
  log: SmsLog,
  opts: SmsBatchOptions = {},
): Promise<SmsBatchResult> {
  const sendTimeoutMs = opts.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  const leaseMs = Math.max(opts.leaseMs ?? sendTimeoutMs + LEASE_MARGIN_MS, sendTimeoutMs * 1.5);
  const out: SmsBatchResult = { sent: 0, retried: 0, failed: 0, unknown: 0 };
  for (let i = 0; i < (opts.batch ?? 20) && !opts.signal?.aborted; i++) {
    const row = await repo.claimNextSms(db, leaseMs);
    if (!row) break;
    const msg: SmsMessage = {
      id: row.id,
      phone: row.phone,
      template: row.template,
      params: row.params,
      body: row.body,
    };
    try {
      await sendWithin(provider, msg, sendTimeoutMs);
      await repo.finishSms(db, row, {
        status: 'sent',
        sentAt: new Date(),
        lastError: null,
        ...scrubbed(row.template, row.params),
      });
      out.sent++;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (err instanceof SmsOutcomeUnknown) {
        // Kept as is (with its text) so that the admin can resend it under the same idempotency key.
        await repo.finishSms(db, row, { status: 'unknown', lastError: error });
        log.error(
          { sms: row.id, attempts: row.attempts, err: error },
          'SMS outcome unknown; not resent until the admin decides',
        );
        out.unknown++;
      } else if (row.attempts >= MAX_SMS_ATTEMPTS) {
        await repo.finishSms(db, row, { status: 'failed', lastError: error, ...scrubbed(row.template, row.params) });
        log.error({ sms: row.id, attempts: row.attempts, err: error }, 'SMS failed for good');
        out.failed++;
      } else {
        await repo.finishSms(db, row, {
          status: 'pending',
          lastError: error,
          nextAttemptAt: new Date(Date.now() + backoffMs(row.attempts)),
        });
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
