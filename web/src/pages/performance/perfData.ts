import { useQuery } from '@tanstack/react-query';
import type { TAdjustment, TIndicator, TPlan, TPlanSummary, TYear } from '@server/modules/performance/performance.schema';
import type { DataSource, MethodKind, TScoringMethod } from '@server/engine/methods.schema';
import type { TCategory, TUnit } from '@server/modules/units/units.schema';
import { http } from '../../lib/api';
import { t } from '../../lib/i18n';

export type { TAdjustment, TIndicator, TPlan, TPlanSummary, TYear };

export const YEARS_KEY = ['performance', 'years'] as const;
export const indicatorsKey = (yearId: number) => ['performance', 'indicators', yearId] as const;
export const plansKey = (yearId: number) => ['performance', 'plans', yearId] as const;
export const planKey = (yearId: number, unitId: number) => ['performance', 'plan', yearId, unitId] as const;
export const adjustmentsKey = (yearId: number) => ['performance', 'adjustments', yearId] as const;

export function useYears() {
  return useQuery({ queryKey: YEARS_KEY, queryFn: () => http.get<TYear[]>('/api/years') });
}

export function useIndicators(yearId: number | null) {
  return useQuery({ queryKey: indicatorsKey(yearId ?? 0), queryFn: () => http.get<TIndicator[]>(`/api/years/${yearId}/indicators`), enabled: !!yearId });
}

export function useUnitsList() {
  return useQuery({ queryKey: ['units'], queryFn: () => http.get<TUnit[]>('/api/units'), staleTime: 30_000 });
}

export function useCategoryList() {
  return useQuery({ queryKey: ['unit-categories'], queryFn: () => http.get<TCategory[]>('/api/unit-categories'), staleTime: 30_000 });
}

/** The year to open by default: the one asked for, else the latest in force, else the newest. */
export function pickYear(years: TYear[] | undefined, wanted: number | null): TYear | null {
  if (!years?.length) return null;
  return years.find((y) => y.id === wanted) ?? years.find((y) => y.status === 'in_force') ?? years[0];
}

export const YEAR_STATUS: Record<TYear['status'], { label: () => string; color: string }> = {
  draft: { label: () => t('草稿', 'Draft'), color: 'default' },
  in_force: { label: () => t('已生效', 'In force'), color: 'green' },
  closed: { label: () => t('已结束', 'Closed'), color: 'purple' },
};

export const PLAN_STATUS: Record<TPlan['status'], { label: () => string; color: string }> = {
  draft: { label: () => t('编制中', 'Draft'), color: 'default' },
  submitted: { label: () => t('待审核', 'Submitted'), color: 'gold' },
  returned: { label: () => t('已退回', 'Returned'), color: 'red' },
  approved: { label: () => t('已批准', 'Approved'), color: 'green' },
};

export const ADJUSTMENT_STATUS: Record<TAdjustment['status'], { label: () => string; color: string }> = {
  requested: { label: () => t('待审核', 'Requested'), color: 'gold' },
  approved: { label: () => t('已同意', 'Approved'), color: 'green' },
  rejected: { label: () => t('未同意', 'Rejected'), color: 'red' },
};

export const DATA_SOURCE_LABEL: Record<DataSource, () => string> = {
  self_report: () => t('单位自报', 'Unit self-report'),
  third_party: () => t('第三方', 'Third party'),
  case_platform: () => t('12345平台统计', 'Case platform'),
  supervision: () => t('督查督办', 'Supervision'),
  evaluation: () => t('评议评价', 'Evaluation survey'),
};
export const DATA_SOURCE_COLOR: Record<DataSource, string> = {
  self_report: 'blue',
  third_party: 'purple',
  case_platform: 'orange',
  supervision: 'magenta',
  evaluation: 'cyan',
};

/** Mirrors CASE_METRICS in performance.schema.ts (runtime values cannot be imported from the server). */
export const CASE_METRIC_LABEL: Record<string, () => string> = {
  onTimeRate: () => t('按时办结率', 'On-time completion rate'),
  satisfactionRate: () => t('满意率', 'Satisfaction rate'),
  resolutionRate: () => t('解决率', 'Resolution rate'),
  signOnTimeRate: () => t('按时签收率', 'On-time sign-for rate'),
  redoRate: () => t('重办率', 'Redo rate'),
};

/** Mirrors METHOD_NAMES in methods.schema.ts. */
export const METHOD_LABEL: Record<MethodKind, () => string> = {
  ratio: () => t('完成比例计分', 'Completion ratio'),
  bands: () => t('区间计分', 'Interval bands'),
  increments: () => t('基准加减分', 'Baseline plus increments'),
  rank: () => t('排名计分', 'Rank within category'),
  benchmark: () => t('标杆值计分', 'Benchmark'),
  qualitative: () => t('定性评价', 'Qualitative grade'),
  deduction: () => t('扣分', 'Per-occurrence deduction'),
  bonus: () => t('加分', 'Per-occurrence bonus'),
  veto: () => t('一票否决', 'Veto'),
  formula: () => t('自定义公式', 'Custom formula'),
};
export const METHOD_KINDS = Object.keys(METHOD_LABEL) as MethodKind[];

export const AGGREGATE_LABEL: Record<TIndicator['aggregate'], () => string> = {
  sum: () => t('逐月累加（流量）', 'Sum of months (flow)'),
  last: () => t('取最新值（累计值）', 'Latest value (cumulative)'),
  avg: () => t('月度平均（比率）', 'Average of months (rate)'),
};

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
      return { kind, base: round2(points * 0.8), stepPercent: 10, stepPoints: round2(points * 0.1), stepPointsUnder: round2(points * 0.2), min: 0, max: points, deviation: 'relative' };
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
      return { kind, effect: 'cap_grade', capGrade: grades.includes('达标') ? '达标' : grades[Math.max(0, grades.length - 2)] };
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
  if (sumW <= 0) return distributePoints(total, weights.map(() => 1));
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
  for (const node of byId.values()) if (node.children) node.childSum = round3(node.children.reduce((s, c) => s + c.points, 0));
  return roots;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export { errorText } from '../../lib/api';

/** Names of the variables a formula uses (for the test panel), without functions and keywords. */
export function formulaVariables(expression: string): string[] {
  const reserved = new Set(['if', 'min', 'max', 'sum', 'avg', 'abs', 'round', 'ifnull', 'and', 'or', 'not', 'true', 'false']);
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
