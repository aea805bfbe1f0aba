/** The mediation module's endpoints (disputes, sessions, outcomes, the agreement, figures, Excel) as typed functions and query hooks. */
import { useQuery } from '@tanstack/react-query';
import type {
  TCaseDetail,
  TCaseInput,
  TCaseList,
  TListQuery,
  TMediator,
  TOutcomeInput,
  TSessionInput,
  TStats,
} from '@server/modules/mediation/mediation.schema';
import { http, qs } from '../../lib/api';

/** Query keys of the mediation pages; every write invalidates ['mediation']. */
export const MED_KEY = ['mediation'] as const;
export type MedFilters = Partial<Omit<TListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

export const mediationApi = {
  cases: (f: MedFilters) => http.get<TCaseList>(`/api/mediation/cases${qs(f)}`),
  case: (id: number) => http.get<TCaseDetail>(`/api/mediation/cases/${id}`),
  create: (body: TCaseInput) => http.post<TCaseDetail>('/api/mediation/cases', body),
  /** Corrects an open dispute. */
  update: (id: number, body: TCaseInput) => http.put<TCaseDetail>(`/api/mediation/cases/${id}`, body),
  addSession: (id: number, body: TSessionInput) => http.post<TCaseDetail>(`/api/mediation/cases/${id}/sessions`, body),
  conclude: (id: number, body: TOutcomeInput) => http.post<TCaseDetail>(`/api/mediation/cases/${id}/outcome`, body),
  stats: (year: number) => http.get<TStats>(`/api/mediation/stats${qs({ year })}`),
  mediators: () => http.get<TMediator[]>('/api/mediation/mediators'),
  /** The 人民调解协议书 of an agreed dispute (.docx). */
  agreementUrl: (id: number) => `/api/mediation/cases/${id}/agreement.docx`,
  /** The ledger's Excel export; the page's filters are added as the query. */
  casesExportPath: '/api/mediation/cases.xlsx',
  /** The year's figures in Excel; the year is added as the query. */
  statsExportPath: '/api/mediation/stats.xlsx',
};

export const useCases = (f: MedFilters) =>
  useQuery({ queryKey: [...MED_KEY, 'list', f], queryFn: () => mediationApi.cases(f) });
export const useCase = (id: number | null) =>
  useQuery({ queryKey: [...MED_KEY, 'case', id], queryFn: () => mediationApi.case(id!), enabled: id !== null });
export const useMedStats = (year: number) =>
  useQuery({ queryKey: [...MED_KEY, 'stats', year], queryFn: () => mediationApi.stats(year) });
export const useMediators = (enabled: boolean) =>
  useQuery({ queryKey: [...MED_KEY, 'mediators'], queryFn: mediationApi.mediators, enabled });
