/**
 * The engine's input model and its compiled, validated form.
 *
 * The caller (the scoring service) loads a year from the database and lays it out as a
 * {@link ModelInput}: units, the indicator tree, and per leaf typed arrays of monthly inputs laid
 * out `[unit * periods + period]` (NaN = missing). {@link buildModel} checks it, resolves defaults,
 * compiles methods and formulas once, and precomputes what the hot loops need. The model keeps
 * (does not copy) the typed arrays it is given: later incremental changes write into them.
 *
 * Decisions documented here (the explanation UI repeats them to users):
 * - Periods are months 0..P-1. Windows scored: every month, every year-to-date (累计至该月; the last
 *   one is the year), and when P = 12 the four quarters and two halves.
 * - A window's value aggregates the leaf's monthly inputs by the leaf's `aggregate`: 'sum' (flow
 *   indicators: the window's months add up), 'last' (cumulative indicators: the last month with a
 *   value in the window), 'avg' (rates: mean of the months with a value). Months without a value are
 *   skipped; a window with no value at all is missing.
 * - Targets are annual. With `prorate` (default: true for 'sum' leaves, false otherwise) the target of
 *   a window is pro-rated by time: 'sum' → months in the window ÷ P; 'last' → months elapsed at the
 *   window's end ÷ P; 'avg' → not scaled. Challenge targets scale the same way.
 * - Leaf roles: 'base' leaves make up the 100-point base; 'bonus' leaves (method bonus) are added
 *   outside it; 'deduction' leaves (method deduction with 0 points) are subtracted outside it; 'veto'
 *   leaves never score but veto the unit. A node's score is the sum of its base children (NaN counts
 *   as 0), limited to the node's `cap` when one is set.
 * - Applicability (不适用指标按比例折算): a leaf that does not apply to a unit (its own `applies` or an
 *   ancestor's says 0) has no score for that unit and is not counted missing. With
 *   `rescaleInapplicable` (default true) the unit's base is rescaled: scaled base = base × fullBase ÷
 *   (points of the base leaves that apply to the unit), fullBase defaulting to 100. Node scores are not
 *   rescaled; only the unit's base.
 * - Unit total = scaled base + bonus (capped by `bonusCap` if set) − outside-base deductions (capped by
 *   `deductionCap` if set) − accountability deductions (问责扣分, summed over the window's months), then
 *   veto: 'zero_score' makes the total 0; 'cap_grade' keeps the total but the grade can be no better
 *   than the veto's grade (an unknown grade label caps at the worst grade).
 */
import {
  compileFormula,
  FORMULA_IDENTIFIER,
  FORMULA_RESERVED,
  FormulaError,
  type CompiledFormula,
  type SlotFormula,
  type SlotProgram,
} from './formula.js';
import {
  bandsParams,
  type BandsParams,
  type BenchmarkParams,
  type IncrementsParams,
  type OccurrenceParams,
  type QualitativeParams,
  type RankParams,
  type RatioParams,
} from './methods.js';
import {
  ZGradeRule,
  ZScoringMethod,
  type DataSource,
  type MethodKind,
  type TGradeRule,
  type TScoringMethod,
} from './methods.schema.js';

export type Aggregate = 'sum' | 'last' | 'avg';
export type Direction = 'positive' | 'negative';

/** A unit being scored. `categoryIndex` (0-based, dense) groups units compared with each other. */
export type UnitInput = { id: number; categoryIndex: number; code?: string; name?: string };

/** An extra form field of a leaf, visible to the leaf's formula under `name`. */
export type FieldInput = { name: string; values: Float64Array; aggregate?: Aggregate };

/** A node of the indicator tree (any depth). Leaves carry the method and the data. */
export type IndicatorInput = {
  id: number;
  /** An identifier (letters, digits, _): other indicators' formulas refer to the leaf by it. */
  code: string;
  name?: string;
  /** Index of the parent in `ModelInput.indicators`, or -1 for a top-level indicator. */
  parentIndex: number;
  /** Full points of the indicator (for a leaf: what its method scores out of). */
  points: number;
  isLeaf: boolean;
  /** Nodes: optional upper limit of the node's score (e.g. its points). */
  cap?: number | null;
  /** Per unit index: 1 = applies, 0 = does not apply. Null/absent = applies to every unit. Nodes pass it down. */
  applies?: Uint8Array | null;
  // ---- leaves only ----
  /** Null: the leaf has no method yet and scores nothing (reported as invalid). */
  method?: TScoringMethod | null;
  direction?: Direction;
  /** Default: 'last' for qualitative leaves, 'sum' otherwise. */
  aggregate?: Aggregate;
  /** Pro-rate annual targets by time; default true for 'sum' leaves. */
  prorate?: boolean;
  dataSource?: DataSource;
  /** Monthly values `[unit * P + period]`, NaN = missing. Absent = all missing. */
  values?: Float64Array | null;
  /** Extra form fields (formula leaves), same layout as `values`. */
  fields?: FieldInput[];
  /** Annual target per unit, NaN = none. */
  targets?: Float64Array | null;
  /** Annual challenge target per unit, NaN = none. */
  challenges?: Float64Array | null;
};

export type ModelOptions = {
  /** Rescale a unit's base when some leaves do not apply to it (default true). */
  rescaleInapplicable?: boolean;
  /** The base a unit is rescaled to (default 100). */
  fullBase?: number;
  /** Upper limit of a unit's total bonus (default none). */
  bonusCap?: number | null;
  /** Upper limit of a unit's total outside-base deductions (default none). */
  deductionCap?: number | null;
  /** With 12 periods, also score the quarter and half-year spans (default true). */
  spanWindows?: boolean;
};

export type ModelInput = {
  /** Number of monthly periods (1..24; 12 for a calendar year). */
  periods: number;
  /** Labels of the periods, e.g. '1月'. Default `${p + 1}月`. */
  periodLabels?: string[];
  /** English labels of the periods, e.g. 'Jan'. Default the month's abbreviation ({@link periodLabelEn}). */
  periodLabelsEn?: string[];
  units: UnitInput[];
  /** Number of categories (default: max categoryIndex + 1). */
  categoryCount?: number;
  /** Category names for explanations, by index. */
  categoryNames?: string[];
  indicators: IndicatorInput[];
  /** Accountability deductions (问责扣分, positive points) `[unit * P + period]`; NaN/0 = none. */
  accountability?: Float64Array | null;
  gradeRule: TGradeRule;
  /** Last year's annual totals per unit (NaN = unknown), for improvement. */
  lastYearTotals?: Float64Array | null;
  options?: ModelOptions;
};

/** A bad model input: names where (`path`, e.g. 'indicators[3].method') and what. */
export class EngineInputError extends Error {
  constructor(
    readonly path: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${path}: ${en}`);
    this.name = 'EngineInputError';
  }
}

// ---------------------------------------------------------------- windows

export type WindowKind = 'month' | 'ytd' | 'quarter' | 'half';

/** A scored span of months: [start, end] inclusive. */
export type ScoreWindow = {
  index: number;
  kind: WindowKind;
  n: number;
  start: number;
  end: number;
  label: string;
  labelEn: string;
};

const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The default English label of period p: the month's abbreviation (the default Chinese label is its month, `${p + 1}月`). */
export function periodLabelEn(p: number): string {
  return MONTHS_EN[p] ?? `Period ${p + 1}`;
}

/** A window's English label from its kind and number ('Mar', 'Jan–Mar, year to date', 'Full year', 'Q1', 'H1'). */
export function windowLabelEn(kind: WindowKind, n: number, P: number, periodLabels?: string[]): string {
  const lab = (p: number) => periodLabels?.[p] ?? periodLabelEn(p);
  switch (kind) {
    case 'month':
      return lab(n);
    case 'ytd':
      return n === P - 1 ? 'Full year' : n === 0 ? `${lab(0)}, year to date` : `${lab(0)}–${lab(n)}, year to date`;
    case 'quarter':
      return `Q${n + 1}`;
    case 'half':
      return `H${n + 1}`;
  }
}

export function buildWindows(
  P: number,
  periodLabels?: string[],
  spans = true,
  periodLabelsEn?: string[],
): ScoreWindow[] {
  const lab = (p: number) => periodLabels?.[p] ?? `${p + 1}月`;
  const en = (kind: WindowKind, n: number) => windowLabelEn(kind, n, P, periodLabelsEn);
  const out: ScoreWindow[] = [];
  for (let p = 0; p < P; p++)
    out.push({ index: out.length, kind: 'month', n: p, start: p, end: p, label: lab(p), labelEn: en('month', p) });
  for (let p = 0; p < P; p++) {
    const label = p === P - 1 ? '全年' : p === 0 ? `${lab(0)}累计` : `${lab(0)}至${lab(p)}累计`;
    out.push({ index: out.length, kind: 'ytd', n: p, start: 0, end: p, label, labelEn: en('ytd', p) });
  }
  if (P === 12 && spans) {
    for (let q = 0; q < 4; q++)
      out.push({
        index: out.length,
        kind: 'quarter',
        n: q,
        start: 3 * q,
        end: 3 * q + 2,
        label: QUARTERS[q],
        labelEn: en('quarter', q),
      });
    for (let h = 0; h < 2; h++)
      out.push({
        index: out.length,
        kind: 'half',
        n: h,
        start: 6 * h,
        end: 6 * h + 5,
        label: h === 0 ? '上半年' : '下半年',
        labelEn: en('half', h),
      });
  }
  return out;
}

// ---------------------------------------------------------------- compiled model

export type LeafRole = 'base' | 'bonus' | 'deduction' | 'veto';

export const AGG_SUM = 0;
export const AGG_LAST = 1;
export const AGG_AVG = 2;
const AGG_CODE: Record<Aggregate, number> = { sum: AGG_SUM, last: AGG_LAST, avg: AGG_AVG };

/** Where a formula variable's value comes from. */
export type SlotSource =
  | { t: 'series'; values: Float64Array; agg: number; label: string }
  | { t: 'target' }
  | { t: 'challenge' }
  | { t: 'points' };

export type FormulaRt = {
  compiled: CompiledFormula;
  fn: SlotFormula;
  prog: SlotProgram;
  names: string[];
  sources: SlotSource[];
  slots: Map<string, number>;
};

export type LeafMethod =
  | { kind: 'none' }
  | { kind: 'ratio'; p: RatioParams }
  | { kind: 'bands'; p: BandsParams }
  | { kind: 'increments'; p: IncrementsParams }
  | { kind: 'rank'; p: RankParams }
  | { kind: 'benchmark'; p: BenchmarkParams }
  | { kind: 'qualitative'; p: QualitativeParams }
  | { kind: 'deduction'; p: OccurrenceParams }
  | { kind: 'bonus'; p: OccurrenceParams }
  | { kind: 'veto'; effect: 'cap_grade' | 'zero_score'; capGrade: string | undefined; capIndex: number }
  | { kind: 'formula'; f: FormulaRt };

export type LeafRt = {
  index: number;
  m: LeafMethod;
  /** The method config after defaults (null when the leaf has none). */
  method: TScoringMethod | null;
  role: LeafRole;
  points: number;
  negative: boolean;
  aggregate: Aggregate;
  agg: number;
  prorate: boolean;
  /** Target factor per window (pro-rating). */
  tfac: Float64Array;
  /** Effective applicability (own and ancestors'), null = all units. */
  applies: Uint8Array | null;
  values: Float64Array;
  targets: Float64Array;
  challenges: Float64Array;
  fields: Map<string, { values: Float64Array; agg: number; aggregate: Aggregate }>;
  dataSource: DataSource | undefined;
};

export type Model = {
  input: ModelInput;
  U: number;
  P: number;
  W: number;
  C: number;
  windows: ScoreWindow[];
  /** Window index of the full year (year-to-date at the last period). */
  yearWindow: number;
  /** Window ranges the kernels compute, as [from, to) pairs; the other windows are copies. */
  ranges: Int32Array;
  /** [copy, source] window pairs with identical scores (Q1 = YTD March, H1 = YTD June). */
  copies: Int32Array;
  unitIds: Int32Array;
  unitCategory: Int32Array;
  unitIndexById: Map<number, number>;
  /** Unit indices of each category, ascending. */
  categoryUnits: Int32Array[];
  indicatorIndexById: Map<number, number>;
  indicatorIndexByCode: Map<string, number>;
  /** Per indicator index: the leaf runtime, or null for nodes. */
  leaf: (LeafRt | null)[];
  /** Leaf indices in index order. */
  leaves: number[];
  /** Node (non-leaf) indices, deepest first: the order sums are built in. */
  nodeOrder: number[];
  /** Per indicator: what a node's score sums — base leaf children by index, then node children in nodeOrder. */
  baseChildren: number[][];
  /** Per indicator: all children in index order. */
  children: number[][];
  /** Per indicator: depth (top level = 0). */
  depth: Int32Array;
  /** Node caps (NaN = none). */
  caps: Float64Array;
  /** Top-level indicators that count in the base (nodes and base leaves), index order. */
  roots: number[];
  bonusLeaves: number[];
  deductionLeaves: number[];
  vetoLeaves: number[];
  rankLeaves: number[];
  /** Per leaf index: formula leaves whose formula reads this leaf's value. */
  dependents: number[][];
  /** Per unit: points of the base leaves that apply to it. */
  applicablePoints: Float64Array;
  /** Per unit: factor turning the base into the scaled base. */
  scale: Float64Array;
  fullBase: number;
  bonusCap: number;
  deductionCap: number;
  gradeRule: TGradeRule;
  accountability: Float64Array;
  lastYearTotals: Float64Array;
};

const nanArray = (n: number) => new Float64Array(n).fill(NaN);

const METHOD_DEFAULT_AGG: Record<MethodKind, Aggregate> = {
  ratio: 'sum',
  bands: 'sum',
  increments: 'sum',
  rank: 'sum',
  benchmark: 'sum',
  qualitative: 'last',
  deduction: 'sum',
  bonus: 'sum',
  veto: 'sum',
  formula: 'sum',
};

/** Names a formula can use besides field names and leaf codes. */
export const FORMULA_BUILTINS = ['value', 'target', 'challenge', 'points'] as const;

function targetFactors(windows: ScoreWindow[], P: number, agg: number, prorate: boolean): Float64Array {
  const out = new Float64Array(windows.length).fill(1);
  if (!prorate) return out;
  for (const w of windows) {
    if (agg === AGG_SUM) out[w.index] = (w.end - w.start + 1) / P;
    else if (agg === AGG_LAST) out[w.index] = (w.end + 1) / P;
  }
  return out;
}

function checkArray(a: Float64Array | Uint8Array | null | undefined, len: number, path: string): void {
  if (a == null) return;
  if (a.length !== len)
    throw new EngineInputError(path, `长度应为 ${len}，实际 ${a.length}`, `must have length ${len}, has ${a.length}`);
}

/**
 * Validates and compiles a model input. Throws {@link EngineInputError} naming the offending part
 * (formula errors carry the formula's position and message).
 */
export function buildModel(input: ModelInput): Model {
  const P = input.periods;
  if (!Number.isInteger(P) || P < 1 || P > 24)
    throw new EngineInputError('periods', '考核期数应为 1–24 的整数', 'periods must be an integer 1–24');
  const U = input.units.length;
  const windows = buildWindows(P, input.periodLabels, input.options?.spanWindows ?? true, input.periodLabelsEn);
  const W = windows.length;
  const gr = ZGradeRule.safeParse(input.gradeRule);
  if (!gr.success) throw new EngineInputError('gradeRule', '等次规则无效', 'invalid grade rule');
  const gradeRule = gr.data;

  const unitIds = new Int32Array(U);
  const unitCategory = new Int32Array(U);
  const unitIndexById = new Map<number, number>();
  let maxCat = -1;
  input.units.forEach((u, i) => {
    if (!Number.isInteger(u.categoryIndex) || u.categoryIndex < 0) {
      throw new EngineInputError(
        `units[${i}].categoryIndex`,
        '类别序号应为非负整数',
        'categoryIndex must be a non-negative integer',
      );
    }
    if (unitIndexById.has(u.id))
      throw new EngineInputError(`units[${i}].id`, `单位编号 ${u.id} 重复`, `duplicate unit id ${u.id}`);
    unitIds[i] = u.id;
    unitCategory[i] = u.categoryIndex;
    unitIndexById.set(u.id, i);
    if (u.categoryIndex > maxCat) maxCat = u.categoryIndex;
  });
  const C = input.categoryCount ?? maxCat + 1;
  if (maxCat >= C)
    throw new EngineInputError(
      'categoryCount',
      '类别数小于单位的类别序号',
      'categoryCount is smaller than a unit category index',
    );
  const catLists: number[][] = Array.from({ length: C }, () => []);
  for (let u = 0; u < U; u++) catLists[unitCategory[u]].push(u);
  const categoryUnits = catLists.map((l) => Int32Array.from(l));

  const inds = input.indicators;
  const N = inds.length;
  const indicatorIndexById = new Map<number, number>();
  const indicatorIndexByCode = new Map<string, number>();
  const children: number[][] = Array.from({ length: N }, () => []);
  inds.forEach((ind, i) => {
    const at = `indicators[${i}]`;
    if (indicatorIndexById.has(ind.id))
      throw new EngineInputError(`${at}.id`, `指标编号 ${ind.id} 重复`, `duplicate indicator id ${ind.id}`);
    indicatorIndexById.set(ind.id, i);
    if (indicatorIndexByCode.has(ind.code))
      throw new EngineInputError(`${at}.code`, `指标代码 ${ind.code} 重复`, `duplicate indicator code ${ind.code}`);
    indicatorIndexByCode.set(ind.code, i);
    if (!Number.isFinite(ind.points))
      throw new EngineInputError(`${at}.points`, '分值应为有限数', 'points must be finite');
    const pi = ind.parentIndex;
    if (pi !== -1) {
      if (!Number.isInteger(pi) || pi < 0 || pi >= N || pi === i)
        throw new EngineInputError(`${at}.parentIndex`, '上级指标序号无效', 'invalid parentIndex');
      if (inds[pi].isLeaf)
        throw new EngineInputError(
          `${at}.parentIndex`,
          `上级指标 ${inds[pi].code} 是末级指标`,
          `parent ${inds[pi].code} is a leaf`,
        );
      children[pi].push(i);
    }
    checkArray(ind.applies, U, `${at}.applies`);
  });

  // Depths (and cycle detection).
  const depth = new Int32Array(N).fill(-1);
  for (let i = 0; i < N; i++) {
    const path: number[] = [];
    let j = i;
    while (j !== -1 && depth[j] < 0) {
      if (path.length > N)
        throw new EngineInputError(`indicators[${i}].parentIndex`, '指标树存在循环', 'the indicator tree has a cycle');
      path.push(j);
      j = inds[j].parentIndex;
    }
    let d = j === -1 ? -1 : depth[j];
    for (let k = path.length - 1; k >= 0; k--) depth[path[k]] = ++d;
  }

  // Effective applicability per indicator: own AND ancestors'.
  const eff: (Uint8Array | null)[] = new Array(N).fill(null);
  const byDepth = [...Array(N).keys()].sort((a, b) => depth[a] - depth[b] || a - b);
  for (const i of byDepth) {
    const own = inds[i].applies ?? null;
    const par = inds[i].parentIndex === -1 ? null : eff[inds[i].parentIndex];
    if (!own) eff[i] = par;
    else if (!par) eff[i] = Uint8Array.from(own, (x) => (x ? 1 : 0));
    else eff[i] = Uint8Array.from(own, (x, u) => (x && par[u] ? 1 : 0));
  }

  const gradeLabels = gradeRule.grades.map((g) => g.label);
  const leaf: (LeafRt | null)[] = new Array(N).fill(null);
  const leaves: number[] = [];
  const codeOfLeaf = new Map<string, number>();
  inds.forEach((ind, i) => {
    if (ind.isLeaf) codeOfLeaf.set(ind.code, i);
  });

  // First pass: everything but formulas (they need the other leaves' arrays).
  inds.forEach((ind, i) => {
    if (!ind.isLeaf) {
      if (ind.method)
        throw new EngineInputError(
          `indicators[${i}].method`,
          `非末级指标 ${ind.code} 不能设置计分方法`,
          `node ${ind.code} cannot have a method`,
        );
      return;
    }
    const at = `indicators[${i}]`;
    if (children[i].length)
      throw new EngineInputError(`${at}.isLeaf`, `末级指标 ${ind.code} 不能有下级`, `leaf ${ind.code} has children`);
    checkArray(ind.values, U * P, `${at}.values`);
    checkArray(ind.targets, U, `${at}.targets`);
    checkArray(ind.challenges, U, `${at}.challenges`);
    let method: TScoringMethod | null = null;
    if (ind.method) {
      const parsed = ZScoringMethod.safeParse(ind.method);
      if (!parsed.success) {
        const iss = parsed.error.issues[0];
        const where = iss?.path.length ? `.${iss.path.join('.')}` : '';
        throw new EngineInputError(
          `${at}.method${where}`,
          `指标 ${ind.code} 的计分方法配置无效：${iss?.message ?? ''}`,
          `invalid method of ${ind.code}: ${iss?.message ?? ''}`,
        );
      }
      method = parsed.data;
    }
    const aggregate: Aggregate = ind.aggregate ?? (method ? METHOD_DEFAULT_AGG[method.kind] : 'sum');
    const agg = AGG_CODE[aggregate];
    const prorate = ind.prorate ?? aggregate === 'sum';
    const fields = new Map<string, { values: Float64Array; agg: number; aggregate: Aggregate }>();
    (ind.fields ?? []).forEach((fd, k) => {
      const fat = `${at}.fields[${k}]`;
      if (
        !FORMULA_IDENTIFIER.test(fd.name) ||
        FORMULA_RESERVED.has(fd.name) ||
        (FORMULA_BUILTINS as readonly string[]).includes(fd.name)
      ) {
        throw new EngineInputError(
          `${fat}.name`,
          `字段名 ${fd.name} 不可用作公式变量`,
          `field name ${fd.name} cannot be a formula variable`,
        );
      }
      if (fields.has(fd.name))
        throw new EngineInputError(`${fat}.name`, `字段名 ${fd.name} 重复`, `duplicate field ${fd.name}`);
      checkArray(fd.values, U * P, `${fat}.values`);
      const fa = fd.aggregate ?? aggregate;
      fields.set(fd.name, { values: fd.values, agg: AGG_CODE[fa], aggregate: fa });
    });
    let m: LeafMethod = { kind: 'none' };
    let role: LeafRole = 'base';
    if (method) {
      switch (method.kind) {
        case 'ratio':
          m = { kind: 'ratio', p: { cap: method.cap, floor: method.floor } };
          break;
        case 'bands':
          m = { kind: 'bands', p: bandsParams(method) };
          break;
        case 'increments':
          m = {
            kind: 'increments',
            p: {
              base: method.base,
              stepPercent: method.stepPercent,
              stepPoints: method.stepPoints,
              stepPointsUnder: method.stepPointsUnder,
              min: method.min,
              max: method.max,
              relative: method.deviation !== 'absolute',
            },
          };
          break;
        case 'rank':
          m = { kind: 'rank', p: { stepPoints: method.stepPoints, minPoints: method.minPoints } };
          break;
        case 'benchmark':
          m = { kind: 'benchmark', p: { baseline: method.baseline, benchmark: method.benchmark } };
          break;
        case 'qualitative':
          m = {
            kind: 'qualitative',
            p: { labels: method.grades.map((g) => g.label), shares: Float64Array.from(method.grades, (g) => g.share) },
          };
          break;
        case 'deduction':
          m = { kind: 'deduction', p: { perOccurrence: method.perOccurrence, maxTotal: method.maxTotal } };
          if (!(ind.points > 0)) role = 'deduction';
          break;
        case 'bonus':
          m = { kind: 'bonus', p: { perOccurrence: method.perOccurrence, maxTotal: method.maxTotal } };
          role = 'bonus';
          break;
        case 'veto': {
          const ci = method.effect === 'cap_grade' ? gradeLabels.indexOf(method.capGrade ?? '') : -1;
          m = {
            kind: 'veto',
            effect: method.effect,
            capGrade: method.capGrade,
            capIndex: ci >= 0 ? ci : gradeLabels.length - 1,
          };
          role = 'veto';
          break;
        }
        case 'formula':
          m = { kind: 'none' }; // compiled in the second pass
          break;
      }
    }
    leaf[i] = {
      index: i,
      m,
      method,
      role,
      points: ind.points,
      negative: ind.direction === 'negative',
      aggregate,
      agg,
      prorate,
      tfac: targetFactors(windows, P, agg, prorate),
      applies: eff[i],
      values: ind.values ?? nanArray(U * P),
      targets: ind.targets ?? nanArray(U),
      challenges: ind.challenges ?? nanArray(U),
      fields,
      dataSource: ind.dataSource,
    };
    leaves.push(i);
  });

  // Second pass: formulas, now that every leaf has its value array.
  const dependents: number[][] = Array.from({ length: N }, () => []);
  for (const i of leaves) {
    const lr = leaf[i]!;
    if (lr.method?.kind !== 'formula') continue;
    const at = `indicators[${i}].method.expression`;
    const code = inds[i].code;
    const known = new Set<string>([...FORMULA_BUILTINS, ...lr.fields.keys(), ...codeOfLeaf.keys()]);
    let compiled: CompiledFormula;
    try {
      compiled = compileFormula(lr.method.expression, { knownVariables: known });
    } catch (e) {
      if (e instanceof FormulaError)
        throw new EngineInputError(at, `指标 ${code} 的公式有误：${e.zh}`, `formula of ${code}: ${e.en}`);
      throw e;
    }
    const names = [...compiled.variables];
    const slots = new Map<string, number>(names.map((n, k) => [n, k]));
    const sources: SlotSource[] = names.map((n) => {
      if (n === 'target') return { t: 'target' };
      if (n === 'challenge') return { t: 'challenge' };
      if (n === 'points') return { t: 'points' };
      if (n === 'value') return { t: 'series', values: lr.values, agg: lr.agg, label: 'value' };
      const fd = lr.fields.get(n);
      if (fd) return { t: 'series', values: fd.values, agg: fd.agg, label: n };
      const other = codeOfLeaf.get(n)!;
      const olr = leaf[other]!;
      if (other !== i && !dependents[other].includes(i)) dependents[other].push(i);
      return { t: 'series', values: olr.values, agg: olr.agg, label: n };
    });
    lr.m = {
      kind: 'formula',
      f: { compiled, fn: compiled.bind(slots), prog: compiled.program(slots), names, sources, slots },
    };
  }

  // Node order (deepest first), base children, roots, role lists.
  const nodeOrder = [...Array(N).keys()].filter((i) => !inds[i].isLeaf).sort((a, b) => depth[b] - depth[a] || a - b);
  const counts = (i: number) => (inds[i].isLeaf ? leaf[i]!.role === 'base' : true);
  // Leaf children by index, then node children deepest first: the order a full recompute adds them in.
  const orderOfNode = new Map(nodeOrder.map((x, k) => [x, k]));
  const baseChildren = children.map((cs) => [
    ...cs.filter((c) => inds[c].isLeaf && counts(c)),
    ...cs.filter((c) => !inds[c].isLeaf).sort((a, b) => orderOfNode.get(a)! - orderOfNode.get(b)!),
  ]);
  const roots = [...Array(N).keys()].filter((i) => inds[i].parentIndex === -1 && counts(i));
  const caps = Float64Array.from(inds, (ind) =>
    !ind.isLeaf && ind.cap != null && Number.isFinite(ind.cap) ? ind.cap : NaN,
  );
  const byRole = (r: LeafRole) => leaves.filter((i) => leaf[i]!.role === r);
  const rankLeaves = leaves.filter((i) => leaf[i]!.m.kind === 'rank');

  const opts = input.options ?? {};
  const fullBase = opts.fullBase ?? 100;
  const applicablePoints = new Float64Array(U);
  for (const i of byRole('base')) {
    const lr = leaf[i]!;
    for (let u = 0; u < U; u++) if (!lr.applies || lr.applies[u]) applicablePoints[u] += lr.points;
  }
  const rescale = opts.rescaleInapplicable ?? true;
  const scale = Float64Array.from(applicablePoints, (ap) => (!rescale ? 1 : ap > 0 ? fullBase / ap : 0));

  checkArray(input.accountability, U * P, 'accountability');
  checkArray(input.lastYearTotals, U, 'lastYearTotals');

  return {
    input,
    U,
    P,
    W,
    C,
    windows,
    yearWindow: P + P - 1,
    ...windowPlan(windows, P),
    unitIds,
    unitCategory,
    unitIndexById,
    categoryUnits,
    indicatorIndexById,
    indicatorIndexByCode,
    leaf,
    leaves,
    nodeOrder,
    baseChildren,
    children,
    depth,
    caps,
    roots,
    bonusLeaves: byRole('bonus'),
    deductionLeaves: byRole('deduction'),
    vetoLeaves: byRole('veto'),
    rankLeaves,
    dependents,
    applicablePoints,
    scale,
    fullBase,
    bonusCap: opts.bonusCap ?? Infinity,
    deductionCap: opts.deductionCap ?? Infinity,
    gradeRule,
    accountability: input.accountability ?? new Float64Array(U * P),
    lastYearTotals: input.lastYearTotals ?? nanArray(U),
  };
}

/**
 * Which windows the kernels compute and which they copy: a span starting in the first month is the
 * year-to-date window ending where it ends (same months in the same order, same target factor).
 */
function windowPlan(windows: ScoreWindow[], P: number): { ranges: Int32Array; copies: Int32Array } {
  const copies: number[] = [];
  const computed: boolean[] = windows.map(() => true);
  for (const w of windows) {
    if ((w.kind === 'quarter' || w.kind === 'half') && w.start === 0) {
      copies.push(w.index, P + w.end);
      computed[w.index] = false;
    }
  }
  const ranges: number[] = [];
  for (let w = 0; w < windows.length; w++) {
    if (!computed[w]) continue;
    if (ranges.length && ranges[ranges.length - 1] === w) ranges[ranges.length - 1] = w + 1;
    else ranges.push(w, w + 1);
  }
  return { ranges: Int32Array.from(ranges), copies: Int32Array.from(copies) };
}

/** The window index of a kind and number, e.g. ('ytd', 11) = the year, ('quarter', 0) = Q1. -1 if absent. */
export function windowIndex(model: Model, kind: WindowKind, n: number): number {
  const w = model.windows.find((x) => x.kind === kind && x.n === n);
  return w ? w.index : -1;
}
