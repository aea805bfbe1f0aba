/** Request/response contract of the issued documents (专报/通报) and proposals (议案提案). */
import { z } from 'zod';
import {
  DOC_KINDS,
  INVESTMENT_STAGES,
  PROPOSAL_KINDS,
  PROPOSAL_SATISFACTIONS,
  PROPOSAL_STATUSES,
} from './supervision.docs.table.js';
import { TASK_SOURCES, TASK_STATUSES } from './supervision.table.js';

const dbId = z.number().int().positive().max(2147483647);
const qId = z.coerce.number().int().positive().max(2147483647);
const day = z.iso.date();
const text = (max: number) => z.string().trim().max(max);
const paragraph = text(2000).min(1);

// ---------- issued documents ----------

/** Which tasks a document covers: a checklist of ids, or the ledger's filters (up to 500 tasks). */
export const ZDocFilter = z.object({
  year: z.number().int().min(2000).max(2100).optional(),
  source: z.enum(TASK_SOURCES).optional(),
  unitId: dbId.optional(),
  leaderId: dbId.optional(),
  status: z.enum(TASK_STATUSES).optional(),
  light: z.enum(['green', 'yellow', 'red']).optional(),
  q: text(100).optional(),
});
export const ZDocDraft = z.object({
  kind: z.enum(DOC_KINDS),
  title: text(200).min(1).optional(),
  taskIds: z.array(dbId).min(1).max(500).optional(),
  filter: ZDocFilter.optional(),
  /** The office's own wording of the problems and suggestions (the preview proposes them). */
  problems: z.array(paragraph).max(30).optional(),
  suggestions: z.array(paragraph).max(30).optional(),
});
export type TDocDraft = z.infer<typeof ZDocDraft>;

export const ZDocTask = z.object({
  id: z.number(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  progress: z.number(),
  light: z.enum(['green', 'yellow', 'red']).nullable(),
  lightReasons: z.array(z.string()),
  deadline: z.string(),
  latestReport: z.object({ on: z.string(), note: z.string() }).nullable(),
  overdueMilestones: z.array(z.object({ title: z.string(), dueOn: z.string() })),
});
export const ZDocUnit = z.object({
  unitId: z.number(),
  unitName: z.string(),
  tasks: z.array(ZDocTask),
  completed: z.number(),
  red: z.number(),
  yellow: z.number(),
  overdueMilestones: z.number(),
  averageProgress: z.number(),
});
export type TDocUnit = z.infer<typeof ZDocUnit>;
export const ZDocContent = z.object({
  kind: z.enum(DOC_KINDS),
  /** null in a preview: the number is given at issue. */
  number: z.string().nullable(),
  year: z.number(),
  title: z.string(),
  recipients: z.string(),
  issuer: z.string(),
  issuedOn: z.string(),
  done: z.array(z.string()),
  results: z.array(z.string()),
  problems: z.array(z.string()),
  suggestions: z.array(z.string()),
  units: z.array(ZDocUnit),
});
export type TDocContent = z.infer<typeof ZDocContent>;

export const ZDocRow = z.object({
  id: z.number(),
  kind: z.enum(DOC_KINDS),
  year: z.number(),
  seq: z.number(),
  number: z.string(),
  title: z.string(),
  taskCount: z.number(),
  unitNames: z.array(z.string()),
  docxSha256: z.string(),
  docxBytes: z.number(),
  issuedByName: z.string(),
  issuedAt: z.string(),
});
export type TDocRow = z.infer<typeof ZDocRow>;
export const ZDocDetail = ZDocRow.extend({ content: ZDocContent });
export type TDocDetail = z.infer<typeof ZDocDetail>;
export const ZDocListQuery = z.object({
  kind: z.enum(DOC_KINDS).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

// ---------- proposals ----------

export const ZProposalCreate = z.object({
  kind: z.enum(PROPOSAL_KINDS),
  year: z.number().int().min(2000).max(2100),
  number: text(40).min(1),
  title: text(300).min(1),
  content: text(10000).default(''),
  deputyId: dbId,
  leadUnitId: dbId,
  coUnitIds: z.array(dbId).max(20).default([]),
  deadline: day,
});
export type TProposalCreate = z.infer<typeof ZProposalCreate>;
export const ZProposalReply = z.object({ reply: text(20000).min(1), fileIds: z.array(dbId).max(10).default([]) });
export type TProposalReply = z.infer<typeof ZProposalReply>;
export const ZProposalRate = z.object({ satisfaction: z.enum(PROPOSAL_SATISFACTIONS), note: text(2000).default('') });
export type TProposalRate = z.infer<typeof ZProposalRate>;

export const ZProposalQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  kind: z.enum(PROPOSAL_KINDS).optional(),
  status: z.enum(PROPOSAL_STATUSES).optional(),
  satisfaction: z.enum(PROPOSAL_SATISFACTIONS).optional(),
  unitId: qId.optional(),
  deputyId: qId.optional(),
  overdue: z.enum(['1', '0']).optional(),
  /** mine=1: the proposals the user's own unit handles (a unit's inbox) or the deputy's own. */
  mine: z.enum(['1', '0']).optional(),
  q: text(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type TProposalQuery = z.infer<typeof ZProposalQuery>;

export const ZProposalRow = z.object({
  id: z.number(),
  year: z.number(),
  kind: z.enum(PROPOSAL_KINDS),
  number: z.string(),
  title: z.string(),
  deputyId: z.number(),
  deputyName: z.string(),
  leadUnitId: z.number(),
  leadUnitName: z.string(),
  coUnitNames: z.array(z.string()),
  deadline: z.string(),
  status: z.enum(PROPOSAL_STATUSES),
  round: z.number(),
  satisfaction: z.enum(PROPOSAL_SATISFACTIONS).nullable(),
  repliedOn: z.string().nullable(),
  overdue: z.boolean(),
});
export type TProposalRow = z.infer<typeof ZProposalRow>;
export const ZProposalList = z.object({ total: z.number(), rows: z.array(ZProposalRow) });
export type TProposalList = z.infer<typeof ZProposalList>;

export const ZProposalFile = z.object({ id: z.number(), name: z.string(), size: z.number(), uploadedAt: z.string() });
export type TProposalFile = z.infer<typeof ZProposalFile>;
export const ZProposalDetail = ZProposalRow.extend({
  content: z.string(),
  coUnits: z.array(z.object({ unitId: z.number(), name: z.string() })),
  rounds: z.array(
    z.object({
      round: z.number(),
      deadline: z.string(),
      unitName: z.string(),
      reply: z.string().nullable(),
      fileIds: z.array(z.number()),
      repliedByName: z.string().nullable(),
      repliedOn: z.string().nullable(),
      onTime: z.boolean().nullable(),
      satisfaction: z.enum(PROPOSAL_SATISFACTIONS).nullable(),
      ratingNote: z.string(),
      ratedOn: z.string().nullable(),
    }),
  ),
  files: z.array(ZProposalFile),
  /** What the signed-in user may do now (the server checks again). */
  actions: z.array(z.enum(['reply', 'rate', 'upload'])),
});
export type TProposalDetail = z.infer<typeof ZProposalDetail>;

export const ZDeputy = z.object({
  userId: z.number(),
  displayName: z.string(),
  kind: z.enum(['npc_deputy', 'cppcc_member']),
  title: z.string(),
});
export type TDeputy = z.infer<typeof ZDeputy>;

export const ZProposalStatsQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  month: z.coerce.number().int().min(1).max(12),
});
export const ZProposalStats = z.object({
  unitId: z.number(),
  unitName: z.string(),
  period: z.string(),
  repliesDue: z.number(),
  repliesOnTime: z.number(),
  replyRate: z.number().nullable(),
  rated: z.number(),
  satisfied: z.number(),
  satisfactionRate: z.number().nullable(),
  dueProposalIds: z.array(z.number()),
  lateProposalIds: z.array(z.number()),
  ratedProposalIds: z.array(z.number()),
  unsatisfiedProposalIds: z.array(z.number()),
});
export type TProposalStats = z.infer<typeof ZProposalStats>;

// ---------- investment projects (招商引资督办) ----------

const money = z.number().min(0).max(999999999999);
export const ZInvestmentCreate = z.object({
  year: z.number().int().min(2000).max(2100),
  name: text(200).min(1),
  investor: text(200).default(''),
  industry: text(100).default(''),
  /** 万元 */
  contractAmount: money,
  unitId: dbId,
  leaderId: dbId.nullable().default(null),
  /** Planned date of each stage, in order 签约 ≤ 注册 ≤ 开工 ≤ 投产. */
  planned: z.object({ signed: day, registered: day, started: day, producing: day }),
});
export type TInvestmentCreate = z.infer<typeof ZInvestmentCreate>;
export const ZInvestmentStage = z.object({
  stage: z.enum(INVESTMENT_STAGES),
  doneOn: day,
  note: text(2000).default(''),
  /** 到位资金 (万元) so far, when it changed. */
  paidInAmount: money.optional(),
});
export type TInvestmentStage = z.infer<typeof ZInvestmentStage>;
export const ZInvestmentQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  unitId: qId.optional(),
  stage: z.enum([...INVESTMENT_STAGES, 'none']).optional(),
  overdue: z.enum(['1', '0']).optional(),
  q: text(100).optional(),
});
export type TInvestmentQuery = z.infer<typeof ZInvestmentQuery>;
export const ZInvestment = z.object({
  id: z.number(),
  year: z.number(),
  name: z.string(),
  investor: z.string(),
  industry: z.string(),
  contractAmount: z.number(),
  paidInAmount: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  leaderId: z.number().nullable(),
  leaderName: z.string().nullable(),
  stage: z.enum(INVESTMENT_STAGES).nullable(),
  /** Stages planned before today and not done. */
  overdueStages: z.array(z.enum(INVESTMENT_STAGES)),
  stages: z.array(
    z.object({
      stage: z.enum(INVESTMENT_STAGES),
      plannedOn: z.string(),
      doneOn: z.string().nullable(),
      note: z.string(),
    }),
  ),
  /** Whether the signed-in user may record the next stage. */
  canRecord: z.boolean(),
});
export type TInvestment = z.infer<typeof ZInvestment>;
