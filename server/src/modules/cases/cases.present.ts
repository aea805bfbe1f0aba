/** Presenters: database rows → API shapes. Never the password hash; requester data only as the policy allows. */
import { CHANNEL_NAMES, RATING_NAMES } from '../../../../common/cases.js';
import { zhNames } from '../../../../common/names.js';
import { HANDLING_STATUSES } from './cases.machine.js';
import { beijingDate, dueState, type DueState } from './cases.deadlines.js';
import { maskName, maskPhone, type RequesterVisibility } from './cases.policy.js';
import type * as repo from './cases.repo.js';
import type {
  TAttachmentView,
  TCaseEventView,
  TCaseListItem,
  TDispatchView,
  TEscalationView,
  TRequesterView,
} from './cases.schema.js';
import type { Channel, Rating } from './cases.table.js';

export const CHANNEL_LABELS: Record<Channel, string> = zhNames(CHANNEL_NAMES);
export const RATING_LABELS: Record<Rating, string> = zhNames(RATING_NAMES);

type Names = { unitName(id: number | null): string | null; categoryName(id: number): string };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Where the case's handling deadline stands (null before dispatch). */
export function caseDueState(c: Pick<repo.CaseRow, 'status' | 'deadline' | 'dueSoonAt'>, now: Date): DueState | null {
  if (!c.deadline) return null;
  const handling = HANDLING_STATUSES.includes(c.status);
  return dueState({ deadline: c.deadline, dueSoonAt: c.dueSoonAt, doneAt: handling ? null : c.deadline, now });
}

/** Where the sign-for limit stands: done once signed (or past the dispatched state). */
export function caseSignState(c: Pick<repo.CaseRow, 'status' | 'signDue' | 'signedAt'>, now: Date): DueState | null {
  if (!c.signDue) return null;
  const waiting = c.status === 'dispatched';
  return dueState({ deadline: c.signDue, dueSoonAt: null, doneAt: waiting ? null : (c.signedAt ?? c.signDue), now });
}

export function presentDispatch(d: repo.DispatchRow, names: Names, now: Date): TDispatchView {
  const active = d.status === 'pending' || d.status === 'signed' || d.status === 'in_progress';
  return {
    id: d.id,
    unitId: d.unitId,
    unitName: names.unitName(d.unitId) ?? '',
    role: d.role,
    round: d.round,
    kind: d.kind,
    status: d.status,
    timeLimitDays: d.timeLimitDays,
    dispatchedAt: d.dispatchedAt.toISOString(),
    signDue: d.signDue.toISOString(),
    signedAt: iso(d.signedAt),
    startedAt: iso(d.startedAt),
    deadline: d.deadline.toISOString(),
    deadlineDate: beijingDate(d.deadline),
    reportedAt: iso(d.reportedAt),
    result: d.result,
    extensionCount: d.extensionCount,
    extensionDays: d.extensionDays,
    extensionRequest:
      d.extRequestedAt && d.extRequestedDays !== null
        ? { days: d.extRequestedDays, reason: d.extReason ?? '', at: d.extRequestedAt.toISOString() }
        : null,
    returned: d.returned,
    returnedAt: iso(d.returnedAt),
    returnReason: d.returnReason,
    dueState: dueState({
      deadline: d.deadline,
      dueSoonAt: d.dueSoonAt,
      doneAt: active ? null : (d.reportedAt ?? d.endedAt ?? d.deadline),
      now,
    }),
    signState: dueState({
      deadline: d.signDue,
      dueSoonAt: null,
      doneAt: d.status === 'pending' ? null : (d.signedAt ?? d.endedAt ?? d.signDue),
      now,
    }),
  };
}

export function requesterName(name: string, anonymous: boolean, vis: RequesterVisibility): string {
  if (vis === 'hidden') return '匿名';
  if (!name) return anonymous ? '匿名' : '';
  return vis === 'full' ? name : maskName(name);
}

export function presentRequester(c: repo.CaseRow, vis: RequesterVisibility): TRequesterView {
  return {
    name: requesterName(c.requesterName, c.anonymous, vis),
    phone: vis === 'full' ? c.requesterPhone : vis === 'masked' ? maskPhone(c.requesterPhone) : '',
    enterprise: c.requesterEnterprise,
    enterpriseName: c.enterpriseName,
    anonymous: c.anonymous,
    masked: vis !== 'full',
  };
}

export function presentListItem(
  c: repo.CaseListRow,
  names: Names,
  now: Date,
  vis: RequesterVisibility,
  dispatch: repo.DispatchRow | null = null,
): TCaseListItem {
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    channel: c.channel,
    type: c.type,
    categoryId: c.categoryId,
    categoryName: names.categoryName(c.categoryId),
    summary: c.summary,
    address: c.address,
    requesterName: requesterName(c.requesterName, c.anonymous, vis),
    createdAt: c.createdAt.toISOString(),
    leadUnitId: c.leadUnitId,
    leadUnitName: names.unitName(c.leadUnitId),
    deadline: iso(c.deadline),
    signDue: iso(c.signDue),
    dueState: caseDueState(c, now),
    signState: caseSignState(c, now),
    escalated: c.escalated,
    redoCount: c.redoCount,
    dispatch: dispatch ? presentDispatch(dispatch, names, now) : null,
  };
}

export function presentEvent(e: repo.EventRow, names: Names): TCaseEventView {
  return {
    id: Number(e.id),
    type: e.type,
    at: e.at.toISOString(),
    actorName: e.actorName,
    actorRole: e.actorRole,
    unitId: e.unitId,
    unitName: names.unitName(e.unitId),
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    note: e.note,
    isPublic: e.isPublic,
    publicText: e.publicText,
  };
}

export function presentAttachment(a: repo.AttachmentRow, names: Names): TAttachmentView {
  return {
    id: a.id,
    kind: a.kind,
    filename: a.filename,
    mime: a.mime,
    size: a.size,
    createdAt: a.createdAt.toISOString(),
    uploadedByName: a.uploadedByName,
    unitName: names.unitName(a.unitId),
  };
}

export function presentEscalation(
  e: repo.EscalationRow,
  c: repo.CaseListRow,
  names: Names,
  now: Date,
): TEscalationView {
  return {
    id: e.id,
    caseId: c.id,
    caseNumber: c.number,
    caseStatus: c.status,
    caseSummary: c.summary,
    leadUnitName: names.unitName(c.leadUnitId),
    deadline: iso(c.deadline),
    dueState: caseDueState(c, now),
    status: e.status,
    reason: e.reason,
    requestedAt: e.requestedAt.toISOString(),
    requestedByName: e.requestedByName || null,
    decidedAt: iso(e.decidedAt),
    decidedByName: e.decidedByName || null,
    decisionNote: e.decisionNote,
    followCount: e.followCount,
    lastFollowAt: iso(e.lastFollowAt),
    lastFollowNote: e.lastFollowNote,
  };
}

/** The list-row shape of a full case row. */
export function listRowOf(c: repo.CaseRow): repo.CaseListRow {
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    channel: c.channel,
    type: c.type,
    categoryId: c.categoryId,
    summary: c.description.slice(0, 80),
    address: c.address,
    requesterName: c.requesterName,
    anonymous: c.anonymous,
    createdAt: c.createdAt,
    leadUnitId: c.leadUnitId,
    deadline: c.deadline,
    dueSoonAt: c.dueSoonAt,
    signDue: c.signDue,
    signedAt: c.signedAt,
    reportedAt: c.reportedAt,
    escalated: c.escalated,
    redoCount: c.redoCount,
  };
}
