// 好差评 tables; kept in step by hand with migrations/0022_ratings_notices_awards.sql.
import { date, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { RATING_ASPECTS, RATING_LEVELS, type RatingAspect, type RatingLevel } from '../../../../common/ratings.js';

/** What can be rated: a closed 12345 case, or an approval handled by the government services module. */
export const SUBJECT_KINDS = ['case', 'application'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
/** The national five levels of 政务服务好差评 and the standard aspects (common/ratings.ts). */
export { RATING_ASPECTS, RATING_LEVELS, type RatingAspect, type RatingLevel };
/** A 差评: opens a rectification for the department. */
export const BAD_LEVELS: readonly RatingLevel[] = ['unsatisfied', 'very_unsatisfied'];
export const RATING_STATUSES = ['invited', 'rated'] as const;
export type RatingStatus = (typeof RATING_STATUSES)[number];
export const RECTIFICATION_STATUSES = ['open', 'called_back', 'submitted', 'accepted', 'returned'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];
export const REVIEWER_KINDS = ['npc_deputy', 'cppcc_member', 'style_reviewer'] as const;
export type ReviewerKind = (typeof REVIEWER_KINDS)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const serviceRatings = pgTable('service_ratings', {
  id: serial('id').primaryKey(),
  subjectKind: text('subject_kind').$type<SubjectKind>().notNull(),
  subjectId: integer('subject_id').notNull(),
  subjectRef: text('subject_ref').notNull().default(''),
  subjectTitle: text('subject_title').notNull().default(''),
  unitId: integer('unit_id').notNull(),
  round: integer('round').notNull().default(1),
  phone: text('phone').notNull(),
  tokenHash: text('token_hash').notNull(),
  status: text('status').$type<RatingStatus>().notNull().default('invited'),
  invitedAt: ts('invited_at').notNull().defaultNow(),
  remindedAt: ts('reminded_at'),
  ratedAt: ts('rated_at'),
  level: text('level').$type<RatingLevel>(),
  aspects: jsonb('aspects').$type<Partial<Record<RatingAspect, RatingLevel>>>().notNull().default({}),
  comment: text('comment').notNull().default(''),
});

export const ratingRectifications = pgTable('rating_rectifications', {
  id: serial('id').primaryKey(),
  ratingId: integer('rating_id').notNull(),
  unitId: integer('unit_id').notNull(),
  status: text('status').$type<RectificationStatus>().notNull().default('open'),
  dueDate: date('due_date', { mode: 'string' }).notNull(),
  calledBackAt: ts('called_back_at'),
  callbackNote: text('callback_note').notNull().default(''),
  result: text('result').notNull().default(''),
  submittedAt: ts('submitted_at'),
  reviewedAt: ts('reviewed_at'),
  reviewedBy: integer('reviewed_by'),
  reviewNote: text('review_note').notNull().default(''),
  returns: integer('returns').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const reviewerProfiles = pgTable('reviewer_profiles', {
  userId: integer('user_id').primaryKey(),
  kind: text('kind').$type<ReviewerKind>().notNull(),
  title: text('title').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
});
