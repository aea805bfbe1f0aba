/**
 * The public survey pages' rate limit: per client address, a fixed one-minute window counted in the
 * shared database counters (platform/ratelimit), so every instance allows the same. The one-time token
 * already stops guessing; this stops one address flooding the page. On-site QR surveys share an address
 * (a service hall's Wi-Fi), so the default is generous.
 */
import type { Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { countHit } from '../../platform/ratelimit/index.js';

let limitPerMinute = 120;

/** Changes the limit (tests, benchmarks); returns the previous one. */
export function setPublicSurveyLimit(n: number): number {
  const before = limitPerMinute;
  limitPerMinute = n;
  return before;
}

/** Counts a request from the address; throws 429 beyond the limit. */
export async function hitPublicSurvey(db: Db, ip: string): Promise<void> {
  if ((await countHit(db, `survey:ip:${ip}`, 60)).hits > limitPerMinute) throw new AppError('TOO_MANY_REQUESTS');
}
