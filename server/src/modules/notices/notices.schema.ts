import { z } from 'zod';
import { NOTICE_KINDS, NOTICE_STATUSES } from './notices.table.js';

const dbId = z.number().int().positive().max(2147483647);
const text = (max: number) => z.string().trim().max(max);
const iso = z.string();

export const ZIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

export const ZNoticeCreate = z.object({
  kind: z.enum(NOTICE_KINDS),
  unitId: dbId,
  title: text(200).min(2),
  findings: text(10000).min(2),
  actions: text(10000).min(2),
  deadline: z.iso.date(),
  issuerName: text(100).default(''),
  deductionId: dbId.nullable().default(null),
});
export type TNoticeCreate = z.infer<typeof ZNoticeCreate>;

export const ZNoticeReply = z.object({ measures: text(10000).min(2), evidence: text(10000).default('') });
export const ZNoticeReview = z.object({ accept: z.boolean(), note: text(2000).default('') });

export const ZNotice = z.object({
  id: z.number(),
  kind: z.enum(NOTICE_KINDS),
  number: z.string(),
  year: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  title: z.string(),
  findings: z.string(),
  actions: z.string(),
  deadline: z.string(),
  issuerName: z.string(),
  issuedAt: iso,
  sourceKind: z.string().nullable(),
  sourceId: z.number().nullable(),
  deductionId: z.number().nullable(),
  deduction: z.object({ points: z.number(), reason: z.string(), documentNo: z.string() }).nullable(),
  status: z.enum(NOTICE_STATUSES),
  overdue: z.boolean(),
  replyMeasures: z.string(),
  replyEvidence: z.string(),
  repliedAt: iso.nullable(),
  reviewedAt: iso.nullable(),
  reviewNote: z.string(),
  returns: z.number(),
  /** Evidence files the unit attached to its reply (the issuer downloads them). */
  files: z.array(z.object({ id: z.number(), name: z.string(), size: z.number(), uploadedAt: iso })),
});
export type TNotice = z.infer<typeof ZNotice>;
export const ZNoticeFile = z.object({ id: z.number(), name: z.string(), size: z.number(), uploadedAt: iso });
export type TNoticeFile = z.infer<typeof ZNoticeFile>;

export const ZNoticeQuery = z.object({
  box: z.enum(['all', 'received', 'overdue']).default('all'),
  kind: z.enum(NOTICE_KINDS).optional(),
  status: z.enum(NOTICE_STATUSES).optional(),
  unitId: z.coerce.number().int().positive().max(2147483647).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  q: text(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TNoticeQuery = z.infer<typeof ZNoticeQuery>;
export const ZNoticeList = z.object({ rows: z.array(ZNotice), total: z.number(), totalCapped: z.boolean() });
export type TNoticeList = z.infer<typeof ZNoticeList>;

export const ZNoticeCounts = z.array(
  z.object({
    unitId: z.number(),
    unitName: z.string(),
    issued: z.number(),
    accepted: z.number(),
    overdue: z.number(),
  }),
);
export type TNoticeCounts = z.infer<typeof ZNoticeCounts>;
