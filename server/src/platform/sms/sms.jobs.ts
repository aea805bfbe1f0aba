import type { JobDefinition } from '../jobs/types.js';
import { providerFor, runSmsBatch, type SmsBatchOptions, type SmsProvider } from './sms.js';

const BATCH = 20;

/**
 * The SMS sender as a job: every 5 s, sends what is due (up to 50 batches of 20 per run), stopping
 * between messages on shutdown. `provider` and the timeouts are for tests; by default the configured
 * provider (SMS_PROVIDER) is used.
 */
export function smsSenderJob(
  opts: { provider?: SmsProvider; everyMs?: number } & Pick<SmsBatchOptions, 'sendTimeoutMs' | 'leaseMs'> = {},
): JobDefinition {
  return {
    name: 'sms.send',
    title: { zh: '短信发送', en: 'SMS sender' },
    everyMs: opts.everyMs ?? 5000,
    async run(ctx) {
      const provider = opts.provider ?? providerFor(ctx.config, ctx.log);
      const total = { sent: 0, retried: 0, failed: 0, unknown: 0 };
      for (let i = 0; i < 50 && !ctx.signal.aborted; i++) {
        const r = await runSmsBatch(ctx.database.db, provider, ctx.log, {
          batch: BATCH,
          sendTimeoutMs: opts.sendTimeoutMs,
          leaseMs: opts.leaseMs,
          signal: ctx.signal,
        });
        total.sent += r.sent;
        total.retried += r.retried;
        total.failed += r.failed;
        total.unknown += r.unknown;
        if (r.sent + r.retried + r.failed + r.unknown < BATCH) break;
      }
      return total;
    },
  };
}

/** The platform's SMS jobs, for the runner. */
export const smsJobs: JobDefinition[] = [smsSenderJob()];
