/**
 * The rates of the case statistics, as formulas of the formula language (scoring/engine/formula.ts)
 * over a department's monthly counters. The performance office can change them; the defaults are
 * below and documented in docs/CASE_STATISTICS.md and on the statistics page. Pure, no database.
 *
 * A division by zero gives "no value" (null): a department without rated cases has no satisfaction
 * rate that month, rather than 0 or 100.
 */
import { compileFormula, FormulaError, roundHalfAway, type CompiledFormula } from '../../engine/formula.js';
import { COUNTER_KEYS, type Counters } from './casestats.counters.js';

export const RATES = [
  {
    key: 'responseRate',
    zh: '响应率',
    en: 'Response rate',
    expression: 'min(100, (signedOnTime + signedLate) / (dispatched + assistDispatched + redos) * 100)',
    note: {
      zh: '签收的工单 ÷ 收到的工单（主办、协办和重办）',
      en: 'work orders signed ÷ work orders received (lead, assisting, redo)',
    },
  },
  {
    key: 'signOnTimeRate',
    zh: '按时签收率',
    en: 'On-time sign-for rate',
    expression: 'signedOnTime / (signedOnTime + signedLate) * 100',
    note: { zh: '按时签收 ÷ 全部签收', en: 'signed on time ÷ all signed' },
  },
  {
    key: 'onTimeRate',
    zh: '按时办结率',
    en: 'On-time completion rate',
    expression: 'completedOnTime / (completedOnTime + completedLate) * 100',
    note: { zh: '时限内上报办结 ÷ 全部上报办结', en: 'results reported within the limit ÷ all results reported' },
  },
  {
    key: 'resolutionRate',
    zh: '解决率',
    en: 'Resolution rate',
    expression: '(satisfied + basic + reviewQualified) / (satisfied + basic + unsatisfied) * 100',
    note: {
      zh: '（满意 + 基本满意 + 不满意但专业评价合格）÷ 已评价',
      en: '(satisfied + basically satisfied + unsatisfied but found qualified on review) ÷ rated',
    },
  },
  {
    key: 'satisfactionRate',
    zh: '满意率',
    en: 'Satisfaction rate',
    expression: '(satisfied + basic * 0.8) / (satisfied + basic + unsatisfied) * 100',
    note: { zh: '（满意 + 基本满意 × 0.8）÷ 已评价', en: '(satisfied + 0.8 × basically satisfied) ÷ rated' },
  },
  {
    key: 'closureRate',
    zh: '办结率',
    en: 'Closure rate',
    expression: 'min(100, closed / dispatched * 100)',
    note: { zh: '结案 ÷ 派单（当月口径，最高 100）', en: 'closed ÷ dispatched in the month (at most 100)' },
  },
  {
    key: 'redoRate',
    zh: '重办率',
    en: 'Redo rate',
    expression: 'redos / (closed + redos) * 100',
    note: { zh: '重办 ÷（结案 + 重办）', en: 'redos ÷ (closed + redos)' },
  },
] as const;

export type RateKey = (typeof RATES)[number]['key'];
export type Rates = Record<RateKey, number | null>;
export type FormulaSet = Record<RateKey, string>;
export const RATE_KEYS: readonly RateKey[] = RATES.map((r) => r.key);

export const DEFAULT_FORMULAS: FormulaSet = Object.fromEntries(RATES.map((r) => [r.key, r.expression])) as FormulaSet;

/**
 * Names a case-platform indicator can use (indicators.case_metric) besides the rates: the raw counters,
 * plus the count names the performance module uses.
 */
export const METRIC_ALIASES: Record<string, keyof Counters> = {
  returnCount: 'returns',
  redoCount: 'redos',
  extensionCount: 'extensions',
  dispatchedCount: 'dispatched',
  closedCount: 'closed',
  escalatedCount: 'escalated',
};

export type CompiledRates = { formulas: FormulaSet; compute(c: Counters): Rates };

/** Compiles a formula set; throws FormulaError (with `rate` set to the failing key) for a bad formula. */
export function compileRates(formulas: FormulaSet): CompiledRates {
  const compiled = new Map<RateKey, ReturnType<CompiledFormula['bind']>>();
  const slots = new Map(COUNTER_KEYS.map((k, i) => [k as string, i]));
  for (const key of RATE_KEYS) {
    try {
      compiled.set(key, compileFormula(formulas[key], { knownVariables: COUNTER_KEYS }).bind(slots));
    } catch (e) {
      if (e instanceof FormulaError) throw Object.assign(e, { rate: key });
      throw e;
    }
  }
  const buf = new Float64Array(COUNTER_KEYS.length);
  return {
    formulas,
    compute(c) {
      COUNTER_KEYS.forEach((k, i) => (buf[i] = c[k]));
      const out = {} as Rates;
      for (const [key, f] of compiled) {
        const v = f(buf);
        out[key] = Number.isFinite(v) ? roundHalfAway(v, 2) : null;
      }
      return out;
    },
  };
}

/** The first problem of a formula set as { key, zh, en }, or null when every formula compiles. */
export function formulaProblem(formulas: FormulaSet): { key: RateKey; zh: string; en: string } | null {
  try {
    compileRates(formulas);
    return null;
  } catch (e) {
    if (e instanceof FormulaError) return { key: (e as FormulaError & { rate: RateKey }).rate, zh: e.zh, en: e.en };
    throw e;
  }
}

/** A statistic by the name an indicator's case_metric uses: a rate, a counter or a count alias; undefined if unknown. */
export function metricValue(name: string, counters: Counters, rates: Rates): number | null | undefined {
  if ((RATE_KEYS as readonly string[]).includes(name)) return rates[name as RateKey];
  if ((COUNTER_KEYS as readonly string[]).includes(name)) return counters[name as keyof Counters];
  const alias = METRIC_ALIASES[name];
  return alias ? counters[alias] : undefined;
}
