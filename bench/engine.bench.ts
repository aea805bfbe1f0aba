/**
 * Scoring engine benchmark: a synthetic city of 1,000 units in 4 categories, a 3-level tree of 500
 * leaf indicators, 12 monthly periods (6,000,000 input values), with a realistic mix of methods.
 *
 * Figures printed:
 * - engine.windows          scored windows per unit and leaf (12 months, 12 year-to-date, 4 quarters, 2 halves)
 * - engine.build            buildModel (validation, formula compilation) ms
 * - engine.full             full recompute ms (median of 9 runs after warm-up, reusing result buffers)
 * - engine.floor            a plain loop that only reads and sums the same 6,000,000 inputs, ms (median of
 *                           18 runs interleaved with the full runs, so both meet the same machine load)
 * - engine.full_vs_floor    full ÷ floor (wall clock); engine.full_vs_floor_cpu the same on CPU time
 * - engine.floor_same_output  the floor for the same work (issue 19): the plain floor only reads the inputs
 *                           once (48 MB, a streaming, vectorisable loop: bound by memory bandwidth), while the
 *                           engine writes one score per indicator, unit and window (~550 × 1,000 × 30 doubles,
 *                           ~130 MB) and sums them up the tree. This floor does exactly that with the simplest
 *                           method (value ÷ target, no caps, no missing-data rescaling, no ranks or grades):
 *                           the window aggregation, one write per score, the sum into the parent, node by node.
 *                           engine.full_vs_floor_same_output = full ÷ it. The plain ratio moves between machines
 *                           because its two sides are bound by different things (bandwidth vs cache and
 *                           memory latency of the ~180 MB working set, shared with neighbours on a busy host).
 * - engine.full_without_spans  full recompute with months and year-to-date only (24 windows), ms
 * - engine.incremental      one input change → applyChange, ms (median of 600 random changes)
 * - engine.incremental_p95 / _max, and engine.incremental_rank (changes to ranked leaves only, median)
 * - engine.second_scheme_full  full recompute of a second scheme (12 leaves, same 1,000 units) kept resident beside
 *                           the first for the whole run (schemes, issue 18), ms
 * - engine.peak_rss / engine.peak_heap_used  MB (max sampled during the run; typed arrays live outside the heap)
 * Targets: full < 1000 ms, full ≤ 10 × the floor for the same output, incremental < 20 ms (engine.targets 1 = all met).
 *
 * The method mix: ~36 % ratio, 20 % bands, 20 % increments, 5 % rank (第一名满分，每后退一名扣 5%，最低 40%),
 * 4 % benchmark, 3 % qualitative, 6 % deductions (some outside the base), 2.5 % bonus, veto, 3 % formulas
 * (over form fields and other leaves); 20 % of leaves apply to only some categories; 3 % of inputs missing.
 */
import { aggregateUnit, applyChange, computeAll, type InputChange } from '../server/src/engine/engine.js';
import { buildModel, type IndicatorInput, type ModelInput } from '../server/src/engine/model.js';
import type { TScoringMethod } from '../server/src/engine/methods.schema.js';
import { rng, type Rng } from '../server/src/engine/random.js';

export type CityOptions = {
  units: number;
  categories: number;
  level1: number;
  level2PerLevel1: number;
  leaves: number;
  periods: number;
  seed: number;
};

export const CITY: CityOptions = {
  units: 1000,
  categories: 4,
  level1: 4,
  level2PerLevel1: 10,
  leaves: 500,
  periods: 12,
  seed: 20260101,
};

function pickMethod(
  r: Rng,
  leafNo: number,
  codes: string[],
  leafPoints: number,
): { method: TScoringMethod; points: number | null; aggregate: 'sum' | 'last' | 'avg'; fields?: string[] } {
  const x = r.next();
  if (x < 0.36)
    return {
      method: { kind: 'ratio', cap: r.pick([1, 1.1, 1.2]), floor: r.pick([0, 0, 0.3]) },
      points: null,
      aggregate: r.pick(['sum', 'sum', 'last', 'avg']),
    };
  if (x < 0.56) {
    return {
      method: {
        kind: 'bands',
        on: 'completion',
        bands: [
          { min: 1, max: null, points: 1 },
          { min: 0.9, max: 1, points: 0.8 },
          { min: 0.8, max: 0.9, points: 0.6 },
          { min: null, max: 0.8, points: 0.2 },
        ],
      },
      points: null,
      aggregate: 'sum',
    };
  }
  if (x < 0.76) {
    return {
      method: {
        kind: 'increments',
        base: 0.8,
        stepPercent: 5,
        stepPoints: 0.05,
        stepPointsUnder: 0.1,
        min: 0,
        max: 1,
        deviation: 'relative',
      },
      points: null,
      aggregate: r.pick(['sum', 'avg']),
    };
  }
  // 第一名满分，每后退一名扣分值的 5%，最低得 40%.
  if (x < 0.81)
    return {
      method: { kind: 'rank', stepPoints: leafPoints * 0.05, minPoints: leafPoints * 0.4 },
      points: null,
      aggregate: 'sum',
    };
  if (x < 0.85) return { method: { kind: 'benchmark', baseline: 50, benchmark: 150 }, points: null, aggregate: 'avg' };
  if (x < 0.88) {
    return {
      method: {
        kind: 'qualitative',
        grades: [
          { label: '好', share: 1 },
          { label: '较好', share: 0.85 },
          { label: '一般', share: 0.7 },
          { label: '差', share: 0.5 },
        ],
      },
      points: null,
      aggregate: 'last',
    };
  }
  if (x < 0.92)
    return { method: { kind: 'deduction', perOccurrence: 0.05, maxTotal: 1 }, points: null, aggregate: 'sum' };
  if (x < 0.94) return { method: { kind: 'deduction', perOccurrence: 0.5, maxTotal: 3 }, points: 0, aggregate: 'sum' };
  if (x < 0.965) return { method: { kind: 'bonus', perOccurrence: 0.5, maxTotal: 2 }, points: 0, aggregate: 'sum' };
  if (x < 0.97)
    return {
      method: { kind: 'veto', effect: r.chance(0.5) ? 'cap_grade' : 'zero_score', capGrade: '良好' },
      points: 0,
      aggregate: 'sum',
    };
  const other = codes.length ? r.pick(codes) : 'value';
  const expressions = [
    'min(value / target * points, points * 1.2)',
    'if(value >= target, points, points * value / target)',
    'round((f1 + f2) / 2 / target * points, 2)',
    `ifnull(value / (${other} + 1), 0) * points`,
  ];
  const expression = expressions[leafNo % expressions.length];
  return {
    method: { kind: 'formula', expression },
    points: null,
    aggregate: 'sum',
    fields: expression.includes('f1') ? ['f1', 'f2'] : undefined,
  };
}

/** Builds the synthetic city's model input (deterministic for a seed). */
export function syntheticCity(o: CityOptions = CITY): ModelInput {
  const r = rng(o.seed);
  const U = o.units;
  const P = o.periods;
  const units = Array.from({ length: U }, (_, u) => ({
    id: 100_000 + u,
    categoryIndex: u % o.categories,
    code: `U${u}`,
  }));
  const indicators: IndicatorInput[] = [];
  const l1Points = 100 / o.level1;
  const l2Count = o.level1 * o.level2PerLevel1;
  const l2Points = 100 / l2Count;
  for (let a = 0; a < o.level1; a++)
    indicators.push({ id: 1 + a, code: `A${a + 1}`, parentIndex: -1, points: l1Points, isLeaf: false, cap: l1Points });
  const l2Index: number[] = [];
  for (let b = 0; b < l2Count; b++) {
    l2Index.push(indicators.length);
    indicators.push({
      id: 100 + b,
      code: `A${(b % o.level1) + 1}_${b + 1}`,
      parentIndex: b % o.level1,
      points: l2Points,
      isLeaf: false,
    });
  }
  const leafPoints = 100 / o.leaves;
  const codes: string[] = [];
  for (let k = 0; k < o.leaves; k++) {
    const parentIndex = l2Index[Math.floor((k * l2Count) / o.leaves)];
    const pm = pickMethod(r, k, codes.slice(-20), leafPoints);
    const code = `L${k + 1}`;
    let applies: Uint8Array | null = null;
    if (r.chance(0.2)) {
      const cats = new Set([r.int(0, o.categories - 1), r.int(0, o.categories - 1)]);
      applies = Uint8Array.from(units, (u) => (cats.has(u.categoryIndex) ? 1 : 0));
    }
    const isCount = pm.method.kind === 'deduction' || pm.method.kind === 'bonus' || pm.method.kind === 'veto';
    const values = new Float64Array(U * P);
    const targets = new Float64Array(U);
    const level = r.real(50, 200);
    for (let u = 0; u < U; u++) {
      targets[u] =
        pm.method.kind === 'rank' || isCount
          ? NaN
          : r.chance(0.02)
            ? NaN
            : Math.round(level * r.real(0.8, 1.2) * (pm.aggregate === 'sum' ? P : 1));
      for (let p = 0; p < P; p++) {
        let v: number;
        if (pm.method.kind === 'qualitative') v = r.int(0, 3);
        else if (pm.method.kind === 'veto') v = r.chance(0.0005) ? 1 : 0;
        else if (isCount) v = r.chance(0.1) ? r.int(1, 2) : 0;
        else v = Math.round(level * r.real(0.6, 1.3) * (pm.aggregate === 'last' ? p + 1 : 1) * 100) / 100;
        values[u * P + p] = r.chance(0.03) ? NaN : v;
      }
    }
    const fields = pm.fields?.map((name) => ({ name, values: Float64Array.from(values, (v) => v * r.real(0.9, 1.1)) }));
    indicators.push({
      id: 10_000 + k,
      code,
      parentIndex,
      points: pm.points ?? leafPoints,
      isLeaf: true,
      method: pm.method,
      direction: r.chance(0.15) && pm.method.kind !== 'benchmark' ? 'negative' : 'positive',
      aggregate: pm.aggregate,
      dataSource: 'self_report',
      applies,
      values,
      targets,
      ...(fields ? { fields } : {}),
    });
    if (pm.method.kind !== 'formula') codes.push(code);
  }
  const accountability = new Float64Array(U * P);
  for (let i = 0; i < accountability.length; i++) if (r.chance(0.002)) accountability[i] = r.pick([0.5, 1, 2]);
  const lastYearTotals = Float64Array.from(units, () => r.real(60, 95));
  return {
    periods: P,
    units,
    indicators,
    accountability,
    lastYearTotals,
    gradeRule: {
      by: 'threshold',
      grades: [
        { label: '优秀', threshold: 90 },
        { label: '良好', threshold: 80 },
        { label: '达标', threshold: 70 },
        { label: '基本达标', threshold: 60 },
        { label: '不达标', threshold: -1e9 },
      ],
    },
    options: { bonusCap: 5 },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};
const line = (name: string, value: number, unit: string) =>
  console.log(`BENCH ${name} ${Number(value.toFixed(3))} ${unit}`);

/** Wall-clock and CPU milliseconds of one call. */
function time(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

export async function run(): Promise<void> {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const input = syntheticCity();
  sample();
  let model!: ReturnType<typeof buildModel>;
  const build = time(() => (model = buildModel(input)));
  sample();
  // A second scheme of the same year (a special assessment, migration 0027) over the same units, kept
  // resident beside the annual one for the whole run, as the score cache holds both.
  const special = buildModel(syntheticCity({ ...CITY, level1: 2, level2PerLevel1: 3, leaves: 12, seed: 20260627 }));
  const specialRes = computeAll(special);
  sample();

  // Full recompute and floor, interleaved so that both meet the same machine load; warm up first.
  const res = computeAll(model);
  sample();
  const arrays = model.leaves.map((i) => model.leaf[i]!.values);
  let sink = 0;
  const floorRun = () => {
    let s = 0;
    for (const a of arrays) for (let i = 0; i < a.length; i++) s += a[i];
    sink += s;
  };
  for (let k = 0; k < 3; k++) {
    computeAll(model, res);
    floorRun();
  }
  // The floor for the same output (see the header): window aggregates, one score per (indicator, unit, window), summed up the tree.
  const { U, W, P } = model;
  const scoreOf = new Map<number, Float64Array>();
  for (const i of [...model.leaves, ...model.nodeOrder]) scoreOf.set(i, new Float64Array(U * W));
  const agg = new Float64Array(W);
  const floorSameOutput = () => {
    for (const node of model.nodeOrder) scoreOf.get(node)!.fill(0);
    for (const i of model.leaves) {
      const lr = model.leaf[i]!;
      const out = scoreOf.get(i)!;
      const pi = input.indicators[i].parentIndex;
      const parent = pi >= 0 ? scoreOf.get(pi)! : out;
      const { values, targets } = lr;
      for (let u = 0; u < U; u++) {
        aggregateUnit(values, u * P, P, W, lr.agg, agg, 0);
        const t = targets[u] > 0 ? targets[u] : 1;
        const o = u * W;
        for (let w = 0; w < W; w++) {
          const v = agg[w] / t;
          out[o + w] = v;
          if (v === v) parent[o + w] += v;
        }
      }
    }
    for (const node of model.nodeOrder) {
      const pi = input.indicators[node].parentIndex;
      if (pi < 0) continue;
      const s = scoreOf.get(node)!;
      const out = scoreOf.get(pi)!;
      for (let x = 0; x < s.length; x++) out[x] += s[x];
    }
    sink += scoreOf.get(model.nodeOrder[model.nodeOrder.length - 1])![0] || 0;
  };
  for (let k = 0; k < 3; k++) floorSameOutput();
  const sameOutputs: { wall: number; cpu: number }[] = [];
  const fulls: { wall: number; cpu: number }[] = [];
  const floors: { wall: number; cpu: number }[] = [];
  for (let k = 0; k < 9; k++) {
    floors.push(time(floorRun));
    fulls.push(time(() => computeAll(model, res)));
    floors.push(time(floorRun));
    sameOutputs.push(time(floorSameOutput));
    sample();
  }
  const specialFull = median(Array.from({ length: 9 }, () => time(() => computeAll(special, specialRes)).wall));
  const floorSame = median(sameOutputs.map((x) => x.wall));
  const full = median(fulls.map((x) => x.wall));
  const floor = median(floors.map((x) => x.wall));
  const fullCpu = median(fulls.map((x) => x.cpu));
  const floorCpu = median(floors.map((x) => x.cpu));
  const count = arrays.reduce((n, a) => n + a.length, 0);

  // Incremental: random single-input changes (one in six on a ranked leaf, which re-ranks its category).
  const r = rng(7);
  const incs: number[] = [];
  const rankIncs: number[] = [];
  const rankLeafIds = model.rankLeaves.map((i) => input.indicators[i].id);
  const leafIds = model.leaves.map((i) => input.indicators[i].id);
  for (let k = 0; k < 650; k++) {
    const onRank = k % 6 === 0;
    const change: InputChange = {
      kind: 'value',
      indicatorId: onRank ? r.pick(rankLeafIds) : r.pick(leafIds),
      unitId: input.units[r.int(0, model.U - 1)].id,
      period: r.int(0, model.P - 1),
      value: Math.round(r.real(0, 300)),
    };
    const dt = time(() => applyChange(model, res, change)).wall;
    if (k >= 50) (onRank ? rankIncs : incs).push(dt);
  }
  sample();
  const all = [...incs, ...rankIncs];
  const inc = median(all);

  // The same city without the quarter and half-year spans (months and year-to-date only), for reference.
  const lean = buildModel({ ...input, options: { ...input.options, spanWindows: false } });
  const leanRes = computeAll(lean);
  for (let k = 0; k < 2; k++) computeAll(lean, leanRes);
  const leanFull = median(Array.from({ length: 7 }, () => time(() => computeAll(lean, leanRes)).wall));
  sample();

  line('engine.inputs', count, 'values');
  line('engine.windows', model.W, 'per_unit_and_leaf');
  line('engine.build', build.wall, 'ms');
  line('engine.full', full, 'ms');
  line('engine.floor', floor, 'ms');
  line('engine.full_vs_floor', full / floor, 'x');
  line('engine.full_vs_floor_cpu', fullCpu / floorCpu, 'x');
  line('engine.floor_same_output', floorSame, 'ms');
  line('engine.full_vs_floor_same_output', full / floorSame, 'x');
  line('engine.full_without_spans', leanFull, 'ms');
  line('engine.incremental', inc, 'ms');
  line('engine.incremental_p95', pct(all, 0.95), 'ms');
  line('engine.incremental_max', Math.max(...all), 'ms');
  line('engine.incremental_rank', median(rankIncs), 'ms');
  line('engine.second_scheme_full', specialFull, 'ms');
  line('engine.peak_rss', peakRss / 2 ** 20, 'MB');
  line('engine.peak_heap_used', peakHeap / 2 ** 20, 'MB');
  const met = full < 1000 && full <= 10 * floorSame && inc < 20;
  line('engine.targets', met ? 1 : 0, met ? 'met' : 'missed');
  if (Number.isFinite(sink)) console.log('# note: floor checksum finite');
}
