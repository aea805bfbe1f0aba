import { describe, expect, it } from 'vitest';
import { DEFAULT_GRADE_RULE } from './performance.schema.js';
import type { AppliesTo } from './performance.table.js';
import {
  distributePoints,
  leavesFor,
  methodNeedsTarget,
  treeProblems,
  wouldCycle,
  type CheckNode,
} from './performance.tree.js';

const ALL: AppliesTo = { categoryIds: [], unitIds: [] };

function node(id: number, parentId: number | null, extra: Partial<CheckNode> = {}): CheckNode {
  return {
    id,
    parentId,
    code: `N${id}`,
    name: `指标${id}`,
    points: 0,
    sort: id,
    level: 1,
    appliesTo: ALL,
    method: null,
    dataSource: 'self_report',
    caseMetric: null,
    ...extra,
  };
}

const ratio = { kind: 'ratio', cap: 1, floor: 0 } as const;

describe('leavesFor', () => {
  // 1 ─┬─ 2 (leaf, all)
  //    ├─ 3 (leaf, category 20 only)
  //    └─ 4 (streets: category 30) ─┬─ 5 (leaf, all)
  //                                 └─ 6 (leaf, unit 99 only)
  // 7 (leaf, unit 50 explicitly — a unit without a category)
  const tree = [
    node(1, null),
    node(2, 1),
    node(3, 1, { appliesTo: { categoryIds: [20], unitIds: [] } }),
    node(4, 1, { appliesTo: { categoryIds: [30], unitIds: [] } }),
    node(5, 4),
    node(6, 4, { appliesTo: { categoryIds: [], unitIds: [99] } }),
    node(7, null, { appliesTo: { categoryIds: [], unitIds: [50] } }),
  ];
  const ids = (unit: { id: number; categoryId: number | null }) => leavesFor(unit, tree).map((n) => n.id);

  it('gives unrestricted leaves to every unit with a category', () => {
    expect(ids({ id: 10, categoryId: 10 })).toEqual([2]);
  });

  it('adds leaves restricted to the unit’s category', () => {
    expect(ids({ id: 11, categoryId: 20 })).toEqual([2, 3]);
  });

  it('narrows down the tree: a leaf under a street-only node applies only to streets', () => {
    expect(ids({ id: 12, categoryId: 30 })).toEqual([2, 5]);
    // Unit 99 is named on leaf 6, but its ancestor 4 restricts to streets: both must allow it.
    expect(ids({ id: 99, categoryId: 10 })).toEqual([2]);
    expect(ids({ id: 99, categoryId: 30 })).toEqual([2, 5, 6]);
  });

  it('gives a unit without a category only the leaves that name it', () => {
    expect(ids({ id: 50, categoryId: null })).toEqual([7]);
    expect(ids({ id: 51, categoryId: null })).toEqual([]);
  });

  it('treats a lone root as a leaf', () => {
    expect(leavesFor({ id: 1, categoryId: 1 }, [node(1, null)]).map((n) => n.id)).toEqual([1]);
  });
});

describe('treeProblems (points-sum and method validation)', () => {
  it('accepts a tree whose inner points equal their children’s sums and whose leaves have methods', () => {
    const t = [
      node(1, null, { points: 100 }),
      node(2, 1, { points: 60, method: ratio }),
      node(3, 1, { points: 40 }),
      node(4, 3, { points: 25.5, method: ratio }),
      node(5, 3, { points: 14.5, method: { kind: 'deduction', perOccurrence: 1, maxTotal: 14.5 } }),
    ];
    expect(treeProblems(t, DEFAULT_GRADE_RULE, null)).toEqual([]);
  });

  it('tolerates rounding within 0.001 but reports a real difference on the first offending node', () => {
    const ok = [
      node(1, null, { points: 10 }),
      node(2, 1, { points: 3.3335, method: ratio }),
      node(3, 1, { points: 6.6666, method: ratio }),
    ];
    expect(treeProblems(ok, DEFAULT_GRADE_RULE, null)).toEqual([]);
    const bad = [
      node(1, null, { points: 100 }),
      node(2, 1, { points: 60 }),
      node(3, 2, { points: 50, method: ratio }),
      node(4, 1, { points: 30, method: ratio }),
    ];
    const problems = treeProblems(bad, DEFAULT_GRADE_RULE, null);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ indicatorId: 1, field: 'points' });
    expect(problems[0].zh).toContain('90');
    expect(problems[1]).toMatchObject({ indicatorId: 2, field: 'points' });
  });

  it('requires a method on every leaf and none on inner nodes', () => {
    const t = [node(1, null, { points: 5, method: ratio }), node(2, 1, { points: 5 })];
    const problems = treeProblems(t, DEFAULT_GRADE_RULE, null);
    expect(problems.map((p) => [p.indicatorId, p.field])).toEqual([
      [1, 'method'],
      [2, 'method'],
    ]);
  });

  it('checks veto grade caps against the year’s grades, case metrics and formulas', () => {
    const t = [
      node(1, null, { points: 0, method: { kind: 'veto', effect: 'cap_grade', capGrade: '卓越' } }),
      node(2, null, { points: 0, method: ratio, dataSource: 'case_platform' }),
      node(3, null, { points: 0, method: { kind: 'formula', expression: 'value +' } }),
    ];
    const problems = treeProblems(t, DEFAULT_GRADE_RULE, (e) =>
      e.endsWith('+') ? { zh: '第 8 个字符处：缺少运算数', en: 'At character 8: operand expected', position: 7 } : null,
    );
    expect(problems.map((p) => p.field)).toEqual(['method.capGrade', 'caseMetric', 'method.expression']);
  });

  it('reports an empty tree', () => {
    expect(treeProblems([], DEFAULT_GRADE_RULE, null)[0].field).toBe('indicators');
  });
});

describe('tree helpers', () => {
  it('detects cycles', () => {
    const t = [node(1, null), node(2, 1), node(3, 2)];
    expect(wouldCycle(t, 1, 3)).toBe(true);
    expect(wouldCycle(t, 1, 1)).toBe(true);
    expect(wouldCycle(t, 3, 1)).toBe(false);
    expect(wouldCycle(t, 2, null)).toBe(false);
  });

  it('shares points by weight to 2 decimals, adding up exactly', () => {
    const parts = distributePoints(10, [1, 1, 1]);
    expect(parts).toEqual([3.34, 3.33, 3.33]);
    expect(distributePoints(40, [0.5, 0.3, 0.2])).toEqual([20, 12, 8]);
    const p = distributePoints(7, [0.4118, 0.2927, 0.1722, 0.1233]);
    expect(Math.round(p.reduce((s, x) => s + x, 0) * 100)).toBe(700);
    expect(distributePoints(5, [0, 0])).toEqual([2.5, 2.5]);
  });

  it('knows which methods score against a target', () => {
    expect(methodNeedsTarget(ratio)).toBe(true);
    expect(methodNeedsTarget({ kind: 'bands', on: 'value', bands: [{ min: null, max: null, points: 1 }] })).toBe(false);
    expect(methodNeedsTarget({ kind: 'bands', on: 'completion', bands: [{ min: null, max: null, points: 1 }] })).toBe(
      true,
    );
    expect(methodNeedsTarget({ kind: 'formula', expression: 'min(value / target, 1) * points' })).toBe(true);
    expect(methodNeedsTarget({ kind: 'qualitative', grades: [{ label: '好', share: 1 }] })).toBe(false);
    expect(methodNeedsTarget(null)).toBe(false);
  });
});
