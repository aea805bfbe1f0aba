import { z } from 'zod';

export const ZAuditQuery = z.object({
  actorId: z.coerce.number().int().positive().optional(),
  unitId: z.coerce.number().int().positive().optional(),
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

export const ZAuditPage = z.object({ total: z.number(), items: z.array(ZAuditEntry) });
export const ZAuditVerify = z.object({ checked: z.number(), ok: z.boolean(), broken: z.object({ id: z.number(), reason: z.string() }).nullable() });
