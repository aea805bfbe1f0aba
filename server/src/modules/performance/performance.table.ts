// Tables of the performance-configuration module (years, indicators, plans), kept in sync by hand with migration 0003.
import {
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import type { DataSource, TGradeRule, TScoringMethod } from '../../engine/methods.schema.js';
import type {
  AdjustmentStatus,
  Aggregate,
  PlanStatus,
  SchemeKind,
  SchemePeriods,
  YearStatus,
} from '../../../../common/performance.js';

export { ADJUSTMENT_STATUSES, AGGREGATES, PLAN_STATUSES, YEAR_STATUSES } from '../../../../common/performance.js';
export type { AdjustmentStatus, Aggregate, PlanStatus, YearStatus };

export const DIRECTIONS = ['positive', 'negative'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Which units a node applies to: empty both = every unit that has a category. */
export type AppliesTo = { categoryIds: number[]; unitIds: number[] };

export const assessmentYears = pgTable(
  'assessment_years',
  {
    id: serial('id').primaryKey(),
    year: integer('year').notNull(),
    name: text('name').notNull(),
    status: text('status').$type<YearStatus>().notNull().default('draft'),
    gradeRule: jsonb('grade_rule').$type<TGradeRule>().notNull(),
    deadlineDay: smallint('deadline_day').notNull().default(15),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Scheme (考核方案, migration 0027): the year's annual comprehensive scheme or a special one. */
    kind: text('kind').$type<SchemeKind>().notNull().default('annual'),
    /** 'annual' for the annual scheme; a short code (e.g. 'urban') for a special one, unique in its year. */
    code: text('code').notNull().default('annual'),
    /** The assessing body of a special scheme (NULL: the performance office). */
    assessingUnitId: integer('assessing_unit_id'),
    /** The periods the scheme publishes: months (annual), quarters or half-years. */
    periods: text('periods').$type<SchemePeriods>().notNull().default('month'),
    /** The units assessed (empty both = every unit a leaf applies to). */
    unitsAssessed: jsonb('units_assessed').$type<AppliesTo>().notNull(),
    /** 考核形式 (自查、抽查考核、会议考核 …), free text. */
    methods: text('methods').notNull().default(''),
  },
  (t) => [unique('assessment_years_year_code_uq').on(t.year, t.code)],
);

export const indicators = pgTable(
  'indicators',
  {
    id: serial('id').primaryKey(),
    yearId: integer('year_id').notNull(),
    parentId: integer('parent_id'),
    code: text('code').notNull(),
    name: text('name').notNull(),
    level: smallint('level').notNull(),
    points: numeric('points', { precision: 10, scale: 3, mode: 'number' }).notNull().default(0),
    sort: integer('sort').notNull().default(0),
    unitOfMeasure: text('unit_of_measure').notNull().default(''),
    description: text('description').notNull().default(''),
    appliesTo: jsonb('applies_to').$type<AppliesTo>().notNull(),
    assessingUnitId: integer('assessing_unit_id'),
    dataSource: text('data_source').$type<DataSource>().notNull().default('self_report'),
    direction: text('direction').$type<Direction>().notNull().default('positive'),
    method: jsonb('method').$type<TScoringMethod>(),
    aggregate: text('aggregate').$type<Aggregate>().notNull().default('sum'),
    caseMetric: text('case_metric'),
    weight: numeric('weight', { precision: 10, scale: 6, mode: 'number' }),
    /** data_source 'special_assessment': the special scheme whose published result this leaf takes in. */
    specialSchemeId: integer('special_scheme_id'),
  },
  (t) => [unique('indicators_year_code_uq').on(t.yearId, t.code), unique('indicators_year_id_uq').on(t.yearId, t.id)],
);

export const performancePlans = pgTable(
  'performance_plans',
  {
    id: serial('id').primaryKey(),
    yearId: integer('year_id').notNull(),
    unitId: integer('unit_id').notNull(),
    status: text('status').$type<PlanStatus>().notNull().default('draft'),
    submittedBy: integer('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    reviewedBy: integer('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewComment: text('review_comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('performance_plans_year_unit_uq').on(t.yearId, t.unitId)],
);

export const planTargets = pgTable(
  'plan_targets',
  {
    planId: integer('plan_id').notNull(),
    indicatorId: integer('indicator_id').notNull(),
    target: numeric('target', { precision: 16, scale: 4, mode: 'number' }).notNull(),
    challenge: numeric('challenge', { precision: 16, scale: 4, mode: 'number' }),
    note: text('note').notNull().default(''),
  },
  (t) => [primaryKey({ name: 'plan_targets_pk', columns: [t.planId, t.indicatorId] })],
);

export const planAdjustments = pgTable('plan_adjustments', {
  id: serial('id').primaryKey(),
  planId: integer('plan_id').notNull(),
  indicatorId: integer('indicator_id').notNull(),
  oldTarget: numeric('old_target', { precision: 16, scale: 4, mode: 'number' }),
  newTarget: numeric('new_target', { precision: 16, scale: 4, mode: 'number' }).notNull(),
  oldChallenge: numeric('old_challenge', { precision: 16, scale: 4, mode: 'number' }),
  newChallenge: numeric('new_challenge', { precision: 16, scale: 4, mode: 'number' }),
  reason: text('reason').notNull(),
  status: text('status').$type<AdjustmentStatus>().notNull().default('requested'),
  requestedBy: integer('requested_by'),
  requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
  decidedBy: integer('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decisionComment: text('decision_comment'),
});
