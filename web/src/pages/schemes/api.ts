import { useQuery } from '@tanstack/react-query';
import type { TSpotCheck, TSpotCheckSetup } from '@server/modules/schemes/schemes.schema';
import type { TScoreTable } from '@server/modules/scoring/scoring.schema';
import type { TSubmission } from '@server/modules/reporting/reporting.schema';
import type { TIndicator } from '@server/modules/performance/performance.schema';
import { http } from '../../lib/api';
import { t } from '../../lib/i18n';
import { useYears } from '../performance/api';

export const SCHEMES_KEY = ['schemes'] as const;

export const schemesApi = {
  setup: (schemeId: number) => http.get<TSpotCheckSetup>(`/api/schemes/${schemeId}/spot-check-setup`),
  spotChecks: (schemeId: number, unitId?: number) =>
    http.get<TSpotCheck[]>(`/api/spot-checks?schemeId=${schemeId}${unitId ? `&unitId=${unitId}` : ''}`),
  createSpotCheck: (body: object) => http.post<TSpotCheck>('/api/spot-checks', body),
  scores: (schemeId: number, period: string, published: boolean) =>
    http.get<TScoreTable>(`/api/scores?yearId=${schemeId}&period=${period}${published ? '&published=1' : ''}`),
  indicators: (schemeId: number) => http.get<TIndicator[]>(`/api/years/${schemeId}/indicators`),
  submissions: (schemeId: number, indicatorId: number) =>
    http.get<TSubmission[]>(`/api/reporting/submissions?yearId=${schemeId}&indicatorId=${indicatorId}`),
  // Export URLs without their query: ExportButton adds the page's filters.
  spotChecksExportUrl: () => '/api/spot-checks/export',
  selfChecksExportUrl: (schemeId: number) => `/api/schemes/${schemeId}/self-checks/export`,
  resultsExportUrl: (schemeId: number) => `/api/schemes/${schemeId}/results/export`,
};

/** The special schemes (专项考核) not in draft, newest year first. */
export function useSpecialSchemes() {
  const years = useYears();
  return { ...years, data: (years.data ?? []).filter((y) => y.kind === 'special' && y.status !== 'draft') };
}

export function useSpotChecks(schemeId: number | null) {
  return useQuery({
    queryKey: [...SCHEMES_KEY, 'spot-checks', schemeId],
    queryFn: () => schemesApi.spotChecks(schemeId!),
    enabled: schemeId !== null,
  });
}

/** The reporting periods of a scheme: the month closing each half-year or quarter (all months for a monthly scheme). */
export function schemePeriods(scheme: { year: number; periods: 'month' | 'quarter' | 'half' }): string[] {
  const step = scheme.periods === 'half' ? 6 : scheme.periods === 'quarter' ? 3 : 1;
  return Array.from({ length: 12 / step }, (_, i) => `${scheme.year}-${String((i + 1) * step).padStart(2, '0')}`);
}

/** A reporting period as read: 2026-06 of a half-year scheme is 2026年上半年 (2026 H1). */
export function schemePeriodLabel(period: string, every: 'month' | 'quarter' | 'half'): string {
  const [y, m] = period.split('-').map(Number);
  if (every === 'half' && m % 6 === 0) return t(`${y}年${m === 6 ? '上' : '下'}半年`, `${y} H${m / 6}`);
  if (every === 'quarter' && m % 3 === 0) return t(`${y}年第${'一二三四'[m / 3 - 1]}季度`, `${y} Q${m / 3}`);
  return period;
}
