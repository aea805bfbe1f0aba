import { compileFormula, FormulaError } from '../../engine/formula.js';
import type { FormulaCheck } from './performance.tree.js';

/**
 * Syntax check of a formula method with the scoring engine's formula language: returns the error
 * (with its position, in both languages) or null. Variables are not checked here — a leaf's form
 * fields belong to the data-collection module; the engine names unknown ones when it builds the model.
 */
export const checkFormula: FormulaCheck = (expression) => {
  try {
    compileFormula(expression);
    return null;
  } catch (err) {
    if (err instanceof FormulaError) return { zh: err.zh, en: err.en, position: err.position };
    throw err;
  }
};
