/**
 * The admin's view of background work: every job of the runner (platform/jobs) with its last run,
 * duration, result, errors, progress and next run; runs on demand; and the SMS whose delivery needs a
 * decision (outcome unknown, or failed), with a resend under the same idempotency key.
 */
import type { Ctx } from '../../lib/context.js';
import { AppError, notFound } from '../../lib/errors.js';
import * as jobsRepo from '../../platform/jobs/index.js';
import { pokeJobRunners } from '../../platform/jobs/index.js';
import { listSms, requeueSms, smsById, smsCounts, type SmsRow } from '../../platform/sms/index.js';
import { recordAudit } from '../audit/index.js';
import type { TJob, TSmsMessage, TSmsOverview } from './jobs.schema.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentJob(r: jobsRepo.JobRow, now: Date): TJob {
  return {
    name: r.name,
    title: { zh: r.titleZh, en: r.titleEn },
    everyMs: r.everyMs,
    running: !!r.leaseOwner && !!r.leaseUntil && r.leaseUntil > now,
    leaseOwner: r.leaseOwner,
    heartbeatAt: iso(r.heartbeatAt),
    nextRunAt: iso(r.nextRunAt),
    runRequestedAt: iso(r.runRequestedAt),
    lastStartedAt: iso(r.lastStartedAt),
    lastFinishedAt: iso(r.lastFinishedAt),
    lastDurationMs: r.lastDurationMs,
    lastStatus: r.lastStatus ?? null,
    lastResult: r.lastResult ?? null,
    lastError: r.lastError,
    lastErrorAt: iso(r.lastErrorAt),
    runCount: r.runCount,
    failureCount: r.failureCount,
    progress: r.progress,
    progressMessage: r.progressMessage,
    seenAt: r.seenAt.toISOString(),
  };
}

/** Every job the instances have registered. */
export async function listJobs(ctx: Ctx): Promise<TJob[]> {
  const now = new Date();
  return (await jobsRepo.listJobs(ctx.db)).map((r) => presentJob(r, now));
}

/** Asks for a run of the job now: the first instance to look takes it (this one at once, if it runs the runner). */
export async function requestRun(ctx: Ctx, name: string): Promise<TJob> {
  await ctx.db.transaction(async (tx) => {
    if (!(await jobsRepo.requestRun(tx, name))) throw notFound();
    await recordAudit(tx, ctx.actor, {
      action: 'jobs.run',
      entityType: 'job',
      entityId: name,
      after: { requested: true },
    });
  });
  pokeJobRunners();
  const row = await jobsRepo.jobByName(ctx.db, name);
  if (!row) throw notFound();
  return presentJob(row, new Date());
}

const maskPhone = (phone: string) => (phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****');
/** A failed message's query password was scrubbed when it failed: sending its text again would be useless. */
const resendable = (r: SmsRow) =>
  r.status === 'unknown' || (r.status === 'failed' && !String(r.params.password ?? '').includes('*'));

function presentSms(r: SmsRow): TSmsMessage {
  return {
    id: r.id,
    caseId: r.caseId,
    phone: maskPhone(r.phone),
    template: r.template,
    status: r.status,
    attempts: r.attempts,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    resendable: resendable(r),
  };
}

/** Messages per state, and the latest 100 in the state asked for (unknown outcome by default). */
export async function smsOverview(ctx: Ctx, q: { status: 'unknown' | 'failed' }): Promise<TSmsOverview> {
  const [counts, rows] = await Promise.all([smsCounts(ctx.db), listSms(ctx.db, [q.status], 100)]);
  return { counts, items: rows.map(presentSms) };
}

/** Puts a message whose delivery is unknown (or failed) back in the queue; the gateway gets the same idempotency key. */
export async function resendSms(ctx: Ctx, id: number): Promise<TSmsMessage> {
  return ctx.db.transaction(async (tx) => {
    const row = await smsById(tx, id);
    if (!row) throw notFound();
    if (!resendable(row)) throw new AppError('INVALID_STATE');
    await requeueSms(tx, id);
    await recordAudit(tx, ctx.actor, {
      action: 'sms.resend',
      entityType: 'sms_outbox',
      entityId: String(id),
      before: { status: row.status, attempts: row.attempts },
      after: { status: 'pending' },
    });
    return presentSms({ ...row, status: 'pending', attempts: 0 });
  });
}
