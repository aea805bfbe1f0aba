/**
 * Open311: POST requests — a citizen's or partner's request becomes a case through the cases service.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Actor } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import {
  CASE_TYPES,
  checkFiles,
  createCase,
  type IncomingFile,
  noteOnCase,
  systemActor,
  type TCaseIntakeParsed,
  ZCaseIntake,
} from '../cases/index.js';
import { attributes, field, Open311Error, type FormFields } from './open311.format.js';
import { countUsage } from './open311.limits.js';
import { joinName, normalisePhone } from './open311.people.js';
import * as repo from './open311.repo.js';
import type { TOpen311Settings } from './open311.schema.js';
import { open311Settings } from './open311.settings.js';
import { DEVICE_RETRY_MINUTES, MAX_PHOTOS, serviceCategories } from './open311.services.js';
import { type ClientRef, FOREVER, authenticate, claimRefs, guardPost } from './open311.keys.js';

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

export const bad = (zh: string, en: string) => new Open311Error(400, zh, en);

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
