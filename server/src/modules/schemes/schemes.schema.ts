import { z } from 'zod';

const id = z.number().int().positive().max(2147483647);
const pathId = z.coerce.number().int().positive().max(2147483647);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a calendar date',
  );

export const ZIdParam = z.object({ id: pathId });

export const ZSpotCheckCreate = z.object({
  schemeId: id,
  indicatorId: id,
  unitId: id,
  checkedOn: isoDate,
  location: z.string().trim().min(1).max(200),
  findings: z.string().trim().min(1).max(4000),
  score: z.number().min(0).max(100),
});
export type TSpotCheckCreate = z.infer<typeof ZSpotCheckCreate>;

export const ZSpotCheck = z.object({
  id: z.number(),
  schemeId: z.number(),
  indicatorId: z.number(),
  indicatorName: z.string(),
  unitId: z.number(),
  unitName: z.string(),
  checkedOn: z.string(),
  location: z.string(),
  findings: z.string(),
  score: z.number(),
  checkedByName: z.string(),
  createdAt: z.string(),
});
export type TSpotCheck = z.infer<typeof ZSpotCheck>;

export const ZSpotCheckQuery = z.object({
  schemeId: pathId,
  unitId: pathId.optional(),
});

/** What the assessing body's entry page needs: the scheme, its spot-check leaves and the units assessed. */
export const ZSpotCheckSetup = z.object({
  scheme: z.object({ id: z.number(), year: z.number(), name: z.string(), assessingUnitId: z.number().nullable() }),
  leaves: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
  units: z.array(z.object({ id: z.number(), name: z.string() })),
});
export type TSpotCheckSetup = z.infer<typeof ZSpotCheckSetup>;

/** The grade table of a special scheme's period (live or as published). */
export const ZGradeTable = z.object({
  scheme: z.object({ id: z.number(), year: z.number(), name: z.string(), periods: z.string() }),
  period: z.string(),
  windowLabel: z.string(),
  published: z.object({ id: z.number(), publishedAt: z.string() }).nullable(),
  grades: z.array(z.object({ label: z.string(), threshold: z.number(), count: z.number() })),
  rows: z.array(
    z.object({
      unitId: z.number(),
      unitName: z.string(),
      categoryName: z.string(),
      total: z.number(),
      grade: z.string().nullable(),
      rank: z.number(),
      of: z.number(),
      nodes: z.array(z.object({ indicatorId: z.number(), score: z.number().nullable() })),
    }),
  ),
  nodes: z.array(z.object({ indicatorId: z.number(), code: z.string(), name: z.string(), points: z.number() })),
});
export type TGradeTable = z.infer<typeof ZGradeTable>;

export const ZGradeTableQuery = z.object({
  period: z
    .string()
    .regex(/^\d{4}(-(H[12]|Q[1-4]))?$/, 'YYYY, YYYY-H1/H2 or YYYY-Q1..Q4')
    .optional(),
  published: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
