// The rate-limit platform service: what modules may use. Modules import from here, not from the files behind it.
export { clearRateCounters, countHit, hitsInWindow, purgeRateCounters, windowStart, type Hit } from './ratelimit.js';
