/**
 * Open311: GET requests — cases as Open311 requests, following each case's publication rule, with paging
 * and date ranges as the spec sets them.
 */
import type { Db } from '../../db/client.js';
import {
  CASE_STATUSES,
  type CaseStatus,
  maskPersonalData,
  type PublicCaseRecord,
  publicCaseRecords,
  roundCoordinate,
} from '../cases/index.js';
import { field, listField, Open311Error, parseW3cDate, w3cDate, type FormFields } from './open311.format.js';
import * as repo from './open311.repo.js';
import { open311Settings } from './open311.settings.js';
import { basicStatus, extendedStatus, statusFilter } from './open311.statuses.js';
import { DAY_MS, MAX_RANGE_DAYS, MAX_REQUESTS, type ServiceCategory, serviceCategories } from './open311.services.js';
import { bad } from './open311.create.js';

// ---------- GET requests ----------

export type Open311Request = {
  service_request_id: string;
  status: string;
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
};

const STATUS_NOTES: Record<CaseStatus, string> = {
  accepted: '已受理，等待分派承办单位',
  rejected: '不予受理',
  merged: '已与相同诉求合并办理',
  dispatched: '已派发承办单位，等待签收',
  signed: '承办单位已签收',
  in_progress: '承办单位正在办理',
  reported: '承办单位已办理完毕，等待核查',
  verified: '办理结果已核查，等待回访',
  review: '专业评价中',
  returned: '正在重新分派承办单位',
  closed: '已办结',
};

/** What a 'limited' case shows instead of its text. */
export const WITHHELD = '内容不公开 / Details withheld';

/** How requests are presented: the spec's open/closed, or the extended statuses. */
export type ReadOptions = { extended: boolean };

function present(
  r: PublicCaseRecord,
  svc: ServiceCategory,
  extras: repo.RequestExtrasRow | undefined,
  opts: ReadOptions,
): Open311Request {
  const closed = basicStatus(r.status) === 'closed';
  const full = r.publication === 'public';
  const notes =
    full && r.status === 'closed' && r.result ? `${STATUS_NOTES.closed}：${r.result}` : STATUS_NOTES[r.status];
  return {
    service_request_id: r.number,
    status: opts.extended ? extendedStatus(r.status, r.result !== '') : basicStatus(r.status),
    status_notes: maskPersonalData(notes), // the result text may quote the requester's number
    service_name: svc.name,
    service_code: svc.code,
    description: full ? maskPersonalData(r.description) : WITHHELD, // GET requests needs no key: no personal data out
    agency_responsible: r.leadUnitName,
    service_notice: r.leadUnitName
      ? `由${r.leadUnitName}承办，办理时限 ${svc.timeLimitDays} 个工作日`
      : `办理时限 ${svc.timeLimitDays} 个工作日`,
    requested_datetime: w3cDate(r.createdAt),
    updated_datetime: w3cDate(closed && r.closedAt ? r.closedAt : r.updatedAt),
    expected_datetime: r.expectedAt ? w3cDate(r.expectedAt) : null,
    address: full ? maskPersonalData(r.address) : '',
    address_id: (full && extras?.addressId) || null,
    zipcode: null,
    lat: full ? r.lat : roundCoordinate(r.lat),
    long: full ? r.lng : roundCoordinate(r.lng),
    media_url: (full && extras?.mediaUrl) || null,
  };
}

async function recordsToRequests(
  db: Db,
  records: PublicCaseRecord[],
  services: ServiceCategory[],
  opts: ReadOptions,
): Promise<Open311Request[]> {
  const byCategory = new Map(services.map((s) => [s.id, s]));
  const shown = records.filter((r) => byCategory.has(r.categoryId));
  const extras = await repo.requestExtras(
    db,
    shown.map((r) => r.id),
  );
  return shown.map((r) => present(r, byCategory.get(r.categoryId)!, extras.get(r.id), opts));
}

/** Whether the client asked for the extended statuses (extensions=true), or the admin made them the default. */
export async function readOptions(db: Db, q: FormFields): Promise<ReadOptions> {
  const ext = field(q, 'extensions')?.toLowerCase();
  if (ext === 'true' || ext === '1') return { extended: true };
  if (ext === 'false' || ext === '0') return { extended: false };
  return { extended: (await open311Settings(db)).extendedStatuses };
}

/** page / page_size (an extension): page_size 1–1000 (default 1000), page from 1. */
export function paging(q: FormFields): { limit: number; offset: number } {
  const num = (name: string, min: number, max: number, dflt: number) => {
    const raw = field(q, name);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max)
      throw bad(`${name} 须为 ${min} 到 ${max} 的整数`, `${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  const size = num('page_size', 1, MAX_REQUESTS, MAX_REQUESTS);
  const page = num('page', 1, 1_000_000, 1);
  return { limit: size, offset: (page - 1) * size };
}

/**
 * The date range of a search: start_date and end_date (W3C date-times, end inclusive). Without either,
 * the last 90 days; with only end_date, the 90 days before it; with only start_date, from it to now —
 * refused (400) when that is more than 90 days, rather than silently cut: the client must page by dates.
 */
export function dateRange(q: FormFields, now: Date): { from: Date; to: Date } {
  const dateOf = (name: string): Date | undefined => {
    const raw = field(q, name);
    if (raw === undefined) return undefined;
    const d = parseW3cDate(raw);
    if (!d)
      throw bad(
        `${name} 须为带时区的 W3C 日期时间，如 2026-03-01T00:00:00+08:00`,
        `${name} must be a W3C datetime with a time zone, e.g. 2010-01-01T00:00:00Z`,
      );
    return d;
  };
  const start = dateOf('start_date');
  const end = dateOf('end_date');
  const range = MAX_RANGE_DAYS * DAY_MS;
  if (start && !end && now.getTime() - start.getTime() > range) {
    throw bad(
      `只给 start_date 时查询到当前时间为止，区间不能超过 ${MAX_RANGE_DAYS} 天：请同时给出 end_date，按 ${MAX_RANGE_DAYS} 天分段查询`,
      `start_date without end_date searches up to now, and the span is capped at ${MAX_RANGE_DAYS} days: send end_date too and query ${MAX_RANGE_DAYS} days at a time`,
    );
  }
  const to = end ?? (start && start > now ? start : now); // "since tomorrow": nothing yet
  const from = start ?? new Date(to.getTime() - range);
  if (from.getTime() > to.getTime()) throw bad('start_date 不能晚于 end_date', 'start_date must not be after end_date');
  if (to.getTime() - from.getTime() > range)
    throw bad(`查询区间不能超过 ${MAX_RANGE_DAYS} 天`, `the date range may not span more than ${MAX_RANGE_DAYS} days`);
  return { from, to };
}

/**
 * GET requests: by service_request_id (a comma list, overriding the rest), or by service_code,
 * status and requested_datetime range (see dateRange), newest first, paged by page / page_size.
 * Only cases the publication rules let out.
 */
export async function listRequests(
  db: Db,
  q: FormFields,
  opts: ReadOptions,
  now = new Date(),
): Promise<Open311Request[]> {
  const services = await serviceCategories(db);
  const ids = listField(q, 'service_request_id');
  if (ids) {
    if (ids.length > MAX_REQUESTS)
      throw bad(
        `一次最多查询 ${MAX_REQUESTS} 个 service_request_id`,
        `at most ${MAX_REQUESTS} service_request_id at once`,
      );
    const records = await publicCaseRecords(db, {
      numbers: ids,
      categoryIds: services.map((s) => s.id),
      limit: MAX_REQUESTS,
    });
    return recordsToRequests(db, records, services, opts);
  }
  const codes = listField(q, 'service_code');
  const categoryIds = codes
    ? services.filter((s) => codes.includes(s.code)).map((s) => s.id)
    : services.map((s) => s.id);
  const statuses = listField(q, 'status');
  let statuses_: CaseStatus[] | undefined;
  if (statuses) {
    const f = statusFilter(
      statuses.map((s) => s.toLowerCase()),
      CASE_STATUSES,
    );
    if (!f)
      throw bad(
        `status 只能是 open、closed 或扩展状态：${statuses.join(',')}`,
        `status must be open or closed (or an extended status), not ${statuses.join(',')}`,
      );
    statuses_ = f;
  }
  const { from, to } = dateRange(q, now);
  const page = paging(q);
  if (!categoryIds.length) return [];
  const records = await publicCaseRecords(db, {
    categoryIds,
    statuses: statuses_,
    from,
    to: new Date(to.getTime() + 1), // end_date is inclusive
    limit: page.limit,
    offset: page.offset,
  });
  return recordsToRequests(db, records, services, opts);
}

/** GET requests/{id}: one request (as a list of one, per the spec) or 404. */
export async function getRequest(db: Db, id: string, opts: ReadOptions): Promise<Open311Request[]> {
  const services = await serviceCategories(db);
  const records = await publicCaseRecords(db, { numbers: [id], categoryIds: services.map((s) => s.id), limit: 1 });
  const out = await recordsToRequests(db, records, services, opts);
  if (!out.length) throw new Open311Error(404, `诉求 ${id} 不存在`, `service_request_id ${id} not found`);
  return out;
}

/**
 * GET tokens/{token}. Every request is answered in real time, so a request's token is its
 * service_request_id; clients written for batch servers can still resolve it.
 */
export async function resolveToken(db: Db, token: string): Promise<{ service_request_id: string; token: string }[]> {
  const services = await serviceCategories(db);
  const records = await publicCaseRecords(db, { numbers: [token], categoryIds: services.map((s) => s.id), limit: 1 });
  if (!records.length) throw new Open311Error(404, `token ${token} 不存在`, `token ${token} not found`);
  return [{ service_request_id: records[0].number, token }];
}
