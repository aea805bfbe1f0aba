import { z } from 'zod';
import { UNIT_KINDS } from './units.table.js';

export const ZUnit = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(UNIT_KINDS),
  parentId: z.number().nullable(),
  categoryId: z.number().nullable(),
  active: z.boolean(),
  sort: z.number(),
});
export type TUnit = z.infer<typeof ZUnit>;

export const ZUnitCreate = z.object({
  code: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(UNIT_KINDS),
  parentId: z.number().int().positive().nullable(),
  categoryId: z.number().int().positive().nullable().default(null),
  sort: z.number().int().min(0).max(100000).default(0),
});
export type TUnitCreate = z.infer<typeof ZUnitCreate>;

export const ZUnitUpdate = ZUnitCreate.partial().extend({ active: z.boolean().optional() });
export type TUnitUpdate = z.infer<typeof ZUnitUpdate>;

export const ZCategory = z.object({ id: z.number(), code: z.string(), name: z.string(), description: z.string(), sort: z.number() });
export type TCategory = z.infer<typeof ZCategory>;

export const ZCategoryCreate = z.object({
  code: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  name: z.string().trim().min(1).max(50),
  description: z.string().max(500).default(''),
  sort: z.number().int().min(0).max(100000).default(0),
});
export const ZCategoryUpdate = ZCategoryCreate.partial();

export const ZIdParam = z.object({ id: z.coerce.number().int().positive() });

export const ZLeaderAssign = z.object({ unitIds: z.array(z.number().int().positive()).max(1000) });
