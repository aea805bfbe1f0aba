/**
 * The hook the case timeline calls for its events (cases.events.ts), inside the events' transaction:
 * the departments' monthly counters change with the cases, or not at all. Kept free of runtime
 * imports from the cases module (no import cycle).
 */
import type { SQL } from 'drizzle-orm';
import { eventDeltas, mergeDeltas, type StatsCase, type StatsEvent } from './casestats.counters.js';
import { deltaUpserts } from './casestats.repo.js';

/**
 * The statements adding what case events change to the monthly statistics: their deltas added up,
 * then one upsert per table (no scans) however many events and cases there are; none when the events
 * change nothing (most do not). The caller runs them in the events' transaction.
 */
export function caseEventsStatsSql(events: readonly { event: StatsEvent; caseRow: StatsCase }[]): SQL[] {
  const d = mergeDeltas(events.map((x) => eventDeltas(x.event, x.caseRow)));
  return deltaUpserts(d.units, d.categories);
}
