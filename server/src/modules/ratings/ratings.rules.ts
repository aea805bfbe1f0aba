/** Pure rules of 好差评: tokens, levels, the rectification deadline, satisfaction rates. No I/O. */
import { createHash, randomBytes } from 'node:crypto';
import { addWorkingDays, type CalendarData } from '../../engine/workdays.js';
import { BAD_LEVELS, RATING_LEVELS, type RatingLevel, type RectificationStatus } from './ratings.table.js';

/** Working days a department has to rectify a 差评. */
export const RECTIFY_WORKING_DAYS = 15;
/** Days after the invitation before the one reminder goes out. */
export const REMIND_AFTER_DAYS = 3;
/** Days an invitation link stays open. */
export const LINK_VALID_DAYS = 30;
/** Requests to the public rating page per address per hour. */
export const PAGE_HITS_PER_HOUR = 30;

/** A new one-time token (URL-safe, 128 bits) and its stored hash. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(16).toString('base64url');
  return { token, hash: tokenHash(token) };
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isBad(level: RatingLevel): boolean {
  return BAD_LEVELS.includes(level);
}

/** The day a rectification is due: 15 working days after the day the 差评 came in (Beijing date). */
export function rectificationDue(cal: CalendarData, ratedOn: string): string {
  return addWorkingDays(cal, ratedOn, RECTIFY_WORKING_DAYS);
}

/** Still waiting for the department past its due date (a submitted result is with the office, not late). */
export function isOverdue(r: { status: RectificationStatus; dueDate: string }, today: string): boolean {
  return (r.status === 'open' || r.status === 'called_back' || r.status === 'returned') && r.dueDate < today;
}

/** The rectification moves: callback (回访), submit result, office accept/return. */
export const RECTIFICATION_MOVES = {
  callback: { from: ['open', 'returned'], to: 'called_back' },
  submit: { from: ['called_back', 'returned'], to: 'submitted' },
  accept: { from: ['submitted'], to: 'accepted' },
  return: { from: ['submitted'], to: 'returned' },
} as const satisfies Record<string, { from: readonly RectificationStatus[]; to: RectificationStatus }>;
export type RectificationMove = keyof typeof RECTIFICATION_MOVES;

export function moveRectification(from: RectificationStatus, move: RectificationMove): RectificationStatus | null {
  const m = RECTIFICATION_MOVES[move];
  return (m.from as readonly RectificationStatus[]).includes(from) ? m.to : null;
}

/** Weights of the five levels for the satisfaction score (100-point scale). */
export const LEVEL_POINTS: Record<RatingLevel, number> = {
  very_satisfied: 100,
  satisfied: 80,
  basic: 60,
  unsatisfied: 20,
  very_unsatisfied: 0,
};

export type RateSummary = {
  rated: number;
  counts: Record<RatingLevel, number>;
  /** (非常满意 + 满意 + 基本满意) / rated, in percent with one decimal; null when nothing was rated. */
  goodRate: number | null;
  /** Mean of the level points; null when nothing was rated. */
  score: number | null;
};

/** The satisfaction figures of a set of ratings. */
export function summarise(levels: readonly RatingLevel[]): RateSummary {
  const counts = Object.fromEntries(RATING_LEVELS.map((l) => [l, 0])) as Record<RatingLevel, number>;
  for (const l of levels) counts[l]++;
  return summariseCounts(counts);
}

/** The satisfaction figures from the number of ratings at each level. */
export function summariseCounts(counts: Readonly<Record<RatingLevel, number>>): RateSummary {
  const rated = RATING_LEVELS.reduce((s, l) => s + counts[l], 0);
  const copy = { ...counts };
  if (!rated) return { rated, counts: copy, goodRate: null, score: null };
  const good = rated - counts.unsatisfied - counts.very_unsatisfied;
  const points = RATING_LEVELS.reduce((s, l) => s + LEVEL_POINTS[l] * counts[l], 0);
  return {
    rated,
    counts: copy,
    goodRate: Math.round((good / rated) * 1000) / 10,
    score: Math.round((points / rated) * 10) / 10,
  };
}
