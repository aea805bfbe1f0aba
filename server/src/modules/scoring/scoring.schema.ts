import { z } from 'zod';

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
