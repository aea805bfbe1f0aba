// Tables of the case statistics; kept in sync by hand with migrations/0007_casestats_open311.sql.
import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });
const counter = (name: string) => integer(name).notNull().default(0);

export const caseStatsMonthly = pgTable(
  'case_stats_monthly',
  {
    unitId: integer('unit_id').notNull(),
    month: text('month').notNull(),
    dispatched: counter('dispatched'),
    assistDispatched: counter('assist_dispatched'),
    signedOnTime: counter('signed_on_time'),
    signedLate: counter('signed_late'),
    completedOnTime: counter('completed_on_time'),
    completedLate: counter('completed_late'),
    closed: counter('closed'),
    extensions: counter('extensions'),
    returns: counter('returns'),
    redos: counter('redos'),
    satisfied: counter('satisfied'),
    basic: counter('basic'),
    unsatisfied: counter('unsatisfied'),
    reviewQualified: counter('review_qualified'),
    verifyFailed: counter('verify_failed'),
    escalated: counter('escalated'),
    reminded: counter('reminded'),
    rev: bigint('rev', { mode: 'number' }).notNull().default(1),
    syncedRev: bigint('synced_rev', { mode: 'number' }).notNull().default(0),
    changedAt: ts('changed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'case_stats_monthly_pk', columns: [t.unitId, t.month] })],
);

export const caseStatsCategoryMonthly = pgTable(
  'case_stats_category_monthly',
  {
    categoryId: integer('category_id').notNull(),
    month: text('month').notNull(),
    created: counter('created'),
    closed: counter('closed'),
  },
  (t) => [primaryKey({ name: 'case_stats_category_monthly_pk', columns: [t.month, t.categoryId] })],
);

export const caseStatsSettings = pgTable('case_stats_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: integer('updated_by'),
});
