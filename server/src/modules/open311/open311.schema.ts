import { z } from 'zod';
import { KEY_CHANNELS } from './open311.table.js';
import { nonEmptyPatch } from '../../lib/zod-patch.js';

export const ZKeyIdParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

/** An API key as the admin sees it (never the key itself, nor its hash). */
export const ZApiKey = z.object({
  id: z.number(),
  name: z.string(),
  keyHint: z.string(),
  channel: z.enum(KEY_CHANNELS),
  active: z.boolean(),
  note: z.string(),
  createdBy: z.number().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  requestCount: z.number(),
  /** POSTs (requests and updates) allowed per hour; more answer 429. */
  postsPerHour: z.number(),
  /** Use of the key: today (Beijing time) and the last 30 days, and POSTs in the current hour. */
  usage: z.object({
    today: z.object({ posts: z.number(), reads: z.number(), refused: z.number() }),
    last30Days: z.object({ posts: z.number(), reads: z.number(), refused: z.number() }),
    postsThisHour: z.number(),
  }),
});
export type TApiKey = z.infer<typeof ZApiKey>;

export const ZApiKeyCreate = z.object({
  name: z.string().trim().min(1).max(100),
  channel: z.enum(KEY_CHANNELS).default('open311'),
  note: z.string().trim().max(500).default(''),
  postsPerHour: z.number().int().min(1).max(100000).default(600),
});
export type TApiKeyCreate = z.infer<typeof ZApiKeyCreate>;

export const ZApiKeyUpdate = nonEmptyPatch(
  z
    .object({
      name: z.string().trim().min(1).max(100).optional(),
      active: z.boolean().optional(),
      note: z.string().trim().max(500).optional(),
      postsPerHour: z.number().int().min(1).max(100000).optional(),
    })
    .strict(),
);
export type TApiKeyUpdate = z.infer<typeof ZApiKeyUpdate>;

/** The answer to creating a key: the key itself is shown this once. */
export const ZApiKeyCreated = z.object({ key: ZApiKey, apiKey: z.string() });
export type TApiKeyCreated = z.infer<typeof ZApiKeyCreated>;

/** An origin a browser-based client runs on (scheme, host, port), or * for any. */
const ZOrigin = z
  .string()
  .trim()
  .regex(/^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/, 'must be an origin like https://host[:port], or *');

export const ZBoundingBox = z
  .object({
    minLat: z.number().min(-90).max(90),
    maxLat: z.number().min(-90).max(90),
    minLng: z.number().min(-180).max(180),
    maxLng: z.number().min(-180).max(180),
  })
  .refine((b) => b.minLat < b.maxLat && b.minLng < b.maxLng, {
    message: 'minLat and minLng must be below maxLat and maxLng',
    path: ['maxLat'],
  });

/** Settings of the Open311 interface, changed by the admin on the keys page. */
export const ZOpen311Settings = z.object({
  /** Origins whose browser clients may call the API (CORS); a POST from another origin is refused. */
  allowedOrigins: z.array(ZOrigin).max(50),
  /** Reads of requests and updates need an api_key too (services and discovery stay open). */
  requireKeyForReads: z.boolean(),
  /** Answer with the extended statuses (in_progress, fixed, not_councils_responsibility …) even without extensions=true. */
  extendedStatuses: z.boolean(),
  /** GET requests per minute and client address without a key; with a key, per key. */
  anonymousReadsPerMinute: z.number().int().min(1).max(100000),
  keyReadsPerMinute: z.number().int().min(1).max(100000),
  /** The service area; a location outside it is flagged for staff or refused. Null: no check. */
  bbox: ZBoundingBox.nullable(),
  outsideArea: z.enum(['flag', 'refuse']),
});
export type TOpen311Settings = z.infer<typeof ZOpen311Settings>;
