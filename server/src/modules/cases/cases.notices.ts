/**
 * 12345 cases: home widgets (case counts) and notices.
 */
import type { Ctx } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './cases.repo.js';
import type { TCaseCounts, TNotice } from './cases.schema.js';
import { viewer } from './cases.shared.js';

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
    await recordAudit(tx, ctx.actor, {
      action: 'case_notice.read',
      entityType: 'case_notice',
      entityId: n.id,
      unitId: n.unitId,
    });
  });
}
