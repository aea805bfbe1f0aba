import { useQuery } from '@tanstack/react-query';
import type { TSpotCheck, TSpotCheckSetup } from '@server/modules/schemes/schemes.schema';
import type { TScoreTable } from '@server/modules/scoring/scoring.schema';
import type { TSubmission } from '@server/modules/reporting/reporting.schema';
import type { TIndicator } from '@server/modules/performance/performance.schema';
import { http } from '../../lib/api';
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
