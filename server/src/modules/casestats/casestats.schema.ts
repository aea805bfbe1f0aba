import { z } from 'zod';
import { COUNTER_KEYS, type CounterKey } from './casestats.counters.js';
import { RATE_KEYS, type RateKey } from './casestats.formulas.js';

const ZMonth = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, 'YYYY-MM (2000-2099)');
const ZId = z.coerce.number().int().positive().max(2_147_483_647);

export const ZCounters = z.object(
  Object.fromEntries(COUNTER_KEYS.map((k) => [k, z.number()])) as Record<CounterKey, z.ZodNumber>,
);
export const ZRates = z.object(
  Object.fromEntries(RATE_KEYS.map((k) => [k, z.number().nullable()])) as Record<RateKey, z.ZodNullable<z.ZodNumber>>,
);
export type TCounters = z.infer<typeof ZCounters>;
export type TRates = z.infer<typeof ZRates>;

export const ZStatsQuery = z.object({ month: ZMonth, unitId: ZId.optional() });
export type TStatsQuery = z.infer<typeof ZStatsQuery>;

export const ZStatsRow = z.object({
  unitId: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  counters: ZCounters,
  rates: ZRates,
});
export type TStatsRow = z.infer<typeof ZStatsRow>;

export const ZCategoryStat = z.object({
  categoryId: z.number(),
  name: z.string(),
  created: z.number(),
  closed: z.number(),
});

export const ZMonthStats = z.object({
  month: z.string(),
  rows: z.array(ZStatsRow),
  totals: z.object({ counters: ZCounters, rates: ZRates }),
  /** Received and closed per case category (district-wide; empty for viewers limited to their units). */
  categories: z.array(ZCategoryStat),
});
export type TMonthStats = z.infer<typeof ZMonthStats>;

export const ZTrendQuery = z.object({ unitId: ZId.optional(), from: ZMonth, to: ZMonth }).superRefine((v, ctx) => {
  if (v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
  const [fy, fm] = v.from.split('-').map(Number);
  const [ty, tm] = v.to.split('-').map(Number);
  if ((ty - fy) * 12 + (tm - fm) >= 60) ctx.addIssue({ code: 'custom', path: ['to'], message: 'at most 60 months' });
});
export type TTrendQuery = z.infer<typeof ZTrendQuery>;

export const ZTrend = z.object({
  unitId: z.number().nullable(),
  from: z.string(),
  to: z.string(),
  points: z.array(z.object({ month: z.string(), counters: ZCounters, rates: ZRates })),
});
export type TTrend = z.infer<typeof ZTrend>;

export const ZFormulaDef = z.object({
  key: z.string(),
  zh: z.string(),
  en: z.string(),
  expression: z.string(),
  defaultExpression: z.string(),
  note: z.object({ zh: z.string(), en: z.string() }),
});
export const ZFormulas = z.object({
  rates: z.array(ZFormulaDef),
  variables: z.array(z.object({ name: z.string(), zh: z.string(), en: z.string() })),
  updatedAt: z.string().nullable(),
});
export type TFormulas = z.infer<typeof ZFormulas>;

const ZExpression = z.string().trim().min(1).max(2000);
export const ZFormulasUpdate = z.object({
  formulas: z
    .object(
      Object.fromEntries(RATE_KEYS.map((k) => [k, ZExpression.optional()])) as Record<
        RateKey,
        z.ZodOptional<typeof ZExpression>
      >,
    )
    .strict(),
});
export type TFormulasUpdate = z.infer<typeof ZFormulasUpdate>;

export const ZSyncRequest = z.object({
  /** Recompute the statistics from the case timeline first (repair), then rewrite every month's score inputs. */
  rebuild: z.boolean().default(false),
});
export const ZSyncResult = z.object({ rebuiltRows: z.number().nullable(), rows: z.number(), inputs: z.number() });
export type TSyncResult = z.infer<typeof ZSyncResult>;
