/** The assistance module's endpoints (requests, referral and its steps, figures, Excel) as typed functions and query hooks. */
import { useQuery } from '@tanstack/react-query';
import type {
  TListQuery,
  TRequestBody,
  TRequestDetail,
  TRequestList,
  TStats,
} from '@server/modules/assistance/assistance.schema';
import { http, qs } from '../../lib/api';

/** Query keys of the assistance pages; every write invalidates ['assistance']. */
export const AST_KEY = ['assistance'] as const;
export type AstFilters = Partial<Omit<TListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };
/** A step open on a request (the detail's `actions`). */
export type AstAction = TRequestDetail['actions'][number];

export const assistanceApi = {
  requests: (f: AstFilters) => http.get<TRequestList>(`/api/assistance/requests${qs(f)}`),
  request: (id: number) => http.get<TRequestDetail>(`/api/assistance/requests/${id}`),
  /** Registers a request at the desk (`refer` refers it at once). */
  register: (body: TRequestBody) => http.post<TRequestDetail>('/api/assistance/requests', body),
  /** One step of a request (`refer`, `sign`, `answer`, `urge`, `feedback`): POST /api/assistance/requests/:id/:action. */
  act: (id: number, action: AstAction, body: object) =>
    http.post<TRequestDetail>(`/api/assistance/requests/${id}/${action}`, body),
  stats: (year: number) => http.get<TStats>(`/api/assistance/stats${qs({ year })}`),
  /** The register's Excel export; the page's filters are added as the query. */
  requestsExportPath: '/api/assistance/requests.xlsx',
  /** The year's figures in Excel; the year is added as the query. */
  statsExportPath: '/api/assistance/stats.xlsx',
};

export const useRequests = (f: AstFilters) =>
  useQuery({ queryKey: [...AST_KEY, 'list', f], queryFn: () => assistanceApi.requests(f) });
export const useRequest = (id: number | null) =>
  useQuery({ queryKey: [...AST_KEY, 'one', id], queryFn: () => assistanceApi.request(id!), enabled: id !== null });
export const useAstStats = (year: number) =>
  useQuery({ queryKey: [...AST_KEY, 'stats', year], queryFn: () => assistanceApi.stats(year) });
