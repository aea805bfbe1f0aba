/**
 * The public survey pages' rate limit: per client address, a fixed one-minute window counted in this
 * instance's memory (the one-time token already stops guessing; this stops one address flooding the
 * page). On-site QR surveys share an address (a service hall's Wi-Fi), so the default is generous.
 */
import { AppError } from '../../lib/errors.js';

let limitPerMinute = 120;
const windows = new Map<string, { start: number; hits: number }>();

/** Changes the limit (tests, benchmarks); returns the previous one. */
export function setPublicSurveyLimit(n: number): number {
  const before = limitPerMinute;
  limitPerMinute = n;
  windows.clear();
  return before;
}

/** Counts a request from the address; throws 429 beyond the limit. */
export function hitPublicSurvey(ip: string, now = Date.now()): void {
  const w = windows.get(ip);
  if (!w || now - w.start >= 60_000) {
    if (windows.size > 50_000) for (const [k, v] of windows) if (now - v.start >= 60_000) windows.delete(k);
    windows.set(ip, { start: now, hits: 1 });
    return;
  }
  w.hits++;
  if (w.hits > limitPerMinute) throw new AppError('TOO_MANY_REQUESTS');
}
