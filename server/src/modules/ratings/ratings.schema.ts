import { z } from 'zod';
import {
  RATING_ASPECTS,
  RATING_LEVELS,
  RECTIFICATION_STATUSES,
  REVIEWER_KINDS,
  SUBJECT_KINDS,
} from './ratings.table.js';

const dbId = z.number().int().positive().max(2147483647);
const text = (max: number) => z.string().trim().max(max);
const iso = z.string();

export const ZIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });
/** A one-time rating token as it appears in the SMS link. */
export const ZTokenParam = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });

// ---------- public rating page ----------

export const ZPublicRating = z.object({
  subjectKind: z.enum(SUBJECT_KINDS),
  subjectRef: z.string(),
  subjectTitle: z.string(),
  unitName: z.string(),
  round: z.number().int(),
  status: z.enum(['invited', 'rated']),
  level: z.enum(RATING_LEVELS).nullable(),
});
export type TPublicRating = z.infer<typeof ZPublicRating>;

export const ZRate = z.object({
  level: z.enum(RATING_LEVELS),
  aspects: z.partialRecord(z.enum(RATING_ASPECTS), z.enum(RATING_LEVELS)).default({}),
  comment: text(1000).default(''),
});
export type TRate = z.infer<typeof ZRate>;

// ---------- staff ----------

export const ZRatingRow = z.object({
  id: z.number(),
  subjectKind: z.enum(SUBJECT_KINDS),
  subjectId: z.number(),
  subjectRef: z.string(),
  subjectTitle: z.string(),
  unitId: z.number(),
  unitName: z.string(),
  round: z.number(),
  phone: z.string(),
  status: z.enum(['invited', 'rated']),
  invitedAt: iso,
  remindedAt: iso.nullable(),
  ratedAt: iso.nullable(),
  level: z.enum(RATING_LEVELS).nullable(),
  aspects: z.record(z.string(), z.string()),
  comment: z.string(),
});
export type TRatingRow = z.infer<typeof ZRatingRow>;

export const ZRatingListQuery = z.object({
  unitId: z.coerce.number().int().positive().max(2147483647).optional(),
  level: z.enum(RATING_LEVELS).optional(),
  status: z.enum(['invited', 'rated']).optional(),
  subjectKind: z.enum(SUBJECT_KINDS).optional(),
  q: text(100).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TRatingListQuery = z.infer<typeof ZRatingListQuery>;
export const ZRatingList = z.object({
  rows: z.array(ZRatingRow),
  total: z.number(),
  totalCapped: z.boolean(),
});
export type TRatingList = z.infer<typeof ZRatingList>;

export const ZRectification = z.object({
  id: z.number(),
  ratingId: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  status: z.enum(RECTIFICATION_STATUSES),
  dueDate: z.string(),
  overdue: z.boolean(),
  calledBackAt: iso.nullable(),
  callbackNote: z.string(),
  result: z.string(),
  submittedAt: iso.nullable(),
  reviewedAt: iso.nullable(),
  reviewNote: z.string(),
  returns: z.number(),
  createdAt: iso,
  rating: ZRatingRow,
});
export type TRectification = z.infer<typeof ZRectification>;

export const ZRectificationQuery = z.object({
  unitId: z.coerce.number().int().positive().max(2147483647).optional(),
  status: z.enum(RECTIFICATION_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: text(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TRectificationQuery = z.infer<typeof ZRectificationQuery>;
export const ZRectificationList = z.object({
  rows: z.array(ZRectification),
  total: z.number(),
  totalCapped: z.boolean(),
});
export type TRectificationList = z.infer<typeof ZRectificationList>;

export const ZCallback = z.object({ note: text(2000).min(2) });
export const ZSubmitResult = z.object({ result: text(5000).min(2) });
export const ZReviewRectification = z.object({ accept: z.boolean(), note: text(2000).default('') });
export type TReviewRectification = z.infer<typeof ZReviewRectification>;

export const ZUnitRate = z.object({
  unitId: z.number(),
  unitName: z.string(),
  invited: z.number(),
  rated: z.number(),
  counts: z.record(z.enum(RATING_LEVELS), z.number()),
  goodRate: z.number().nullable(),
  score: z.number().nullable(),
  rectifications: z.number(),
  overdue: z.number(),
});
export type TUnitRate = z.infer<typeof ZUnitRate>;
export const ZRatesQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const ZReviewerProfile = z.object({
  userId: z.number(),
  displayName: z.string(),
  kind: z.enum(REVIEWER_KINDS),
  title: z.string(),
});
export type TReviewerProfile = z.infer<typeof ZReviewerProfile>;
/** An evaluator account and its reviewer profile, if any (the admin page's list). */
export const ZReviewerCandidate = z.object({
  userId: z.number(),
  username: z.string(),
  displayName: z.string(),
  unitName: z.string(),
  active: z.boolean(),
  profile: z.object({ kind: z.enum(REVIEWER_KINDS), title: z.string() }).nullable(),
});
export type TReviewerCandidate = z.infer<typeof ZReviewerCandidate>;
export const ZReviewerProfileInput = z.object({
  userId: dbId,
  kind: z.enum(REVIEWER_KINDS),
  title: text(100).default(''),
});
