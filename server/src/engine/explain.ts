/**
 * Explanations (得分说明): recompute one number with a trace a unit can check by hand — the inputs
 * used (with their provenance, supplied by the caller), the period aggregation, the target and its
 * pro-rating, the method and its parameters, the formula with values substituted, the arithmetic
 * as a sentence (Chinese, or English with lang 'en'), the children of a node, the places of a ranking.
 *
 * Explanations are computed off the hot path and may allocate freely. Input provenance (who entered
 * a value and when) is not the engine's business: pass a Map keyed by {@link inputKey} and each
 * input in the trace carries its entry as `meta`, untouched.
 */
import type { Lang } from '../lib/errors.js';
import { aggregateUnit, type Results } from './engine.js';
import { fmtNum, traceFormula } from './formula.js';
import {
  competitionRanks,
  explainBands,
  explainBenchmark,
  explainBonus,
  explainDeduction,
  explainIncrements,
  explainQualitative,
  explainRank,
  explainRatio,
  explainVeto,
  type MethodExplanation,
  type MethodStatus,
} from './methods.js';
import { METHOD_NAMES, type DataSource, type TScoringMethod } from './methods.schema.js';
import {
  AGG_LAST,
  AGG_SUM,
  EngineInputError,
  type Aggregate,
  type LeafRole,
  type LeafRt,
  type Model,
  type ScoreWindow,
  periodLabelEn,
} from './model.js';

const f = fmtNum;
const num = (x: number): number | null => (x === x && Number.isFinite(x) ? x : null);

/** Key of an input's provenance entry: indicator, unit, period index and field ('value' for the main value). */
export function inputKey(indicatorId: number, unitId: number, period: number, field = 'value'): string {
  return `${indicatorId}:${unitId}:${period}:${field}`;
}

export type ExplainQuery = { unitId: number; indicatorId: number; window: number };

export type ExplainedInput<M> = {
  /** Indicator the value belongs to (the leaf itself, or another leaf a formula reads). */
  indicatorId: number;
  indicatorCode: string;
  /** 'value' or a form field name. */
  field: string;
  period: number;
  periodLabel: string;
  value: number | null;
  meta?: M;
};

export type ExplainStatus = MethodStatus | 'not_applicable';

export type Explanation<M = unknown> = {
  unit: { id: number; code: string | null; name: string | null; categoryIndex: number; categoryName: string | null };
  indicator: {
    id: number;
    code: string;
    name: string | null;
    isLeaf: boolean;
    points: number;
    role: LeafRole | null;
    method: TScoringMethod | null;
    methodName: { zh: string; en: string } | null;
    direction: 'positive' | 'negative' | null;
    aggregate: Aggregate | null;
    prorate: boolean | null;
    dataSource: DataSource | null;
    cap: number | null;
  };
  window: { index: number; kind: ScoreWindow['kind']; label: string; start: number; end: number };
  /** The recomputed number (null = no score). */
  score: number | null;
  /** The number held in the results, for comparison (they agree unless the results are stale). */
  storedScore: number | null;
  status: ExplainStatus;
  /** The method's arithmetic, one sentence (in the language asked for) ending in the score. */
  arithmetic: string;
  /** Every step in order: aggregation, target, method (and children sums for nodes). */
  steps: string[];
  inputs: ExplainedInput<M>[];
  /** The window's aggregated value the method scored. */
  value: number | null;
  target: { annual: number | null; window: number | null; factor: number } | null;
  challenge: { annual: number | null; window: number | null } | null;
  formula: {
    expression: string;
    substituted: string;
    variables: { name: string; value: number | null }[];
    error: string | null;
  } | null;
  rank: {
    place: number;
    of: number;
    entries: { unitId: number; unitCode: string | null; value: number | null; place: number }[];
  } | null;
  children:
    | {
        id: number;
        code: string;
        name: string | null;
        score: number | null;
        counted: boolean;
        role: LeafRole | 'node';
      }[]
    | null;
};

/** The step of a leaf whose target is not set (a caller may replace it with the reason). */
export const TARGET_NOT_SET = { zh: '目标值：未设定', en: 'Target: not set' } as const;
/** How the accountability step of a total's explanation starts in English ('问责扣分' in Chinese). */
export const ACCOUNTABILITY_EN = 'Accountability deductions';

const AGG_NAMES: Record<Aggregate, string> = { sum: '求和', last: '取最近一期', avg: '平均' };
const AGG_NAMES_EN: Record<Aggregate, string> = { sum: 'sum', last: 'latest period', avg: 'average' };

/** A window's label in a language. */
export function windowLabelIn(window: ScoreWindow, lang: Lang): string {
  return lang === 'en' ? window.labelEn : window.label;
}

function aggregationText(
  values: number[],
  labels: string[],
  aggregate: Aggregate,
  result: number,
  window: ScoreWindow,
  lang: Lang,
): string {
  if (lang === 'en') return aggregationTextEn(values, labels, aggregate, result, window);
  if (window.start === window.end) return `${window.label}数据：${f(values[0])}`;
  const present = values.map((v, k) => ({ v, l: labels[k] })).filter((x) => x.v === x.v);
  if (!present.length) return `${window.label}（${AGG_NAMES[aggregate]}）：各期均无数据`;
  if (aggregate === 'last')
    return `${window.label}（${AGG_NAMES.last}）：取 ${present[present.length - 1].l} 的 ${f(result)}`;
  const sum = present.map((x) => f(x.v)).join(' + ');
  if (aggregate === 'sum') return `${window.label}（求和）：${sum} = ${f(result)}`;
  return `${window.label}（平均）：(${sum}) ÷ ${present.length} = ${f(result)}`;
}

function aggregationTextEn(
  values: number[],
  labels: string[],
  aggregate: Aggregate,
  result: number,
  window: ScoreWindow,
): string {
  const fe = (x: number) => fmtNum(x, 'en');
  const head = `${window.labelEn} (${AGG_NAMES_EN[aggregate]})`;
  if (window.start === window.end) return `Data for ${window.labelEn}: ${fe(values[0])}`;
  const present = values.map((v, k) => ({ v, l: labels[k] })).filter((x) => x.v === x.v);
  if (!present.length) return `${head}: no data in any period`;
  if (aggregate === 'last') return `${head}: ${fe(result)}, from ${present[present.length - 1].l}`;
  const sum = present.map((x) => fe(x.v)).join(' + ');
  if (aggregate === 'sum') return `${head}: ${sum} = ${fe(result)}`;
  return `${head}: (${sum}) ÷ ${present.length} = ${fe(result)}`;
}

function unitInfo(model: Model, u: number) {
  const src = model.input.units[u];
  return {
    id: src.id,
    code: src.code ?? null,
    name: src.name ?? null,
    categoryIndex: src.categoryIndex,
    categoryName: model.input.categoryNames?.[src.categoryIndex] ?? null,
  };
}

function resolve(model: Model, q: ExplainQuery) {
  const u = model.unitIndexById.get(q.unitId);
  if (u === undefined)
    throw new EngineInputError('unitId', `单位 ${q.unitId} 不在本次计分范围内`, `unit ${q.unitId} is not in the model`);
  const i = model.indicatorIndexById.get(q.indicatorId);
  if (i === undefined)
    throw new EngineInputError('indicatorId', `指标 ${q.indicatorId} 不存在`, `unknown indicator ${q.indicatorId}`);
  const window = model.windows[q.window];
  if (!window) throw new EngineInputError('window', '考核期无效', 'invalid window');
  return { u, i, window };
}

/** Aggregated window values of a series for one unit. */
function windowValues(model: Model, values: Float64Array, agg: number, u: number): Float64Array {
  const out = new Float64Array(model.W);
  aggregateUnit(values, u * model.P, model.P, model.W, agg, out, 0);
  return out;
}

/**
 * Explains one unit's score of one indicator (leaf or node) in one window.
 * @param meta optional provenance per input, keyed by {@link inputKey}; passed through as `meta`.
 * @param lang the language of the texts (steps, arithmetic, period and window labels); default Chinese.
 */
export function explain<M = unknown>(
  model: Model,
  res: Results,
  q: ExplainQuery,
  meta?: ReadonlyMap<string, M>,
  lang: Lang = 'zh',
): Explanation<M> {
  const { u, i, window } = resolve(model, q);
  const ind = model.input.indicators[i];
  const lr = model.leaf[i];
  const W = model.W;
  const stored = num(res.scores[i][u * W + window.index]);
  const base: Explanation<M> = {
    unit: unitInfo(model, u),
    indicator: {
      id: ind.id,
      code: ind.code,
      name: ind.name ?? null,
      isLeaf: ind.isLeaf,
      points: ind.points,
      role: lr?.role ?? null,
      method: lr?.method ?? null,
      methodName: lr?.method ? METHOD_NAMES[lr.method.kind] : null,
      direction: lr ? (lr.negative ? 'negative' : 'positive') : null,
      aggregate: lr?.aggregate ?? null,
      prorate: lr?.prorate ?? null,
      dataSource: lr?.dataSource ?? null,
      cap: num(model.caps[i]),
    },
    window: {
      index: window.index,
      kind: window.kind,
      label: windowLabelIn(window, lang),
      start: window.start,
      end: window.end,
    },
    score: null,
    storedScore: stored,
    status: 'ok',
    arithmetic: '',
    steps: [],
    inputs: [],
    value: null,
    target: null,
    challenge: null,
    formula: null,
    rank: null,
    children: null,
  };
  if (!lr) return explainNode(model, res, base, i, u, window, lang);
  return explainLeaf(model, res, base, lr, u, window, lang, meta);
}

function explainNode<M>(
  model: Model,
  res: Results,
  e: Explanation<M>,
  i: number,
  u: number,
  window: ScoreWindow,
  lang: Lang,
): Explanation<M> {
  const en = lang === 'en';
  const f = (x: number) => fmtNum(x, lang);
  const W = model.W;
  const at = u * W + window.index;
  const counted = new Set(model.baseChildren[i]);
  e.children = model.children[i].map((c) => {
    const ci = model.input.indicators[c];
    const clr = model.leaf[c];
    return {
      id: ci.id,
      code: ci.code,
      name: ci.name ?? null,
      score: num(res.scores[c][at]),
      counted: counted.has(c),
      role: clr ? clr.role : ('node' as const),
    };
  });
  // Same order and arithmetic as the engine's sum.
  let sum = 0;
  const terms: string[] = [];
  for (const c of model.baseChildren[i]) {
    const x = res.scores[c][at];
    if (x === x) sum += x;
    terms.push(x === x ? f(x) : en ? '0 (no score)' : '0（无得分）');
  }
  const cap = model.caps[i];
  let score = sum;
  const total = `${terms.length ? terms.join(' + ') : '0'} = ${f(sum)}`;
  let text = en ? `Sum of the sub-indicators: ${total}` : `下级指标合计：${total}`;
  if (cap === cap && sum > cap) {
    score = cap;
    text += en ? `, above the cap ${f(cap)}, counted as ${f(cap)}` : `，超过上限 ${f(cap)}，按 ${f(cap)} 计`;
  }
  const outside = e.children.filter((c) => !c.counted);
  e.steps.push(text);
  if (outside.length && en)
    e.steps.push(
      `Not counted in this sum (kept outside the base): ${outside.map((c) => `${c.code} (${c.role === 'bonus' ? 'bonus' : c.role === 'deduction' ? 'deduction' : 'veto'})`).join(', ')}`,
    );
  else if (outside.length)
    e.steps.push(
      `不计入本项合计（基础分外单列）：${outside.map((c) => `${c.code}${c.role === 'bonus' ? '（加分）' : c.role === 'deduction' ? '（扣分）' : '（一票否决）'}`).join('、')}`,
    );
  e.score = score;
  e.arithmetic = text;
  return e;
}

function explainLeaf<M>(
  model: Model,
  res: Results,
  e: Explanation<M>,
  lr: LeafRt,
  u: number,
  window: ScoreWindow,
  lang: Lang,
  meta?: ReadonlyMap<string, M>,
): Explanation<M> {
  const en = lang === 'en';
  const L = (zh: string, english: string) => (en ? english : zh);
  const f = (x: number) => fmtNum(x, lang);
  const unitId = model.unitIds[u];
  const P = model.P;
  const w = window.index;
  const months: number[] = [];
  for (let p = window.start; p <= window.end; p++) months.push(p);
  const periodLabel = en
    ? (p: number) => model.input.periodLabelsEn?.[p] ?? periodLabelEn(p)
    : (p: number) => model.input.periodLabels?.[p] ?? `${p + 1}月`;
  const inputsOf = (indicatorIndex: number, field: string, values: Float64Array) =>
    months.map((p): ExplainedInput<M> => {
      const id = model.input.indicators[indicatorIndex].id;
      const m = meta?.get(inputKey(id, unitId, p, field));
      return {
        indicatorId: id,
        indicatorCode: model.input.indicators[indicatorIndex].code,
        field,
        period: p,
        periodLabel: periodLabel(p),
        value: num(values[u * P + p]),
        ...(m !== undefined ? { meta: m } : {}),
      };
    });

  if (lr.applies && !lr.applies[u]) {
    e.status = 'not_applicable';
    e.arithmetic = L(
      '该指标不适用于本单位，不计分；本单位总分按适用指标的分值比例折算',
      "This indicator does not apply to this unit and is not scored; the unit's total is scaled to the points of the indicators that apply",
    );
    e.steps.push(e.arithmetic);
    return e;
  }

  const annual = lr.targets[u];
  const factor = lr.tfac[w];
  const t = annual * factor;
  const annualC = lr.challenges[u];
  const c = annualC * factor;
  const usesTarget =
    lr.m.kind === 'ratio' ||
    lr.m.kind === 'increments' ||
    (lr.m.kind === 'bands' && lr.m.p.onCompletion) ||
    (lr.m.kind === 'formula' && lr.m.f.slots.has('target'));
  const targetSteps: string[] = [];
  if (usesTarget) {
    e.target = { annual: num(annual), window: num(t), factor };
    if (annual === annual) {
      targetSteps.push(
        factor === 1
          ? L(`目标值：${f(annual)}`, `Target: ${f(annual)}`)
          : L(
              `目标值：年度目标 ${f(annual)} × ${f(factor * P)}/${P}（按时间进度折算）= ${f(t)}`,
              `Target: annual target ${f(annual)} × ${f(factor * P)}/${P} (pro-rated to the months elapsed) = ${f(t)}`,
            ),
      );
    } else targetSteps.push(L(TARGET_NOT_SET.zh, TARGET_NOT_SET.en));
  }
  if (annualC === annualC && (lr.m.kind === 'ratio' || (lr.m.kind === 'formula' && lr.m.f.slots.has('challenge')))) {
    e.challenge = { annual: num(annualC), window: num(c) };
    targetSteps.push(
      factor === 1
        ? L(`挑战目标：${f(annualC)}`, `Challenge target: ${f(annualC)}`)
        : L(
            `挑战目标：年度 ${f(annualC)} × ${f(factor * P)}/${P} = ${f(c)}`,
            `Challenge target: annual ${f(annualC)} × ${f(factor * P)}/${P} = ${f(c)}`,
          ),
    );
  }

  let mx: MethodExplanation;
  const m = lr.m;
  if (m.kind === 'formula') {
    const vars = new Map<string, number>();
    const shown: { name: string; value: number | null }[] = [];
    m.f.names.forEach((name, k) => {
      const src = m.f.sources[k];
      let v: number;
      if (src.t === 'series') {
        const ownField = name === 'value' || lr.fields.has(name);
        const owner = ownField ? lr.index : model.indicatorIndexByCode.get(name)!;
        const wv = windowValues(model, src.values, src.agg, u);
        v = wv[w];
        const fieldName = name === 'value' || !ownField ? 'value' : name;
        e.inputs.push(...inputsOf(owner, fieldName, src.values));
        const labels = months.map(periodLabel);
        const raw = months.map((p) => src.values[u * P + p]);
        const aggName: Aggregate = src.agg === AGG_SUM ? 'sum' : src.agg === AGG_LAST ? 'last' : 'avg';
        const agg = aggregationText(raw, labels, aggName, v, window, lang);
        e.steps.push(L(`变量 ${name}：${agg}`, `Variable ${name}: ${agg}`));
      } else v = src.t === 'target' ? t : src.t === 'challenge' ? c : lr.points;
      vars.set(name, v);
      shown.push({ name, value: num(v) });
    });
    const slotValues = Float64Array.from(m.f.names, (n) => vars.get(n)!);
    const value = m.f.fn(slotValues);
    const tr = traceFormula(m.f.compiled, vars, lang);
    const err = tr.error ? tr.error[lang] : null;
    e.formula = { expression: m.f.compiled.source, substituted: tr.substituted, variables: shown, error: err };
    let status: MethodStatus = 'ok';
    let text: string;
    const head = L(`自定义公式：${m.f.compiled.source}`, `Custom formula: ${m.f.compiled.source}`);
    if (value === value)
      text = L(
        `${head}；代入：${tr.substituted} = ${f(value)}`,
        `${head}; with the values: ${tr.substituted} = ${f(value)}`,
      );
    else if (err) {
      status = 'invalid';
      text = L(
        `${head}；代入：${tr.substituted}；${err}，不计分`,
        `${head}; with the values: ${tr.substituted}; ${err}, not scored`,
      );
    } else {
      status = 'missing_value';
      const missing = shown.filter((s) => s.value === null).map((s) => s.name);
      text = L(
        `${head}；缺少 ${missing.join('、') || '数据'}，不计分`,
        `${head}; ${missing.join(', ') || 'data'} missing, not scored`,
      );
    }
    mx = { value, status, text };
  } else {
    const wv = windowValues(model, lr.values, lr.agg, u);
    const a = wv[w];
    e.value = num(a);
    e.inputs = inputsOf(lr.index, 'value', lr.values);
    e.steps.push(
      aggregationText(
        months.map((p) => lr.values[u * P + p]),
        months.map(periodLabel),
        lr.aggregate,
        a,
        window,
        lang,
      ),
    );
    switch (m.kind) {
      case 'ratio':
        mx = explainRatio(a, t, lr.points, lr.negative, m.p, c, lang);
        break;
      case 'bands':
        mx = explainBands(a, t, lr.negative, m.p, lang);
        break;
      case 'increments':
        mx = explainIncrements(a, t, lr.negative, m.p, lang);
        break;
      case 'benchmark':
        mx = explainBenchmark(a, lr.points, lr.negative, m.p, lang);
        break;
      case 'qualitative':
        mx = explainQualitative(a, lr.points, m.p, lang);
        break;
      case 'deduction':
        mx = explainDeduction(a, lr.points, m.p, lang);
        break;
      case 'bonus':
        mx = explainBonus(a, m.p, lang);
        break;
      case 'veto': {
        mx = explainVeto(a, m.effect, m.capGrade, lang);
        mx = { ...mx, value: a >= 1 ? 1 : 0 };
        break;
      }
      case 'rank': {
        const members = model.categoryUnits[model.unitCategory[u]];
        const vals = Array.from(members, (uu) =>
          lr.applies && !lr.applies[uu] ? NaN : windowValues(model, lr.values, lr.agg, uu)[w],
        );
        const places = competitionRanks(vals, !lr.negative);
        const k = members.indexOf(u);
        const ranked = vals.filter((v) => v === v).length;
        mx = explainRank(places[k], ranked, a, lr.points, lr.negative, m.p, lang);
        e.rank = {
          place: places[k],
          of: ranked,
          entries: Array.from(members, (uu, j) => ({
            unitId: model.unitIds[uu],
            unitCode: model.input.units[uu].code ?? null,
            value: num(vals[j]),
            place: places[j],
          }))
            .filter((x) => x.place > 0)
            .sort((x, y) => x.place - y.place || x.unitId - y.unitId),
        };
        break;
      }
      case 'none':
        mx = {
          value: NaN,
          status: 'invalid',
          text: L('尚未配置计分方法，不计分', 'No scoring method has been set, not scored'),
        };
        break;
    }
  }
  e.score = num(mx.value);
  e.status = mx.status;
  e.arithmetic = mx.text;
  e.steps.push(...targetSteps, mx.text);
  if (lr.role === 'bonus')
    e.steps.push(L('加分项：计入基础分之外的加分', 'Bonus item: added on top of the base score'));
  if (lr.role === 'deduction')
    e.steps.push(
      L('扣分项：从总分中扣减（基础分之外）', 'Deduction item: subtracted from the total (outside the base)'),
    );
  return e;
}

/** Explains a unit's total in a window: base, rescaling, bonus, deductions, accountability, veto, place and grade. */
export function explainTotal(model: Model, res: Results, unitId: number, window: number, lang: Lang = 'zh') {
  const u = model.unitIndexById.get(unitId);
  if (u === undefined)
    throw new EngineInputError('unitId', `单位 ${unitId} 不在本次计分范围内`, `unit ${unitId} is not in the model`);
  const win = model.windows[window];
  if (!win) throw new EngineInputError('window', '考核期无效', 'invalid window');
  const L = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const f = (x: number) => fmtNum(x, lang);
  const i = u * model.W + window;
  const steps: string[] = [];
  const roots = model.roots.map((r) => ({
    id: model.input.indicators[r].id,
    code: model.input.indicators[r].code,
    name: model.input.indicators[r].name ?? null,
    score: num(res.scores[r][i]),
  }));
  const baseSum = `${roots.map((r) => `${r.name ?? r.code} ${r.score === null ? '0' : f(r.score)}`).join(' + ') || '0'} = ${f(res.base[i])}`;
  steps.push(L(`基础得分：${baseSum}`, `Base score: ${baseSum}`));
  const scale = model.scale[u];
  if (scale !== 1) {
    steps.push(
      L(
        `不适用指标按比例折算：${f(res.base[i])} × ${f(model.fullBase)} ÷ 适用分值 ${f(model.applicablePoints[u])} = ${f(res.scaledBase[i])}`,
        `Scaled for the indicators that do not apply: ${f(res.base[i])} × ${f(model.fullBase)} ÷ applicable points ${f(model.applicablePoints[u])} = ${f(res.scaledBase[i])}`,
      ),
    );
  }
  if (res.bonus[i]) {
    const limit = model.bonusCap < Infinity ? L(`（上限 ${f(model.bonusCap)}）`, ` (limit ${f(model.bonusCap)})`) : '';
    steps.push(L(`加分：+${f(res.bonus[i])}${limit}`, `Bonus: +${f(res.bonus[i])}${limit}`));
  }
  if (res.deduction[i]) {
    const limit =
      model.deductionCap < Infinity ? L(`（上限 ${f(model.deductionCap)}）`, ` (limit ${f(model.deductionCap)})`) : '';
    steps.push(L(`扣分：−${f(res.deduction[i])}${limit}`, `Deductions: −${f(res.deduction[i])}${limit}`));
  }
  if (res.accountability[i])
    steps.push(L(`问责扣分：−${f(res.accountability[i])}`, `${ACCOUNTABILITY_EN}: −${f(res.accountability[i])}`));
  const sumText = `${f(res.scaledBase[i])}${res.bonus[i] ? ` + ${f(res.bonus[i])}` : ''}${res.deduction[i] ? ` − ${f(res.deduction[i])}` : ''}${res.accountability[i] ? ` − ${f(res.accountability[i])}` : ''}`;
  const arithmetic =
    res.veto[i] === 2
      ? L(`一票否决：总分计为 0（否决前 ${sumText}）`, `Veto: the total is set to 0 (before the veto: ${sumText})`)
      : L(`总分：${sumText} = ${f(res.total[i])}`, `Total: ${sumText} = ${f(res.total[i])}`);
  steps.push(arithmetic);
  const grade = model.gradeRule.grades[res.grade[i]]?.label ?? null;
  if (res.veto[i] === 1) {
    const cap = model.gradeRule.grades[res.gradeCap[i]]?.label ?? '';
    steps.push(L(`一票否决：等次最高为「${cap}」`, `Veto: the grade can be no better than "${cap}"`));
  }
  const of = model.categoryUnits[model.unitCategory[u]].length;
  steps.push(
    L(
      `同类 ${of} 个单位中排第 ${res.rank[i]} 名，等次「${grade ?? ''}」`,
      `Place ${res.rank[i]} of ${of} ${of === 1 ? 'unit' : 'units'} in the category, grade "${grade ?? ''}"`,
    ),
  );
  return {
    unit: unitInfo(model, u),
    window: { index: win.index, kind: win.kind, label: windowLabelIn(win, lang), start: win.start, end: win.end },
    roots,
    base: res.base[i],
    applicablePoints: model.applicablePoints[u],
    fullBase: model.fullBase,
    scaledBase: res.scaledBase[i],
    bonus: res.bonus[i],
    deduction: res.deduction[i],
    accountability: res.accountability[i],
    veto: res.veto[i] === 2 ? ('zero_score' as const) : res.veto[i] === 1 ? ('cap_grade' as const) : null,
    total: res.total[i],
    rank: res.rank[i],
    of,
    grade,
    missing: res.missing[i],
    steps,
    arithmetic,
  };
}
