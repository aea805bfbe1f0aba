/**
 * 好差评: invitations (after a case closes, or when another module asks — government services for its
 * approvals), the public one-time rating page, the one reminder, 差评 rectifications (call back,
 * rectify within 15 working days, office review), rates per department, reviewer profiles for
 * professional review. Every write is audited in its transaction.
 */
import type { Db } from '../../db/client.js';
import { SYSTEM_ACTOR, type Actor, type Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import { pageOf } from '../../platform/lists.js';
import { enqueueSms } from '../../platform/sms/index.js';
import { clearRateCounters, countHit } from '../../platform/ratelimit/index.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import type { CaseActor, ClosedCase } from '../cases/index.js';
import type { TDeputy } from '../supervision/index.js';
import { getUnit, inScope } from '../units/index.js';
import { syncScoreInputs } from './ratings.inputs.js';
import * as repo from './ratings.repo.js';
import {
  isBad,
  isOverdue,
  LINK_VALID_DAYS,
  moveRectification,
  PAGE_HITS_PER_HOUR,
  rectificationDue,
  REMIND_AFTER_DAYS,
  newToken,
  summarise,
  tokenHash,
  type RectificationMove,
} from './ratings.rules.js';
import type {
  TPublicRating,
  TRate,
  TRatingList,
  TRatingListQuery,
  TRatingRow,
  TRectification,
  TRectificationList,
  TRectificationQuery,
  TReviewerCandidate,
  TReviewerProfile,
  TUnitRate,
} from './ratings.schema.js';
import { RATING_LEVELS, type RatingLevel, type ReviewerKind, type SubjectKind } from './ratings.table.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const today = () => beijingDate(new Date());

/** The path of the public rating page for a token (the SMS carries it). */
export const ratingLink = (token: string) => `/rate/${token}`;

export type RatingInvite = {
  subjectKind: SubjectKind;
  subjectId: number;
  /** Shown to the requester and staff: the case number or the application's number. */
  subjectRef: string;
  /** e.g. the service item's name; '' for a case. */
  subjectTitle?: string;
  /** The department rated (the one that rectifies a 差评). */
  unitId: number;
  phone: string;
  /** When the invitation is sent; now by default (the demo seed backdates). */
  at?: Date;
  /** Who asks (audit); the system by default. */
  actor?: Actor;
};

/**
 * Invites the requester to rate a handled case or application: a new rating round for the subject
 * with a one-time token, and the SMS with the link, in the caller's transaction. Null when there is no
 * phone to text. The token is returned once and only its hash is stored.
 */
export async function inviteRating(
  tx: Db,
  v: RatingInvite,
): Promise<{ id: number; round: number; token: string } | null> {
  const phone = v.phone.trim();
  if (!phone) return null;
  const round = await repo.nextRound(tx, v.subjectKind, v.subjectId);
  const { token, hash } = newToken();
  const at = v.at ?? new Date();
  const row = await repo.insertRating(tx, {
    subjectKind: v.subjectKind,
    subjectId: v.subjectId,
    subjectRef: v.subjectRef,
    subjectTitle: v.subjectTitle ?? '',
    unitId: v.unitId,
    round,
    phone,
    tokenHash: hash,
    invitedAt: at,
  });
  await enqueueSms(tx, {
    caseId: v.subjectKind === 'case' ? v.subjectId : null,
    phone,
    template: 'rating_invite',
    params: { subject: subjectText(v), link: ratingLink(token), days: LINK_VALID_DAYS },
  });
  await recordAudit(tx, v.actor ?? SYSTEM_ACTOR, {
    action: 'rating.invite',
    entityType: 'service_rating',
    entityId: row.id,
    unitId: v.unitId,
    after: { subjectKind: v.subjectKind, subjectId: v.subjectId, subjectRef: v.subjectRef, round },
  });
  return { id: row.id, round, token };
}

function subjectText(v: { subjectKind: SubjectKind; subjectRef: string; subjectTitle?: string }): string {
  return v.subjectKind === 'case'
    ? `诉求（编号${v.subjectRef}）`
    : `${v.subjectTitle || '事项'}（办件编号${v.subjectRef}）`;
}

/** The latest rating of a subject (its round, level and whether it is rated), or null. */
export async function ratingOf(
  db: Db,
  subjectKind: SubjectKind,
  subjectId: number,
): Promise<{ id: number; round: number; status: 'invited' | 'rated'; level: RatingLevel | null } | null> {
  const r = await repo.latestRatingOf(db, subjectKind, subjectId);
  return r && { id: r.id, round: r.round, status: r.status, level: r.level };
}

/** The cases module's close event: the requester of a closed case is invited to rate it (again after a redo). */
export async function onCaseClosed(tx: Db, c: ClosedCase, by: CaseActor): Promise<void> {
  if (!c.unitId || !c.phone) return;
  await inviteRating(tx, {
    subjectKind: 'case',
    subjectId: c.caseId,
    subjectRef: c.number,
    unitId: c.unitId,
    phone: c.phone,
    actor: by.actor,
  });
}

// ---------- public page ----------

/**
 * Counts this request against the address's hourly allowance; 429 past it. Counted in the shared
 * database counters, so every instance behind the load balancer allows the same: the 128-bit token
 * cannot be guessed, the limit only keeps one address from flooding the page.
 */
async function throttle(db: Db, ip: string): Promise<void> {
  if ((await countHit(db, `rating:ip:${ip}`, 3600)).hits > PAGE_HITS_PER_HOUR) throw new AppError('TOO_MANY_REQUESTS');
}

/** For tests: forget the counted requests. */
export async function resetRatingPageLimit(db: Db): Promise<void> {
  await clearRateCounters(db, 'rating:');
}

function linkExpired(r: repo.RatingRow): boolean {
  return Date.now() - new Date(r.invitedAt).getTime() > LINK_VALID_DAYS * 86_400_000;
}

async function unitName(db: Db, unitId: number): Promise<string> {
  try {
    return (await getUnit(db, unitId)).name;
  } catch {
    return '';
  }
}

function presentPublic(r: repo.RatingRow, unit: string): TPublicRating {
  return {
    subjectKind: r.subjectKind,
    subjectRef: r.subjectRef,
    subjectTitle: r.subjectTitle,
    unitName: unit,
    round: r.round,
    status: r.status,
    level: r.level,
  };
}

/** What the requester sees on opening the SMS link; 404 for an unknown or expired token. */
export async function publicRating(db: Db, token: string, ip: string): Promise<TPublicRating> {
  await throttle(db, ip);
  const r = await repo.findRatingByToken(db, tokenHash(token));
  if (!r || (r.status === 'invited' && linkExpired(r))) throw notFound();
  return presentPublic(r, await unitName(db, r.unitId));
}

/** The requester rates once; a 差评 opens the department's rectification (due in 15 working days). */
export async function ratePublic(db: Db, token: string, input: TRate, ip: string): Promise<TPublicRating> {
  await throttle(db, ip);
  const cal = await loadCalendar(db);
  const actor: Actor = { id: null, name: 'citizen', ip };
  const row = await db.transaction(async (tx) => {
    const r = await repo.lockRatingByToken(tx, tokenHash(token));
    if (!r || (r.status === 'invited' && linkExpired(r))) throw notFound();
    if (r.status === 'rated')
      throw new AppError('CONFLICT', { zh: '您已评价过，感谢您的参与', en: 'This has already been rated; thank you' });
    return applyRating(tx, r, input, actor, new Date(), cal);
  });
  return presentPublic(row, await unitName(db, row.unitId));
}

/**
 * The requester rates the subject's open invitation without the SMS link, once the subject's own module
 * has checked who they are (e.g. an applicant signed in on the tracking page with number + password).
 * The same rules as the link: once per round, within the link's validity, a 差评 opens a rectification.
 */
export async function rateSubject(
  db: Db,
  subjectKind: SubjectKind,
  subjectId: number,
  input: TRate,
  actor: Actor,
): Promise<{ status: 'rated'; level: RatingLevel | null }> {
  const cal = await loadCalendar(db);
  const row = await db.transaction(async (tx) => {
    const r = await repo.lockLatestRatingOf(tx, subjectKind, subjectId);
    if (!r) throw new AppError('CONFLICT', { zh: '办结后才能评价', en: 'You can rate once the service is completed' });
    if (r.status === 'rated')
      throw new AppError('CONFLICT', { zh: '您已评价过，感谢您的参与', en: 'This has already been rated; thank you' });
    if (linkExpired(r))
      throw new AppError('CONFLICT', {
        zh: `评价期（办结后 ${LINK_VALID_DAYS} 天）已过`,
        en: `Ratings close ${LINK_VALID_DAYS} days after completion`,
      });
    return applyRating(tx, r, input, actor, new Date(), cal);
  });
  return { status: 'rated', level: row.level };
}

/** Stores a rating and, for a 差评, the rectification; shared by the public page and the demo seed's bulk path. */
async function applyRating(
  tx: Db,
  r: repo.RatingRow,
  input: TRate,
  actor: Actor,
  at: Date,
  cal: Awaited<ReturnType<typeof loadCalendar>>,
): Promise<repo.RatingRow> {
  if (isBad(input.level) && input.comment.trim().length < 2)
    throw invalid('comment', '不满意评价请简要说明原因', 'Say briefly why you are not satisfied');
  const updated = await repo.updateRating(tx, r.id, {
    status: 'rated',
    level: input.level,
    aspects: input.aspects,
    comment: input.comment,
    ratedAt: at,
  });
  let rectificationId: number | undefined;
  if (isBad(input.level)) {
    const x = await repo.insertRectification(tx, {
      ratingId: r.id,
      unitId: r.unitId,
      dueDate: rectificationDue(cal, beijingDate(at)),
    });
    rectificationId = x.id;
  }
  await recordAudit(tx, actor, {
    action: 'rating.rate',
    entityType: 'service_rating',
    entityId: r.id,
    unitId: r.unitId,
    before: { status: 'invited' },
    after: { status: 'rated', level: input.level, rectificationId },
  });
  // The department's rate of this month feeds its `ratings` leaves in the same transaction.
  const on = beijingDate(at);
  await syncScoreInputs(tx, { year: Number(on.slice(0, 4)), unitIds: [r.unitId], on, months: [on.slice(0, 7)] });
  return updated;
}

// ---------- reminder job ----------

/** One reminder to requesters who have not rated 3 days after the invitation (links still open). */
export async function remindUnrated(db: Db, now = new Date()): Promise<{ reminded: number }> {
  const before = new Date(now.getTime() - REMIND_AFTER_DAYS * 86_400_000);
  const notBefore = new Date(now.getTime() - LINK_VALID_DAYS * 86_400_000);
  let reminded = 0;
  for (;;) {
    const due = await repo.dueForReminder(db, before, notBefore, 200);
    if (!due.length) break;
    await db.transaction(async (tx) => {
      const ids = new Set(
        await repo.markReminded(
          tx,
          due.map((d) => d.id),
          now,
        ),
      );
      const list = due.filter((d) => ids.has(d.id));
      // The token is not kept: the reminder points to where the requester's first SMS link leads.
      await enqueueSms(
        tx,
        list.map((d) => ({
          caseId: d.subjectKind === 'case' ? d.subjectId : null,
          phone: d.phone,
          template: 'rating_reminder' as const,
          params: { subject: subjectText(d), link: '短信中的评价链接' },
        })),
      );
      if (list.length)
        await recordAudit(tx, SYSTEM_ACTOR, {
          action: 'rating.remind',
          entityType: 'service_rating',
          entityId: list[0].id,
          after: { count: list.length, ids: list.map((d) => d.id) },
        });
      reminded += list.length;
    });
    if (due.length < 200) break;
  }
  return { reminded };
}

// ---------- staff: lists ----------

async function visibleUnits(ctx: Ctx): Promise<number[] | null> {
  const scope = await ctx.scope();
  return scope.all ? null : [...scope.unitIds];
}

function user(ctx: Ctx) {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
  return ctx.user;
}

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
