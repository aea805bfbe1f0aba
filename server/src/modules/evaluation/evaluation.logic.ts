/**
 * The pure rules of evaluation campaigns: checking and scoring answers against a questionnaire,
 * stratified random sampling from a recorded seed, quality flags, and the per-unit aggregation with
 * its mapping to a score-input value. No I/O; tested directly (evaluation.logic.test.ts).
 */
import { compileFormula } from '../../engine/formula.js';
import { rng } from '../../engine/random.js';
import type { Mapping, Question, QualityFlag, QualityRules } from './evaluation.table.js';

/** The five satisfaction levels, best first (an answer stores the index). */
export const LEVELS = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'] as const;
export const LEVELS_EN = ['Very satisfied', 'Satisfied', 'Fairly satisfied', 'Dissatisfied', 'Very dissatisfied'];
/** Satisfaction rate: 非常满意, 满意 and 基本满意 count as satisfied unless the campaign says otherwise. */
export const DEFAULT_LEVEL_WEIGHTS = [1, 1, 1, 0, 0];
export const DEFAULT_QUALITY: QualityRules = { maxPerIp: 5, maxPerDevice: 1, minSeconds: 20, straightLineMin: 5 };
/** The variables a mapping formula may use. */
export const FORMULA_VARIABLES = ['mean', 'rate', 'n', 'invited', 'responseRate'] as const;

/** A level's score on the 100-point scale: 非常满意 100, 满意 75, 基本满意 50, 不满意 25, 非常不满意 0. */
export const levelScore = (level: number) => (4 - level) * 25;

export type ScoredAnswer = { unitId: number; key: string; score: number; level: number | null };
export type AnswerProblem = { field: string; zh: string; en: string };

/** Who answers: the unit the respondent speaks about (sampled respondents), the targets, and the respondent's own unit (mutual evaluation). */
export type AnswerContext = { unitId: number | null; targetUnitIds: readonly number[]; ownUnitId: number | null };

const isInt = (v: unknown, lo: number, hi: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

function scaleScore(scale: 'satisfaction5' | 'scale10', v: unknown): { score: number; level: number | null } | null {
  if (scale === 'satisfaction5') return isInt(v, 0, 4) ? { score: levelScore(v), level: v } : null;
  return isInt(v, 0, 10) ? { score: v * 10, level: null } : null;
}

const scaleText = (scale: 'satisfaction5' | 'scale10') =>
  scale === 'satisfaction5'
    ? { zh: '请选择满意程度', en: 'choose a satisfaction level' }
    : { zh: '请选择 0–10 分', en: 'choose a score from 0 to 10' };

/**
 * Checks answers against the questions and returns the scored answers (one per scale answer about a
 * unit) or the first problem. Matrix rows that are the targets are keyed by unit id; a respondent may
 * not rate their own unit (mutual evaluation) — such a row is a problem, not silently dropped.
 */
export function scoreAnswers(
  questions: readonly Question[],
  answers: Record<string, unknown>,
  c: AnswerContext,
): { scores: ScoredAnswer[]; clean: Record<string, unknown> } | { problem: AnswerProblem } {
  const known = new Set(questions.map((q) => q.key));
  for (const k of Object.keys(answers))
    if (!known.has(k))
      return {
        problem: { field: `answers.${k}`, zh: '问卷中没有这道题', en: 'No such question in the questionnaire' },
      };
  const scores: ScoredAnswer[] = [];
  const clean: Record<string, unknown> = {};
  for (const q of questions) {
    const field = `answers.${q.key}`;
    const v = answers[q.key];
    const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
    if (empty) {
      if (q.required) return { problem: { field, zh: `请回答：${q.title}`, en: `Please answer: ${q.title}` } };
      continue;
    }
    switch (q.type) {
      case 'single':
        if (!isInt(v, 0, (q.options?.length ?? 0) - 1))
          return { problem: { field, zh: '请选择一个选项', en: 'Choose one of the options' } };
        clean[q.key] = v;
        break;
      case 'multi': {
        const n = q.options?.length ?? 0;
        if (!Array.isArray(v) || v.some((x) => !isInt(x, 0, n - 1)) || new Set(v).size !== v.length)
          return { problem: { field, zh: '请选择选项', en: 'Choose among the options' } };
        if (q.required && v.length === 0)
          return { problem: { field, zh: `请回答：${q.title}`, en: `Please answer: ${q.title}` } };
        clean[q.key] = [...(v as number[])].sort((a, b) => a - b);
        break;
      }
      case 'satisfaction5':
      case 'scale10': {
        const s = scaleScore(q.type, v);
        if (!s) return { problem: { field, ...scaleText(q.type) } };
        clean[q.key] = v;
        if (c.unitId !== null) scores.push({ unitId: c.unitId, key: q.key, ...s });
        break;
      }
      case 'text':
        if (typeof v !== 'string' || v.length > 2000)
          return { problem: { field, zh: '意见建议最多 2000 字', en: 'At most 2000 characters' } };
        clean[q.key] = v.trim();
        break;
      case 'matrix': {
        if (typeof v !== 'object' || Array.isArray(v))
          return { problem: { field, zh: '请逐项评价', en: 'Rate each row' } };
        const scale = q.scale ?? 'satisfaction5';
        const rows = q.rowsAreTargets
          ? c.targetUnitIds.filter((u) => u !== c.ownUnitId).map(String)
          : (q.rows ?? []).map((_, i) => String(i));
        const cells = v as Record<string, unknown>;
        for (const k of Object.keys(cells)) {
          if (q.rowsAreTargets && c.ownUnitId !== null && k === String(c.ownUnitId))
            return { problem: { field: `${field}.${k}`, zh: '不能评价本单位', en: 'A unit may not rate itself' } };
          if (!rows.includes(k)) return { problem: { field: `${field}.${k}`, zh: '没有这一行', en: 'No such row' } };
        }
        const out: Record<string, number> = {};
        for (const k of rows) {
          if (cells[k] === undefined || cells[k] === null) {
            if (q.required)
              return { problem: { field: `${field}.${k}`, zh: `请回答：${q.title}`, en: `Please answer: ${q.title}` } };
            continue;
          }
          const s = scaleScore(scale, cells[k]);
          if (!s) return { problem: { field: `${field}.${k}`, ...scaleText(scale) } };
          out[k] = cells[k] as number;
          const unitId = q.rowsAreTargets ? Number(k) : c.unitId;
          if (unitId !== null) scores.push({ unitId, key: q.rowsAreTargets ? q.key : `${q.key}.${k}`, ...s });
        }
        clean[q.key] = out;
        break;
      }
    }
  }
  return { scores, clean };
}

// ---------------------------------------------------------------- sampling

/** Sample sizes per stratum in proportion to the frame (largest remainder), never more than the stratum holds. */
export function allocate(frame: ReadonlyMap<number, number>, total: number): Map<number, number> {
  const sum = [...frame.values()].reduce((a, b) => a + b, 0);
  const out = new Map<number, number>();
  if (sum === 0) return out;
  const want = Math.min(total, sum);
  const parts = [...frame].map(([k, n]) => ({ k, n, exact: (want * n) / sum }));
  let given = 0;
  for (const p of parts) {
    out.set(p.k, Math.floor(p.exact));
    given += Math.floor(p.exact);
  }
  const order = [...parts].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || a.k - b.k);
  for (const p of order) {
    if (given >= want) break;
    if (out.get(p.k)! < p.n) {
      out.set(p.k, out.get(p.k)! + 1);
      given++;
    }
  }
  return out;
}

/**
 * Stratified simple random sample without replacement: within each stratum the frame rows (in id
 * order) are shuffled by a generator seeded from the campaign's seed and the stratum, and the first
 * `size` are taken. The same frame, sizes and seed always give the same sample.
 */
export function drawSample<T extends { id: number; unitId: number }>(
  frame: readonly T[],
  sizes: ReadonlyMap<number, number>,
  seed: number,
): T[] {
  const byStratum = new Map<number, T[]>();
  for (const r of frame) {
    const list = byStratum.get(r.unitId) ?? [];
    list.push(r);
    byStratum.set(r.unitId, list);
  }
  const out: T[] = [];
  for (const unitId of [...byStratum.keys()].sort((a, b) => a - b)) {
    const rows = byStratum.get(unitId)!.sort((a, b) => a.id - b.id);
    const size = Math.min(sizes.get(unitId) ?? 0, rows.length);
    const r = rng((seed ^ Math.imul(unitId, 0x9e3779b1)) >>> 0);
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(r.next() * (rows.length - i));
      [rows[i], rows[j]] = [rows[j], rows[i]];
      out.push(rows[i]);
    }
  }
  return out;
}

// ---------------------------------------------------------------- quality

/** Flags of one response seen alone: answered faster than the minimum, or the same value on every scale answer. */
export function ownFlags(
  scores: readonly ScoredAnswer[],
  durationS: number | null,
  rules: QualityRules,
): QualityFlag[] {
  const flags: QualityFlag[] = [];
  if (durationS !== null && durationS < rules.minSeconds) flags.push('too_fast');
  if (scores.length >= rules.straightLineMin && scores.every((s) => s.score === scores[0].score))
    flags.push('straight_lining');
  return flags;
}

// ---------------------------------------------------------------- aggregation

/** What the database counts per unit (valid responses only in the sums). */
export type UnitTally = {
  unitId: number;
  invited: number;
  responses: number;
  valid: number;
  scoreSum: number;
  scoreCount: number;
  /** Answers per satisfaction level, 非常满意 first. */
  levels: number[];
};
export type UnitResult = {
  unitId: number;
  invited: number;
  responses: number;
  valid: number;
  responseRate: number | null;
  mean: number | null;
  satisfactionRate: number | null;
  distribution: number[];
  mapped: number | null;
  explanation: string;
};

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Checks a mapping formula (only the known variables); throws FormulaError. */
export function checkFormula(src: string) {
  return compileFormula(src, { knownVariables: FORMULA_VARIABLES });
}

/** A unit's result: n, response rate, mean on 100, satisfaction rate with the level weights, the mapped value and its explanation. */
export function unitResult(t: UnitTally, mapping: Mapping, label: string): UnitResult {
  const mean = t.scoreCount ? r2(t.scoreSum / t.scoreCount) : null;
  const answered = t.levels.reduce((a, b) => a + b, 0);
  const w = mapping.levelWeights?.length === 5 ? mapping.levelWeights : DEFAULT_LEVEL_WEIGHTS;
  const rate = answered ? r2((100 * t.levels.reduce((a, n, i) => a + n * w[i], 0)) / answered) : null;
  const responseRate = t.invited ? r2((100 * t.responses) / t.invited) : null;
  let mapped: number | null = null;
  if (t.valid > 0) {
    if (mapping.mode === 'mean') mapped = mean;
    else if (mapping.mode === 'satisfaction') mapped = rate;
    else if (mapping.formula) {
      let v = NaN;
      try {
        v = checkFormula(mapping.formula).evaluate(
          new Map([
            ['mean', mean ?? NaN],
            ['rate', rate ?? NaN],
            ['n', t.valid],
            ['invited', t.invited],
            ['responseRate', responseRate ?? NaN],
          ]),
        );
      } catch {
        v = NaN; // a division by zero for this unit: no value, like a missing one
      }
      mapped = Number.isFinite(v) ? r2(v) : null;
    }
  }
  const dist = LEVELS.map((l, i) => `${l} ${t.levels[i] ?? 0}`).join('、');
  const parts = [`有效问卷 ${t.valid} 份`];
  if (answered) parts.push(dist);
  if (mean !== null) parts.push(`平均分 ${r1(mean)}`);
  if (rate !== null) parts.push(`满意率 ${r1(rate)}%`);
  if (responseRate !== null) parts.push(`回收率 ${r1(responseRate)}%`);
  const explanation =
    mapped === null
      ? `${label}：无有效问卷，不计分（${parts.join('，')}）`
      : `${label} ${r1(mapped)}：${parts.join('，')}${mapping.mode === 'formula' ? `；按公式 ${mapping.formula} 计算` : ''}`;
  return {
    unitId: t.unitId,
    invited: t.invited,
    responses: t.responses,
    valid: t.valid,
    responseRate,
    mean,
    satisfactionRate: rate,
    distribution: LEVELS.map((_, i) => t.levels[i] ?? 0),
    mapped,
    explanation,
  };
}
