/**
 * 好差评: the public one-time rating page (rate limited per address), and rating a subject whose module has
 * identified the requester itself; a 差评 opens a rectification.
 */
import type { Db } from '../../db/client.js';
import { type Actor } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import { clearRateCounters, countHit } from '../../platform/ratelimit/index.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { getUnit } from '../units/index.js';
import { syncScoreInputs } from './ratings.inputs.js';
import * as repo from './ratings.repo.js';
import { isBad, LINK_VALID_DAYS, PAGE_HITS_PER_HOUR, rectificationDue, tokenHash } from './ratings.rules.js';
import type { TPublicRating, TRate } from './ratings.schema.js';
import { type RatingLevel, type SubjectKind } from './ratings.table.js';

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
