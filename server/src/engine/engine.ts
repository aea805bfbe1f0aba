/**
 * The scoring engine: pure computation from a {@link Model} (see model.ts) to {@link Results}.
 *
 * Usage:
 *
 *     const model = buildModel(input);          // validate + compile once
 *     const res = computeAll(model);            // every leaf, node, unit, category, window
 *     res.total[u * model.W + w];               // a unit's total in window w
 *     applyChange(model, res, { kind: 'value', indicatorId, unitId, period, value });  // incremental
 *     explain(model, res, { unitId, indicatorId, window });                          // explain.ts
 *
 * Layout: every result array is unit-major, `[unit * W + window]` (W = model.W windows: months,
 * year-to-date, quarters, halves — see model.ts). Leaf and node scores live in `res.scores[indicatorIndex]`.
 * A NaN leaf score means "no score" (missing input, missing target, not applicable, invalid); it counts
 * as 0 in every sum. Veto leaves store 1 when triggered in the window and 0 otherwise (not points).
 *
 * The hot path walks typed arrays only and allocates nothing: per leaf and unit it aggregates the
 * unit's P monthly values into its W window values (a W-long scratch), then runs one tight loop of
 * the leaf's method over them (one kernel per method kind, see below). Explanation text is never
 * built here (see explain.ts).
 *
 * Full and incremental recomputation share every function, applied to the whole range or to the
 * affected units only, so an incremental update gives bit-for-bit the same numbers as a full one.
 */
import {
  type BandsParams,
  type BenchmarkParams,
  competitionRanks,
  type IncrementsParams,
  type OccurrenceParams,
  type QualitativeParams,
  type RankParams,
  type RatioParams,
  scoreBands,
  scoreBenchmark,
  scoreBonus,
  scoreDeduction,
  scoreIncrements,
  scoreQualitative,
  scoreRatio,
  vetoTriggered,
} from './methods.js';
import { programDepth, runProgramBatch } from './formula.js';
import { AGG_LAST, AGG_SUM, EngineInputError, type FormulaRt, type LeafRt, type Model } from './model.js';

/** NaN and ∞ as module constants: in hot loops V8 boxes doubles that meet the global NaN / Infinity. */
const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;

export type Results = {
  /** Windows per unit (= model.W). */
  W: number;
  /** Per indicator index (leaves and nodes): scores `[unit * W + window]`. */
  scores: Float64Array[];
  /** Sum of the top-level base scores, before rescaling. */
  base: Float64Array;
  /** base × the unit's applicability scale. */
  scaledBase: Float64Array;
  /** Bonus points (after the bonus cap). */
  bonus: Float64Array;
  /** Outside-base deductions, as a positive amount (after the deduction cap). */
  deduction: Float64Array;
  /** Accountability deductions (问责扣分) in the window, positive amount. */
  accountability: Float64Array;
  /** scaledBase + bonus − deduction − accountability, or 0 when vetoed with zero_score. */
  total: Float64Array;
  /** 0 none, 1 grade capped by a veto, 2 zeroed by a veto. */
  veto: Uint8Array;
  /** Worst grade index a veto caps to (-1 none). */
  gradeCap: Int8Array;
  /** Applicable base leaves without a score. */
  missing: Int32Array;
  /** Place within the unit's category by total (1 = best; ties share the better place). */
  rank: Int32Array;
  /** Index into gradeRule.grades (0 = best). */
  grade: Int8Array;
  /** Per unit: year total − last year's total (NaN when unknown). */
  improvement: Float64Array;
  /** Per unit: place within category by improvement (0 = unranked). */
  improvementRank: Int32Array;
};

/** Allocates zeroed result arrays for a model (reuse them across recomputes to avoid allocation). */
export function createResults(model: Model): Results {
  const { U, W } = model;
  const n = U * W;
  return {
    W,
    scores: model.leaf.map(() => new Float64Array(n)),
    base: new Float64Array(n),
    scaledBase: new Float64Array(n),
    bonus: new Float64Array(n),
    deduction: new Float64Array(n),
    accountability: new Float64Array(n),
    total: new Float64Array(n),
    veto: new Uint8Array(n),
    gradeCap: new Int8Array(n),
    missing: new Int32Array(n),
    rank: new Int32Array(n),
    grade: new Int8Array(n),
    improvement: new Float64Array(U),
    improvementRank: new Int32Array(U),
  };
}

// ---------------------------------------------------------------- aggregation

/**
 * Aggregates one unit's P monthly values (`src[off .. off+P)`) into its W window values at `out[o ..]`,
 * in the window order of model.ts: months, year-to-date, then (when W > 2P, i.e. P = 12) quarters
 * and halves. Every window's sum adds its months in order starting from 0, so it is the exact sum
 * of the listed months (no prefix-sum differences).
 */
export function aggregateUnit(
  src: Float64Array,
  off: number,
  P: number,
  W: number,
  agg: number,
  out: Float64Array,
  o: number,
): void {
  if (W > 2 * P) {
    if (agg === AGG_SUM) aggregateSum12(src, off, out, o);
    else if (agg === AGG_LAST) aggregateLast12(src, off, out, o);
    else aggregateAvg12(src, off, out, o);
    return;
  }
  let sum = 0;
  let cnt = 0;
  let last = NAN;
  for (let p = 0; p < P; p++) {
    const v = src[off + p];
    out[o + p] = v;
    if (v === v) {
      sum += v;
      cnt++;
      last = v;
    }
    out[o + P + p] = cnt === 0 ? NAN : agg === AGG_SUM ? sum : agg === AGG_LAST ? last : sum / cnt;
  }
}

// The three P = 12 aggregators: months 0–11, year-to-date 12–23, quarters 24–27, halves 28–29.

function aggregateSum12(src: Float64Array, off: number, out: Float64Array, o: number): void {
  let ys = 0;
  let yc = 0;
  let hs = 0;
  let hc = 0;
  for (let q = 0; q < 4; q++) {
    let qs = 0;
    let qc = 0;
    for (let m = 0; m < 3; m++) {
      const p = q * 3 + m;
      const v = src[off + p];
      out[o + p] = v;
      if (v === v) {
        ys += v;
        yc++;
        qs += v;
        qc++;
        hs += v;
        hc++;
      }
      out[o + 12 + p] = yc === 0 ? NAN : ys;
    }
    out[o + 24 + q] = qc === 0 ? NAN : qs;
    if ((q & 1) === 1) {
      out[o + 28 + (q >> 1)] = hc === 0 ? NAN : hs;
      hs = 0;
      hc = 0;
    }
  }
}

function aggregateLast12(src: Float64Array, off: number, out: Float64Array, o: number): void {
  let yl = NAN;
  let hl = NAN;
  for (let q = 0; q < 4; q++) {
    let ql = NAN;
    for (let m = 0; m < 3; m++) {
      const p = q * 3 + m;
      const v = src[off + p];
      out[o + p] = v;
      if (v === v) {
        yl = v;
        ql = v;
        hl = v;
      }
      out[o + 12 + p] = yl;
    }
    out[o + 24 + q] = ql;
    if ((q & 1) === 1) {
      out[o + 28 + (q >> 1)] = hl;
      hl = NAN;
    }
  }
}

function aggregateAvg12(src: Float64Array, off: number, out: Float64Array, o: number): void {
  let ys = 0;
  let yc = 0;
  let hs = 0;
  let hc = 0;
  for (let q = 0; q < 4; q++) {
    let qs = 0;
    let qc = 0;
    for (let m = 0; m < 3; m++) {
      const p = q * 3 + m;
      const v = src[off + p];
      out[o + p] = v;
      if (v === v) {
        ys += v;
        yc++;
        qs += v;
        qc++;
        hs += v;
        hc++;
      }
      out[o + 12 + p] = yc === 0 ? NAN : ys / yc;
    }
    out[o + 24 + q] = qc === 0 ? NAN : qs / qc;
    if ((q & 1) === 1) {
      out[o + 28 + (q >> 1)] = hc === 0 ? NAN : hs / hc;
      hs = 0;
      hc = 0;
    }
  }
}

// ---------------------------------------------------------------- leaf scoring

/** Reusable scratch buffers (the engine is synchronous, so one set per model is enough). */
type Scratch = {
  win: Float64Array;
  slotWin: Float64Array;
  /** Lane stack for formula programs (deepest program × W). */
  formulaStack: Float64Array;
  cat: Float64Array;
  keys: Float64Array;
  idx: Int32Array;
  /** Where non-base leaves "count" their missing scores and "add" to a parent: written, never read. */
  sink: Int32Array;
  sinkSum: Float64Array;
};
const scratchOf = new WeakMap<Model, Scratch>();

function scratch(model: Model): Scratch {
  let s = scratchOf.get(model);
  if (!s) {
    let maxSlots = 1;
    let maxDepth = 1;
    for (const i of model.leaves) {
      const m = model.leaf[i]!.m;
      if (m.kind !== 'formula') continue;
      maxSlots = Math.max(maxSlots, m.f.names.length);
      maxDepth = Math.max(maxDepth, programDepth(m.f.prog));
    }
    let maxCat = 1;
    for (const c of model.categoryUnits) maxCat = Math.max(maxCat, c.length);
    s = {
      win: new Float64Array(model.W),
      slotWin: new Float64Array(maxSlots * model.W),
      formulaStack: new Float64Array(maxDepth * model.W),
      cat: new Float64Array(maxCat * model.W),
      keys: new Float64Array(maxCat),
      idx: new Int32Array(maxCat),
      sink: new Int32Array(model.U * model.W),
      sinkSum: new Float64Array(model.U * model.W),
    };
    scratchOf.set(model, s);
  }
  return s;
}

/**
 * Where a kernel writes: the leaf's scores, the missing counts (a sink for non-base leaves) and,
 * during a full recompute, the parent's running sum (a sink when the leaf has no counted parent or
 * during incremental updates, where parents are re-summed by sumNode).
 */
type Sinks = { out: Float64Array; miss: Int32Array; parent: Float64Array };

/*
 * One kernel per method kind, so that each tight loop runs one scoring function the JIT can inline.
 * Every kernel: for each listed unit (all units when `units` is null) skip an inapplicable unit (NaN
 * scores, not missing), aggregate its months into the W windows, score each window, count NaN
 * scores as missing, and add finite scores to the parent's sum.
 *
 * For the common case (a positive target, no challenge target) the ratio, bands and increments
 * kernels evaluate a straight-line form of the method that the JIT turns into branch-free code;
 * it computes exactly what the method's pure function in methods.ts computes (the property tests
 * check it), and every other case calls the pure function.
 */

/**
 * Two slots for branch-free selection: `sel[0] = x; sel[1] = y; z = sel[+(cond)]` picks y when cond
 * holds, without a conditional jump. Clamps of scores around a cap are unpredictable branches (half
 * of the units are above it), and a mispredicted branch costs more than the two stores.
 */
const selectScratch = new Float64Array(2);

/**
 * Copies, for one unit, the windows that are another window under a second name: the first quarter
 * is January–March year-to-date and the first half is January–June year-to-date (same months, same
 * target factor, hence the very same score). See model.copies.
 */
function copyWindows(copies: Int32Array, out: Float64Array, miss: Int32Array, parent: Float64Array, o: number): void {
  for (let c = 0; c < copies.length; c += 2) {
    const d = o + copies[c];
    const v = out[o + copies[c + 1]];
    out[d] = v;
    if (v === v) parent[d] += v;
    else miss[d]++;
  }
}

function kRatio(
  model: Model,
  lr: LeafRt,
  p: RatioParams,
  k: Sinks,
  units: ArrayLike<number> | null,
  from: number,
  to: number,
  a: Float64Array,
): void {
  const { W, P, ranges, copies } = model;
  const nr = ranges.length;
  const { applies, values, agg, targets, challenges, tfac, points, negative } = lr;
  const { out, miss, parent } = k;
  const cap = p.cap;
  const floor = p.floor;
  const sel = selectScratch;
  for (let j = from; j < to; j++) {
    const u = units ? units[j] : j;
    const o = u * W;
    if (applies && !applies[u]) {
      out.fill(NAN, o, o + W);
      continue;
    }
    aggregateUnit(values, u * P, P, W, agg, a, 0);
    const t = targets[u];
    const c = challenges[u];
    if (t > 0 && c !== c) {
      if (!negative) {
        for (let r = 0; r < nr; r += 2)
          for (let w = ranges[r]; w < ranges[r + 1]; w++) {
            // x > cap ? cap : x, then x < floor ? floor : x — selected through memory, without branches.
            sel[0] = a[w] / (t * tfac[w]);
            sel[1] = cap;
            sel[0] = sel[+(sel[0] > cap)];
            sel[1] = floor;
            const s = points * sel[+(sel[0] < floor)];
            out[o + w] = s;
            if (s === s) parent[o + w] += s;
            else miss[o + w]++;
          }
      } else {
        for (let r = 0; r < nr; r += 2)
          for (let w = ranges[r]; w < ranges[r + 1]; w++) {
            const v = a[w];
            sel[0] = v > 0 ? (t * tfac[w]) / v : v !== v ? NAN : INF;
            sel[1] = cap;
            sel[0] = sel[+(sel[0] > cap)];
            sel[1] = floor;
            const s = points * sel[+(sel[0] < floor)];
            out[o + w] = s;
            if (s === s) parent[o + w] += s;
            else miss[o + w]++;
          }
      }
    } else {
      for (let r = 0; r < nr; r += 2)
        for (let w = ranges[r]; w < ranges[r + 1]; w++) {
          const s = scoreRatio(a[w], t * tfac[w], points, negative, p, c * tfac[w]);
          out[o + w] = s;
          if (s === s) parent[o + w] += s;
          else miss[o + w]++;
        }
    }
    copyWindows(copies, out, miss, parent, o);
  }
}

function kBands(
  model: Model,
  lr: LeafRt,
  p: BandsParams,
  k: Sinks,
  units: ArrayLike<number> | null,
  from: number,
  to: number,
  a: Float64Array,
): void {
  const { W, P, ranges, copies } = model;
  const nr = ranges.length;
  const { applies, values, agg, targets, tfac, negative } = lr;
  const { out, miss, parent } = k;
  const { onCompletion, stepOk, segments } = p;
  const bp = p.breakpoints;
  const b0 = bp[0];
  const b1 = bp[1];
  const b2 = bp[2];
  const b3 = bp[3];
  const b4 = bp[4];
  const b5 = bp[5];
  const b6 = bp[6];
  const b7 = bp[7];
  const few = stepOk && b4 !== b4;
  for (let j = from; j < to; j++) {
    const u = units ? units[j] : j;
    const o = u * W;
    if (applies && !applies[u]) {
      out.fill(NAN, o, o + W);
      continue;
    }
    aggregateUnit(values, u * P, P, W, agg, a, 0);
    const t = targets[u];
    if (few && (!onCompletion || t > 0)) {
      // Up to 4 breakpoints (the usual case): half the comparisons.
      for (let r = 0; r < nr; r += 2)
        for (let w = ranges[r]; w < ranges[r + 1]; w++) {
          const v = a[w];
          const x = !onCompletion ? v : !negative ? v / (t * tfac[w]) : v > 0 ? (t * tfac[w]) / v : v !== v ? NAN : INF;
          const seg = (+(x >= b0) + +(x >= b1) + +(x >= b2) + +(x >= b3)) | 0;
          const s = x === x ? segments[seg] : NAN;
          out[o + w] = s;
          if (s === s) parent[o + w] += s;
          else miss[o + w]++;
        }
    } else if (stepOk && (!onCompletion || t > 0)) {
      for (let r = 0; r < nr; r += 2)
        for (let w = ranges[r]; w < ranges[r + 1]; w++) {
          const v = a[w];
          const x = !onCompletion ? v : !negative ? v / (t * tfac[w]) : v > 0 ? (t * tfac[w]) / v : v !== v ? NAN : INF;
          const seg =
            (+(x >= b0) + +(x >= b1) + +(x >= b2) + +(x >= b3) + +(x >= b4) + +(x >= b5) + +(x >= b6) + +(x >= b7)) | 0;
          const s = x === x ? segments[seg] : NAN;
          out[o + w] = s;
          if (s === s) parent[o + w] += s;
          else miss[o + w]++;
        }
    } else {
      for (let r = 0; r < nr; r += 2)
        for (let w = ranges[r]; w < ranges[r + 1]; w++) {
          const s = scoreBands(a[w], t * tfac[w], negative, p);
          out[o + w] = s;
          if (s === s) parent[o + w] += s;
          else miss[o + w]++;
        }
    }
    copyWindows(copies, out, miss, parent, o);
  }
}

function kIncrements(
  model: Model,
  lr: LeafRt,
  p: IncrementsParams,
  k: Sinks,
  units: ArrayLike<number> | null,
  from: number,
  to: number,
  a: Float64Array,
): void {
  const { W, P, ranges, copies } = model;
  const nr = ranges.length;
  const { applies, values, agg, targets, tfac, negative } = lr;
  const { out, miss, parent } = k;
  const { base, stepPercent, stepPoints, stepPointsUnder, min, max, relative } = p;
  const stepFraction = stepPercent / 100;
  const sel = selectScratch;
  for (let j = from; j < to; j++) {
    const u = units ? units[j] : j;
    const o = u * W;
    if (applies && !applies[u]) {
      out.fill(NAN, o, o + W);
      continue;
    }
    aggregateUnit(values, u * P, P, W, agg, a, 0);
    const t = targets[u];
    if (t === t && (!relative || t !== 0)) {
      // Same expression as scoreIncrements / incrementSteps (methods.ts).
      for (let r = 0; r < nr; r += 2)
        for (let w = ranges[r]; w < ranges[r + 1]; w++) {
          const v = a[w];
          const tw = t * tfac[w];
          const unit = relative ? Math.abs(tw) * stepFraction : stepPercent;
          const steps = Math.floor(Math.abs(v - tw) / unit + 1e-9);
          const better = negative ? v < tw : v > tw;
          const worse = negative ? v > tw : v < tw;
          sel[0] = base + +better * (steps * stepPoints) - +worse * (steps * stepPointsUnder);
          sel[1] = max;
          sel[0] = sel[+(sel[0] > max)];
          sel[1] = min;
          const s = sel[+(sel[0] < min)];
          out[o + w] = s;
          if (s === s) parent[o + w] += s;
          else miss[o + w]++;
        }
    } else {
      for (let r = 0; r < nr; r += 2)
        for (let w = ranges[r]; w < ranges[r + 1]; w++) {
          const s = scoreIncrements(a[w], t * tfac[w], negative, p);
          out[o + w] = s;
          if (s === s) parent[o + w] += s;
          else miss[o + w]++;
        }
    }
    copyWindows(copies, out, miss, parent, o);
  }
}

function kBenchmark(
  model: Model,
  lr: LeafRt,
  p: BenchmarkParams,
  k: Sinks,
  units: ArrayLike<number> | null,
  from: number,
  to: number,
  a: Float64Array,
): void {
  const { W, P, ranges, copies } = model;
  const nr = ranges.length;
  const { applies, values, agg, points, negative } = lr;
  const { out, miss, parent } = k;
  for (let j = from; j < to; j++) {
    const u = units ? units[j] : j;
    const o = u * W;
    if (applies && !applies[u]) {
      out.fill(NAN, o, o + W);
      continue;
    }
    aggregateUnit(values, u * P, P, W, agg, a, 0);
    for (let r = 0; r < nr; r += 2)
      for (let w = ranges[r]; w < ranges[r + 1]; w++) {
        const s = scoreBenchmark(a[w], points, negative, p);
        out[o + w] = s;
        if (s === s) parent[o + w] += s;
        else miss[o + w]++;
      }
    copyWindows(copies, out, miss, parent, o);
  }
}

function kQualitative(
  model: Model,
  lr: LeafRt,
  p: QualitativeParams,
  k: Sinks,
  units: ArrayLike<number> | null,
  from: number,
  to: number,
  a: Float64Array,
): void {
  const { W, P, ranges, copies } = model;
  const nr = ranges.length;
  const { applies, values, agg, points } = lr;
  const { out, miss, parent } = k;
  for (let j = from; j < to; j++) {
    const u = units ? units[j] : j;
    const o = u * W;
    if (applies && !applies[u]) {
      out.fill(NAN, o, o + W);
      continue;
    }
    aggregateUnit(values, u * P, P, W, agg, a, 0);
    for (let r = 0; r < nr; r += 2)
      for (let w = ranges[r]; w < ranges[r + 1]; w++) {
        const s = scoreQualitative(a[w], points, p);
        out[o + w] = s;
        if (s === s) parent[o + w] += s;
        else miss[o + w]++;
      }
    copyWindows(copies, out, miss, parent, o);
  }
}

/** Deduction, bonus and veto: occurrence counts (a missing count is 0), never NaN. */
function kOccurrences(
  model: Model,
  lr: LeafRt,
  k: Sinks,
  units: ArrayLike<number> | null,
  from: number,
  to: number,
  a: Float64Array,
): void {
  const { W, P, ranges, copies } = model;
  const nr = ranges.length;
  const { applies, values, agg, points, m } = lr;
  const { out, miss, parent } = k;
  const kind = m.kind === 'deduction' ? 0 : m.kind === 'bonus' ? 1 : 2;
  const p: OccurrenceParams = m.kind === 'deduction' || m.kind === 'bonus' ? m.p : { perOccurrence: 0, maxTotal: 0 };
  for (let j = from; j < to; j++) {
    const u = units ? units[j] : j;
    const o = u * W;
    if (applies && !applies[u]) {
      out.fill(NAN, o, o + W);
      continue;
    }
    aggregateUnit(values, u * P, P, W, agg, a, 0);
    if (kind === 0) {
      for (let r = 0; r < nr; r += 2)
        for (let w = ranges[r]; w < ranges[r + 1]; w++) {
          const s = scoreDeduction(a[w], points, p);
          out[o + w] = s;
          parent[o + w] += s;
        }
    } else if (kind === 1)
      for (let r = 0; r < nr; r += 2) for (let w = ranges[r]; w < ranges[r + 1]; w++) out[o + w] = scoreBonus(a[w], p);
    else
      for (let r = 0; r < nr; r += 2)
        for (let w = ranges[r]; w < ranges[r + 1]; w++) out[o + w] = vetoTriggered(a[w]) ? 1 : 0;
    copyWindows(copies, out, miss, parent, o);
  }
}

function kFormula(
  model: Model,
  lr: LeafRt,
  f: FormulaRt,
  k: Sinks,
  units: ArrayLike<number> | null,
  from: number,
  to: number,
  sc: Scratch,
): void {
  const { W, P, ranges, copies } = model;
  const nr = ranges.length;
  const { applies, targets, challenges, tfac, points } = lr;
  const { out, miss, parent } = k;
  const ns = f.names.length;
  const sw = sc.slotWin;
  const prog = f.prog;
  const stack = sc.formulaStack;
  for (let j = from; j < to; j++) {
    const u = units ? units[j] : j;
    const o = u * W;
    if (applies && !applies[u]) {
      out.fill(NAN, o, o + W);
      continue;
    }
    const t = targets[u];
    const c = challenges[u];
    // Slot v holds the variable's W window values at sw[v * W ..]; the program runs over all windows at once.
    for (let v = 0; v < ns; v++) {
      const src = f.sources[v];
      if (src.t === 'series') aggregateUnit(src.values, u * P, P, W, src.agg, sw, v * W);
      else {
        for (let w = 0; w < W; w++)
          sw[v * W + w] = src.t === 'target' ? t * tfac[w] : src.t === 'challenge' ? c * tfac[w] : points;
      }
    }
    runProgramBatch(prog, sw, W, stack);
    for (let r = 0; r < nr; r += 2)
      for (let w = ranges[r]; w < ranges[r + 1]; w++) {
        const s = stack[w];
        out[o + w] = s;
        if (s === s) parent[o + w] += s;
        else miss[o + w]++;
      }
    copyWindows(copies, out, miss, parent, o);
  }
}

/** The sinks of a leaf: its parent's running sum only in a full recompute and only for a counted (base) leaf. */
function sinksOf(model: Model, lr: LeafRt, res: Results, sc: Scratch, full: boolean): Sinks {
  const parentIndex = model.input.indicators[lr.index].parentIndex;
  const base = lr.role === 'base';
  return {
    out: res.scores[lr.index],
    miss: base ? res.missing : sc.sink,
    parent: full && base && parentIndex !== -1 ? res.scores[parentIndex] : sc.sinkSum,
  };
}

/** The full-recompute sinks of every leaf (by indicator index), built once per computeAll. */
function fullSinks(model: Model, res: Results, sc: Scratch): (Sinks | null)[] {
  return model.leaf.map((lr) => (lr ? sinksOf(model, lr, res, sc, true) : null));
}

/** Removes a base leaf's NaN scores of the listed units from the missing counts (before rescoring them). */
function uncountMissing(model: Model, lr: LeafRt, res: Results, units: ArrayLike<number>): void {
  if (lr.role !== 'base') return;
  const W = model.W;
  const s = res.scores[lr.index];
  const mi = res.missing;
  for (let k = 0; k < units.length; k++) {
    const u = units[k];
    if (lr.applies && !lr.applies[u]) continue;
    const o = u * W;
    for (let w = 0; w < W; w++) if (s[o + w] !== s[o + w]) mi[o + w]--;
  }
}

/**
 * Scores a non-rank leaf for units[from..to) — or, when `units` is null, for the unit indices
 * [from, to) — writing through the sinks `k` (see sinksOf).
 */
function scoreLeafUnits(
  model: Model,
  lr: LeafRt,
  sc: Scratch,
  k: Sinks,
  units: ArrayLike<number> | null,
  from: number,
  to: number,
): void {
  const a = sc.win;
  const m = lr.m;
  switch (m.kind) {
    case 'ratio':
      return kRatio(model, lr, m.p, k, units, from, to, a);
    case 'bands':
      return kBands(model, lr, m.p, k, units, from, to, a);
    case 'increments':
      return kIncrements(model, lr, m.p, k, units, from, to, a);
    case 'benchmark':
      return kBenchmark(model, lr, m.p, k, units, from, to, a);
    case 'qualitative':
      return kQualitative(model, lr, m.p, k, units, from, to, a);
    case 'deduction':
    case 'bonus':
    case 'veto':
      return kOccurrences(model, lr, k, units, from, to, a);
    case 'formula':
      return kFormula(model, lr, m.f, k, units, from, to, sc);
    case 'rank':
      return;
    case 'none': {
      const W = model.W;
      for (let j = from; j < to; j++) {
        const u = units ? units[j] : j;
        const o = u * W;
        k.out.fill(NAN, o, o + W);
        if (lr.applies && !lr.applies[u]) continue;
        for (let w = 0; w < W; w++) k.miss[o + w]++;
      }
      return;
    }
  }
}

/**
 * Sorts keys[lo, hi) ascending in place (no NaN inside), moving idx along with them. A plain
 * quicksort with insertion sort for short runs: for the few hundred units of a category it is
 * several times faster than the built-in typed-array sort followed by binary searches.
 */
export function coSort(keys: Float64Array, idx: Int32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1;
    const x = keys[lo];
    const y = keys[mid];
    const z = keys[hi - 1];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi - 1;
    while (i <= j) {
      while (keys[i] < pivot) i++;
      while (keys[j] > pivot) j--;
      if (i <= j) {
        const t = keys[i];
        keys[i] = keys[j];
        keys[j] = t;
        const ti = idx[i];
        idx[i] = idx[j];
        idx[j] = ti;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      coSort(keys, idx, lo, j + 1);
      lo = i;
    } else {
      coSort(keys, idx, i, hi);
      hi = j + 1;
    }
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = keys[i];
    const vi = idx[i];
    let j = i - 1;
    while (j >= lo && keys[j] > v) {
      keys[j + 1] = keys[j];
      idx[j + 1] = idx[j];
      j--;
    }
    keys[j + 1] = v;
    idx[j + 1] = vi;
  }
}

/**
 * Competition places of the m sorted keys (ascending), written per entry through idx:
 * place[idx[j]] = 1 + number of strictly better keys. `higherIsBetter` walks from the top.
 */
function assignPlaces(
  keys: Float64Array,
  idx: Int32Array,
  m: number,
  higherIsBetter: boolean,
  place: (entry: number, place: number) => void,
): void {
  if (higherIsBetter) {
    let current = 0;
    for (let r = 0; r < m; r++) {
      const j = m - 1 - r;
      if (r === 0 || keys[j] !== keys[j + 1]) current = r + 1;
      place(idx[j], current);
    }
  } else {
    let current = 0;
    for (let j = 0; j < m; j++) {
      if (j === 0 || keys[j] !== keys[j - 1]) current = j + 1;
      place(idx[j], current);
    }
  }
}

/**
 * Moves the K largest of keys[0, m) (with idx alongside) to [m − K, m) — keys[m − K] becomes the K-th
 * largest, everything before it ≤ it and everything after ≥ it (quickselect, expected O(m)).
 */
export function selectTop(keys: Float64Array, idx: Int32Array, m: number, K: number): void {
  const target = m - K;
  let lo = 0;
  let hi = m - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = keys[lo];
    const y = keys[mid];
    const z = keys[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i] < pivot) i++;
      while (keys[j] > pivot) j--;
      if (i <= j) {
        const t = keys[i];
        keys[i] = keys[j];
        keys[j] = t;
        const ti = idx[i];
        idx[i] = idx[j];
        idx[j] = ti;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return;
  }
}

/**
 * Number of top places that can score above minPoints: the smallest K with points − K × step ≤ minPoints
 * (checked in floating point, so every place beyond K really gets minPoints). Infinity when step is 0.
 */
export function rankTopPlaces(points: number, p: RankParams): number {
  if (!(p.stepPoints > 0)) return INF;
  let K = Math.max(0, Math.ceil((points - p.minPoints) / p.stepPoints));
  while (points - K * p.stepPoints > p.minPoints) K++;
  return K;
}

/**
 * Scores a rank leaf for every unit of category c (ranks are relative, so the whole category moves
 * together). Only the top places can score above minPoints (see rankTopPlaces): they are selected
 * (quickselect) and sorted, everyone placed below them gets minPoints — exactly rankPoints of their
 * competition place, without sorting the whole category.
 */
function scoreRankLeafCategory(model: Model, lr: LeafRt, res: Results, c: number): void {
  if (lr.m.kind !== 'rank') return;
  const { W, P, ranges, copies } = model;
  const p = lr.m.p;
  const members = model.categoryUnits[c];
  const sc = scratch(model);
  const vals = sc.cat;
  const keys = sc.keys;
  const idx = sc.idx;
  const { out, miss } = sinksOf(model, lr, res, sc, false);
  const { applies, values, agg, negative, points } = lr;
  const stepPoints = p.stepPoints;
  const minPoints = p.minPoints;
  const K = rankTopPlaces(points, p);
  const n = members.length;
  for (let k = 0; k < n; k++) {
    const u = members[k];
    if (applies && !applies[u]) vals.fill(NAN, k * W, k * W + W);
    else aggregateUnit(values, u * P, P, W, agg, vals, k * W);
  }
  for (let rg = 0; rg < ranges.length; rg += 2)
    for (let w = ranges[rg]; w < ranges[rg + 1]; w++) {
      // Keys oriented so that larger is better (negation is exact and keeps ties).
      let m = 0;
      for (let k = 0; k < n; k++) {
        const v = vals[k * W + w];
        const i = members[k] * W + w;
        if (v === v) {
          keys[m] = negative ? -v : v;
          idx[m++] = k;
        } else {
          out[i] = NAN;
          if (!applies || applies[members[k]]) miss[i]++;
        }
      }
      // The group that needs exact places: everything at least as good as the K-th best.
      let g = 0;
      if (m > K) {
        selectTop(keys, idx, m, K);
        g = m - K;
        const threshold = keys[g];
        for (let j = g - 1; j >= 0; j--) {
          if (keys[j] >= threshold) {
            g--;
            const t = keys[j];
            keys[j] = keys[g];
            keys[g] = t;
            const ti = idx[j];
            idx[j] = idx[g];
            idx[g] = ti;
          }
        }
        for (let j = 0; j < g; j++) out[members[idx[j]] * W + w] = minPoints;
      }
      coSort(keys, idx, g, m);
      // Same arithmetic as rankPoints (methods.ts): points − (place − 1) × step, at least minPoints.
      let current = 0;
      for (let r = 0; r < m - g; r++) {
        const j = m - 1 - r;
        if (r === 0 || keys[j] !== keys[j + 1]) current = r + 1;
        const raw = points - (current - 1) * stepPoints;
        out[members[idx[j]] * W + w] = raw < minPoints ? minPoints : raw;
      }
    }
  // Windows that are another window under a second name (see copyWindows).
  for (let k = 0; k < n; k++) {
    const u = members[k];
    for (let c = 0; c < copies.length; c += 2) {
      const d = u * W + copies[c];
      const v = out[u * W + copies[c + 1]];
      out[d] = v;
      if (v !== v && (!applies || applies[u])) miss[d]++;
    }
  }
}

// ---------------------------------------------------------------- nodes, units, categories

/**
 * Sums a node's base children over the element range [from, to), then applies its cap. Children are
 * added in model.baseChildren order (leaves by index, then nodes deepest first) — the same order in
 * which a full recompute adds them into the node as it goes — so both give identical sums.
 */
function sumNode(model: Model, res: Results, node: number, from: number, to: number): void {
  const out = res.scores[node];
  out.fill(0, from, to);
  for (const c of model.baseChildren[node]) {
    const s = res.scores[c];
    for (let i = from; i < to; i++) {
      const x = s[i];
      if (x === x) out[i] += x;
    }
  }
  capNode(model, res, node, from, to);
}

function capNode(model: Model, res: Results, node: number, from: number, to: number): void {
  const out = res.scores[node];
  const cap = model.caps[node];
  if (cap === cap) for (let i = from; i < to; i++) if (out[i] > cap) out[i] = cap;
}

/** Unit-level figures (base, bonus, deductions, accountability, veto, total) for units [u0, u1) or the listed ones. */
function computeUnits(model: Model, res: Results, units: ArrayLike<number> | null): void {
  const { W, P } = model;
  const sc = scratch(model);
  const acc = sc.win;
  const n = units ? units.length : model.U;
  for (let k = 0; k < n; k++) {
    const u = units ? units[k] : k;
    const o = u * W;
    const end = o + W;
    res.base.fill(0, o, end);
    for (const r of model.roots) {
      const s = res.scores[r];
      for (let i = o; i < end; i++) {
        const x = s[i];
        if (x === x) res.base[i] += x;
      }
    }
    res.bonus.fill(0, o, end);
    for (const b of model.bonusLeaves) {
      const s = res.scores[b];
      for (let i = o; i < end; i++) {
        const x = s[i];
        if (x === x) res.bonus[i] += x;
      }
    }
    res.deduction.fill(0, o, end);
    for (const d of model.deductionLeaves) {
      const s = res.scores[d];
      for (let i = o; i < end; i++) {
        const x = s[i];
        if (x === x) res.deduction[i] -= x;
      }
    }
    res.veto.fill(0, o, end);
    res.gradeCap.fill(-1, o, end);
    for (const v of model.vetoLeaves) {
      const lr = model.leaf[v]!;
      if (lr.m.kind !== 'veto') continue;
      const s = res.scores[v];
      const zero = lr.m.effect === 'zero_score';
      const ci = lr.m.capIndex;
      for (let i = o; i < end; i++) {
        if (s[i] !== 1) continue;
        if (zero) res.veto[i] = 2;
        else {
          if (res.veto[i] === 0) res.veto[i] = 1;
          if (ci > res.gradeCap[i]) res.gradeCap[i] = ci;
        }
      }
    }
    aggregateUnit(model.accountability, u * P, P, W, AGG_SUM, acc, 0);
    const scale = model.scale[u];
    for (let w = 0; w < W; w++) {
      const i = o + w;
      const a = acc[w];
      res.accountability[i] = a === a && a > 0 ? a : 0;
      if (res.bonus[i] > model.bonusCap) res.bonus[i] = model.bonusCap;
      if (res.deduction[i] > model.deductionCap) res.deduction[i] = model.deductionCap;
      res.scaledBase[i] = res.base[i] * scale;
      res.total[i] =
        res.veto[i] === 2 ? 0 : res.scaledBase[i] + res.bonus[i] - res.deduction[i] - res.accountability[i];
    }
  }
}

/**
 * Places within category c by total for every window (competition ranking, ties share the better
 * place), grades, and improvement over last year.
 *
 * Grades by threshold: the first grade whose threshold the total reaches, else the last grade.
 * Grades by share: grade i takes the units placed within floor(share_i × category size) (cumulative
 * shares; tied units share the better place and so the better grade); the rest get the last grade.
 * A veto with cap_grade then lowers the grade to at most its cap.
 */
function rankCategory(model: Model, res: Results, c: number): void {
  const W = model.W;
  const members = model.categoryUnits[c];
  const n = members.length;
  const sc = scratch(model);
  const keys = sc.keys;
  const idx = sc.idx;
  const grades = model.gradeRule.grades;
  const G = grades.length;
  const byShare = model.gradeRule.by === 'share';
  const quota = grades.map((g) => Math.floor(g.threshold * n + 1e-9));
  const setPlace = (k: number, place: number, w: number) => {
    const i = members[k] * W + w;
    const t = res.total[i];
    res.rank[i] = place;
    let g = G - 1;
    for (let j = 0; j < G; j++) {
      if (byShare ? place <= quota[j] : t >= grades[j].threshold) {
        g = j;
        break;
      }
    }
    const cap = res.gradeCap[i];
    res.grade[i] = cap > g ? cap : g;
  };
  for (let w = 0; w < W; w++) {
    for (let k = 0; k < n; k++) {
      keys[k] = res.total[members[k] * W + w];
      idx[k] = k;
    }
    coSort(keys, idx, 0, n);
    assignPlaces(keys, idx, n, true, (k, place) => setPlace(k, place, w));
  }
  const yw = model.yearWindow;
  const imp = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const u = members[k];
    const last = model.lastYearTotals[u];
    imp[k] = last === last ? res.total[u * W + yw] - last : NAN;
    res.improvement[u] = imp[k];
  }
  const places = competitionRanks(imp, true);
  for (let k = 0; k < n; k++) res.improvementRank[members[k]] = places[k];
}

// ---------------------------------------------------------------- full and incremental

/**
 * Recomputes everything. Pass `into` (from createResults, or an earlier call for the same model) to
 * reuse its buffers instead of allocating new ones.
 */
export function computeAll(model: Model, into?: Results): Results {
  const res = into ?? createResults(model);
  const n = model.U * model.W;
  res.missing.fill(0);
  for (const node of model.nodeOrder) res.scores[node].fill(0);
  // Ranked leaves first: they need their whole category at once.
  for (const i of model.rankLeaves)
    for (let c = 0; c < model.C; c++) scoreRankLeafCategory(model, model.leaf[i]!, res, c);
  // Then leaf by leaf, in index order, streaming over all units (measured faster than blocks of
  // units). Leaves add their finite scores into their parent as they go (see sinksOf); then each
  // node, deepest first, is capped and added into its parent — the same order of additions as
  // sumNode uses for incremental updates.
  const sc = scratch(model);
  const sinks = fullSinks(model, res, sc);
  for (const i of model.leaves) {
    const lr = model.leaf[i]!;
    if (lr.m.kind !== 'rank') {
      scoreLeafUnits(model, lr, sc, sinks[i]!, null, 0, model.U);
      continue;
    }
    const parent = model.input.indicators[i].parentIndex;
    if (parent === -1 || lr.role !== 'base') continue;
    const s = res.scores[i];
    const out = res.scores[parent];
    for (let x = 0; x < n; x++) {
      const v = s[x];
      if (v === v) out[x] += v;
    }
  }
  for (const node of model.nodeOrder) {
    capNode(model, res, node, 0, n);
    const parent = model.input.indicators[node].parentIndex;
    if (parent === -1) continue;
    const s = res.scores[node];
    const out = res.scores[parent];
    for (let x = 0; x < n; x++) out[x] += s[x];
  }
  computeUnits(model, res, null);
  for (let c = 0; c < model.C; c++) rankCategory(model, res, c);
  return res;
}

/** One changed input. `value: null` clears it. */
export type InputChange =
  | { kind: 'value'; indicatorId: number; unitId: number; period: number; value: number | null; field?: string }
  | { kind: 'target'; indicatorId: number; unitId: number; target: number | null; challenge?: number | null }
  | { kind: 'accountability'; unitId: number; period: number; value: number | null };

/** What an incremental update touched (indices), e.g. to refresh or re-publish only those. */
export type ChangeEffect = { units: number[]; categories: number[]; indicators: number[] };

function unitIndexOf(model: Model, unitId: number): number {
  const u = model.unitIndexById.get(unitId);
  if (u === undefined)
    throw new EngineInputError('unitId', `单位 ${unitId} 不在本次计分范围内`, `unit ${unitId} is not in the model`);
  return u;
}

function leafOf(model: Model, indicatorId: number): LeafRt {
  const i = model.indicatorIndexById.get(indicatorId);
  const lr = i === undefined ? null : model.leaf[i];
  if (!lr)
    throw new EngineInputError(
      'indicatorId',
      `指标 ${indicatorId} 不是本年度的末级指标`,
      `indicator ${indicatorId} is not a leaf of the model`,
    );
  return lr;
}

/**
 * Applies one change to the model's input arrays and re-derives only what depends on it: the
 * changed leaf (and formula leaves reading its value) for that unit — or for its whole category
 * when the leaf is ranked — the ancestors of those leaves, the affected units' totals, and the
 * ranks and grades of the unit's category. Gives exactly what computeAll would.
 */
export function applyChange(model: Model, res: Results, change: InputChange): ChangeEffect {
  const u = unitIndexOf(model, change.unitId);
  const { P, W } = model;
  let touched: LeafRt[] = [];
  if (change.kind === 'accountability') {
    if (!Number.isInteger(change.period) || change.period < 0 || change.period >= P)
      throw new EngineInputError('period', '考核期序号无效', 'invalid period');
    model.accountability[u * P + change.period] = change.value ?? NAN;
  } else if (change.kind === 'value') {
    const lr = leafOf(model, change.indicatorId);
    if (!Number.isInteger(change.period) || change.period < 0 || change.period >= P)
      throw new EngineInputError('period', '考核期序号无效', 'invalid period');
    let arr = lr.values;
    if (change.field !== undefined && change.field !== 'value') {
      const fd = lr.fields.get(change.field);
      if (!fd)
        throw new EngineInputError(
          'field',
          `指标没有字段 ${change.field}`,
          `the indicator has no field ${change.field}`,
        );
      arr = fd.values;
    }
    arr[u * P + change.period] = change.value ?? NAN;
    touched = [lr];
    if (arr === lr.values) for (const d of model.dependents[lr.index]) touched.push(model.leaf[d]!);
  } else {
    const lr = leafOf(model, change.indicatorId);
    lr.targets[u] = change.target ?? NAN;
    if (change.challenge !== undefined) lr.challenges[u] = change.challenge ?? NAN;
    touched = [lr];
  }

  const c = model.unitCategory[u];
  const single = Int32Array.of(u);
  let units: ArrayLike<number> = single;
  for (const lr of touched) {
    if (lr.m.kind === 'rank') {
      uncountMissing(model, lr, res, model.categoryUnits[c]);
      scoreRankLeafCategory(model, lr, res, c);
      units = model.categoryUnits[c];
    } else {
      uncountMissing(model, lr, res, single);
      const sc = scratch(model);
      scoreLeafUnits(model, lr, sc, sinksOf(model, lr, res, sc, false), single, 0, 1);
    }
  }
  // Ancestors of the touched leaves, deepest first (nodeOrder order).
  const anc = new Set<number>();
  for (const lr of touched) {
    for (let j = model.input.indicators[lr.index].parentIndex; j !== -1; j = model.input.indicators[j].parentIndex)
      anc.add(j);
  }
  const nodes = model.nodeOrder.filter((x) => anc.has(x));
  for (let k = 0; k < units.length; k++) {
    const uu = units[k];
    for (const node of nodes) sumNode(model, res, node, uu * W, uu * W + W);
  }
  computeUnits(model, res, units);
  rankCategory(model, res, c);
  return { units: Array.from(units), categories: [c], indicators: [...touched.map((l) => l.index), ...nodes] };
}

// ---------------------------------------------------------------- reading results

/** A unit's score of an indicator in a window (NaN = none). */
export function scoreOf(model: Model, res: Results, unitId: number, indicatorId: number, window: number): number {
  const u = unitIndexOf(model, unitId);
  const i = model.indicatorIndexById.get(indicatorId);
  if (i === undefined)
    throw new EngineInputError('indicatorId', `指标 ${indicatorId} 不存在`, `unknown indicator ${indicatorId}`);
  return res.scores[i][u * model.W + window];
}

/** A unit's figures in a window, as plain numbers (for presenting or storing). */
export function unitSummary(model: Model, res: Results, unitId: number, window: number) {
  const u = unitIndexOf(model, unitId);
  const i = u * model.W + window;
  const g = res.grade[i];
  return {
    unitId,
    categoryIndex: model.unitCategory[u],
    base: res.base[i],
    scaledBase: res.scaledBase[i],
    applicablePoints: model.applicablePoints[u],
    bonus: res.bonus[i],
    deduction: res.deduction[i],
    accountability: res.accountability[i],
    total: res.total[i],
    veto: res.veto[i] === 2 ? ('zero_score' as const) : res.veto[i] === 1 ? ('cap_grade' as const) : null,
    missing: res.missing[i],
    rank: res.rank[i],
    of: model.categoryUnits[model.unitCategory[u]].length,
    grade: model.gradeRule.grades[g]?.label ?? null,
    gradeIndex: g,
    improvement: window === model.yearWindow ? res.improvement[u] : NAN,
    improvementRank: window === model.yearWindow ? res.improvementRank[u] : 0,
  };
}
