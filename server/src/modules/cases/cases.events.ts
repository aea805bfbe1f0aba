/**
 * The one place where a case's timeline grows. Every change of a case — state changes, decisions,
 * reminders, uploads — calls `recordCaseEvent` inside its transaction, which writes the case_events row,
 * the department statistics (casestats.apply) and the audit entry, and runs the listeners registered
 * with `onCaseEvent`, all in the same transaction: the statistics stay consistent with the cases they
 * count. Group-committed intake (cases.intake.ts) writes the same rows with `eventRowOf`,
 * `caseEventsStatsSql` (casestats.apply) and `caseEventAudit`.
 */
import type { SQL } from 'drizzle-orm';
import { togetherSql } from '../../db/bulk.js';
import { sendInTransaction, type Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { listenersOf } from '../../platform/module.js';
import { type AuditEntryInput, type AuditEvent, recordAuditEntries } from '../audit/index.js';
import type { CaseEventType } from '../../../../common/cases.js';
import type { CaseStatus } from './cases.machine.js';
import * as repo from './cases.repo.js';
import type { EventActorRole } from './cases.table.js';

/**
 * Event types written to case_events. State changes carry from/to status; the others (assisting
 * departments, extensions, escalations, reminders, uploads) leave the case state as it is.
 */
export { CASE_EVENT_TYPES, type CaseEventType } from '../../../../common/cases.js';

/** Who acts on a case: the audit actor plus the display name and role shown on the timeline. */
export type CaseActor = {
  actor: Actor;
  name: string;
  role: EventActorRole;
  userId: number | null;
  unitId: number | null;
};

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

/** An event written to the timeline, with who wrote it and the case it is about: what its statistics, audit entry and listeners need. */
export type PendingEvent = { by: CaseActor; event: CaseEvent; caseRow: CaseRef; input: CaseEventInput };

/** Statements a module adds to the transaction that writes case events; sent without waiting for their answer. */
export type CaseEventsSql = (events: readonly PendingEvent[]) => SQL[];

/** A case that has just closed, as the modules reacting to it see it (ratings: the 好差评 invitation). */
export type ClosedCase = {
  caseId: number;
  number: string;
  unitId: number | null;
  /** The requester's phone; '' when there is none. */
  phone: string;
  anonymous: boolean;
  /** Times the case was redone after professional review (0 for a first close). */
  redoCount: number;
  categoryId: number;
};
/** Called in the transaction that closes a case, after its event is written. */
export type CaseClosedListener = (tx: Db, closed: ClosedCase, by: CaseActor) => Promise<void>;
/** May this signed-in user (not an agent or supervisor) give the professional review (专业评价) of unsatisfied cases? */
export type ProfessionalReviewerCheck = (db: Db, userId: number) => Promise<boolean>;

declare module '../../platform/module.js' {
  interface ModuleListeners {
    /** Case events are being written: the statements to run with them, in their transaction (casestats: its counters). */
    caseEventsSql: CaseEventsSql;
    /** A case closed (any way: feedback, review, redo verified, closed without feedback). */
    caseClosed: CaseClosedListener;
    /** Whether a user holds a reviewer profile (ratings: NPC deputies, CPPCC members, 行风评议员). */
    professionalReviewer: ProfessionalReviewerCheck;
  }
}

/** Whether any module says this user may give professional reviews. */
export async function isProfessionalReviewer(db: Db, userId: number): Promise<boolean> {
  for (const check of listenersOf('professionalReviewer')) if (await check(db, userId)) return true;
  return false;
}

/** The statements the modules' `caseEventsSql` listeners add for these events, in module-list order. */
export function caseEventsSql(events: readonly PendingEvent[]): SQL[] {
  return listenersOf('caseEventsSql').flatMap((listener) => listener(events));
}

/** One event to append: who, on which case (as it is after the change), and what. */
export type CaseEventItem = { by: CaseActor; caseRow: CaseRef; input: CaseEventInput };

/**
 * Appends an event to the case's timeline, then, in the caller's transaction: its statistics, its
 * audit entry after taking the audit chain's lock (the last lock of the transaction, held from here to
 * the commit), and the listeners.
 */
export async function recordCaseEvent(
  tx: Db,
  by: CaseActor,
  caseRow: CaseRef,
  input: CaseEventInput,
): Promise<CaseEvent> {
  const item = { by, caseRow, input };
  const [event] = await repo.insertEvents(tx, [eventRowOf(item, new Date())]);
  const written = [{ ...item, event }];
  const stats = togetherSql(caseEventsSql(written));
  if (stats) await sendInTransaction(tx, stats); // no answer needed: on PostgreSQL it travels with what follows
  await recordAuditEntries(tx, caseEventAudit(written));
  await runCaseEventListeners(tx, written);
  if (input.toStatus === 'closed' && input.fromStatus !== 'closed') await runCaseClosed(tx, by, caseRow.id);
  return event;
}

async function runCaseClosed(tx: Db, by: CaseActor, caseId: number): Promise<void> {
  const slot = listenersOf('caseClosed');
  if (!slot.length) return;
  const c = await repo.findCase(tx, caseId);
  if (!c) return;
  const closed: ClosedCase = {
    caseId: c.id,
    number: c.number,
    unitId: c.leadUnitId,
    phone: c.requesterPhone,
    anonymous: c.anonymous,
    redoCount: c.redoCount,
    categoryId: c.categoryId,
  };
  for (const listener of slot) await listener(tx, closed, by);
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

function auditOf(event: CaseEvent, caseRow: CaseRef, input: CaseEventInput): AuditEvent {
  return {
    action: `case.${input.type}`,
    entityType: 'case',
    entityId: caseRow.id,
    unitId: input.unitId ?? caseRow.leadUnitId,
    before: input.fromStatus ? { status: input.fromStatus } : undefined,
    after: {
      number: caseRow.number,
      status: caseRow.status,
      eventId: event.id,
      note: input.note || undefined,
      ...input.payload,
    },
  };
}

/** The audit entries of events written to the timeline, in their order (for recordAuditEntries). */
export function caseEventAudit(items: readonly PendingEvent[]): AuditEntryInput[] {
  return items.map((x) => ({ actor: x.by.actor, event: auditOf(x.event, x.caseRow, x.input) }));
}

/** Runs the registered listeners for events written in this transaction, in their order. */
export async function runCaseEventListeners(tx: Db, items: readonly PendingEvent[]): Promise<void> {
  for (const { event, caseRow } of items) for (const listener of listeners) await listener(tx, event, caseRow);
}
