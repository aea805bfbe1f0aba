/** The performance module's endpoints (years, indicators, plans, adjustments, scores, publications, deductions, inputs) as typed functions and query hooks. */
import { useQuery } from '@tanstack/react-query';
import type {
  TAdjustment,
  TIndicator,
  TPlan,
  TPlanSummary,
  TYear,
  TYearProblem,
} from '@server/modules/performance/performance.schema';
import type {
  TAhpResult,
  TComparison,
  TCompletenessList,
  TDeduction,
  TExplanation,
  TFormulaResult,
  TPublication,
  TPublicScores,
  TPublicScoreYear,
  TSandboxResult,
  TScoreInput,
  TScoreTable,
  TUnitScores,
  TUnitScoreSummary,
} from '@server/modules/scoring/scoring.schema';
import { http, qs } from '../../lib/api';

export const PERFORMANCE_KEY = ['performance'] as const;
export const YEARS_KEY = ['performance', 'years'] as const;
export const indicatorsKey = (yearId: number) => ['performance', 'indicators', yearId] as const;
export const plansKey = (yearId: number) => ['performance', 'plans', yearId] as const;
export const planKey = (yearId: number, unitId: number) => ['performance', 'plan', yearId, unitId] as const;
export const adjustmentsKey = (yearId: number) => ['performance', 'adjustments', yearId] as const;
/** Query keys under ['scores'], invalidated together after any change that moves scores. */
export const SCORES_KEY = ['scores'] as const;

const pub = (published?: boolean) => (published ? 1 : undefined);

export const performanceApi = {
  years: () => http.get<TYear[]>('/api/years'),
  createScheme: (body: object) => http.post<TYear>('/api/schemes', body),
  updateScheme: (id: number, body: object) => http.patch<TYear>(`/api/schemes/${id}`, body),
  createYear: (body: object) => http.post<TYear>('/api/years', body),
  updateYear: (id: number, body: object) => http.patch<TYear>(`/api/years/${id}`, body),
  /** activate | close */
  yearAction: (id: number, action: 'activate' | 'close') => http.post<TYear>(`/api/years/${id}/${action}`),
  deleteYear: (id: number) => http.delete<void>(`/api/years/${id}`),
  checkYear: (id: number) => http.get<{ ok: boolean; problems: TYearProblem[] }>(`/api/years/${id}/check`),
  copyYear: (id: number, body: { year: number; name?: string }) => http.post<TYear>(`/api/years/${id}/copy`, body),
  indicators: (yearId: number) => http.get<TIndicator[]>(`/api/years/${yearId}/indicators`),
  createIndicator: (yearId: number, body: object) => http.post<TIndicator>(`/api/years/${yearId}/indicators`, body),
  updateIndicator: (id: number, body: object) => http.patch<TIndicator>(`/api/indicators/${id}`, body),
  deleteIndicator: (id: number) => http.delete<void>(`/api/indicators/${id}`),
  setWeights: (parentId: number, weights: { id: number; weight: number }[]) =>
    http.put<TIndicator[]>(`/api/indicators/${parentId}/weights`, { weights }),
  ahp: (matrix: number[][]) => http.post<TAhpResult>('/api/ahp', { matrix }),
  evaluateFormula: (expression: string, variables: Record<string, number>) =>
    http.post<TFormulaResult>('/api/formulas/evaluate', { expression, variables }),
  plans: (yearId: number) => http.get<TPlanSummary[]>(`/api/years/${yearId}/plans`),
  plan: (yearId: number, unitId: number) => http.get<TPlan>(`/api/years/${yearId}/plans/${unitId}`),
  savePlan: (yearId: number, unitId: number, targets: object[]) =>
    http.put<TPlan>(`/api/years/${yearId}/plans/${unitId}`, { targets }),
  submitPlan: (yearId: number, unitId: number) => http.post<TPlan>(`/api/years/${yearId}/plans/${unitId}/submit`),
  decidePlan: (yearId: number, unitId: number, approve: boolean, comment?: string) =>
    http.post<TPlan>(`/api/years/${yearId}/plans/${unitId}/${approve ? 'approve' : 'return'}`, { comment }),
  adjustments: (yearId: number, status?: TAdjustment['status']) =>
    http.get<TAdjustment[]>(`/api/years/${yearId}/adjustments${qs({ status })}`),
  requestAdjustment: (yearId: number, unitId: number, body: object) =>
    http.post<TAdjustment>(`/api/years/${yearId}/plans/${unitId}/adjustments`, body),
  decideAdjustment: (id: number, approve: boolean, comment?: string) =>
    http.post<TAdjustment>(`/api/adjustments/${id}/${approve ? 'approve' : 'reject'}`, { comment }),
  bookUrl: (yearId: number, unitId?: number) =>
    unitId ? `/api/years/${yearId}/plans/${unitId}/book.docx` : `/api/years/${yearId}/book.docx`,
  /** The Excel template / import / export of a year's indicator tree (ExcelListButtons adds /template, /import, /export). */
  indicatorsExcelBase: (yearId: number) => `/api/years/${yearId}/indicators/excel`,
  scoreTable: (yearId: number, period: string | null, published?: boolean) =>
    http.get<TScoreTable>(`/api/scores${qs({ yearId, period, published: pub(published) })}`),
  unitScores: (yearId: number, unitId: number, period: string | null, published?: boolean) =>
    http.get<TUnitScores>(`/api/scores/units/${unitId}${qs({ yearId, period, published: pub(published) })}`),
  unitScoreSummary: (yearId: number, unitId: number) =>
    http.get<TUnitScoreSummary>(`/api/scores/units/${unitId}/summary${qs({ yearId })}`),
  comparison: (yearId: number, unitId: number) => http.get<TComparison>(`/api/scores/compare${qs({ yearId, unitId })}`),
  explain: (q: { yearId: number; unitId: number; indicatorId?: number; period: string; published?: boolean }) =>
    http.get<TExplanation>(
      `/api/scores/explain${qs({ yearId: q.yearId, unitId: q.unitId, indicatorId: q.indicatorId, period: q.period, published: pub(q.published) })}`,
    ),
  sandbox: (body: object) => http.post<TSandboxResult>('/api/scores/sandbox', body),
  publications: (yearId: number) => http.get<TPublication[]>(`/api/scores/publications${qs({ yearId })}`),
  completeness: (yearId: number, period: string) =>
    http.get<TCompletenessList>(`/api/scores/completeness${qs({ yearId, period })}`),
  publish: (body: { yearId: number; period: string; note: string; incompleteReason?: string }) =>
    http.post<TPublication>('/api/scores/publications', body),
  publicationExportUrl: (id: number) => `/api/scores/publications/${id}/export`,
  // Export URLs without their query: ExportButton adds the page's filters.
  publicationsExportUrl: () => '/api/scores/publications/export',
  scoreTableExportUrl: () => '/api/scores/export',
  unitScoresExportUrl: (unitId: number) => `/api/scores/units/${unitId}/export`,
  deductions: (yearId: number) => http.get<TDeduction[]>(`/api/scores/deductions${qs({ yearId })}`),
  createDeduction: (body: object) => http.post<TDeduction>('/api/scores/deductions', body),
  updateDeduction: (id: number, body: object) => http.patch<TDeduction>(`/api/scores/deductions/${id}`, body),
  deleteDeduction: (id: number) => http.delete<void>(`/api/scores/deductions/${id}`),
  inputs: (q: { yearId: number; unitId: number; indicatorId: number }) =>
    http.get<TScoreInput[]>(`/api/scores/inputs${qs(q)}`),
  enterInput: (body: object) => http.post<TScoreInput>('/api/scores/inputs', body),
  publicYears: () => http.get<TPublicScoreYear[]>('/api/public/scores'),
  publicScores: (yearId: number) => http.get<TPublicScores>(`/api/public/scores/${yearId}`),
};

export function useYears() {
  return useQuery({ queryKey: YEARS_KEY, queryFn: performanceApi.years });
}

export function useIndicators(yearId: number | null) {
  return useQuery({
    queryKey: indicatorsKey(yearId ?? 0),
    queryFn: () => performanceApi.indicators(yearId!),
    enabled: !!yearId,
  });
}

export function usePlans(yearId: number | null) {
  return useQuery({ queryKey: plansKey(yearId ?? 0), queryFn: () => performanceApi.plans(yearId!), enabled: !!yearId });
}

export function usePlan(yearId: number, unitId: number) {
  return useQuery({ queryKey: planKey(yearId, unitId), queryFn: () => performanceApi.plan(yearId, unitId) });
}

/** Adjustment requests waiting for the office. */
export function useRequestedAdjustments(yearId: number | null) {
  return useQuery({
    queryKey: adjustmentsKey(yearId ?? 0),
    queryFn: () => performanceApi.adjustments(yearId!, 'requested'),
    enabled: !!yearId,
  });
}

export function useScoreTable(yearId: number | null, period: string | null, published = false) {
  return useQuery({
    queryKey: [...SCORES_KEY, 'table', yearId, period, published],
    queryFn: () => performanceApi.scoreTable(yearId!, period, published),
    enabled: !!yearId,
    retry: false,
  });
}

export function useUnitScores(yearId: number | null, unitId: number | null, period: string | null, published = false) {
  return useQuery({
    queryKey: [...SCORES_KEY, 'unit', yearId, unitId, period, published],
    queryFn: () => performanceApi.unitScores(yearId!, unitId!, period, published),
    enabled: !!yearId && !!unitId,
    retry: false,
  });
}

/** One unit's ranking row, year to date (the home widget; not the whole table). */
export function useUnitScoreSummary(yearId: number | null, unitId: number | null) {
  return useQuery({
    queryKey: [...SCORES_KEY, 'unit-summary', yearId, unitId],
    queryFn: () => performanceApi.unitScoreSummary(yearId!, unitId!),
    enabled: !!yearId && !!unitId,
    retry: false,
  });
}

export function useComparison(yearId: number | null, unitId: number | null) {
  return useQuery({
    queryKey: [...SCORES_KEY, 'compare', yearId, unitId],
    queryFn: () => performanceApi.comparison(yearId!, unitId!),
    enabled: !!yearId && !!unitId,
    retry: false,
  });
}

export function usePublications(yearId: number | null) {
  return useQuery({
    queryKey: [...SCORES_KEY, 'publications', yearId],
    queryFn: () => performanceApi.publications(yearId!),
    enabled: !!yearId,
  });
}

/** What the explanation drawer shows: a total (no indicatorId) or one indicator. */
export type ExplainTarget = {
  yearId: number;
  unitId: number;
  indicatorId?: number;
  period: string;
  published?: boolean;
};

export function useExplanation(target: ExplainTarget | null) {
  return useQuery({
    queryKey: [...SCORES_KEY, 'explain', target],
    queryFn: () => performanceApi.explain(target!),
    enabled: !!target,
    retry: false,
  });
}

export function useDeductions(yearId: number | null) {
  return useQuery({
    queryKey: [...SCORES_KEY, 'deductions', yearId],
    queryFn: () => performanceApi.deductions(yearId!),
    enabled: !!yearId,
  });
}

export function useScoreInputs(q: { yearId: number; unitId: number; indicatorId: number | null }) {
  return useQuery({
    queryKey: [...SCORES_KEY, 'inputs', q.yearId, q.unitId, q.indicatorId],
    queryFn: () => performanceApi.inputs({ yearId: q.yearId, unitId: q.unitId, indicatorId: q.indicatorId! }),
    enabled: !!q.indicatorId,
  });
}

export function usePublicScoreYears() {
  return useQuery({ queryKey: ['public-score-years'], queryFn: performanceApi.publicYears });
}

/** The units whose score in a period is incomplete (plan not approved, data missing), for the publish dialog. */
export function useCompleteness(yearId: number | null, period: string | null) {
  return useQuery({
    queryKey: [...SCORES_KEY, 'completeness', yearId, period],
    queryFn: () => performanceApi.completeness(yearId!, period!),
    enabled: !!yearId && !!period,
    retry: false,
  });
}
