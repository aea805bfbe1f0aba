/**
 * Data collection: the review steps after submitting — leader approval, office acceptance, return, bulk actions and notifications.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { type TIndicator } from '../performance/index.js';
import { upsertScoreInputs } from '../inputs/index.js';
import { listUsers } from '../users/index.js';
import { awaitingLeader, awaitingOffice, canAccept, canLeaderApprove } from './reporting.policy.js';
import * as repo from './reporting.repo.js';
import type { TBulkResult, TSubmissionDetail } from './reporting.schema.js';
import type { SubmissionStatus } from './reporting.table.js';
import { type Loaded, detailOf, loadReadable } from './reporting.present.js';
import { actorName, reportingClock } from './reporting.year.js';
import { assertYearInForce } from './reporting.entry.js';

type Transition = {
  action: 'leader_approve' | 'accept' | 'return';
  check: (l: Loaded) => void;
  patch: (l: Loaded, now: Date) => Partial<repo.SubmissionRow>;
  to: SubmissionStatus;
  comment?: string | null;
  /** In-app notifications to write with the change. */
  notes?: Note[];
};

type Note = { userId: number; title: string; body: string; link: string };

/** Writes in-app notifications inside the caller's transaction (other modules may use it too). */
export async function notifyUsers(tx: Db, notes: readonly Note[]): Promise<void> {
  await repo.insertNotifications(tx, notes);
}

/** The users told about a returned submission: the unit's reporters, or the assessing body's users for third-party data. */
async function notifyTargets(db: Db, row: repo.SubmissionRow, ind: TIndicator): Promise<number[]> {
  const users =
    row.source === 'third_party' && ind.assessingUnitId !== null
      ? await listUsers(db, { unitId: ind.assessingUnitId, role: 'assessor' })
      : await listUsers(db, { unitId: row.unitId, role: 'reporter' });
  return users.filter((u) => u.active).map((u) => u.id);
}

async function applyTransitions(ctx: Ctx, items: Loaded[], t: Transition): Promise<repo.SubmissionRow[]> {
  const now = reportingClock.now();
  const name = actorName(ctx);
  return ctx.db.transaction(async (tx) => {
    const out: repo.SubmissionRow[] = [];
    for (const l of items) {
      const r = await repo.updateIfStatus(tx, l.row.id, [l.row.status], t.patch(l, now));
      if (!r) throw new AppError('INVALID_STATE');
      if (t.action === 'accept') {
        // r0: the value as first accepted, with who entered it; then the score input.
        await repo.insertRevisions(tx, [
          {
            submissionId: r.id,
            revision: 0,
            value: r.value,
            fields: r.fields,
            flags: r.flags,
            reason: null,
            status: 'approved',
            requestedBy: r.enteredBy,
            requestedByName: r.enteredByName,
            requestedAt: r.enteredAt,
            decidedBy: ctx.user?.id ?? null,
            decidedByName: name,
            decidedAt: now,
            decisionComment: null,
          },
        ]);
        await upsertScoreInputs(tx, [
          {
            yearId: r.yearId,
            indicatorId: r.indicatorId,
            unitId: r.unitId,
            period: r.period,
            value: r.value === null ? null : Number(r.value),
            fields: r.fields,
            source: r.source,
            sourceRef: `submission:${r.id}#r${r.revision}`,
            enteredBy: r.enteredBy,
            enteredByName: r.enteredByName,
            enteredAt: r.enteredAt,
          },
        ]);
      }
      await repo.insertEvents(tx, [
        {
          submissionId: r.id,
          action: t.action,
          fromStatus: l.row.status,
          toStatus: r.status,
          comment: t.comment ?? null,
          actorId: ctx.user?.id ?? null,
          actorName: name,
        },
      ]);
      await recordAudit(tx, ctx.actor, {
        action: `submission.${t.action}`,
        entityType: 'submission',
        entityId: r.id,
        unitId: r.unitId,
        before: { status: l.row.status },
        after: { status: r.status, value: r.value, ...(t.comment ? { reason: t.comment } : {}) },
      });
      out.push(r);
    }
    if (t.notes?.length) await notifyUsers(tx, t.notes);
    return out;
  });
}

const leaderApproveT: Transition = {
  action: 'leader_approve',
  to: 'leader_approved',
  check: (l) => {
    if (!canLeaderApprove(l.v, l.row)) throw forbidden();
    if (!awaitingLeader(l.row)) throw stateError(l.row);
  },
  patch: (l, now) => ({ status: 'leader_approved', leaderApprovedBy: l.v.user.id, leaderApprovedAt: now }),
};

const acceptT: Transition = {
  action: 'accept',
  to: 'accepted',
  check: (l) => {
    if (!canAccept(l.v, l.row)) throw forbidden();
    if (!awaitingOffice(l.row)) throw stateError(l.row);
  },
  patch: (l, now) => ({ status: 'accepted', acceptedBy: l.v.user.id, acceptedAt: now }),
};

function stateError(row: repo.SubmissionRow): AppError {
  if (row.status === 'accepted') return new AppError('IMMUTABLE', { zh: '该期数据已审核归档', en: 'Already accepted' });
  const zh: Record<SubmissionStatus, string> = {
    draft: '尚未提交',
    submitted: '待单位领导审核',
    leader_approved: '待绩效办审核',
    accepted: '已归档',
  };
  return new AppError('INVALID_STATE', {
    zh: `当前状态（${zh[row.status]}）不允许此操作`,
    en: `Not allowed while ${row.status}`,
  });
}

/** Unit leader: approves a submitted self-report. */
export async function leaderApprove(ctx: Ctx, id: number): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  leaderApproveT.check(l);
  const [row] = await applyTransitions(ctx, [l], leaderApproveT);
  return detailOf(ctx, { ...l, row });
}

/** Office: accepts; the value becomes protected history and a score input. */
export async function accept(ctx: Ctx, id: number): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  assertYearInForce(l.yc);
  acceptT.check(l);
  const [row] = await applyTransitions(ctx, [l], acceptT);
  return detailOf(ctx, { ...l, row });
}

/** Leader (at the leader step) or office (at the office step): returns to draft with a reason. */
export async function returnSubmission(ctx: Ctx, id: number, reason: string): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  const atLeader = awaitingLeader(l.row) && canLeaderApprove(l.v, l.row);
  const atOffice = awaitingOffice(l.row) && canAccept(l.v, l.row);
  if (!atLeader && !atOffice) {
    if (l.row.status === 'accepted' || l.row.status === 'draft') throw stateError(l.row);
    if (!canLeaderApprove(l.v, l.row) && !canAccept(l.v, l.row)) throw forbidden();
    throw stateError(l.row);
  }
  const stage: 'leader' | 'office' = atOffice ? 'office' : 'leader';
  const title = `填报被退回：${l.ind.name}（${l.row.period}）`;
  const notes = (await notifyTargets(ctx.db, l.row, l.ind)).map((userId) => ({
    userId,
    title,
    body: reason,
    link: `/reporting/submissions/${id}`,
  }));
  const [row] = await applyTransitions(ctx, [l], {
    action: 'return',
    to: 'draft',
    comment: reason,
    notes,
    check: () => undefined,
    patch: (x, now) => ({
      status: 'draft',
      returnReason: reason,
      returnedStage: stage,
      returnedBy: x.v.user.id,
      returnedAt: now,
      leaderApprovedBy: null,
      leaderApprovedAt: null,
    }),
  });
  return detailOf(ctx, { ...l, row });
}

async function bulk(ctx: Ctx, ids: number[], t: Transition): Promise<TBulkResult> {
  const ok: Loaded[] = [];
  const failed: TBulkResult['failed'] = [];
  for (const id of [...new Set(ids)]) {
    try {
      const l = await loadReadable(ctx, id);
      if (t.action === 'accept') assertYearInForce(l.yc);
      t.check(l);
      ok.push(l);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      failed.push({ id, message: e.message_(ctx.lang) });
    }
  }
  const rows = ok.length ? await applyTransitions(ctx, ok, t) : [];
  return { done: rows.map((r) => r.id), failed };
}

/** Unit leader: approves many submitted self-reports at once (the ones that cannot be are listed with why). */
export function bulkLeaderApprove(ctx: Ctx, ids: number[]): Promise<TBulkResult> {
  return bulk(ctx, ids, leaderApproveT);
}

/** Office: accepts many at once. */
export function bulkAccept(ctx: Ctx, ids: number[]): Promise<TBulkResult> {
  return bulk(ctx, ids, acceptT);
}
