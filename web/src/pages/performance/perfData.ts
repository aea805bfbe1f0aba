/** Presentation of the performance module: year, plan and adjustment statuses, data sources, methods (names from common/), tree helpers. Endpoints are in api.ts. */
import {
  ADJUSTMENT_STATUS_NAMES,
  AGGREGATE_NAMES,
  CASE_METRICS,
  DATA_SOURCE_NAMES,
  METHOD_KINDS,
  METHOD_NAMES,
  PLAN_STATUS_NAMES,
  YEAR_STATUS_NAMES,
} from '@common/performance';
import type {
  TAdjustment,
  TIndicator,
  TPlan,
  TPlanSummary,
  TYear,
} from '@server/modules/performance/performance.schema';
import type { DataSource, MethodKind, TScoringMethod } from '@server/engine/methods.schema';
import { labelsOf, nameOf } from '../../lib/names';

export type { TAdjustment, TIndicator, TPlan, TPlanSummary, TYear };

/** The year to open by default: the one asked for, else the latest in force, else the newest. */
export function pickYear(years: TYear[] | undefined, wanted: number | null): TYear | null {
  if (!years?.length) return null;
  return years.find((y) => y.id === wanted) ?? years.find((y) => y.status === 'in_force') ?? years[0];
}

type Status<K extends string> = Record<K, { label: () => string; color: string }>;
const withColors = <K extends string>(
  names: Record<K, { zh: string; en: string }>,
  colors: Record<K, string>,
): Status<K> =>
  Object.fromEntries(
    Object.entries<{ zh: string; en: string }>(names).map(([k, n]) => [
      k,
      { label: () => nameOf(n), color: colors[k as K] },
    ]),
  ) as Status<K>;

export const YEAR_STATUS: Status<TYear['status']> = withColors(YEAR_STATUS_NAMES, {
  draft: 'default',
  in_force: 'green',
  closed: 'purple',
});
export const PLAN_STATUS: Status<TPlan['status']> = withColors(PLAN_STATUS_NAMES, {
  draft: 'default',
  submitted: 'gold',
  returned: 'red',
  approved: 'green',
});
export const ADJUSTMENT_STATUS: Status<TAdjustment['status']> = withColors(ADJUSTMENT_STATUS_NAMES, {
  requested: 'gold',
  approved: 'green',
  rejected: 'red',
});

export const DATA_SOURCE_LABEL: Record<DataSource, () => string> = labelsOf(DATA_SOURCE_NAMES);
export const DATA_SOURCE_COLOR: Record<DataSource, string> = {
  self_report: 'blue',
  third_party: 'purple',
  case_platform: 'orange',
  supervision: 'magenta',
  evaluation: 'cyan',
  special_assessment: 'geekblue',
  approvals: 'geekblue',
  mediation: 'lime',
  assistance: 'gold',
  ratings: 'green',
  notices: 'volcano',
};

export const CASE_METRIC_LABEL: Record<string, () => string> = labelsOf(CASE_METRICS);
export const METHOD_LABEL: Record<MethodKind, () => string> = labelsOf(METHOD_NAMES);
export { METHOD_KINDS };
export const AGGREGATE_LABEL: Record<TIndicator['aggregate'], () => string> = labelsOf(AGGREGATE_NAMES);

/** A default configuration for each method kind, used when the user picks a kind. */
export function defaultMethod(kind: MethodKind, points: number, grades: string[]): TScoringMethod {
  switch (kind) {
    case 'ratio':
      return { kind, cap: 1, floor: 0 };
    case 'bands':
      return {
        kind,
        on: 'completion',
        bands: [
          { min: 1, max: null, points },
          { min: 0.8, max: 1, points: round2(points * 0.8) },
          { min: null, max: 0.8, points: 0 },
        ],
      };
    case 'increments':
      return {
        kind,
        base: round2(points * 0.8),
        stepPercent: 10,
        stepPoints: round2(points * 0.1),
        stepPointsUnder: round2(points * 0.2),
        min: 0,
        max: points,
        deviation: 'relative',
      };
    case 'rank':
      return { kind, stepPoints: round2(points * 0.05), minPoints: round2(points * 0.5) };
    case 'benchmark':
      return { kind, baseline: 60, benchmark: 100 };
    case 'qualitative':
      return {
        kind,
        grades: [
          { label: '优秀', share: 1 },
          { label: '良好', share: 0.85 },
          { label: '一般', share: 0.7 },
          { label: '较差', share: 0.5 },
        ],
      };
    case 'deduction':
      return { kind, perOccurrence: 1, maxTotal: points };
    case 'bonus':
      return { kind, perOccurrence: 1, maxTotal: points };
    case 'veto':
      return {
        kind,
        effect: 'cap_grade',
        capGrade: grades.includes('达标') ? '达标' : grades[Math.max(0, grades.length - 2)],
      };
    case 'formula':
      return { kind, expression: 'min(value / target, 1) * points' };
  }
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Formats a number without float noise. */
export function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return String(Math.round(n * 10000) / 10000);
}

/** Shares `total` by weights to 2 decimals, adding up exactly (same rule as the server's distributePoints). */
export function distributePoints(total: number, weights: number[]): number[] {
  if (!weights.length) return [];
  const sumW = weights.reduce((s, w) => s + w, 0);
  if (sumW <= 0)
    return distributePoints(
      total,
      weights.map(() => 1),
    );
  const cents = Math.round(total * 100);
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

export type IndicatorNode = TIndicator & { children?: IndicatorNode[]; childSum: number | null };

/** Builds the tree from the flat list (sorted by sort, id at each level); inner nodes carry their children's points sum. */
export function buildIndicatorTree(list: readonly TIndicator[]): IndicatorNode[] {
  const byId = new Map<number, IndicatorNode>(list.map((n) => [n.id, { ...n, childSum: null }]));
  const roots: IndicatorNode[] = [];
  const sorted = [...list].sort((a, b) => a.sort - b.sort || a.id - b.id);
  for (const n of sorted) {
    const node = byId.get(n.id)!;
    const parent = n.parentId === null ? undefined : byId.get(n.parentId);
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  for (const node of byId.values())
    if (node.children) node.childSum = round3(node.children.reduce((s, c) => s + c.points, 0));
  return roots;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Names of the variables a formula uses (for the test panel), without functions and keywords. */
export function formulaVariables(expression: string): string[] {
  const reserved = new Set([
    'if',
    'min',
    'max',
    'sum',
    'avg',
    'abs',
    'round',
    'ifnull',
    'and',
    'or',
    'not',
    'true',
    'false',
  ]);
  const out: string[] = [];
  for (const m of expression.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const name = m[0];
    const before = expression[(m.index ?? 0) - 1] ?? '';
    if (/[0-9.]/.test(before)) continue; // the exponent of 1e5
    const next = expression.slice((m.index ?? 0) + name.length).trimStart();
    if (reserved.has(name) || next.startsWith('(') || next.startsWith('（')) continue;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
