import { useQuery } from '@tanstack/react-query';
import type {
  CampaignKind,
  CampaignStatus,
  TCampaign,
  TCampaignRow,
  TConsultation,
  TDashboard,
  TEvaluator,
  TForm,
  TInboxRow,
  TQuestionnaire,
  TResponsesPage,
  TResults,
  TSamplePage,
} from '@server/modules/evaluation/evaluation.schema';
import { http, qs } from '../../lib/api';
import { t } from '../../lib/i18n';

export const EV_KEY = ['evaluation'] as const;

export const KINDS: Record<CampaignKind, () => string> = {
  public_survey: () => t('群众满意度调查', 'Public survey'),
  enterprise_survey: () => t('企业满意度调查', 'Enterprise survey'),
  deputies: () => t('人大代表政协委员评议', "Deputies' evaluation"),
  special_supervisors: () => t('特约监察员明察暗访', "Special supervisors' visits"),
  leaders: () => t('领导评价', "Leaders' evaluation"),
  mutual: () => t('部门互评（协调配合）', 'Mutual evaluation'),
  service_recipients: () => t('服务对象满意度调查', 'Service-recipient survey'),
  expert_review: () => t('专家评审', 'Expert review'),
  consultation: () => t('协商征求意见', 'Public consultation'),
};
export const SAMPLED: CampaignKind[] = ['public_survey', 'enterprise_survey', 'service_recipients'];

export const STATUSES: Record<CampaignStatus, { label: () => string; color: string }> = {
  draft: { label: () => t('草稿', 'Draft'), color: 'default' },
  open: { label: () => t('进行中', 'Open'), color: 'processing' },
  closed: { label: () => t('已结束', 'Closed'), color: 'gold' },
  published: { label: () => t('已发布', 'Published'), color: 'green' },
};

export const LEVELS = () => [
  t('非常满意', 'Very satisfied'),
  t('满意', 'Satisfied'),
  t('基本满意', 'Fairly satisfied'),
  t('不满意', 'Dissatisfied'),
  t('非常不满意', 'Very dissatisfied'),
];

export const FLAGS: Record<string, () => string> = {
  same_ip: () => t('同一地址多份', 'Many from one address'),
  same_device: () => t('同一设备多份', 'Many from one device'),
  too_fast: () => t('作答过快', 'Too fast'),
  straight_lining: () => t('答案雷同', 'Straight-lining'),
};

export const QUESTION_TYPES: Record<string, () => string> = {
  single: () => t('单选', 'Single choice'),
  multi: () => t('多选', 'Multiple choice'),
  satisfaction5: () => t('五级满意度', '5-level satisfaction'),
  scale10: () => t('0–10 分', '0–10 scale'),
  matrix: () => t('矩阵', 'Matrix'),
  text: () => t('填空（意见建议）', 'Free text'),
};

export type CampaignFilters = { year?: number; kind?: CampaignKind; status?: CampaignStatus; q?: string };

export const useCampaigns = (f: CampaignFilters) =>
  useQuery({
    queryKey: [...EV_KEY, 'campaigns', f],
    queryFn: () => http.get<TCampaignRow[]>(`/api/evaluation/campaigns${qs(f)}`),
  });
export const useCampaign = (id: number) =>
  useQuery({
    queryKey: [...EV_KEY, 'campaign', id],
    queryFn: () => http.get<TCampaign>(`/api/evaluation/campaigns/${id}`),
  });
export const useDashboard = (id: number, enabled = true) =>
  useQuery({
    queryKey: [...EV_KEY, 'dashboard', id],
    queryFn: () => http.get<TDashboard>(`/api/evaluation/campaigns/${id}/dashboard`),
    enabled,
    refetchInterval: 15_000,
  });
export const useSample = (id: number, f: { unitId?: number; responded?: '1' | '0'; page: number; pageSize: number }) =>
  useQuery({
    queryKey: [...EV_KEY, 'sample', id, f],
    queryFn: () => http.get<TSamplePage>(`/api/evaluation/campaigns/${id}/sample${qs(f)}`),
  });
export const useResponses = (
  id: number,
  f: { flagged?: '1' | '0'; excluded?: '1' | '0'; page: number; pageSize: number },
) =>
  useQuery({
    queryKey: [...EV_KEY, 'responses', id, f],
    queryFn: () => http.get<TResponsesPage>(`/api/evaluation/campaigns/${id}/responses${qs(f)}`),
  });
export const useResults = (id: number, enabled = true) =>
  useQuery({
    queryKey: [...EV_KEY, 'results', id],
    queryFn: () => http.get<TResults>(`/api/evaluation/campaigns/${id}/results`),
    enabled,
  });
export const useQuestionnaires = () =>
  useQuery({
    queryKey: [...EV_KEY, 'questionnaires'],
    queryFn: () => http.get<TQuestionnaire[]>('/api/evaluation/questionnaires'),
  });
export const useEvaluators = (kind: CampaignKind | undefined) =>
  useQuery({
    queryKey: [...EV_KEY, 'evaluators', kind],
    queryFn: () => http.get<TEvaluator[]>(`/api/evaluation/evaluators${qs({ kind })}`),
    enabled: !!kind && !SAMPLED.includes(kind),
  });
export const useInbox = () =>
  useQuery({ queryKey: [...EV_KEY, 'inbox'], queryFn: () => http.get<TInboxRow[]>('/api/evaluation/inbox') });
export const useInboxForm = (id: number) =>
  useQuery({ queryKey: [...EV_KEY, 'inbox', id], queryFn: () => http.get<TForm>(`/api/evaluation/inbox/${id}`) });
/** The units and categories: the one pair of hooks every module's pickers use (admin/api). */
export { useUnits, useUnitCategories as useCategories } from '../admin/api';
export type Leaf = { id: number; code: string; name: string; dataSource: string; parentId: number | null };
export type SchemeOption = { id: number; year: number; name: string; kind: 'annual' | 'special' };
/** The schemes of a year (the annual one first), whose leaves a campaign can feed. */
export const useYearSchemes = (year: number | undefined) =>
  useQuery({
    queryKey: ['evaluation-schemes', year],
    enabled: !!year,
    queryFn: async () =>
      (await http.get<SchemeOption[]>(`/api/schemes?year=${year}`)).sort(
        (a, b) => (a.kind === 'annual' ? 0 : 1) - (b.kind === 'annual' ? 0 : 1) || a.id - b.id,
      ),
  });
/** The evaluation / third-party leaves of a scheme. */
export const useMappableLeaves = (schemeId: number | undefined) =>
  useQuery({
    queryKey: ['evaluation-leaves', schemeId],
    enabled: !!schemeId,
    queryFn: async () => {
      const all = await http.get<Leaf[]>(`/api/years/${schemeId}/indicators`);
      const parents = new Set(all.map((i) => i.parentId));
      return all.filter((i) => !parents.has(i.id) && (i.dataSource === 'evaluation' || i.dataSource === 'third_party'));
    },
  });

/** A consultation's topic, summary and tallies (office). */
export const useConsultation = (id: number, enabled = true) =>
  useQuery({
    queryKey: [...EV_KEY, 'consultation', id],
    queryFn: () => http.get<TConsultation>(`/api/evaluation/campaigns/${id}/consultation`),
    enabled,
  });
