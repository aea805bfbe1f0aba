/**
 * Open311: API keys (hashed, with usage), the guards of reads and POSTs (key, rate limits), and the claims
 * that make a client's POST idempotent by its own reference.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { field, Open311Error, type FormFields } from './open311.format.js';
import { beijingDay, countUsage, HOUR, limit, MINUTE, postsThisHour } from './open311.limits.js';
import * as repo from './open311.repo.js';
import type { TApiKey, TApiKeyCreate, TApiKeyCreated, TApiKeyUpdate } from './open311.schema.js';
import { open311Settings } from './open311.settings.js';
import { DAY_MS } from './open311.services.js';

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
export async function authenticate(
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
    await limitKey(db, k, `read:key:${k.id}`, MINUTE, s.keyReadsPerMinute, {
      zh: `该密钥每分钟最多查询 ${s.keyReadsPerMinute} 次，请稍后再试`,
      en: `This key may read at most ${s.keyReadsPerMinute} times a minute; try again later`,
    });
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
export async function guardPost(db: Db, k: repo.KeyRow): Promise<void> {
  await limitKey(db, k, `post:key:${k.id}`, HOUR, k.postsPerHour, {
    zh: `该密钥每小时最多提交 ${k.postsPerHour} 次，请稍后再试`,
    en: `This key may POST at most ${k.postsPerHour} times an hour; try again later`,
  });
}

/** A key's rate limit: a refusal is counted in the key's usage too. */
async function limitKey(
  db: Db,
  k: repo.KeyRow,
  subject: string,
  seconds: number,
  max: number,
  refusal: { zh: string; en: string },
): Promise<void> {
  try {
    await limit(db, subject, seconds, max, refusal);
  } catch (e) {
    await countUsage(db, k.id, 'refused');
    throw e;
  }
}

// ---------- idempotent POSTs ----------

export type ClientRef = { ref: string; windowSeconds: number };
export const FOREVER = 10 * 365 * 86_400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Claims the POST's client references. Returns the earlier answer when one of them belongs to an
 * earlier POST (a retry), null when this POST holds them all. A POST still being written with the same
 * reference is waited for (up to ~5 s), then 409.
 */
export async function claimRefs<T>(db: Db, apiKeyId: number, refs: ClientRef[], claim: string): Promise<T | null> {
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
