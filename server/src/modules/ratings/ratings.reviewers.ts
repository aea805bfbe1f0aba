/**
 * 好差评: reviewer profiles — deputies who give professional reviews of cases.
 */
import type { Db } from '../../db/client.js';
import { type Ctx } from '../../lib/context.js';
import { invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import type { TDeputy } from '../supervision/index.js';
import * as repo from './ratings.repo.js';
import type { TReviewerCandidate, TReviewerProfile } from './ratings.schema.js';
import { type ReviewerKind } from './ratings.table.js';
import { user } from './ratings.staff.js';

// ---------- reviewer profiles (professional review by deputies) ----------

/** The cases module's check: a user with a reviewer profile may give professional reviews. */
export async function hasReviewerProfile(db: Db, userId: number): Promise<boolean> {
  return (await repo.findProfile(db, userId)) !== null;
}

/** The deputies and members for supervision's proposals (its `deputyDirectory` slot). */
export async function deputyDirectory(db: Db, userIds?: readonly number[]): Promise<TDeputy[]> {
  return (await repo.deputyProfiles(db, userIds)).map((d) => ({ ...d, userId: Number(d.userId) }));
}

export async function listReviewerProfiles(ctx: Ctx): Promise<TReviewerProfile[]> {
  user(ctx);
  return repo.listProfiles(ctx.db);
}

export async function putReviewerProfile(
  ctx: Ctx,
  v: { userId: number; kind: ReviewerKind; title: string },
): Promise<TReviewerProfile[]> {
  user(ctx);
  if (!(await repo.userExists(ctx.db, v.userId))) throw invalid('userId', '用户不存在', 'No such user');
  if (!(await repo.isEvaluator(ctx.db, v.userId)))
    throw invalid(
      'userId',
      '只能为具有评议人角色的用户设置代表身份',
      'Only a user with the evaluator role can have a reviewer profile',
    );
  const before = await repo.findProfile(ctx.db, v.userId);
  await ctx.db.transaction(async (tx) => {
    await repo.upsertProfile(tx, v);
    await recordAudit(tx, ctx.actor, {
      action: 'rating.reviewer.put',
      entityType: 'reviewer_profile',
      entityId: v.userId,
      before: before ? { kind: before.kind, title: before.title } : null,
      after: v,
    });
  });
  return repo.listProfiles(ctx.db);
}

/** The evaluator accounts and their profiles, for the admin page (admin and office). */
export async function reviewerCandidates(ctx: Ctx): Promise<TReviewerCandidate[]> {
  user(ctx);
  return (await repo.evaluatorsWithProfiles(ctx.db)).map((r) => ({
    userId: r.userId,
    username: r.username,
    displayName: r.displayName,
    unitName: r.unitName,
    active: r.active,
    profile: r.kind ? { kind: r.kind, title: r.title ?? '' } : null,
  }));
}

export async function deleteReviewerProfile(ctx: Ctx, userId: number): Promise<TReviewerProfile[]> {
  user(ctx);
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteProfile(tx, userId))) throw notFound();
    await recordAudit(tx, ctx.actor, {
      action: 'rating.reviewer.delete',
      entityType: 'reviewer_profile',
      entityId: userId,
    });
  });
  return repo.listProfiles(ctx.db);
}
