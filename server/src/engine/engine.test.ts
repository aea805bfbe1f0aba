import { describe, expect, it } from 'vitest';
import { applyChange, computeAll, scoreOf, unitSummary } from './engine.js';
import { explain, explainTotal, inputKey } from './explain.js';
import { buildModel, EngineInputError, windowIndex, type IndicatorInput, type ModelInput } from './model.js';

const P = 12;
const U = 4;
const NA = NaN;

/** Monthly values [unit * P + period] from a function of (unit, period). */
const series = (f: (u: number, p: number) => number) => {
  const a = new Float64Array(U * P);
  for (let u = 0; u < U; u++) for (let p = 0; p < P; p++) a[u * P + p] = f(u, p);
  return a;
};
const perUnit = (...xs: number[]) => Float64Array.from(xs);
const at = (u: number, p: number, v: number) => (uu: number, pp: number) => (uu === u && pp === p ? v : 0);

/**
 * The worked example of the tests (year window, by hand):
 *   U1: A = min(48 + 20, 60) = 60, B = 15 + 20 = 35, base 95, bonus 2, accountability 1.5 → 95.5 优秀
 *   U2: A = 35.2 + 12 = 47.2, B = 20 + 16 = 36, base 83.2, bonus min(5, 3) = 3 → 86.2, veto caps to 达标
 *   U3: A = 0 (missing) + 20, B = 15 + 12 = 27, base 47, deduction 2 → 45 不达标
 *   U4: L3 does not apply: A = 48 + 0, B = 20, base 68 × 100/80 = 85, vetoed to 0
 */
function example(): ModelInput {
  const indicators: IndicatorInput[] = [
    { id: 1, code: 'A', name: '履职效率', parentIndex: -1, points: 60, isLeaf: false, cap: 60 },
    { id: 2, code: 'A1', name: '职责任务', parentIndex: 0, points: 60, isLeaf: false },
    {
      id: 3,
      code: 'L1',
      name: '项目完成数',
      parentIndex: 1,
      points: 40,
      isLeaf: true,
      method: { kind: 'ratio', cap: 1.2, floor: 0 },
      aggregate: 'sum',
      values: series((u, p) => [10, p === 2 ? NA : 8, NA, 12][u]),
      targets: perUnit(100, 100, 100, 120),
    },
    {
      id: 4,
      code: 'L2',
      name: '达标率',
      parentIndex: 1,
      points: 20,
      isLeaf: true,
      method: {
        kind: 'bands',
        on: 'value',
        bands: [
          { min: 90, max: null, points: 20 },
          { min: 60, max: 90, points: 12 },
          { min: null, max: 60, points: 0 },
        ],
      },
      aggregate: 'last',
      values: series((u, p) => [95, p < 6 ? 60 : 75, 95, 50][u]),
    },
    { id: 5, code: 'B', name: '服务效果', parentIndex: -1, points: 40, isLeaf: false },
    {
      id: 6,
      code: 'L3',
      name: '满意度排名',
      parentIndex: 4,
      points: 20,
      isLeaf: true,
      method: { kind: 'rank', stepPoints: 5, minPoints: 0 },
      aggregate: 'avg',
      applies: Uint8Array.of(1, 1, 1, 0),
      values: series((u) => [80, 90, 80, 99][u]),
    },
    {
      id: 7,
      code: 'L4',
      name: '领导评价',
      parentIndex: 4,
      points: 20,
      isLeaf: true,
      method: {
        kind: 'qualitative',
        grades: [
          { label: '优秀', share: 1 },
          { label: '良好', share: 0.8 },
          { label: '一般', share: 0.6 },
        ],
      },
      values: series((u, p) => (p === 11 ? [0, 1, 2, 0][u] : NA)),
    },
    { id: 8, code: 'C', name: '加扣分', parentIndex: -1, points: 0, isLeaf: false },
    {
      id: 9,
      code: 'L5',
      parentIndex: 7,
      points: 0,
      isLeaf: true,
      method: { kind: 'bonus', perOccurrence: 1, maxTotal: 3 },
      values: series((u, p) => (p === 2 ? [2, 5, 0, 0][u] : 0)),
    },
    {
      id: 10,
      code: 'L6',
      parentIndex: 7,
      points: 0,
      isLeaf: true,
      method: { kind: 'deduction', perOccurrence: 2, maxTotal: 10 },
      values: series(at(2, 4, 1)),
    },
    {
      id: 11,
      code: 'L7',
      parentIndex: 7,
      points: 0,
      isLeaf: true,
      method: { kind: 'veto', effect: 'cap_grade', capGrade: '达标' },
      values: series(at(1, 5, 1)),
    },
    {
      id: 12,
      code: 'L8',
      parentIndex: 7,
      points: 0,
      isLeaf: true,
      method: { kind: 'veto', effect: 'zero_score' },
      values: series(at(3, 11, 1)),
    },
  ];
  return {
    periods: P,
    units: [
      { id: 101, code: 'U1', name: '单位一', categoryIndex: 0 },
      { id: 102, code: 'U2', name: '单位二', categoryIndex: 0 },
      { id: 103, code: 'U3', name: '单位三', categoryIndex: 0 },
      { id: 104, code: 'U4', name: '单位四', categoryIndex: 1 },
    ],
    categoryNames: ['面向企业', '面向群众'],
    indicators,
    accountability: series(at(0, 1, 1.5)),
    lastYearTotals: perUnit(90, 80, NA, 10),
    gradeRule: {
      by: 'threshold',
      grades: [
        { label: '优秀', threshold: 90 },
        { label: '良好', threshold: 80 },
        { label: '达标', threshold: 60 },
        { label: '不达标', threshold: -1000 },
      ],
    },
  };
}

describe('engine: the worked example', () => {
  const model = buildModel(example());
  const res = computeAll(model);
  const Y = model.yearWindow;
  const s = (unitId: number, indicatorId: number, w = Y) => scoreOf(model, res, unitId, indicatorId, w);

  it('lays out 30 windows for 12 months', () => {
    expect(model.W).toBe(30);
    expect(model.windows[Y]).toMatchObject({ kind: 'ytd', label: '全年', start: 0, end: 11 });
    expect(model.windows[windowIndex(model, 'quarter', 0)]).toMatchObject({ label: '第一季度', start: 0, end: 2 });
    expect(model.windows[windowIndex(model, 'half', 1)]).toMatchObject({ label: '下半年', start: 6, end: 11 });
    expect(model.windows[windowIndex(model, 'ytd', 2)].label).toBe('1月至3月累计');
    expect(buildModel({ ...example(), options: { spanWindows: false } }).W).toBe(24);
  });

  it('scores leaves per window with aggregation and pro-rated targets', () => {
    expect(s(101, 3)).toBeCloseTo(48, 12);
    expect(s(102, 3)).toBeCloseTo(35.2, 12);
    expect(s(103, 3)).toBeNaN();
    // Q1 of U2: 8 + 8 + (missing) = 16 against 100 × 3/12 = 25.
    expect(s(102, 3, windowIndex(model, 'quarter', 0))).toBeCloseTo(25.6, 12);
    expect(s(102, 3, windowIndex(model, 'ytd', 2))).toBeCloseTo(25.6, 12);
    expect(s(102, 3, windowIndex(model, 'month', 2))).toBeNaN();
    expect(s(102, 3, windowIndex(model, 'half', 1))).toBeCloseTo(38.4, 12);
    // 'last' leaves are not pro-rated; Q1 of U2 takes March.
    expect(s(102, 4)).toBe(12);
    expect(s(102, 4, windowIndex(model, 'quarter', 0))).toBe(12);
    expect(s(101, 4)).toBe(20);
  });

  it('ranks within the category, ties sharing the better place, only where the leaf applies', () => {
    expect(s(102, 6)).toBe(20);
    expect(s(101, 6)).toBe(15);
    expect(s(103, 6)).toBe(15);
    expect(s(104, 6)).toBeNaN();
  });

  it('sums nodes with caps, and keeps bonus, deductions and vetoes out of the node sums', () => {
    expect(s(101, 2)).toBeCloseTo(68, 12);
    expect(s(101, 1)).toBe(60);
    expect(s(102, 1)).toBeCloseTo(47.2, 12);
    expect(s(101, 5)).toBe(35);
    expect(s(101, 8)).toBe(0);
    expect(s(101, 9)).toBe(2);
    expect(s(103, 10)).toBe(-2);
    expect(s(102, 11)).toBe(1);
  });

  it('composes unit totals, rescales inapplicable points and applies vetoes', () => {
    const u1 = unitSummary(model, res, 101, Y);
    expect(u1).toMatchObject({
      base: 95,
      bonus: 2,
      deduction: 0,
      accountability: 1.5,
      total: 95.5,
      rank: 1,
      of: 3,
      grade: '优秀',
      missing: 0,
      veto: null,
    });
    expect(u1.improvement).toBeCloseTo(5.5, 12);
    const u2 = unitSummary(model, res, 102, Y);
    expect(u2.total).toBeCloseTo(86.2, 12);
    expect(u2).toMatchObject({ bonus: 3, rank: 2, grade: '达标', veto: 'cap_grade', improvementRank: 1 });
    const u3 = unitSummary(model, res, 103, Y);
    expect(u3).toMatchObject({
      base: 47,
      deduction: 2,
      total: 45,
      rank: 3,
      grade: '不达标',
      missing: 1,
      improvementRank: 0,
    });
    expect(u3.improvement).toBeNaN();
    const u4 = unitSummary(model, res, 104, Y);
    expect(u4).toMatchObject({
      applicablePoints: 80,
      base: 68,
      scaledBase: 85,
      total: 0,
      veto: 'zero_score',
      rank: 1,
      of: 1,
      grade: '不达标',
    });
    // Before December nothing vetoes U4.
    expect(unitSummary(model, res, 104, windowIndex(model, 'ytd', 10)).veto).toBeNull();
    // U2's veto (June) does not reach the first quarter.
    expect(unitSummary(model, res, 102, windowIndex(model, 'quarter', 0)).veto).toBeNull();
    // Accountability counts in the window holding its month only.
    expect(unitSummary(model, res, 101, windowIndex(model, 'month', 1)).accountability).toBe(1.5);
    expect(unitSummary(model, res, 101, windowIndex(model, 'month', 2)).accountability).toBe(0);
  });

  it('grades by share of the category', () => {
    const input = example();
    input.gradeRule = {
      by: 'share',
      grades: [
        { label: '先进', threshold: 0.34 },
        { label: '良好', threshold: 0.67 },
        { label: '一般', threshold: 1 },
      ],
    };
    const m = buildModel(input);
    const r = computeAll(m);
    expect(unitSummary(m, r, 101, m.yearWindow).grade).toBe('先进');
    expect(unitSummary(m, r, 102, m.yearWindow).grade).toBe('一般'); // 良好 by share, capped by the veto's 达标 → the worst grade
    expect(unitSummary(m, r, 103, m.yearWindow).grade).toBe('一般');
  });

  it('can leave inapplicable points unrescaled', () => {
    const m = buildModel({ ...example(), options: { rescaleInapplicable: false } });
    const r = computeAll(m);
    expect(r.scaledBase[3 * m.W + m.yearWindow]).toBe(68);
  });

  it('explains a ratio score with inputs, provenance, target and arithmetic', () => {
    const meta = new Map([[inputKey(3, 102, 0), { by: '张三', at: '2026-02-03' }]]);
    const e = explain(model, res, { unitId: 102, indicatorId: 3, window: Y }, meta);
    expect(e.score).toBeCloseTo(35.2, 12);
    expect(e.storedScore).toBeCloseTo(35.2, 12);
    expect(e.status).toBe('ok');
    expect(e.arithmetic).toBe('完成比例：实际 88 ÷ 目标 100 × 分值 40 = 35.2');
    expect(e.steps[0]).toBe('全年（求和）：8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 = 88');
    expect(e.inputs).toHaveLength(12);
    expect(e.inputs[0]).toMatchObject({ period: 0, periodLabel: '1月', value: 8, meta: { by: '张三' } });
    expect(e.inputs[2].value).toBeNull();
    expect(e.indicator).toMatchObject({
      code: 'L1',
      methodName: { zh: '完成比例计分' },
      aggregate: 'sum',
      prorate: true,
    });
    expect(e.unit).toMatchObject({ code: 'U2', categoryName: '面向企业' });
    const q = explain(model, res, { unitId: 102, indicatorId: 3, window: windowIndex(model, 'quarter', 0) });
    expect(q.steps).toContain('目标值：年度目标 100 × 3/12（按时间进度折算）= 25');
    expect(q.score).toBeCloseTo(25.6, 12);
  });

  it('explains missing, inapplicable, rank, node and total', () => {
    expect(explain(model, res, { unitId: 103, indicatorId: 3, window: Y })).toMatchObject({
      score: null,
      status: 'missing_value',
    });
    expect(explain(model, res, { unitId: 104, indicatorId: 6, window: Y })).toMatchObject({
      score: null,
      status: 'not_applicable',
    });
    const r = explain(model, res, { unitId: 101, indicatorId: 6, window: Y });
    expect(r.rank).toMatchObject({ place: 2, of: 3 });
    expect(r.rank!.entries.map((x) => [x.unitCode, x.place])).toEqual([
      ['U2', 1],
      ['U1', 2],
      ['U3', 2],
    ]);
    expect(r.arithmetic).toContain('排第 2 名');
    const n = explain(model, res, { unitId: 101, indicatorId: 1, window: Y });
    expect(n.score).toBe(60);
    expect(n.arithmetic).toBe('下级指标合计：68 = 68，超过上限 60，按 60 计');
    const c = explain(model, res, { unitId: 101, indicatorId: 8, window: Y });
    expect(c.children!.map((x) => [x.code, x.counted])).toEqual([
      ['L5', false],
      ['L6', false],
      ['L7', false],
      ['L8', false],
    ]);
    const t = explainTotal(model, res, 104, Y);
    expect(t.steps).toContain('不适用指标按比例折算：68 × 100 ÷ 适用分值 80 = 85');
    expect(t.arithmetic).toBe('一票否决：总分计为 0（否决前 85）');
    expect(explainTotal(model, res, 101, Y).arithmetic).toBe('总分：95 + 2 − 1.5 = 95.5');
  });

  it('updates incrementally exactly like a full recompute', () => {
    const input = example();
    const m = buildModel(input);
    const r = computeAll(m);
    const eff = applyChange(m, r, { kind: 'value', indicatorId: 6, unitId: 103, period: 4, value: 200 });
    expect(eff.units).toEqual([0, 1, 2]);
    applyChange(m, r, { kind: 'value', indicatorId: 3, unitId: 103, period: 0, value: 50 });
    applyChange(m, r, { kind: 'target', indicatorId: 3, unitId: 101, target: 80 });
    applyChange(m, r, { kind: 'accountability', unitId: 102, period: 3, value: 4 });
    applyChange(m, r, { kind: 'value', indicatorId: 12, unitId: 104, period: 11, value: null });
    const full = computeAll(m);
    expect(r.total).toEqual(full.total);
    expect(r.scores).toEqual(full.scores);
    expect(r.missing).toEqual(full.missing);
    expect(r.rank).toEqual(full.rank);
    expect(r.grade).toEqual(full.grade);
    expect(unitSummary(m, r, 104, m.yearWindow).veto).toBeNull();
    expect(() => applyChange(m, r, { kind: 'value', indicatorId: 1, unitId: 101, period: 0, value: 1 })).toThrow(
      EngineInputError,
    );
    expect(() => applyChange(m, r, { kind: 'value', indicatorId: 3, unitId: 999, period: 0, value: 1 })).toThrow(
      EngineInputError,
    );
    expect(() => applyChange(m, r, { kind: 'value', indicatorId: 3, unitId: 101, period: 12, value: 1 })).toThrow(
      EngineInputError,
    );
  });
});

describe('engine: formulas over fields and other indicators', () => {
  const base = (expression: string, extra: Partial<IndicatorInput> = {}): ModelInput => ({
    periods: P,
    units: [0, 1, 2, 3].map((u) => ({ id: 200 + u, categoryIndex: 0 })),
    gradeRule: { by: 'threshold', grades: [{ label: '合格', threshold: 0 }] },
    indicators: [
      { id: 1, code: 'R', parentIndex: -1, points: 100, isLeaf: false },
      {
        id: 2,
        code: 'A1_01',
        parentIndex: 0,
        points: 50,
        isLeaf: true,
        method: { kind: 'ratio', cap: 1, floor: 0 },
        values: series((u) => u + 1),
        targets: perUnit(12, 12, 12, 12),
      },
      {
        id: 3,
        code: 'A1_02',
        parentIndex: 0,
        points: 50,
        isLeaf: true,
        method: { kind: 'formula', expression },
        fields: [
          { name: 'done', values: series((u) => u) },
          { name: 'total', values: series(() => 2) },
        ],
        values: series(() => 1),
        targets: perUnit(10, 10, 10, 10),
        ...extra,
      },
    ],
  });

  it('reads fields, target, points and other leaves’ values per window', () => {
    const m = buildModel(base('min(done / total * points, points) + A1_01 - value * 0 + target * 0'));
    const r = computeAll(m);
    // Year, unit 1: done 12, total 24 → 0.5 × 50 = 25; A1_01 = 24.
    expect(scoreOf(m, r, 201, 3, m.yearWindow)).toBe(49);
    const e = explain(m, r, { unitId: 201, indicatorId: 3, window: m.yearWindow });
    expect(e.formula?.substituted).toBe('min(12 / 24 * 50, 50) + 24 - 12 * 0 + 10 * 0');
    expect(e.arithmetic).toContain('= 49');
    expect(e.inputs.some((x) => x.indicatorCode === 'A1_01')).toBe(true);
    // Changing A1_01 re-derives the formula too.
    applyChange(m, r, { kind: 'value', indicatorId: 2, unitId: 201, period: 0, value: 14 });
    expect(scoreOf(m, r, 201, 3, m.yearWindow)).toBe(61);
    applyChange(m, r, { kind: 'value', indicatorId: 3, unitId: 201, period: 0, field: 'done', value: 0 });
    expect(r.scores).toEqual(computeAll(m).scores);
  });

  it('gives no score on division by zero and explains why', () => {
    const m = buildModel(base('done / (total - 2) * points'));
    const r = computeAll(m);
    expect(scoreOf(m, r, 201, 3, 0)).toBeNaN();
    const e = explain(m, r, { unitId: 201, indicatorId: 3, window: 0 });
    expect(e.status).toBe('invalid');
    expect(e.arithmetic).toContain('除数为零');
    const ok = buildModel(base('ifnull(done / (total - 2), 1) * points'));
    expect(scoreOf(ok, computeAll(ok), 201, 3, 0)).toBe(50);
  });

  it('rejects a formula with an unknown variable, naming the indicator and position', () => {
    let err: unknown;
    try {
      buildModel(base('done + constructor'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EngineInputError);
    expect((err as EngineInputError).path).toBe('indicators[2].method.expression');
    expect((err as EngineInputError).zh).toBe('指标 A1_02 的公式有误：第 8 个字符处：未知变量 constructor');
  });
});

describe('engine: model validation', () => {
  const valid = (): ModelInput => example();
  const fails = (mutate: (m: ModelInput) => void, path: string) => {
    const m = valid();
    mutate(m);
    let err: unknown;
    try {
      buildModel(m);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EngineInputError);
    expect((err as EngineInputError).path).toBe(path);
  };
  it('names the offending part', () => {
    fails((m) => (m.periods = 0), 'periods');
    fails((m) => (m.indicators[2].parentIndex = 2), 'indicators[2].parentIndex');
    fails((m) => (m.indicators[3].parentIndex = 2), 'indicators[3].parentIndex');
    fails((m) => (m.indicators[0].parentIndex = 1), 'indicators[0].parentIndex');
    fails((m) => (m.indicators[2].values = new Float64Array(3)), 'indicators[2].values');
    fails((m) => (m.indicators[2].method = { kind: 'ratio', cap: -1, floor: 0 }), 'indicators[2].method.cap');
    fails((m) => (m.indicators[3].code = 'L1'), 'indicators[3].code');
    fails((m) => (m.units[1].categoryIndex = -1), 'units[1].categoryIndex');
    fails((m) => (m.indicators[5].applies = new Uint8Array(2)), 'indicators[5].applies');
  });
});

describe('engine: explanations in English', () => {
  const model = buildModel(example());
  const res = computeAll(model);
  const Y = model.yearWindow;

  it('gives the steps, labels and arithmetic in English, the same numbers as in Chinese', () => {
    const meta = new Map([[inputKey(3, 102, 0), { by: '张三' }]]);
    const zh = explain(model, res, { unitId: 102, indicatorId: 3, window: Y }, meta);
    const e = explain(model, res, { unitId: 102, indicatorId: 3, window: Y }, meta, 'en');
    expect(e.arithmetic).toBe('Completion: actual 88 ÷ target 100 = 0.88; 0.88 × 40 points = 35.2');
    expect(e.steps[0]).toBe('Full year (sum): 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 = 88');
    expect(e.window.label).toBe('Full year');
    expect(e.inputs[0]).toMatchObject({ periodLabel: 'Jan', value: 8, meta: { by: '张三' } });
    expect({ ...e, steps: [], arithmetic: '', window: null, inputs: [] }).toEqual({
      ...zh,
      steps: [],
      arithmetic: '',
      window: null,
      inputs: [],
    });
    const q = explain(
      model,
      res,
      { unitId: 102, indicatorId: 3, window: windowIndex(model, 'quarter', 0) },
      undefined,
      'en',
    );
    expect(q.steps).toContain('Target: annual target 100 × 3/12 (pro-rated to the months elapsed) = 25');
    expect(q.window.label).toBe('Q1');
  });

  it('explains a node, a missing value, an inapplicable leaf and a total in English', () => {
    expect(explain(model, res, { unitId: 101, indicatorId: 1, window: Y }, undefined, 'en').arithmetic).toBe(
      'Sum of the sub-indicators: 68 = 68, above the cap 60, counted as 60',
    );
    expect(explain(model, res, { unitId: 104, indicatorId: 6, window: Y }, undefined, 'en').arithmetic).toBe(
      "This indicator does not apply to this unit and is not scored; the unit's total is scaled to the points of the indicators that apply",
    );
    const t = explainTotal(model, res, 104, Y, 'en');
    expect(t.steps).toContain('Scaled for the indicators that do not apply: 68 × 100 ÷ applicable points 80 = 85');
    expect(t.arithmetic).toBe('Veto: the total is set to 0 (before the veto: 85)');
    expect(explainTotal(model, res, 101, Y, 'en').arithmetic).toBe('Total: 95 + 2 − 1.5 = 95.5');
  });

  it('labels windows in English', () => {
    const label = (kind: 'month' | 'ytd' | 'quarter' | 'half', n: number) =>
      model.windows[windowIndex(model, kind, n)].labelEn;
    expect([label('month', 2), label('ytd', 0), label('ytd', 2), label('ytd', 11), label('half', 1)]).toEqual([
      'Mar',
      'Jan, year to date',
      'Jan–Mar, year to date',
      'Full year',
      'H2',
    ]);
  });

  it('explains a custom formula and its error in English', () => {
    const m = buildModel({
      periods: P,
      units: [1, 2, 3, 4].map((id) => ({ id, categoryIndex: 0 })),
      gradeRule: { by: 'threshold', grades: [{ label: '合格', threshold: 0 }] },
      indicators: [
        { id: 1, code: 'R', parentIndex: -1, points: 10, isLeaf: false },
        {
          id: 2,
          code: 'F',
          parentIndex: 0,
          points: 10,
          isLeaf: true,
          method: { kind: 'formula', expression: 'value / (value - 4) * points' },
          values: series((_, p) => (p === 0 ? 4 : 5)),
        },
      ],
    });
    const r = computeAll(m);
    expect(explain(m, r, { unitId: 1, indicatorId: 2, window: 1 }, undefined, 'en').arithmetic).toBe(
      'Custom formula: value / (value - 4) * points; with the values: 5 / (5 - 4) * 10 = 50',
    );
    const bad = explain(m, r, { unitId: 1, indicatorId: 2, window: 0 }, undefined, 'en');
    expect(bad.status).toBe('invalid');
    expect(bad.steps[0]).toBe('Variable value: Data for Jan: 4');
    expect(bad.arithmetic).toBe(
      'Custom formula: value / (value - 4) * points; with the values: 4 / (4 - 4) * 10; At character 7: division by zero, not scored',
    );
  });
});
