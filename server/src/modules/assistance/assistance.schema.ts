import { z } from 'zod';
import { ASSISTANCE_KINDS, ASSISTANCE_STATUSES, SATISFACTIONS } from './assistance.table.js';

const dbId = z.number().int().positive().max(2147483647);
const day = z.iso.date();
const text = (max: number) => z.string().trim().max(max);
const money = z.number().min(0).max(1e11);
const phone = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})?$/, 'phone');

export const ZIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

/** Referral (分流) to the responsible unit, with the working days it has to answer. */
export const ZReferInput = z.object({
  unitId: dbId,
  dueDays: z.number().int().min(1).max(60).default(5),
  note: text(2000).default(''),
});
export type TReferInput = z.infer<typeof ZReferInput>;

/** Registration (登记) at the desk; `refer` refers it at once. */
export const ZRequestInput = z.object({
  kind: z.enum(ASSISTANCE_KINDS),
  requesterName: text(50).min(1),
  requesterPhone: phone.default(''),
  requesterAddress: text(200).default(''),
  people: z.number().int().min(1).max(100000).default(1),
  amountClaimed: money.default(0),
  description: text(4000).min(5),
  receivedOn: day,
  refer: ZReferInput.optional(),
});
export type TRequestInput = z.infer<typeof ZRequestInput>;
/** The registration as a client sends it (fields with a default may be left out). */
export type TRequestBody = z.input<typeof ZRequestInput>;

export const ZNoteInput = z.object({ note: text(2000).default('') });
export const ZUrgeInput = z.object({ note: text(2000).min(1) });
export const ZAnswerInput = z.object({ answer: text(4000).min(2), amountRecovered: money.default(0) });
export type TAnswerInput = z.infer<typeof ZAnswerInput>;
export const ZFeedbackInput = z.object({ satisfaction: z.enum(SATISFACTIONS), note: text(2000).default('') });
export type TFeedbackInput = z.infer<typeof ZFeedbackInput>;

const qId = z.coerce.number().int().positive().max(2147483647);
export const ZListQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  kind: z.enum(ASSISTANCE_KINDS).optional(),
  status: z.enum(ASSISTANCE_STATUSES).optional(),
  unitId: qId.optional(),
  overdue: z.enum(['1']).optional(),
  q: text(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});
export type TListQuery = z.infer<typeof ZListQuery>;
export const ZStatsQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const ZRequestRow = z.object({
  id: z.number(),
  number: z.string(),
  kind: z.enum(ASSISTANCE_KINDS),
  requesterName: z.string(),
  description: z.string(),
  people: z.number(),
  amountClaimed: z.number(),
  amountRecovered: z.number(),
  receivedOn: z.string(),
  status: z.enum(ASSISTANCE_STATUSES),
  unitId: z.number().nullable(),
  unitName: z.string().nullable(),
  referredOn: z.string().nullable(),
  dueOn: z.string().nullable(),
  answeredOn: z.string().nullable(),
  /** Answered after the due day, or still unanswered past it. */
  overdue: z.boolean(),
  urgeCount: z.number(),
  satisfaction: z.enum(SATISFACTIONS).nullable(),
});
export type TRequestRow = z.infer<typeof ZRequestRow>;

export const ZRequestList = z.object({
  rows: z.array(ZRequestRow),
  total: z.number(),
  totalCapped: z.boolean(),
  hasMore: z.boolean(),
});
export type TRequestList = z.infer<typeof ZRequestList>;

export const ZRequestDetail = ZRequestRow.extend({
  requesterPhone: z.string(),
  requesterAddress: z.string(),
  answer: z.string(),
  feedbackNote: z.string(),
  closedOn: z.string().nullable(),
  events: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      actorName: z.string(),
      unitName: z.string().nullable(),
      note: z.string(),
      at: z.string(),
    }),
  ),
  /** The steps the signed-in user may take now (the server checks again). */
  actions: z.array(z.enum(['refer', 'sign', 'answer', 'urge', 'feedback'])),
});
export type TRequestDetail = z.infer<typeof ZRequestDetail>;

const ZCounts = z.object({
  requests: z.number(),
  referred: z.number(),
  answered: z.number(),
  /** Referrals whose due day has passed (or that were answered): the base of the on-time rate. */
  due: z.number(),
  onTime: z.number(),
  overdueOpen: z.number(),
  closed: z.number(),
  satisfied: z.number(),
  basic: z.number(),
  unsatisfied: z.number(),
  people: z.number(),
  amountClaimed: z.number(),
  amountRecovered: z.number(),
  onTimeRate: z.number().nullable(),
  /** (satisfied + basic) / rated, in %. */
  satisfactionRate: z.number().nullable(),
});
export type TCounts = z.infer<typeof ZCounts>;

export const ZStats = z.object({
  year: z.number(),
  asOf: z.string(),
  total: ZCounts,
  byKind: z.array(ZCounts.extend({ kind: z.enum(ASSISTANCE_KINDS) })),
  byUnit: z.array(ZCounts.extend({ unitId: z.number(), unitName: z.string() })),
  byMonth: z.array(ZCounts.extend({ month: z.string() })),
});
export type TStats = z.infer<typeof ZStats>;
