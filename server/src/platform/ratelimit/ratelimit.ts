/**
 * Fixed-window rate limits kept in the database, so that every instance behind the load balancer counts
 * the same requests (a counter in one process's memory lets N instances take N times the allowance).
 * One upsert per counted request; windows older than two days are purged now and then.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rateCounters } from './ratelimit.table.js';

/** The start of the current window of this length. */
export function windowStart(seconds: number, now = Date.now()): Date {
  return new Date(Math.floor(now / (seconds * 1000)) * seconds * 1000);
}

export interface Hit {
  /** Requests counted for the subject in this window, this one included. */
  hits: number;
  /** Seconds until the window ends (for Retry-After). */
  retryAfter: number;
}

let counted = 0;

/** Counts one request of `subject` in the current window of `seconds`. */
export async function countHit(db: Db, subject: string, seconds: number, now = Date.now()): Promise<Hit> {
  const start = windowStart(seconds, now);
  const rows = await db
    .insert(rateCounters)
    .values({ subject, windowStart: start, hits: 1 })
    .onConflictDoUpdate({
      target: [rateCounters.subject, rateCounters.windowStart],
      set: { hits: sql`${rateCounters.hits} + 1` },
    })
    .returning({ hits: rateCounters.hits });
  if (++counted % 500 === 0) await purgeRateCounters(db, new Date(now - 2 * 86_400_000));
  return { hits: rows[0].hits, retryAfter: Math.max(1, Math.ceil((start.getTime() + seconds * 1000 - now) / 1000)) };
}

/** Requests counted for `subject` in the current window of `seconds`, without counting one. */
export async function hitsInWindow(db: Db, subject: string, seconds: number, now = Date.now()): Promise<number> {
  const rows = await db
    .select({ hits: rateCounters.hits })
    .from(rateCounters)
    .where(and(eq(rateCounters.subject, subject), eq(rateCounters.windowStart, windowStart(seconds, now))));
  return rows[0]?.hits ?? 0;
}

/** Drops the windows that started before `before`. */
export async function purgeRateCounters(db: Db, before: Date): Promise<void> {
  await db.delete(rateCounters).where(sql`${rateCounters.windowStart} < ${before.toISOString()}::timestamptz`);
}

/** Forgets every counter whose subject starts with `prefix` (tests, benchmarks). */
export async function clearRateCounters(db: Db, prefix: string): Promise<void> {
  await db.delete(rateCounters).where(sql`starts_with(${rateCounters.subject}, ${prefix})`);
}
