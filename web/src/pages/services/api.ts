/** The services module's endpoints (catalogue, window and department work, 电子监察, complaints, figures, the citizens' pages) as typed functions and query hooks. */
import { useQuery } from '@tanstack/react-query';
import type { TRate } from '@server/modules/ratings/ratings.schema';
import type {
  TAppDetail,
  TAppList,
  TComplaintDecision,
  TComplaintInput,
  TComplaints,
  TCorrectionInput,
  TDecision,
  TEvaluationRow,
  TFigure,
  TFiled,
  THotlineComplaint,
  TInbox,
  TItem,
  TItemInput,
  TListQuery,
  TNoticeInput,
  TTrack,
  TTrackView,
} from '@server/modules/services/services.schema';
import { api, http, qs } from '../../lib/api';

export type { TAppDetail, TAppList, TFigure, TItem, TTrackView };

/** Query keys of the services pages; every write invalidates ['services'] and the lists hanging off it. */
export const SVC_KEY = ['services'] as const;
export const applicationKey = (id: number | null) => [...SVC_KEY, 'app', id] as const;

export type ListFilters = Partial<Omit<TListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };
type ItemFilters = { q?: string; kind?: string };
type ImportResult = { created: number; updated: number; unchanged: number };
/** A step of the window's part of an application (POST /api/services/applications/:id/:action). */
export type WindowAction =
  | { action: 'accept' | 'deliver' | 'supplement'; body: { note?: string } }
  | { action: 'refuse'; body: { reason: string } }
  | { action: 'correction'; body: TCorrectionInput }
  | { action: 'notice'; body: TNoticeInput };

export const servicesApi = {
  items: (f: ItemFilters = {}) => http.get<TItem[]>(`/api/services/items${qs(f)}`),
  createItem: (body: TItemInput) => http.post<TItem>('/api/services/items', body),
  updateItem: (id: number, body: TItemInput) => http.put<TItem>(`/api/services/items/${id}`, body),
  /** The catalogue from an Excel workbook (multipart field `file`); a refused import saves nothing. */
  importItems: (form: FormData) => api<ImportResult>('POST', '/api/services/items/import', form),
  itemsExportUrl: () => '/api/services/items.xlsx',
  /** Files an application at the window (fields and materials as multipart). */
  file: (form: FormData) => api<TFiled>('POST', '/api/services/applications', form),
  applications: (f: ListFilters) => http.get<TAppList>(`/api/services/applications${qs(f)}`),
  /** Every open application with its light (电子监察). */
  monitor: (f: ListFilters) => http.get<TAppList>(`/api/services/monitor${qs(f)}`),
  application: (id: number) => http.get<TAppDetail>(`/api/services/applications/${id}`),
  act: (id: number, a: WindowAction) => http.post<TAppDetail>(`/api/services/applications/${id}/${a.action}`, a.body),
  signStep: (stepId: number) => http.post<TAppDetail>(`/api/services/steps/${stepId}/sign`, {}),
  decideStep: (stepId: number, body: TDecision) => http.post<TAppDetail>(`/api/services/steps/${stepId}/decide`, body),
  fileUrl: (fileId: number) => `/api/services/files/${fileId}`,
  inbox: (query: { status?: string; page: number; pageSize: number }) =>
    http.get<TInbox>(`/api/services/inbox${qs(query)}`),
  complaints: (query: { status?: string; pageSize: number }) =>
    http.get<TComplaints>(`/api/services/complaints${qs(query)}`),
  hotlineComplaint: (body: THotlineComplaint) =>
    http.post<{ id: number; decideBy: string }>('/api/services/complaints', body),
  decideComplaint: (id: number, body: TComplaintDecision) =>
    http.post<TComplaints>(`/api/services/complaints/${id}/decide`, body),
  figures: (year: number, month?: number) => http.get<TFigure[]>(`/api/services/figures${qs({ year, month })}`),
  figuresExportUrl: (year: number, month?: number) => `/api/services/figures.xlsx${qs({ year, month })}`,
  evaluation: (year: number, quarter: number) =>
    http.get<TEvaluationRow[]>(`/api/services/evaluation${qs({ year, quarter })}`),
  /** Citizens' pages (no login): number + password identify the applicant. */
  publicItems: (f: ItemFilters = {}) => http.get<TItem[]>(`/api/public/services/items${qs(f)}`),
  publicFile: (form: FormData) => api<TFiled>('POST', '/api/public/services/applications', form),
  publicTrack: (body: TTrack) => http.post<TTrackView>('/api/public/services/track', body),
  /** 补正 materials from the applicant (number, password and files as multipart). */
  publicSupplement: (form: FormData) => api<TTrackView>('POST', '/api/public/services/supplement', form),
  publicRate: (body: TTrack & TRate) => http.post<TTrackView>('/api/public/services/rate', body),
  publicComplain: (body: TTrack & TComplaintInput) =>
    http.post<{ id: number; decideBy: string }>('/api/public/services/complaints', body),
};

/** The catalogue: the console's (every item) or the public one (active items only). */
export function useItems(publicList = false, f: ItemFilters = {}) {
  return useQuery({
    queryKey: [...SVC_KEY, 'items', publicList, f],
    queryFn: () => (publicList ? servicesApi.publicItems(f) : servicesApi.items(f)),
  });
}

/** A page of applications: the user's own list, or (monitor) every open one with its light. */
export function useApplications(f: ListFilters, monitor = false) {
  return useQuery({
    queryKey: [...SVC_KEY, monitor ? 'monitor' : 'list', f],
    queryFn: () => (monitor ? servicesApi.monitor(f) : servicesApi.applications(f)),
  });
}

export function useApplication(id: number | null) {
  return useQuery({
    queryKey: applicationKey(id),
    queryFn: () => servicesApi.application(id!),
    enabled: id !== null,
  });
}

/** The department's open steps, most urgent first. */
export function useInbox(status: string, page: number) {
  return useQuery({
    queryKey: [...SVC_KEY, 'inbox', status, page],
    queryFn: () => servicesApi.inbox({ status: status || undefined, page, pageSize: 20 }),
  });
}

export function useComplaints(status: string) {
  return useQuery({
    queryKey: [...SVC_KEY, 'complaints', status],
    queryFn: () => servicesApi.complaints({ status: status || undefined, pageSize: 50 }),
  });
}

export function useFigures(year: number, month?: number) {
  return useQuery({ queryKey: [...SVC_KEY, 'figures', year, month], queryFn: () => servicesApi.figures(year, month) });
}

export function useEvaluation(year: number, quarter: number) {
  return useQuery({
    queryKey: [...SVC_KEY, 'evaluation', year, quarter],
    queryFn: () => servicesApi.evaluation(year, quarter),
  });
}

/** The units: the one hook every module's pickers use (admin/api). */
export { useUnits } from '../admin/api';
