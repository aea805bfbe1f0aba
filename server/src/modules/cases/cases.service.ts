/**
 * The case workflow (no HTTP): intake, dispatch, handling, verification, feedback, review, escalation.
 * Every state change goes through `changeCase`, and every change of a case writes its timeline event
 * through `recordCaseEvent` (cases.events.ts) in the same transaction as the change and its audit entry.
 * Reads that need another connection (scope, calendar, units) happen before a transaction opens.
 */
import type { Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { type CalendarData } from '../../engine/workdays.js';
import { loadCalendar } from '../calendar/index.js';
import { categoryPath, getSettings, subtreeIds, unitDirectory, type UnitInfo } from './cases.config.js';
import { beijingDate, extendDeadline, handlingDeadline, signDueAt, startOfBeijingDay, workingDaysLeft } from './cases.deadlines.js';
import { findDuplicates, normalizeAddress } from './cases.duplicates.js';
import { checkDispatchUnits, draftDispatch, planOf, type DispatchPlan, type MachineActor } from './cases.dispatching.js';
import { createCase } from './cases.intake.js';
import { casePublication, categoryPublication } from './cases.publication.js';
import { recordCaseEvent, type CaseActor, type CaseEventInput } from './cases.events.js';
import { attachmentRow, storeFiles, type CheckedFile } from './cases.files.js';
import {
  ACTIVE_DISPATCH_STATUSES,
  dispatchTransition,
  HANDLING_STATUSES,
  OPEN_STATUSES,
  transition,
  type CaseAction,
  type CaseStatus,
  type DispatchAction,
  type DispatchStatus,
  type MachineRole,
} from './cases.machine.js';
import { agentOrSupervisor, mustTransition, requesterVisibility, viewerOf, type Viewer } from './cases.policy.js';
import {
  listRowOf,
  presentAttachment,
  presentDispatch,
  presentEscalation,
  presentEvent,
  presentListItem,
  presentRequester,
  RATING_LABELS,
} from './cases.present.js';
import * as repo from './cases.repo.js';
import { DEFAULT_SEARCH_DAYS, planSearch } from './cases.search.js';
import { pageOf } from '../../platform/lists.js';
import { suggestUnits } from './cases.routing.js';
import type {
  CaseUiAction,
  TCaseCounts,
  TCaseDetail,
  TCaseIntakeParsed,
  TCaseList,
  TCaseListQuery,
  TDispatchInput,
  TDuplicate,
  TEscalationView,
  TIntakeResult,
  TNotice,
  TRoutingSuggestion,
} from './cases.schema.js';
import { enqueueSms } from '../../platform/sms/index.js';
import type { EscalationStatus, Rating } from './cases.table.js';

/** Citizens' web submissions per IP address per hour. */
export const PUBLIC_SUBMISSIONS_PER_HOUR = 10;

type StaffRole = 'agent' | 'handler' | 'supervisor';

/** The timeline actor for a signed-in user acting in a role. */
export function staffActor(ctx: Ctx, role: StaffRole): MachineActor {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
  return { actor: ctx.actor, name: ctx.user.displayName, role, userId: ctx.user.id, unitId: ctx.user.unitId };
}

/** The timeline actor for a citizen using the public pages. */
export function citizenActor(ip: string | null): MachineActor {
  return { actor: { id: null, name: 'citizen', ip }, name: '市民', role: 'citizen', userId: null, unitId: null };
}

/** The timeline actor for another system (Open311 client, city platform). */
export function systemActor(name: string, actor: Actor): CaseActor {
  return { actor, name, role: 'system', userId: null, unitId: null };
}

async function viewer(ctx: Ctx): Promise<Viewer> {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
  return viewerOf(ctx.user, await ctx.scope());
}

type Directory = {
  units: Map<number, UnitInfo>;
  categories: readonly repo.CategoryRow[];
  unitName(id: number | null): string | null;
  categoryName(id: number): string;
};

async function directory(db: Db): Promise<Directory> {
  const [units, categories] = await Promise.all([unitDirectory(db), repo.listCategories(db)]);
  return {
    units,
    categories,
    unitName: (id) => (id === null ? null : (units.get(id)?.name ?? null)),
    categoryName: (id) => categoryPath(categories, id),
  };
}

/** A Directory of the categories and only the units a list page names. */
async function pageDirectory(db: Db, categories: readonly repo.CategoryRow[], unitIds: (number | null)[]): Promise<Directory> {
  const units = await repo.unitNames(db, unitIds.filter((u): u is number => u !== null));
  return {
    units,
    categories,
    unitName: (id) => (id === null ? null : (units.get(id)?.name ?? null)),
    categoryName: (id) => categoryPath(categories, id),
  };
}

/** The one function through which a case changes state: checks the machine, updates the row, writes the event. */
async function changeCase(
  tx: Db,
  by: MachineActor,
  c: repo.CaseRow,
  action: CaseAction,
  patch: Partial<repo.NewCase>,
  event: Omit<CaseEventInput, 'fromStatus' | 'toStatus'>,
): Promise<repo.CaseRow> {
  const to = mustTransition(c.status, action, by.role);
  const updated = await repo.updateCase(tx, c.id, { ...patch, status: to });
  await recordCaseEvent(tx, by, updated, { ...event, fromStatus: c.status, toStatus: to });
  return updated;
}

function moveDispatch(d: repo.DispatchRow, action: DispatchAction): DispatchStatus {
  const to = dispatchTransition(d.status, action);
  if (!to) throw new AppError('INVALID_STATE');
  return to;
}

async function notify(tx: Db, by: CaseActor, caseId: number, unitIds: number[], kind: string, text: string): Promise<void> {
  await repo.insertNotices(
    tx,
    [...new Set(unitIds)].map((unitId) => ({ caseId, unitId, kind, text, actorName: by.name })),
  );
}

async function lockedCase(tx: Db, id: number): Promise<repo.CaseRow> {
  const c = await repo.lockCase(tx, id);
  if (!c) throw notFound();
  return c;
}

// ---------- intake: see cases.intake.ts ----------

/** Agent intake (optionally dispatching at once). */
export async function intake(ctx: Ctx, input: TCaseIntakeParsed, meta: { blobs: BlobStore; files?: CheckedFile[] }): Promise<TIntakeResult> {
  return createCase(ctx.db, staffActor(ctx, 'agent'), input, { sourceIp: null, ...meta });
}

/**
 * Creates the work orders of a (re-)dispatch or a redo and moves the case to dispatched, cancelling
 * work orders still open from an earlier round. The lead's deadline is mirrored on the case.
 */
async function applyDispatch(
  tx: Db,
  by: MachineActor,
  c: repo.CaseRow,
  plan: DispatchPlan,
  cal: CalendarData,
  dir: Directory,
  mode: { action: 'dispatch' | 'review_redo'; patch?: Partial<repo.NewCase>; note?: string; payload?: Record<string, unknown> },
): Promise<repo.CaseRow> {
  const now = new Date();
  for (const d of await repo.listDispatches(tx, c.id)) {
    if (ACTIVE_DISPATCH_STATUSES.includes(d.status)) await repo.updateDispatch(tx, d.id, { status: moveDispatch(d, 'cancel'), endedAt: now });
  }
  const round = (await repo.maxRound(tx, c.id)) + 1;
  const draft = draftDispatch({ by, caseRow: c, plan, cal, unitName: (id) => dir.unitName(id) ?? '', now, round, action: mode.action, note: mode.note, payload: mode.payload });
  const rows = await repo.insertDispatches(
    tx,
    draft.orders.map((o) => ({ ...o, caseId: c.id })),
  );
  const updated = await changeCase(tx, by, c, mode.action, { ...draft.patch, ...mode.patch }, { ...draft.event, dispatchId: rows[0].id });
  await notify(tx, by, c.id, draft.notice.unitIds, draft.notice.kind, draft.notice.text);
  return updated;
}

// ---------- reading ----------

async function visibleCase(ctx: Ctx, v: Viewer, id: number): Promise<repo.CaseRow> {
  const c = await repo.findCase(ctx.db, id);
  if (!c) throw notFound();
  if (v.unitIds !== null && !(await repo.hasDispatchTo(ctx.db, id, v.unitIds))) throw notFound();
  return c;
}

/** The case list (queue) or, with `mine`, the handler's inbox of active work orders. */
export async function listCases(ctx: Ctx, q: TCaseListQuery): Promise<TCaseList> {
  const v = await viewer(ctx);
  const categories = await repo.listCategories(ctx.db);
  const search = q.q ? planSearch(q.q, v.isAgent) : undefined;
  // A text search looks at the last DEFAULT_SEARCH_DAYS days unless the user gives a start or asks for all time.
  const searchFrom =
    search?.kind === 'text' && !q.from && !q.searchAll ? startOfBeijingDay(beijingDate(new Date(Date.now() - DEFAULT_SEARCH_DAYS * 86_400_000))) : undefined;
  const filter: repo.CaseFilter = {
    scopeUnitIds: v.unitIds ?? undefined,
    statuses: q.status,
    categoryIds: q.categoryId ? subtreeIds(categories, q.categoryId) : undefined,
    unitId: q.unitId,
    channel: q.channel,
    type: q.type,
    overdue: q.overdue,
    dueSoon: q.dueSoon,
    escalated: q.escalated,
    awaiting: q.awaiting,
    search,
    from: q.from ? startOfBeijingDay(q.from) : searchFrom,
    to: q.to ? new Date(startOfBeijingDay(q.to).getTime() + 86_400_000) : undefined,
  };
  const page = pageOf(q.page, q.pageSize);
  const now = new Date();
  const window = { searchFrom: searchFrom ? beijingDate(searchFrom) : null };
  if (q.mine) {
    const units = v.unitIds ?? [v.user.unitId];
    const { rows, total, totalCapped } = await repo.listInbox(ctx.db, units, filter, page);
    const dir = await pageDirectory(ctx.db, categories, [...rows.map((r) => r.c.leadUnitId), ...rows.map((r) => r.d.unitId)]);
    const items = rows.map(({ c, d }) => presentListItem(c, dir, now, requesterVisibility(v, c, true), d));
    return { items, total, totalCapped, page: q.page, pageSize: q.pageSize, ...window };
  }
  const { rows, total, totalCapped } = await repo.listCases(ctx.db, filter, page);
  const dir = await pageDirectory(ctx.db, categories, rows.map((r) => r.leadUnitId));
  // Rows outside the agent's all-scope are already limited to the viewer's units, so they handle them.
  const items = rows.map((c) => presentListItem(c, dir, now, requesterVisibility(v, c, v.unitIds !== null), null));
  return { items, total, totalCapped, page: q.page, pageSize: q.pageSize, ...window };
}

function uiActions(v: Viewer, c: repo.CaseRow, dispatches: repo.DispatchRow[], escalations: repo.EscalationRow[]): CaseUiAction[] {
  const out = new Set<CaseUiAction>();
  const can = (a: CaseAction, role: MachineRole) => transition(c.status, a, role).ok;
  const perms = v.user.permissions;
  const open = OPEN_STATUSES.includes(c.status);
  const openEscalation = escalations.find((e) => e.status === 'pending' || e.status === 'approved');
  if (perms.has('cases.dispatch')) {
    if (can('dispatch', 'agent')) out.add('dispatch').add('reject');
    if (can('merge', 'agent')) out.add('merge');
    if (can('verify_ok', 'agent')) out.add('verify');
    if (can('close', 'agent')) out.add('close');
    if (can('rate_ok', 'agent')) out.add('feedback');
    if (can('review_qualified', 'agent')) out.add('review');
    if (can('remind', 'agent')) out.add('remind');
    if (can('decide_extension', 'agent') && dispatches.some((d) => d.extRequestedAt && ACTIVE_DISPATCH_STATUSES.includes(d.status))) out.add('decide_extension');
  }
  if (perms.has('cases.escalate') && can('escalate', 'agent') && !openEscalation) out.add('escalate');
  if (perms.has('cases.intake') && open) out.add('upload');
  if (perms.has('cases.dispatch') || perms.has('cases.intake')) out.add('confidential');
  if (v.isSupervisor) {
    if (can('review_qualified', 'supervisor')) out.add('review');
    if (can('remind', 'supervisor')) out.add('remind');
    if (openEscalation?.status === 'pending' && can('decide_escalation', 'supervisor')) out.add('decide_escalation');
    if (openEscalation?.status === 'approved' && can('follow_escalation', 'supervisor')) out.add('follow_escalation');
  }
  if (v.isHandler) {
    const units = v.unitIds ?? [v.user.unitId];
    const mine = dispatches.filter((d) => units.includes(d.unitId) && ACTIVE_DISPATCH_STATUSES.includes(d.status));
    const caseOk = ASSIST_CASE_STATUSES.includes(c.status);
    for (const d of mine) {
      const leadOk = (a: CaseAction) => (d.role === 'lead' ? can(a, 'handler') : caseOk);
      if (d.status === 'pending' && leadOk('sign')) out.add('sign');
      if (d.status === 'signed' && leadOk('start')) out.add('start');
      if ((d.status === 'signed' || d.status === 'in_progress') && leadOk('report')) out.add('report').add('upload');
      if ((d.status === 'signed' || d.status === 'in_progress') && !d.extRequestedAt && leadOk('request_extension')) out.add('extension');
      if (leadOk('return')) out.add('return');
    }
  }
  return [...out];
}

/** Case statuses in which an assisting department may still act on its work order. */
const ASSIST_CASE_STATUSES: readonly CaseStatus[] = ['dispatched', 'signed', 'in_progress', 'reported'];

/** The case with its timeline, work orders, attachments and escalations, as the viewer may see it. */
export async function getCase(ctx: Ctx, id: number): Promise<TCaseDetail> {
  const v = await viewer(ctx);
  const c = await visibleCase(ctx, v, id);
  const [dir, dispatches, events, attachments, escalations, merged, cal, settings] = await Promise.all([
    directory(ctx.db),
    repo.listDispatches(ctx.db, id),
    repo.listEvents(ctx.db, id),
    repo.listAttachments(ctx.db, id),
    repo.escalationsOfCase(ctx.db, id),
    repo.mergedInto(ctx.db, id),
    loadCalendar(ctx.db),
    getSettings(ctx.db),
  ]);
  const main = c.mainCaseId ? await repo.findCase(ctx.db, c.mainCaseId) : null;
  const now = new Date();
  const handles = v.unitIds === null ? v.isHandler && dispatches.some((d) => d.unitId === v.user.unitId) : true;
  const vis = requesterVisibility(v, c, handles);
  const row = listRowOf(c);
  const handling = HANDLING_STATUSES.includes(c.status);
  return {
    ...presentListItem(row, dir, now, vis, null),
    description: c.description,
    requester: presentRequester(c, vis),
    lat: c.lat,
    lng: c.lng,
    externalRef: c.externalRef,
    timeLimitDays: c.timeLimitDays,
    dispatchedAt: c.dispatchedAt?.toISOString() ?? null,
    signedAt: c.signedAt?.toISOString() ?? null,
    reportedAt: c.reportedAt?.toISOString() ?? null,
    verifiedAt: c.verifiedAt?.toISOString() ?? null,
    closedAt: c.closedAt?.toISOString() ?? null,
    workingDaysLeft: handling && c.deadline ? workingDaysLeft(cal, now, beijingDate(c.deadline)) : null,
    result: c.result,
    rejectReason: c.rejectReason,
    feedback:
      c.feedbackRating && c.feedbackAt && c.feedbackBy
        ? { rating: c.feedbackRating, comment: c.feedbackComment, by: c.feedbackBy, at: c.feedbackAt.toISOString() }
        : null,
    reviewResult: c.reviewResult,
    extensionCount: c.extensionCount,
    returnCount: c.returnCount,
    mainCase: main ? { id: main.id, number: main.number, status: main.status } : null,
    mergedCases: merged.map((m) => ({ id: m.id, number: m.number })),
    dispatches: dispatches.map((d) => presentDispatch(d, dir, now)),
    events: events.map((e) => presentEvent(e, dir)),
    attachments: attachments.map((a) => presentAttachment(a, dir)),
    escalations: escalations.map((e) => presentEscalation(e, row, dir, now)),
    actions: uiActions(v, c, dispatches, escalations),
    confidential: c.confidential,
    publication: casePublication(c, categoryPublication(dir.categories, c.categoryId), settings.typePublication),
  };
}

/** An attachment of a case the viewer may see, for download. */
export async function getAttachment(ctx: Ctx, caseId: number, attachmentId: number): Promise<repo.AttachmentRow> {
  const v = await viewer(ctx);
  await visibleCase(ctx, v, caseId);
  const a = await repo.findAttachment(ctx.db, caseId, attachmentId);
  if (!a) throw notFound();
  return a;
}

// ---------- duplicates and routing ----------

async function duplicatesFor(db: Db, probe: { id: number | null; categoryId: number; address: string; lat: number | null; lng: number | null; at: Date }): Promise<TDuplicate[]> {
  const settings = await getSettings(db);
  const since = new Date(probe.at.getTime() - settings.duplicateDays * 86_400_000);
  const pool = await repo.duplicatePool(db, probe.categoryId, since, probe.id);
  const matches = findDuplicates(
    { id: probe.id ?? undefined, categoryId: probe.categoryId, addressNorm: normalizeAddress(probe.address), lat: probe.lat, lng: probe.lng, at: probe.at },
    pool.map((p) => ({ ...p, open: true })),
    { radiusM: settings.duplicateRadiusM, days: settings.duplicateDays },
  );
  const byId = new Map(pool.map((p) => [p.id, p]));
  const cats = await repo.listCategories(db);
  return matches.slice(0, 20).map((m) => {
    const p = byId.get(m.id)!;
    return {
      id: p.id,
      number: p.number,
      status: p.status,
      categoryName: categoryPath(cats, p.categoryId),
      summary: p.summary,
      address: p.address,
      createdAt: p.createdAt.toISOString(),
      reason: m.reason,
      distanceM: m.distanceM === null ? null : Math.round(m.distanceM),
    };
  });
}

function requireAgent(v: Viewer): void {
  if (!v.isAgent) throw forbidden();
}

/** Open cases that look like duplicates of this case. */
export async function caseDuplicates(ctx: Ctx, id: number): Promise<TDuplicate[]> {
  const v = await viewer(ctx);
  requireAgent(v);
  const c = await visibleCase(ctx, v, id);
  return duplicatesFor(ctx.db, { id: c.id, categoryId: c.categoryId, address: c.address, lat: c.lat, lng: c.lng, at: c.createdAt });
}

/** Duplicates of a case being typed in the console (not saved yet). */
export async function probeDuplicates(ctx: Ctx, q: { categoryId: number; address: string; lat: number | null; lng: number | null }): Promise<TDuplicate[]> {
  requireAgent(await viewer(ctx));
  return duplicatesFor(ctx.db, { id: null, ...q, at: new Date() });
}

async function routingFor(db: Db, probe: { categoryId: number; description: string; address: string }): Promise<TRoutingSuggestion> {
  const [dir, rules, cal] = await Promise.all([directory(db), repo.listRules(db), loadCalendar(db)]);
  const category = dir.categories.find((c) => c.id === probe.categoryId);
  if (!category) throw invalid('categoryId', '诉求分类不存在', 'The category does not exist');
  const hits = suggestUnits(probe, dir.categories, rules).filter((h) => dir.units.get(h.unitId)?.active);
  const now = new Date();
  return {
    suggestions: hits.map((h) => ({ ...h, unitName: dir.unitName(h.unitId) ?? '' })),
    timeLimitDays: category.timeLimitDays,
    signHours: category.signHours,
    deadlineDate: handlingDeadline(cal, now, category.timeLimitDays).deadlineDate,
    signDue: signDueAt(cal, now, category.signHours).toISOString(),
  };
}

/** The department the rules suggest for this case (the agent decides). */
export async function caseRouting(ctx: Ctx, id: number): Promise<TRoutingSuggestion> {
  const v = await viewer(ctx);
  requireAgent(v);
  const c = await visibleCase(ctx, v, id);
  return routingFor(ctx.db, { categoryId: c.categoryId, description: c.description, address: c.address });
}

export async function probeRouting(ctx: Ctx, q: { categoryId: number; description: string; address: string }): Promise<TRoutingSuggestion> {
  requireAgent(await viewer(ctx));
  return routingFor(ctx.db, q);
}

// ---------- level 2: dispatch, reject, merge ----------

/** Dispatches (or re-dispatches after a return) to a lead and optional assisting departments. */
export async function dispatchCase(ctx: Ctx, id: number, input: TDispatchInput): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  const dir = await directory(ctx.db);
  checkDispatchUnits(input, dir.units);
  const cal = await loadCalendar(ctx.db);
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    mustTransition(c.status, 'dispatch', 'agent');
    const category = dir.categories.find((x) => x.id === c.categoryId)!;
    await applyDispatch(tx, by, c, planOf(input, category), cal, dir, { action: 'dispatch' });
  });
  return getCase(ctx, id);
}

/** Rejects (不予受理) with a reason the requester sees. */
export async function rejectCase(ctx: Ctx, id: number, reason: string): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    await changeCase(tx, by, c, 'reject', { rejectReason: reason, deadline: null, dueSoonAt: null, signDue: null }, { type: 'rejected', note: reason, publicText: `不予受理：${reason}` });
  });
  return getCase(ctx, id);
}

/** Merges a duplicate into a main case: it follows the main case, and its requester hears when that completes. */
export async function mergeCase(ctx: Ctx, id: number, mainCaseId: number): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  if (mainCaseId === id) throw invalid('mainCaseId', '不能与自身合并', 'A case cannot be merged into itself');
  await ctx.db.transaction(async (tx) => {
    // Lock in id order so two merges cannot deadlock.
    const [a, b] = id < mainCaseId ? [id, mainCaseId] : [mainCaseId, id];
    const first = await repo.lockCase(tx, a);
    const second = await repo.lockCase(tx, b);
    const c = id === a ? first : second;
    const main = id === a ? second : first;
    if (!c) throw notFound();
    if (!main) throw invalid('mainCaseId', '主办件不存在', 'The main case does not exist');
    const mainOpen: CaseStatus[] = ['accepted', 'dispatched', 'signed', 'in_progress', 'reported', 'review', 'returned'];
    if (!mainOpen.includes(main.status) || main.mainCaseId !== null) {
      throw invalid('mainCaseId', '主办件须为尚未办结的诉求', 'The main case must be an open case that is not merged itself');
    }
    const updated = await changeCase(
      tx,
      by,
      c,
      'merge',
      { mainCaseId: main.id, deadline: null, dueSoonAt: null, signDue: null },
      { type: 'merged', publicText: `与办件${main.number}合并办理`, payload: { mainCaseId: main.id, mainNumber: main.number } },
    );
    await recordCaseEvent(tx, by, main, { type: 'merge_absorbed', note: `合并了重复诉求 ${updated.number}`, payload: { mergedCaseId: updated.id } });
  });
  return getCase(ctx, id);
}

// ---------- level 3: the handler's work order ----------

type HandlerFn<T> = (tx: Db, c: repo.CaseRow, d: repo.DispatchRow, by: MachineActor, all: repo.DispatchRow[]) => Promise<T>;

/** Runs a handler action on the caller's unit's work order (lead preferred) in the given statuses. */
async function onMyDispatch<T>(ctx: Ctx, id: number, statuses: readonly DispatchStatus[], fn: HandlerFn<T>): Promise<T> {
  const v = await viewer(ctx);
  if (!v.isHandler) throw forbidden();
  const by = staffActor(ctx, 'handler');
  const units = v.unitIds ?? [v.user.unitId];
  return ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    const all = await repo.listDispatches(tx, id);
    const ours = all.filter((d) => units.includes(d.unitId));
    if (!ours.length && v.unitIds !== null) throw notFound();
    const d = ours.filter((x) => statuses.includes(x.status)).sort((x, y) => (x.role === 'lead' ? 0 : 1) - (y.role === 'lead' ? 0 : 1) || y.id - x.id)[0];
    if (!d) throw new AppError('INVALID_STATE');
    if (d.role === 'assist' && !ASSIST_CASE_STATUSES.includes(c.status)) throw new AppError('INVALID_STATE');
    return fn(tx, c, d, by, all);
  });
}

/** 签收. */
export async function signCase(ctx: Ctx, id: number): Promise<TCaseDetail> {
  await onMyDispatch(ctx, id, ['pending'], async (tx, c, d, by) => {
    const now = new Date();
    if (d.role === 'lead') mustTransition(c.status, 'sign', 'handler');
    await repo.updateDispatch(tx, d.id, { status: moveDispatch(d, 'sign'), signedAt: now, signedBy: by.userId });
    const unitName = (await unitDirectory(tx)).get(d.unitId)?.name ?? '';
    const late = now.getTime() > d.signDue.getTime();
    if (d.role === 'lead') {
      await changeCase(tx, by, c, 'sign', { signedAt: now }, { type: 'signed', unitId: d.unitId, dispatchId: d.id, publicText: `${unitName}已签收`, payload: { late } });
    } else {
      await recordCaseEvent(tx, by, c, { type: 'assist_signed', unitId: d.unitId, dispatchId: d.id, payload: { late } });
    }
  });
  return getCase(ctx, id);
}

/** 开始办理. */
export async function startCase(ctx: Ctx, id: number): Promise<TCaseDetail> {
  await onMyDispatch(ctx, id, ['signed'], async (tx, c, d, by) => {
    if (d.role === 'lead') mustTransition(c.status, 'start', 'handler');
    await repo.updateDispatch(tx, d.id, { status: moveDispatch(d, 'start'), startedAt: new Date() });
    const unitName = (await unitDirectory(tx)).get(d.unitId)?.name ?? '';
    if (d.role === 'lead') {
      await changeCase(tx, by, c, 'start', {}, { type: 'started', unitId: d.unitId, dispatchId: d.id, publicText: `${unitName}正在办理` });
    } else {
      await recordCaseEvent(tx, by, c, { type: 'assist_started', unitId: d.unitId, dispatchId: d.id });
    }
  });
  return getCase(ctx, id);
}

/** 延期申请: one pending request per work order. */
export async function requestExtension(ctx: Ctx, id: number, input: { days: number; reason: string }): Promise<TCaseDetail> {
  await onMyDispatch(ctx, id, ['signed', 'in_progress'], async (tx, c, d, by) => {
    if (d.role === 'lead') mustTransition(c.status, 'request_extension', 'handler');
    moveDispatch(d, 'request_extension');
    if (d.extRequestedAt) throw new AppError('INVALID_STATE', { zh: '已有待审批的延期申请', en: 'An extension request is already pending' });
    await repo.updateDispatch(tx, d.id, { extRequestedDays: input.days, extReason: input.reason, extRequestedAt: new Date() });
    await recordCaseEvent(tx, by, c, {
      type: 'extension_requested',
      unitId: d.unitId,
      dispatchId: d.id,
      note: input.reason,
      payload: { days: input.days, role: d.role },
    });
  });
  return getCase(ctx, id);
}

/** 退单: the lead hands the case back to level 2 for re-dispatch; an assisting department just leaves. */
export async function returnCase(ctx: Ctx, id: number, reason: string): Promise<TCaseDetail> {
  await onMyDispatch(ctx, id, ACTIVE_DISPATCH_STATUSES, async (tx, c, d, by, all) => {
    const now = new Date();
    if (d.role === 'lead') mustTransition(c.status, 'return', 'handler');
    await repo.updateDispatch(tx, d.id, {
      status: moveDispatch(d, 'return'),
      returned: true,
      returnedAt: now,
      returnReason: reason,
      endedAt: now,
      extRequestedDays: null,
      extReason: null,
      extRequestedAt: null,
    });
    if (d.role === 'lead') {
      const others = all.filter((x) => x.id !== d.id && ACTIVE_DISPATCH_STATUSES.includes(x.status));
      for (const o of others) await repo.updateDispatch(tx, o.id, { status: moveDispatch(o, 'cancel'), endedAt: now });
      await changeCase(
        tx,
        by,
        c,
        'return',
        { returnCount: c.returnCount + 1, deadline: null, dueSoonAt: null, signDue: null },
        { type: 'returned', unitId: d.unitId, dispatchId: d.id, note: reason, publicText: '诉求正在重新分派承办单位', payload: { role: 'lead' } },
      );
      if (others.length) await notify(tx, by, c.id, others.map((o) => o.unitId), 'return', `诉求 ${c.number} 主办单位已退单，协办工单撤销，待重新派单`);
    } else {
      const updated = await repo.updateCase(tx, c.id, { returnCount: c.returnCount + 1 });
      await recordCaseEvent(tx, by, updated, { type: 'assist_returned', unitId: d.unitId, dispatchId: d.id, note: reason, payload: { role: 'assist' } });
    }
  });
  return getCase(ctx, id);
}

/** 办结上报 with the result and optional uploaded attachments; the case completes when the lead reports. */
export async function reportCase(ctx: Ctx, id: number, input: { result: string; attachmentIds: number[] }): Promise<TCaseDetail> {
  await onMyDispatch(ctx, id, ['signed', 'in_progress'], async (tx, c, d, by) => {
    const now = new Date();
    if (d.role === 'lead') mustTransition(c.status, 'report', 'handler');
    if (input.attachmentIds.length) {
      const mine = new Map((await repo.listAttachments(tx, c.id)).map((a) => [a.id, a]));
      for (const [i, aid] of input.attachmentIds.entries()) {
        const a = mine.get(aid);
        if (!a || a.unitId !== d.unitId) throw invalid(`attachmentIds.${i}`, '附件不存在或不属于本单位', 'The attachment does not exist or is not your unit’s');
      }
    }
    await repo.updateDispatch(tx, d.id, { status: moveDispatch(d, 'report'), reportedAt: now, reportedBy: by.userId, result: input.result, endedAt: now });
    const late = now.getTime() > d.deadline.getTime();
    const unitName = (await unitDirectory(tx)).get(d.unitId)?.name ?? '';
    const payload = { role: d.role, late, attachmentIds: input.attachmentIds };
    if (d.role === 'lead') {
      await changeCase(
        tx,
        by,
        c,
        'report',
        { reportedAt: now, result: input.result },
        { type: 'reported', unitId: d.unitId, dispatchId: d.id, note: input.result, publicText: `${unitName}已办理完毕，等待核查`, payload },
      );
    } else {
      await recordCaseEvent(tx, by, c, { type: 'assist_reported', unitId: d.unitId, dispatchId: d.id, note: input.result, payload });
    }
  });
  return getCase(ctx, id);
}

/** Uploads files to a case (agent at intake, handler for the report); returns the new attachment ids. */
export async function addAttachments(ctx: Ctx, id: number, files: CheckedFile[], blobs: BlobStore): Promise<number[]> {
  const v = await viewer(ctx);
  const c = await visibleCase(ctx, v, id);
  let unitId: number | null = null;
  let role: StaffRole = 'agent';
  if (!v.user.permissions.has('cases.intake')) {
    if (!v.isHandler) throw forbidden();
    const units = v.unitIds ?? [v.user.unitId];
    const d = (await repo.listDispatches(ctx.db, id)).find((x) => units.includes(x.unitId) && ACTIVE_DISPATCH_STATUSES.includes(x.status));
    if (!d) throw new AppError('INVALID_STATE');
    unitId = d.unitId;
    role = 'handler';
  } else if (!OPEN_STATUSES.includes(c.status)) {
    throw new AppError('INVALID_STATE');
  }
  if (!files.length) throw invalid('file', '请选择要上传的文件', 'Choose a file to upload');
  await storeFiles(blobs, files);
  const by = staffActor(ctx, role);
  return ctx.db.transaction(async (tx) => {
    const locked = await lockedCase(tx, id);
    const rows = await repo.insertAttachments(
      tx,
      files.map((f) => attachmentRow(f, { caseId: id, kind: role === 'handler' ? 'report' : 'other', by, unitId: unitId ?? v.user.unitId })),
    );
    await recordCaseEvent(tx, by, locked, { type: 'attachment_added', unitId, payload: { attachmentIds: rows.map((r) => r.id), filenames: rows.map((r) => r.filename) } });
    return rows.map((r) => r.id);
  });
}

// ---------- level 2: extension decisions, verification, feedback, review ----------

/** Approves (with the requested or other days) or refuses a pending extension request. */
export async function decideExtension(
  ctx: Ctx,
  id: number,
  input: { approve: boolean; days?: number; note: string; dispatchId?: number },
): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  const [cal, dir] = await Promise.all([loadCalendar(ctx.db), directory(ctx.db)]);
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    mustTransition(c.status, 'decide_extension', 'agent');
    const pending = (await repo.listDispatches(tx, id)).filter((d) => d.extRequestedAt && ACTIVE_DISPATCH_STATUSES.includes(d.status));
    let d: repo.DispatchRow | undefined;
    if (input.dispatchId !== undefined) {
      d = pending.find((x) => x.id === input.dispatchId);
      if (!d) throw invalid('dispatchId', '该工单没有待审批的延期申请', 'That work order has no pending extension request');
    } else if (pending.length === 1) {
      d = pending[0];
    } else if (!pending.length) {
      throw new AppError('INVALID_STATE', { zh: '没有待审批的延期申请', en: 'There is no pending extension request' });
    } else {
      throw invalid('dispatchId', '有多个延期申请，请指定工单', 'Several requests are pending; name the work order');
    }
    const unitName = dir.unitName(d.unitId) ?? '';
    const clear = { extRequestedDays: null, extReason: null, extRequestedAt: null };
    if (!input.approve) {
      await repo.updateDispatch(tx, d.id, clear);
      await recordCaseEvent(tx, by, c, { type: 'extension_refused', unitId: d.unitId, dispatchId: d.id, note: input.note, payload: { requestedDays: d.extRequestedDays } });
      await notify(tx, by, c.id, [d.unitId], 'extension', `诉求 ${c.number} 的延期申请未获批准${input.note ? `：${input.note}` : ''}`);
      return;
    }
    const days = input.days ?? d.extRequestedDays ?? 1;
    const due = extendDeadline(cal, beijingDate(d.deadline), days);
    await repo.updateDispatch(tx, d.id, {
      ...clear,
      deadline: due.deadline,
      dueSoonAt: due.dueSoonAt,
      extensionCount: d.extensionCount + 1,
      extensionDays: d.extensionDays + days,
    });
    const updated =
      d.role === 'lead'
        ? await repo.updateCase(tx, c.id, { deadline: due.deadline, dueSoonAt: due.dueSoonAt, extensionCount: c.extensionCount + 1 })
        : await repo.updateCase(tx, c.id, { extensionCount: c.extensionCount + 1 });
    await recordCaseEvent(tx, by, updated, {
      type: 'extension_approved',
      unitId: d.unitId,
      dispatchId: d.id,
      note: input.note,
      publicText: d.role === 'lead' ? `${unitName}申请延期，经审核办理时限延长${days}个工作日，至${due.deadlineDate}` : '',
      payload: { days, requestedDays: d.extRequestedDays, deadlineDate: due.deadlineDate, role: d.role },
    });
    await notify(tx, by, c.id, [d.unitId], 'extension', `诉求 ${c.number} 延期${days}个工作日已批准，新时限 ${due.deadlineDate}`);
  });
  return getCase(ctx, id);
}

/** Tells the requesters of cases merged into this one that it is done (SMS and their timeline). */
async function notifyMerged(tx: Db, by: CaseActor, main: repo.CaseRow, result: string): Promise<void> {
  for (const m of await repo.mergedInto(tx, main.id)) {
    await recordCaseEvent(tx, by, m, {
      type: 'main_completed',
      publicText: `合并办理的主办件${main.number}已办结。办理结果：${result}`,
      payload: { mainCaseId: main.id },
    });
    if (m.requesterPhone) await enqueueSms(tx, { caseId: m.id, phone: m.requesterPhone, template: 'completion', params: { number: m.number, result: clip(result, 60) } });
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

async function closeEscalations(tx: Db, caseId: number): Promise<void> {
  const open = await repo.openEscalation(tx, caseId);
  if (open) await repo.updateEscalation(tx, open.id, { status: 'closed', endedAt: new Date() });
}

/**
 * 核查: ok → the requester is told (completion + feedback request SMS), open assisting orders end;
 * a redone case closes here (the review already heard the requester). Not ok → back to the lead.
 */
export async function verifyCase(ctx: Ctx, id: number, input: { ok: boolean; note: string }): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  if (!input.ok && input.note.length < 2) throw invalid('note', '请填写核查不通过的原因', 'Say why the result is not accepted');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    const now = new Date();
    const dispatches = await repo.listDispatches(tx, id);
    const lead = dispatches.filter((d) => d.role === 'lead').sort((a, b) => b.round - a.round || b.id - a.id)[0];
    if (!input.ok) {
      mustTransition(c.status, 'verify_fail', 'agent');
      if (lead && lead.status === 'reported') {
        await repo.updateDispatch(tx, lead.id, { status: moveDispatch(lead, 'reopen'), reportedAt: null, endedAt: null });
      }
      await changeCase(
        tx,
        by,
        c,
        'verify_fail',
        { reportedAt: null },
        { type: 'verify_failed', unitId: lead?.unitId ?? null, dispatchId: lead?.id ?? null, note: input.note, publicText: '核查未通过，已退回承办单位继续办理' },
      );
      if (lead) await notify(tx, by, c.id, [lead.unitId], 'verify_fail', `诉求 ${c.number} 核查未通过：${input.note}`);
      return;
    }
    mustTransition(c.status, 'verify_ok', 'agent');
    for (const d of dispatches) {
      if (ACTIVE_DISPATCH_STATUSES.includes(d.status)) await repo.updateDispatch(tx, d.id, { status: moveDispatch(d, 'cancel'), endedAt: now });
    }
    const redone = c.redoCount > 0;
    let updated = await changeCase(
      tx,
      by,
      c,
      'verify_ok',
      { verifiedAt: now },
      { type: 'verified', unitId: lead?.unitId ?? null, dispatchId: lead?.id ?? null, note: input.note, publicText: `办理结果已核查：${c.result}` },
    );
    if (c.requesterPhone) {
      await enqueueSms(tx, { caseId: c.id, phone: c.requesterPhone, template: 'completion', params: { number: c.number, result: clip(c.result, 60) } });
      if (!redone) await enqueueSms(tx, { caseId: c.id, phone: c.requesterPhone, template: 'feedback_request', params: { number: c.number } });
    }
    await notifyMerged(tx, by, updated, c.result);
    if (redone) {
      updated = await changeCase(tx, by, updated, 'close', { closedAt: now }, { type: 'closed', note: '重办件核查通过，办结', publicText: '办件已办结' });
      await closeEscalations(tx, c.id);
    }
  });
  return getCase(ctx, id);
}

/** Closes a verified case without feedback (requester unreachable, anonymous without a phone …). */
export async function closeCase(ctx: Ctx, id: number, note: string): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    await changeCase(tx, by, c, 'close', { closedAt: new Date() }, { type: 'closed', note, publicText: '办件已办结' });
    await closeEscalations(tx, c.id);
  });
  return getCase(ctx, id);
}

/** Records the requester's rating: satisfied/basic closes the case, unsatisfied sends it to professional review. */
export async function applyFeedback(tx: Db, by: MachineActor, c: repo.CaseRow, rating: Rating, comment: string): Promise<repo.CaseRow> {
  const now = new Date();
  const fields = { feedbackRating: rating, feedbackComment: comment, feedbackBy: by.role === 'citizen' ? ('citizen' as const) : ('agent' as const), feedbackAt: now };
  const publicText = `评价：${RATING_LABELS[rating]}${comment ? `（${clip(comment, 100)}）` : ''}`;
  if (rating === 'unsatisfied') {
    return changeCase(tx, by, c, 'rate_unsatisfied', fields, { type: 'feedback', note: comment, publicText: `${publicText}，转专业评价`, payload: { rating } });
  }
  const updated = await changeCase(tx, by, c, 'rate_ok', { ...fields, closedAt: now }, { type: 'feedback', note: comment, publicText: `${publicText}，办件已办结`, payload: { rating } });
  await closeEscalations(tx, c.id);
  return updated;
}

/** The agent records the callback (回访) rating. */
export async function recordFeedback(ctx: Ctx, id: number, input: { rating: Rating; comment: string }): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    await applyFeedback(tx, by, c, input.rating, input.comment);
  });
  return getCase(ctx, id);
}

/** 专业评价 of an unsatisfied case: qualified closes it; unqualified sends it back to the last lead for redo. */
export async function reviewCase(ctx: Ctx, id: number, input: { qualified: boolean; note: string }): Promise<TCaseDetail> {
  const v = await viewer(ctx);
  const by = staffActor(ctx, agentOrSupervisor(v) === 'agent' ? 'agent' : 'supervisor');
  const [cal, dir] = await Promise.all([loadCalendar(ctx.db), directory(ctx.db)]);
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    if (input.qualified) {
      await changeCase(
        tx,
        by,
        c,
        'review_qualified',
        { reviewResult: 'qualified', closedAt: new Date() },
        { type: 'review', note: input.note, publicText: '专业评价：办理合格，办件已办结', payload: { qualified: true } },
      );
      await closeEscalations(tx, c.id);
      return;
    }
    mustTransition(c.status, 'review_redo', by.role);
    const lead = (await repo.listDispatches(tx, id)).filter((d) => d.role === 'lead').sort((a, b) => b.round - a.round || b.id - a.id)[0];
    if (!lead) throw new AppError('INVALID_STATE');
    const category = dir.categories.find((x) => x.id === c.categoryId)!;
    const plan: DispatchPlan = {
      leadUnitId: lead.unitId,
      assistUnitIds: [],
      timeLimitDays: c.timeLimitDays ?? category.timeLimitDays,
      signHours: category.signHours,
      note: input.note,
    };
    await applyDispatch(tx, by, c, plan, cal, dir, {
      action: 'review_redo',
      patch: { reviewResult: 'unqualified', redoCount: c.redoCount + 1, result: '' },
      note: input.note,
      payload: { qualified: false },
    });
  });
  return getCase(ctx, id);
}

// ---------- escalation (督办) and reminders (催办) ----------

/** Level 2 asks level 1 to escalate the case (督办). */
export async function escalateCase(ctx: Ctx, id: number, reason: string): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    mustTransition(c.status, 'escalate', 'agent');
    if (await repo.openEscalation(tx, id)) throw new AppError('CONFLICT', { zh: '该诉求已有待审批或督办中的督办', en: 'The case already has a pending or approved escalation' });
    const e = await repo.insertEscalation(tx, { caseId: id, reason, requestedBy: by.userId, requestedByName: by.name });
    await recordCaseEvent(tx, by, c, { type: 'escalation_requested', unitId: c.leadUnitId, note: reason, payload: { escalationId: e.id } });
  });
  return getCase(ctx, id);
}

async function lockedEscalation(tx: Db, id: number): Promise<repo.EscalationRow> {
  const e = await repo.lockEscalation(tx, id);
  if (!e) throw notFound();
  return e;
}

/** Level 1 approves (the case becomes a 督办件) or rejects an escalation request. */
export async function decideEscalation(ctx: Ctx, escalationId: number, input: { approve: boolean; note: string }): Promise<TEscalationView> {
  const by = staffActor(ctx, 'supervisor');
  const caseId = await ctx.db.transaction(async (tx) => {
    const e = await lockedEscalation(tx, escalationId);
    const c = await lockedCase(tx, e.caseId);
    mustTransition(c.status, 'decide_escalation', 'supervisor');
    if (e.status !== 'pending') throw new AppError('INVALID_STATE', { zh: '该督办申请已处理', en: 'The request has been decided already' });
    const now = new Date();
    await repo.updateEscalation(tx, e.id, {
      status: input.approve ? 'approved' : 'rejected',
      decidedBy: by.userId,
      decidedByName: by.name,
      decidedAt: now,
      decisionNote: input.note,
      endedAt: input.approve ? null : now,
    });
    const updated = input.approve ? await repo.updateCase(tx, c.id, { escalated: true }) : c;
    await recordCaseEvent(tx, by, updated, {
      type: input.approve ? 'escalation_approved' : 'escalation_rejected',
      unitId: c.leadUnitId,
      note: input.note,
      payload: { escalationId: e.id },
    });
    if (input.approve) {
      const units = (await repo.listDispatches(tx, c.id)).filter((d) => ACTIVE_DISPATCH_STATUSES.includes(d.status)).map((d) => d.unitId);
      await notify(tx, by, c.id, units, 'escalation', `诉求 ${c.number} 已列为督办件${input.note ? `：${input.note}` : ''}`);
    }
    return c.id;
  });
  return escalationView(ctx.db, escalationId, caseId);
}

/** Level 1 follows an approved escalation with a note (督办意见), which the departments receive. */
export async function followEscalation(ctx: Ctx, escalationId: number, note: string): Promise<TEscalationView> {
  const by = staffActor(ctx, 'supervisor');
  const caseId = await ctx.db.transaction(async (tx) => {
    const e = await lockedEscalation(tx, escalationId);
    const c = await lockedCase(tx, e.caseId);
    mustTransition(c.status, 'follow_escalation', 'supervisor');
    if (e.status !== 'approved') throw new AppError('INVALID_STATE', { zh: '只有已批准的督办件可以跟踪督办', en: 'Only approved escalations can be followed' });
    const now = new Date();
    await repo.updateEscalation(tx, e.id, { followCount: e.followCount + 1, lastFollowAt: now, lastFollowNote: note });
    await recordCaseEvent(tx, by, c, { type: 'escalation_followed', unitId: c.leadUnitId, note, payload: { escalationId: e.id } });
    const units = (await repo.listDispatches(tx, c.id)).filter((d) => ACTIVE_DISPATCH_STATUSES.includes(d.status)).map((d) => d.unitId);
    await notify(tx, by, c.id, units, 'escalation', `督办意见（${c.number}）：${note}`);
    return c.id;
  });
  return escalationView(ctx.db, escalationId, caseId);
}

async function escalationView(db: Db, escalationId: number, caseId: number): Promise<TEscalationView> {
  const [e, c, dir] = await Promise.all([repo.findEscalation(db, escalationId), repo.findCase(db, caseId), directory(db)]);
  if (!e || !c) throw notFound();
  return presentEscalation(e, listRowOf(c), dir, new Date());
}

/** Escalations for the supervisor board (and the agent's own requests). */
export async function listEscalations(ctx: Ctx, q: { status?: EscalationStatus }): Promise<TEscalationView[]> {
  const [rows, dir] = await Promise.all([repo.listEscalations(ctx.db, q), directory(ctx.db)]);
  const now = new Date();
  return rows.map(({ e, c }) => presentEscalation(e, c, dir, now));
}

/**
 * An agent marks a case confidential (保密), or lifts the mark, saying why: a confidential case is never
 * shown on the public interface. On the timeline (internal) and in the audit log.
 */
export async function markConfidential(ctx: Ctx, id: number, input: { confidential: boolean; reason: string }): Promise<TCaseDetail> {
  const v = await viewer(ctx);
  if (!v.isAgent) throw forbidden();
  await visibleCase(ctx, v, id);
  const by = staffActor(ctx, 'agent');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    if (c.confidential === input.confidential) return;
    const updated = await repo.updateCase(tx, id, { confidential: input.confidential });
    await recordCaseEvent(tx, by, updated, { type: 'confidential_changed', unitId: c.leadUnitId, note: input.reason, payload: { confidential: input.confidential } });
  });
  return getCase(ctx, id);
}

/** 催办: a reminder to the departments holding the case, on the timeline and as in-app notices. */
export async function remindCase(ctx: Ctx, id: number, note: string): Promise<TCaseDetail> {
  const v = await viewer(ctx);
  const role = agentOrSupervisor(v);
  const by = staffActor(ctx, role === 'agent' ? 'agent' : 'supervisor');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    mustTransition(c.status, 'remind', by.role);
    const units = (await repo.listDispatches(tx, id)).filter((d) => ACTIVE_DISPATCH_STATUSES.includes(d.status)).map((d) => d.unitId);
    await recordCaseEvent(tx, by, c, { type: 'reminded', unitId: c.leadUnitId, note, payload: { unitIds: units } });
    await notify(tx, by, c.id, units, 'remind', `催办（${c.number}）：${note}`);
  });
  return getCase(ctx, id);
}

// ---------- home widgets and notices ----------

/** Counters for the home page: level-2 queues for agents/supervisors, the unit's inbox for handlers. */
export async function caseCounts(ctx: Ctx): Promise<TCaseCounts> {
  const v = await viewer(ctx);
  const zero: TCaseCounts = {
    awaitingDispatch: 0,
    awaitingVerify: 0,
    awaitingFeedback: 0,
    awaitingReview: 0,
    extensionRequests: 0,
    pendingEscalations: 0,
    overdue: 0,
    dueSoon: 0,
    toSign: 0,
    signOverdue: 0,
    inProgress: 0,
    unreadNotices: 0,
  };
  if (v.unitIds === null && (v.isAgent || v.isSupervisor || v.scope.all)) {
    Object.assign(zero, await repo.agentCounts(ctx.db));
  }
  if (v.isHandler) {
    const u = await repo.unitCounts(ctx.db, v.unitIds ?? [v.user.unitId]);
    Object.assign(zero, u);
  }
  return zero;
}

/** In-app notices of the user's unit(s). */
export async function listNotices(ctx: Ctx, unreadOnly: boolean): Promise<TNotice[]> {
  const v = await viewer(ctx);
  const rows = await repo.listNotices(ctx.db, v.unitIds ?? [v.user.unitId], unreadOnly);
  return rows.map(({ n, number }) => ({
    id: Number(n.id),
    caseId: n.caseId,
    caseNumber: number,
    unitId: n.unitId,
    kind: n.kind,
    text: n.text,
    actorName: n.actorName,
    createdAt: n.createdAt.toISOString(),
    read: n.readAt !== null,
  }));
}

export async function markNoticeRead(ctx: Ctx, id: number): Promise<void> {
  const v = await viewer(ctx);
  const units = v.unitIds ?? [v.user.unitId];
  await ctx.db.transaction(async (tx) => {
    const n = await repo.markNoticeRead(tx, id, units, v.user.id);
    if (!n) {
      const existing = await repo.findNotice(tx, id);
      if (!existing || !units.includes(existing.unitId)) throw notFound();
      return; // already read: nothing changes
    }
    await recordAudit(tx, ctx.actor, { action: 'case_notice.read', entityType: 'case_notice', entityId: n.id, unitId: n.unitId });
  });
}
