/**
 * Pure functions over a year's indicator tree (a flat list with parent links): which nodes are
 * leaves, which leaves apply to a unit, whether points add up, and sharing points by weight.
 * No database, no I/O.
 */
import { ZScoringMethod, type TGradeRule, type TScoringMethod } from '../../engine/methods.schema.js';
import type { AppliesTo } from './performance.table.js';

export type TreeNode = { id: number; parentId: number | null };

/** Tolerance when comparing points (numeric(10,3) in the database). */
export const POINTS_EPSILON = 0.001;

/** parent id → children, in list order. */
export function childrenIndex<T extends TreeNode>(nodes: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const n of nodes) {
    if (n.parentId === null) continue;
    const list = map.get(n.parentId);
    if (list) list.push(n);
    else map.set(n.parentId, [n]);
  }
  return map;
}

/** The nodes without children. */
export function leavesOf<T extends TreeNode>(nodes: readonly T[]): T[] {
  const parents = new Set(nodes.map((n) => n.parentId).filter((p): p is number => p !== null));
  return nodes.filter((n) => !parents.has(n.id));
}

/** The node's ancestors, nearest first (stops on a broken link or a cycle). */
export function ancestorsOf<T extends TreeNode>(byId: ReadonlyMap<number, T>, node: T): T[] {
  const out: T[] = [];
  const seen = new Set<number>([node.id]);
  let cur = node.parentId === null ? undefined : byId.get(node.parentId);
  while (cur && !seen.has(cur.id)) {
    out.push(cur);
    seen.add(cur.id);
    cur = cur.parentId === null ? undefined : byId.get(cur.parentId);
  }
  return out;
}

/** The ids of the node and all its descendants. */
export function subtreeIds(nodes: readonly TreeNode[], rootId: number): Set<number> {
  const kids = childrenIndex(nodes);
  const out = new Set<number>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const c of kids.get(id) ?? []) stack.push(c.id);
  }
  return out;
}

/** True when making `parentId` the parent of `id` would put a node under itself or its descendants. */
export function wouldCycle(nodes: readonly TreeNode[], id: number, parentId: number | null): boolean {
  return parentId !== null && subtreeIds(nodes, id).has(parentId);
}

export type UnitRef = { id: number; categoryId: number | null };
export type ApplicableNode = TreeNode & { appliesTo: AppliesTo };

function restrictionAllows(a: AppliesTo, unit: UnitRef): boolean {
  if (!a.categoryIds.length && !a.unitIds.length) return true;
  return (unit.categoryId !== null && a.categoryIds.includes(unit.categoryId)) || a.unitIds.includes(unit.id);
}

/**
 * The leaves that apply to a unit. A node's `appliesTo` lists categories and/or units (empty both
 * = no restriction); a leaf applies when the leaf and every ancestor allow the unit (restrictions
 * narrow down the tree), and the unit either has a category or is named explicitly on the path —
 * units without a category (the district itself, communities) are assessed only where listed.
 */
export function leavesFor<T extends ApplicableNode>(unit: UnitRef, indicators: readonly T[]): T[] {
  const byId = new Map(indicators.map((n) => [n.id, n]));
  return leavesOf(indicators).filter((leaf) => {
    const path = [leaf, ...ancestorsOf(byId, leaf)];
    if (!path.every((n) => restrictionAllows(n.appliesTo, unit))) return false;
    return unit.categoryId !== null || path.some((n) => n.appliesTo.unitIds.includes(unit.id));
  });
}

export type CheckNode = ApplicableNode & {
  code: string;
  name: string;
  points: number;
  sort: number;
  level: number;
  method: TScoringMethod | null;
  dataSource: string;
  caseMetric: string | null;
};

export type TreeProblem = { indicatorId: number | null; code: string | null; field: string; zh: string; en: string };

/** Returns the error (messages include the 1-based position) when a formula does not compile, else null. */
export type FormulaCheck = (expression: string) => { zh: string; en: string; position: number } | null;

/** The problems with one leaf's method (none when the method is complete and consistent). */
export function methodProblems(
  node: Pick<CheckNode, 'id' | 'code' | 'name' | 'dataSource' | 'caseMetric'> & { method: unknown },
  gradeRule: TGradeRule,
  checkFormula: FormulaCheck | null,
): TreeProblem[] {
  const at = (field: string, zh: string, en: string): TreeProblem => ({
    indicatorId: node.id,
    code: node.code,
    field,
    zh,
    en,
  });
  const out: TreeProblem[] = [];
  const label = `「${node.code} ${node.name}」`;
  if (node.method === null || node.method === undefined) {
    out.push(at('method', `末级指标${label}未设置计分方法`, `Leaf ${node.code} has no scoring method`));
  } else {
    const parsed = ZScoringMethod.safeParse(node.method);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = ['method', ...issue.path.map(String)].join('.');
      out.push(
        at(
          field,
          `指标${label}的计分方法配置无效（${field}）`,
          `Invalid method of ${node.code} (${field}): ${issue.message}`,
        ),
      );
    } else {
      const m = parsed.data;
      if (m.kind === 'veto' && m.effect === 'cap_grade') {
        const labels = gradeRule.grades.map((g) => g.label);
        if (!m.capGrade)
          out.push(
            at(
              'method.capGrade',
              `指标${label}：一票否决限定等次时须选择最高等次`,
              `${node.code}: a grade cap needs capGrade`,
            ),
          );
        else if (!labels.includes(m.capGrade)) {
          out.push(
            at(
              'method.capGrade',
              `指标${label}：等次「${m.capGrade}」不在本年度等次规则中`,
              `${node.code}: grade ${m.capGrade} is not in the year's grade rule`,
            ),
          );
        }
      }
      if (m.kind === 'bands') {
        for (const [i, b] of m.bands.entries()) {
          if (b.min !== null && b.max !== null && !(b.min < b.max)) {
            out.push(
              at(
                `method.bands.${i}.max`,
                `指标${label}：第${i + 1}个区间的上限须大于下限`,
                `${node.code}: band ${i + 1} max must exceed min`,
              ),
            );
          }
        }
      }
      if (m.kind === 'increments' && m.min > m.max) {
        out.push(at('method.max', `指标${label}：最高分不能小于最低分`, `${node.code}: max must not be below min`));
      }
      if (m.kind === 'benchmark' && m.benchmark === m.baseline) {
        out.push(
          at(
            'method.benchmark',
            `指标${label}：标杆值不能等于基准值`,
            `${node.code}: benchmark must differ from baseline`,
          ),
        );
      }
      if (m.kind === 'formula' && checkFormula) {
        const err = checkFormula(m.expression);
        if (err)
          out.push(at('method.expression', `指标${label}的公式有误：${err.zh}`, `Formula of ${node.code}: ${err.en}`));
      }
    }
  }
  if (node.dataSource === 'case_platform' && !node.caseMetric) {
    out.push(
      at(
        'caseMetric',
        `指标${label}的数据来源为12345平台，须选择统计指标`,
        `${node.code}: a case-platform leaf needs a case metric`,
      ),
    );
  }
  return out;
}

/**
 * Everything that keeps a year from going into force, in tree order: an empty tree, inner nodes
 * whose points differ from the sum of their children's (± POINTS_EPSILON), inner nodes with a
 * method, and leaves without a valid method.
 */
export function treeProblems(
  nodes: readonly CheckNode[],
  gradeRule: TGradeRule,
  checkFormula: FormulaCheck | null,
): TreeProblem[] {
  if (!nodes.length)
    return [
      {
        indicatorId: null,
        code: null,
        field: 'indicators',
        zh: '指标体系为空，请先添加指标',
        en: 'The indicator tree is empty',
      },
    ];
  const kids = childrenIndex(nodes);
  const out: TreeProblem[] = [];
  const visit = (n: CheckNode) => {
    const children = kids.get(n.id) ?? [];
    if (children.length) {
      const sum = children.reduce((s, c) => s + c.points, 0);
      if (Math.abs(sum - n.points) > POINTS_EPSILON) {
        out.push({
          indicatorId: n.id,
          code: n.code,
          field: 'points',
          zh: `指标「${n.code} ${n.name}」分值为 ${fmt(n.points)}，但下级指标分值之和为 ${fmt(sum)}`,
          en: `Indicator ${n.code} has ${fmt(n.points)} points but its children add up to ${fmt(sum)}`,
        });
      }
      if (n.method) {
        out.push({
          indicatorId: n.id,
          code: n.code,
          field: 'method',
          zh: `指标「${n.code} ${n.name}」有下级指标，不应设置计分方法`,
          en: `Inner node ${n.code} must not have a method`,
        });
      }
      for (const c of sortNodes(children)) visit(c);
    } else {
      out.push(...methodProblems(n, gradeRule, checkFormula));
    }
  };
  for (const r of sortNodes(nodes.filter((n) => n.parentId === null))) visit(r);
  return out;
}

function sortNodes<T extends { sort: number; id: number }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => a.sort - b.sort || a.id - b.id);
}

function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/**
 * Shares `total` points among children in proportion to their weights, rounded to 2 decimals by the
 * largest-remainder method so the parts add up exactly to the total (in cents).
 */
export function distributePoints(total: number, weights: readonly number[]): number[] {
  const sumW = weights.reduce((s, w) => s + w, 0);
  if (!weights.length) return [];
  const cents = Math.round(total * 100);
  if (sumW <= 0) {
    // No information: share equally.
    return distributePoints(
      total,
      weights.map(() => 1),
    );
  }
  const exact = weights.map((w) => (cents * w) / sumW);
  const floors = exact.map(Math.floor);
  let rest = cents - floors.reduce((s, f) => s + f, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const o of order) {
    if (rest <= 0) break;
    floors[o.i] += 1;
    rest -= 1;
  }
  return floors.map((c) => c / 100);
}

/** True when the method scores the value against the unit's target (so a plan must give one). */
export function methodNeedsTarget(method: TScoringMethod | null): boolean {
  if (!method) return false;
  switch (method.kind) {
    case 'ratio':
    case 'increments':
      return true;
    case 'bands':
      return method.on === 'completion';
    case 'formula':
      return /\btarget\b/.test(method.expression);
    case 'rank':
    case 'benchmark':
    case 'qualitative':
    case 'deduction':
    case 'bonus':
    case 'veto':
      return false;
  }
}
