import { z } from 'zod';
import type { MethodKindName } from '../../../common/performance.js';

/**
 * The scoring method of a leaf indicator, stored as JSON on the indicator (indicators.method).
 * Shared contract between the indicator editor (performance module), the engine (scoring/engine)
 * and the data forms (reporting). `points` is the leaf's full score, stored on the indicator.
 */
/**
 * Completion ratio: score = points × share, share = actual ÷ target (negative direction: target ÷ actual),
 * limited to [floor, cap]. Semantics of edge cases are documented on `scoreRatio` in methods.ts.
 */
export const ZRatioMethod = z.object({
  kind: z.literal('ratio'),
  /** Maximum share of points (1 = 100%, 1.2 allows 20% over-completion credit). */
  cap: z.number().min(0).max(10).default(1),
  /** Minimum share of points once any value exists (0 = none). */
  floor: z.number().min(0).max(1).default(0),
});

export const ZBandsMethod = z.object({
  kind: z.literal('bands'),
  /**
   * Compared on completion when `on` = 'completion' (a fraction: 1 = 100 %, actual/target, or target/actual
   * for a negative indicator), or on the raw value. A value in no band scores 0.
   */
  on: z.enum(['value', 'completion']).default('completion'),
  /** Ordered bands: value in [min, max) gets `points` (absolute points). Open ends allowed. */
  bands: z
    .array(z.object({ min: z.number().nullable(), max: z.number().nullable(), points: z.number() }))
    .min(1)
    .max(50),
});

export const ZIncrementsMethod = z.object({
  kind: z.literal('increments'),
  /** Points when exactly on target. */
  base: z.number(),
  /**
   * Every full `stepPercent` over target adds `stepPoints`; every full step under target subtracts
   * `stepPointsUnder` (partial steps do not count; "over" means better, so for a negative indicator
   * it means below the target).
   */
  stepPercent: z.number().positive(),
  stepPoints: z.number().min(0),
  stepPointsUnder: z.number().min(0),
  /** Score stays within [min, max]. */
  min: z.number().default(0),
  max: z.number(),
  /**
   * How the deviation from target is measured: 'relative' (default) = (actual − target) / |target| × 100,
   * i.e. per cent of the target; 'absolute' = actual − target in the indicator's own unit
   * (use it for rates, where a step of 1 means one percentage point).
   */
  deviation: z.enum(['relative', 'absolute']).default('relative'),
});

export const ZRankMethod = z.object({
  kind: z.literal('rank'),
  /** Best gets full points; each further place loses `stepPoints` (ties share the better place). */
  stepPoints: z.number().min(0),
  minPoints: z.number().min(0).default(0),
});

export const ZBenchmarkMethod = z.object({
  kind: z.literal('benchmark'),
  /** Score = points × (value − baseline) / (benchmark − baseline), clamped to [0, points]. */
  baseline: z.number(),
  benchmark: z.number(),
});

export const ZQualitativeMethod = z.object({
  kind: z.literal('qualitative'),
  /** Grade label → share of points (e.g. 优秀 1, 良好 0.85, 一般 0.7, 差 0.5). Input value is the grade's index. */
  grades: z
    .array(z.object({ label: z.string().min(1).max(20), share: z.number().min(0).max(1) }))
    .min(1)
    .max(10),
});

export const ZDeductionMethod = z.object({
  kind: z.literal('deduction'),
  /**
   * Starts at full points; each occurrence (input value) takes `perOccurrence`, at most `maxTotal`, never
   * below 0 (扣完为止). A deduction leaf with 0 points is an outside-base deduction item: it subtracts
   * up to `maxTotal` from the unit's total instead (counted with the unit's deductions).
   */
  perOccurrence: z.number().min(0),
  maxTotal: z.number().min(0),
});

export const ZBonusMethod = z.object({
  kind: z.literal('bonus'),
  /** Starts at 0; each occurrence adds `perOccurrence`, at most `maxTotal` (added outside the 100-point base). */
  perOccurrence: z.number().min(0),
  maxTotal: z.number().min(0),
});

export const ZVetoMethod = z.object({
  kind: z.literal('veto'),
  /**
   * When the input (occurrences in the period) is ≥ 1: cap the unit's grade, or zero its total.
   * A veto leaf never scores points of its own.
   */
  effect: z.enum(['cap_grade', 'zero_score']),
  /** With cap_grade: the best grade a vetoed unit can get (label from the year's grade rule). */
  capGrade: z.string().max(20).optional(),
});

export const ZFormulaMethod = z.object({
  kind: z.literal('formula'),
  /** Expression in the formula language over the leaf's form fields, `target`, `points` and other indicators' codes. */
  expression: z.string().min(1).max(2000),
});

export const ZScoringMethod = z.discriminatedUnion('kind', [
  ZRatioMethod,
  ZBandsMethod,
  ZIncrementsMethod,
  ZRankMethod,
  ZBenchmarkMethod,
  ZQualitativeMethod,
  ZDeductionMethod,
  ZBonusMethod,
  ZVetoMethod,
  ZFormulaMethod,
]);
export type TScoringMethod = z.infer<typeof ZScoringMethod>;
export type MethodKind = TScoringMethod['kind'];

/** Method names and data sources live in common/ (the web app uses them too). */
export { DATA_SOURCES, METHOD_NAMES, type DataSource } from '../../../common/performance.js';
// common/'s method kinds are exactly the kinds of the union above (a compile-time check).
const _sameKinds: [MethodKind] extends [MethodKindName]
  ? [MethodKindName] extends [MethodKind]
    ? true
    : never
  : never = true;
void _sameKinds;

/** How a year turns totals into grades: by score thresholds or by share of the category. */
export const ZGradeRule = z.object({
  by: z.enum(['threshold', 'share']),
  /** Best first. threshold: minimum total; share: cumulative top share (0–1) of the category. */
  grades: z
    .array(z.object({ label: z.string().min(1).max(20), threshold: z.number() }))
    .min(1)
    .max(10),
});
export type TGradeRule = z.infer<typeof ZGradeRule>;
