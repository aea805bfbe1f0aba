import { z } from 'zod';
import { DATA_SOURCES, ZScoringMethod } from '../../engine/methods.schema.js';
import { nonEmptyPatch } from '../../lib/zod-patch.js';
import { INPUT_SOURCES } from '../inputs/inputs.schema.js';
import { WINDOW_KINDS } from './scoring.table.js';
import { PLAN_STATUSES } from '../../../../common/performance.js';

const id = z.coerce.number().int().positive().max(2147483647);
const bodyId = z.number().int().positive().max(2147483647);

/** 'YYYY-MM' (month), 'YYYY-Qn' (quarter), 'YYYY-Hn' (half year) or 'YYYY' (year to date). */
export const ZPeriod = z
  .string()
  .trim()
  .regex(/^20\d{2}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/, 'YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY (2000-2099)');
export type TPeriod = z.infer<typeof ZPeriod>;
export const ZMonth = z
  .string()
  .trim()
  .regex(/^20\d{2}-(0[1-9]|1[0-2])$/, 'YYYY-MM (2000-2099)');

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

// ---------- queries ----------

export const ZScoresQuery = z.object({
  yearId: id,
  period: ZPeriod.optional(),
  categoryId: id.optional(),
  published: flag,
});
export type TScoresQuery = z.infer<typeof ZScoresQuery>;
export const ZUnitScoresQuery = z.object({ yearId: id, period: ZPeriod.optional(), published: flag });
export const ZUnitParam = z.object({ unitId: id });
export const ZUnitSummaryQuery = z.object({ yearId: id, period: ZPeriod.optional() });
export type TUnitSummaryQuery = z.infer<typeof ZUnitSummaryQuery>;
export const ZExplainQuery = z.object({
  yearId: id,
  unitId: id,
  indicatorId: id.optional(),
  period: ZPeriod.optional(),
  published: flag,
});
export type TExplainQuery = z.infer<typeof ZExplainQuery>;
export const ZCompareQuery = z.object({ yearId: id, unitId: id });
export const ZIdParam = z.object({ id });
export const ZYearParam = z.object({ yearId: id });
export const ZYearQuery = z.object({ yearId: id });
export const ZDeductionsQuery = z.object({ yearId: id, unitId: id.optional() });
export const ZInputsQuery = z.object({ yearId: id, unitId: id, indicatorId: id.optional() });

// ---------- shared pieces ----------

export const ZWindow = z.object({
  index: z.number(),
  kind: z.enum(WINDOW_KINDS),
  n: z.number(),
  label: z.string(),
  start: z.number(),
  end: z.number(),
  /** The period code the window answers (e.g. '2026-Q1'). */
  period: z.string(),
});
export type TWindow = z.infer<typeof ZWindow>;

export const ZYearRef = z.object({
  id: z.number(),
  year: z.number(),
  name: z.string(),
  status: z.enum(['draft', 'in_force', 'closed']),
});

export const ZPublicationRef = z.object({
  id: z.number(),
  publishedAt: z.string(),
  publishedByName: z.string(),
  scoreVersion: z.number(),
});

export const ZVeto = z.enum(['cap_grade', 'zero_score']).nullable();

/** One unit's result in a window: the ranking table's row. */
/** Completeness of a unit's score: plan approved, leaves without a score (see scoring.completeness.ts). */
export const ZCompleteness = z.object({
  complete: z.boolean(),
  planStatus: z.enum([...PLAN_STATUSES, 'none']),
  /** True when approved, or when none of the unit's leaves needs a target. */
  planApproved: z.boolean(),
  /** Base leaves without a score in the window (missing data or target). */
  missingLeaves: z.number(),
  /** The first of them (at most 20). */
  missing: z.array(z.object({ indicatorId: z.number(), code: z.string(), name: z.string() })),
  /** What is missing, in the caller's language ('' when complete). */
  text: z.string(),
});
export type TCompleteness = z.infer<typeof ZCompleteness>;

export const ZScoreRow = z.object({
  unitId: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  categoryId: z.number().nullable(),
  categoryName: z.string(),
  total: z.number(),
  /** Base after rescaling for inapplicable leaves. */
  base: z.number(),
  rawBase: z.number(),
  applicablePoints: z.number(),
  bonus: z.number(),
  deduction: z.number(),
  accountability: z.number(),
  veto: ZVeto,
  missing: z.number(),
  rank: z.number(),
  of: z.number(),
  grade: z.string().nullable(),
  gradeIndex: z.number(),
  /** Scores of the level-1 indicators, in tree order. */
  nodes: z.array(z.object({ indicatorId: z.number(), score: z.number().nullable() })),
  lastYearTotal: z.number().nullable(),
  lastYearRank: z.number().nullable(),
  change: z.number().nullable(),
  /** The caller may open the unit's detail and explanations. */
  inScope: z.boolean(),
  /** Absent in publications made before completeness was recorded. */
  completeness: ZCompleteness.optional(),
});
export type TScoreRow = z.infer<typeof ZScoreRow>;

export const ZTopIndicator = z.object({
  indicatorId: z.number(),
  code: z.string(),
  name: z.string(),
  points: z.number(),
});
export const ZCategoryRef = z.object({ id: z.number().nullable(), name: z.string() });
export const ZProblem = z.object({ indicatorId: z.number(), code: z.string(), message: z.string() });

export const ZScoreTable = z.object({
  year: ZYearRef,
  window: ZWindow,
  published: ZPublicationRef.nullable(),
  version: z.number(),
  fullBase: z.number(),
  lastDataMonth: z.number(),
  categories: z.array(ZCategoryRef),
  topIndicators: z.array(ZTopIndicator),
  grades: z.array(z.string()),
  problems: z.array(ZProblem),
  rows: z.array(ZScoreRow),
});
export type TScoreTable = z.infer<typeof ZScoreTable>;

// ---------- a unit's tree ----------

export const ZTreeNode = z.object({
  indicatorId: z.number(),
  parentId: z.number().nullable(),
  code: z.string(),
  name: z.string(),
  level: z.number(),
  points: z.number(),
  isLeaf: z.boolean(),
  role: z.enum(['base', 'bonus', 'deduction', 'veto', 'node']),
  methodKind: z.string().nullable(),
  unitOfMeasure: z.string(),
  applicable: z.boolean(),
  score: z.number().nullable(),
  /** Category average of the same score (units the indicator applies to), for comparison. */
  categoryAvg: z.number().nullable(),
});
export type TTreeNode = z.infer<typeof ZTreeNode>;

export const ZUnitScores = z.object({
  year: ZYearRef,
  window: ZWindow,
  published: ZPublicationRef.nullable(),
  row: ZScoreRow,
  steps: z.array(z.string()),
  tree: z.array(ZTreeNode),
});
export type TUnitScores = z.infer<typeof ZUnitScores>;

/** One unit's ranking row in a period (the home widget: total, rank, grade, category) without the whole table. */
export const ZUnitScoreSummary = z.object({
  year: ZYearRef,
  window: ZWindow,
  version: z.number(),
  grades: z.array(z.string()),
  row: ZScoreRow,
});
export type TUnitScoreSummary = z.infer<typeof ZUnitScoreSummary>;

// ---------- explanations ----------

export const ZProvenance = z.object({
  source: z.enum(INPUT_SOURCES),
  sourceRef: z.string().nullable(),
  enteredBy: z.number().nullable(),
  enteredByName: z.string(),
  enteredAt: z.string(),
});
export type TProvenance = z.infer<typeof ZProvenance>;

export const ZExplainedInput = z.object({
  indicatorId: z.number(),
  indicatorCode: z.string(),
  field: z.string(),
  period: z.string(),
  periodLabel: z.string(),
  value: z.number().nullable(),
  provenance: ZProvenance.nullable(),
});

const ZUnitRef = z.object({
  id: z.number(),
  code: z.string().nullable(),
  name: z.string().nullable(),
  categoryName: z.string().nullable(),
});

export const ZIndicatorExplanation = z.object({
  kind: z.literal('indicator'),
  unit: ZUnitRef,
  indicator: z.object({
    id: z.number(),
    code: z.string(),
    name: z.string().nullable(),
    path: z.array(z.string()),
    isLeaf: z.boolean(),
    points: z.number(),
    role: z.enum(['base', 'bonus', 'deduction', 'veto']).nullable(),
    method: ZScoringMethod.nullable(),
    methodName: z.object({ zh: z.string(), en: z.string() }).nullable(),
    methodText: z.string().nullable(),
    direction: z.enum(['positive', 'negative']).nullable(),
    aggregate: z.enum(['sum', 'last', 'avg']).nullable(),
    prorate: z.boolean().nullable(),
    dataSource: z.enum(DATA_SOURCES).nullable(),
    cap: z.number().nullable(),
    unitOfMeasure: z.string(),
  }),
  window: ZWindow,
  published: ZPublicationRef.nullable(),
  score: z.number().nullable(),
  storedScore: z.number().nullable(),
  status: z.enum(['ok', 'missing_value', 'missing_target', 'invalid', 'not_applicable']),
  /** False when the target is missing because the unit's plan is not approved (the steps say 计划未批准). */
  planApproved: z.boolean().optional(),
  arithmetic: z.string(),
  steps: z.array(z.string()),
  inputs: z.array(ZExplainedInput),
  value: z.number().nullable(),
  target: z.object({ annual: z.number().nullable(), window: z.number().nullable(), factor: z.number() }).nullable(),
  challenge: z.object({ annual: z.number().nullable(), window: z.number().nullable() }).nullable(),
  formula: z
    .object({
      expression: z.string(),
      substituted: z.string(),
      variables: z.array(z.object({ name: z.string(), value: z.number().nullable() })),
      error: z.string().nullable(),
    })
    .nullable(),
  rank: z
    .object({
      place: z.number(),
      of: z.number(),
      entries: z.array(
        z.object({ unitId: z.number(), unitName: z.string(), value: z.number().nullable(), place: z.number() }),
      ),
    })
    .nullable(),
  children: z
    .array(
      z.object({
        id: z.number(),
        code: z.string(),
        name: z.string().nullable(),
        score: z.number().nullable(),
        counted: z.boolean(),
        role: z.enum(['base', 'bonus', 'deduction', 'veto', 'node']),
      }),
    )
    .nullable(),
  /** A leaf taking in a special scheme's result: that result and the special scheme's own tree for the unit. */
  special: z
    .object({
      schemeId: z.number(),
      schemeName: z.string(),
      publicationId: z.number(),
      period: z.string(),
      windowLabel: z.string(),
      publishedAt: z.string(),
      mapping: z.enum(['linear', 'grade']),
      total: z.number(),
      grade: z.string().nullable(),
      rank: z.number(),
      of: z.number(),
      tree: z.array(ZTreeNode),
    })
    .nullable()
    .optional(),
});
export type TIndicatorExplanation = z.infer<typeof ZIndicatorExplanation>;

export const ZDeductionRef = z.object({
  id: z.number(),
  period: z.string(),
  points: z.number(),
  reason: z.string(),
  documentNo: z.string(),
});

export const ZTotalExplanation = z.object({
  kind: z.literal('total'),
  unit: ZUnitRef,
  window: ZWindow,
  published: ZPublicationRef.nullable(),
  roots: z.array(
    z.object({ id: z.number(), code: z.string(), name: z.string().nullable(), score: z.number().nullable() }),
  ),
  base: z.number(),
  applicablePoints: z.number(),
  fullBase: z.number(),
  scaledBase: z.number(),
  bonus: z.number(),
  deduction: z.number(),
  accountability: z.number(),
  veto: ZVeto,
  total: z.number(),
  rank: z.number(),
  of: z.number(),
  grade: z.string().nullable(),
  missing: z.number(),
  steps: z.array(z.string()),
  arithmetic: z.string(),
  deductions: z.array(ZDeductionRef),
});
export type TTotalExplanation = z.infer<typeof ZTotalExplanation>;

export const ZExplanation = z.discriminatedUnion('kind', [ZIndicatorExplanation, ZTotalExplanation]);
export type TExplanation = z.infer<typeof ZExplanation>;

// ---------- sandbox ----------

export const ZSandboxRequest = z.object({
  yearId: bodyId,
  period: ZPeriod,
  changes: z
    .array(
      z.object({
        indicatorId: bodyId,
        points: z.number().min(0).max(10000).optional(),
        method: ZScoringMethod.optional(),
      }),
    )
    .max(500)
    .default([]),
  targetChanges: z
    .array(z.object({ unitId: bodyId, indicatorId: bodyId, target: z.number().min(-1e11).max(1e11).nullable() }))
    .max(5000)
    .default([]),
});
export type TSandboxRequest = z.infer<typeof ZSandboxRequest>;

const ZSideScore = z.object({ total: z.number(), rank: z.number(), grade: z.string().nullable() });
export const ZSandboxRow = z.object({
  unitId: z.number(),
  unitName: z.string(),
  categoryId: z.number().nullable(),
  categoryName: z.string(),
  of: z.number(),
  real: ZSideScore,
  sandbox: ZSideScore,
  totalChange: z.number(),
  /** Places gained (positive) or lost (negative). */
  rankChange: z.number(),
  gradeChanged: z.boolean(),
});
export const ZSandboxResult = z.object({
  year: ZYearRef,
  window: ZWindow,
  fullBase: z.number(),
  categories: z.array(ZCategoryRef),
  changed: z.object({ indicators: z.number(), targets: z.number(), ranksMoved: z.number(), gradesChanged: z.number() }),
  rows: z.array(ZSandboxRow),
});
export type TSandboxResult = z.infer<typeof ZSandboxResult>;

// ---------- publications ----------

export const ZPublishRequest = z.object({
  yearId: bodyId,
  period: ZPeriod,
  note: z.string().trim().max(500).default(''),
  /**
   * Required when units are incomplete (plan not approved, data missing): why the results are
   * published anyway. The list of incomplete units and this reason go into the audit entry.
   */
  incompleteReason: z.string().trim().max(500).optional(),
});
export const ZPublication = z.object({
  id: z.number(),
  yearId: z.number(),
  period: z.string(),
  windowKind: z.enum(WINDOW_KINDS),
  windowLabel: z.string(),
  fullYear: z.boolean(),
  scoreVersion: z.number(),
  note: z.string(),
  unitCount: z.number(),
  snapshotBytes: z.number(),
  snapshotSha256: z.string(),
  publishedByName: z.string(),
  publishedAt: z.string(),
});
export type TPublication = z.infer<typeof ZPublication>;
export const ZPublicationDetail = z.object({ publication: ZPublication, table: ZScoreTable });

export const ZPublicScoreYear = z.object({
  yearId: z.number(),
  year: z.number(),
  name: z.string(),
  publishedAt: z.string(),
});
export type TPublicScoreYear = z.infer<typeof ZPublicScoreYear>;

export const ZPublicScores = z.object({
  year: z.object({ year: z.number(), name: z.string() }),
  publishedAt: z.string(),
  windowLabel: z.string(),
  categories: z.array(
    z.object({
      name: z.string(),
      rows: z.array(
        z.object({
          rank: z.number(),
          unitName: z.string(),
          total: z.number(),
          grade: z.string().nullable(),
          /** 数据不完整 and what is missing, when the unit's data were incomplete at publication. */
          incomplete: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type TPublicScores = z.infer<typeof ZPublicScores>;

// ---------- comparison ----------

const ZMonthPoint = z.object({
  period: z.string(),
  label: z.string(),
  total: z.number().nullable(),
  rank: z.number().nullable(),
  categoryAvg: z.number().nullable(),
  categoryBest: z.number().nullable(),
  lastYearTotal: z.number().nullable(),
  lastYearRank: z.number().nullable(),
});
export const ZComparison = z.object({
  year: ZYearRef,
  unit: z.object({
    id: z.number(),
    name: z.string(),
    categoryId: z.number().nullable(),
    categoryName: z.string(),
    of: z.number(),
  }),
  window: ZWindow,
  months: z.array(ZMonthPoint),
  /** Year to date: the unit's level-1 scores against the category's average and best. */
  nodes: z.array(
    z.object({
      indicatorId: z.number(),
      name: z.string(),
      points: z.number(),
      score: z.number().nullable(),
      categoryAvg: z.number().nullable(),
      categoryBest: z.number().nullable(),
    }),
  ),
  summary: z.object({
    total: z.number(),
    rank: z.number(),
    categoryAvg: z.number(),
    categoryBest: z.number(),
    lastYearTotal: z.number().nullable(),
    lastYearRank: z.number().nullable(),
  }),
  /** 绩效改进奖 candidates: the category's units by improvement over the same period last year. */
  improvement: z.array(
    z.object({
      unitId: z.number(),
      unitName: z.string(),
      total: z.number(),
      rank: z.number(),
      lastYearTotal: z.number(),
      lastYearRank: z.number(),
      scoreChange: z.number(),
      rankChange: z.number(),
      candidate: z.boolean(),
    }),
  ),
});
export type TComparison = z.infer<typeof ZComparison>;

// ---------- accountability deductions ----------

const text = (max: number) => z.string().trim().min(1).max(max);
export const ZDeduction = z.object({
  id: z.number(),
  yearId: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  period: z.string(),
  points: z.number(),
  reason: z.string(),
  documentNo: z.string(),
  createdByName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TDeduction = z.infer<typeof ZDeduction>;
export const ZDeductionCreate = z.object({
  yearId: bodyId,
  unitId: bodyId,
  period: ZMonth,
  points: z.number().positive().max(100),
  reason: text(500),
  documentNo: text(100),
});
export type TDeductionCreate = z.infer<typeof ZDeductionCreate>;
export const ZDeductionUpdate = nonEmptyPatch(ZDeductionCreate.omit({ yearId: true, unitId: true }).partial());
export type TDeductionUpdate = z.infer<typeof ZDeductionUpdate>;

// ---------- manual inputs ----------

export const ZManualInput = z.object({
  yearId: bodyId,
  indicatorId: bodyId,
  unitId: bodyId,
  period: ZMonth,
  value: z.number().min(-1e11).max(1e11).nullable(),
  reason: text(200),
});
export type TManualInput = z.infer<typeof ZManualInput>;
export const ZScoreInput = z.object({
  indicatorId: z.number(),
  unitId: z.number(),
  period: z.string(),
  value: z.number().nullable(),
  fields: z.record(z.string(), z.unknown()),
  provenance: ZProvenance,
});
export type TScoreInput = z.infer<typeof ZScoreInput>;

// ---------- formula test-evaluation and AHP (pure computations) ----------

/** A formula to test against sample values (the indicator editor's "试算"). Limits are checked by the parser. */
export const ZFormulaEvaluate = z.object({
  expression: z.string().max(500_000),
  /** Variable name → number; names are formula identifiers (letters, digits, _). */
  variables: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a formula identifier'), z.number())
    .refine((v) => Object.keys(v).length <= 500, 'at most 500 variables')
    .default({}),
});
export type TFormulaEvaluate = z.infer<typeof ZFormulaEvaluate>;

export const ZFormulaResult = z.object({
  value: z.number(),
  /** Variables the formula refers to, in order of first use. */
  variables: z.array(z.string()),
  /** The formula with the values substituted, e.g. "min(86 / 100 * 8, 8)". */
  arithmetic: z.string(),
});
export type TFormulaResult = z.infer<typeof ZFormulaResult>;

/** A pairwise comparison matrix (rows of numbers); shape and values are checked by the AHP module. */
export const ZAhpRequest = z.object({ matrix: z.array(z.array(z.number()).max(50)).max(50) });
export type TAhpRequest = z.infer<typeof ZAhpRequest>;

export const ZAhpResult = z.object({
  n: z.number(),
  weights: z.array(z.number()),
  lambdaMax: z.number(),
  ci: z.number(),
  cr: z.number(),
  ri: z.number(),
  consistent: z.boolean(),
  iterations: z.number(),
  /** Why the weights must not be used (CR ≥ 0.1), in the request's language; null when consistent. */
  message: z.string().nullable(),
});
export type TAhpResult = z.infer<typeof ZAhpResult>;

// ---------- completeness ----------

export const ZCompletenessQuery = z.object({ yearId: id, period: ZPeriod.optional() });
export const ZCompletenessList = z.object({
  window: ZWindow,
  units: z.number(),
  incomplete: z.array(
    z.object({ unitId: z.number(), unitName: z.string(), categoryName: z.string(), completeness: ZCompleteness }),
  ),
});
export type TCompletenessList = z.infer<typeof ZCompletenessList>;
