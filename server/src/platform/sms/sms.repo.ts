import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { insertMany, insertSql } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';
import { smsOutbox, type SmsStatus, type SmsTemplate } from './sms.table.js';

export type SmsRow = typeof smsOutbox.$inferSelect;
type NewSms = typeof smsOutbox.$inferInsert;

/** Rows of a raw query: PGlite and node-postgres both answer with `{ rows }`. */
async function rawRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The INSERT of outbox rows as one statement (for a caller's togetherSql), or null for none. */
export const insertSmsSql = (rows: NewSms[]): SQL | null => insertSql(smsOutbox, rows);

export async function insertSms(tx: Db, rows: NewSms[]): Promise<void> {
  await insertMany(tx, smsOutbox, rows);
}

/** A claimed message: `attempts` (counting this one) is the claim's fencing token. */
export type ClaimedSms = {
  id: number;
  caseId: number | null;
  phone: string;
  template: SmsTemplate;
  params: Record<string, string | number>;
  body: string;
  attempts: number;
};

/**
 * Claims the next due message for `leaseMs`: a pending one whose time has come, or one whose claim
 * lapsed (its sender died between claim and answer). SKIP LOCKED lets several senders claim at once
 * without overlap; the claim is one statement, so it holds no lock while the message is sent.
 */
export async function claimNextSms(db: Db, leaseMs: number): Promise<ClaimedSms | null> {
  const [r] = await rawRows<{
    id: number | string;
    case_id: number | null;
    phone: string;
    template: SmsTemplate;
    params: Record<string, string | number>;
    body: string;
    attempts: number;
  }>(
    db,
    sql`UPDATE sms_outbox SET status = 'sending', attempts = attempts + 1,
          claimed_until = now() + make_interval(secs => ${leaseMs / 1000})
        WHERE id = (
          SELECT id FROM sms_outbox
          WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND claimed_until < now())
          ORDER BY next_attempt_at, id
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
        RETURNING id, case_id, phone, template, params, body, attempts`,
  );
  if (!r) return null;
  return {
    id: Number(r.id),
    caseId: r.case_id,
    phone: r.phone,
    template: r.template,
    params: r.params,
    body: r.body,
    attempts: Number(r.attempts),
  };
}

/** Records the outcome of a claim; does nothing (returns false) if the claim is no longer this sender's. */
export async function finishSms(db: Db, claim: { id: number; attempts: number }, v: Partial<NewSms>): Promise<boolean> {
  const done = await db
    .update(smsOutbox)
    .set({ ...v, claimedUntil: null })
    .where(and(eq(smsOutbox.id, claim.id), eq(smsOutbox.status, 'sending'), eq(smsOutbox.attempts, claim.attempts)))
    .returning({ id: smsOutbox.id });
  return done.length > 0;
}

/** The latest messages in the given states, newest first. */
export async function listSms(db: Db, statuses: readonly SmsStatus[], limit: number): Promise<SmsRow[]> {
  return db
    .select()
    .from(smsOutbox)
    .where(inArray(smsOutbox.status, [...statuses]))
    .orderBy(desc(smsOutbox.id))
    .limit(limit);
}

export async function smsById(db: Db, id: number): Promise<SmsRow | null> {
  const [r] = await db.select().from(smsOutbox).where(eq(smsOutbox.id, id));
  return r ?? null;
}

/** Puts a message back in the queue, due now, with its attempts counted afresh. */
export async function requeueSms(tx: Db, id: number): Promise<void> {
  await tx
    .update(smsOutbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), claimedUntil: null })
    .where(eq(smsOutbox.id, id));
}

/** Messages per state. */
export async function smsCounts(db: Db): Promise<Record<string, number>> {
  const rows = await rawRows<{ status: string; n: number }>(
    db,
    sql`SELECT status, count(*)::int AS n FROM sms_outbox GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
