/**
 * The hook the case timeline calls for its events (cases.events.ts → flushCaseEvents), inside the
 * events' transaction: the departments' monthly counters change with the cases, or not at all.
 * Kept free of runtime imports from the cases module (no import cycle).
 */
import type { Db } from '../../db/client.js';
import { eventDeltas, mergeDeltas, type StatsCase, type StatsEvent } from './casestats.counters.js';
import { applyDeltas } from './casestats.repo.js';

/**
 * Adds what case events change to the monthly statistics: their deltas added up, then one upsert
 * (no scans) however many events and cases there are; most events change nothing.
 */
export async function applyCaseEvents(tx: Db, events: readonly { event: StatsEvent; caseRow: StatsCase }[]): Promise<void> {
  const d = mergeDeltas(events.map((x) => eventDeltas(x.event, x.caseRow)));
  if (d.units.length || d.categories.length) await applyDeltas(tx, d.units, d.categories);
}
