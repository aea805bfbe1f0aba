import { z } from 'zod';
import { DISPUTE_TYPES, MEDIATION_STATUSES, OUTCOMES, PARTY_SIDES } from './mediation.table.js';

const dbId = z.number().int().positive().max(2147483647);
const day = z.iso.date();
const text = (max: number) => z.string().trim().max(max);
const money = z.number().min(0).max(1e11);

export const ZIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

export const ZPartyInput = z.object({
  side: z.enum(PARTY_SIDES),
  name: text(100).min(1),
  contact: text(100).default(''),
  address: text(200).default(''),
});

/** Registering (or, while open, correcting) a dispute: parties, type, host unit, mediators, joint units. */
export const ZCaseInput = z.object({
  disputeType: z.enum(DISPUTE_TYPES),
  title: text(200).min(1),
  facts: text(5000).default(''),
  hostUnitId: dbId,
  receivedOn: day,
  parties: z.array(ZPartyInput).min(2).max(50),
  mediatorIds: z.array(dbId).min(1).max(10),
  jointUnitIds: z.array(dbId).max(20).default([]),
  people: z.number().int().min(1).max(100000).default(1),
  amountClaimed: money.default(0),
});
export type TCaseInput = z.infer<typeof ZCaseInput>;

export const ZSessionInput = z.object({ heldOn: day, place: text(200).min(1), note: text(5000).min(1) });
export type TSessionInput = z.infer<typeof ZSessionInput>;

/** The outcome: agreement reached (with its terms), failed, or referred to arbitration or court. */
export const ZOutcomeInput = z.object({
  outcome: z.enum(OUTCOMES),
  outcomeOn: day,
  note: text(2000).default(''),
  agreement: text(5000).default(''),
  performance: text(2000).default(''),
  amountRecovered: money.default(0),
});
export type TOutcomeInput = z.infer<typeof ZOutcomeInput>;

const qId = z.coerce.number().int().positive().max(2147483647);
export const ZListQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  month: z.coerce.number().int().min(1).max(12).optional(),
  disputeType: z.enum(DISPUTE_TYPES).optional(),
  status: z.enum(MEDIATION_STATUSES).optional(),
  unitId: qId.optional(),
  joint: z.enum(['1', '0']).optional(),
  q: text(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});
export type TListQuery = z.infer<typeof ZListQuery>;

export const ZStatsQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const ZCaseRow = z.object({
  id: z.number(),
  number: z.string(),
  disputeType: z.enum(DISPUTE_TYPES),
  title: z.string(),
  hostUnitId: z.number(),
  hostUnitName: z.string(),
  jointUnitNames: z.array(z.string()),
  applicants: z.array(z.string()),
  respondents: z.array(z.string()),
  mediatorNames: z.array(z.string()),
  receivedOn: z.string(),
  status: z.enum(MEDIATION_STATUSES),
  outcomeOn: z.string().nullable(),
  people: z.number(),
  amountClaimed: z.number(),
  amountRecovered: z.number(),
  sessions: z.number(),
});
export type TCaseRow = z.infer<typeof ZCaseRow>;

export const ZCaseList = z.object({
  rows: z.array(ZCaseRow),
  total: z.number(),
  totalCapped: z.boolean(),
  hasMore: z.boolean(),
});
export type TCaseList = z.infer<typeof ZCaseList>;

export const ZCaseDetail = ZCaseRow.extend({
  facts: z.string(),
  outcomeNote: z.string(),
  agreement: z.string(),
  performance: z.string(),
  parties: z.array(
    z.object({ id: z.number(), side: z.enum(PARTY_SIDES), name: z.string(), contact: z.string(), address: z.string() }),
  ),
  mediators: z.array(z.object({ id: z.number(), name: z.string() })),
  jointUnits: z.array(z.object({ id: z.number(), name: z.string() })),
  sessionLog: z.array(
    z.object({ id: z.number(), heldOn: z.string(), place: z.string(), note: z.string(), recordedByName: z.string() }),
  ),
  /** What the signed-in user may do here (the server checks again). */
  canManage: z.boolean(),
});
export type TCaseDetail = z.infer<typeof ZCaseDetail>;

const ZCounts = z.object({
  cases: z.number(),
  concluded: z.number(),
  agreed: z.number(),
  failed: z.number(),
  arbitration: z.number(),
  court: z.number(),
  open: z.number(),
  joint: z.number(),
  people: z.number(),
  amountClaimed: z.number(),
  amountRecovered: z.number(),
  /** agreed / concluded, in %, one decimal; null when nothing is concluded. */
  successRate: z.number().nullable(),
});
export type TCounts = z.infer<typeof ZCounts>;

export const ZStats = z.object({
  year: z.number(),
  total: ZCounts,
  byType: z.array(ZCounts.extend({ disputeType: z.enum(DISPUTE_TYPES) })),
  byMonth: z.array(ZCounts.extend({ month: z.string() })),
  byUnit: z.array(ZCounts.extend({ unitId: z.number(), unitName: z.string() })),
});
export type TStats = z.infer<typeof ZStats>;

export const ZMediator = z.object({ id: z.number(), name: z.string(), unitName: z.string() });
export type TMediator = z.infer<typeof ZMediator>;
