import { z } from 'zod';
import { UNIT_KINDS } from './units.table.js';
import { nonEmptyPatch } from '../../lib/zod-patch.js';

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

const dbId = z.number().int().positive().max(2147483647);
const code = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
const unitFields = {
  code,
  name: z.string().trim().min(1).max(100),
  kind: z.enum(UNIT_KINDS),
  parentId: dbId.nullable(),
  categoryId: dbId.nullable(),
  sort: z.number().int().min(0).max(100000),
};

export const ZUnitCreate = z.object({
  ...unitFields,
  categoryId: unitFields.categoryId.default(null),
  sort: unitFields.sort.default(0),
});
export type TUnitCreate = z.infer<typeof ZUnitCreate>;

// Built from the bare fields, not ZUnitCreate.partial(): zod 4 applies defaults inside optional
// fields, so a partial of the create schema would reset categoryId and sort on every PATCH.
export const ZUnitUpdate = nonEmptyPatch(
  z.object({
    code: unitFields.code.optional(),
    name: unitFields.name.optional(),
    kind: unitFields.kind.optional(),
    parentId: unitFields.parentId.optional(),
    categoryId: unitFields.categoryId.optional(),
    sort: unitFields.sort.optional(),
    active: z.boolean().optional(),
  }),
);
export type TUnitUpdate = z.infer<typeof ZUnitUpdate>;

export const ZCategory = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  description: z.string(),
  sort: z.number(),
});
export type TCategory = z.infer<typeof ZCategory>;

const categoryFields = {
  code,
  name: z.string().trim().min(1).max(50),
  description: z.string().max(500),
  sort: z.number().int().min(0).max(100000),
};
export const ZCategoryCreate = z.object({
  ...categoryFields,
  description: categoryFields.description.default(''),
  sort: categoryFields.sort.default(0),
});
export type TCategoryCreate = z.infer<typeof ZCategoryCreate>;
export const ZCategoryUpdate = nonEmptyPatch(
  z.object({
    code: categoryFields.code.optional(),
    name: categoryFields.name.optional(),
    description: categoryFields.description.optional(),
    sort: categoryFields.sort.optional(),
  }),
);
export type TCategoryUpdate = z.infer<typeof ZCategoryUpdate>;

/** A numeric id in the path; ids beyond the int4 range are refused as bad input rather than reaching SQL. */
export const ZIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

export const ZLeaderAssign = z.object({ unitIds: z.array(dbId).max(1000) });
