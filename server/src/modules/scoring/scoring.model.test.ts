import { describe, expect, it } from 'vitest';
import type { TIndicator } from '../performance/index.js';
import type { TCategory, TUnit } from '../units/index.js';
import { buildModel, computeAll, explain, inputKey } from '../../engine/index.js';
import { computeYear, formulaFieldNames, layoutYear, type LoadedYear } from './scoring.model.js';
import { decodeSnapshot, encodeSnapshot } from './scoring.snapshot.js';

const GRADES = {
  by: 'threshold' as const,
  grades: [
    { label: '优秀', threshold: 90 },
    { label: '合格', threshold: 60 },
    { label: '不合格', threshold: 0 },
  ],
};

function unit(id: number, categoryId: number | null, extra: Partial<TUnit> = {}): TUnit {
  return {
    id,
    code: `U${id}`,
    name: `单位${id}`,
    kind: 'department',
    parentId: 1,
    categoryId,
    active: true,
    sort: id,
    ...extra,
  };
}
function cat(id: number, sort: number): TCategory {
  return { id, code: `C${id}`, name: `类别${id}`, description: '', sort };
}
function ind(
  id: number,
  parentId: number | null,
  code: string,
  points: number,
  extra: Partial<TIndicator> = {},
): TIndicator {
  return {
    id,
    yearId: 1,
    parentId,
    code,
    name: code,
    level: parentId === null ? 1 : 2,
    points,
    sort: id,
    unitOfMeasure: '',
    description: '',
    appliesTo: { categoryIds: [], unitIds: [] },
    assessingUnitId: null,
    dataSource: 'self_report',
    direction: 'positive',
    method: null,
    aggregate: 'last',
    caseMetric: null,
    weight: null,
    specialSchemeId: null,
    ...extra,
  };
}

/*
 * A (100) → L1 ratio 60, L2 ratio 37 for category 10 only, L2b ratio 37 for category 20 only (alternatives),
 *           BON bonus 3 (outside the base).
 * Designed total 100 − bonus 3 = 97: a unit's applicable base is 97 either way, so no rescaling;
 * U4 (category 20, inactive) is not scored, U5 (no category) is not scored.
 */
function year(): LoadedYear {
  return {
    year: { id: 1, year: 2026, gradeRule: GRADES },
    units: [unit(1, 10), unit(2, 20), unit(3, 10), unit(4, 20, { active: false }), unit(5, null)],
    categories: [cat(20, 1), cat(10, 0)],
    indicators: [
      ind(1, null, 'A', 100),
      ind(2, 1, 'L1', 60, { method: { kind: 'ratio', cap: 1, floor: 0 } }),
      ind(3, 1, 'L2', 37, {
        method: { kind: 'ratio', cap: 1, floor: 0 },
        appliesTo: { categoryIds: [10], unitIds: [] },
      }),
      ind(4, 1, 'L2b', 37, {
        method: { kind: 'ratio', cap: 1, floor: 0 },
        appliesTo: { categoryIds: [20], unitIds: [] },
      }),
      ind(5, 1, 'BON', 3, { method: { kind: 'bonus', perOccurrence: 1, maxTotal: 3 }, aggregate: 'sum' }),
    ],
    targets: new Map([
      [
        1,
        new Map([
          [2, { target: 100, challenge: null }],
          [3, { target: 10, challenge: null }],
        ]),
      ],
      [
        2,
        new Map([
          [2, { target: 100, challenge: null }],
          [4, { target: 10, challenge: null }],
        ]),
      ],
      [
        3,
        new Map([
          [2, { target: 100, challenge: null }],
          [3, { target: 10, challenge: null }],
        ]),
      ],
    ]),
    inputs: [
      { indicatorId: 2, unitId: 1, period: '2026-01', value: 90, fields: null },
      { indicatorId: 3, unitId: 1, period: '2026-01', value: 10, fields: null },
      { indicatorId: 2, unitId: 2, period: '2026-02', value: 50, fields: null },
      { indicatorId: 4, unitId: 2, period: '2026-02', value: 5, fields: null },
      { indicatorId: 5, unitId: 2, period: '2026-02', value: 2, fields: null },
      { indicatorId: 2, unitId: 3, period: '2025-12', value: 100, fields: null }, // another year: ignored
      { indicatorId: 2, unitId: 9, period: '2026-01', value: 100, fields: null }, // not a scored unit: ignored
    ],
    deductions: [{ unitId: 1, period: '2026-01', points: 2 }],
  };
}

describe('layoutYear', () => {
  it('scores active units with a category, grouped by category order, with applicability and the designed full base', () => {
    const { input, meta } = layoutYear(year());
    expect(meta.units.map((u) => u.id)).toEqual([1, 3, 2]);
    expect(meta.categories).toEqual([
      { id: 10, name: '类别10' },
      { id: 20, name: '类别20' },
    ]);
    expect(input.units.map((u) => u.categoryIndex)).toEqual([0, 0, 1]);
    expect(meta.fullBase).toBe(97);
    expect(meta.lastDataMonth).toBe(2);
    const l2 = input.indicators[2];
    expect(Array.from(l2.applies!)).toEqual([1, 1, 0]);
    expect(input.indicators[1].applies).toBeNull();
    expect(meta.topLevel).toEqual([0]);
  });

  it('computes totals: base, bonus outside the base, accountability after it', () => {
    const c = computeYear(year());
    const W = c.model.W;
    // U1 January: L1 90/100 × 60 = 54, L2 10/10 × 37 = 37 → 91, − 2 accountability = 89.
    expect(c.res.total[0 * W + 0]).toBeCloseTo(89, 9);
    // U2 February: L1 50/100 × 60 = 30, L2b 5/10 × 37 = 18.5 → 48.5, + bonus 2 = 50.5.
    expect(c.res.total[2 * W + 1]).toBeCloseTo(50.5, 9);
    expect(c.meta.problems).toEqual([]);
  });

  it('drops the method of a leaf the engine refuses instead of failing the year, and reports it', () => {
    const y = year();
    y.indicators[1] = { ...y.indicators[1], method: { kind: 'formula', expression: 'value / NOPE' } };
    y.indicators[0] = { ...y.indicators[0] };
    // 'NOPE' is no indicator code: it becomes a (missing) form field, so the formula compiles and scores nothing.
    const c = computeYear(y);
    expect(c.meta.problems).toEqual([]);
    expect(Number.isNaN(c.res.scores[1][0])).toBe(true);
    // A formula naming a node (not a leaf) is refused by the engine: reported, the rest still scores.
    y.indicators[1] = { ...y.indicators[1], method: { kind: 'formula', expression: 'value / A' } };
    const c2 = computeYear(y);
    expect(c2.meta.problems.map((p) => p.code)).toEqual(['L1']);
    expect(c2.res.scores[2][0]).toBeCloseTo(37, 9);
  });

  it('gives formula leaves the form fields their formula names', () => {
    expect(formulaFieldNames('closed / received * points + L1', new Set(['L1']))).toEqual(['closed', 'received']);
    const y = year();
    y.indicators[1] = { ...y.indicators[1], method: { kind: 'formula', expression: 'closed / received * points' } };
    y.inputs.push({
      indicatorId: 2,
      unitId: 3,
      period: '2026-03',
      value: null,
      fields: { closed: 45, received: '60', note: 'x' },
    });
    const c = computeYear(y);
    const W = c.model.W;
    expect(c.res.scores[1][1 * W + 2]).toBeCloseTo(45, 9);
  });

  it('lays out a year with no indicators or no units', () => {
    const y = year();
    y.indicators = [];
    const c = computeYear(y);
    expect(c.meta.units).toEqual([]);
    expect(c.meta.fullBase).toBe(100);
  });
});

describe('publication snapshots', () => {
  it('round-trip the model exactly (NaN included) and explain the same numbers', () => {
    const c = computeYear(year());
    const prov = new Map([
      [
        inputKey(2, 1, 0),
        {
          source: 'manual' as const,
          sourceRef: 'r',
          enteredBy: 1,
          enteredByName: '张三',
          enteredAt: '2026-02-01T00:00:00.000Z',
        },
      ],
    ]);
    const scores = Float64Array.from({ length: c.model.leaf.length * c.model.U }, (_, k) => (k % 3 ? k : NaN));
    const { bytes, sha256 } = encodeSnapshot({
      input: c.input,
      meta: c.meta,
      window: 0,
      provenance: prov,
      deductions: [],
      scores,
    });
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const back = decodeSnapshot(bytes);
    expect(Array.from(back.scores).map(String)).toEqual(Array.from(scores).map(String));
    expect(Array.from(back.input.indicators[1].values!).map(String)).toEqual(
      Array.from(c.input.indicators[1].values!).map(String),
    );
    const model2 = buildModel(back.input);
    const res2 = computeAll(model2);
    expect(Array.from(res2.total)).toEqual(Array.from(c.res.total));
    const e1 = explain(c.model, c.res, { unitId: 1, indicatorId: 2, window: 0 }, prov);
    const e2 = explain(model2, res2, { unitId: 1, indicatorId: 2, window: 0 }, back.provenance);
    expect(e2).toEqual(e1);
  });
});
