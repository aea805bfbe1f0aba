import { z } from 'zod';
import {
  CASE_METRICS,
  DEFAULT_GRADE_RULE,
  SCHEME_KINDS,
  SCHEME_PERIODS,
  type CaseMetric,
} from '../../../../common/performance.js';
import { DATA_SOURCES, ZGradeRule, ZScoringMethod } from '../../engine/methods.schema.js';
import { ADJUSTMENT_STATUSES, AGGREGATES, DIRECTIONS, PLAN_STATUSES, YEAR_STATUSES } from './performance.table.js';
import { nonEmptyPatch } from '../../lib/zod-patch.js';

/** Case metrics and the default grade rule live in common/ (the web app uses them too). */
export { CASE_METRICS, DEFAULT_GRADE_RULE, type CaseMetric };

const CASE_METRIC_KEYS = Object.keys(CASE_METRICS) as [CaseMetric, ...CaseMetric[]];

/** The shared grade rule plus the checks a year needs: unique labels, thresholds in order. */
export const ZYearGradeRule = ZGradeRule.superRefine((rule, ctx) => {
  const seen = new Set<string>();
  rule.grades.forEach((g, i) => {
    if (seen.has(g.label))
      ctx.addIssue({ code: 'custom', path: ['grades', i, 'label'], message: `duplicate grade label ${g.label}` });
    seen.add(g.label);
    const prev = rule.grades[i - 1];
    if (rule.by === 'threshold' && prev && !(g.threshold < prev.threshold)) {
      ctx.addIssue({
        code: 'custom',
        path: ['grades', i, 'threshold'],
        message: 'thresholds must decrease from the best grade down',
      });
    }
    if (rule.by === 'share') {
      if (g.threshold <= 0 || g.threshold > 1)
        ctx.addIssue({ code: 'custom', path: ['grades', i, 'threshold'], message: 'shares lie in (0, 1]' });
      else if (prev && !(g.threshold > prev.threshold))
        ctx.addIssue({ code: 'custom', path: ['grades', i, 'threshold'], message: 'cumulative shares must increase' });
    }
  });
  if (rule.by === 'share' && rule.grades[rule.grades.length - 1]?.threshold !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['grades', rule.grades.length - 1, 'threshold'],
      message: 'the last cumulative share must be 1',
    });
  }
});

/** An id in a path: a positive int4, so an out-of-range id is a 400 naming the parameter rather than a database error. */
const pathId = z.coerce.number().int().positive().max(2147483647);
export const ZIdParam = z.object({ id: pathId });
export const ZYearUnitParam = z.object({ id: pathId, unitId: pathId });

// ---------- years ----------

export const ZYear = z.object({
  id: z.number(),
  year: z.number(),
  name: z.string(),
  status: z.enum(YEAR_STATUSES),
  gradeRule: ZGradeRule,
  deadlineDay: z.number(),
  createdAt: z.string(),
  indicatorCount: z.number(),
  leafCount: z.number(),
  /** The scheme this row is (考核方案): the year's annual one or a special one. */
  kind: z.enum(SCHEME_KINDS),
  code: z.string(),
  assessingUnitId: z.number().nullable(),
  periods: z.enum(SCHEME_PERIODS),
  unitsAssessed: z.object({ categoryIds: z.array(z.number()), unitIds: z.array(z.number()) }),
  methods: z.string(),
});
export type TYear = z.infer<typeof ZYear>;
/** A scheme is an assessment_years row: the same shape (kept as its own name where the scheme is meant). */
export type TScheme = TYear;

const yearNumber = z.number().int().min(2000).max(2100);
const yearName = z.string().trim().min(1).max(100);
const deadlineDay = z.number().int().min(1).max(28);

export const ZYearCreate = z.object({
  year: yearNumber,
  name: yearName.optional(),
  gradeRule: ZYearGradeRule.default(DEFAULT_GRADE_RULE),
  deadlineDay: deadlineDay.default(15),
});
export type TYearCreate = z.infer<typeof ZYearCreate>;

export const ZYearUpdate = nonEmptyPatch(
  z.object({ name: yearName.optional(), gradeRule: ZYearGradeRule.optional(), deadlineDay: deadlineDay.optional() }),
);
export type TYearUpdate = z.infer<typeof ZYearUpdate>;

export const ZYearCopy = z.object({ year: yearNumber, name: yearName.optional() });

// ---------- special schemes ----------

const schemeCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a lower-case letter followed by up to 39 letters, digits, _ or -')
  .refine((c) => c !== 'annual', 'annual is the annual scheme');
const unitsAssessed = z.object({
  categoryIds: z.array(z.number().int().positive().max(2147483647)).max(100),
  unitIds: z.array(z.number().int().positive().max(2147483647)).max(1000),
});

/** A special scheme (专项考核) beside the year's annual one. */
export const ZSchemeCreate = z.object({
  year: yearNumber,
  code: schemeCode,
  name: yearName,
  assessingUnitId: z.number().int().positive().max(2147483647).nullable().default(null),
  periods: z.enum(['quarter', 'half']).default('half'),
  unitsAssessed: unitsAssessed.default({ categoryIds: [], unitIds: [] }),
  methods: z.string().trim().max(2000).default(''),
  gradeRule: ZYearGradeRule.default(DEFAULT_GRADE_RULE),
  deadlineDay: deadlineDay.default(15),
});
export type TSchemeCreate = z.infer<typeof ZSchemeCreate>;

export const ZSchemeUpdate = nonEmptyPatch(
  z.object({
    name: yearName.optional(),
    assessingUnitId: z.number().int().positive().max(2147483647).nullable().optional(),
    periods: z.enum(['quarter', 'half']).optional(),
    unitsAssessed: unitsAssessed.optional(),
    methods: z.string().trim().max(2000).optional(),
  }),
);
export type TSchemeUpdate = z.infer<typeof ZSchemeUpdate>;

export const ZSchemeQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  kind: z.enum(SCHEME_KINDS).optional(),
});
export type TYearCopy = z.infer<typeof ZYearCopy>;

/** One reason a year cannot be put in force. */
export const ZYearProblem = z.object({
  indicatorId: z.number().nullable(),
  code: z.string().nullable(),
  field: z.string(),
  message: z.string(),
});
export type TYearProblem = z.infer<typeof ZYearProblem>;
export const ZYearCheck = z.object({ ok: z.boolean(), problems: z.array(ZYearProblem) });

// ---------- indicators ----------

export const ZAppliesTo = z.object({
  categoryIds: z.array(z.number().int().positive()).max(100),
  unitIds: z.array(z.number().int().positive()).max(1000),
});

export const ZIndicator = z.object({
  id: z.number(),
  yearId: z.number(),
  parentId: z.number().nullable(),
  code: z.string(),
  name: z.string(),
  level: z.number(),
  points: z.number(),
  sort: z.number(),
  unitOfMeasure: z.string(),
  description: z.string(),
  appliesTo: ZAppliesTo,
  assessingUnitId: z.number().nullable(),
  dataSource: z.enum(DATA_SOURCES),
  direction: z.enum(DIRECTIONS),
  method: ZScoringMethod.nullable(),
  aggregate: z.enum(AGGREGATES),
  caseMetric: z.string().nullable(),
  weight: z.number().nullable(),
  /** data_source 'special_assessment': the special scheme whose result the leaf takes in. */
  specialSchemeId: z.number().nullable(),
});
export type TIndicator = z.infer<typeof ZIndicator>;

/** Codes double as names in formulas, so they are identifiers: a letter, then letters, digits or _. */
const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'a letter followed by up to 31 letters, digits or _');

// Fields without defaults, so PATCH leaves out what the client did not send.
const indicatorFields = {
  parentId: z.number().int().positive().nullable(),
  code,
  name: z.string().trim().min(1).max(100),
  points: z.number().min(0).max(10000),
  sort: z.number().int().min(0).max(100000),
  unitOfMeasure: z.string().trim().max(20),
  description: z.string().max(2000),
  appliesTo: ZAppliesTo,
  assessingUnitId: z.number().int().positive().nullable(),
  dataSource: z.enum(DATA_SOURCES),
  direction: z.enum(DIRECTIONS),
  method: ZScoringMethod.nullable(),
  aggregate: z.enum(AGGREGATES),
  caseMetric: z.enum(CASE_METRIC_KEYS).nullable(),
  specialSchemeId: z.number().int().positive().max(2147483647).nullable(),
};

export const ZIndicatorCreate = z.object({
  ...indicatorFields,
  parentId: indicatorFields.parentId.default(null),
  /** Default: after the last sibling. */
  sort: indicatorFields.sort.optional(),
  unitOfMeasure: indicatorFields.unitOfMeasure.default(''),
  description: indicatorFields.description.default(''),
  appliesTo: ZAppliesTo.default({ categoryIds: [], unitIds: [] }),
  assessingUnitId: indicatorFields.assessingUnitId.default(null),
  dataSource: indicatorFields.dataSource.default('self_report'),
  direction: indicatorFields.direction.default('positive'),
  method: indicatorFields.method.default(null),
  aggregate: indicatorFields.aggregate.default('sum'),
  caseMetric: indicatorFields.caseMetric.default(null),
  specialSchemeId: indicatorFields.specialSchemeId.default(null),
});
export type TIndicatorCreate = z.infer<typeof ZIndicatorCreate>;

/** A partial update; `parentId` moves the node (and its subtree). */
export const ZIndicatorUpdate = nonEmptyPatch(z.object(indicatorFields).partial());
export type TIndicatorUpdate = z.infer<typeof ZIndicatorUpdate>;

/** AHP (or hand-set) weights of a node's children: the node's points are shared out in proportion. */
export const ZChildWeights = z.object({
  weights: z
    .array(z.object({ id: z.number().int().positive(), weight: z.number().min(0).max(1e6) }))
    .min(1)
    .max(100),
});
export type TChildWeights = z.infer<typeof ZChildWeights>;

// ---------- plans ----------

const targetNumber = z.number().min(-1e11).max(1e11);

export const ZPlanItem = z.object({
  indicatorId: z.number(),
  code: z.string(),
  name: z.string(),
  /** Names of the ancestors, top first (一级 / 二级). */
  path: z.array(z.string()),
  points: z.number(),
  unitOfMeasure: z.string(),
  direction: z.enum(DIRECTIONS),
  methodKind: z.string().nullable(),
  dataSource: z.enum(DATA_SOURCES),
  assessingUnitId: z.number().nullable(),
  /** The method scores against the target (ratio, completion bands, increments, formula using it). */
  needsTarget: z.boolean(),
  target: z.number().nullable(),
  challenge: z.number().nullable(),
  note: z.string(),
});
export type TPlanItem = z.infer<typeof ZPlanItem>;

export const ZAdjustment = z.object({
  id: z.number(),
  planId: z.number(),
  yearId: z.number(),
  unitId: z.number(),
  indicatorId: z.number(),
  indicatorCode: z.string(),
  indicatorName: z.string(),
  oldTarget: z.number().nullable(),
  newTarget: z.number(),
  oldChallenge: z.number().nullable(),
  newChallenge: z.number().nullable(),
  reason: z.string(),
  status: z.enum(ADJUSTMENT_STATUSES),
  requestedBy: z.number().nullable(),
  requestedAt: z.string(),
  decidedBy: z.number().nullable(),
  decidedAt: z.string().nullable(),
  decisionComment: z.string().nullable(),
});
export type TAdjustment = z.infer<typeof ZAdjustment>;

export const ZPlanSummary = z.object({
  /** null while the unit has not saved anything yet (an implicit draft). */
  id: z.number().nullable(),
  yearId: z.number(),
  unitId: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  categoryId: z.number().nullable(),
  status: z.enum(PLAN_STATUSES),
  leafCount: z.number(),
  targetCount: z.number(),
  /** Leaves whose method needs a target but have none yet. */
  missingTargets: z.number(),
  pendingAdjustments: z.number(),
  submittedAt: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewComment: z.string().nullable(),
});
export type TPlanSummary = z.infer<typeof ZPlanSummary>;

export const ZPlan = ZPlanSummary.extend({
  yearStatus: z.enum(YEAR_STATUSES),
  submittedBy: z.number().nullable(),
  reviewedBy: z.number().nullable(),
  items: z.array(ZPlanItem),
  adjustments: z.array(ZAdjustment),
});
export type TPlan = z.infer<typeof ZPlan>;

export const ZPlanTargets = z.object({
  targets: z
    .array(
      z.object({
        indicatorId: z.number().int().positive(),
        target: targetNumber,
        challenge: targetNumber.nullable().default(null),
        note: z.string().max(500).default(''),
      }),
    )
    .max(1000),
});
export type TPlanTargets = z.infer<typeof ZPlanTargets>;

export const ZReturnPlan = z.object({ comment: z.string().trim().min(1).max(1000) });
export const ZApprovePlan = z.object({ comment: z.string().trim().max(1000).optional() });

export const ZAdjustmentRequest = z.object({
  indicatorId: z.number().int().positive(),
  newTarget: targetNumber,
  newChallenge: targetNumber.nullable().default(null),
  reason: z.string().trim().min(1).max(1000),
});
export type TAdjustmentRequest = z.infer<typeof ZAdjustmentRequest>;

export const ZAdjustmentDecision = z.object({ comment: z.string().trim().max(1000).optional() });
export const ZAdjustmentReject = z.object({ comment: z.string().trim().min(1).max(1000) });
export const ZAdjustmentQuery = z.object({ status: z.enum(ADJUSTMENT_STATUSES).optional() });
