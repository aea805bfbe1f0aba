import { useQuery } from '@tanstack/react-query';
import type {
  TCaseDrill,
  TCaseDrillQuery,
  TCockpit,
  TLightDrill,
  TLightDrillQuery,
  TRatingDrill,
  TRatingDrillQuery,
  TReportDrill,
  TReportDrillQuery,
  TTaskDrill,
  TTaskDrillQuery,
} from '@server/modules/cockpit/cockpit.schema';
import { http, qs } from '../../lib/api';

export type { TCockpit };
export const COCKPIT_KEY = ['cockpit'] as const;

/** The cockpit's numbers, refreshed every minute while open (the meeting-room screen stays on). */
export function useCockpit() {
  return useQuery({
    queryKey: [...COCKPIT_KEY, 'overview'],
    queryFn: () => http.get<TCockpit>('/api/cockpit'),
    refetchInterval: 60_000,
  });
}

export type StreetGeo = {
  type: 'FeatureCollection';
  features: { properties: { code: string; name: string; center: [number, number] } }[];
};
export function useStreetMap() {
  return useQuery({
    queryKey: [...COCKPIT_KEY, 'map'],
    queryFn: () => http.get<StreetGeo>('/api/cockpit/map'),
    staleTime: Infinity,
  });
}

/** What a click on a number opens: the list behind it. */
export type Drill =
  | { kind: 'lights'; title: string; q: Partial<TLightDrillQuery> }
  | { kind: 'reports'; title: string; q: Partial<TReportDrillQuery> }
  | { kind: 'tasks'; title: string; q: Partial<TTaskDrillQuery> }
  | { kind: 'cases'; title: string; q: Partial<TCaseDrillQuery> }
  | { kind: 'ratings'; title: string; q: Partial<TRatingDrillQuery> };

type DrillResult = TLightDrill | TReportDrill | TTaskDrill | TCaseDrill | TRatingDrill;
export function useDrill(d: Drill | null) {
  return useQuery({
    queryKey: [...COCKPIT_KEY, 'drill', d?.kind, d?.q],
    queryFn: () => http.get<DrillResult>(`/api/cockpit/drill/${d!.kind}${qs(d!.q as Record<string, string>)}`),
    enabled: d !== null,
  });
}
export type { TCaseDrill, TLightDrill, TRatingDrill, TReportDrill, TTaskDrill };
