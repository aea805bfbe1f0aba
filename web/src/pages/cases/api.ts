/** The cases module's endpoints (12345 cases, escalations, notices, settings, statistics, Open311 keys) as typed functions and query hooks. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  TCaseCategory,
  TCaseCounts,
  TCaseDetail,
  TCaseList,
  TCaseSettings,
  TConfidential,
  TDuplicate,
  TEscalationView,
  TIntakeResult,
  TNotice,
  TPublicCategory,
  TPublicCreated,
  TRoutingRule,
  TRoutingSuggestion,
  TTrackResult,
} from '@server/modules/cases/cases.schema';
import type { TFormulas, TMonthStats, TSyncResult, TTrend } from '@server/modules/casestats/casestats.schema';
import type {
  TApiKey,
  TApiKeyCreate,
  TApiKeyCreated,
  TApiKeyUpdate,
  TOpen311Settings,
} from '@server/modules/open311/open311.schema';
import { api, http, qs } from '../../lib/api';

type Query = Record<string, string | number | boolean | undefined | null>;

/** Query keys of the cases pages; every write invalidates ['cases'] and the lists hanging off it. */
export const CASES_KEY = ['cases'] as const;
export const caseKey = (id: number) => ['cases', 'detail', id] as const;
export const ESCALATIONS_KEY = ['escalations'] as const;
export const NOTICES_KEY = ['case-notices'] as const;
export const CASE_CATEGORIES_KEY = ['case-categories'] as const;
export const ROUTING_RULES_KEY = ['routing-rules'] as const;
export const CASE_SETTINGS_KEY = ['case-settings'] as const;
export const CASE_STATS_KEY = ['case-stats'] as const;
export const OPEN311_KEYS_KEY = ['open311-keys'] as const;
export const OPEN311_SETTINGS_KEY = ['open311-settings'] as const;

export const casesApi = {
  casesExportUrl: () => '/api/cases/export',
  statsExportUrl: () => '/api/case-stats/export',
  list: (query: Query) => http.get<TCaseList>(`/api/cases${qs(query)}`),
  detail: (id: number) => http.get<TCaseDetail>(`/api/cases/${id}`),
  counts: () => http.get<TCaseCounts>('/api/cases/counts'),
  duplicatesOf: (id: number) => http.get<TDuplicate[]>(`/api/cases/${id}/duplicates`),
  duplicates: (query: Query) => http.get<TDuplicate[]>(`/api/cases/duplicates${qs(query)}`),
  routingSuggestion: (query: Query) => http.get<TRoutingSuggestion>(`/api/cases/routing-suggestion${qs(query)}`),
  routingSuggestionOf: (id: number) => http.get<TRoutingSuggestion>(`/api/cases/${id}/routing-suggestion`),
  intake: (body: object) => http.post<TIntakeResult>('/api/cases', body),
  /** One step of a case's workflow (`dispatch`, `sign`, `merge`, `remind`, …): POST /api/cases/:id/:action. */
  act: <T = TCaseDetail>(id: number, action: string, body: object = {}) =>
    http.post<T>(`/api/cases/${id}/${action}`, body),
  /** Marks a case confidential (never on the public API) or lifts it, with the reason (on the timeline). */
  setConfidential: (id: number, body: TConfidential) => http.post<TCaseDetail>(`/api/cases/${id}/confidential`, body),
  uploadAttachments: (id: number, form: FormData) =>
    api<{ ids: number[] }>('POST', `/api/cases/${id}/attachments`, form),
  attachmentUrl: (caseId: number, attachmentId: number) => `/api/cases/${caseId}/attachments/${attachmentId}`,
  escalations: (status: 'pending' | 'approved' | 'closed') =>
    http.get<TEscalationView[]>(`/api/escalations${qs({ status })}`),
  decideEscalation: (id: number, body: { approve: boolean; note: string }) =>
    http.post<TEscalationView>(`/api/escalations/${id}/decide`, body),
  followEscalation: (id: number, body: { note: string }) =>
    http.post<TEscalationView>(`/api/escalations/${id}/follow`, body),
  unreadNotices: () => http.get<TNotice[]>('/api/case-notices?unread=1'),
  readNotice: (id: number) => http.post<unknown>(`/api/case-notices/${id}/read`),
  categories: () => http.get<TCaseCategory[]>('/api/case-categories'),
  publicCategories: () => http.get<TPublicCategory[]>('/api/public/case-categories'),
  createCategory: (body: object) => http.post<TCaseCategory>('/api/case-categories', body),
  updateCategory: (id: number, body: object) => http.patch<TCaseCategory>(`/api/case-categories/${id}`, body),
  deleteCategory: (id: number) => http.delete<void>(`/api/case-categories/${id}`),
  routingRules: () => http.get<TRoutingRule[]>('/api/routing-rules'),
  createRoutingRule: (body: object) => http.post<TRoutingRule>('/api/routing-rules', body),
  updateRoutingRule: (id: number, body: object) => http.patch<TRoutingRule>(`/api/routing-rules/${id}`, body),
  deleteRoutingRule: (id: number) => http.delete<void>(`/api/routing-rules/${id}`),
  settings: () => http.get<TCaseSettings>('/api/case-settings'),
  saveSettings: (body: TCaseSettings) => http.put<TCaseSettings>('/api/case-settings', body),
  monthStats: (month: string) => http.get<TMonthStats>(`/api/case-stats${qs({ month })}`),
  trend: (query: Query) => http.get<TTrend>(`/api/case-stats/trend${qs(query)}`),
  formulas: () => http.get<TFormulas>('/api/case-stats/formulas'),
  saveFormulas: (formulas: Record<string, string>) => http.put<TFormulas>('/api/case-stats/formulas', { formulas }),
  syncStats: () => http.post<TSyncResult>('/api/case-stats/sync', { rebuild: false }),
  apiKeys: () => http.get<TApiKey[]>('/api/open311/keys'),
  createApiKey: (body: TApiKeyCreate) => http.post<TApiKeyCreated>('/api/open311/keys', body),
  updateApiKey: (id: number, body: TApiKeyUpdate) => http.patch<TApiKey>(`/api/open311/keys/${id}`, body),
  /** The Open311 interface's settings (CORS origins, keys for reads, extended statuses, read limits, service area). */
  open311Settings: () => http.get<TOpen311Settings>('/api/open311/settings'),
  saveOpen311Settings: (body: TOpen311Settings) => http.put<TOpen311Settings>('/api/open311/settings', body),
  /** Citizens' pages (no login). */
  publicCreate: (form: FormData) => api<TPublicCreated>('POST', '/api/public/cases', form),
  publicTrack: (body: object) => api<TTrackResult>('POST', '/api/public/cases/track', body),
  publicRate: (body: object) => api<TTrackResult>('POST', '/api/public/cases/rate', body),
};

export function useCaseCategories(enabled = true) {
  return useQuery({ queryKey: CASE_CATEGORIES_KEY, queryFn: casesApi.categories, enabled, staleTime: 60_000 });
}

export function usePublicCategories() {
  return useQuery({ queryKey: ['public-case-categories'], queryFn: casesApi.publicCategories, staleTime: 300_000 });
}

export function useCaseCounts(enabled = true) {
  return useQuery({ queryKey: [...CASES_KEY, 'counts'], queryFn: casesApi.counts, enabled, refetchInterval: 60_000 });
}

export function useCase(id: number) {
  return useQuery({
    queryKey: caseKey(id),
    queryFn: () => casesApi.detail(id),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/** A page of cases; `key` names the list in the cache (queue, inbox tab, board …). */
export function useCaseList(
  key: readonly unknown[],
  query: Query,
  options: { enabled?: boolean; refetchInterval?: number; keepPrevious?: boolean } = {},
) {
  return useQuery({
    queryKey: [...CASES_KEY, ...key],
    queryFn: () => casesApi.list(query),
    enabled: options.enabled,
    refetchInterval: options.refetchInterval,
    placeholderData: options.keepPrevious ? (prev: TCaseList | undefined) => prev : undefined,
  });
}

export function useCaseDuplicates(caseId: number) {
  return useQuery({ queryKey: [...CASES_KEY, 'duplicates', caseId], queryFn: () => casesApi.duplicatesOf(caseId) });
}

export function useEscalations(status: 'pending' | 'approved' | 'closed', key: string = status, enabled = true) {
  return useQuery({ queryKey: [...ESCALATIONS_KEY, key], queryFn: () => casesApi.escalations(status), enabled });
}

export function useUnreadNotices() {
  return useQuery({ queryKey: [...NOTICES_KEY, 'unread'], queryFn: casesApi.unreadNotices, refetchInterval: 60_000 });
}

export function useRoutingRules() {
  return useQuery({ queryKey: ROUTING_RULES_KEY, queryFn: casesApi.routingRules });
}

export function useCaseSettings() {
  return useQuery({ queryKey: CASE_SETTINGS_KEY, queryFn: casesApi.settings });
}

export function useApiKeys() {
  return useQuery({ queryKey: OPEN311_KEYS_KEY, queryFn: casesApi.apiKeys });
}

export function useOpen311Settings() {
  return useQuery({ queryKey: OPEN311_SETTINGS_KEY, queryFn: casesApi.open311Settings });
}

/** Invalidates every cached case list, detail and counter after a write. */
export function useRefreshCases() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: CASES_KEY }),
      qc.invalidateQueries({ queryKey: ESCALATIONS_KEY }),
      qc.invalidateQueries({ queryKey: NOTICES_KEY }),
    ]);
}
