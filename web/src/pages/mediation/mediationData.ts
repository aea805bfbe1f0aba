import { useQuery } from '@tanstack/react-query';
import type { TCaseDetail, TCaseList, TCaseRow, TListQuery, TStats } from '@server/modules/mediation/mediation.schema';
import { http, qs } from '../../lib/api';
import { t } from '../../lib/i18n';

export const MED_KEY = ['mediation'] as const;
export type MedFilters = Partial<Omit<TListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

export const useCases = (f: MedFilters) =>
  useQuery({ queryKey: [...MED_KEY, 'list', f], queryFn: () => http.get<TCaseList>(`/api/mediation/cases${qs(f)}`) });
export const useCase = (id: number | null) =>
  useQuery({
    queryKey: [...MED_KEY, 'case', id],
    queryFn: () => http.get<TCaseDetail>(`/api/mediation/cases/${id}`),
    enabled: id !== null,
  });
export const useMedStats = (year: number) =>
  useQuery({
    queryKey: [...MED_KEY, 'stats', year],
    queryFn: () => http.get<TStats>(`/api/mediation/stats?year=${year}`),
  });
export const useMediators = (enabled: boolean) =>
  useQuery({
    queryKey: [...MED_KEY, 'mediators'],
    queryFn: () => http.get<{ id: number; name: string; unitName: string }[]>('/api/mediation/mediators'),
    enabled,
  });

export const DISPUTE_TYPES: Record<TCaseRow['disputeType'], () => string> = {
  labour: () => t('劳动争议', 'Labour'),
  neighbour: () => t('邻里纠纷', 'Neighbours'),
  consumer: () => t('消费纠纷', 'Consumer'),
  property: () => t('物业纠纷', 'Property management'),
  family: () => t('婚姻家庭', 'Family'),
  traffic: () => t('交通事故', 'Traffic accident'),
  contract: () => t('合同纠纷', 'Contract'),
  land: () => t('土地承包', 'Land'),
  other: () => t('其他', 'Other'),
};

export const MED_STATUS: Record<TCaseRow['status'], { label: () => string; color: string }> = {
  open: { label: () => t('调解中', 'In mediation'), color: 'processing' },
  agreed: { label: () => t('调解成功', 'Agreement'), color: 'green' },
  failed: { label: () => t('调解不成', 'Failed'), color: 'red' },
  arbitration: { label: () => t('转仲裁', 'To arbitration'), color: 'orange' },
  court: { label: () => t('转诉讼', 'To court'), color: 'purple' },
};
