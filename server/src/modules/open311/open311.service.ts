/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the public service platform:
 * services are the leaf case categories that have an Open311 service code; a request is a case
 * (service_request_id = the case number). Requests filed here become cases through the cases
 * service, on the channel of the API key ('open311', or 'city_transfer' for the city platform).
 * Nothing about the requester (name, phone, e-mail, device, account) is ever returned.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CASE_TYPE_NAMES } from '../../../../common/cases.js';
import { zhNames } from '../../../../common/names.js';
import type { Db } from '../../db/client.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { CASE_TYPES, type CaseStatus, type CaseType, createCase, listCategories, maskPersonalData, type PublicCaseRecord, publicCaseRecords, systemActor, type TCaseIntakeParsed, ZCaseIntake, ZPhone } from '../cases/index.js';
import { attributes, field, listField, Open311Error, parseW3cDate, w3cDate, type FormFields } from './open311.format.js';
import * as repo from './open311.repo.js';
import type { TApiKey, TApiKeyCreate, TApiKeyCreated, TApiKeyUpdate } from './open311.schema.js';

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** The most requests one GET returns, and the longest date range (days), as the spec sets them. */
export const MAX_REQUESTS = 1000;
export const MAX_RANGE_DAYS = 90;
const DAY_MS = 86_400_000;

const STARTED_AT = new Date();

// ---------- discovery ----------

/** The service discovery document (http://wiki.open311.org/Service_Discovery). */
export function discovery(endpointUrl: string) {
  const changeset = w3cDate(STARTED_AT);
  return {
    changeset,
    contact: '区12345政务服务便民热线管理中心：工作日 9:00–17:00，电话 12345 / Hotline management centre, phone 12345',
    key_service: 'API 密钥由系统管理员在“开放接口密钥”页面签发 / API keys are issued by the system administrator (page “开放接口密钥”)',
    endpoints: [
      {
        specification: SPECIFICATION,
        url: endpointUrl,
        changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

// ---------- services ----------

export type Open311Service = {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
};

type ServiceCategory = { id: number; code: string; name: string; path: string; description: string; group: string; timeLimitDays: number };

/** Active leaf case categories with an Open311 service code, in category order. */
async function serviceCategories(db: Db): Promise<ServiceCategory[]> {
  const cats = await listCategories(db);
  const parents = new Set(cats.map((c) => c.parentId).filter((p): p is number => p !== null));
  const byId = new Map(cats.map((c) => [c.id, c]));
  const inactiveAncestor = (id: number): boolean => {
    const seen = new Set<number>();
    for (let c = byId.get(id); c && !seen.has(c.id); c = c.parentId === null ? undefined : byId.get(c.parentId)) {
      seen.add(c.id);
      if (!c.active) return true;
    }
    return false;
  };
  return cats
    .filter((c) => c.open311Code && !parents.has(c.id) && !inactiveAncestor(c.id))
    .map((c) => ({
      id: c.id,
      code: c.open311Code!,
      name: c.name,
      path: c.path,
      description: c.description,
      group: c.parentId === null ? '' : (byId.get(c.parentId)?.name ?? ''),
      timeLimitDays: c.timeLimitDays,
    }));
}

/** GET services: the request types clients may file. */
export async function listServices(db: Db): Promise<Open311Service[]> {
  return (await serviceCategories(db)).map((c) => ({
    service_code: c.code,
    service_name: c.name,
    description: c.description || c.path,
    metadata: true,
    type: 'realtime',
    keywords: c.path.split(' / ').join(', '),
    group: c.group,
  }));
}

const TYPE_NAMES: Record<CaseType, string> = zhNames(CASE_TYPE_NAMES);

/** The attributes every service accepts (all optional). */
const ATTRIBUTES = [
  {
    variable: true,
    code: 'type',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: '不填按“投诉”受理 / defaults to complaint',
    order: 1,
    description: '诉求类型 / Kind of request',
    values: CASE_TYPES.map((t) => ({ key: t, name: TYPE_NAMES[t] })),
  },
  {
    variable: true,
    code: 'enterprise_name',
    datatype: 'string',
    required: false,
    datatype_description: '企业诉求填写企业全称 / full name of the enterprise, for enterprise requests',
    order: 2,
    description: '企业名称 / Enterprise name',
    values: [] as { key: string; name: string }[],
  },
  {
    variable: true,
    code: 'city_ref',
    datatype: 'string',
    required: false,
    datatype_description: '市级平台转办时填写市级工单编号 / the city platform’s own case number, for transfers',
    order: 3,
    description: '上级平台工单编号 / Reference number at the city platform',
    values: [] as { key: string; name: string }[],
  },
];

/** GET services/{code}: the service definition (its optional attributes). */
export async function serviceDefinition(db: Db, code: string) {
  const svc = (await serviceCategories(db)).find((c) => c.code === code);
  if (!svc) throw new Open311Error(404, `服务代码 ${code} 不存在`, `service_code ${code} not found`);
  return { service_code: svc.code, attributes: ATTRIBUTES };
}

// ---------- API keys ----------

/** SHA-256 of an API key: keys are long random strings, so a fast hash is enough and lookups stay indexed. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function presentKey(k: repo.KeyRow): TApiKey {
  return {
    id: k.id,
    name: k.name,
    keyHint: k.keyHint,
    channel: k.channel,
    active: k.active,
    note: k.note,
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    requestCount: k.requestCount,
  };
}

/** The active key with this value, or a 403 in the spec's words. */
async function authenticate(db: Db, apiKey: string | undefined): Promise<repo.KeyRow> {
  const k = apiKey ? await repo.findKeyByHash(db, hashKey(apiKey)) : null;
  if (!k || !k.active) {
    throw new Open311Error(
      403,
      apiKey ? 'api_key 无效或已停用，无法提交诉求' : '缺少 api_key，无法提交诉求',
      apiKey ? "Invalid api_key received -- can't proceed with create_request." : "Missing api_key -- can't proceed with create_request.",
    );
  }
  return k;
}

export async function listKeys(db: Db): Promise<TApiKey[]> {
  return (await repo.listKeys(db)).map(presentKey);
}

/** Issues a key; the key itself is returned only here. */
export async function createKey(ctx: Ctx, input: TApiKeyCreate): Promise<TApiKeyCreated> {
  const apiKey = `xn311_${randomBytes(24).toString('base64url')}`;
  const row = await ctx.db.transaction(async (tx) => {
    const k = await repo.insertKey(tx, {
      name: input.name,
      keyHash: hashKey(apiKey),
      keyHint: `${apiKey.slice(0, 10)}…`,
      channel: input.channel,
      note: input.note,
      createdBy: ctx.user?.id ?? null,
    });
    await recordAudit(tx, ctx.actor, { action: 'open311_key.create', entityType: 'open311_key', entityId: k.id, after: presentKey(k) });
    return k;
  });
  return { key: presentKey(row), apiKey };
}

/** Renames, deactivates or reactivates a key. */
export async function updateKey(ctx: Ctx, id: number, input: TApiKeyUpdate): Promise<TApiKey> {
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findKey(tx, id);
    if (!before) throw notFound();
    const after = await repo.updateKey(tx, id, input);
    if (!after) throw notFound();
    await recordAudit(tx, ctx.actor, { action: 'open311_key.update', entityType: 'open311_key', entityId: id, before: presentKey(before), after: presentKey(after) });
    return presentKey(after);
  });
}

/** Inserts a key with a known value (the demo seed's `demo-open311-key`); returns its id. */
export async function insertKnownKey(tx: Db, v: { name: string; apiKey: string; channel: 'open311' | 'city_transfer'; note: string }): Promise<number> {
  const k = await repo.insertKey(tx, { name: v.name, keyHash: hashKey(v.apiKey), keyHint: `${v.apiKey.slice(0, 10)}…`, channel: v.channel, note: v.note });
  return k.id;
}

// ---------- POST requests ----------

/** What the client sent, translated into our field names for errors. */
const FIELD_NAMES: Record<string, string> = {
  description: 'description',
  address: 'address_string',
  lat: 'lat',
  lng: 'long',
  'requester.name': 'first_name',
  'requester.phone': 'phone',
  'requester.enterpriseName': 'attribute[enterprise_name]',
  externalRef: 'attribute[city_ref]',
};

const bad = (zh: string, en: string) => new Open311Error(400, zh, en);

function coordinate(f: FormFields, name: 'lat' | 'long', max: number): number | null {
  const raw = field(f, name);
  if (raw === undefined) return null;
  const n = Number(raw);
  if (!/^-?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n) || Math.abs(n) > max) {
    throw bad(`${name} 须为 WGS84 坐标（-${max} 到 ${max}）`, `${name} must be a WGS84 coordinate between -${max} and ${max}`);
  }
  return n;
}

function limited(f: FormFields, name: string, max: number): string {
  const v = field(f, name) ?? '';
  if (v.length > max) throw bad(`${name} 过长（最多 ${max} 个字符）`, `${name} is too long (at most ${max} characters)`);
  return v;
}

export type PostResult = { service_request_id: string; service_notice: string; account_id: string | null };

/**
 * POST requests: files a case from an Open311 client. Checks the key (403), then the fields (400,
 * naming the field); answers in real time with the case number as service_request_id.
 */
export async function createRequest(db: Db, f: FormFields, meta: { ip: string | null }): Promise<PostResult[]> {
  const key = await authenticate(db, field(f, 'api_key'));
  const code = field(f, 'service_code');
  if (!code) throw bad('缺少必填字段 service_code', 'service_code was not provided');
  const svc = (await serviceCategories(db)).find((c) => c.code === code);
  if (!svc) throw bad(`service_code ${code} 不存在或已停用`, `service_code ${code} is not a valid service`);

  const lat = coordinate(f, 'lat', 90);
  const lng = coordinate(f, 'long', 180);
  if ((lat === null) !== (lng === null)) throw bad('lat 和 long 须同时提供', 'lat and long must be sent together');
  const addressString = limited(f, 'address_string', 200);
  const addressId = limited(f, 'address_id', 100);
  if (lat === null && !addressString && !addressId) {
    throw bad('须提供位置：lat 和 long，或 address_string，或 address_id', 'A location is required: lat & long, address_string or address_id');
  }
  let description = limited(f, 'description', 4000);
  // The spec makes description optional; a case needs a few words, so say what the service is.
  if (description.length < 5) description = `【${svc.name}】${description || '（未填写描述）'}`;
  const phone = limited(f, 'phone', 30).replace(/\s+/g, '');
  if (phone && !ZPhone.safeParse(phone).success) throw bad('phone 须为手机号码或带区号的固定电话', 'phone must be a mainland mobile number or a landline with area code');
  const email = limited(f, 'email', 200);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw bad('email 格式不正确', 'email is not a valid address');
  const mediaUrl = limited(f, 'media_url', 1000);
  if (mediaUrl && !/^https?:\/\/\S+$/i.test(mediaUrl)) throw bad('media_url 须为 http(s) 地址', 'media_url must be an http(s) URL');
  const name = `${limited(f, 'last_name', 25)}${limited(f, 'first_name', 25)}`;
  const deviceId = limited(f, 'device_id', 200);
  const accountId = limited(f, 'account_id', 200);

  const attrs = attributes(f);
  const typeValue = attrs.type?.[0] ?? 'complaint';
  if (!(CASE_TYPES as readonly string[]).includes(typeValue)) {
    throw bad(`attribute[type] 的取值无效：${typeValue}`, `attribute[type] has an invalid value: ${typeValue}`);
  }
  const enterpriseName = attrs.enterprise_name?.[0] ?? '';
  const cityRef = attrs.city_ref?.[0] ?? null;

  const parsed = ZCaseIntake.safeParse({
    channel: key.channel,
    type: typeValue,
    categoryId: svc.id,
    requester: { name, phone, enterprise: enterpriseName !== '', enterpriseName, anonymous: false },
    description,
    address: addressString || (addressId ? `地址编码 ${addressId}` : ''),
    lat,
    lng,
    externalRef: cityRef,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String).join('.');
    const name = FIELD_NAMES[path] ?? path;
    throw bad(`字段 ${name} 无效`, `${name} is invalid: ${issue.message}`);
  }
  const input: TCaseIntakeParsed = parsed.data;
  const actor: Actor = { id: null, name: `open311:${key.name}`, ip: meta.ip };
  const created = await createCase(db, systemActor(key.name, actor), input, { sourceIp: meta.ip });
  await db.transaction(async (tx) => {
    await repo.insertRequestExtras(tx, {
      caseId: created.id,
      apiKeyId: key.id,
      email,
      deviceId,
      accountId,
      addressId,
      mediaUrl,
      attributes: attrs,
    });
    await repo.touchKey(tx, key.id);
    await recordAudit(tx, actor, {
      action: 'open311.request',
      entityType: 'case',
      entityId: created.id,
      after: { number: created.number, apiKeyId: key.id, serviceCode: code, mediaUrl: mediaUrl || undefined, addressId: addressId || undefined },
    });
  });
  return [
    {
      service_request_id: created.number,
      service_notice: `诉求已受理，编号 ${created.number}，将在 ${created.timeLimitDays} 个工作日内办理 / Accepted as ${created.number}; handled within ${created.timeLimitDays} working days`,
      account_id: accountId || null,
    },
  ];
}

// ---------- GET requests ----------

export type Open311Request = {
  service_request_id: string;
  status: 'open' | 'closed';
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

function present(r: PublicCaseRecord, svc: ServiceCategory, extras: repo.RequestExtrasRow | undefined): Open311Request {
  const closed = !r.open;
  const notes = r.status === 'closed' && r.result ? `${STATUS_NOTES.closed}：${r.result}` : STATUS_NOTES[r.status];
  return {
    service_request_id: r.number,
    status: closed ? 'closed' : 'open',
    status_notes: maskPersonalData(notes), // the result text may quote the requester's number
    service_name: svc.name,
    service_code: svc.code,
    description: maskPersonalData(r.description), // GET requests needs no key: no phone or ID numbers out
    agency_responsible: r.leadUnitName,
    service_notice: r.leadUnitName ? `由${r.leadUnitName}承办，办理时限 ${svc.timeLimitDays} 个工作日` : `办理时限 ${svc.timeLimitDays} 个工作日`,
    requested_datetime: w3cDate(r.createdAt),
    updated_datetime: w3cDate(closed && r.closedAt ? r.closedAt : r.updatedAt),
    expected_datetime: r.expectedAt ? w3cDate(r.expectedAt) : null,
    address: r.address,
    address_id: extras?.addressId || null,
    zipcode: null,
    lat: r.lat,
    long: r.lng,
    media_url: extras?.mediaUrl || null,
  };
}

const OPEN_FILTER: CaseStatus[] = ['accepted', 'dispatched', 'signed', 'in_progress', 'reported', 'verified', 'review', 'returned'];
const CLOSED_FILTER: CaseStatus[] = ['rejected', 'merged', 'closed'];

async function recordsToRequests(db: Db, records: PublicCaseRecord[], services: ServiceCategory[]): Promise<Open311Request[]> {
  const byCategory = new Map(services.map((s) => [s.id, s]));
  const shown = records.filter((r) => byCategory.has(r.categoryId));
  const extras = await repo.requestExtras(
    db,
    shown.map((r) => r.id),
  );
  return shown.map((r) => present(r, byCategory.get(r.categoryId)!, extras.get(r.id)));
}

/**
 * GET requests: by service_request_id (a comma list, overriding the rest), or by service_code,
 * status and requested_datetime range (the last 90 days by default, at most 90 days, at most 1000 requests).
 */
export async function listRequests(db: Db, q: FormFields, now = new Date()): Promise<Open311Request[]> {
  const services = await serviceCategories(db);
  const ids = listField(q, 'service_request_id');
  if (ids) {
    if (ids.length > MAX_REQUESTS) throw bad(`一次最多查询 ${MAX_REQUESTS} 个 service_request_id`, `at most ${MAX_REQUESTS} service_request_id at once`);
    const records = await publicCaseRecords(db, { numbers: ids, categoryIds: services.map((s) => s.id), limit: MAX_REQUESTS });
    return recordsToRequests(db, records, services);
  }
  const codes = listField(q, 'service_code');
  const categoryIds = codes ? services.filter((s) => codes.includes(s.code)).map((s) => s.id) : services.map((s) => s.id);
  const statuses = listField(q, 'status');
  let statusFilter: CaseStatus[] | undefined;
  if (statuses) {
    const wanted = new Set(statuses.map((s) => s.toLowerCase()));
    for (const s of wanted) if (s !== 'open' && s !== 'closed') throw bad(`status 只能是 open 或 closed：${s}`, `status must be open or closed, not ${s}`);
    statusFilter = [...(wanted.has('open') ? OPEN_FILTER : []), ...(wanted.has('closed') ? CLOSED_FILTER : [])];
  }
  const dateOf = (name: string): Date | undefined => {
    const raw = field(q, name);
    if (raw === undefined) return undefined;
    const d = parseW3cDate(raw);
    if (!d) throw bad(`${name} 须为带时区的 W3C 日期时间，如 2026-03-01T00:00:00+08:00`, `${name} must be a W3C datetime with a time zone, e.g. 2010-01-01T00:00:00Z`);
    return d;
  };
  const start = dateOf('start_date');
  const end = dateOf('end_date');
  const range = MAX_RANGE_DAYS * DAY_MS;
  const to = end ?? (start ? new Date(start.getTime() + range) : now);
  const from = start ?? new Date(to.getTime() - range);
  if (from.getTime() > to.getTime()) throw bad('start_date 不能晚于 end_date', 'start_date must not be after end_date');
  if (to.getTime() - from.getTime() > range) throw bad(`查询区间不能超过 ${MAX_RANGE_DAYS} 天`, `the date range may not span more than ${MAX_RANGE_DAYS} days`);
  if (!categoryIds.length) return [];
  const records = await publicCaseRecords(db, {
    categoryIds,
    statuses: statusFilter,
    from,
    to: new Date(to.getTime() + 1), // end_date is inclusive
    limit: MAX_REQUESTS,
  });
  return recordsToRequests(db, records, services);
}

/** GET requests/{id}: one request (as a list of one, per the spec) or 404. */
export async function getRequest(db: Db, id: string): Promise<Open311Request[]> {
  const services = await serviceCategories(db);
  const records = await publicCaseRecords(db, { numbers: [id], categoryIds: services.map((s) => s.id), limit: 1 });
  const out = await recordsToRequests(db, records, services);
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
