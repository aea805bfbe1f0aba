/** The ratings, notices and awards modules' endpoints (好差评, 问责通知, 评先评优) as typed functions and query hooks. */
import { useQuery } from '@tanstack/react-query';
import type {
  TPublicRating,
  TRate,
  TRatingList,
  TRectification,
  TRectificationList,
  TRectificationQuery,
  TReviewerCandidate,
  TReviewerProfile,
  TUnitRate,
} from '@server/modules/ratings/ratings.schema';
import type {
  TNotice,
  TNoticeCounts,
  TNoticeCreate,
  TNoticeList,
  TNoticeQuery,
} from '@server/modules/notices/notices.schema';
import type { TRound, TRoundCreate } from '@server/modules/awards/awards.schema';
import type { TIndicator } from '@server/modules/performance/performance.schema';
import { http, qs } from '../../lib/api';
import { t } from '../../lib/i18n';
import { performanceApi } from '../performance/api';

export const RATINGS_KEY = ['ratings'] as const;
export const NOTICES_KEY = ['notices'] as const;
export const AWARDS_KEY = ['awards'] as const;
export const REVIEWERS_KEY = ['reviewer-candidates'] as const;

import type { RatingLevel } from '../../components/RatingForm';
export { ASPECT_LABEL, ASPECTS, LEVEL_LABEL, LEVELS, type RatingLevel } from '../../components/RatingForm';
export const LEVEL_COLOR: Record<RatingLevel, string> = {
  very_satisfied: 'green',
  satisfied: 'cyan',
  basic: 'blue',
  unsatisfied: 'orange',
  very_unsatisfied: 'red',
};
export const RECT_STATUS: Record<TRectification['status'], { label: () => string; color: string }> = {
  open: { label: () => t('待回访', 'To call back'), color: 'red' },
  called_back: { label: () => t('整改中', 'Rectifying'), color: 'orange' },
  submitted: { label: () => t('待审核', 'To review'), color: 'blue' },
  returned: { label: () => t('已退回', 'Returned'), color: 'magenta' },
  accepted: { label: () => t('已销号', 'Accepted'), color: 'green' },
};
export const NOTICE_KIND: Record<TNotice['kind'], () => string> = {
  rectification_advice: () => t('整改建议书', 'Rectification advice'),
  supervision_advice: () => t('监察建议书', 'Supervision advice'),
  supervision_decision: () => t('监察决定书', 'Supervision decision'),
};
export const NOTICE_STATUS: Record<TNotice['status'], { label: () => string; color: string }> = {
  issued: { label: () => t('待答复', 'Awaiting reply'), color: 'orange' },
  replied: { label: () => t('已答复待审', 'Replied'), color: 'blue' },
  returned: { label: () => t('已退回', 'Returned'), color: 'magenta' },
  accepted: { label: () => t('已销号', 'Accepted'), color: 'green' },
};

/** A request body whose fields K the server fills with their defaults when left out. */
type WithDefaults<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export const ratingsApi = {
  publicGet: (token: string) => http.get<TPublicRating>(`/api/public/ratings/${token}`),
  publicRate: (token: string, body: TRate) => http.post<TPublicRating>(`/api/public/ratings/${token}`, body),
  callback: (id: number, note: string) =>
    http.post<TRectification>(`/api/ratings/rectifications/${id}/callback`, { note }),
  submit: (id: number, result: string) =>
    http.post<TRectification>(`/api/ratings/rectifications/${id}/submit`, { result }),
  review: (id: number, accept: boolean, note: string) =>
    http.post<TRectification>(`/api/ratings/rectifications/${id}/review`, { accept, note }),
  /** A new one-time rating link for an invitation (the path of the public page, without the origin). */
  renewLink: (id: number) => http.post<{ link: string }>(`/api/ratings/${id}/link`, {}),
  reviewerCandidates: () => http.get<TReviewerCandidate[]>('/api/ratings/reviewers/candidates'),
  putReviewer: (body: { userId: number; kind: TReviewerProfile['kind']; title: string }) =>
    http.put<TReviewerProfile[]>('/api/ratings/reviewers', body),
  deleteReviewer: (userId: number) => http.delete<TReviewerProfile[]>(`/api/ratings/reviewers/${userId}`),
  /** The rectifications the filters show, as Excel (paging left out: every row). */
  rectificationsExportUrl: (f: RectFilters) =>
    `/api/ratings/rectifications.xlsx${qs({ ...f, page: undefined, pageSize: undefined })}`,
  ratesExportUrl: (year: number) => `/api/ratings/rates.xlsx${qs({ year })}`,
};

export const noticesApi = {
  create: (body: WithDefaults<TNoticeCreate, 'deductionId'>) => http.post<TNotice>('/api/notices', body),
  reply: (id: number, body: { measures: string; evidence: string }) =>
    http.post<TNotice>(`/api/notices/${id}/reply`, body),
  review: (id: number, accept: boolean, note: string) =>
    http.post<TNotice>(`/api/notices/${id}/review`, { accept, note }),
  /** The notices the filters show, as Excel (paging left out: every row). */
  exportUrl: (f: NoticeFilters) => `/api/notices.xlsx${qs({ ...f, page: undefined, pageSize: undefined })}`,
  docxUrl: (id: number) => `/api/notices/${id}/docx`,
  fileUrl: (fileId: number) => `/api/notices/files/${fileId}`,
  /** Where the unit uploads an evidence file of its reply. */
  fileUploadUrl: (id: number) => `/api/notices/${id}/files`,
};

export const awardsApi = {
  rounds: () => http.get<TRound[]>('/api/awards/rounds'),
  createRound: (body: WithDefaults<TRoundCreate, 'improvementCount'>) => http.post<TRound>('/api/awards/rounds', body),
  publish: (id: number) => http.post<TRound>(`/api/awards/rounds/${id}/publish`, {}),
  decide: (candidateId: number, body: { award: boolean; reason: string }) =>
    http.post<TRound>(`/api/awards/candidates/${candidateId}/decide`, body),
  candidatesExportUrl: (roundId: number) => `/api/awards/rounds/${roundId}/candidates.xlsx`,
  certificateUrl: (candidateId: number) => `/api/awards/candidates/${candidateId}/certificate`,
};

export type RectFilters = Partial<Omit<TRectificationQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };
export function useRectifications(f: RectFilters) {
  return useQuery({
    queryKey: [...RATINGS_KEY, 'rect', f],
    queryFn: () => http.get<TRectificationList>(`/api/ratings/rectifications${qs(f)}`),
  });
}
export function useRatings(f: Record<string, string | number | undefined>) {
  return useQuery({
    queryKey: [...RATINGS_KEY, 'list', f],
    queryFn: () => http.get<TRatingList>(`/api/ratings${qs(f)}`),
  });
}
export function useRates(year: number) {
  return useQuery({
    queryKey: [...RATINGS_KEY, 'rates', year],
    queryFn: () => http.get<TUnitRate[]>(`/api/ratings/rates${qs({ year })}`),
  });
}
export type NoticeFilters = Partial<Omit<TNoticeQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };
export function useNotices(f: NoticeFilters) {
  return useQuery({
    queryKey: [...NOTICES_KEY, 'list', f],
    queryFn: () => http.get<TNoticeList>(`/api/notices${qs(f)}`),
  });
}
export function useNoticeCounts(year: number) {
  return useQuery({
    queryKey: [...NOTICES_KEY, 'counts', year],
    queryFn: () => http.get<TNoticeCounts>(`/api/notices/counts${qs({ year })}`),
  });
}
export function useReviewerCandidates() {
  return useQuery({ queryKey: REVIEWERS_KEY, queryFn: ratingsApi.reviewerCandidates });
}

export function useAwardRounds() {
  return useQuery({ queryKey: AWARDS_KEY, queryFn: awardsApi.rounds });
}

export type IndicatorTreeOption = {
  value: number;
  title: string;
  selectable: boolean;
  children: IndicatorTreeOption[];
};

/** The annual scheme's indicator tree of a year for the 单项绩效奖 picker: leaves and level-1 indicators can be chosen. */
export function useAwardIndicatorTree(year: number | undefined) {
  return useQuery({
    queryKey: ['award-indicators', year],
    enabled: !!year,
    queryFn: async (): Promise<IndicatorTreeOption[]> => {
      const years = await performanceApi.years();
      const y = years.find((x) => x.year === year && x.kind === 'annual');
      if (!y) return [];
      const all = await performanceApi.indicators(y.id);
      const kids = new Map<number | null, TIndicator[]>();
      for (const n of all) kids.set(n.parentId, [...(kids.get(n.parentId) ?? []), n]);
      const build = (parent: number | null): IndicatorTreeOption[] =>
        (kids.get(parent) ?? []).map((n) => {
          const children = build(n.id);
          return {
            value: n.id,
            title: `${n.code} ${n.name}（${n.points}分）`,
            selectable: !children.length || n.level === 1,
            children,
          };
        });
      return build(null);
    },
  });
}

export const fmt = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');
