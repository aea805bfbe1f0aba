/**
 * The hook the case timeline calls for every event (cases.events.ts → recordCaseEvent), inside the
 * event's transaction: the department's monthly counters change with the case, or not at all.
 * Kept free of runtime imports from the cases module (no import cycle).
 */
import type { Db } from '../../db/client.js';
import { eventDeltas, type StatsCase, type StatsEvent } from './casestats.counters.js';
import { applyDeltas } from './casestats.repo.js';

/** Adds what a case event changes to the monthly statistics: an upsert of counter deltas, no scans; most events change nothing. */
export async function applyCaseEvent(tx: Db, event: StatsEvent, caseRow: StatsCase): Promise<void> {
  const d = eventDeltas(event, caseRow);
  if (d.units.length || d.categories.length) await applyDeltas(tx, d.units, d.categories);
}
