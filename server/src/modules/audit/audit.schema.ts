import { z } from 'zod';

export const ZAuditQuery = z.object({
  actorId: z.coerce.number().int().positive().max(2147483647).optional(),
  /** The actor's username as recorded (also matches 'system' and 'anonymous'). */
  actorName: z.string().trim().min(1).max(64).optional(),
  unitId: z.coerce.number().int().positive().max(2147483647).optional(),
  entityType: z.string().max(64).optional(),
  entityId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ZAuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorId: z.number().nullable(),
  actorName: z.string(),
  ip: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  unitId: z.number().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});

export type TAuditQuery = z.input<typeof ZAuditQuery>;
export type TAuditEntry = z.infer<typeof ZAuditEntry>;
/** A page of entries (platform/lists): `total` exact up to 10,000, then 10,000 with `totalCapped`; `hasMore`: a next page exists. */
export const ZAuditPage = z.object({
  total: z.number(),
  totalCapped: z.boolean(),
  hasMore: z.boolean(),
  items: z.array(ZAuditEntry),
});
export type TAuditPage = z.infer<typeof ZAuditPage>;
export const ZAuditVerify = z.object({
  checked: z.number(),
  ok: z.boolean(),
  broken: z.object({ id: z.number(), reason: z.string() }).nullable(),
});
export type TAuditVerify = z.infer<typeof ZAuditVerify>;
