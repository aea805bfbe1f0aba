/** The admin module's endpoints (units, unit categories, users, audit log, working calendar) as typed functions and query hooks. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TAuditPage, TAuditVerify } from '@server/modules/audit/audit.schema';
import type {
  TAddWorkingDaysResult,
  TCalendarDay,
  TCalendarStatus,
  TDayUpsert,
  TYearArrangement,
} from '@server/modules/calendar/calendar.schema';
import type {
  TCategory,
  TCategoryCreate,
  TCategoryUpdate,
  TUnit,
  TUnitCreate,
  TUnitUpdate,
} from '@server/modules/units/units.schema';
import type { TJob, TSmsMessage, TSmsOverview } from '@server/modules/jobs/jobs.schema';
import type { TUser, TUserCreate, TUserUpdate } from '@server/modules/users/users.schema';
import { http, qs } from '../../lib/api';

export const UNITS_KEY = ['units'] as const;
export const CATEGORIES_KEY = ['unit-categories'] as const;
export const USERS_KEY = ['users'] as const;
export const CALENDAR_KEY = ['calendar'] as const;
export const JOBS_KEY = ['jobs'] as const;
export const SMS_OUTBOX_KEY = ['sms-outbox'] as const;

export const adminApi = {
  auditExportUrl: () => '/api/audit/export',
  unitsExcelBase: () => '/api/units/excel',
  usersExcelBase: () => '/api/users/excel',
  units: () => http.get<TUnit[]>('/api/units'),
  createUnit: (body: TUnitCreate) => http.post<TUnit>('/api/units', body),
  updateUnit: (id: number, body: TUnitUpdate) => http.patch<TUnit>(`/api/units/${id}`, body),
  deleteUnit: (id: number) => http.delete<void>(`/api/units/${id}`),
  categories: () => http.get<TCategory[]>('/api/unit-categories'),
  createCategory: (body: TCategoryCreate) => http.post<TCategory>('/api/unit-categories', body),
  updateCategory: (id: number, body: TCategoryUpdate) => http.patch<TCategory>(`/api/unit-categories/${id}`, body),
  deleteCategory: (id: number) => http.delete<void>(`/api/unit-categories/${id}`),
  users: (filters: Record<string, string | number | boolean | undefined> = {}) =>
    http.get<TUser[]>(`/api/users${qs(filters)}`),
  createUser: (body: TUserCreate) => http.post<TUser>('/api/users', body),
  updateUser: (id: number, body: TUserUpdate) => http.patch<TUser>(`/api/users/${id}`, body),
  audit: (query: Record<string, string | number | undefined>) => http.get<TAuditPage>(`/api/audit${qs(query)}`),
  verifyAudit: () => http.get<TAuditVerify>('/api/audit/verify'),
  calendarStatus: () => http.get<TCalendarStatus>('/api/calendar/status'),
  calendarDays: (year: number) => http.get<TCalendarDay[]>(`/api/calendar/days${qs({ year })}`),
  putCalendarDay: (date: string, body: TDayUpsert) => http.put<TCalendarDay>(`/api/calendar/days/${date}`, body),
  deleteCalendarDay: (date: string) => http.delete<void>(`/api/calendar/days/${date}`),
  putCalendarYear: (year: number, days: TYearArrangement['days']) =>
    http.put<TCalendarDay[]>(`/api/calendar/years/${year}`, { days }),
  addWorkingDays: (v: { from: string; days: number }) =>
    http.get<TAddWorkingDaysResult>(`/api/calendar/add-working-days${qs(v)}`),
  jobs: () => http.get<TJob[]>('/api/jobs'),
  runJob: (name: string) => http.post<TJob>(`/api/jobs/${encodeURIComponent(name)}/run`),
  smsOutbox: (status: 'unknown' | 'failed') => http.get<TSmsOverview>(`/api/sms-outbox${qs({ status })}`),
  resendSms: (id: number) => http.post<TSmsMessage>(`/api/sms-outbox/${id}/resend`),
};

/** Every unit the user may see (the one list every module's unit pickers use). */
export function useUnits(enabled = true) {
  return useQuery({ queryKey: UNITS_KEY, queryFn: adminApi.units, enabled, staleTime: 30_000 });
}

/** The unit categories (考评类别). */
export function useUnitCategories(enabled = true) {
  return useQuery({ queryKey: CATEGORIES_KEY, queryFn: adminApi.categories, enabled, staleTime: 30_000 });
}

export function useUsers(filters: Record<string, string | number | boolean | undefined> = {}, enabled = true) {
  return useQuery({ queryKey: [...USERS_KEY, filters], queryFn: () => adminApi.users(filters), enabled });
}

export function useAuditPage(
  query: Record<string, string | number | undefined>,
  page: { current: number; pageSize: number },
) {
  return useQuery({
    queryKey: ['audit', query, page],
    queryFn: () => adminApi.audit({ ...query, limit: page.pageSize, offset: (page.current - 1) * page.pageSize }),
    placeholderData: keepPreviousData,
  });
}

export function useCalendarStatus() {
  return useQuery({ queryKey: [...CALENDAR_KEY, 'status'], queryFn: adminApi.calendarStatus });
}

export function useCalendarDays(year: number) {
  return useQuery({ queryKey: [...CALENDAR_KEY, 'days', year], queryFn: () => adminApi.calendarDays(year) });
}

/** The date N working days after a date (GET, so usable as a query for live previews). */
export function useAddWorkingDays(from: string, days: number | null | undefined, enabled = true) {
  return useQuery({
    queryKey: [...CALENDAR_KEY, 'add', from, days],
    queryFn: () => adminApi.addWorkingDays({ from, days: days ?? 0 }),
    enabled: enabled && !!days,
    staleTime: 60_000,
  });
}
