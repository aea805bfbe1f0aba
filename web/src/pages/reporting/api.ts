/** The reporting module's endpoints (forms, deadlines, submissions, revisions, evidence, third-party data, overviews, Excel) as typed functions and query hooks. */
import { useQuery } from '@tanstack/react-query';
import type {
  TAnomalyItem,
  TBulkResult,
  TForm,
  TFormSummary,
  THomeSummary,
  TMatrix,
  TOverdue,
  TReportingSettings,
  TRevisionItem,
  TSubmission,
  TSubmissionDetail,
  TThirdPartyGrid,
  TTodo,
} from '@server/modules/reporting/reporting.schema';
import { http, qs } from '../../lib/api';

type Query = Record<string, string | number | boolean | undefined | null>;

export const REPORTING = ['reporting'] as const;
export const todoKey = (unitId?: number, yearId?: number) => ['reporting', 'todo', unitId ?? 0, yearId ?? 0] as const;
export const submissionKey = (id: number) => ['reporting', 'submission', id] as const;
export const formKey = (indicatorId: number) => ['reporting', 'form', indicatorId] as const;

export const reportingApi = {
  submissionsExportUrl: () => '/api/reporting/submissions/export',
  lightsExportUrl: () => '/api/reporting/lights-overview/export',
  /** A unit's to-do list of a scheme (the annual one in force when yearId is left out). */
  todo: (unitId?: number, yearId?: number) => http.get<TTodo>(`/api/reporting/todo${qs({ unitId, yearId })}`),
  settings: () => http.get<TReportingSettings>('/api/reporting/settings'),
  saveSettings: (yearId: number, patch: Partial<TReportingSettings>) =>
    http.put<TReportingSettings>(`/api/reporting/settings/${yearId}`, patch),
  home: () => http.get<THomeSummary>('/api/reporting/home'),
  forms: () => http.get<TFormSummary[]>('/api/reporting/forms'),
  form: (indicatorId: number) => http.get<TForm>(`/api/reporting/forms/${indicatorId}`),
  saveForm: (indicatorId: number, definition: object) =>
    http.put<TForm>(`/api/reporting/forms/${indicatorId}`, definition),
  resetForm: (indicatorId: number) => http.delete<TForm>(`/api/reporting/forms/${indicatorId}`),
  testRule: (body: object) =>
    http.post<{ ok: boolean; value: number | null; passed: boolean | null; message: string }>(
      '/api/reporting/forms/test-rule',
      body,
    ),
  setDeadline: (indicatorId: number, body: object) => http.put<TForm>(`/api/reporting/deadlines/${indicatorId}`, body),
  clearDeadline: (indicatorId: number) => http.delete<TForm>(`/api/reporting/deadlines/${indicatorId}`),
  submissions: (query: Query) => http.get<TSubmission[]>(`/api/reporting/submissions${qs(query)}`),
  submission: (id: number) => http.get<TSubmissionDetail>(`/api/reporting/submissions/${id}`),
  createSubmission: (body: { indicatorId: number; unitId: number; period: string; values: object }) =>
    http.post<TSubmissionDetail>('/api/reporting/submissions', body),
  saveSubmission: (id: number, values: object) =>
    http.put<TSubmissionDetail>(`/api/reporting/submissions/${id}`, { values }),
  deleteSubmission: (id: number) => http.delete<void>(`/api/reporting/submissions/${id}`),
  /** A workflow step of one submission (`submit`, `approve`, `accept`, `return`, `revisions` …). */
  act: (id: number, action: string, body: object = {}) =>
    http.post<TSubmissionDetail>(`/api/reporting/submissions/${id}/${action}`, body),
  /** The same step for many submissions at once (`approve` / `accept`). */
  bulk: (action: string, ids: number[]) => http.post<TBulkResult>(`/api/reporting/submissions/${action}`, { ids }),
  revisions: () => http.get<TRevisionItem[]>('/api/reporting/revisions'),
  decideRevision: (id: number, approve: boolean, comment?: string) =>
    http.post<TSubmissionDetail>(`/api/reporting/revisions/${id}/${approve ? 'approve' : 'reject'}`, {
      comment: comment || undefined,
    }),
  evidenceUrl: (id: number) => `/api/reporting/evidence/${id}`,
  evidenceUploadUrl: (submissionId: number) => `/api/reporting/submissions/${submissionId}/evidence`,
  deleteEvidence: (id: number) => http.delete<void>(`/api/reporting/evidence/${id}`),
  thirdParty: (period: string) => http.get<TThirdPartyGrid>(`/api/reporting/third-party${qs({ period })}`),
  saveThirdParty: (body: object) => http.put<{ saved: number; unchanged: number }>('/api/reporting/third-party', body),
  matrix: (query: string) => http.get<TMatrix>(`/api/reporting/matrix${query}`),
  matrixExportUrl: (query: string) => `/api/reporting/matrix/export${query}`,
  overdue: (period?: string | null) => http.get<TOverdue>(`/api/reporting/overdue${qs({ period })}`),
  anomalies: () => http.get<TAnomalyItem[]>('/api/reporting/anomalies'),
  lightsOverview: <T>() => http.get<T>('/api/reporting/lights-overview'),
  excelTemplateUrl: (unitId: number, period: string) => `/api/reporting/excel/template${qs({ unitId, period })}`,
  excelUploadUrl: (unitId: number, period: string) => `/api/reporting/excel/upload${qs({ unitId, period })}`,
};

export function useTodo(unitId?: number, yearId?: number) {
  return useQuery({ queryKey: todoKey(unitId, yearId), queryFn: () => reportingApi.todo(unitId, yearId) });
}

export function useReportingSettings() {
  return useQuery({ queryKey: ['reporting', 'settings'], queryFn: reportingApi.settings, staleTime: 60_000 });
}

export function useReportingHome() {
  return useQuery({ queryKey: ['reporting', 'home'], queryFn: reportingApi.home, staleTime: 30_000 });
}

export function useForms() {
  return useQuery({ queryKey: ['reporting', 'forms'], queryFn: reportingApi.forms });
}

export function useForm(indicatorId: number | null | undefined) {
  return useQuery({
    queryKey: formKey(indicatorId ?? 0),
    queryFn: () => reportingApi.form(indicatorId!),
    enabled: !!indicatorId,
  });
}

export function useSubmission(id: number | null | undefined) {
  return useQuery({ queryKey: submissionKey(id ?? 0), queryFn: () => reportingApi.submission(id!), enabled: !!id });
}
