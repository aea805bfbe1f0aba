/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the public service platform:
 * services are the leaf case categories that have an Open311 service code; a request is a case
 * (service_request_id = the case number). Requests filed here become cases through the cases
 * service, on the channel of the API key ('open311', or 'city_transfer' for the city platform).
 * Nothing about the requester (name, phone, e-mail, device, account) is ever returned, and what is
 * returned of a case follows its publication rule (cases.publication.ts). docs/OPEN311.md says what
 * is supported.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CASE_TYPE_NAMES } from '../../../../common/cases.js';
import { zhNames } from '../../../../common/names.js';
import type { Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import {
  CASE_STATUSES,
  CASE_TYPES,
  type CaseStatus,
  type CaseType,
  checkFiles,
  createCase,
  type IncomingFile,
  listCategories,
  maskPersonalData,
  noteOnCase,
  type PublicCaseRecord,
  publicCaseRecords,
  roundCoordinate,
  systemActor,
  type TCaseIntakeParsed,
  ZCaseIntake,
} from '../cases/index.js';
import {
  attributes,
  field,
  listField,
  Open311Error,
  parseW3cDate,
  w3cDate,
  type FormFields,
} from './open311.format.js';
import { beijingDay, countUsage, HOUR, limit, MINUTE, postsThisHour } from './open311.limits.js';
import { joinName, normalisePhone } from './open311.people.js';
import * as repo from './open311.repo.js';
import type { TApiKey, TApiKeyCreate, TApiKeyCreated, TApiKeyUpdate, TOpen311Settings } from './open311.schema.js';
import { changeset, open311Settings } from './open311.settings.js';
import { basicStatus, extendedStatus, statusFilter } from './open311.statuses.js';

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** The most requests one GET returns, and the longest date range (days), as the spec sets them. */
export const MAX_REQUESTS = 1000;
export const MAX_RANGE_DAYS = 90;
/** Photos a multipart POST may carry. */
export const MAX_PHOTOS = 3;
/** How long the same api_key + device_id + description counts as a retry of the first POST. */
export const DEVICE_RETRY_MINUTES = 10;
const DAY_MS = 86_400_000;

// ---------- discovery ----------

/**
 * The service discovery document (http://wiki.open311.org/Service_Discovery). The changeset is the
 * time the services or their definitions last changed; the endpoint URL ends with '/'.
 */
export async function discovery(db: Db, endpointUrl: string) {
  const services = await listServices(db);
  const at = w3cDate(await changeset(db, { services, attributes: ATTRIBUTES }));
  return {
    changeset: at,
    contact: '区12345政务服务便民热线管理中心：工作日 9:00–17:00，电话 12345 / Hotline management centre, phone 12345',
    key_service:
      'API 密钥由系统管理员在“开放接口密钥”页面签发 / API keys are issued by the system administrator (page “开放接口密钥”)',
    endpoints: [
      {
        specification: SPECIFICATION,
        url: endpointUrl.endsWith('/') ? endpointUrl : `${endpointUrl}/`,
        changeset: at,
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

type ServiceCategory = {
  id: number;
  code: string;
  name: string;
  path: string;
  description: string;
  group: string;
  timeLimitDays: number;
};

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

type Usage = TApiKey['usage'];
const NO_USE = { posts: 0, reads: 0, refused: 0 };

function presentKey(k: repo.KeyRow, usage: Usage = { today: NO_USE, last30Days: NO_USE, postsThisHour: 0 }): TApiKey {
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
    postsPerHour: k.postsPerHour,
    usage,
  };
}

/** The active key with this value, or a 403 in the spec's words. */
async function authenticate(
  db: Db,
  apiKey: string | undefined,
  what: 'create_request' | 'read' | 'post_update' = 'create_request',
): Promise<repo.KeyRow> {
  const k = apiKey ? await repo.findKeyByHash(db, hashKey(apiKey)) : null;
  if (!k || !k.active) {
    const zhWhat = what === 'read' ? '无法查询' : what === 'post_update' ? '无法提交进展' : '无法提交诉求';
    throw new Open311Error(
      403,
      apiKey ? `api_key 无效或已停用，${zhWhat}` : `缺少 api_key，${zhWhat}`,
      apiKey
        ? `Invalid api_key received -- can't proceed with ${what}.`
        : `Missing api_key -- can't proceed with ${what}.`,
    );
  }
  return k;
}

/** The keys with their use: today, the last 30 days (Beijing days) and POSTs in the current hour. */
export async function listKeys(db: Db): Promise<TApiKey[]> {
  const today = beijingDay();
  const since = beijingDay(new Date(Date.now() - 29 * DAY_MS));
  const [keys, usage] = await Promise.all([repo.listKeys(db), repo.usageSince(db, since)]);
  const hours = await Promise.all(keys.map((k) => postsThisHour(db, k.id)));
  return keys.map((k, i) => {
    const rows = usage.filter((u) => u.apiKeyId === k.id);
    const sum = (list: typeof rows) => ({
      posts: list.reduce((a, u) => a + u.posts, 0),
      reads: list.reduce((a, u) => a + u.reads, 0),
      refused: list.reduce((a, u) => a + u.refused, 0),
    });
    return presentKey(k, {
      today: sum(rows.filter((u) => u.day === today)),
      last30Days: sum(rows),
      postsThisHour: hours[i],
    });
  });
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
      postsPerHour: input.postsPerHour,
      createdBy: ctx.user?.id ?? null,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'open311_key.create',
      entityType: 'open311_key',
      entityId: k.id,
      after: presentKey(k),
    });
    return k;
  });
  return { key: presentKey(row), apiKey };
}

/** Renames, deactivates or reactivates a key, or changes its hourly POST limit. */
export async function updateKey(ctx: Ctx, id: number, input: TApiKeyUpdate): Promise<TApiKey> {
  await ctx.db.transaction(async (tx) => {
    const before = await repo.findKey(tx, id);
    if (!before) throw notFound();
    const after = await repo.updateKey(tx, id, input);
    if (!after) throw notFound();
    await recordAudit(tx, ctx.actor, {
      action: 'open311_key.update',
      entityType: 'open311_key',
      entityId: id,
      before: presentKey(before),
      after: presentKey(after),
    });
  });
  const k = (await listKeys(ctx.db)).find((x) => x.id === id);
  if (!k) throw notFound();
  return k;
}

/** Inserts a key with a known value (the demo seed's `demo-open311-key`); returns its id. */
export async function insertKnownKey(
  tx: Db,
  v: { name: string; apiKey: string; channel: 'open311' | 'city_transfer'; note: string },
): Promise<number> {
  const k = await repo.insertKey(tx, {
    name: v.name,
    keyHash: hashKey(v.apiKey),
    keyHint: `${v.apiKey.slice(0, 10)}…`,
    channel: v.channel,
    note: v.note,
  });
  return k.id;
}

// ---------- reads: key, rate limit ----------

/**
 * Before a read: with an api_key, the key must be valid and its reads per minute are limited and
 * counted; without one, reads per minute are limited by client address, and refused when the admin
 * requires a key for reading requests (`requestsRead`; services and discovery stay open).
 */
export async function guardRead(db: Db, f: FormFields, ip: string, requestsRead: boolean): Promise<void> {
  const s = await open311Settings(db);
  const apiKey = field(f, 'api_key');
  if (apiKey) {
    const k = await authenticate(db, apiKey, 'read');
    try {
      await limit(db, `read:key:${k.id}`, MINUTE, s.keyReadsPerMinute, {
        zh: `该密钥每分钟最多查询 ${s.keyReadsPerMinute} 次，请稍后再试`,
        en: `This key may read at most ${s.keyReadsPerMinute} times a minute; try again later`,
      });
    } catch (e) {
      await countUsage(db, k.id, 'refused');
      throw e;
    }
    await countUsage(db, k.id, 'reads');
    return;
  }
  if (requestsRead && s.requireKeyForReads) {
    throw new Open311Error(
      403,
      '查询诉求须提供 api_key',
      'Missing api_key -- reading requests needs a key on this server.',
    );
  }
  await limit(db, `read:ip:${ip}`, MINUTE, s.anonymousReadsPerMinute, {
    zh: `未带密钥时每分钟最多查询 ${s.anonymousReadsPerMinute} 次，请稍后再试或申请 api_key`,
    en: `At most ${s.anonymousReadsPerMinute} reads a minute without an api_key; try again later or ask for a key`,
  });
}

/** A POST of this key counts against its hourly limit (requests and updates alike). */
async function guardPost(db: Db, k: repo.KeyRow): Promise<void> {
  try {
    await limit(db, `post:key:${k.id}`, HOUR, k.postsPerHour, {
      zh: `该密钥每小时最多提交 ${k.postsPerHour} 次，请稍后再试`,
      en: `This key may POST at most ${k.postsPerHour} times an hour; try again later`,
    });
  } catch (e) {
    await countUsage(db, k.id, 'refused');
    throw e;
  }
}

// ---------- idempotent POSTs ----------

type ClientRef = { ref: string; windowSeconds: number };
const FOREVER = 10 * 365 * 86_400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Claims the POST's client references. Returns the earlier answer when one of them belongs to an
 * earlier POST (a retry), null when this POST holds them all. A POST still being written with the same
 * reference is waited for (up to ~5 s), then 409.
 */
async function claimRefs<T>(db: Db, apiKeyId: number, refs: ClientRef[], claim: string): Promise<T | null> {
  for (let attempt = 0; ; attempt++) {
    let pending = false;
    for (const r of refs) {
      const other = await repo.claimRef(db, apiKeyId, r.ref, claim, r.windowSeconds);
      if (!other) continue;
      await repo.releaseRefs(db, apiKeyId, claim);
      if (other.answer !== null) return JSON.parse(other.answer) as T;
      pending = true;
      break;
    }
    if (!pending) return null;
    if (attempt >= 25) {
      throw new Open311Error(
        409,
        '相同的请求正在处理中，请稍后重试',
        'A request with the same reference is being processed; retry in a moment',
      );
    }
    await sleep(200);
  }
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
  if (!/^[-+]?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n) || Math.abs(n) > max) {
    throw bad(
      `${name} 须为 WGS84 坐标（-${max} 到 ${max}）`,
      `${name} must be a WGS84 coordinate between -${max} and ${max}`,
    );
  }
  return n;
}

function limited(f: FormFields, name: string, max: number): string {
  const v = field(f, name) ?? '';
  if (v.length > max)
    throw bad(`${name} 过长（最多 ${max} 个字符）`, `${name} is too long (at most ${max} characters)`);
  return v;
}

/** Every value of a field that may be repeated (media_url, media_url[]). */
function allValues(f: FormFields, ...names: string[]): string[] {
  return names.flatMap((n) => {
    const v = f[n];
    return (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).map((x) => x.trim()).filter(Boolean);
  });
}

/** Flags for staff: what the client sent that we kept as given but could not use. */
export const FLAG_TEXT: Record<string, string> = {
  phone_unrecognised: '电话号码格式无法识别，未发送受理短信',
  email_unrecognised: '电子邮箱格式无法识别',
  media_url_invalid: '部分图片地址不是 http(s) 地址，未采用',
  outside_area: '坐标不在辖区范围内，请核实位置',
};

export type PostResult = { service_request_id: string; service_notice: string; account_id: string | null };

export type PostMeta = {
  ip: string | null;
  idempotencyKey?: string;
  files?: IncomingFile[];
  blobs?: BlobStore;
  maxBytes?: number;
};

function outsideArea(s: TOpen311Settings, lat: number, lng: number): boolean {
  return !!s.bbox && (lat < s.bbox.minLat || lat > s.bbox.maxLat || lng < s.bbox.minLng || lng > s.bbox.maxLng);
}

/**
 * POST requests: files a case from an Open311 client. Checks the key (403) and its hourly limit
 * (429), then the fields (400 naming the field; 404 for an unknown service_code, as the spec says).
 * An optional field in a format we cannot use is kept as given and flagged, never refused. A retry
 * (same attribute[city_ref], Idempotency-Key, or api_key + device_id + description within
 * DEVICE_RETRY_MINUTES) answers the first POST's answer. Answers in real time with the case number.
 */
export async function createRequest(db: Db, f: FormFields, meta: PostMeta): Promise<PostResult[]> {
  const key = await authenticate(db, field(f, 'api_key'));
  await guardPost(db, key);
  const code = field(f, 'service_code');
  if (!code) throw bad('缺少必填字段 service_code', 'service_code was not provided');
  const svc = (await serviceCategories(db)).find((c) => c.code === code);
  if (!svc) throw new Open311Error(404, `service_code ${code} 不存在或已停用`, `service_code ${code} not found`);
  const settings = await open311Settings(db);
  const flags: string[] = [];

  const lat = coordinate(f, 'lat', 90);
  const lng = coordinate(f, 'long', 180);
  if ((lat === null) !== (lng === null)) throw bad('lat 和 long 须同时提供', 'lat and long must be sent together');
  if (lat !== null && lng !== null && outsideArea(settings, lat, lng)) {
    if (settings.outsideArea === 'refuse')
      throw bad('lat/long 不在本辖区服务范围内', 'lat/long is outside the area this server serves');
    flags.push('outside_area');
  }
  const addressString = limited(f, 'address_string', 200);
  const addressId = limited(f, 'address_id', 100);
  if (lat === null && !addressString && !addressId) {
    throw bad(
      '须提供位置：lat 和 long，或 address_string，或 address_id',
      'A location is required: lat & long, address_string or address_id',
    );
  }
  const sentDescription = limited(f, 'description', 4000);
  // The spec makes description optional; a case needs a few words, so say what the service is.
  const description =
    sentDescription.length < 5 ? `【${svc.name}】${sentDescription || '（未填写描述）'}` : sentDescription;
  const phoneSent = limited(f, 'phone', 50);
  const phone = normalisePhone(phoneSent);
  if (!phone.recognised) flags.push('phone_unrecognised');
  const email = limited(f, 'email', 200);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) flags.push('email_unrecognised');
  const mediaSent = allValues(f, 'media_url', 'media_url[]');
  const mediaUrls = mediaSent.filter((u) => u.length <= 1000 && /^https?:\/\/\S+$/i.test(u)).slice(0, 10);
  if (mediaUrls.length < mediaSent.length) flags.push('media_url_invalid');
  const name = joinName(limited(f, 'first_name', 50), limited(f, 'last_name', 50)).slice(0, 50);
  const deviceId = limited(f, 'device_id', 200);
  const accountId = limited(f, 'account_id', 200);

  const attrs = attributes(f);
  const typeValue = attrs.type?.[0] ?? 'complaint';
  if (!(CASE_TYPES as readonly string[]).includes(typeValue)) {
    throw bad(`attribute[type] 的取值无效：${typeValue}`, `attribute[type] has an invalid value: ${typeValue}`);
  }
  const enterpriseName = attrs.enterprise_name?.[0] ?? '';
  const cityRef = attrs.city_ref?.[0] ?? null;
  const files = meta.files?.length
    ? checkFiles(meta.files, { maxBytes: meta.maxBytes ?? 10 * 1024 * 1024, maxFiles: MAX_PHOTOS, imagesOnly: true })
    : [];

  const parsed = ZCaseIntake.safeParse({
    channel: key.channel,
    type: typeValue,
    categoryId: svc.id,
    requester: {
      name,
      phone: phone.recognised ? phone.phone : '',
      enterprise: enterpriseName !== '',
      enterpriseName,
      anonymous: false,
    },
    description,
    address: addressString || (addressId ? `地址编码 ${addressId}` : ''),
    lat,
    lng,
    externalRef: cityRef,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String).join('.');
    const fieldName = FIELD_NAMES[path] ?? path;
    throw bad(`字段 ${fieldName} 无效`, `${fieldName} is invalid: ${issue.message}`);
  }
  const input: TCaseIntakeParsed = parsed.data;

  const refs: ClientRef[] = [];
  if (cityRef) refs.push({ ref: `city:${cityRef}`, windowSeconds: FOREVER });
  if (meta.idempotencyKey) refs.push({ ref: `idem:${meta.idempotencyKey}`, windowSeconds: 86_400 });
  if (deviceId)
    refs.push({
      ref: `dev:${createHash('sha256').update(`${deviceId}\n${sentDescription}`).digest('hex')}`,
      windowSeconds: DEVICE_RETRY_MINUTES * 60,
    });
  const claim = randomBytes(12).toString('base64url');
  const earlier = await claimRefs<PostResult[]>(db, key.id, refs, claim);
  if (earlier) return earlier;

  const actor: Actor = { id: null, name: `open311:${key.name}`, ip: meta.ip };
  const by = systemActor(key.name, actor);
  let created;
  try {
    created = await createCase(db, by, input, { sourceIp: meta.ip, files, blobs: meta.blobs });
  } catch (e) {
    await repo.releaseRefs(db, key.id, claim);
    throw e;
  }
  const notice = [
    `诉求已受理，编号 ${created.number}，将在 ${created.timeLimitDays} 个工作日内办理`,
    ...flags.map((x) => FLAG_TEXT[x]),
  ].join('；');
  const answer: PostResult[] = [
    {
      service_request_id: created.number,
      service_notice: `${notice} / Accepted as ${created.number}; handled within ${created.timeLimitDays} working days${flags.length ? ` (to check: ${flags.join(', ')})` : ''}`,
      account_id: accountId || null,
    },
  ];
  await db.transaction(async (tx) => {
    await repo.insertRequestExtras(tx, {
      caseId: created.id,
      apiKeyId: key.id,
      email,
      deviceId,
      accountId,
      addressId,
      mediaUrl: mediaUrls[0] ?? '',
      mediaUrls,
      phoneAsSent: phone.recognised ? '' : phone.phone,
      flags,
      attributes: attrs,
    });
    await repo.touchKey(tx, key.id);
    if (refs.length) await repo.answerRefs(tx, key.id, claim, JSON.stringify(answer));
    if (flags.length) {
      const sent = [
        phone.recognised ? '' : `电话原文：${phone.phone}`,
        flags.includes('outside_area') ? `坐标：${lat},${lng}` : '',
      ]
        .filter(Boolean)
        .join('；');
      await noteOnCase(
        tx,
        by,
        created.id,
        `开放接口数据待核实：${flags.map((x) => FLAG_TEXT[x]).join('；')}${sent ? `（${sent}）` : ''}`,
        { flags },
      );
    }
    await recordAudit(tx, actor, {
      action: 'open311.request',
      entityType: 'case',
      entityId: created.id,
      after: {
        number: created.number,
        apiKeyId: key.id,
        serviceCode: code,
        mediaUrls: mediaUrls.length ? mediaUrls : undefined,
        photos: files.length || undefined,
        addressId: addressId || undefined,
        flags: flags.length ? flags : undefined,
      },
    });
  });
  await countUsage(db, key.id, 'posts');
  return answer;
}

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

// ---------- for open311.updates.ts ----------

export { authenticate, claimRefs, guardPost, serviceCategories, type ClientRef, FOREVER };
