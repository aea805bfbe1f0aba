/** The reports module's endpoints (analysis reports: list, one, generate, downloads) as typed functions and query hooks. */
import { useQuery } from '@tanstack/react-query';
import type { TGenerate, TListQuery, TReportDetail, TReportList } from '@server/modules/reports/reports.schema';
import { http, qs } from '../../lib/api';
import { t } from '../../lib/i18n';

export const REPORTS_KEY = ['reports'] as const;

export type ListFilters = Partial<Omit<TListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

export const reportsApi = {
  list: (f: ListFilters) => http.get<TReportList>(`/api/reports${qs(f)}`),
  get: (id: number) => http.get<TReportDetail>(`/api/reports/${id}`),
  generate: (body: TGenerate) => http.post<TReportDetail>('/api/reports', body),
  docxUrl: (id: number) => `/api/reports/${id}/docx`,
  xlsxUrl: (id: number) => `/api/reports/${id}/xlsx`,
};

export function useReports(f: ListFilters) {
  return useQuery({ queryKey: [...REPORTS_KEY, 'list', f], queryFn: () => reportsApi.list(f) });
}

export function useReport(id: number) {
  return useQuery({
    queryKey: [...REPORTS_KEY, 'one', id],
    queryFn: () => reportsApi.get(id),
    staleTime: Infinity, // an issued report never changes
  });
}

export const KINDS = {
  month: () => t('月度', 'Monthly'),
  quarter: () => t('季度', 'Quarterly'),
  half: () => t('半年', 'Half-year'),
  year: () => t('年度', 'Annual'),
} as const;

export const TRIGGERS = {
  manual: () => t('手动生成', 'On demand'),
  scheduled: () => t('每月自动', 'Scheduled'),
  seed: () => t('每月自动（演示）', 'Scheduled (demo)'),
} as const;

/** The period codes of a year for a kind: months 01–12, Q1–Q4, H1–H2, or the year. */
export function periodOptions(year: number, kind: keyof typeof KINDS): { value: string; label: string }[] {
  switch (kind) {
    case 'month':
      return Array.from({ length: 12 }, (_, k) => ({
        value: `${year}-${String(k + 1).padStart(2, '0')}`,
        label: t(`${year}年${k + 1}月`, `${year}-${String(k + 1).padStart(2, '0')}`),
      }));
    case 'quarter':
      return [1, 2, 3, 4].map((n) => ({
        value: `${year}-Q${n}`,
        label: t(`${year}年第${'一二三四'[n - 1]}季度`, `${year} Q${n}`),
      }));
    case 'half':
      return [1, 2].map((n) => ({
        value: `${year}-H${n}`,
        label: t(`${year}年${n === 1 ? '上' : '下'}半年`, `${year} H${n}`),
      }));
    case 'year':
      return [{ value: String(year), label: t(`${year}年度（至最近截止月）`, `${year} (year to date)`) }];
  }
}
