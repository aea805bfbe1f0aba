import { z } from 'zod';
import { SMS_STATUSES, SMS_TEMPLATES } from '../../platform/sms/sms.table.js';

/** A job name as declared in a manifest: `<module>.<job>`. */
export const ZJobName = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, '<module>.<job>')
    .max(100),
});

export const ZJob = z.object({
  name: z.string(),
  title: z.object({ zh: z.string(), en: z.string() }),
  /** Null for an on-demand job. */
  everyMs: z.number().nullable(),
  /** Running now (on some instance), with its lease until. */
  running: z.boolean(),
  leaseOwner: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  runRequestedAt: z.string().nullable(),
  lastStartedAt: z.string().nullable(),
  lastFinishedAt: z.string().nullable(),
  lastDurationMs: z.number().nullable(),
  lastStatus: z.enum(['ok', 'failed', 'aborted']).nullable(),
  lastResult: z.record(z.string(), z.unknown()).nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  runCount: z.number(),
  failureCount: z.number(),
  progress: z.number().nullable(),
  progressMessage: z.string().nullable(),
  /** When an instance last started with this job in its list (a job no instance declares any more keeps its old row). */
  seenAt: z.string(),
});
export type TJob = z.infer<typeof ZJob>;
export const ZJobList = z.array(ZJob);

export const ZSmsId = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export const ZSmsQuery = z.object({ status: z.enum(['unknown', 'failed']).default('unknown') });
export const ZSmsMessage = z.object({
  id: z.number(),
  caseId: z.number().nullable(),
  /** Masked: 138****0000. */
  phone: z.string(),
  template: z.enum(SMS_TEMPLATES),
  status: z.enum(SMS_STATUSES),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  /** Whether the admin may send it again (unknown outcome, or failed with its text intact). */
  resendable: z.boolean(),
});
export type TSmsMessage = z.infer<typeof ZSmsMessage>;
export const ZSmsOverview = z.object({
  counts: z.record(z.string(), z.number()),
  items: z.array(ZSmsMessage),
});
export type TSmsOverview = z.infer<typeof ZSmsOverview>;
