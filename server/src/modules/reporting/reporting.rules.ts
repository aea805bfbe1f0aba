/**
 * The bridge from data forms to the formula language of the scoring engine: cross-field rules and
 * score formulas are written in it. Kept in one place so the forms module stays pure and testable.
 */
import { compileFormula, FormulaError } from '../../engine/formula.js';
import type { FormulaCheck, FormulaEval } from './reporting.forms.js';

/** Evaluates an expression over the field values (missing values are NaN in the language: the result is then unknown). */
export const evaluateExpression: FormulaEval = (expression, vars) => {
  try {
    const compiled = compileFormula(expression);
    const value = compiled.evaluate(new Map(Object.entries(vars).map(([k, v]) => [k, v ?? Number.NaN])));
    if (Number.isNaN(value))
      return { ok: false, zh: '有字段未填写，无法计算', en: 'a field is empty; the result is unknown' };
    return { ok: true, value };
  } catch (e) {
    if (e instanceof FormulaError) return { ok: false, zh: e.zh, en: e.en };
    throw e;
  }
};

/** Checks an expression compiles and refers only to the given field keys. */
export const checkExpression: FormulaCheck = (expression, names) => {
  try {
    compileFormula(expression, { knownVariables: names });
    return { ok: true };
  } catch (e) {
    if (e instanceof FormulaError) return { ok: false, zh: e.zh, en: e.en };
    throw e;
  }
};
