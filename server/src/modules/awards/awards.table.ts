// Award rounds; kept in step by hand with migrations/0022_ratings_notices_awards.sql.
import { integer, numeric, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** 先进 (by share or threshold within a category), 绩效改进奖, 单项绩效奖. */
export const AWARD_KINDS = ['advanced', 'improvement', 'single'] as const;
export type AwardKind = (typeof AWARD_KINDS)[number];
export const ROUND_STATUSES = ['draft', 'published'] as const;
export const DECISIONS = ['pending', 'awarded', 'declined'] as const;
export type Decision = (typeof DECISIONS)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const awardRounds = pgTable('award_rounds', {
  id: serial('id').primaryKey(),
  year: integer('year').notNull(),
  status: text('status').$type<(typeof ROUND_STATUSES)[number]>().notNull().default('draft'),
  sharePercent: integer('share_percent').notNull().default(30),
  threshold: numeric('threshold', { precision: 8, scale: 2 }),
  indicatorId: integer('indicator_id'),
  indicatorName: text('indicator_name').notNull().default(''),
  improvementCount: integer('improvement_count').notNull().default(3),
  createdBy: integer('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  publishedAt: ts('published_at'),
});

export const awardCandidates = pgTable('award_candidates', {
  id: serial('id').primaryKey(),
  roundId: integer('round_id').notNull(),
  kind: text('kind').$type<AwardKind>().notNull(),
  category: text('category').notNull().default(''),
  unitId: integer('unit_id').notNull(),
  rank: integer('rank').notNull(),
  score: numeric('score', { precision: 10, scale: 2 }).notNull(),
  basis: text('basis').notNull().default(''),
  decision: text('decision').$type<Decision>().notNull().default('pending'),
  reason: text('reason').notNull().default(''),
  decidedBy: integer('decided_by'),
  decidedAt: ts('decided_at'),
});
