/**
 * Settings of the Open311 interface (app_settings 'open311.settings', through the settings module), changed by the admin on the keys page,
 * read on every Open311 request through a cache of at most 5 s per instance (an edit on another
 * instance shows here within 5 s), and the discovery changeset (app_settings 'open311.changeset').
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { z } from 'zod';
import { recordAudit } from '../audit/index.js';
import { getSetting, setSetting } from '../settings/index.js';
import { ZOpen311Settings, type TOpen311Settings } from './open311.schema.js';

const KEY = 'open311.settings';
const CHANGESET_KEY = 'open311.changeset';
const TTL_MS = 5000;

/** Mainland China's extent: a location outside it (0,0 …) is flagged until the admin sets the district's. */
export const DEFAULT_OPEN311_SETTINGS: TOpen311Settings = {
  allowedOrigins: [],
  requireKeyForReads: false,
  extendedStatuses: false,
  anonymousReadsPerMinute: 60,
  keyReadsPerMinute: 600,
  bbox: { minLat: 3.8, maxLat: 53.6, minLng: 73.4, maxLng: 135.1 },
  outsideArea: 'flag',
};

const cache = new WeakMap<object, { at: number; value: TOpen311Settings }>();

/** The settings, with defaults for anything not stored (cached ≤ 5 s). */
export async function open311Settings(db: Db): Promise<TOpen311Settings> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const stored = await getSetting(db, KEY, ZOpen311Settings.partial());
  const value = { ...DEFAULT_OPEN311_SETTINGS, ...(stored ?? {}) };
  cache.set(db, { at: Date.now(), value });
  return value;
}

/** Stores the settings (audited); this instance uses them at once. */
export async function putOpen311Settings(db: Db, actor: Actor, input: TOpen311Settings): Promise<TOpen311Settings> {
  cache.delete(db);
  const before = await open311Settings(db);
  const after = { ...input, allowedOrigins: [...new Set(input.allowedOrigins.map((o) => o.replace(/\/$/, '')))] };
  await db.transaction(async (tx) => {
    await setSetting(tx, KEY, after);
    await recordAudit(tx, actor, {
      action: 'open311_settings.update',
      entityType: 'open311_settings',
      entityId: KEY,
      before,
      after,
    });
  });
  cache.set(db, { at: Date.now(), value: after });
  return after;
}

/** Whether a browser client on this origin may call the API. */
export function originAllowed(s: TOpen311Settings, origin: string): boolean {
  return s.allowedOrigins.includes('*') || s.allowedOrigins.includes(origin.replace(/\/$/, ''));
}

const ZChangeset = z.object({ hash: z.string(), at: z.string() });

/**
 * The discovery changeset: the time the services or their definitions last changed, as this server
 * saw it. The services' content is hashed; a different hash than the stored one means a change now.
 */
export async function changeset(db: Db, servicesContent: unknown, now = new Date()): Promise<Date> {
  const hash = createHash('sha256').update(JSON.stringify(servicesContent)).digest('hex');
  const stored = await getSetting(db, CHANGESET_KEY, ZChangeset.partial());
  if (stored?.hash === hash && stored.at) return new Date(stored.at);
  await setSetting(db, CHANGESET_KEY, { hash, at: now.toISOString() });
  return now;
}
