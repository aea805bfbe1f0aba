import { useQuery } from '@tanstack/react-query';
import type {
  TListQuery,
  TRequestDetail,
  TRequestList,
  TRequestRow,
  TStats,
} from '@server/modules/assistance/assistance.schema';
import { http, qs } from '../../lib/api';
import { t } from '../../lib/i18n';

export const AST_KEY = ['assistance'] as const;
export type AstFilters = Partial<Omit<TListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

export const useRequests = (f: AstFilters) =>
  useQuery({
    queryKey: [...AST_KEY, 'list', f],
    queryFn: () => http.get<TRequestList>(`/api/assistance/requests${qs(f)}`),
  });
export const useRequest = (id: number | null) =>
  useQuery({
    queryKey: [...AST_KEY, 'one', id],
    queryFn: () => http.get<TRequestDetail>(`/api/assistance/requests/${id}`),
    enabled: id !== null,
  });
export const useAstStats = (year: number) =>
  useQuery({
    queryKey: [...AST_KEY, 'stats', year],
    queryFn: () => http.get<TStats>(`/api/assistance/stats?year=${year}`),
  });

export const KINDS: Record<TRequestRow['kind'], () => string> = {
  relief: () => t('社会救助', 'Social relief'),
  wage: () => t('劳动维权（欠薪）', 'Unpaid wages'),
  legal_aid: () => t('法律援助', 'Legal aid'),
  disability: () => t('残疾人帮扶', 'Disability'),
  women: () => t('妇女儿童维权', "Women's and children's rights"),
  elderly: () => t('养老服务', 'Elderly care'),
  housing: () => t('住房保障', 'Housing'),
  medical: () => t('医疗救助', 'Medical aid'),
  other: () => t('其他求助', 'Other'),
};

export const AST_STATUS: Record<TRequestRow['status'], { label: () => string; color: string }> = {
  registered: { label: () => t('已登记', 'Registered'), color: 'default' },
  referred: { label: () => t('已转办', 'Referred'), color: 'blue' },
  signed: { label: () => t('已签收', 'Signed for'), color: 'cyan' },
  answered: { label: () => t('已答复', 'Answered'), color: 'gold' },
  closed: { label: () => t('已回访', 'Called back'), color: 'green' },
};

export const SATISFACTION: Record<NonNullable<TRequestRow['satisfaction']>, () => string> = {
  satisfied: () => t('满意', 'Satisfied'),
  basic: () => t('基本满意', 'Fairly satisfied'),
  unsatisfied: () => t('不满意', 'Unsatisfied'),
};

export const EVENT_KINDS: Record<string, () => string> = {
  register: () => t('登记', 'Registered'),
  refer: () => t('转办', 'Referred'),
  sign: () => t('签收', 'Signed for'),
  urge: () => t('督办', 'Urged'),
  answer: () => t('答复', 'Answered'),
  feedback: () => t('回访', 'Called back'),
};
