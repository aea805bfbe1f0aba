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
});
export type TApiKey = z.infer<typeof ZApiKey>;

export const ZApiKeyCreate = z.object({
  name: z.string().trim().min(1).max(100),
  channel: z.enum(KEY_CHANNELS).default('open311'),
  note: z.string().trim().max(500).default(''),
});
export type TApiKeyCreate = z.infer<typeof ZApiKeyCreate>;

export const ZApiKeyUpdate = nonEmptyPatch(z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    active: z.boolean().optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict());
export type TApiKeyUpdate = z.infer<typeof ZApiKeyUpdate>;

/** The answer to creating a key: the key itself is shown this once. */
export const ZApiKeyCreated = z.object({ key: ZApiKey, apiKey: z.string() });
export type TApiKeyCreated = z.infer<typeof ZApiKeyCreated>;
