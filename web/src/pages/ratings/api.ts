import { useQuery } from '@tanstack/react-query';
import type {
  TPublicRating,
  TRate,
  TRatingList,
  TRectification,
  TRectificationList,
  TRectificationQuery,
  TUnitRate,
} from '@server/modules/ratings/ratings.schema';
import type { TNotice, TNoticeCounts, TNoticeList, TNoticeQuery } from '@server/modules/notices/notices.schema';
import { http, qs } from '../../lib/api';
import { t } from '../../lib/i18n';

export const RATINGS_KEY = ['ratings'] as const;
export const NOTICES_KEY = ['notices'] as const;

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

export const ratingsApi = {
  publicGet: (token: string) => http.get<TPublicRating>(`/api/public/ratings/${token}`),
  publicRate: (token: string, body: TRate) => http.post<TPublicRating>(`/api/public/ratings/${token}`, body),
  callback: (id: number, note: string) =>
    http.post<TRectification>(`/api/ratings/rectifications/${id}/callback`, { note }),
  submit: (id: number, result: string) =>
    http.post<TRectification>(`/api/ratings/rectifications/${id}/submit`, { result }),
  review: (id: number, accept: boolean, note: string) =>
    http.post<TRectification>(`/api/ratings/rectifications/${id}/review`, { accept, note }),
};

export const noticesApi = {
  create: (body: unknown) => http.post<TNotice>('/api/notices', body),
  reply: (id: number, body: { measures: string; evidence: string }) =>
    http.post<TNotice>(`/api/notices/${id}/reply`, body),
  review: (id: number, accept: boolean, note: string) =>
    http.post<TNotice>(`/api/notices/${id}/review`, { accept, note }),
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
export const fmt = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');
