/**
 * 好差评, the staff's side: lists of ratings and rectifications, the rectification flow (call back, rectify,
 * office review), a renewed link, and the rates per department.
 */
import { type Ctx, signedIn } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { pageOf } from '../../platform/lists.js';
import { recordAudit } from '../audit/index.js';
import { inScope } from '../units/index.js';
import * as repo from './ratings.repo.js';
import { isOverdue, moveRectification, newToken, summarise, type RectificationMove } from './ratings.rules.js';
import type {
  TRatingList,
  TRatingListQuery,
  TRatingRow,
  TRectification,
  TRectificationList,
  TRectificationQuery,
  TUnitRate,
} from './ratings.schema.js';
import { RATING_LEVELS, type RatingLevel } from './ratings.table.js';
import { iso, ratingLink, today } from './ratings.invitations.js';

// ---------- staff: lists ----------

async function visibleUnits(ctx: Ctx): Promise<number[] | null> {
  const scope = await ctx.scope();
  return scope.all ? null : [...scope.unitIds];
}

export const user = signedIn;

export function presentRating(r: repo.RatingListRow): TRatingRow {
  return {
    id: r.id,
    subjectKind: r.subjectKind,
    subjectId: r.subjectId,
    subjectRef: r.subjectRef,
    subjectTitle: r.subjectTitle,
    unitId: r.unitId,
    unitName: r.unitName,
    round: r.round,
    phone: maskPhone(r.phone),
    status: r.status,
    invitedAt: iso(r.invitedAt)!,
    remindedAt: iso(r.remindedAt),
    ratedAt: iso(r.ratedAt),
    level: r.level,
    aspects: (r.aspects ?? {}) as Record<string, string>,
    comment: r.comment,
  };
}

/** 13812345678 → 138****5678. */
function maskPhone(p: string): string {
  return p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****';
}

export async function listRatings(ctx: Ctx, q: TRatingListQuery): Promise<TRatingList> {
  user(ctx);
  const page = await repo.listRatings(ctx.db, { ...q, unitIds: await visibleUnits(ctx) }, pageOf(q.page, q.pageSize));
  return { rows: page.rows.map(presentRating), total: page.total, totalCapped: page.totalCapped };
}

function presentRectification(x: repo.RectificationListRow, on: string): TRectification {
  return {
    id: x.id,
    ratingId: x.ratingId,
    unitId: x.unitId,
    unitName: x.unitName,
    status: x.status,
    dueDate: x.dueDate,
    overdue: isOverdue(x, on),
    calledBackAt: iso(x.calledBackAt),
    callbackNote: x.callbackNote,
    result: x.result,
    submittedAt: iso(x.submittedAt),
    reviewedAt: iso(x.reviewedAt),
    reviewNote: x.reviewNote,
    returns: x.returns,
    createdAt: iso(x.createdAt)!,
    rating: presentRating(x.rating),
  };
}

export async function listRectifications(ctx: Ctx, q: TRectificationQuery): Promise<TRectificationList> {
  user(ctx);
  const on = today();
  const page = await repo.listRectifications(
    ctx.db,
    {
      unitIds: await visibleUnits(ctx),
      unitId: q.unitId,
      status: q.status,
      q: q.q,
      overdueOn: q.overdue === 'true' ? on : undefined,
      notOverdueOn: q.overdue === 'false' ? on : undefined,
    },
    pageOf(q.page, q.pageSize),
  );
  return { rows: page.rows.map((x) => presentRectification(x, on)), total: page.total, totalCapped: page.totalCapped };
}

export async function getRectification(ctx: Ctx, id: number): Promise<TRectification> {
  user(ctx);
  const x = await repo.findRectification(ctx.db, id);
  if (!x || !inScope(await ctx.scope(), x.unitId)) throw notFound();
  // The department sees the requester's full phone to call back; others see it masked.
  const out = presentRectification(x, today());
  if (ctx.user!.permissions.has('ratings.rectify')) out.rating.phone = x.rating.phone;
  return out;
}

// ---------- staff: the rectification flow ----------

/**
 * One move of a rectification: the department calls back (回访) and submits its result; the office
 * accepts or returns it. The department acts only on its own unit's items; the office on all.
 */
export async function moveRectificationBy(
  ctx: Ctx,
  id: number,
  move: RectificationMove,
  body: { note?: string; result?: string; accept?: boolean },
): Promise<TRectification> {
  const u = user(ctx);
  const office = move === 'accept' || move === 'return';
  if (office ? !u.permissions.has('ratings.manage') : !u.permissions.has('ratings.rectify')) throw forbidden();
  const scope = await ctx.scope(); // read before the transaction (PGlite has one connection)
  await ctx.db.transaction(async (tx) => {
    const x = await repo.lockRectification(tx, id);
    if (!x || !inScope(scope, x.unitId)) throw notFound();
    const to = moveRectification(x.status, move);
    if (!to) throw new AppError('INVALID_STATE');
    const now = new Date();
    const patch: Partial<repo.RectificationRow> = { status: to };
    if (move === 'callback') Object.assign(patch, { calledBackAt: now, callbackNote: body.note ?? '' });
    if (move === 'submit') Object.assign(patch, { submittedAt: now, result: body.result ?? '' });
    if (office)
      Object.assign(patch, {
        reviewedAt: now,
        reviewedBy: u.id,
        reviewNote: body.note ?? '',
        returns: move === 'return' ? x.returns + 1 : x.returns,
      });
    if (move === 'return' && (body.note ?? '').length < 2)
      throw invalid('note', '退回请说明原因', 'Say why the result is returned');
    await repo.updateRectification(tx, id, patch);
    await recordAudit(tx, ctx.actor, {
      action: `rating.rectification.${move}`,
      entityType: 'rating_rectification',
      entityId: id,
      unitId: x.unitId,
      before: { status: x.status },
      after: { status: to, note: body.note, result: body.result },
    });
  });
  return getRectification(ctx, id);
}

/**
 * A new one-time link for an unrated invitation (现场扫码评价: shown at the counter or read out on the
 * call-back); the previous link stops working. The office, or the department rated.
 */
export async function renewLink(ctx: Ctx, id: number): Promise<{ link: string; token: string }> {
  const u = user(ctx);
  const scope = await ctx.scope(); // read before the transaction (PGlite has one connection)
  const { token, hash } = newToken();
  await ctx.db.transaction(async (tx) => {
    const r = await repo.findRating(tx, id);
    if (!r || !inScope(scope, r.unitId)) throw notFound();
    if (!u.permissions.has('ratings.manage') && !u.permissions.has('ratings.rectify')) throw forbidden();
    if (r.status !== 'invited') throw new AppError('INVALID_STATE', { zh: '该评价已完成', en: 'Already rated' });
    await repo.updateRating(tx, id, { tokenHash: hash, invitedAt: new Date() });
    await recordAudit(tx, ctx.actor, {
      action: 'rating.link',
      entityType: 'service_rating',
      entityId: id,
      unitId: r.unitId,
      after: { renewed: true },
    });
  });
  return { link: ratingLink(token), token };
}

// ---------- rates per department ----------

export async function unitRates(ctx: Ctx, year: number): Promise<TUnitRate[]> {
  user(ctx);
  const rows = await repo.unitRates(ctx.db, `${year}-01-01`, `${year + 1}-01-01`, today(), await visibleUnits(ctx));
  return rows.map((r) => {
    const levels = RATING_LEVELS.flatMap((l) => Array<RatingLevel>(r[l]).fill(l));
    const s = summarise(levels);
    return {
      unitId: r.unitId,
      unitName: r.unitName,
      invited: r.invited,
      rated: s.rated,
      counts: s.counts,
      goodRate: s.goodRate,
      score: s.score,
      rectifications: r.rectifications,
      overdue: r.overdue,
    };
  });
}
