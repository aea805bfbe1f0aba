import { INPUT_SOURCE_NAMES } from '@common/performance';
import type {
  TComparison,
  TDeduction,
  TExplanation,
  TPublication,
  TSandboxResult,
  TScoreInput,
  TScoreRow,
  TScoreTable,
  TTreeNode,
  TUnitScores,
} from '@server/modules/scoring/scoring.schema';
import { t } from '../../lib/i18n';
import { labelsOf } from '../../lib/names';

export type {
  TComparison,
  TDeduction,
  TExplanation,
  TPublication,
  TSandboxResult,
  TScoreInput,
  TScoreRow,
  TScoreTable,
  TTreeNode,
  TUnitScores,
};
export type { ExplainTarget } from './api';

// ---------- periods ----------

export type PeriodKind = 'year' | 'half' | 'quarter' | 'month';

export const PERIOD_KIND_LABEL: Record<PeriodKind, () => string> = {
  year: () => t('年度（累计）', 'Year to date'),
  half: () => t('半年', 'Half year'),
  quarter: () => t('季度', 'Quarter'),
  month: () => t('月度', 'Month'),
};

/** The period codes of a kind in a year, with labels. */
export function periodOptions(year: number, kind: PeriodKind): { value: string; label: string }[] {
  switch (kind) {
    case 'year':
      return [{ value: String(year), label: t(`${year}年（累计至最新月份）`, `${year} (to date)`) }];
    case 'half':
      return [
        { value: `${year}-H1`, label: t('上半年', 'H1') },
        { value: `${year}-H2`, label: t('下半年', 'H2') },
      ];
    case 'quarter':
      return [1, 2, 3, 4].map((q) => ({ value: `${year}-Q${q}`, label: t(`第${'一二三四'[q - 1]}季度`, `Q${q}`) }));
    case 'month':
      return Array.from({ length: 12 }, (_, m) => ({
        value: `${year}-${String(m + 1).padStart(2, '0')}`,
        label: t(`${m + 1}月`, `Month ${m + 1}`),
      }));
  }
}

export function kindOfPeriod(period: string): PeriodKind {
  if (period.length === 4) return 'year';
  if (period[5] === 'H') return 'half';
  if (period[5] === 'Q') return 'quarter';
  return 'month';
}

// ---------- presentation ----------

/** Two decimals, no float noise; '—' for none. */
export function pts(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return (Math.round(n * 100) / 100).toFixed(2);
}

export function signed(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const r = Math.round(n * 100) / 100;
  return `${r > 0 ? '+' : ''}${r.toFixed(2)}`;
}

const GRADE_COLORS = ['green', 'blue', 'cyan', 'gold', 'red', 'volcano', 'magenta'];
/** Tag colour of a grade by its place in the year's rule (0 = best; the last one red). */
export function gradeColor(index: number, count: number): string {
  if (index < 0) return 'default';
  if (index === count - 1 && count > 1) return 'red';
  return GRADE_COLORS[Math.min(index, GRADE_COLORS.length - 1)];
}

export const INPUT_SOURCE_LABEL: Record<TScoreInput['provenance']['source'], () => string> =
  labelsOf(INPUT_SOURCE_NAMES);

export const STATUS_LABEL: Record<string, () => string> = {
  ok: () => t('已计分', 'Scored'),
  missing_value: () => t('缺少数据', 'No value'),
  missing_target: () => t('缺少目标值', 'No target'),
  invalid: () => t('配置无效', 'Invalid'),
  not_applicable: () => t('不适用', 'Not applicable'),
};

/** Beijing time, whatever the browser's zone (the one display of instants, lib/time). */
export { fmtTime } from '../../lib/time';
