/**
 * The scoring engine's public surface: pure functions, no database, no I/O.
 *
 * - model.ts   — ModelInput (what the caller loads), buildModel (validate + compile), windows
 * - engine.ts  — computeAll, applyChange (incremental), Results layout, scoreOf, unitSummary
 * - explain.ts — explain (one score with its trace), explainTotal, inputKey for provenance
 * - methods.ts — every scoring method as a pure function (+ its explanation twin)
 * - formula.ts — the safe formula language (compileFormula, evaluateFormula, FormulaError)
 * - ahp.ts     — AHP weights and consistency
 * - methods.schema.ts — the stored method config contract (zod)
 */
export * from './ahp.js';
export * from './engine.js';
export * from './explain.js';
export * from './formula.js';
export * from './methods.js';
export * from './methods.schema.js';
export * from './model.js';
