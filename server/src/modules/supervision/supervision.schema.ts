import { z } from 'zod';
import { TASK_ACTIONS } from './supervision.machine.js';
import {
  CADENCES,
  COMPLETIONS,
  INSTRUCTION_TARGETS,
  PRIORITIES,
  QUALITIES,
  TASK_SOURCES,
  TASK_STATUSES,
} from './supervision.table.js';

const dbId = z.number().int().positive().max(2147483647);
const day = z.iso.date();
const text = (max: number) => z.string().trim().max(max);
const reason = z.string().trim().min(1).max(2000);

export const ZIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

export const ZMilestoneInput = z.object({ title: text(200).min(1), dueOn: day });
export const ZCoUnitInput = z.object({ unitId: dbId, contact: text(100).default('') });

export const ZTaskCreate = z.object({
  source: z.enum(TASK_SOURCES),
  title: text(300).min(1),
  content: text(5000).default(''),
  standard: text(2000).default(''),
  leaderId: dbId.nullable().default(null),
  leadUnitId: dbId,
  leadContact: text(100).default(''),
  coUnits: z.array(ZCoUnitInput).max(50).default([]),
  startDate: day.optional(),
  deadline: day,
  milestones: z.array(ZMilestoneInput).max(50).default([]),
  cadence: z.enum(CADENCES).default('monthly'),
  priority: z.enum(PRIORITIES).default('normal'),
  parentId: dbId.nullable().default(null),
});
export type TTaskCreate = z.infer<typeof ZTaskCreate>;

export const ZInstructionCreate = z.object({
  targetKind: z.enum(INSTRUCTION_TARGETS),
  targetRef: text(100).nullable().default(null),
  unitId: dbId.nullable().default(null),
  title: text(300).min(1),
  content: text(5000).min(1),
  deadline: day.optional(),
});
export type TInstructionCreate = z.infer<typeof ZInstructionCreate>;

export const ZAccept = z.object({
  leadUnitId: dbId,
  leadContact: text(100).default(''),
  leaderId: dbId.nullable().default(null),
  coUnits: z.array(ZCoUnitInput).max(50).default([]),
  deadline: day,
  milestones: z.array(ZMilestoneInput).max(50).default([]),
  cadence: z.enum(CADENCES).default('monthly'),
  priority: z.enum(PRIORITIES).default('normal'),
  standard: text(2000).default(''),
});
export type TAccept = z.infer<typeof ZAccept>;
export const ZMerge = z.object({ intoTaskId: dbId, reason });
export const ZReason = z.object({ reason });
export const ZNote = z.object({ note: text(2000).default('') });
export const ZPlan = z.object({ plan: text(5000).min(1), milestones: z.array(ZMilestoneInput).max(50).optional() });
export type TPlan = z.infer<typeof ZPlan>;
export const ZReport = z.object({
  progress: z.number().int().min(0).max(100),
  note: text(5000).min(1),
  fileIds: z.array(dbId).max(20).default([]),
  milestoneIdsDone: z.array(dbId).max(50).default([]),
});
export type TReport = z.infer<typeof ZReport>;
export const ZApply = z.object({ note: text(5000).min(1), fileIds: z.array(dbId).max(20).default([]) });
export type TApply = z.infer<typeof ZApply>;
export const ZReview = z.object({ completion: z.enum(COMPLETIONS), quality: z.enum(QUALITIES), reason });
export type TReview = z.infer<typeof ZReview>;

export const ZLedgerQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  source: z.enum(TASK_SOURCES).optional(),
  unitId: z.coerce.number().int().positive().max(2147483647).optional(),
  leaderId: z.coerce.number().int().positive().max(2147483647).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  light: z.enum(['green', 'yellow', 'red']).optional(),
  priority: z.enum(PRIORITIES).optional(),
  q: text(100).optional(),
  mine: z.enum(['1', '0']).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type TLedgerQuery = z.infer<typeof ZLedgerQuery>;

const ZLightOut = z.enum(['green', 'yellow', 'red']).nullable();

export const ZTaskRow = z.object({
  id: z.number(),
  year: z.number(),
  source: z.enum(TASK_SOURCES),
  title: z.string(),
  leadUnitId: z.number().nullable(),
  leadUnitName: z.string().nullable(),
  coUnitNames: z.array(z.string()),
  leaderId: z.number().nullable(),
  leaderName: z.string().nullable(),
  deadline: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(PRIORITIES),
  progress: z.number(),
  light: ZLightOut,
  lightReasons: z.array(z.string()),
  completion: z.enum(COMPLETIONS).nullable(),
  quality: z.enum(QUALITIES).nullable(),
  parentId: z.number().nullable(),
});
export type TTaskRow = z.infer<typeof ZTaskRow>;

export const ZLedger = z.object({
  total: z.number(),
  counts: z.object({ green: z.number(), yellow: z.number(), red: z.number() }),
  rows: z.array(ZTaskRow),
});
export type TLedger = z.infer<typeof ZLedger>;

export const ZTaskDetail = ZTaskRow.extend({
  content: z.string(),
  standard: z.string(),
  leadContact: z.string(),
  coUnits: z.array(z.object({ unitId: z.number(), name: z.string(), contact: z.string() })),
  startDate: z.string(),
  cadence: z.enum(CADENCES),
  plan: z.string(),
  mergedIntoId: z.number().nullable(),
  instruction: z
    .object({
      id: z.number(),
      authorName: z.string(),
      targetKind: z.enum(INSTRUCTION_TARGETS),
      targetRef: z.string().nullable(),
      content: z.string(),
      createdAt: z.string(),
    })
    .nullable(),
  milestones: z.array(
    z.object({ id: z.number(), title: z.string(), dueOn: z.string(), doneOn: z.string().nullable() }),
  ),
  subTasks: z.array(
    z.object({ id: z.number(), title: z.string(), leadUnitName: z.string().nullable(), status: z.enum(TASK_STATUSES) }),
  ),
  files: z.array(z.object({ id: z.number(), name: z.string(), size: z.number(), uploadedAt: z.string() })),
  events: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string().nullable(),
      actorName: z.string(),
      unitName: z.string().nullable(),
      note: z.string(),
      progress: z.number().nullable(),
      fileIds: z.array(z.number()),
      at: z.string(),
    }),
  ),
  /** What the signed-in user may do now (the server checks again). */
  actions: z.array(z.enum(TASK_ACTIONS)),
});
export type TTaskDetail = z.infer<typeof ZTaskDetail>;

export const ZFile = z.object({ id: z.number(), name: z.string(), size: z.number(), uploadedAt: z.string() });
export type TFile = z.infer<typeof ZFile>;

export const ZStatsQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  month: z.coerce.number().int().min(1).max(12),
});
export const ZUnitStats = z.object({
  unitId: z.number(),
  unitName: z.string(),
  period: z.string(),
  due: z.number(),
  onTime: z.number(),
  onTimeRate: z.number().nullable(),
  milestonesDue: z.number(),
  milestonesOnTime: z.number(),
  milestoneRate: z.number().nullable(),
  rated: z.number(),
  ratingAverage: z.number().nullable(),
  dueTaskIds: z.array(z.number()),
  onTimeTaskIds: z.array(z.number()),
});
export type TUnitStats = z.infer<typeof ZUnitStats>;
