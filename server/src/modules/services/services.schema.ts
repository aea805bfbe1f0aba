import { z } from 'zod';
import { RATING_LEVELS } from '../../../../common/ratings.js';
import { ZRate } from '../ratings/ratings.schema.js';
import {
  APPLICATION_STATUSES,
  ITEM_CHANNELS,
  COMPLAINT_KINDS,
  COMPLAINT_STATUSES,
  ITEM_KINDS,
  LIGHTS,
  PHASES,
  STEP_STATUSES,
} from './services.table.js';

const dbId = z.number().int().positive().max(2147483647);
const text = (max: number) => z.string().trim().max(max);
const reason = z.string().trim().min(1).max(2000);
const page = z.coerce.number().int().min(1).max(10000).default(1);
const pageSize = z.coerce.number().int().min(1).max(200).default(20);
export const ZPhone = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, 'phone');

export const ZIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

export const ZItemStep = z.object({
  seq: z.number().int().min(1).max(20),
  phase: z.enum(PHASES),
  name: text(60).min(1),
  departmentId: dbId,
  days: z.number().int().min(0).max(365),
});

/**
 * The catalogue entry. Its steps: stage 1 is the one acceptance step (受理), the last stage the one
 * delivery step (送达), the stages between review/decision steps; several steps in one stage run in parallel.
 */
export const ZItemInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,32}$/),
    name: text(100).min(1),
    kind: z.enum(ITEM_KINDS),
    departmentId: dbId,
    legalDays: z.number().int().min(0).max(365),
    committedDays: z.number().int().min(0).max(365),
    materials: z.array(z.object({ name: text(100).min(1), required: z.boolean().default(true) })).max(50),
    fees: text(200).default(''),
    channel: z.enum(ITEM_CHANNELS).default('both'),
    guide: text(5000).default(''),
    steps: z.array(ZItemStep).min(3).max(30),
    active: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (v.committedDays > v.legalDays)
      ctx.addIssue({ code: 'custom', path: ['committedDays'], message: 'committed ≤ legal' });
    const seqs = [...new Set(v.steps.map((s) => s.seq))].sort((a, b) => a - b);
    const last = seqs[seqs.length - 1];
    seqs.forEach((s, i) => {
      if (s !== i + 1) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'stages 1..n without gaps' });
    });
    v.steps.forEach((s, i) => {
      const firstOrLast = s.seq === 1 ? 'accept' : s.seq === last ? 'deliver' : null;
      if (firstOrLast ? s.phase !== firstOrLast : s.phase === 'accept' || s.phase === 'deliver')
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'phase'], message: 'accept first, deliver last' });
    });
    for (const seq of [1, last])
      if (v.steps.filter((s) => s.seq === seq).length !== 1)
        ctx.addIssue({ code: 'custom', path: ['steps'], message: 'one acceptance and one delivery step' });
  });
export type TItemInput = z.infer<typeof ZItemInput>;

export const ZItem = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(ITEM_KINDS),
  departmentId: z.number(),
  departmentName: z.string(),
  legalDays: z.number(),
  committedDays: z.number(),
  materials: z.array(z.object({ name: z.string(), required: z.boolean() })),
  fees: z.string(),
  channel: z.enum(ITEM_CHANNELS),
  guide: z.string(),
  steps: z.array(ZItemStep.extend({ departmentName: z.string() })),
  parallel: z.boolean(),
  active: z.boolean(),
});
export type TItem = z.infer<typeof ZItem>;

export const ZItemQuery = z.object({
  q: text(50).optional(),
  kind: z.enum(ITEM_KINDS).optional(),
  departmentId: z.coerce.number().int().positive().max(2147483647).optional(),
});

// ---------- applications ----------

export const ZApplicationInput = z.object({
  itemId: z.coerce.number().int().positive().max(2147483647),
  applicantName: text(50).min(1),
  applicantPhone: ZPhone,
  applicantOrg: text(100).default(''),
  note: text(2000).default(''),
});
export type TApplicationInput = z.infer<typeof ZApplicationInput>;

export const ZFiled = z.object({ id: z.number(), number: z.string(), password: z.string(), committedDays: z.number() });
export type TFiled = z.infer<typeof ZFiled>;

export const ZReason = z.object({ reason });
export const ZNote = z.object({ note: text(2000).default('') });
export const ZCorrectionInput = z.object({ materials: reason, stepId: z.number().int().positive().optional() });
export const ZDecision = z.object({
  decision: z.enum(['approve', 'refuse']),
  reason: text(2000).optional(),
});
export type TCorrectionInput = z.infer<typeof ZCorrectionInput>;
export type TDecision = z.infer<typeof ZDecision>;

export const ZListQuery = z.object({
  status: z.enum(APPLICATION_STATUSES).optional(),
  light: z.enum(LIGHTS).optional(),
  anomaly: z.enum(['refusal_no_reason', 'out_of_order']).optional(),
  itemId: z.coerce.number().int().positive().max(2147483647).optional(),
  departmentId: z.coerce.number().int().positive().max(2147483647).optional(),
  q: text(50).optional(),
  mine: z.enum(['1', '0']).optional(),
  page,
  pageSize,
});
export type TListQuery = z.infer<typeof ZListQuery>;

export const ZAppRow = z.object({
  id: z.number(),
  number: z.string(),
  itemName: z.string(),
  parallel: z.boolean(),
  departmentName: z.string(),
  channel: z.enum(['online', 'window']),
  applicantName: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  paused: z.boolean(),
  committedDays: z.number(),
  filedAt: z.string(),
  acceptedOn: z.string().nullable(),
  dueOn: z.string().nullable(),
  light: z.enum(LIGHTS).nullable(),
  lightReasons: z.array(z.string()),
  anomalies: z.array(z.string()),
  result: z.enum(['approved', 'refused']).nullable(),
  openSteps: z.array(z.object({ name: z.string(), departmentName: z.string(), light: z.enum(LIGHTS).nullable() })),
});
export type TAppRow = z.infer<typeof ZAppRow>;

export const ZAppList = z.object({
  total: z.number(),
  totalCapped: z.boolean(),
  counts: z.object({ green: z.number(), yellow: z.number(), red: z.number(), paused: z.number() }),
  rows: z.array(ZAppRow),
});
export type TAppList = z.infer<typeof ZAppList>;

const ZStepView = z.object({
  id: z.number(),
  seq: z.number(),
  phase: z.enum(PHASES),
  name: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  days: z.number(),
  status: z.enum(STEP_STATUSES),
  decision: z.enum(['approve', 'refuse']).nullable(),
  reason: z.string().nullable(),
  startedAt: z.string().nullable(),
  signedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  dueOn: z.string().nullable(),
  daysUsed: z.number().nullable(),
  officialName: z.string().nullable(),
  light: z.enum(LIGHTS).nullable(),
});

export const ZAppDetail = ZAppRow.extend({
  itemId: z.number(),
  itemCode: z.string(),
  applicantPhone: z.string(),
  applicantOrg: z.string(),
  note: z.string(),
  reason: z.string().nullable(),
  completedOn: z.string().nullable(),
  daysUsed: z.number().nullable(),
  pausedDays: z.number(),
  steps: z.array(ZStepView),
  corrections: z.array(
    z.object({
      id: z.number(),
      departmentName: z.string(),
      materials: z.string(),
      requestedAt: z.string(),
      resolvedAt: z.string().nullable(),
      pausedDays: z.number().nullable(),
    }),
  ),
  files: z.array(z.object({ id: z.number(), name: z.string(), size: z.number(), uploadedAt: z.string() })),
  events: z.array(
    z.object({ id: z.number(), kind: z.string(), actorName: z.string(), note: z.string(), at: z.string() }),
  ),
  warnings: z.array(
    z.object({
      id: z.number(),
      level: z.enum(['yellow', 'red']),
      at: z.string(),
      notified: z.number(),
      stepName: z.string().nullable(),
      noticeRef: z.string().nullable(),
    }),
  ),
  complaints: z.array(
    z.object({
      id: z.number(),
      kind: z.enum(COMPLAINT_KINDS),
      status: z.enum(COMPLAINT_STATUSES),
      content: z.string(),
      filedAt: z.string(),
      decideBy: z.string(),
    }),
  ),
  /** What the signed-in user may do now (the server checks again). */
  actions: z.array(z.string()),
});
export type TAppDetail = z.infer<typeof ZAppDetail>;

export const ZInboxQuery = z.object({ status: z.enum(['pending', 'signed', 'correction']).optional(), page, pageSize });
export const ZInboxRow = z.object({
  stepId: z.number(),
  applicationId: z.number(),
  number: z.string(),
  itemName: z.string(),
  stepName: z.string(),
  departmentName: z.string(),
  status: z.enum(STEP_STATUSES),
  startedAt: z.string().nullable(),
  dueOn: z.string().nullable(),
  light: z.enum(LIGHTS).nullable(),
});
export const ZInbox = z.object({ total: z.number(), rows: z.array(ZInboxRow) });
export type TInboxRow = z.infer<typeof ZInboxRow>;
export type TInbox = z.infer<typeof ZInbox>;

// ---------- public ----------

export const ZTrack = z.object({
  number: z.string().trim().min(1).max(40),
  password: z
    .string()
    .trim()
    .regex(/^\d{6}$/),
});
export type TTrack = z.infer<typeof ZTrack>;
/** 好差评 on the tracking page: number + password identify the applicant instead of the SMS link. */
export const ZPublicRate = ZTrack.extend(ZRate.shape);

/** What the applicant sees: steps with officials and times, never internal notes, phones or other applicants. */
export const ZTrackView = z.object({
  number: z.string(),
  itemName: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  result: z.enum(['approved', 'refused']).nullable(),
  reason: z.string().nullable(),
  filedAt: z.string(),
  acceptedOn: z.string().nullable(),
  committedDays: z.number(),
  dueOn: z.string().nullable(),
  daysUsed: z.number().nullable(),
  paused: z.boolean(),
  openCorrection: z.string().nullable(),
  /** 好差评 of the completed application: open to rate (invited), or the level given. */
  rating: z.object({ status: z.enum(['invited', 'rated']), level: z.enum(RATING_LEVELS).nullable() }).nullable(),
  steps: z.array(
    z.object({
      seq: z.number(),
      name: z.string(),
      departmentName: z.string(),
      official: z.string().nullable(),
      status: z.enum(STEP_STATUSES),
      decision: z.enum(['approve', 'refuse']).nullable(),
      startedAt: z.string().nullable(),
      endedAt: z.string().nullable(),
      days: z.number(),
      daysUsed: z.number().nullable(),
    }),
  ),
});
export type TTrackView = z.infer<typeof ZTrackView>;

export const ZComplaintInput = z.object({
  kind: z.enum(COMPLAINT_KINDS),
  content: z.string().trim().min(1).max(2000),
});
export const ZPublicComplaint = ZTrack.extend(ZComplaintInput.shape);
export const ZHotlineComplaint = ZComplaintInput.extend({ number: z.string().trim().min(1).max(40) });
export type TComplaintInput = z.infer<typeof ZComplaintInput>;
export type THotlineComplaint = z.infer<typeof ZHotlineComplaint>;
export const ZComplaintDecision = z.object({
  decision: z.enum(['accept', 'decline', 'resolve']),
  note: z.string().trim().min(1).max(2000),
});
export type TComplaintDecision = z.infer<typeof ZComplaintDecision>;
export const ZComplaintQuery = z.object({ status: z.enum(COMPLAINT_STATUSES).optional(), page, pageSize });
export const ZComplaint = z.object({
  id: z.number(),
  applicationId: z.number(),
  number: z.string(),
  departmentName: z.string(),
  channel: z.enum(['public', 'hotline']),
  kind: z.enum(COMPLAINT_KINDS),
  content: z.string(),
  filedAt: z.string(),
  decideBy: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  decisionNote: z.string().nullable(),
});
export const ZComplaints = z.object({ total: z.number(), rows: z.array(ZComplaint) });
export type TComplaint = z.infer<typeof ZComplaint>;
export type TComplaints = z.infer<typeof ZComplaints>;

// ---------- figures ----------

export const ZFiguresQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  month: z.coerce.number().int().min(1).max(12).optional(),
});
export const ZFigure = z.object({
  departmentId: z.number(),
  departmentName: z.string(),
  applications: z.number(),
  completed: z.number(),
  early: z.number(),
  onTime: z.number(),
  overdue: z.number(),
  refused: z.number(),
  earlyRate: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  avgDaysUsed: z.number().nullable(),
  avgDaysCommitted: z.number().nullable(),
  corrections: z.number(),
  complaints: z.number(),
  /** 好差评 given in the period, and the share that was not a 差评 (好评率, %). */
  rated: z.number(),
  satisfaction: z.number().nullable(),
});
export type TFigure = z.infer<typeof ZFigure>;
export const ZEvaluationQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  quarter: z.coerce.number().int().min(1).max(4),
});
export const ZEvaluationRow = ZFigure.extend({
  score: z.number(),
  grade: z.enum(['excellent', 'good', 'pass', 'fail']),
  rank: z.number(),
});
export type TEvaluationRow = z.infer<typeof ZEvaluationRow>;
export const ZSettings = z.object({ trackOfficial: z.enum(['name', 'staff_no']) });
export type TSettings = z.infer<typeof ZSettings>;

export const ZNoticeInput = z.object({
  findings: z.string().trim().min(1).max(5000),
  actions: z.string().trim().min(1).max(5000),
  deadline: z.iso.date(),
});
export type TNoticeInput = z.infer<typeof ZNoticeInput>;
