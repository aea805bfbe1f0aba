/**
 * Lays a year out for the engine (pure: no database). The service loads the rows; this file turns
 * them into a {@link ModelInput} plus the metadata the presenters need (names, tree order, categories).
 *
 * Decisions (the score pages repeat them):
 * - Scored units: active units to which at least one leaf applies (performance's `leavesFor`: units
 *   with a category, or units named explicitly on a leaf's path). Units without a category are
 *   compared in one extra group, 单独考评.
 * - Categories are numbered by their sort order; only categories with scored units take part.
 * - Periods are the twelve months of the year ('YYYY-MM'); inputs outside the year are ignored.
 * - A leaf that does not apply to a unit is "not applicable" for it; the unit's base is rescaled to
 *   the full base: the tree's designed total (the level-1 points) less the points of bonus leaves,
 *   which are earned outside the base. E.g. 三效一创: 100 − 2 (表彰奖励加分) = 98; a unit to which a
 *   3-point leaf does not apply has its base × 98 ÷ 95. A tree without level-1 points falls back to
 *   the largest applicable base of any unit.
 * - Formula leaves see the numeric form fields their formula names (from score_inputs.fields).
 * - A leaf whose configuration the engine refuses (say, a formula naming an unknown indicator) scores
 *   nothing: its method is dropped and the problem is reported, instead of failing the whole year.
 */
import { leavesFor, type TIndicator } from '../performance/index.js';
import type { TCategory, TUnit } from '../units/index.js';
import {
  buildModel,
  computeAll,
  EngineInputError,
  FORMULA_BUILTINS,
  FORMULA_IDENTIFIER,
  FORMULA_RESERVED,
  formulaVariables,
  parseFormula,
  type FieldInput,
  type IndicatorInput,
  type Model,
  type ModelInput,
  type Results,
  type TGradeRule,
  type TScoringMethod,
} from '../../engine/index.js';

export const PERIODS = 12;
export const PERIOD_LABELS = Array.from({ length: PERIODS }, (_, p) => `${p + 1}月`);
/** The group of scored units without a category. */
export const UNCATEGORIZED = { zh: '单独考评', en: 'Assessed separately' };

export type MetaUnit = { id: number; code: string; name: string; categoryId: number | null };
export type MetaCategory = { id: number | null; name: string };
export type MetaIndicator = {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  level: number;
  points: number;
  isLeaf: boolean;
  unitOfMeasure: string;
  methodKind: TScoringMethod['kind'] | null;
};
export type ModelProblem = { indicatorId: number; code: string; zh: string; en: string };

/** What the presenters need beside the engine model, by engine index. Plain JSON (it is also snapshotted). */
export type ScoringMeta = {
  yearId: number;
  year: number;
  units: MetaUnit[];
  categories: MetaCategory[];
  indicators: MetaIndicator[];
  /** Indicator indices in tree order (depth first, by sort). */
  treeOrder: number[];
  /** Top-level indicator indices in tree order (the level-1 columns). */
  topLevel: number[];
  fullBase: number;
  /** Months 1..12 that have any input (0 = none). */
  lastDataMonth: number;
  /** Monthly data are due on this day of the following month (the year's setting; 15 by default). */
  deadlineDay?: number;
  /**
   * The reporting deadline ('YYYY-MM-DD') of each month, when the reporting module says (a day off moved to
   * the next working day: 法定节假日顺延, or N working days after month end); else `deadlineDay` is used.
   */
  monthDeadlines?: string[];
  problems: ModelProblem[];
};

export type InputRow = {
  indicatorId: number;
  unitId: number;
  period: string;
  value: number | null;
  fields: Record<string, unknown> | null;
};
export type DeductionRow = { unitId: number; period: string; points: number };
export type TargetMap = Map<number, Map<number, { target: number; challenge: number | null }>>;

export type LoadedYear = {
  year: { id: number; year: number; gradeRule: TGradeRule; deadlineDay?: number; monthDeadlines?: string[] };
  units: TUnit[];
  categories: TCategory[];
  indicators: TIndicator[];
  targets: TargetMap;
  inputs: InputRow[];
  deductions: DeductionRow[];
};

/** Month index 0..11 of a 'YYYY-MM' period in the given year, or -1. */
export function monthIndex(year: number, period: string): number {
  if (period.length !== 7 || Number(period.slice(0, 4)) !== year || period[4] !== '-') return -1;
  const m = Number(period.slice(5));
  return Number.isInteger(m) && m >= 1 && m <= PERIODS ? m - 1 : -1;
}

/** A number from a form field value (numbers and numeric strings), else NaN. */
export function fieldNumber(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : NaN;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}

/** The form fields a formula needs: its variables that are neither built-ins nor indicator codes. */
export function formulaFieldNames(expression: string, indicatorCodes: ReadonlySet<string>): string[] {
  let vars: string[];
  try {
    vars = formulaVariables(parseFormula(expression));
  } catch {
    return []; // the engine reports the syntax error when it compiles the formula
  }
  return vars.filter(
    (v) =>
      !(FORMULA_BUILTINS as readonly string[]).includes(v) &&
      !indicatorCodes.has(v) &&
      FORMULA_IDENTIFIER.test(v) &&
      !FORMULA_RESERVED.has(v),
  );
}

/** Field arrays `[unit * P + period]` of the named fields of one leaf, from its input rows. */
export function buildFields(
  names: string[],
  rows: readonly { unitId: number; period: string; fields: Record<string, unknown> | null }[],
  unitIndex: ReadonlyMap<number, number>,
  year: number,
): FieldInput[] {
  const U = unitIndex.size;
  return names.map((name) => {
    const values = new Float64Array(U * PERIODS).fill(NaN);
    for (const r of rows) {
      const u = unitIndex.get(r.unitId);
      const p = monthIndex(year, r.period);
      if (u === undefined || p < 0 || !r.fields || !(name in r.fields)) continue;
      values[u * PERIODS + p] = fieldNumber(r.fields[name]);
    }
    return { name, values };
  });
}

function treeOrderOf(indicators: readonly TIndicator[]): number[] {
  const index = new Map(indicators.map((n, i) => [n.id, i]));
  const kids = new Map<number | null, number[]>();
  indicators.forEach((n, i) => {
    const key = n.parentId !== null && index.has(n.parentId) ? n.parentId : null;
    const list = kids.get(key) ?? [];
    list.push(i);
    kids.set(key, list);
  });
  for (const list of kids.values())
    list.sort((a, b) => indicators[a].sort - indicators[b].sort || indicators[a].id - indicators[b].id);
  const out: number[] = [];
  const walk = (key: number | null) => {
    for (const i of kids.get(key) ?? []) {
      out.push(i);
      walk(indicators[i].id);
    }
  };
  walk(null);
  return out;
}

/** Role of a leaf as the engine will see it (for the full base): base leaves count toward the 100 points. */
function isBaseLeaf(points: number, method: TScoringMethod | null): boolean {
  if (!method) return true;
  if (method.kind === 'bonus' || method.kind === 'veto') return false;
  if (method.kind === 'deduction' && !(points > 0)) return false;
  return true;
}

/** Builds the engine input and its metadata from a loaded year. */
export function layoutYear(data: LoadedYear): { input: ModelInput; meta: ScoringMeta } {
  const { year, indicators } = data;
  const P = PERIODS;
  const activeUnits = data.units.filter((u) => u.active).sort((a, b) => a.sort - b.sort || a.id - b.id);
  const parents = new Set(indicators.map((n) => n.parentId));
  const leafIds = new Set(indicators.filter((n) => !parents.has(n.id)).map((n) => n.id));
  // Which leaves apply to which unit (performance's rule), and which units are scored at all.
  const applying = new Map<number, Set<number>>();
  const scored: TUnit[] = [];
  // Units not named on any node share their category's leaves: compute those once per category.
  const named = new Set(indicators.flatMap((n) => n.appliesTo.unitIds));
  const byCategory = new Map<number | null, Set<number>>();
  for (const u of activeUnits) {
    let set = named.has(u.id) ? undefined : byCategory.get(u.categoryId);
    if (!set) {
      set = new Set(leavesFor({ id: u.id, categoryId: u.categoryId }, indicators).map((l) => l.id));
      if (!named.has(u.id)) byCategory.set(u.categoryId, set);
    }
    if (!set.size) continue;
    applying.set(u.id, set);
    scored.push(u);
  }
  // Categories in sort order, then the group of units without one.
  const catOrder = [...data.categories].sort((a, b) => a.sort - b.sort || a.id - b.id);
  const used = new Set(scored.map((u) => u.categoryId));
  const categories: MetaCategory[] = catOrder.filter((c) => used.has(c.id)).map((c) => ({ id: c.id, name: c.name }));
  if (used.has(null)) categories.push({ id: null, name: UNCATEGORIZED.zh });
  const catIndex = new Map(categories.map((c, i) => [c.id, i]));
  // Units grouped by category (stable), so each category's units are contiguous.
  scored.sort((a, b) => catIndex.get(a.categoryId)! - catIndex.get(b.categoryId)! || a.sort - b.sort || a.id - b.id);
  const U = scored.length;
  const unitIndex = new Map(scored.map((u, i) => [u.id, i]));

  const indIndex = new Map(indicators.map((n, i) => [n.id, i]));
  const codes = new Set(indicators.map((n) => n.code));
  let lastDataMonth = 0;
  // Form fields are only needed by formula leaves: keep just their rows.
  const formulaRows = new Map<number, InputRow[]>();
  for (const n of indicators) if (n.method?.kind === 'formula' && leafIds.has(n.id)) formulaRows.set(n.id, []);
  if (formulaRows.size) for (const r of data.inputs) formulaRows.get(r.indicatorId)?.push(r);

  let applicableMax = 0;
  const applicablePoints = new Float64Array(U);
  const inputs: IndicatorInput[] = indicators.map((n) => {
    const parentIndex = n.parentId !== null && indIndex.has(n.parentId) ? indIndex.get(n.parentId)! : -1;
    if (!leafIds.has(n.id))
      return { id: n.id, code: n.code, name: n.name, parentIndex, points: n.points, isLeaf: false };
    const applies = new Uint8Array(U);
    let all = true;
    scored.forEach((u, k) => {
      const a = applying.get(u.id)!.has(n.id);
      applies[k] = a ? 1 : 0;
      if (!a) all = false;
      if (a && isBaseLeaf(n.points, n.method)) applicablePoints[k] += n.points;
    });
    const values = new Float64Array(U * P).fill(NaN);
    const targets = new Float64Array(U).fill(NaN);
    const challenges = new Float64Array(U).fill(NaN);
    scored.forEach((u, k) => {
      const t = data.targets.get(u.id)?.get(n.id);
      if (!t) return;
      targets[k] = t.target;
      if (t.challenge !== null) challenges[k] = t.challenge;
    });
    const fields =
      n.method?.kind === 'formula'
        ? buildFields(formulaFieldNames(n.method.expression, codes), formulaRows.get(n.id) ?? [], unitIndex, year.year)
        : [];
    return {
      id: n.id,
      code: n.code,
      name: n.name,
      parentIndex,
      points: n.points,
      isLeaf: true,
      applies: all ? null : applies,
      method: n.method,
      direction: n.direction,
      aggregate: n.aggregate,
      dataSource: n.dataSource,
      values,
      fields,
      targets,
      challenges,
    };
  });
  for (const ap of applicablePoints) if (ap > applicableMax) applicableMax = ap;
  // One pass over the inputs straight into the value arrays (periods parsed once each).
  const leafValues = new Map<number, Float64Array>();
  inputs.forEach((x) => x.isLeaf && leafValues.set(x.id, x.values!));
  const monthOf = new Map<string, number>();
  for (const r of data.inputs) {
    const values = leafValues.get(r.indicatorId);
    const u = unitIndex.get(r.unitId);
    if (!values || u === undefined || r.value === null || !Number.isFinite(r.value)) continue;
    let p = monthOf.get(r.period);
    if (p === undefined) monthOf.set(r.period, (p = monthIndex(year.year, r.period)));
    if (p < 0) continue;
    values[u * P + p] = r.value;
    if (p + 1 > lastDataMonth) lastDataMonth = p + 1;
  }
  let designed = 0;
  indicators.forEach((n, i) => {
    if (inputs[i].parentIndex === -1) designed += n.points;
    if (leafIds.has(n.id) && n.method?.kind === 'bonus') designed -= n.points;
  });
  const fullBase = designed > 0 ? designed : applicableMax > 0 ? applicableMax : 100;

  const accountability = new Float64Array(U * P);
  for (const d of data.deductions) {
    const u = unitIndex.get(d.unitId);
    const p = monthIndex(year.year, d.period);
    if (u === undefined || p < 0) continue;
    accountability[u * P + p] += d.points;
  }

  const input: ModelInput = {
    periods: P,
    periodLabels: PERIOD_LABELS,
    units: scored.map((u) => ({ id: u.id, categoryIndex: catIndex.get(u.categoryId)!, code: u.code, name: u.name })),
    categoryCount: categories.length,
    categoryNames: categories.map((c) => c.name),
    indicators: inputs,
    accountability,
    gradeRule: year.gradeRule,
    lastYearTotals: null,
    options: { fullBase },
  };
  const order = treeOrderOf(indicators);
  const meta: ScoringMeta = {
    yearId: year.id,
    year: year.year,
    units: scored.map((u) => ({ id: u.id, code: u.code, name: u.name, categoryId: u.categoryId })),
    categories,
    indicators: indicators.map((n) => ({
      id: n.id,
      parentId: n.parentId,
      code: n.code,
      name: n.name,
      level: n.level,
      points: n.points,
      isLeaf: leafIds.has(n.id),
      unitOfMeasure: n.unitOfMeasure,
      methodKind: n.method?.kind ?? null,
    })),
    treeOrder: order,
    topLevel: order.filter((i) => inputs[i].parentIndex === -1),
    fullBase,
    lastDataMonth,
    deadlineDay: year.deadlineDay,
    ...(year.monthDeadlines ? { monthDeadlines: year.monthDeadlines } : {}),
    problems: [],
  };
  return { input, meta };
}

/**
 * buildModel, but a leaf the engine refuses loses its method (and scores nothing) instead of failing
 * the whole year; each such leaf is reported in `problems`.
 */
export function buildModelTolerant(input: ModelInput, problems: ModelProblem[]): Model {
  for (let attempt = 0; ; attempt++) {
    try {
      return buildModel(input);
    } catch (e) {
      if (!(e instanceof EngineInputError) || attempt > input.indicators.length) throw e;
      const m = /^indicators\[(\d+)\]/.exec(e.path);
      const ind = m ? input.indicators[Number(m[1])] : undefined;
      if (!ind || !ind.isLeaf || !ind.method) throw e;
      problems.push({ indicatorId: ind.id, code: ind.code, zh: e.zh, en: e.en });
      ind.method = null;
      ind.fields = [];
    }
  }
}

export type Computed = { input: ModelInput; meta: ScoringMeta; model: Model; res: Results };

/** Lays out, builds and fully computes a year. */
export function computeYear(data: LoadedYear): Computed {
  const { input, meta } = layoutYear(data);
  const model = buildModelTolerant(input, meta.problems);
  return { input, meta, model, res: computeAll(model) };
}
