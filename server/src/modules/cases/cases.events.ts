/**
 * The one place where a case's timeline grows. Every change of a case — state changes, decisions,
 * reminders, uploads — calls `recordCaseEvent` inside its transaction, which writes the case_events row,
 * the department statistics (casestats.apply) and the audit entry, and runs the listeners registered
 * with `onCaseEvent`, all in the same transaction: the statistics stay consistent with the cases they
 * count. Group-committed intake (cases.intake.ts) writes the same rows with `eventRowOf`,
 * `caseEventStats` and `caseEventAudit`.
 */
import type { SQL } from 'drizzle-orm';
import { writeTogether } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { auditInsert, lockedAuditHead, type AuditEvent } from '../audit/audit.service.js';
import { caseEventsStatsSql } from '../casestats/casestats.apply.js';
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
/** What the timeline, the statistics and the audit entry need to know of the case as it is after the change. */
export type CaseRef = Pick<repo.CaseRow, 'id' | 'number' | 'status' | 'leadUnitId' | 'categoryId'>;
/** Called inside the writing transaction with the new event and the case as it is after the change. */
export type CaseEventListener = (tx: Db, event: CaseEvent, caseRow: CaseRef) => Promise<void>;

const listeners = new Set<CaseEventListener>();

/** Registers a listener for every case event (e.g. incremental statistics); returns the unsubscribe function. */
export function onCaseEvent(listener: CaseEventListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Events whose listeners, statistics and audit entries are held back until `flushCaseEvents`, so a
 * transaction that writes several events (intake: created + attachments + dispatched, or a group
 * commit of many intakes) takes the statistics row locks and the audit-chain lock once, at its very
 * end, for the shortest time.
 */
export type CaseEventBatch = { pending: PendingEvent[] };
export type PendingEvent = { by: CaseActor; event: CaseEvent; caseRow: CaseRef; input: CaseEventInput };

export function caseEventBatch(): CaseEventBatch {
  return { pending: [] };
}

/** One event to append: who, on which case (as it is after the change), and what. */
export type CaseEventItem = { by: CaseActor; caseRow: CaseRef; input: CaseEventInput };

/**
 * Appends an event to the case's timeline, audits it and runs the listeners, all in the caller's
 * transaction. With a `batch`, only the event row is written now; the rest happens in
 * `flushCaseEvents`, which the caller must run before its transaction ends.
 */
export async function recordCaseEvent(tx: Db, by: CaseActor, caseRow: CaseRef, input: CaseEventInput, batch?: CaseEventBatch): Promise<CaseEvent> {
  return (await recordCaseEvents(tx, [{ by, caseRow, input }], batch))[0];
}

/** The timeline row of an event (without its id). */
export function eventRowOf({ by, caseRow, input }: CaseEventItem, at: Date): Omit<CaseEvent, 'id'> {
  const publicText = input.publicText ?? '';
  return {
    caseId: caseRow.id,
    type: input.type,
    fromStatus: input.fromStatus ?? null,
    toStatus: input.toStatus ?? null,
    actorId: by.userId,
    actorName: by.name,
    actorRole: by.role,
    unitId: input.unitId ?? null,
    dispatchId: input.dispatchId ?? null,
    at,
    note: input.note ?? '',
    isPublic: publicText !== '',
    publicText,
    payload: input.payload ?? {},
  };
}

/** Appends several events (of one case or many) with one INSERT; otherwise as `recordCaseEvent`. Returns them in order. */
export async function recordCaseEvents(tx: Db, items: readonly CaseEventItem[], batch?: CaseEventBatch): Promise<CaseEvent[]> {
  if (!items.length) return [];
  const at = new Date();
  const events = await repo.insertEvents(
    tx,
    items.map((x) => eventRowOf(x, at)),
  );
  const pending = items.map((x, i) => ({ ...x, event: events[i] }));
  if (batch) batch.pending.push(...pending);
  else await flushCaseEvents(tx, { pending });
  return events;
}

function auditOf(event: CaseEvent, caseRow: CaseRef, input: CaseEventInput): AuditEvent {
  return {
    action: `case.${input.type}`,
    entityType: 'case',
    entityId: caseRow.id,
    unitId: input.unitId ?? caseRow.leadUnitId,
    before: input.fromStatus ? { status: input.fromStatus } : undefined,
    after: { number: caseRow.number, status: caseRow.status, eventId: event.id, note: input.note || undefined, ...input.payload },
  };
}

/** The statistics upserts of events written to the timeline, to run in their transaction (before the audit lock). */
export function caseEventStats(items: readonly PendingEvent[]): SQL[] {
  return caseEventsStatsSql(items);
}

/** The audit entries of events, chained after `prevHash` (from lockedAuditHead): the same entries and hashes as one by one. */
export function caseEventAudit(items: readonly PendingEvent[], prevHash: string): SQL | null {
  return auditInsert(
    prevHash,
    items.map((x) => ({ actor: x.by.actor, event: auditOf(x.event, x.caseRow, x.input) })),
  );
}

/** Runs the registered listeners for events written in this transaction, in their order. */
export async function runCaseEventListeners(tx: Db, items: readonly PendingEvent[]): Promise<void> {
  for (const { event, caseRow } of items) for (const listener of listeners) await listener(tx, event, caseRow);
}

/**
 * Runs the held-back work of the batch's events: their statistics, then their audit entries after
 * taking the audit chain's lock (the last lock of the transaction, held from here to the commit),
 * then the listeners.
 */
export async function flushCaseEvents(tx: Db, batch: CaseEventBatch): Promise<void> {
  const items = batch.pending.splice(0);
  if (!items.length) return;
  await writeTogether(tx, caseEventStats(items));
  await writeTogether(tx, [caseEventAudit(items, await lockedAuditHead(tx))]);
  await runCaseEventListeners(tx, items);
}
