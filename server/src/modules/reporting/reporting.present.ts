/**
 * Data collection: presenting submissions, revisions, evidence and events, and loading submissions with authorization.
 */
import type { Ctx } from '../../lib/context.js';
import { notFound, type Lang } from '../../lib/errors.js';
import { type TIndicator } from '../performance/index.js';
import { getUnit, listUnits, type TUnit } from '../units/index.js';
import { type StoredFlag } from './reporting.anomaly.js';
import {
  awaitingLeader,
  awaitingOffice,
  canAccept,
  canFill,
  canLeaderApprove,
  canRead,
  type Viewer,
} from './reporting.policy.js';
import * as repo from './reporting.repo.js';
import type {
  TAbilities,
  TEvent,
  TEvidence,
  TFlag,
  TRevision,
  TSubmission,
  TSubmissionDetail,
  TSubmissionQuery,
} from './reporting.schema.js';
import type { SubmissionStatus } from './reporting.table.js';
import { type YearCtx, deadlineOf, formOf, iso, loadYearCtx, resolveYearId, viewerOf } from './reporting.year.js';

// ---------- presenting ----------

export function presentFlags(flags: readonly StoredFlag[] | null | undefined, lang: Lang): TFlag[] {
  return (flags ?? []).map((f) => ({
    key: f.key,
    code: f.code,
    field: f.field,
    message: lang === 'en' ? f.en : f.zh,
    value: f.value,
    reference: f.reference,
    comment: f.comment,
    confirmedBy: f.confirmedBy,
    confirmedAt: f.confirmedAt,
  }));
}

export function presentSubmission(
  yc: YearCtx,
  row: repo.SubmissionRow,
  unit: Pick<TUnit, 'code' | 'name'>,
  lang: Lang,
  pendingRevision: boolean,
): TSubmission {
  const ind = yc.byId.get(row.indicatorId);
  return {
    id: row.id,
    yearId: row.yearId,
    indicatorId: row.indicatorId,
    indicatorCode: ind?.code ?? '',
    indicatorName: ind?.name ?? '',
    unitOfMeasure: ind?.unitOfMeasure ?? '',
    unitId: row.unitId,
    unitCode: unit.code,
    unitName: unit.name,
    period: row.period,
    source: row.source,
    status: row.status,
    returned: row.status === 'draft' && row.returnReason !== null,
    returnReason: row.returnReason,
    returnedStage: row.returnedStage,
    value: row.value === null ? null : Number(row.value),
    values: row.fields ?? {},
    flags: presentFlags(row.flags, lang),
    revision: row.revision,
    enteredByName: row.enteredByName,
    enteredAt: iso(row.enteredAt)!,
    firstSubmittedAt: iso(row.firstSubmittedAt),
    submittedAt: iso(row.submittedAt),
    leaderApprovedAt: iso(row.leaderApprovedAt),
    acceptedAt: iso(row.acceptedAt),
    deadline: row.deadline ?? deadlineOf(yc, row.indicatorId, row.period),
    late: row.late,
    pendingRevision,
  };
}

export function presentRevision(r: repo.RevisionRow, lang: Lang): TRevision {
  return {
    id: r.id,
    submissionId: r.submissionId,
    revision: r.revision,
    value: r.value === null ? null : Number(r.value),
    values: r.fields ?? {},
    flags: presentFlags(r.flags, lang),
    reason: r.reason,
    status: r.status,
    requestedByName: r.requestedByName,
    requestedAt: iso(r.requestedAt)!,
    decidedByName: r.decidedByName,
    decidedAt: iso(r.decidedAt),
    decisionComment: r.decisionComment,
  };
}

export function presentEvidence(e: repo.EvidenceRow): TEvidence {
  return {
    id: e.id,
    submissionId: e.submissionId,
    name: e.originalName,
    size: Number(e.size),
    mime: e.mime,
    sha256: e.sha256,
    uploadedByName: e.uploadedByName,
    uploadedAt: iso(e.uploadedAt)!,
  };
}

function presentEvent(e: repo.EventRow): TEvent {
  return {
    id: Number(e.id),
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    comment: e.comment,
    actorName: e.actorName,
    at: iso(e.at)!,
  };
}

function abilitiesOf(
  v: Viewer,
  yc: YearCtx,
  row: repo.SubmissionRow,
  ind: TIndicator,
  pendingRevision: boolean,
): TAbilities {
  const fill = canFill(v, row.unitId, ind) && yc.year.status === 'in_force';
  const draft = row.status === 'draft';
  const leader = awaitingLeader(row) && canLeaderApprove(v, row);
  const office = awaitingOffice(row) && canAccept(v, row);
  return {
    edit: fill && (draft || (row.source === 'third_party' && row.status === 'submitted')),
    submit: fill && draft,
    delete: fill && draft && row.firstSubmittedAt === null,
    approve: leader,
    accept: office,
    return: leader || office,
    requestRevision: fill && row.status === 'accepted' && !pendingRevision,
    uploadEvidence: fill && (draft || row.status === 'accepted'),
    deleteEvidence: fill && draft,
  };
}

// ---------- loading with authorization ----------

export type Loaded = { v: Viewer; yc: YearCtx; row: repo.SubmissionRow; ind: TIndicator; unit: TUnit };

/** Loads a submission the user may read; 404 otherwise (outsiders cannot tell it exists). */
export async function loadReadable(ctx: Ctx, id: number): Promise<Loaded> {
  const v = await viewerOf(ctx);
  const row = await repo.findSubmission(ctx.db, id);
  if (!row) throw notFound();
  const yc = await loadYearCtx(ctx.db, row.yearId);
  const ind = yc.byId.get(row.indicatorId);
  if (!ind || !canRead(v, row, ind)) throw notFound();
  const unit = await getUnit(ctx.db, row.unitId);
  return { v, yc, row, ind, unit };
}

export async function getSubmission(ctx: Ctx, id: number): Promise<TSubmissionDetail> {
  return detailOf(ctx, await loadReadable(ctx, id));
}

export async function detailOf(ctx: Ctx, l: Loaded): Promise<TSubmissionDetail> {
  const [evidence, events, revisions] = [
    await repo.listEvidence(ctx.db, l.row.id),
    await repo.listEvents(ctx.db, l.row.id),
    await repo.listRevisions(ctx.db, l.row.id),
  ];
  const pending = revisions.some((r) => r.status === 'requested');
  const form = formOf(l.yc, l.ind);
  return {
    ...presentSubmission(l.yc, l.row, l.unit, ctx.lang, pending),
    form: form.definition,
    formVersion: l.row.formVersion,
    evidence: evidence.map(presentEvidence),
    events: events.map(presentEvent),
    revisions: revisions.map((r) => presentRevision(r, ctx.lang)),
    abilities: abilitiesOf(l.v, l.yc, l.row, l.ind, pending),
  };
}

/** Submissions the user may see, filtered (the leader's and office's queues are shortcuts). */
export async function listSubmissions(ctx: Ctx, q: TSubmissionQuery): Promise<TSubmission[]> {
  const v = await viewerOf(ctx);
  const yearId = await resolveYearId(ctx.db, q.yearId);
  const yc = await loadYearCtx(ctx.db, yearId);
  const units = await listUnits(ctx.db);
  const unitById = new Map(units.map((u) => [u.id, u]));
  let statuses: SubmissionStatus[] | undefined = q.status ? [q.status] : undefined;
  let source: 'self_report' | 'third_party' | undefined;
  if (q.queue === 'leader') {
    statuses = ['submitted'];
    source = 'self_report';
  }
  if (q.queue === 'office') statuses = ['submitted', 'leader_approved'];
  // A status asked for within a queue narrows it (a status outside the queue finds nothing).
  if (q.queue && q.status) statuses = statuses!.filter((s) => s === q.status);
  // Narrow in SQL where the scope allows; canRead below is the authority.
  const unitIds = q.unitId
    ? [q.unitId]
    : v.scope.all || v.user.permissions.has('submissions.thirdParty')
      ? undefined
      : [...v.scope.unitIds];
  const rows = await repo.listSubmissions(ctx.db, {
    yearId,
    unitIds,
    indicatorIds: q.indicatorId ? [q.indicatorId] : undefined,
    period: q.period,
    statuses,
    source,
    limit: q.limit,
  });
  const text = q.q?.toLowerCase();
  const visible = rows.filter((r) => {
    const ind = yc.byId.get(r.indicatorId);
    if (!ind || !canRead(v, r, ind)) return false;
    if (q.categoryId !== undefined && unitById.get(r.unitId)?.categoryId !== q.categoryId) return false;
    if (text) {
      const u = unitById.get(r.unitId);
      const hay = `${u?.name ?? ''} ${u?.code ?? ''} ${ind.name} ${ind.code} ${r.enteredByName ?? ''}`.toLowerCase();
      if (!hay.includes(text)) return false;
    }
    if (q.queue === 'leader') return canLeaderApprove(v, r);
    if (q.queue === 'office') return awaitingOffice(r) && canAccept(v, r);
    return true;
  });
  const pending = await repo.openRevisionFor(
    ctx.db,
    visible.map((r) => r.id),
  );
  const out = visible
    .map((r) => presentSubmission(yc, r, unitById.get(r.unitId) ?? { code: '', name: '' }, ctx.lang, pending.has(r.id)))
    .filter((s) => q.flagged === undefined || s.flags.length > 0 === q.flagged);
  return sortSubmissions(out, q.sort);
}

/** The review queue's orders (the default is the database's: period, unit, indicator). */
function sortSubmissions(rows: TSubmission[], sort: TSubmissionQuery['sort']): TSubmission[] {
  const by = (f: (a: TSubmission, b: TSubmission) => number) => [...rows].sort((a, b) => f(a, b) || a.id - b.id);
  switch (sort) {
    case 'unit':
      return by((a, b) => a.unitCode.localeCompare(b.unitCode) || a.period.localeCompare(b.period));
    case 'indicator':
      return by((a, b) => a.indicatorCode.localeCompare(b.indicatorCode) || a.period.localeCompare(b.period));
    case 'submitted':
      return by((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''));
    case 'submitted_desc':
      return by((a, b) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? '') || b.id - a.id);
    default:
      return rows;
  }
}
