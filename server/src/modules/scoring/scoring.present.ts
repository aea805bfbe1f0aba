/**
 * Presenters: computed results → API shapes (ranking rows, a unit's tree, explanations), and the
 * readable description of a method's parameters. Pure functions over a computed year.
 */
import { invalid, type Lang } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import {
  explain,
  explainTotal,
  fmtNum,
  ACCOUNTABILITY_EN,
  unitSummary,
  windowIndex,
  windowLabelEn,
  windowLabelIn,
  type Model,
  type Results,
  type ScoreWindow,
  type TScoringMethod,
  type WindowKind,
} from '../../engine/index.js';
import { PERIODS, type ScoringMeta } from './scoring.model.js';
import type {
  TDeduction,
  TIndicatorExplanation,
  TProvenance,
  TScoreRow,
  TScoreTable,
  TTotalExplanation,
  TTreeNode,
  TWindow,
} from './scoring.schema.js';

/** The computed pieces presenters read (a live year or a rebuilt snapshot). */
export type Scored = { meta: ScoringMeta; model: Model; res: Results };

const f = fmtNum;
export const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
const fin = (x: number): number => (Number.isFinite(x) ? x : 0);
const pad2 = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM' of month index p. */
export const monthKey = (year: number, p: number) => `${year}-${pad2(p + 1)}`;

// ---------- periods and windows ----------

/**
 * The engine window a period asks for: 'YYYY-MM' a month, 'YYYY-Qn' a quarter, 'YYYY-Hn' a half, and
 * 'YYYY' the year to date — while the year runs, through the last month whose reporting deadline has
 * passed (a month still being filled in would drag every total down), or through the last month with
 * data when no deadline has passed yet; the whole year once it is closed.
 */
export function resolveWindow(
  meta: ScoringMeta,
  model: Model,
  closed: boolean,
  period: string | undefined,
  field = 'period',
  now = new Date(),
): number {
  const p = period ?? String(meta.year);
  if (p.slice(0, 4) !== String(meta.year))
    throw invalid(field, `考核期应在 ${meta.year} 年内`, `The period must be in ${meta.year}`);
  const rest = p.slice(4);
  let kind: WindowKind;
  let n: number;
  if (rest === '') {
    kind = 'ytd';
    const due = meta.monthDeadlines?.length
      ? dueByDeadlines(meta.monthDeadlines, now)
      : dueMonths(meta.year, meta.deadlineDay ?? 15, now);
    const through = due > 0 ? Math.min(due, meta.lastDataMonth || due) : meta.lastDataMonth;
    n = closed ? model.P - 1 : Math.max(1, Math.min(model.P, through)) - 1;
  } else if (rest[1] === 'Q') {
    kind = 'quarter';
    n = Number(rest.slice(2)) - 1;
  } else if (rest[1] === 'H') {
    kind = 'half';
    n = Number(rest.slice(2)) - 1;
  } else {
    kind = 'month';
    n = Number(rest.slice(1)) - 1;
  }
  const w = windowIndex(model, kind, n);
  if (w < 0) throw invalid(field, '考核期无效', 'Invalid period');
  return w;
}

/** How many months of `year` are past their reporting deadline (day `deadlineDay` of the next month, Beijing time) at `now`: 0–12. */
export function dueMonths(year: number, deadlineDay: number, now: Date): number {
  const [y, m, d] = beijingDate(now).split('-').map(Number); // m: 1..12
  // Month k of `year` is due on deadlineDay of month k+1; count the months whose due day has been reached.
  const monthsSince = (y - year) * 12 + m - 1; // months of `year` that have ended before the current month
  const due = d >= deadlineDay ? monthsSince : monthsSince - 1;
  return Math.max(0, Math.min(12, due));
}

/** How many months are past their reporting deadline at `now`, from each month's deadline date (due on the day itself, as dueMonths). */
export function dueByDeadlines(monthDeadlines: readonly string[], now: Date): number {
  const today = beijingDate(now);
  return monthDeadlines.filter((d) => d <= today).length;
}

/** The period code of a window ('YYYY' for year-to-date windows). */
export function periodOf(year: number, w: ScoreWindow): string {
  switch (w.kind) {
    case 'month':
      return monthKey(year, w.n);
    case 'quarter':
      return `${year}-Q${w.n + 1}`;
    case 'half':
      return `${year}-H${w.n + 1}`;
    case 'ytd':
      return String(year);
  }
}

export function windowRef(meta: ScoringMeta, model: Model, w: number, lang: Lang = 'zh'): TWindow {
  const win = model.windows[w];
  return {
    index: win.index,
    kind: win.kind,
    n: win.n,
    label: windowLabelIn(win, lang),
    start: win.start,
    end: win.end,
    period: periodOf(meta.year, win),
  };
}

/**
 * A stored window's label (a publication's, made in Chinese) in the caller's language: English labels
 * are made again from the window's kind and number.
 */
export function windowLabelOf(win: { kind: WindowKind; n: number; label: string }, lang: Lang): string {
  return lang === 'en' ? windowLabelEn(win.kind, win.n, PERIODS) : win.label;
}

/** The same window in another (e.g. last) year's model, or -1. */
export function sameWindow(from: Model, w: number, to: Model): number {
  const win = from.windows[w];
  return windowIndex(to, win.kind, win.n);
}

// ---------- ranking rows ----------

/** Every scored unit's row in window w (inScope false; the caller marks what the viewer may open). */
export function buildRows(c: Scored, w: number, last: { c: Scored; w: number } | null): TScoreRow[] {
  return c.meta.units.map((_, u) => buildRow(c, u, w, last));
}

/** The ranking row of the unit at index u in window w (inScope false). */
export function buildRow(c: Scored, u: number, w: number, last: { c: Scored; w: number } | null): TScoreRow {
  const { meta, model, res } = c;
  const unit = meta.units[u];
  const s = unitSummary(model, res, unit.id, w);
  let lastYearTotal: number | null = null;
  let lastYearRank: number | null = null;
  if (last && last.w >= 0) {
    const lu = last.c.model.unitIndexById.get(unit.id);
    if (lu !== undefined) {
      const i = lu * last.c.model.W + last.w;
      lastYearTotal = num(last.c.res.total[i]);
      lastYearRank = last.c.res.rank[i];
    }
  }
  return {
    unitId: unit.id,
    unitCode: unit.code,
    unitName: unit.name,
    categoryId: unit.categoryId,
    categoryName: meta.categories[s.categoryIndex]?.name ?? '',
    total: fin(s.total),
    base: fin(s.scaledBase),
    rawBase: fin(s.base),
    applicablePoints: fin(s.applicablePoints),
    bonus: fin(s.bonus),
    deduction: fin(s.deduction),
    accountability: fin(s.accountability),
    veto: s.veto,
    missing: s.missing,
    rank: s.rank,
    of: s.of,
    grade: s.grade,
    gradeIndex: s.gradeIndex,
    nodes: meta.topLevel.map((i) => ({
      indicatorId: meta.indicators[i].id,
      score: num(res.scores[i][u * model.W + w]),
    })),
    lastYearTotal,
    lastYearRank,
    change: lastYearTotal === null ? null : fin(s.total) - lastYearTotal,
    inScope: false,
  };
}

/** The ranking table of a window, for every unit (the caller filters what the viewer may see). */
export function buildTable(
  c: Scored,
  w: number,
  last: { c: Scored; w: number } | null,
  version: number,
): Omit<TScoreTable, 'year' | 'published'> {
  const { meta, model } = c;
  return {
    window: windowRef(meta, model, w),
    version,
    fullBase: meta.fullBase,
    lastDataMonth: meta.lastDataMonth,
    categories: meta.categories,
    topIndicators: meta.topLevel.map((i) => ({
      indicatorId: meta.indicators[i].id,
      code: meta.indicators[i].code,
      name: meta.indicators[i].name,
      points: meta.indicators[i].points,
    })),
    grades: model.gradeRule.grades.map((g) => g.label),
    problems: meta.problems.map((p) => ({ indicatorId: p.indicatorId, code: p.code, message: p.zh })),
    rows: buildRows(c, w, last),
  };
}

// ---------- a unit's tree ----------

/**
 * The unit's node and leaf scores in tree order, with the category's average of each. `scoreAt`
 * reads a score (live results, or a publication's stored scores).
 */
export function buildTree(
  c: Scored,
  unitId: number,
  scoreAt: (indicatorIndex: number, unitIndex: number) => number,
): TTreeNode[] {
  const { meta, model } = c;
  const u = model.unitIndexById.get(unitId)!;
  const members = model.categoryUnits[model.unitCategory[u]];
  const applies = (i: number, uu: number): boolean => {
    const lr = model.leaf[i];
    if (lr) return !lr.applies || lr.applies[uu] === 1;
    return model.children[i].some((ch) => applies(ch, uu));
  };
  return meta.treeOrder.map((i) => {
    const mi = meta.indicators[i];
    const lr = model.leaf[i];
    let sum = 0;
    let cnt = 0;
    for (const uu of members) {
      if (!applies(i, uu)) continue;
      const x = scoreAt(i, uu);
      if (Number.isFinite(x)) {
        sum += x;
        cnt++;
      }
    }
    const applicable = applies(i, u);
    const score = scoreAt(i, u);
    return {
      indicatorId: mi.id,
      parentId: mi.parentId,
      code: mi.code,
      name: mi.name,
      level: mi.level,
      points: mi.points,
      isLeaf: mi.isLeaf,
      role: lr ? lr.role : 'node',
      methodKind: lr?.method?.kind ?? null,
      unitOfMeasure: mi.unitOfMeasure,
      applicable,
      score: applicable ? num(score) : null,
      categoryAvg: cnt ? sum / cnt : null,
    };
  });
}

// ---------- explanations ----------

const pct = (x: number) => `${f(Math.round(x * 10000) / 100)}%`;

/** The method and its parameters as one readable sentence, in Chinese or English. */
export function describeMethod(
  method: TScoringMethod | null,
  points: number,
  negative: boolean,
  lang: Lang = 'zh',
): string | null {
  if (!method) return null;
  if (lang === 'en') return describeMethodEn(method, points, negative);
  switch (method.kind) {
    case 'ratio':
      return `完成比例计分：得分 = 分值 ${f(points)} × 完成率（${negative ? '逆向指标：目标值 ÷ 实际值' : '实际值 ÷ 目标值'}），完成率上限 ${pct(method.cap)}${method.floor > 0 ? `，有数据时下限 ${pct(method.floor)}` : ''}`;
    case 'bands': {
      const on = method.on === 'completion' ? '完成率' : '实际值';
      const fmtB = (x: number | null) => (x === null ? '' : method.on === 'completion' ? pct(x) : f(x));
      const bands = method.bands.map(
        (b) =>
          `${b.min === null ? '' : `≥${fmtB(b.min)}`}${b.min !== null && b.max !== null ? ' 且 ' : ''}${b.max === null ? '' : `<${fmtB(b.max)}`} 得 ${f(b.points)} 分`,
      );
      return `区间计分（按${on}）：${bands.join('；')}；不在任何区间得 0 分`;
    }
    case 'increments': {
      const unit = method.deviation === 'absolute' ? '' : '%';
      return `基准加减分：完成目标得 ${f(method.base)} 分；每超过目标 ${f(method.stepPercent)}${unit} 加 ${f(method.stepPoints)} 分，每低于目标 ${f(method.stepPercent)}${unit} 减 ${f(method.stepPointsUnder)} 分（不足一档不计）；得分在 ${f(method.min)}–${f(method.max)} 分之间`;
    }
    case 'rank':
      return `排名计分：同类单位中${negative ? '数值越小' : '数值越大'}排名越前，第 1 名得满分 ${f(points)}，每后退一名减 ${f(method.stepPoints)} 分，最低 ${f(method.minPoints)} 分（并列取较好名次）`;
    case 'benchmark':
      return `标杆值计分：得分 = 分值 ${f(points)} × (实际值 − 基准值 ${f(method.baseline)}) ÷ (标杆值 ${f(method.benchmark)} − 基准值 ${f(method.baseline)})，限于 0–${f(points)} 分`;
    case 'qualitative':
      return `定性评价：${method.grades.map((g) => `${g.label} ${pct(g.share)}`).join('、')} × 分值 ${f(points)}`;
    case 'deduction':
      return points > 0
        ? `扣分：满分 ${f(points)} 分起，每发生一次扣 ${f(method.perOccurrence)} 分，最多扣 ${f(method.maxTotal)} 分，扣完为止`
        : `基础分外扣分：每发生一次扣 ${f(method.perOccurrence)} 分，最多扣 ${f(method.maxTotal)} 分`;
    case 'bonus':
      return `加分：每发生一次加 ${f(method.perOccurrence)} 分，最多加 ${f(method.maxTotal)} 分（计入基础分之外）`;
    case 'veto':
      return method.effect === 'zero_score'
        ? '一票否决：考核期内发生即总分计为 0'
        : `一票否决：考核期内发生即等次最高为「${method.capGrade ?? '最低等次'}」`;
    case 'formula':
      return `自定义公式：${method.expression}（value 为本指标数值，target 为目标值，points 为分值）`;
  }
}

function describeMethodEn(method: TScoringMethod, points: number, negative: boolean): string {
  switch (method.kind) {
    case 'ratio':
      return `Completion ratio: score = ${f(points)} points × completion (${negative ? 'negative indicator: target ÷ actual' : 'actual ÷ target'}), completion capped at ${pct(method.cap)}${method.floor > 0 ? `, at least ${pct(method.floor)} when there is data` : ''}`;
    case 'bands': {
      const on = method.on === 'completion' ? 'completion' : 'the actual value';
      const fmtB = (x: number | null) => (x === null ? '' : method.on === 'completion' ? pct(x) : f(x));
      const bands = method.bands.map(
        (b) =>
          `${b.min === null ? '' : `≥${fmtB(b.min)}`}${b.min !== null && b.max !== null ? ' and ' : ''}${b.max === null ? '' : `<${fmtB(b.max)}`}: ${f(b.points)} points`,
      );
      return `Bands (on ${on}): ${bands.join('; ')}; 0 points outside every band`;
    }
    case 'increments': {
      const unit = method.deviation === 'absolute' ? '' : '%';
      return `Baseline plus increments: ${f(method.base)} points on target; +${f(method.stepPoints)} points for each full ${f(method.stepPercent)}${unit} above the target, −${f(method.stepPointsUnder)} points for each full ${f(method.stepPercent)}${unit} below it (part of a step does not count); the score stays within ${f(method.min)}–${f(method.max)} points`;
    }
    case 'rank':
      return `Rank within category: ${negative ? 'the lower the value' : 'the higher the value'}, the better the place among units of the same category; first place gets the full ${f(points)} points, each place lower ${f(method.stepPoints)} points less, at least ${f(method.minPoints)} points (ties share the better place)`;
    case 'benchmark':
      return `Benchmark: score = ${f(points)} points × (actual − baseline ${f(method.baseline)}) ÷ (benchmark ${f(method.benchmark)} − baseline ${f(method.baseline)}), within 0–${f(points)} points`;
    case 'qualitative':
      return `Qualitative grade: ${method.grades.map((g) => `${g.label} ${pct(g.share)}`).join(', ')} × ${f(points)} points`;
    case 'deduction':
      return points > 0
        ? `Deduction: from the full ${f(points)} points, ${f(method.perOccurrence)} points off per occurrence, at most ${f(method.maxTotal)} points, never below 0`
        : `Deduction outside the base: ${f(method.perOccurrence)} points off per occurrence, at most ${f(method.maxTotal)} points`;
    case 'bonus':
      return `Bonus: ${f(method.perOccurrence)} points per occurrence, at most ${f(method.maxTotal)} points (on top of the base)`;
    case 'veto':
      return method.effect === 'zero_score'
        ? 'Veto: one occurrence in the period sets the total to 0'
        : `Veto: one occurrence in the period means the grade can be no better than "${method.capGrade ?? 'the lowest grade'}"`;
    case 'formula':
      return `Custom formula: ${method.expression} (value is this indicator's value, target its target, points its points)`;
  }
}

function unitRef(meta: ScoringMeta, model: Model, unitId: number) {
  const u = model.unitIndexById.get(unitId)!;
  const mu = meta.units[u];
  return {
    id: mu.id,
    code: mu.code,
    name: mu.name,
    categoryName: meta.categories[model.unitCategory[u]]?.name ?? null,
  };
}

/** Ancestors' names of an indicator, top first. */
function pathOf(meta: ScoringMeta, indicatorId: number): string[] {
  const byId = new Map(meta.indicators.map((n) => [n.id, n]));
  const out: string[] = [];
  for (let n = byId.get(indicatorId); n && n.parentId !== null;) {
    n = byId.get(n.parentId);
    if (n) out.unshift(n.name);
  }
  return out;
}

/** Explains one indicator score of a unit in a window. `provenance` is keyed by the engine's inputKey. */
export function presentExplanation(
  c: Scored,
  q: { unitId: number; indicatorId: number; w: number },
  provenance: ReadonlyMap<string, TProvenance>,
  published: TIndicatorExplanation['published'],
  storedScore?: number,
  lang: Lang = 'zh',
): TIndicatorExplanation {
  const { meta, model, res } = c;
  const e = explain(model, res, { unitId: q.unitId, indicatorId: q.indicatorId, window: q.w }, provenance, lang);
  const i = model.indicatorIndexById.get(q.indicatorId)!;
  const mi = meta.indicators[i];
  const names = new Map(meta.units.map((u) => [u.id, u.name]));
  return {
    kind: 'indicator',
    unit: unitRef(meta, model, q.unitId),
    indicator: {
      id: e.indicator.id,
      code: e.indicator.code,
      name: e.indicator.name,
      path: pathOf(meta, q.indicatorId),
      isLeaf: e.indicator.isLeaf,
      points: e.indicator.points,
      role: e.indicator.role,
      method: e.indicator.method,
      methodName: e.indicator.methodName ? { zh: e.indicator.methodName.zh, en: e.indicator.methodName.en } : null,
      methodText: describeMethod(e.indicator.method, e.indicator.points, e.indicator.direction === 'negative', lang),
      direction: e.indicator.direction,
      aggregate: e.indicator.aggregate,
      prorate: e.indicator.prorate,
      dataSource: e.indicator.dataSource,
      cap: e.indicator.cap,
      unitOfMeasure: mi.unitOfMeasure,
    },
    window: windowRef(meta, model, q.w, lang),
    published,
    score: e.score,
    storedScore: storedScore === undefined ? e.storedScore : num(storedScore),
    status: e.status,
    arithmetic: e.arithmetic,
    steps: e.steps,
    inputs: e.inputs.map((x) => ({
      indicatorId: x.indicatorId,
      indicatorCode: x.indicatorCode,
      field: x.field,
      period: monthKey(meta.year, x.period),
      periodLabel: x.periodLabel,
      value: x.value,
      provenance: x.meta ?? null,
    })),
    value: e.value,
    target: e.target,
    challenge: e.challenge,
    formula: e.formula,
    rank: e.rank
      ? {
          place: e.rank.place,
          of: e.rank.of,
          entries: e.rank.entries.map((x) => ({
            unitId: x.unitId,
            unitName: names.get(x.unitId) ?? x.unitCode ?? String(x.unitId),
            value: x.value,
            place: x.place,
          })),
        }
      : null,
    children: e.children,
  };
}

/** Explains a unit's total in a window, with the accountability deductions behind it. */
export function presentTotal(
  c: Scored,
  q: { unitId: number; w: number },
  deductions: Pick<TDeduction, 'id' | 'period' | 'points' | 'reason' | 'documentNo'>[],
  published: TTotalExplanation['published'],
  lang: Lang = 'zh',
): TTotalExplanation {
  const { meta, model, res } = c;
  const t = explainTotal(model, res, q.unitId, q.w, lang);
  const win = model.windows[q.w];
  const inWindow = deductions.filter((d) => {
    const p = Number(d.period.slice(5)) - 1;
    return Number(d.period.slice(0, 4)) === meta.year && p >= win.start && p <= win.end;
  });
  const steps = [...t.steps];
  if (inWindow.length) {
    const en = lang === 'en';
    const at = steps.findIndex((s) => s.startsWith(en ? ACCOUNTABILITY_EN : '问责扣分'));
    const detail = en
      ? inWindow.map((d) => `${d.period} ${d.reason} (${d.documentNo}) −${f(d.points)}`).join('; ')
      : inWindow.map((d) => `${d.period} ${d.reason}（${d.documentNo}）−${f(d.points)}`).join('；');
    if (at >= 0) steps[at] = en ? `${steps[at]}: ${detail}` : `${steps[at]}：${detail}`;
  }
  return {
    kind: 'total',
    unit: unitRef(meta, model, q.unitId),
    window: windowRef(meta, model, q.w, lang),
    published,
    roots: t.roots,
    base: fin(t.base),
    applicablePoints: fin(t.applicablePoints),
    fullBase: fin(t.fullBase),
    scaledBase: fin(t.scaledBase),
    bonus: fin(t.bonus),
    deduction: fin(t.deduction),
    accountability: fin(t.accountability),
    veto: t.veto,
    total: fin(t.total),
    rank: t.rank,
    of: t.of,
    grade: t.grade,
    missing: t.missing,
    steps,
    arithmetic: t.arithmetic,
    deductions: inWindow.map((d) => ({
      id: d.id,
      period: d.period,
      points: d.points,
      reason: d.reason,
      documentNo: d.documentNo,
    })),
  };
}
