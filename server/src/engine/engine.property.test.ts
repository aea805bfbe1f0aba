/**
 * Property tests of the engine over random models (seeded, reproducible):
 * - every leaf score is its method's pure function applied to a naively aggregated window value
 *   (this checks the engine's fast paths and aggregation against methods.ts);
 * - node = capped sum of its counted children; unit total = scaled base + bonus − deductions −
 *   accountability, veto applied; missing counts, ranks and grades follow their rules;
 * - incremental updates give exactly what a full recompute gives;
 * - explanations recompute exactly the stored numbers.
 */
import { describe, expect, it } from 'vitest';
import { applyChange, computeAll, type InputChange, type Results } from './engine.js';
import { explain } from './explain.js';
import { FormulaError } from './formula.js';
import {
  competitionRanks,
  rankPoints,
  scoreBands,
  scoreBenchmark,
  scoreBonus,
  scoreDeduction,
  scoreIncrements,
  scoreQualitative,
  scoreRatio,
} from './methods.js';
import type { TScoringMethod } from './methods.schema.js';
import { buildModel, type Aggregate, type IndicatorInput, type Model, type ModelInput } from './model.js';
import { rng, type Rng } from './random.js';

function randomMethod(r: Rng): TScoringMethod | null {
  switch (r.int(0, 10)) {
    case 0:
      return r.chance(0.3) ? null : { kind: 'ratio', cap: r.pick([1, 1.2, 2]), floor: r.pick([0, 0, 0.3]) };
    case 1:
      return { kind: 'ratio', cap: r.pick([1, 1.2]), floor: r.pick([0, 0.5]) };
    case 2: {
      const on = r.pick(['value', 'completion'] as const);
      const k = r.int(1, 12);
      const scale = on === 'completion' ? 0.2 : 40;
      const bands = Array.from({ length: k }, () => {
        const a = r.chance(0.2) ? null : Math.round(r.real(-1, 8) * scale * 10) / 10;
        const b = r.chance(0.2)
          ? null
          : a === null
            ? Math.round(r.real(0, 8) * scale * 10) / 10
            : a + Math.round(r.real(0, 3) * scale * 10) / 10;
        return { min: a, max: b, points: r.pick([0, 1, 2.5, 4]) };
      });
      return { kind: 'bands', on, bands };
    }
    case 3:
      return {
        kind: 'increments',
        base: r.pick([3, 6]),
        stepPercent: r.pick([1, 5, 10]),
        stepPoints: r.pick([0, 0.5, 1]),
        stepPointsUnder: r.pick([0, 0.5, 1]),
        min: r.pick([0, 1]),
        max: r.pick([6, 8]),
        deviation: r.pick(['relative', 'relative', 'absolute'] as const),
      };
    case 4:
      return { kind: 'rank', stepPoints: r.pick([0, 0.5, 1, 3]), minPoints: r.pick([0, 1, 2]) };
    case 5:
      return r.chance(0.5)
        ? { kind: 'benchmark', baseline: 20, benchmark: 120 }
        : { kind: 'benchmark', baseline: 100, benchmark: r.pick([100, 10]) };
    case 6:
      return {
        kind: 'qualitative',
        grades: [
          { label: '优', share: 1 },
          { label: '良', share: 0.8 },
          { label: '中', share: 0.6 },
        ],
      };
    case 7:
      return { kind: 'deduction', perOccurrence: r.pick([0.5, 1]), maxTotal: r.pick([1, 3, 10]) };
    case 8:
      return { kind: 'bonus', perOccurrence: r.pick([0.5, 1]), maxTotal: r.pick([1, 2]) };
    case 9:
      return r.chance(0.5)
        ? { kind: 'veto', effect: 'zero_score' }
        : { kind: 'veto', effect: 'cap_grade', capGrade: r.pick(['良好', '达标', '不存在']) };
    default:
      return { kind: 'formula', expression: 'PLACEHOLDER' };
  }
}

const FORMULAS = [
  'min(value / target * points, points)',
  'if(value >= target, points, points * value / target)',
  'ifnull(f1 / f2, 0) * points',
  'round((f1 + f2) / 2, 2) + challenge * 0',
  'OTHER / (value - 10) * points',
  'max(OTHER, value) - min(f1, 3, target)',
  'avg(value, OTHER) > target and not f1 < 0',
  'sum(value, f1, f2) % 7 ^ 0.5',
];

function randomInput(r: Rng): ModelInput {
  const P = r.pick([12, 12, 12, 6, 1]);
  const U = r.chance(0.3) ? r.int(33, 90) : r.int(2, 24);
  const C = r.int(1, 4);
  const units = Array.from({ length: U }, (_, u) => ({ id: 1000 + u, code: `U${u}`, categoryIndex: r.int(0, C - 1) }));
  const indicators: IndicatorInput[] = [];
  const randomValues = (kind: string | undefined) =>
    Float64Array.from({ length: U * P }, () => {
      if (r.chance(0.15)) return NaN;
      if (kind === 'qualitative') return r.chance(0.1) ? r.pick([3, -1, 0.5]) : r.int(0, 2);
      if (kind === 'deduction' || kind === 'bonus' || kind === 'veto') return r.chance(0.8) ? 0 : r.int(1, 3);
      if (r.chance(0.05)) return 0;
      if (r.chance(0.05)) return -r.int(1, 20);
      return r.chance(0.3) ? r.int(0, 40) : Math.round(r.real(0, 60) * 100) / 100;
    });
  const node = (parentIndex: number, depth: number) => {
    const isLeaf = depth >= 1 && (depth >= 3 || r.chance(0.45));
    const i = indicators.length;
    const code = `I${i}`;
    if (!isLeaf) {
      indicators.push({
        id: 500 + i,
        code,
        parentIndex,
        points: 30,
        isLeaf: false,
        cap: r.chance(0.3) ? r.pick([3, 10, 25]) : null,
        applies: r.chance(0.15) ? Uint8Array.from(units, () => (r.chance(0.8) ? 1 : 0)) : null,
      });
      const k = r.int(1, 4);
      for (let c = 0; c < k; c++) node(i, depth + 1);
      return;
    }
    const method = randomMethod(r);
    const occurrence =
      method?.kind === 'bonus' || method?.kind === 'veto' || (method?.kind === 'deduction' && r.chance(0.5));
    const aggregate: Aggregate = r.pick(['sum', 'last', 'avg']);
    indicators.push({
      id: 500 + i,
      code,
      name: `指标${i}`,
      parentIndex,
      points: occurrence ? 0 : r.pick([1, 2.5, 5, 10]),
      isLeaf: true,
      method,
      direction: r.chance(0.3) ? 'negative' : 'positive',
      aggregate: r.chance(0.2) ? undefined : aggregate,
      prorate: r.chance(0.5) ? undefined : r.chance(0.5),
      applies: r.chance(0.25) ? Uint8Array.from(units, () => (r.chance(0.7) ? 1 : 0)) : null,
      values: r.chance(0.05) ? null : randomValues(method?.kind),
      targets: r.chance(0.05)
        ? null
        : Float64Array.from(units, () =>
            r.chance(0.1) ? NaN : r.chance(0.05) ? 0 : r.chance(0.03) ? -5 : r.int(1, 80),
          ),
      challenges: r.chance(0.3) ? Float64Array.from(units, () => (r.chance(0.3) ? NaN : r.int(1, 120))) : null,
    });
  };
  const roots = r.int(1, 3);
  for (let k = 0; k < roots; k++) node(-1, 0);
  const leafCodes = indicators.filter((x) => x.isLeaf).map((x) => x.code);
  for (const ind of indicators) {
    if (ind.method?.kind !== 'formula') continue;
    ind.method = { kind: 'formula', expression: r.pick(FORMULAS).replace(/OTHER/g, r.pick(leafCodes)) };
    ind.fields = [
      { name: 'f1', values: randomValues(undefined) },
      { name: 'f2', values: randomValues(undefined), aggregate: r.pick(['sum', 'last', 'avg'] as const) },
    ];
  }
  const byShare = r.chance(0.4);
  return {
    periods: P,
    units,
    categoryCount: C,
    indicators,
    accountability: r.chance(0.5)
      ? Float64Array.from({ length: U * P }, () => (r.chance(0.05) ? r.pick([0.5, 1, 2]) : r.chance(0.1) ? NaN : 0))
      : null,
    lastYearTotals: r.chance(0.7) ? Float64Array.from(units, () => (r.chance(0.2) ? NaN : r.int(40, 100))) : null,
    gradeRule: byShare
      ? {
          by: 'share',
          grades: [
            { label: '优秀', threshold: 0.3 },
            { label: '良好', threshold: 0.7 },
            { label: '达标', threshold: 1 },
          ],
        }
      : {
          by: 'threshold',
          grades: [
            { label: '优秀', threshold: 90 },
            { label: '良好', threshold: 50 },
            { label: '达标', threshold: 20 },
            { label: '不达标', threshold: -1e9 },
          ],
        },
    options: {
      rescaleInapplicable: r.chance(0.7),
      fullBase: r.pick([100, 50]),
      bonusCap: r.chance(0.5) ? r.pick([1, 3]) : null,
      deductionCap: r.chance(0.5) ? r.pick([1, 3]) : null,
      spanWindows: r.chance(0.8),
    },
  };
}

/** Naive window aggregation, written independently of the engine's. */
function naiveAggregate(
  values: Float64Array,
  u: number,
  P: number,
  start: number,
  end: number,
  agg: Aggregate,
): number {
  let sum = 0;
  let cnt = 0;
  let last = NaN;
  for (let p = start; p <= end; p++) {
    const v = values[u * P + p];
    if (Number.isNaN(v)) continue;
    sum += v;
    cnt++;
    last = v;
  }
  if (!cnt) return NaN;
  return agg === 'sum' ? sum : agg === 'last' ? last : sum / cnt;
}

const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

function expectSame(actual: number, expected: number, what: string) {
  if (!same(actual, expected)) expect.fail(`${what}: engine ${actual}, expected ${expected}`);
}

function expectClose(actual: number, expected: number, what: string) {
  if (!(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected))))
    expect.fail(`${what}: engine ${actual}, expected ${expected}`);
}

function checkLeaves(model: Model, res: Results) {
  const { U, P, W } = model;
  for (const i of model.leaves) {
    const lr = model.leaf[i]!;
    const ind = model.input.indicators[i];
    for (const win of model.windows) {
      const w = win.index;
      const prorateFactor = !lr.prorate
        ? 1
        : lr.aggregate === 'sum'
          ? (win.end - win.start + 1) / P
          : lr.aggregate === 'last'
            ? (win.end + 1) / P
            : 1;
      expect(lr.tfac[w]).toBe(prorateFactor);
      const memberValues = (u: number) => naiveAggregate(lr.values, u, P, win.start, win.end, lr.aggregate);
      let places: Int32Array | null = null;
      let members: Int32Array | null = null;
      for (let u = 0; u < U; u++) {
        const got = res.scores[i][u * W + w];
        const what = `leaf ${ind.code} (${lr.m.kind}) unit ${u} window ${win.label}`;
        if (lr.applies && !lr.applies[u]) {
          expectSame(got, NaN, what);
          continue;
        }
        const a = memberValues(u);
        const t = lr.targets[u] * prorateFactor;
        const c = lr.challenges[u] * prorateFactor;
        let want: number;
        const m = lr.m;
        switch (m.kind) {
          case 'ratio':
            want = scoreRatio(a, t, lr.points, lr.negative, m.p, c);
            break;
          case 'bands':
            want = scoreBands(a, t, lr.negative, m.p);
            break;
          case 'increments':
            want = scoreIncrements(a, t, lr.negative, m.p);
            break;
          case 'benchmark':
            want = scoreBenchmark(a, lr.points, lr.negative, m.p);
            break;
          case 'qualitative':
            want = scoreQualitative(a, lr.points, m.p);
            break;
          case 'deduction':
            want = scoreDeduction(a, lr.points, m.p);
            break;
          case 'bonus':
            want = scoreBonus(a, m.p);
            break;
          case 'veto':
            want = a >= 1 ? 1 : 0;
            break;
          case 'rank': {
            if (!members || model.unitCategory[members[0]] !== model.unitCategory[u]) {
              members = model.categoryUnits[model.unitCategory[u]];
              places = competitionRanks(
                Array.from(members, (uu) => (lr.applies && !lr.applies[uu] ? NaN : memberValues(uu))),
                !lr.negative,
              );
            }
            want = rankPoints(places![members.indexOf(u)], lr.points, m.p);
            break;
          }
          case 'formula': {
            const vars = new Map<string, number>();
            m.f.names.forEach((name, k) => {
              const src = m.f.sources[k];
              if (src.t === 'target') vars.set(name, t);
              else if (src.t === 'challenge') vars.set(name, c);
              else if (src.t === 'points') vars.set(name, lr.points);
              else {
                const agg: Aggregate = src.agg === 0 ? 'sum' : src.agg === 1 ? 'last' : 'avg';
                vars.set(name, naiveAggregate(src.values, u, P, win.start, win.end, agg));
              }
            });
            try {
              want = m.f.compiled.evaluate(vars);
            } catch (e) {
              if (!(e instanceof FormulaError)) throw e;
              want = NaN;
            }
            break;
          }
          case 'none':
            want = NaN;
            break;
        }
        expectSame(got, want, what);
      }
    }
  }
}

function checkAggregates(model: Model, res: Results) {
  const { U, P, W } = model;
  const inds = model.input.indicators;
  for (const node of model.nodeOrder) {
    for (let x = 0; x < U * W; x++) {
      let sum = 0;
      for (const c of model.children[node]) {
        const lr = model.leaf[c];
        if (lr && lr.role !== 'base') continue;
        const v = res.scores[c][x];
        if (!Number.isNaN(v)) sum += v;
      }
      const cap = inds[node].cap;
      expectClose(res.scores[node][x], cap != null && sum > cap ? cap : sum, `node ${inds[node].code} at ${x}`);
    }
  }
  for (let u = 0; u < U; u++) {
    for (const win of model.windows) {
      const x = u * W + win.index;
      const what = `unit ${u} window ${win.label}`;
      let base = 0;
      let bonus = 0;
      let deduction = 0;
      let missing = 0;
      let veto = 0;
      let cap = -1;
      inds.forEach((ind, i) => {
        const lr = model.leaf[i];
        const v = res.scores[i][x];
        if (ind.parentIndex === -1 && (!lr || lr.role === 'base') && !Number.isNaN(v)) base += v;
        if (!lr) return;
        const applies = !lr.applies || lr.applies[u];
        if (lr.role === 'base' && applies && Number.isNaN(v)) missing++;
        if (lr.role === 'bonus' && !Number.isNaN(v)) bonus += v;
        if (lr.role === 'deduction' && !Number.isNaN(v)) deduction -= v;
        if (lr.m.kind === 'veto' && v === 1) {
          if (lr.m.effect === 'zero_score') veto = 2;
          else {
            veto = Math.max(veto, 1);
            cap = Math.max(cap, lr.m.capIndex);
          }
        }
      });
      bonus = Math.min(bonus, model.bonusCap);
      deduction = Math.min(deduction, model.deductionCap);
      const acc = naiveAggregate(model.accountability, u, P, win.start, win.end, 'sum');
      const accountability = Number.isNaN(acc) || acc < 0 ? 0 : acc;
      expectClose(res.base[x], base, `${what} base`);
      expectClose(res.bonus[x], bonus, `${what} bonus`);
      expectClose(res.deduction[x], deduction, `${what} deduction`);
      expectClose(res.accountability[x], accountability, `${what} accountability`);
      expect(res.missing[x]).toBe(missing);
      expect(res.veto[x]).toBe(veto);
      expect(res.gradeCap[x]).toBe(cap);
      const total =
        veto === 2 ? 0 : res.base[x] * model.scale[u] + res.bonus[x] - res.deduction[x] - res.accountability[x];
      expectClose(res.total[x], total, `${what} total`);
      // Sum of the parts, from the leaves up: Σ leaves → nodes → total.
      if (veto !== 2 && model.caps.every((c) => Number.isNaN(c))) {
        let leafSum = 0;
        for (const i of model.leaves) {
          const v = res.scores[i][x];
          if (model.leaf[i]!.role === 'base' && !Number.isNaN(v)) leafSum += v;
        }
        expectClose(
          res.total[x],
          leafSum * model.scale[u] + res.bonus[x] - res.deduction[x] - res.accountability[x],
          `${what} Σ leaves`,
        );
      }
    }
  }
  for (let c = 0; c < model.C; c++) {
    const members = model.categoryUnits[c];
    for (const win of model.windows) {
      const totals = Array.from(members, (u) => res.total[u * W + win.index]);
      const places = competitionRanks(totals, true);
      members.forEach((u, k) => {
        const x = u * W + win.index;
        expect(res.rank[x]).toBe(places[k]);
        const grades = model.gradeRule.grades;
        let g = grades.length - 1;
        if (model.gradeRule.by === 'threshold')
          g = Math.max(
            0,
            grades.findIndex((gr) => totals[k] >= gr.threshold),
          );
        else {
          const j = grades.findIndex((gr) => places[k] <= Math.floor(gr.threshold * members.length + 1e-9));
          if (j >= 0) g = j;
        }
        if (model.gradeRule.by === 'threshold' && grades.findIndex((gr) => totals[k] >= gr.threshold) < 0)
          g = grades.length - 1;
        if (res.gradeCap[x] >= 0) g = Math.max(g, res.gradeCap[x]);
        expect(res.grade[x]).toBe(g);
      });
    }
  }
}

function expectResultsEqual(a: Results, b: Results, context: string) {
  const keys = [
    'base',
    'scaledBase',
    'bonus',
    'deduction',
    'accountability',
    'total',
    'veto',
    'gradeCap',
    'missing',
    'rank',
    'grade',
    'improvement',
    'improvementRank',
  ] as const;
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    for (let i = 0; i < x.length; i++)
      if (!same(x[i], y[i])) expect.fail(`${context}: ${k}[${i}] incremental ${x[i]} ≠ full ${y[i]}`);
  }
  a.scores.forEach((s, j) => {
    for (let i = 0; i < s.length; i++)
      if (!same(s[i], b.scores[j][i]))
        expect.fail(`${context}: scores[${j}][${i}] incremental ${s[i]} ≠ full ${b.scores[j][i]}`);
  });
}

function randomChange(r: Rng, model: Model): InputChange {
  const unitId = model.unitIds[r.int(0, model.U - 1)];
  const leafId = model.input.indicators[r.pick(model.leaves)].id;
  const value = r.chance(0.15) ? null : r.chance(0.5) ? r.int(0, 3) : Math.round(r.real(-5, 80) * 10) / 10;
  switch (r.int(0, 5)) {
    case 0:
      return {
        kind: 'target',
        indicatorId: leafId,
        unitId,
        target: r.chance(0.1) ? null : r.int(0, 80),
        ...(r.chance(0.5) ? { challenge: r.chance(0.3) ? null : r.int(0, 120) } : {}),
      };
    case 1:
      return {
        kind: 'accountability',
        unitId,
        period: r.int(0, model.P - 1),
        value: r.chance(0.3) ? null : r.pick([0, 1, 2.5]),
      };
    case 2: {
      const i = model.indicatorIndexById.get(leafId)!;
      const fields = [...model.leaf[i]!.fields.keys()];
      return {
        kind: 'value',
        indicatorId: leafId,
        unitId,
        period: r.int(0, model.P - 1),
        value,
        ...(fields.length ? { field: r.pick(fields) } : {}),
      };
    }
    default: {
      // Bias towards ranked and formula-referenced leaves, where incremental updates spread furthest.
      const special = model.leaves.filter((i) => model.leaf[i]!.m.kind === 'rank' || model.dependents[i].length);
      const i = special.length && r.chance(0.5) ? r.pick(special) : r.pick(model.leaves);
      return { kind: 'value', indicatorId: model.input.indicators[i].id, unitId, period: r.int(0, model.P - 1), value };
    }
  }
}

describe('engine properties over random models', () => {
  const SEEDS = Array.from({ length: 40 }, (_, k) => 1000 + k);

  it.each(SEEDS)('seed %i: leaves follow their methods; nodes, totals, ranks and grades add up', (seed) => {
    const model = buildModel(randomInput(rng(seed)));
    const res = computeAll(model);
    checkLeaves(model, res);
    checkAggregates(model, res);
  });

  it.each(SEEDS)('seed %i: incremental recompute equals full recompute after random single changes', (seed) => {
    const r = rng(seed * 7 + 1);
    const model = buildModel(randomInput(rng(seed)));
    const res = computeAll(model);
    for (let k = 0; k < 25; k++) {
      const change = randomChange(r, model);
      applyChange(model, res, change);
      expectResultsEqual(res, computeAll(model), `seed ${seed} change ${k} ${JSON.stringify(change)}`);
    }
    checkLeaves(model, res);
    checkAggregates(model, res);
  });

  it.each(SEEDS.slice(0, 15))('seed %i: explanations recompute the stored numbers', (seed) => {
    const r = rng(seed * 13 + 5);
    const model = buildModel(randomInput(rng(seed)));
    const res = computeAll(model);
    for (let k = 0; k < 60; k++) {
      const u = r.int(0, model.U - 1);
      const i = r.int(0, model.input.indicators.length - 1);
      const w = r.int(0, model.W - 1);
      const e = explain(model, res, { unitId: model.unitIds[u], indicatorId: model.input.indicators[i].id, window: w });
      const stored = res.scores[i][u * model.W + w];
      const v = e.score ?? NaN;
      if (!same(v, stored))
        expect.fail(
          `seed ${seed}: explain ${model.input.indicators[i].code} unit ${u} window ${w}: ${v} ≠ stored ${stored} (${e.arithmetic})`,
        );
      expect(e.arithmetic.length).toBeGreaterThan(0);
      if (e.score !== null && model.leaf[i] && model.leaf[i]!.role !== 'veto') expect(e.status).toBe('ok');
    }
  });
});
