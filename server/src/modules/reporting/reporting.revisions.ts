/**
 * Data collection: revision requests for accepted data and the office's decisions on them.
 */
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { upsertScoreInputs } from '../inputs/index.js';
import { listUnits } from '../units/index.js';
import { unconfirmed } from './reporting.anomaly.js';
import { sameValues } from './reporting.forms.js';
import { canAccept, canFill, canRead } from './reporting.policy.js';
import * as repo from './reporting.repo.js';
import type { TRevisionItem, TRevisionRequest, TSubmissionDetail } from './reporting.schema.js';
import { getSubmission, loadReadable, presentRevision } from './reporting.present.js';
import { assertYearInForce, evidenceIdsOf, pendingFlagsError, prepareEntries } from './reporting.entry.js';
import { type YearCtx, actorName, loadYearCtx, reportingClock, viewerOf } from './reporting.year.js';

// ---------- revisions ----------

/** Requests a correction of accepted data with a reason and the new values; the office decides. */
export async function requestRevision(ctx: Ctx, id: number, input: TRevisionRequest): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  if (!canFill(l.v, l.row.unitId, l.ind)) throw forbidden();
  if (l.row.status !== 'accepted') {
    throw new AppError('INVALID_STATE', {
      zh: '只有已审核归档的数据需要修订申请；未归档的数据请直接修改或退回',
      en: 'Only accepted data are revised',
    });
  }
  assertYearInForce(l.yc);
  const open = await repo.openRevisionFor(ctx.db, [id]);
  if (open.size)
    throw new AppError('INVALID_STATE', { zh: '已有待审批的修订申请', en: 'A revision request is already pending' });
  const now = reportingClock.now();
  const who = { name: actorName(ctx), at: now };
  const [p] = await prepareEntries(
    ctx.db,
    l.yc,
    l.unit,
    l.row.period,
    [{ ind: l.ind, raw: input.values, existing: null, confirmations: input.confirmations, errorPrefix: '' }],
    who,
    (sid) => evidenceIdsOf(ctx.db, sid ?? id),
  );
  if (sameValues(p.values, l.row.fields ?? {}))
    throw invalid('values', '修订值与当前值相同', 'The new values equal the current ones');
  const pending = unconfirmed(p.flags);
  if (pending.length) pendingFlagsError(pending);
  const next = (await repo.maxRevision(ctx.db, id)) + 1;
  await ctx.db.transaction(async (tx) => {
    const [rev] = await repo.insertRevisions(tx, [
      {
        submissionId: id,
        revision: next,
        value: p.scoreValue,
        fields: p.values,
        flags: p.flags,
        reason: input.reason,
        status: 'requested',
        requestedBy: l.v.user.id,
        requestedByName: who.name,
        requestedAt: now,
      },
    ]);
    await repo.insertEvents(tx, [
      {
        submissionId: id,
        action: 'revision_request',
        fromStatus: 'accepted',
        toStatus: 'accepted',
        comment: input.reason,
        actorId: l.v.user.id,
        actorName: who.name,
      },
    ]);
    await recordAudit(tx, ctx.actor, {
      action: 'submission.revision_request',
      entityType: 'submission_revision',
      entityId: rev.id,
      unitId: l.row.unitId,
      before: { value: l.row.value, values: l.row.fields },
      after: { submissionId: id, revision: next, value: p.scoreValue, values: p.values, reason: input.reason },
    });
  });
  return getSubmission(ctx, id);
}

async function loadRevision(ctx: Ctx, revisionId: number) {
  const rev = await repo.findRevision(ctx.db, revisionId);
  if (!rev) throw notFound();
  const l = await loadReadable(ctx, rev.submissionId);
  return { rev, l };
}

/** Office: approves a revision: its values become current (the old ones stay in the history) and flow into the scores. */
export async function approveRevision(
  ctx: Ctx,
  revisionId: number,
  comment: string | null,
): Promise<TSubmissionDetail> {
  const { rev, l } = await loadRevision(ctx, revisionId);
  if (!canAccept(l.v, l.row)) throw forbidden();
  if (rev.status !== 'requested')
    throw new AppError('INVALID_STATE', { zh: '该修订申请已处理', en: 'The request was already decided' });
  assertYearInForce(l.yc);
  const name = actorName(ctx);
  await ctx.db.transaction(async (tx) => {
    const decided = await repo.decideRevision(tx, revisionId, {
      status: 'approved',
      decidedBy: ctx.user?.id ?? null,
      decidedByName: name,
      decisionComment: comment,
    });
    if (!decided) throw new AppError('INVALID_STATE');
    const r = await repo.updateIfStatus(tx, l.row.id, ['accepted'], {
      value: rev.value,
      fields: rev.fields,
      flags: rev.flags,
      revision: rev.revision,
      enteredBy: rev.requestedBy,
      enteredByName: rev.requestedByName,
      enteredAt: rev.requestedAt,
    });
    if (!r) throw new AppError('INVALID_STATE');
    await upsertScoreInputs(tx, [
      {
        yearId: r.yearId,
        indicatorId: r.indicatorId,
        unitId: r.unitId,
        period: r.period,
        value: r.value === null ? null : Number(r.value),
        fields: r.fields,
        source: r.source,
        sourceRef: `submission:${r.id}#r${rev.revision}`,
        enteredBy: rev.requestedBy,
        enteredByName: rev.requestedByName,
        enteredAt: rev.requestedAt,
      },
    ]);
    await repo.insertEvents(tx, [
      {
        submissionId: r.id,
        action: 'revision_approve',
        fromStatus: 'accepted',
        toStatus: 'accepted',
        comment,
        actorId: ctx.user?.id ?? null,
        actorName: name,
      },
    ]);
    if (rev.requestedBy) {
      await repo.insertNotifications(tx, [
        {
          userId: rev.requestedBy,
          title: `修订申请已批准：${l.ind.name}（${l.row.period}）`,
          body: comment ?? '',
          link: `/reporting/submissions/${r.id}`,
        },
      ]);
    }
    await recordAudit(tx, ctx.actor, {
      action: 'submission.revision_approve',
      entityType: 'submission_revision',
      entityId: revisionId,
      unitId: r.unitId,
      before: { revision: l.row.revision, value: l.row.value, values: l.row.fields },
      after: { revision: rev.revision, value: r.value, values: r.fields, comment },
    });
  });
  return getSubmission(ctx, l.row.id);
}

/** Office: rejects a revision request (with a reason); the current value stays. */
export async function rejectRevision(ctx: Ctx, revisionId: number, comment: string): Promise<TSubmissionDetail> {
  const { rev, l } = await loadRevision(ctx, revisionId);
  if (!canAccept(l.v, l.row)) throw forbidden();
  if (rev.status !== 'requested')
    throw new AppError('INVALID_STATE', { zh: '该修订申请已处理', en: 'The request was already decided' });
  const name = actorName(ctx);
  await ctx.db.transaction(async (tx) => {
    const decided = await repo.decideRevision(tx, revisionId, {
      status: 'rejected',
      decidedBy: ctx.user?.id ?? null,
      decidedByName: name,
      decisionComment: comment,
    });
    if (!decided) throw new AppError('INVALID_STATE');
    await repo.insertEvents(tx, [
      {
        submissionId: l.row.id,
        action: 'revision_reject',
        fromStatus: 'accepted',
        toStatus: 'accepted',
        comment,
        actorId: ctx.user?.id ?? null,
        actorName: name,
      },
    ]);
    if (rev.requestedBy) {
      await repo.insertNotifications(tx, [
        {
          userId: rev.requestedBy,
          title: `修订申请未获批准：${l.ind.name}（${l.row.period}）`,
          body: comment,
          link: `/reporting/submissions/${l.row.id}`,
        },
      ]);
    }
    await recordAudit(tx, ctx.actor, {
      action: 'submission.revision_reject',
      entityType: 'submission_revision',
      entityId: revisionId,
      unitId: l.row.unitId,
      after: { comment },
    });
  });
  return getSubmission(ctx, l.row.id);
}

/** Revision requests (default: pending) the user may see, with the current values for comparison. */
export async function listRevisionRequests(
  ctx: Ctx,
  status: 'requested' | 'approved' | 'rejected',
): Promise<TRevisionItem[]> {
  const v = await viewerOf(ctx);
  const revs = await repo.revisionsByStatus(ctx.db, status);
  const subs = new Map(
    (await repo.findSubmissions(ctx.db, [...new Set(revs.map((r) => r.submissionId))])).map((s) => [s.id, s]),
  );
  const units = new Map((await listUnits(ctx.db)).map((u) => [u.id, u]));
  const ycs = new Map<number, YearCtx>();
  const out: TRevisionItem[] = [];
  for (const r of revs) {
    const s = subs.get(r.submissionId);
    if (!s) continue;
    let yc = ycs.get(s.yearId);
    if (!yc) ycs.set(s.yearId, (yc = await loadYearCtx(ctx.db, s.yearId)));
    const ind = yc.byId.get(s.indicatorId);
    if (!ind || !canRead(v, s, ind)) continue;
    out.push({
      ...presentRevision(r, ctx.lang),
      unitId: s.unitId,
      unitName: units.get(s.unitId)?.name ?? '',
      indicatorId: s.indicatorId,
      indicatorCode: ind.code,
      indicatorName: ind.name,
      period: s.period,
      currentValue: s.value === null ? null : Number(s.value),
      currentValues: s.fields ?? {},
    });
  }
  return out;
}
