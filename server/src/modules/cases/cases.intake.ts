/**
 * Case intake (受理): agents (any channel), the public web form, Open311 and city-platform transfers.
 *
 * Built for a busy hotline, with group commit (lib/groupcommit): each request checks what it can
 * alone (category from the ≤ 5 s reference cache, who may dispatch, the shape of its dispatch, files
 * stored), then joins the next batch. A batch writes all its cases in one transaction of three
 * statements: the reservation of its case numbers and row ids, which also reads the departments it
 * dispatches to (not from a cache); one statement of data-modifying CTEs (db/bulk togetherSql)
 * inserting cases, work orders, attachments, timeline events, notices and SMS and upserting the
 * statistics; the audit entries, with the chain's lock. On PostgreSQL the transaction is pipelined
 * (db/client sendInTransaction): two round trips, BEGIN with the reservation, then the writes, the
 * audit entries and COMMIT together. A case refused on its own (an inactive
 * department) rolls the batch back and the others are written again without it. A lone request is a
 * batch of one and waits for nothing; under load the cost per case falls as batches grow.
 *
 * What is written is the same as a case created and then dispatched step by step: the case row as it
 * ends up, the 'created' event (with the case as accepted), the 'dispatched' event through the state
 * machine's accepted → dispatched, the same work orders, notices and audit entries. A batch that fails
 * is written again case by case, so one bad case fails only its own request.
 */
import { randomInt } from 'node:crypto';
import { togetherSql } from '../../db/bulk.js';
import { sendInTransaction, type Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import { forbidden, invalid, refuseNul } from '../../lib/errors.js';
import { groupCommit, type Settled } from '../../lib/groupcommit.js';
import { recordAuditEntries } from '../audit/index.js';
import type { CalendarData } from '../../engine/workdays.js';
import { cachedCalendar, categoriesWith } from './cases.cache.js';
import { beijingDate } from './cases.deadlines.js';
import {
  checkDispatchActive,
  checkDispatchShape,
  draftDispatch,
  planOf,
  type DispatchDraft,
  type MachineActor,
} from './cases.dispatching.js';
import { normalizeAddress } from './cases.duplicates.js';
import {
  caseEventAudit,
  caseEventsSql,
  eventRowOf,
  runCaseEventListeners,
  type CaseActor,
  type CaseEventItem,
  type CaseRef,
  type PendingEvent,
} from './cases.events.js';
import { attachmentRow, storeFiles, type CheckedFile } from './cases.files.js';
import { mustTransition } from './cases.policy.js';
import { hashQueryPassword, passwordPepper } from './cases.password.js';
import { CHANNEL_LABELS } from './cases.present.js';
import * as repo from './cases.repo.js';
import { categoryChain } from './cases.routing.js';
import type { TCaseIntakeParsed, TDispatchInput, TIntakeResult } from './cases.schema.js';
import { smsInsertSql, type SmsRequest } from '../../platform/sms/index.js';

/** Case numbers: prefix + Beijing date + 5-digit daily sequence, e.g. HJ2026112300012. */
export const CASE_NUMBER_PREFIX = 'HJ';

export function formatCaseNumber(day: string, seq: number): string {
  return `${CASE_NUMBER_PREFIX}${day.replace(/-/g, '')}${String(seq).padStart(5, '0')}`;
}

/** A random 6-digit query password. */
export function newQueryPassword(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Largest group commit: beyond this the transaction grows without lowering the cost per case much. */
export const INTAKE_MAX_BATCH = 100;

type Intake = {
  by: CaseActor;
  input: TCaseIntakeParsed;
  category: repo.CategoryRow;
  dispatch: TDispatchInput | null;
  files: CheckedFile[];
  sourceIp: string | null;
};

/**
 * Creates a case and returns its number and query password (the only time the password is shown).
 * The acceptance SMS is queued in the same transaction when there is a phone number. `db` must be the
 * root handle, not a transaction: the case joins a group commit with other requests' cases.
 */
export async function createCase(
  db: Db,
  by: CaseActor,
  input: TCaseIntakeParsed,
  meta: { sourceIp?: string | null; files?: CheckedFile[]; blobs?: BlobStore } = {},
): Promise<TIntakeResult> {
  refuseNul(input); // here, not as a database error: that would fail the whole batch's first attempt
  const categories = await categoriesWith(db, input.categoryId);
  const category = categories.find((c) => c.id === input.categoryId);
  // The category and every ancestor must be active.
  if (!category || categoryChain(categories, category.id).some((c) => !c.active)) {
    throw invalid('categoryId', '诉求分类不存在或已停用', 'The category does not exist or is inactive');
  }
  if (input.dispatch && by.role !== 'agent') throw forbidden();
  if (input.foundByUnitId != null && !(await repo.unitExists(db, input.foundByUnitId)))
    throw invalid('foundByUnitId', '发现单位不存在', 'The finding unit does not exist');
  if (input.dispatch) checkDispatchShape(input.dispatch); // here, not in the batch: a refusal there rolls the whole batch back
  const files = meta.files ?? [];
  if (files.length) {
    if (!meta.blobs) throw new Error('createCase: a blob store is needed to store files');
    await storeFiles(meta.blobs, files);
  }
  return intakeQueue(db)({
    by,
    input,
    category,
    dispatch: input.dispatch ?? null,
    files,
    sourceIp: meta.sourceIp ?? null,
  });
}

/** One group-commit queue per database handle (tests and benchmarks open several in one process). */
const queues = new WeakMap<object, (item: Intake) => Promise<TIntakeResult>>();

function intakeQueue(db: Db): (item: Intake) => Promise<TIntakeResult> {
  let q = queues.get(db);
  if (!q) {
    q = groupCommit((items: Intake[]) => writeIntakes(db, items), { maxBatch: INTAKE_MAX_BATCH });
    queues.set(db, q);
  }
  return q;
}

type Draft = { item: Intake; number: string; password: string; row: repo.NewCase; dispatch: DispatchDraft | null };

/** Thrown inside a batch's transaction to roll it back when some of its cases are refused. */
class Refused extends Error {
  constructor(readonly errors: Map<number, unknown>) {
    super('intakes refused');
  }
}

/**
 * Writes a batch of intakes in one transaction. A case refused on its own (a department inactive or
 * missing, known only once the batch has read them) rolls the transaction back — numbers included, so
 * they stay gapless — and the others are written again without it. If the transaction fails otherwise,
 * groupCommit writes the cases again one by one, so one bad case fails only itself.
 */
async function writeIntakes(db: Db, batch: Intake[]): Promise<Settled<TIntakeResult>[]> {
  const pepper = await passwordPepper(db);
  const cal = batch.some((x) => x.dispatch) ? await cachedCalendar(db) : null;
  const counts = {
    count: batch.length,
    dispatches: batch.reduce((n, x) => n + (x.dispatch ? 1 + x.dispatch.assistUnitIds.length : 0), 0),
    attachments: batch.reduce((n, x) => n + x.files.length, 0),
    events: batch.reduce((n, x) => n + 1 + (x.files.length ? 1 : 0) + (x.dispatch ? 1 : 0), 0),
    unitIds: batch.flatMap((x) => (x.dispatch ? [x.dispatch.leadUnitId, ...x.dispatch.assistUnitIds] : [])),
  };
  try {
    const written = await db.transaction(async (tx) => {
      // Three statements: the reservation of numbers and ids, with the departments read; one write of
      // the cases and everything that goes with them; the audit entries (recordAuditEntries: the chain's
      // lock, the transaction's last). Lock order: the day's counter row, statistics rows, the audit chain.
      const now = new Date();
      const day = beijingDate(now);
      const reserved = await repo.reserveIntake(tx, { day, ...counts });
      const refused = new Map<number, unknown>();
      batch.forEach((x, i) => {
        try {
          if (x.dispatch) checkDispatchActive(x.dispatch, reserved.units); // its shape was checked by createCase
        } catch (error) {
          refused.set(i, error);
        }
      });
      if (refused.size) throw new Refused(refused);
      const rows = buildRows({ batch, reserved, now, day, pepper, cal });
      const write = togetherSql([
        repo.intakeInserts.cases(rows.drafts.map((d) => d.row)),
        repo.intakeInserts.dispatches(rows.orders),
        repo.intakeInserts.attachments(rows.attachments),
        repo.intakeInserts.events(rows.events.map((e) => e.event)),
        repo.intakeInserts.notices(rows.notices),
        smsInsertSql(rows.sms),
        ...caseEventsSql(rows.events),
      ]);
      if (write) await sendInTransaction(tx, write); // on PostgreSQL, sent with the audit entries and COMMIT behind it
      await recordAuditEntries(tx, caseEventAudit(rows.events));
      await runCaseEventListeners(tx, rows.events);
      return rows.drafts;
    });
    return written.map((d) => ({
      ok: true,
      value: {
        id: d.row.id!,
        number: d.number,
        status: d.row.status!,
        password: d.password,
        timeLimitDays: d.row.timeLimitDays ?? d.item.category.timeLimitDays,
      },
    }));
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    const rest = batch.flatMap((x, i) => (e.errors.has(i) ? [] : [i]));
    const again = rest.length
      ? await writeIntakes(
          db,
          rest.map((i) => batch[i]),
        )
      : [];
    const results: Settled<TIntakeResult>[] = batch.map((_, i) => ({ ok: false, error: e.errors.get(i) }));
    rest.forEach((i, k) => (results[i] = again[k]));
    return results;
  }
}

/** Every row a batch writes, with the numbers and ids reserved for it (pure: no database). */
function buildRows(v: {
  batch: Intake[];
  reserved: Awaited<ReturnType<typeof repo.reserveIntake>>;
  now: Date;
  day: string;
  pepper: Buffer;
  cal: CalendarData | null;
}) {
  const { batch, reserved, now, day, pepper, cal } = v;
  const deadlines = new Map(); // the batch shares `now` and the calendar: one working-day computation per time limit
  const drafts: Draft[] = batch.map((item, k) => {
    const { input, category, by } = item;
    const number = formatCaseNumber(day, reserved.firstSeq + k);
    const password = newQueryPassword();
    const requester = input.requester;
    const accepted: repo.NewCase = {
      id: reserved.caseIds[k],
      number,
      passwordHash: hashQueryPassword(pepper, number, password),
      channel: input.channel,
      type: input.type,
      categoryId: category.id,
      status: 'accepted',
      requesterName: requester.name,
      requesterPhone: requester.phone,
      requesterEnterprise: requester.enterprise,
      enterpriseName: requester.enterprise ? requester.enterpriseName : '',
      anonymous: requester.anonymous,
      description: input.description,
      address: input.address,
      addressNorm: normalizeAddress(input.address),
      lat: input.lat,
      lng: input.lng,
      externalRef: input.externalRef,
      sourceIp: item.sourceIp,
      createdBy: by.userId,
      foundByUnitId: input.channel === 'grid' ? (input.foundByUnitId ?? null) : null,
      timeLimitDays: category.timeLimitDays,
      createdAt: now,
      updatedAt: now,
    };
    if (!item.dispatch) return { item, number, password, row: accepted, dispatch: null };
    const actor = by as MachineActor;
    const status = mustTransition('accepted', 'dispatch', actor.role);
    const dispatch = draftDispatch({
      by: actor,
      caseRow: { number },
      plan: planOf(item.dispatch, category),
      cal: cal!,
      unitName: (id) => reserved.units.get(id)?.name ?? '',
      now,
      round: 1,
      action: 'dispatch',
      deadlines,
    });
    return { item, number, password, row: { ...accepted, ...dispatch.patch, status }, dispatch };
  });

  // Every row with its reserved id, so that all can be written by one statement.
  const ids = {
    orders: reserved.dispatchIds.values(),
    attachments: reserved.attachmentIds.values(),
    events: reserved.eventIds.values(),
  };
  const next = (it: Iterator<number>) => {
    const r = it.next();
    if (r.done) throw new Error('writeIntakes: too few ids reserved');
    return r.value;
  };
  const orders: repo.NewDispatch[] = [];
  const attachments: repo.NewAttachment[] = [];
  const notices: repo.NewNotice[] = [];
  const sms: SmsRequest[] = [];
  const events: PendingEvent[] = [];
  const addEvent = (item: CaseEventItem) =>
    events.push({ ...item, event: { ...eventRowOf(item, now), id: next(ids.events) } });
  for (const d of drafts) {
    const { by, input, files } = d.item;
    const id = d.row.id!;
    const ref: CaseRef = {
      id,
      number: d.number,
      status: d.row.status!,
      leadUnitId: d.row.leadUnitId ?? null,
      categoryId: d.row.categoryId,
    };
    // The timeline sees the case as it was when accepted, then the dispatch as its own step.
    const asAccepted: CaseRef = d.dispatch ? { ...ref, status: 'accepted', leadUnitId: null } : ref;
    addEvent({
      by,
      caseRow: asAccepted,
      input: {
        type: 'created',
        toStatus: 'accepted',
        publicText: `诉求已受理（${CHANNEL_LABELS[input.channel]}），办件编号${d.number}`,
        payload: { channel: input.channel, type: input.type, categoryId: input.categoryId },
      },
    });
    if (files.length) {
      const rows = files.map((f) => ({
        id: next(ids.attachments),
        ...attachmentRow(f, { caseId: id, kind: 'intake', by, unitId: by.unitId }),
      }));
      attachments.push(...rows);
      addEvent({
        by,
        caseRow: asAccepted,
        input: { type: 'attachment_added', payload: { attachmentIds: rows.map((a) => a.id), kind: 'intake' } },
      });
    }
    if (d.dispatch) {
      const rows = d.dispatch.orders.map((o) => ({ ...o, id: next(ids.orders), caseId: id }));
      orders.push(...rows);
      addEvent({
        by,
        caseRow: ref,
        input: { ...d.dispatch.event, fromStatus: 'accepted', toStatus: ref.status, dispatchId: rows[0].id },
      });
      const { unitIds, kind, text } = d.dispatch.notice;
      notices.push(...unitIds.map((unitId) => ({ caseId: id, unitId, kind, text, actorName: by.name })));
    }
    if (input.requester.phone) {
      sms.push({
        caseId: id,
        phone: input.requester.phone,
        template: 'acceptance',
        params: { number: d.number, password: d.password, limitDays: d.item.category.timeLimitDays },
      });
    }
  }

  return { drafts, orders, attachments, notices, sms, events };
}
