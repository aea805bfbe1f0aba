/**
 * The scoring methods as pure functions of numbers (no I/O, no allocation on the hot path).
 *
 * Conventions shared by every method:
 * - A missing value is NaN. A method that needs a value (or a target) and has none returns NaN,
 *   meaning "no score"; the engine counts such a leaf as missing and adds 0 for it.
 * - `negative` is true for a negative indicator (smaller is better: costs, complaints, accidents).
 * - Targets and challenge targets are the ones of the period being scored (the engine pro-rates
 *   annual targets for flow indicators, see model.ts).
 * - Occurrence counts (deduction, bonus, veto) treat a missing value as 0 occurrences: no record
 *   means nothing happened.
 *
 * Each method also has an `explain…` twin that returns the same number together with the arithmetic
 * as a readable sentence, Chinese by default or English (`lang` 'en'). The twins call the fast
 * functions for the number, so the explanation can never disagree with the score. Only explanations
 * call them: the engine's compute loops never build a text.
 */
import type { Lang } from '../lib/errors.js';
import { fmtNum } from './formula.js';

/** NaN and ∞ as module constants: in hot loops V8 boxes doubles that meet the global NaN / Infinity. */
const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;

/** How a method explanation ends: scored, or why not. */
export type MethodStatus = 'ok' | 'missing_value' | 'missing_target' | 'invalid';

export type MethodExplanation = { value: number; status: MethodStatus; text: string };

/** The number formatter and a text picker of a language (a missing value is "空" or "none"). */
function texts(lang: Lang) {
  const en = lang === 'en';
  return {
    en,
    f: (x: number): string => fmtNum(x, lang),
    /** "1 point", "2.5 points" (English only). */
    pts: (x: number): string => `${fmtNum(x, lang)} ${x === 1 || x === -1 ? 'point' : 'points'}`,
    /** "1 occurrence", "3 occurrences" (English only). */
    times: (n: number): string => `${fmtNum(n, lang)} ${n === 1 ? 'occurrence' : 'occurrences'}`,
    /** The Chinese or the English text (both are built; explanations are off the hot path). */
    L: (zh: string, english: string): string => (en ? english : zh),
  };
}

// ---------------------------------------------------------------- completion (shared by ratio and bands)

/**
 * Completion as a fraction (1 = exactly on target).
 * - positive indicator: actual ÷ target; negative indicator: target ÷ actual.
 * - missing actual or target → NaN; target < 0 → NaN (a ratio against a negative target means nothing).
 * - target 0: positive → 1 when actual ≥ 0, else 0; negative → 1 when actual ≤ 0, else 0.
 * - negative indicator, target > 0, actual ≤ 0 (nothing happened at all) → +∞ (as good as it gets;
 *   the cap of the ratio method or the open top band applies).
 */
export function completion(actual: number, target: number, negative: boolean): number {
  if (actual !== actual || target !== target || target < 0) return NAN;
  if (!negative) {
    if (target === 0) return actual >= 0 ? 1 : 0;
    return actual / target;
  }
  if (target === 0) return actual <= 0 ? 1 : 0;
  if (actual <= 0) return INF;
  return target / actual;
}

function explainCompletion(
  actual: number,
  target: number,
  negative: boolean,
  lang: Lang = 'zh',
): { value: number; status: MethodStatus; text: string } {
  const { f, L } = texts(lang);
  const value = completion(actual, target, negative);
  if (actual !== actual)
    return { value, status: 'missing_value', text: L('缺少实际值，不计分', 'no actual value, not scored') };
  if (target !== target)
    return { value, status: 'missing_target', text: L('缺少目标值，不计分', 'no target, not scored') };
  if (target < 0)
    return {
      value,
      status: 'invalid',
      text: L(
        `目标值 ${f(target)} 为负数，完成比例无意义，不计分`,
        `the target ${f(target)} is negative, so a completion ratio means nothing; not scored`,
      ),
    };
  if (target === 0) {
    return negative
      ? {
          value,
          status: 'ok',
          text: L(
            `目标为 0，实际 ${f(actual)}${actual <= 0 ? ' ≤ 0，视为完成（比例 1）' : ' > 0，未完成（比例 0）'}`,
            `target 0, actual ${f(actual)}${actual <= 0 ? ' ≤ 0: counted as met (ratio 1)' : ' > 0: not met (ratio 0)'}`,
          ),
        }
      : {
          value,
          status: 'ok',
          text: L(
            `目标为 0，实际 ${f(actual)}${actual >= 0 ? ' ≥ 0，视为完成（比例 1）' : ' < 0，未完成（比例 0）'}`,
            `target 0, actual ${f(actual)}${actual >= 0 ? ' ≥ 0: counted as met (ratio 1)' : ' < 0: not met (ratio 0)'}`,
          ),
        };
  }
  if (negative) {
    if (actual <= 0)
      return {
        value,
        status: 'ok',
        text: L(
          `逆向指标：实际 ${f(actual)}，优于任何目标（比例 ∞）`,
          `negative indicator (lower is better): actual ${f(actual)} beats any target (ratio ∞)`,
        ),
      };
    return {
      value,
      status: 'ok',
      text: L(
        `逆向指标：目标 ${f(target)} ÷ 实际 ${f(actual)} = ${f(value)}`,
        `negative indicator (lower is better): target ${f(target)} ÷ actual ${f(actual)} = ${f(value)}`,
      ),
    };
  }
  return {
    value,
    status: 'ok',
    text: L(
      `实际 ${f(actual)} ÷ 目标 ${f(target)} = ${f(value)}`,
      `actual ${f(actual)} ÷ target ${f(target)} = ${f(value)}`,
    ),
  };
}

// ---------------------------------------------------------------- ratio

export type RatioParams = { cap: number; floor: number };

/**
 * 完成比例计分: points × share, share = completion (see {@link completion}) limited to [floor, cap].
 * With a challenge target (挑战目标) better than the target and cap > 1, over-completion is measured
 * against the challenge instead: beyond the target the share rises linearly from 1 (at the target)
 * to `cap` (at the challenge target), and stays at `cap` beyond it.
 */
export function scoreRatio(
  actual: number,
  target: number,
  points: number,
  negative: boolean,
  p: RatioParams,
  challenge = NAN,
): number {
  let share = completion(actual, target, negative);
  if (share !== share) return NAN;
  if (share > 1 && challenge === challenge && p.cap > 1) {
    const span = negative ? target - challenge : challenge - target;
    if (span > 0) {
      const gain = negative ? target - actual : actual - target;
      share = 1 + (p.cap - 1) * Math.min(1, gain / span);
    }
  }
  // Clamp written as the engine's kernels evaluate it (cap first, then floor).
  share = share > p.cap ? p.cap : share;
  share = share < p.floor ? p.floor : share;
  return points * share;
}

export function explainRatio(
  actual: number,
  target: number,
  points: number,
  negative: boolean,
  p: RatioParams,
  challenge = NAN,
  lang: Lang = 'zh',
): MethodExplanation {
  const { en, f, L, pts } = texts(lang);
  const value = scoreRatio(actual, target, points, negative, p, challenge);
  const c = explainCompletion(actual, target, negative, lang);
  if (c.status !== 'ok') return { value, status: c.status, text: L(`完成比例：${c.text}`, `Completion: ${c.text}`) };
  let share = c.value;
  const parts: string[] = [];
  const simple = target > 0 && !(negative && actual <= 0);
  if (share > 1 && challenge === challenge && p.cap > 1) {
    const span = negative ? target - challenge : challenge - target;
    if (span > 0) {
      const gain = negative ? target - actual : actual - target;
      share = 1 + (p.cap - 1) * Math.min(1, gain / span);
      const scaled = negative
        ? `1 + (${f(p.cap)} − 1) × (${f(target)} − ${f(actual)}) ÷ (${f(target)} − ${f(challenge)}) = ${f(share)}`
        : `1 + (${f(p.cap)} − 1) × (${f(actual)} − ${f(target)}) ÷ (${f(challenge)} − ${f(target)}) = ${f(share)}`;
      parts.push(
        gain >= span
          ? L(
              `达到挑战目标 ${f(challenge)}，比例取封顶 ${f(p.cap)}`,
              `challenge target ${f(challenge)} reached: ratio set to the cap ${f(p.cap)}`,
            )
          : negative
            ? L(
                `优于目标，按挑战目标 ${f(challenge)} 折算：${scaled}`,
                `better than the target, scaled toward the challenge target ${f(challenge)}: ${scaled}`,
              )
            : L(
                `超过目标，按挑战目标 ${f(challenge)} 折算：${scaled}`,
                `above the target, scaled toward the challenge target ${f(challenge)}: ${scaled}`,
              ),
      );
    }
  }
  if (share > p.cap) {
    parts.push(L(`超过封顶 ${f(p.cap)}，按 ${f(p.cap)} 计`, `above the cap ${f(p.cap)}, counted as ${f(p.cap)}`));
    share = p.cap;
  }
  if (share < p.floor) {
    parts.push(
      L(`低于保底 ${f(p.floor)}，按 ${f(p.floor)} 计`, `below the floor ${f(p.floor)}, counted as ${f(p.floor)}`),
    );
    share = p.floor;
  }
  if (!parts.length && simple) {
    if (en) {
      const body = negative ? `target ${f(target)} ÷ actual ${f(actual)}` : `actual ${f(actual)} ÷ target ${f(target)}`;
      return {
        value,
        status: 'ok',
        text: `Completion${negative ? ' (negative indicator: lower is better)' : ''}: ${body} = ${f(share)}; ${f(share)} × ${pts(points)} = ${f(value)}`,
      };
    }
    const body = negative ? `目标 ${f(target)} ÷ 实际 ${f(actual)}` : `实际 ${f(actual)} ÷ 目标 ${f(target)}`;
    return {
      value,
      status: 'ok',
      text: `完成比例${negative ? '（逆向指标）' : ''}：${body} × 分值 ${f(points)} = ${f(value)}`,
    };
  }
  return {
    value,
    status: 'ok',
    text: L(
      `完成比例：${[c.text, ...parts].join('；')}；${f(share)} × 分值 ${f(points)} = ${f(value)}`,
      `Completion: ${[c.text, ...parts].join('; ')}; ${f(share)} × ${pts(points)} = ${f(value)}`,
    ),
  };
}

// ---------------------------------------------------------------- bands

/**
 * Bands normalised for speed: open ends become ±Infinity. The bands are also flattened into a step
 * function — sorted breakpoints (padded to 8 with NaN, which no value reaches) and the points of each
 * segment between them — so the engine finds a value's points with 8 comparisons and no branches.
 * Half-open bands [min, max) make every segment lie wholly inside or outside each band, so the step
 * function gives exactly what {@link findBand} gives. `stepOk` is false when there are more than 8
 * breakpoints (the engine then calls scoreBands).
 */
export type BandsParams = {
  onCompletion: boolean;
  min: Float64Array;
  max: Float64Array;
  points: Float64Array;
  stepOk: boolean;
  breakpoints: Float64Array;
  segments: Float64Array;
};

export const BAND_STEPS = 8;

export function bandsParams(m: {
  on: 'value' | 'completion';
  bands: { min: number | null; max: number | null; points: number }[];
}): BandsParams {
  const min = Float64Array.from(m.bands, (b) => (b.min === null ? -INF : b.min));
  const max = Float64Array.from(m.bands, (b) => (b.max === null ? INF : b.max));
  const points = Float64Array.from(m.bands, (b) => b.points);
  const bps = [...new Set([...min, ...max].filter((x) => Number.isFinite(x)))].sort((a, b) => a - b);
  const stepOk = bps.length <= BAND_STEPS;
  const breakpoints = new Float64Array(BAND_STEPS).fill(NAN);
  const segments = new Float64Array(BAND_STEPS + 1);
  if (stepOk) {
    bps.forEach((x, j) => (breakpoints[j] = x));
    for (let k = 0; k <= bps.length; k++) {
      const lo = k === 0 ? -INF : bps[k - 1];
      const hi = k === bps.length ? INF : bps[k];
      let pts = 0;
      for (let b = 0; b < min.length; b++) {
        if (min[b] <= lo && hi <= max[b]) {
          pts = points[b];
          break;
        }
      }
      segments[k] = pts;
    }
  }
  return { onCompletion: m.on === 'completion', min, max, points, stepOk, breakpoints, segments };
}

/**
 * Index of the first band with min ≤ x < max (bands are tried in order, so overlaps go to the first), or -1.
 * An open top (max null) also contains +∞.
 */
export function findBand(x: number, p: BandsParams): number {
  const n = p.min.length;
  for (let i = 0; i < n; i++) if (x >= p.min[i] && (x < p.max[i] || p.max[i] === INF)) return i;
  return -1;
}

/**
 * 区间计分: the band containing the value (or the completion fraction) gives its absolute points.
 * A value in no band (a gap, or outside closed ends) scores 0. Missing value or, on completion,
 * a missing/negative target → NaN. A +∞ completion (negative indicator, actual ≤ 0) falls in an
 * open-ended top band only.
 */
export function scoreBands(actual: number, target: number, negative: boolean, p: BandsParams): number {
  const x = p.onCompletion ? completion(actual, target, negative) : actual;
  if (x !== x) return NAN;
  const i = findBand(x, p);
  return i < 0 ? 0 : p.points[i];
}

function bandText(p: BandsParams, i: number, lang: Lang): string {
  const { f, L } = texts(lang);
  const lo = p.min[i];
  const hi = p.max[i];
  const pct = p.onCompletion;
  const v = (x: number) => (pct ? `${f(x * 100)}%` : f(x));
  if (lo === -INF && hi === INF) return L('任意值', 'for any value');
  if (lo === -INF) return L(`低于 ${v(hi)}`, `below ${v(hi)}`);
  if (hi === INF) return L(`${v(lo)} 及以上`, `${v(lo)} or more`);
  return `[${v(lo)}, ${v(hi)})`;
}

export function explainBands(
  actual: number,
  target: number,
  negative: boolean,
  p: BandsParams,
  lang: Lang = 'zh',
): MethodExplanation {
  const { f, L, pts } = texts(lang);
  const value = scoreBands(actual, target, negative, p);
  let head: string;
  let x: number;
  if (p.onCompletion) {
    const c = explainCompletion(actual, target, negative, lang);
    if (c.status !== 'ok')
      return {
        value,
        status: c.status,
        text: L(`区间计分（按完成率）：${c.text}`, `Bands (on completion): ${c.text}`),
      };
    x = c.value;
    const pct = x === INF ? '∞' : `${f(x * 100)}%`;
    head = L(`区间计分（按完成率）：${c.text}，即 ${pct}`, `Bands (on completion): ${c.text}, i.e. ${pct}`);
  } else {
    if (actual !== actual)
      return {
        value,
        status: 'missing_value',
        text: L('区间计分：缺少实际值，不计分', 'Bands: no actual value, not scored'),
      };
    x = actual;
    head = L(`区间计分（按数值）：实际 ${f(actual)}`, `Bands (on the value): actual ${f(actual)}`);
  }
  const i = findBand(x, p);
  if (i < 0) return { value, status: 'ok', text: L(`${head}，不在任何区间，得 0 分`, `${head}, in no band: 0 points`) };
  return {
    value,
    status: 'ok',
    text: L(
      `${head}，落在区间 ${bandText(p, i, lang)}，得 ${f(value)} 分`,
      `${head}, in the band ${bandText(p, i, lang)}: ${pts(value)}`,
    ),
  };
}

// ---------------------------------------------------------------- increments

export type IncrementsParams = {
  base: number;
  stepPercent: number;
  stepPoints: number;
  stepPointsUnder: number;
  min: number;
  max: number;
  relative: boolean;
};

/**
 * Deviation from target in the method's measure, oriented so that positive = better:
 * relative = (actual − target) ÷ |target| × 100 (per cent of target); absolute = actual − target.
 * A relative deviation from a zero target is 0 when actual is 0 too, else ±∞ (so the score goes to max or min).
 */
export function deviation(actual: number, target: number, negative: boolean, relative: boolean): number {
  if (actual !== actual || target !== target) return NAN;
  let d: number;
  if (!relative) d = actual - target;
  else if (target === 0) d = actual === 0 ? 0 : actual > 0 ? INF : -INF;
  else d = ((actual - target) / Math.abs(target)) * 100;
  return negative ? -d : d;
}

/**
 * Number of full steps a deviation makes: |actual − target| ÷ (|target| × stepPercent ÷ 100) for a
 * relative deviation, |actual − target| ÷ stepPercent for an absolute one, rounded down after adding
 * 1e-9 (so that a deviation of exactly k steps counts as k despite floating-point error).
 * The engine's kernel evaluates this very expression.
 */
export function incrementSteps(actual: number, target: number, p: IncrementsParams): number {
  const unit = p.relative ? Math.abs(target) * (p.stepPercent / 100) : p.stepPercent;
  return Math.floor(Math.abs(actual - target) / unit + 1e-9);
}

/**
 * 基准加减分: base points on target; each *full* `stepPercent` better than target adds `stepPoints`, each
 * full step worse subtracts `stepPointsUnder` (partial steps do not count); result within [min, max].
 * Missing value or target → NaN. A relative deviation from a zero target counts as infinitely many
 * steps (max, or min when worse), none when the value is 0 too.
 */
export function scoreIncrements(actual: number, target: number, negative: boolean, p: IncrementsParams): number {
  const d = deviation(actual, target, negative, p.relative);
  if (d !== d) return NAN;
  if (d === INF || d === -INF || (p.relative && target === 0)) {
    // A zero target with a relative deviation: on target (d = 0), or infinitely many steps off.
    let s = d === 0 ? p.base : d > 0 ? (p.stepPoints > 0 ? INF : p.base) : p.stepPointsUnder > 0 ? -INF : p.base;
    s = s > p.max ? p.max : s;
    return s < p.min ? p.min : s;
  }
  // Written without branches on d; the engine's kernel evaluates this very expression.
  const better = negative ? actual < target : actual > target;
  const worse = negative ? actual > target : actual < target;
  const steps = incrementSteps(actual, target, p);
  let s = p.base + +better * (steps * p.stepPoints) - +worse * (steps * p.stepPointsUnder);
  s = s > p.max ? p.max : s;
  return s < p.min ? p.min : s;
}

export function explainIncrements(
  actual: number,
  target: number,
  negative: boolean,
  p: IncrementsParams,
  lang: Lang = 'zh',
): MethodExplanation {
  const { f, L, pts } = texts(lang);
  const value = scoreIncrements(actual, target, negative, p);
  const name = L('基准加减分', 'Baseline plus increments');
  if (actual !== actual)
    return {
      value,
      status: 'missing_value',
      text: `${name}${L('：缺少实际值，不计分', ': no actual value, not scored')}`,
    };
  if (target !== target)
    return { value, status: 'missing_target', text: `${name}${L('：缺少目标值，不计分', ': no target, not scored')}` };
  const d = deviation(actual, target, negative, p.relative);
  const unit = p.relative ? '%' : '';
  const dev = L('偏离', 'deviation');
  const devText = p.relative
    ? target === 0
      ? L(`目标为 0，实际 ${f(actual)}`, `target 0, actual ${f(actual)}`)
      : `${dev} = (${f(actual)} − ${f(target)}) ÷ ${f(Math.abs(target))} × 100 = ${f(negative ? -d : d)}%`
    : `${dev} = ${f(actual)} − ${f(target)} = ${f(negative ? -d : d)}`;
  const dir = negative ? L('（逆向指标，低于目标为好）', ' (negative indicator: below the target is better)') : '';
  const stepsText = (steps: number) =>
    L(
      `计 ${steps === INF ? '无限' : steps} 档`,
      steps === INF ? 'unlimited full steps' : `${steps} full ${steps === 1 ? 'step' : 'steps'}`,
    );
  let body: string;
  if (d > 0) {
    const steps = d === INF ? INF : incrementSteps(actual, target, p);
    const sum = `${f(p.base)} + ${steps === INF ? '…' : `${steps} × ${f(p.stepPoints)}`}`;
    body = L(
      `优于目标，每 ${f(p.stepPercent)}${unit} 加 ${f(p.stepPoints)} 分，${stepsText(steps)}：${sum}`,
      `better than the target, +${pts(p.stepPoints)} per full step of ${f(p.stepPercent)}${unit}, ${stepsText(steps)}: ${sum}`,
    );
  } else if (d < 0) {
    const steps = d === -INF ? INF : incrementSteps(actual, target, p);
    const sum = `${f(p.base)} − ${steps === INF ? '…' : `${steps} × ${f(p.stepPointsUnder)}`}`;
    body = L(
      `差于目标，每 ${f(p.stepPercent)}${unit} 减 ${f(p.stepPointsUnder)} 分，${stepsText(steps)}：${sum}`,
      `worse than the target, −${pts(p.stepPointsUnder)} per full step of ${f(p.stepPercent)}${unit}, ${stepsText(steps)}: ${sum}`,
    );
  } else body = L(`恰好达到目标，得基准分 ${f(p.base)}`, `exactly on target: base points ${f(p.base)}`);
  return {
    value,
    status: 'ok',
    text: L(
      `${name}${dir}：${devText}；${body}；限定在 [${f(p.min)}, ${f(p.max)}] 内 = ${f(value)}`,
      `${name}${dir}: ${devText}; ${body}; kept within [${f(p.min)}, ${f(p.max)}] = ${f(value)}`,
    ),
  };
}

// ---------------------------------------------------------------- rank

export type RankParams = { stepPoints: number; minPoints: number };

/** Points for a place (1 = best): points − (place − 1) × stepPoints, at least minPoints. Place < 1 (unranked) → NaN. */
export function rankPoints(place: number, points: number, p: RankParams): number {
  if (!(place >= 1)) return NAN;
  const s = points - (place - 1) * p.stepPoints;
  return s < p.minPoints ? p.minPoints : s;
}

/** Number of entries of a sorted array strictly below x. */
export function lowerBound(sorted: ArrayLike<number>, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of entries of a sorted array at or below x. */
export function upperBound(sorted: ArrayLike<number>, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Competition ranks (“1224”): a value's place is 1 + the number of strictly better values, so ties
 * share the better place. NaN values are not ranked (place 0) and do not count for the others.
 */
export function competitionRanks(values: ArrayLike<number>, higherIsBetter: boolean): Int32Array {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) present.push(values[i]);
  const sorted = Float64Array.from(present).sort();
  const n = sorted.length;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    out[i] = 1 + (higherIsBetter ? n - upperBound(sorted, n, v) : lowerBound(sorted, n, v));
  }
  return out;
}

export function explainRank(
  place: number,
  of: number,
  value: number,
  points: number,
  negative: boolean,
  p: RankParams,
  lang: Lang = 'zh',
): MethodExplanation {
  const { f, L, pts } = texts(lang);
  const score = rankPoints(place, points, p);
  if (value !== value || place < 1)
    return {
      value: score,
      status: 'missing_value',
      text: L(
        '排名计分：缺少实际值，不参与排名，不计分',
        'Rank within category: no actual value, so not ranked and not scored',
      ),
    };
  const order = negative ? L('越小越好', 'lower is better') : L('越大越好', 'higher is better');
  const raw = points - (place - 1) * p.stepPoints;
  const tail =
    raw < p.minPoints
      ? L(
          `，低于最低分 ${f(p.minPoints)}，按 ${f(p.minPoints)} 计`,
          `, below the minimum ${f(p.minPoints)}, counted as ${f(p.minPoints)}`,
        )
      : '';
  const sum = `(${place} − 1) × ${f(p.stepPoints)} = ${f(raw)}${tail}`;
  return {
    value: score,
    status: 'ok',
    text: L(
      `排名计分（${order}）：实际 ${f(value)}，在同类 ${of} 个单位中排第 ${place} 名；分值 ${f(points)} − ${sum}，得 ${f(score)} 分`,
      `Rank within category (${order}): actual ${f(value)}, place ${place} of ${of} ${of === 1 ? 'unit' : 'units'} in the category; ${pts(points)} − ${sum}: ${pts(score)}`,
    ),
  };
}

// ---------------------------------------------------------------- benchmark

export type BenchmarkParams = { baseline: number; benchmark: number };

/**
 * 标杆值计分: points × (value − baseline) ÷ (benchmark − baseline), limited to [0, points]. A benchmark
 * below the baseline makes smaller values better by itself. If benchmark = baseline: full points when
 * the value reaches it (≥ for a positive indicator, ≤ for a negative one), else 0. Missing value → NaN.
 */
export function scoreBenchmark(value: number, points: number, negative: boolean, p: BenchmarkParams): number {
  if (value !== value) return NAN;
  const span = p.benchmark - p.baseline;
  if (span === 0) return (negative ? value <= p.benchmark : value >= p.benchmark) ? points : 0;
  let share = (value - p.baseline) / span;
  if (share > 1) share = 1;
  if (share < 0) share = 0;
  return points * share;
}

export function explainBenchmark(
  value: number,
  points: number,
  negative: boolean,
  p: BenchmarkParams,
  lang: Lang = 'zh',
): MethodExplanation {
  const { en, f, L, pts } = texts(lang);
  const s = scoreBenchmark(value, points, negative, p);
  if (value !== value)
    return {
      value: s,
      status: 'missing_value',
      text: L('标杆值计分：缺少实际值，不计分', 'Benchmark: no actual value, not scored'),
    };
  const span = p.benchmark - p.baseline;
  if (span === 0) {
    return {
      value: s,
      status: 'ok',
      text: L(
        `标杆值计分：基准值与标杆值均为 ${f(p.benchmark)}，实际 ${f(value)}${s > 0 ? '达到' : '未达到'}标杆，得 ${f(s)} 分`,
        `Benchmark: baseline and benchmark are both ${f(p.benchmark)}; actual ${f(value)} ${s > 0 ? 'reaches' : 'does not reach'} the benchmark: ${pts(s)}`,
      ),
    };
  }
  const share = (value - p.baseline) / span;
  const clamp =
    share > 1
      ? L('，超过标杆按 1 计', ', above the benchmark, counted as 1')
      : share < 0
        ? L('，未达基准按 0 计', ', below the baseline, counted as 0')
        : '';
  if (en) {
    const used = share > 1 ? 1 : share < 0 ? 0 : share;
    return {
      value: s,
      status: 'ok',
      text: `Benchmark: (actual ${f(value)} − baseline ${f(p.baseline)}) ÷ (benchmark ${f(p.benchmark)} − baseline ${f(p.baseline)}) = ${f(share)}${clamp}; ${f(used)} × ${pts(points)} = ${f(s)}`,
    };
  }
  return {
    value: s,
    status: 'ok',
    text: `标杆值计分：(实际 ${f(value)} − 基准 ${f(p.baseline)}) ÷ (标杆 ${f(p.benchmark)} − 基准 ${f(p.baseline)}) = ${f(share)}${clamp}；× 分值 ${f(points)} = ${f(s)}`,
  };
}

// ---------------------------------------------------------------- qualitative

export type QualitativeParams = { labels: string[]; shares: Float64Array };

/** 定性评价: the input is the grade's index (0 = first grade); points × that grade's share. Missing → NaN; an index that is not a grade → NaN. */
export function scoreQualitative(index: number, points: number, p: QualitativeParams): number {
  if (index !== index || index < 0 || index >= p.shares.length || Math.floor(index) !== index) return NAN;
  return points * p.shares[index];
}

export function explainQualitative(
  index: number,
  points: number,
  p: QualitativeParams,
  lang: Lang = 'zh',
): MethodExplanation {
  const { f, L, pts } = texts(lang);
  const value = scoreQualitative(index, points, p);
  if (index !== index)
    return {
      value,
      status: 'missing_value',
      text: L('定性评价：尚未评定等次，不计分', 'Qualitative grade: not graded yet, not scored'),
    };
  if (value !== value)
    return {
      value,
      status: 'invalid',
      text: L(
        `定性评价：等次序号 ${f(index)} 无效（应为 0–${p.shares.length - 1}），不计分`,
        `Qualitative grade: grade number ${f(index)} is invalid (it should be 0–${p.shares.length - 1}), not scored`,
      ),
    };
  return {
    value,
    status: 'ok',
    text: L(
      `定性评价：等次「${p.labels[index]}」得分比例 ${f(p.shares[index])} × 分值 ${f(points)} = ${f(value)}`,
      `Qualitative grade: grade "${p.labels[index]}" earns ${f(p.shares[index])} × ${pts(points)} = ${f(value)}`,
    ),
  };
}

// ---------------------------------------------------------------- deduction, bonus, veto

export type OccurrenceParams = { perOccurrence: number; maxTotal: number };

const occurrences = (n: number) => (n === n && n > 0 ? n : 0);

/**
 * 扣分: points − min(n × perOccurrence, maxTotal), never below 0 (扣完为止). With points = 0 the leaf is an
 * outside-base deduction and returns the negative amount −min(n × perOccurrence, maxTotal).
 */
export function scoreDeduction(count: number, points: number, p: OccurrenceParams): number {
  const n = occurrences(count);
  const raw = n * p.perOccurrence;
  const amount = raw > p.maxTotal ? p.maxTotal : raw;
  if (points > 0) return amount >= points ? 0 : points - amount;
  return amount === 0 ? 0 : -amount;
}

export function explainDeduction(
  count: number,
  points: number,
  p: OccurrenceParams,
  lang: Lang = 'zh',
): MethodExplanation {
  const { f, L, pts, times } = texts(lang);
  const value = scoreDeduction(count, points, p);
  const n = occurrences(count);
  const raw = n * p.perOccurrence;
  const capText =
    raw > p.maxTotal
      ? L(
          `，超过扣分上限 ${f(p.maxTotal)}，按 ${f(p.maxTotal)} 扣`,
          `, above the deduction limit ${f(p.maxTotal)}, so ${f(p.maxTotal)} deducted`,
        )
      : '';
  const amount = Math.min(raw, p.maxTotal);
  const occurred = L(
    `${f(n)} 次 × ${f(p.perOccurrence)} 分 = ${f(raw)}${capText}`,
    `${times(n)} × ${pts(p.perOccurrence)} = ${f(raw)}${capText}`,
  );
  if (points > 0) {
    const zero = amount >= points ? L('，扣完为止', ', no lower than 0') : '';
    return {
      value,
      status: 'ok',
      text: L(
        `扣分：${occurred}；分值 ${f(points)} − ${f(amount)}${zero} = ${f(value)}`,
        `Deduction: ${occurred}; ${pts(points)} − ${f(amount)}${zero} = ${f(value)}`,
      ),
    };
  }
  return {
    value,
    status: 'ok',
    text: L(
      `扣分（基础分外）：${occurred}；扣 ${f(amount)} 分`,
      `Deduction (outside the base): ${occurred}; ${pts(amount)} deducted`,
    ),
  };
}

/** 加分: min(n × perOccurrence, maxTotal), added outside the 100-point base. */
export function scoreBonus(count: number, p: OccurrenceParams): number {
  const raw = occurrences(count) * p.perOccurrence;
  return raw > p.maxTotal ? p.maxTotal : raw;
}

export function explainBonus(count: number, p: OccurrenceParams, lang: Lang = 'zh'): MethodExplanation {
  const { f, L, pts, times } = texts(lang);
  const value = scoreBonus(count, p);
  const n = occurrences(count);
  const raw = n * p.perOccurrence;
  const capText =
    raw > p.maxTotal
      ? L(`，超过加分上限，按 ${f(p.maxTotal)} 计`, `, above the bonus limit, counted as ${f(p.maxTotal)}`)
      : '';
  return {
    value,
    status: 'ok',
    text: L(
      `加分：${f(n)} 次 × ${f(p.perOccurrence)} 分 = ${f(raw)}${capText}；加 ${f(value)} 分`,
      `Bonus: ${times(n)} × ${pts(p.perOccurrence)} = ${f(raw)}${capText}; ${pts(value)} added`,
    ),
  };
}

/** 一票否决: triggered by at least one occurrence in the period. */
export function vetoTriggered(count: number): boolean {
  return count >= 1;
}

export function explainVeto(
  count: number,
  effect: 'cap_grade' | 'zero_score',
  capGrade: string | undefined,
  lang: Lang = 'zh',
): MethodExplanation {
  const { f, L, times } = texts(lang);
  const n = occurrences(count);
  if (!vetoTriggered(n))
    return {
      value: 0,
      status: 'ok',
      text: L(`一票否决：本期 ${f(n)} 次，未触发`, `Veto: ${times(n)} this period, not triggered`),
    };
  const what =
    effect === 'zero_score'
      ? L('总分计为 0', 'the total is set to 0')
      : L(
          `等次最高为「${capGrade ?? '最低等次'}」`,
          `the grade can be no better than "${capGrade ?? 'the lowest grade'}"`,
        );
  return {
    value: 0,
    status: 'ok',
    text: L(`一票否决：本期 ${f(n)} 次，已触发，${what}`, `Veto: ${times(n)} this period, triggered: ${what}`),
  };
}
