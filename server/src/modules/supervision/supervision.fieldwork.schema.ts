import { z } from 'zod';
import {
  CHECK_METHODS,
  CHECK_MODES,
  RECON_CLAIMS,
  POINT_STATUSES,
  RECON_RESOLUTIONS,
  RECON_KINDS,
  RECON_STATUSES,
  RECON_ROW_STATES,
} from './supervision.fieldwork.table.js';

const dbId = z.number().int().positive().max(2147483647);
const qId = z.coerce.number().int().positive().max(2147483647);
const day = z.iso.date();
const text = (max: number) => z.string().trim().max(max);

// ---------- field checks ----------

export const ZPointInput = z.object({ requirement: text(2000).min(1), dueOn: day.nullable().default(null) });
export const ZCheckCreate = z.object({
  checkedOn: day,
  people: text(300).min(1),
  methods: z.array(z.enum(CHECK_METHODS)).min(1).max(5),
  mode: z.enum(CHECK_MODES),
  findings: text(5000).min(1),
  photoIds: z.array(dbId).max(20).default([]),
  points: z.array(ZPointInput).max(30).default([]),
});
export type TCheckCreate = z.infer<typeof ZCheckCreate>;
export const ZPointAnswer = z.object({ answer: text(5000).min(1), fileId: dbId.nullable().default(null) });
export type TPointAnswer = z.infer<typeof ZPointAnswer>;
export const ZPointAccept = z.object({ note: text(2000).default('') });
export const ZPointReturn = z.object({ reason: text(2000).min(1) });

export const ZPoint = z.object({
  id: z.number(),
  checkId: z.number(),
  taskId: z.number(),
  seq: z.number(),
  requirement: z.string(),
  dueOn: z.string().nullable(),
  status: z.enum(POINT_STATUSES),
  answer: z.string(),
  answerFileId: z.number().nullable(),
  answeredAt: z.string().nullable(),
  returnReason: z.string(),
  history: z.array(
    z.object({
      kind: z.enum(['answer', 'accept', 'return']),
      note: z.string(),
      fileId: z.number().nullable(),
      actorName: z.string(),
      at: z.string(),
    }),
  ),
  /** What the signed-in user may do with the point now (the server checks again). */
  actions: z.array(z.enum(['answer', 'accept', 'return'])),
});
export type TPoint = z.infer<typeof ZPoint>;

export const ZCheck = z.object({
  id: z.number(),
  taskId: z.number(),
  seq: z.number(),
  label: z.string(),
  checkedOn: z.string(),
  people: z.string(),
  methods: z.array(z.enum(CHECK_METHODS)),
  mode: z.enum(CHECK_MODES),
  findings: z.string(),
  photos: z.array(z.object({ id: z.number(), name: z.string() })),
  createdByName: z.string(),
  createdAt: z.string(),
  points: z.array(ZPoint),
});
export type TCheck = z.infer<typeof ZCheck>;

export const ZTaskChecks = z.object({
  taskId: z.number(),
  checks: z.array(ZCheck),
  /** The office may add a check to this task. */
  canCheck: z.boolean(),
});
export type TTaskChecks = z.infer<typeof ZTaskChecks>;

export const ZChecksQuery = z.object({
  unitId: qId.optional(),
  mode: z.enum(CHECK_MODES).optional(),
  from: day.optional(),
  to: day.optional(),
  /** Only checks with a point still awaiting the unit (open) or the office (answered). */
  pending: z.enum(['unit', 'office']).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});
export type TChecksQuery = z.infer<typeof ZChecksQuery>;

export const ZCheckRow = z.object({
  id: z.number(),
  taskId: z.number(),
  taskTitle: z.string(),
  leadUnitName: z.string().nullable(),
  seq: z.number(),
  checkedOn: z.string(),
  people: z.string(),
  methods: z.array(z.enum(CHECK_METHODS)),
  mode: z.enum(CHECK_MODES),
  findings: z.string(),
  points: z.number(),
  open: z.number(),
  answered: z.number(),
  accepted: z.number(),
});
export type TCheckRow = z.infer<typeof ZCheckRow>;
export const ZCheckList = z.object({ total: z.number(), rows: z.array(ZCheckRow) });
export type TCheckList = z.infer<typeof ZCheckList>;

export const ZPointsQuery = z.object({
  /** to_answer: points the user's unit must answer (lead unit); to_decide: answered points awaiting the office. */
  state: z.enum(['to_answer', 'to_decide']).default('to_answer'),
});
export const ZPointRow = z.object({
  id: z.number(),
  taskId: z.number(),
  taskTitle: z.string(),
  leadUnitName: z.string().nullable(),
  checkSeq: z.number(),
  checkedOn: z.string(),
  seq: z.number(),
  requirement: z.string(),
  dueOn: z.string().nullable(),
  status: z.enum(POINT_STATUSES),
  returnReason: z.string(),
});
export type TPointRow = z.infer<typeof ZPointRow>;

// ---------- reconciliation rounds ----------

export const ZRoundCreate = z.object({
  kind: z.enum(RECON_KINDS),
  title: text(200).default(''),
  asOf: day,
  /** The units whose live tasks are snapshotted; empty: every unit with a live task of the year. */
  unitIds: z.array(dbId).max(1000).default([]),
});
export type TRoundCreate = z.infer<typeof ZRoundCreate>;
export const ZRowConfirm = z.object({
  agrees: z.boolean(),
  claimedStatus: z.enum(RECON_CLAIMS).nullable().default(null),
  claimedProgress: z.number().int().min(0).max(100).nullable().default(null),
  note: text(2000).default(''),
});
export type TRowConfirm = z.infer<typeof ZRowConfirm>;
export const ZConfirmAll = z.object({ note: text(2000).default('') });
export const ZRowResolve = z.object({
  decision: z.enum(RECON_RESOLUTIONS),
  /** With accepted: write the claimed progress into the task. */
  applyProgress: z.boolean().default(false),
  reason: text(2000).default(''),
});
export type TRowResolve = z.infer<typeof ZRowResolve>;
export const ZRoundClose = z.object({ note: text(2000).default('') });

export const ZRoundRecord = z.object({
  units: z.number(),
  unitsDone: z.number(),
  tasks: z.number(),
  confirmed: z.number(),
  differs: z.number(),
  pending: z.number(),
  accepted: z.number(),
  kept: z.number(),
  progressApplied: z.number(),
  unresolved: z.number(),
});
export type TRoundRecordOut = z.infer<typeof ZRoundRecord>;

export const ZRound = z.object({
  id: z.number(),
  year: z.number(),
  kind: z.enum(RECON_KINDS),
  title: z.string(),
  asOf: z.string(),
  status: z.enum(RECON_STATUSES),
  openedByName: z.string(),
  openedAt: z.string(),
  closedByName: z.string().nullable(),
  closedAt: z.string().nullable(),
  closeNote: z.string(),
  /** Counts of the rows the user may see (the whole round for the office; the record once closed). */
  counts: ZRoundRecord,
});
export type TRound = z.infer<typeof ZRound>;

export const ZRoundRow = z.object({
  id: z.number(),
  taskId: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  title: z.string(),
  snapStatus: z.string(),
  snapStage: z.enum(RECON_CLAIMS),
  snapProgress: z.number(),
  snapLight: z.string().nullable(),
  snapDeadline: z.string(),
  state: z.enum(RECON_ROW_STATES),
  claimedStatus: z.enum(RECON_CLAIMS).nullable(),
  claimedProgress: z.number().nullable(),
  differences: z.array(z.enum(['status', 'progress'])),
  note: z.string(),
  confirmedByName: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  resolution: z.enum(RECON_RESOLUTIONS).nullable(),
  resolutionReason: z.string(),
  progressApplied: z.boolean(),
  resolvedByName: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  actions: z.array(z.enum(['confirm', 'resolve'])),
});
export type TRoundRow = z.infer<typeof ZRoundRow>;

export const ZRoundDetail = ZRound.extend({
  units: z.array(
    z.object({
      unitId: z.number(),
      unitName: z.string(),
      tasks: z.number(),
      confirmed: z.number(),
      differs: z.number(),
      pending: z.number(),
      unresolved: z.number(),
    }),
  ),
  rows: z.array(ZRoundRow),
  /** The office may resolve differences and close the round. */
  canManage: z.boolean(),
  /** The user confirms rows for their unit. */
  canConfirm: z.boolean(),
});
export type TRoundDetail = z.infer<typeof ZRoundDetail>;
export const ZRoundsQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
