/**
 * Rate limits of the Open311 interface, in the shared counters of platform/ratelimit (every instance
 * counts the same): reads per minute by client address (anonymous) or by key, POSTs per hour by key.
 * Fixed windows; a refused call answers 429 with Retry-After. Each key's use is counted per day for its owner (the keys page).
 */
import type { Db } from '../../db/client.js';
import { beijingWallClock } from '../../engine/workdays.js';
import { countHit, hitsInWindow } from '../../platform/ratelimit/index.js';
import { Open311Error } from './open311.format.js';
import * as repo from './open311.repo.js';

export const MINUTE = 60;
export const HOUR = 3600;
/** Open311's subjects in the shared counters ('open311:read:ip:<ip>', 'open311:post:key:<id>' …). */
const PREFIX = 'open311:';

/** Today in Beijing (YYYY-MM-DD). */
export function beijingDay(d = new Date()): string {
  return beijingWallClock(d).slice(0, 10);
}

/** Counts a call; throws 429 (with the seconds to wait) once the window's limit is passed. */
export async function limit(
  db: Db,
  subject: string,
  seconds: number,
  max: number,
  refusal: { zh: string; en: string },
): Promise<void> {
  const { hits, retryAfter } = await countHit(db, PREFIX + subject, seconds);
  if (hits > max) {
    throw new Open311Error(429, refusal.zh, refusal.en, { 'retry-after': String(retryAfter) });
  }
}

/** POSTs of the key in the current hour (for the keys page). */
export async function postsThisHour(db: Db, apiKeyId: number): Promise<number> {
  return hitsInWindow(db, `${PREFIX}post:key:${apiKeyId}`, HOUR);
}

/** Counts a use of the key today. */
export async function countUsage(db: Db, apiKeyId: number, what: repo.UsageColumn): Promise<void> {
  await repo.countUsage(db, apiKeyId, beijingDay(), what);
}
