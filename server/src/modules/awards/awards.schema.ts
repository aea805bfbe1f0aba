import { z } from 'zod';
import { AWARD_KINDS, DECISIONS, ROUND_STATUSES } from './awards.table.js';

const dbId = z.number().int().positive().max(2147483647);
export const ZIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

export const ZRoundCreate = z.object({
  year: z.number().int().min(2000).max(2100),
  sharePercent: z.number().int().min(1).max(100).default(30),
  threshold: z.number().min(0).max(1000).nullable().default(null),
  indicatorId: dbId.nullable().default(null),
  improvementCount: z.number().int().min(0).max(20).default(3),
});
export type TRoundCreate = z.infer<typeof ZRoundCreate>;

export const ZDecide = z.object({ award: z.boolean(), reason: z.string().trim().min(2).max(1000) });

export const ZCandidate = z.object({
  id: z.number(),
  kind: z.enum(AWARD_KINDS),
  category: z.string(),
  unitId: z.number(),
  unitName: z.string(),
  rank: z.number(),
  score: z.number(),
  basis: z.string(),
  decision: z.enum(DECISIONS),
  reason: z.string(),
  decidedAt: z.string().nullable(),
});
export type TCandidate = z.infer<typeof ZCandidate>;

export const ZRound = z.object({
  id: z.number(),
  year: z.number(),
  status: z.enum(ROUND_STATUSES),
  sharePercent: z.number(),
  threshold: z.number().nullable(),
  indicatorId: z.number().nullable(),
  indicatorName: z.string(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  candidates: z.array(ZCandidate),
});
export type TRound = z.infer<typeof ZRound>;
