/**
 * The one place where a case's timeline grows. Every change of a case — state changes, decisions,
 * reminders, uploads — calls `recordCaseEvent` inside its transaction, which writes the case_events row,
 * the audit entry, and runs the registered listeners in the same transaction. Statistics hook in here
 * with `onCaseEvent` and stay consistent with the cases they count.
 */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { applyCaseEvent } from '../casestats/casestats.apply.js';
import type { CaseStatus } from './cases.machine.js';
import * as repo from './cases.repo.js';
import type { EventActorRole } from './cases.table.js';

/**
 * Event types written to case_events. State changes carry from/to status; the others (assisting
 * departments, extensions, escalations, reminders, uploads) leave the case state as it is.
 */
export const CASE_EVENT_TYPES = [
  'created',
  'dispatched',
  'rejected',
  'merged',
  'merge_absorbed',
  'signed',
  'started',
  'returned',
  'reported',
  'verified',
  'verify_failed',
  'feedback',
  'review',
  'redo',
  'closed',
  'assist_signed',
  'assist_started',
  'assist_returned',
  'assist_reported',
  'extension_requested',
  'extension_approved',
  'extension_refused',
  'escalation_requested',
  'escalation_approved',
  'escalation_rejected',
  'escalation_followed',
  'reminded',
  'attachment_added',
  'main_completed',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

/** Who acts on a case: the audit actor plus the display name and role shown on the timeline. */
export type CaseActor = { actor: Actor; name: string; role: EventActorRole; userId: number | null; unitId: number | null };

export type CaseEventInput = {
  type: CaseEventType;
  fromStatus?: CaseStatus | null;
  toStatus?: CaseStatus | null;
  unitId?: number | null;
  dispatchId?: number | null;
  /** Internal note, shown to staff only. */
  note?: string;
  /** Text shown on the citizen's tracking page; the event stays internal when empty. */
  publicText?: string;
  payload?: Record<string, unknown>;
};

export type CaseEvent = repo.EventRow;
/** Called inside the writing transaction with the new event and the case as it is after the change. */
export type CaseEventListener = (tx: Db, event: CaseEvent, caseRow: repo.CaseRow) => Promise<void>;

const listeners = new Set<CaseEventListener>();

/** Registers a listener for every case event (e.g. incremental statistics); returns the unsubscribe function. */
export function onCaseEvent(listener: CaseEventListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Appends an event to the case's timeline, audits it and runs the listeners, all in the caller's transaction. */
export async function recordCaseEvent(tx: Db, by: CaseActor, caseRow: repo.CaseRow, input: CaseEventInput): Promise<CaseEvent> {
  const publicText = input.publicText ?? '';
  const event = await repo.insertEvent(tx, {
    caseId: caseRow.id,
    type: input.type,
    fromStatus: input.fromStatus ?? null,
    toStatus: input.toStatus ?? null,
    actorId: by.userId,
    actorName: by.name,
    actorRole: by.role,
    unitId: input.unitId ?? null,
    dispatchId: input.dispatchId ?? null,
    at: new Date(),
    note: input.note ?? '',
    isPublic: publicText !== '',
    publicText,
    payload: input.payload ?? {},
  });
  for (const listener of listeners) await listener(tx, event, caseRow);
  await applyCaseEvent(tx, event, caseRow); // department statistics, in the same transaction
  await recordAudit(tx, by.actor, {
    action: `case.${input.type}`,
    entityType: 'case',
    entityId: caseRow.id,
    unitId: input.unitId ?? caseRow.leadUnitId,
    before: input.fromStatus ? { status: input.fromStatus } : undefined,
    after: { number: caseRow.number, status: caseRow.status, eventId: event.id, note: input.note || undefined, ...input.payload },
  });
  return event;
}
