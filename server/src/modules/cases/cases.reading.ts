/**
 * 12345 cases: intake (see cases.intake.ts) and reading — lists, the case detail with the actions a viewer may take, attachments.
 */
import type { Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Ctx } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import { type CalendarData } from '../../engine/workdays.js';
import { loadCalendar } from '../calendar/index.js';
import { getSettings, subtreeIds } from './cases.config.js';
import { beijingDate, startOfBeijingDay, workingDaysLeft } from './cases.deadlines.js';
import { draftDispatch, type DispatchPlan, type MachineActor } from './cases.dispatching.js';
import { createCase } from './cases.intake.js';
import { casePublication, categoryPublication } from './cases.publication.js';
import { type CheckedFile } from './cases.files.js';
import {
  ACTIVE_DISPATCH_STATUSES,
  HANDLING_STATUSES,
  OPEN_STATUSES,
  transition,
  type CaseAction,
  type CaseStatus,
  type MachineRole,
} from './cases.machine.js';
import { requesterVisibility, type Viewer } from './cases.policy.js';
import {
  listRowOf,
  presentAttachment,
  presentDispatch,
  presentEscalation,
  presentEvent,
  presentListItem,
  presentRequester,
} from './cases.present.js';
import * as repo from './cases.repo.js';
import { DEFAULT_SEARCH_DAYS, planSearch } from './cases.search.js';
import { pageOf } from '../../platform/lists.js';
import type {
  CaseUiAction,
  TCaseDetail,
  TCaseIntakeParsed,
  TCaseList,
  TCaseListQuery,
  TIntakeResult,
} from './cases.schema.js';
import {
  type Directory,
  changeCase,
  directory,
  moveDispatch,
  notify,
  pageDirectory,
  staffActor,
  viewer,
} from './cases.shared.js';

// ---------- intake: see cases.intake.ts ----------

/** Agent intake (optionally dispatching at once). */
export async function intake(
  ctx: Ctx,
  input: TCaseIntakeParsed,
  meta: { blobs: BlobStore; files?: CheckedFile[] },
): Promise<TIntakeResult> {
  return createCase(ctx.db, staffActor(ctx, 'agent'), input, { sourceIp: null, ...meta });
}

/**
 * Creates the work orders of a (re-)dispatch or a redo and moves the case to dispatched, cancelling
 * work orders still open from an earlier round. The lead's deadline is mirrored on the case.
 */
export async function applyDispatch(
  tx: Db,
  by: MachineActor,
  c: repo.CaseRow,
  plan: DispatchPlan,
  cal: CalendarData,
  dir: Directory,
  mode: {
    action: 'dispatch' | 'review_redo';
    patch?: Partial<repo.NewCase>;
    note?: string;
    payload?: Record<string, unknown>;
  },
): Promise<repo.CaseRow> {
  const now = new Date();
  for (const d of await repo.listDispatches(tx, c.id)) {
    if (ACTIVE_DISPATCH_STATUSES.includes(d.status))
      await repo.updateDispatch(tx, d.id, { status: moveDispatch(d, 'cancel'), endedAt: now });
  }
  const round = (await repo.maxRound(tx, c.id)) + 1;
  const draft = draftDispatch({
    by,
    caseRow: c,
    plan,
    cal,
    unitName: (id) => dir.unitName(id) ?? '',
    now,
    round,
    action: mode.action,
    note: mode.note,
    payload: mode.payload,
  });
  const rows = await repo.insertDispatches(
    tx,
    draft.orders.map((o) => ({ ...o, caseId: c.id })),
  );
  const updated = await changeCase(
    tx,
    by,
    c,
    mode.action,
    { ...draft.patch, ...mode.patch },
    { ...draft.event, dispatchId: rows[0].id },
  );
  await notify(tx, by, c.id, draft.notice.unitIds, draft.notice.kind, draft.notice.text);
  return updated;
}

// ---------- reading ----------

export async function visibleCase(ctx: Ctx, v: Viewer, id: number): Promise<repo.CaseRow> {
  const c = await repo.findCase(ctx.db, id);
  if (!c) throw notFound();
  if (v.unitIds !== null && !(await repo.hasDispatchTo(ctx.db, id, v.unitIds))) throw notFound();
  return c;
}

/** The case list (queue) or, with `mine`, the handler's inbox of active work orders. */
export async function listCases(ctx: Ctx, q: TCaseListQuery, exportRows?: number): Promise<TCaseList> {
  const v = await viewer(ctx);
  const categories = await repo.listCategories(ctx.db);
  const search = q.q ? planSearch(q.q, v.isAgent) : undefined;
  // A text search looks at the last DEFAULT_SEARCH_DAYS days unless the user gives a start or asks for all time.
  const searchFrom =
    search?.kind === 'text' && !q.from && !q.searchAll
      ? startOfBeijingDay(beijingDate(new Date(Date.now() - DEFAULT_SEARCH_DAYS * 86_400_000)))
      : undefined;
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
    place: q.place,
    sort: q.sort,
  };
  // An export reads the first `exportRows` rows the same filters list, in the same order.
  const page = exportRows ? { limit: exportRows, offset: 0 } : pageOf(q.page, q.pageSize);
  const now = new Date();
  const window = { searchFrom: searchFrom ? beijingDate(searchFrom) : null };
  if (q.mine) {
    const units = v.unitIds ?? [v.user.unitId];
    const { rows, total, totalCapped } = await repo.listInbox(ctx.db, units, filter, page);
    const dir = await pageDirectory(ctx.db, categories, [
      ...rows.map((r) => r.c.leadUnitId),
      ...rows.map((r) => r.d.unitId),
    ]);
    const items = rows.map(({ c, d }) => presentListItem(c, dir, now, requesterVisibility(v, c, true), d));
    return { items, total, totalCapped, page: q.page, pageSize: q.pageSize, ...window };
  }
  const { rows, total, totalCapped } = await repo.listCases(ctx.db, filter, page);
  const dir = await pageDirectory(
    ctx.db,
    categories,
    rows.map((r) => r.leadUnitId),
  );
  // Rows outside the agent's all-scope are already limited to the viewer's units, so they handle them.
  const items = rows.map((c) => presentListItem(c, dir, now, requesterVisibility(v, c, v.unitIds !== null), null));
  return { items, total, totalCapped, page: q.page, pageSize: q.pageSize, ...window };
}

function uiActions(
  v: Viewer,
  c: repo.CaseRow,
  dispatches: repo.DispatchRow[],
  escalations: repo.EscalationRow[],
): CaseUiAction[] {
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
    if (
      can('decide_extension', 'agent') &&
      dispatches.some((d) => d.extRequestedAt && ACTIVE_DISPATCH_STATUSES.includes(d.status))
    )
      out.add('decide_extension');
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
  if (perms.has('cases.review') && can('review_qualified', 'reviewer')) out.add('review');
  if (v.isHandler) {
    const units = v.unitIds ?? [v.user.unitId];
    const mine = dispatches.filter((d) => units.includes(d.unitId) && ACTIVE_DISPATCH_STATUSES.includes(d.status));
    const caseOk = ASSIST_CASE_STATUSES.includes(c.status);
    for (const d of mine) {
      const leadOk = (a: CaseAction) => (d.role === 'lead' ? can(a, 'handler') : caseOk);
      if (d.status === 'pending' && leadOk('sign')) out.add('sign');
      if (d.status === 'signed' && leadOk('start')) out.add('start');
      if ((d.status === 'signed' || d.status === 'in_progress') && leadOk('report')) out.add('report').add('upload');
      if ((d.status === 'signed' || d.status === 'in_progress') && !d.extRequestedAt && leadOk('request_extension'))
        out.add('extension');
      if (leadOk('return')) out.add('return');
    }
  }
  return [...out];
}

/** Case statuses in which an assisting department may still act on its work order. */
export const ASSIST_CASE_STATUSES: readonly CaseStatus[] = ['dispatched', 'signed', 'in_progress', 'reported'];

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
