import { z } from 'zod';
import {
  CAMPAIGN_KINDS,
  CAMPAIGN_STATUSES,
  INVITATION_CHANNELS,
  MAPPING_MODES,
  QUALITY_FLAGS,
  QUESTION_TYPES,
} from './evaluation.table.js';

export {
  CAMPAIGN_KINDS,
  CAMPAIGN_STATUSES,
  MAPPING_MODES,
  QUALITY_FLAGS,
  QUESTION_TYPES,
  SAMPLED_KINDS,
  type CampaignKind,
  type CampaignStatus,
  type Question,
  type QuestionType,
} from './evaluation.table.js';

const dbId = z.number().int().positive().max(2147483647);
const day = z.iso.date();
const text = (max: number) => z.string().trim().max(max);
const reason = z.string().trim().min(1).max(2000);

export const ZIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });
/** A one-time link's token: the invitation id in base 36, a dash and its HMAC. */
export const ZTokenParam = z.object({ token: z.string().regex(/^[0-9a-z]{1,14}-[A-Za-z0-9_-]{16}$/) });

export const ZQuestion = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,29}$/),
    type: z.enum(QUESTION_TYPES),
    title: text(300).min(1),
    required: z.boolean().default(true),
    options: z.array(text(200).min(1)).max(30).optional(),
    rows: z.array(text(200).min(1)).max(50).optional(),
    rowsAreTargets: z.boolean().optional(),
    scale: z.enum(['satisfaction5', 'scale10']).optional(),
  })
  .superRefine((q, ctx) => {
    if ((q.type === 'single' || q.type === 'multi') && (q.options?.length ?? 0) < 2)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'needs at least two options' });
    if (q.type === 'matrix' && !q.rowsAreTargets && (q.rows?.length ?? 0) < 1)
      ctx.addIssue({ code: 'custom', path: ['rows'], message: 'a matrix needs rows' });
  });
export type TQuestion = z.infer<typeof ZQuestion>;

export const ZQuestionnaireInput = z
  .object({
    title: text(200).min(1),
    intro: text(2000).default(''),
    questions: z.array(ZQuestion).min(1).max(100),
  })
  .superRefine((q, ctx) => {
    const seen = new Set<string>();
    q.questions.forEach((x, i) => {
      if (seen.has(x.key))
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'key'], message: 'duplicate question key' });
      seen.add(x.key);
    });
  });
export type TQuestionnaireInput = z.infer<typeof ZQuestionnaireInput>;

export const ZQuestionnaire = z.object({
  id: z.number(),
  familyId: z.number(),
  version: z.number(),
  latest: z.boolean(),
  title: z.string(),
  intro: z.string(),
  questions: z.array(ZQuestion),
  createdAt: z.string(),
  usedBy: z.number(),
});
export type TQuestionnaire = z.infer<typeof ZQuestionnaire>;

export const ZMappingInput = z.object({
  /** The scheme whose leaves are fed (a special scheme of the campaign's year); null: the year's annual scheme. */
  schemeId: dbId.nullable().default(null),
  indicatorIds: z.array(dbId).max(20).default([]),
  mode: z.enum(MAPPING_MODES).default('mean'),
  levelWeights: z.array(z.number().min(0).max(1)).length(5).default([1, 1, 1, 0, 0]),
  formula: text(2000).nullable().default(null),
});
export const ZQualityInput = z.object({
  maxPerIp: z.number().int().min(1).max(10000).default(5),
  maxPerDevice: z.number().int().min(1).max(1000).default(1),
  minSeconds: z.number().int().min(0).max(3600).default(20),
  straightLineMin: z.number().int().min(2).max(100).default(5),
});

export const ZCampaignInput = z
  .object({
    year: z.number().int().min(2000).max(2100),
    kind: z.enum(CAMPAIGN_KINDS),
    title: text(200).min(1),
    questionnaireId: dbId,
    /** Target units: a list, and/or every active unit of the categories. */
    targetUnitIds: z.array(dbId).max(5000).default([]),
    targetCategoryIds: z.array(dbId).max(100).default([]),
    periodFrom: day,
    periodTo: day,
    anonymous: z.boolean().default(true),
    panelUserIds: z.array(dbId).max(2000).default([]),
    mapping: ZMappingInput.default({
      schemeId: null,
      indicatorIds: [],
      mode: 'mean',
      levelWeights: [1, 1, 1, 0, 0],
      formula: null,
    }),
    quality: ZQualityInput.default({ maxPerIp: 5, maxPerDevice: 1, minSeconds: 20, straightLineMin: 5 }),
  })
  // A consultation asks the public before a decision: it feeds no indicator.
  .superRefine((c, ctx) => {
    if (c.kind === 'consultation' && c.mapping.indicatorIds.length)
      ctx.addIssue({
        code: 'custom',
        path: ['mapping', 'indicatorIds'],
        message: 'a consultation feeds no indicator',
      });
  });
export type TCampaignInput = z.infer<typeof ZCampaignInput>;

export const ZCampaignQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  kind: z.enum(CAMPAIGN_KINDS).optional(),
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  q: text(100).optional(),
});
export type TCampaignQuery = z.infer<typeof ZCampaignQuery>;

const ZStratumSize = z.object({ unitId: dbId, size: z.number().int().min(0).max(100000) });
export const ZSampleInput = z.object({
  source: z.enum(['cases', 'import']),
  /** Total sample, allocated in proportion to each stratum's frame (ignored for strata given in `sizes`). */
  total: z.number().int().min(1).max(200000).optional(),
  sizes: z.array(ZStratumSize).max(5000).default([]),
  seed: z.number().int().min(0).max(2147483647).optional(),
});
export type TSampleInput = z.infer<typeof ZSampleInput>;

export const ZCampaignRow = z.object({
  id: z.number(),
  year: z.number(),
  kind: z.enum(CAMPAIGN_KINDS),
  title: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  anonymous: z.boolean(),
  periodFrom: z.string(),
  periodTo: z.string(),
  targets: z.number(),
  invited: z.number(),
  responded: z.number(),
  createdAt: z.string(),
});
export type TCampaignRow = z.infer<typeof ZCampaignRow>;

export const ZStratum = z.object({ unitId: z.number(), unitName: z.string(), frame: z.number(), size: z.number() });
export const ZCampaign = ZCampaignRow.extend({
  questionnaireId: z.number(),
  questionnaireTitle: z.string(),
  questionnaireVersion: z.number(),
  questions: z.array(ZQuestion),
  targetUnits: z.array(z.object({ id: z.number(), name: z.string() })),
  panel: z.array(z.object({ id: z.number(), name: z.string(), unitName: z.string().nullable() })),
  mapping: z.object({
    schemeId: z.number().nullable(),
    indicatorIds: z.array(z.number()),
    mode: z.enum(MAPPING_MODES),
    levelWeights: z.array(z.number()),
    formula: z.string().nullable(),
  }),
  indicators: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
  /** The scheme the mapped leaves belong to (the annual one unless a special scheme was chosen). */
  scheme: z.object({ id: z.number(), name: z.string(), kind: z.enum(['annual', 'special']) }).nullable(),
  quality: z.object({
    maxPerIp: z.number(),
    maxPerDevice: z.number(),
    minSeconds: z.number(),
    straightLineMin: z.number(),
  }),
  sampling: z
    .object({ source: z.enum(['cases', 'import']), seed: z.number(), at: z.string(), strata: z.array(ZStratum) })
    .nullable(),
  frameSize: z.number(),
  sent: z.number(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type TCampaign = z.infer<typeof ZCampaign>;

export const ZSampleQuery = z.object({
  unitId: z.coerce.number().int().positive().max(2147483647).optional(),
  responded: z.enum(['1', '0']).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export const ZSampleRow = z.object({
  id: z.number(),
  channel: z.enum(INVITATION_CHANNELS),
  unitName: z.string().nullable(),
  name: z.string(),
  phone: z.string().nullable(),
  caseId: z.number().nullable(),
  sentAt: z.string().nullable(),
  reminders: z.number(),
  respondedOn: z.string().nullable(),
});
export const ZSamplePage = z.object({ total: z.number(), rows: z.array(ZSampleRow) });

export const ZDashboard = z.object({
  status: z.enum(CAMPAIGN_STATUSES),
  invited: z.number(),
  sent: z.number(),
  responded: z.number(),
  responseRate: z.number().nullable(),
  flagged: z.number(),
  excluded: z.number(),
  strata: z.array(
    z.object({
      unitId: z.number().nullable(),
      unitName: z.string(),
      invited: z.number(),
      responded: z.number(),
      responseRate: z.number().nullable(),
    }),
  ),
  byDay: z.array(z.object({ day: z.string(), responses: z.number() })),
});
export type TDashboard = z.infer<typeof ZDashboard>;

export const ZResponsesQuery = z.object({
  flagged: z.enum(['1', '0']).optional(),
  excluded: z.enum(['1', '0']).optional(),
  unitId: z.coerce.number().int().positive().max(2147483647).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export const ZResponseRow = z.object({
  id: z.number(),
  unitName: z.string().nullable(),
  submittedOn: z.string(),
  durationS: z.number().nullable(),
  flags: z.array(z.enum(QUALITY_FLAGS)),
  excluded: z.boolean(),
  excludeReason: z.string().nullable(),
  answers: z.record(z.string(), z.unknown()),
});
export const ZResponsesPage = z.object({ total: z.number(), rows: z.array(ZResponseRow) });
export const ZExclude = z.object({ excluded: z.boolean(), reason });
export type TExclude = z.infer<typeof ZExclude>;

export const ZUnitResult = z.object({
  unitId: z.number(),
  unitName: z.string(),
  invited: z.number(),
  responses: z.number(),
  valid: z.number(),
  responseRate: z.number().nullable(),
  mean: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
  distribution: z.array(z.number()),
  mapped: z.number().nullable(),
  explanation: z.string(),
});
export type TUnitResult = z.infer<typeof ZUnitResult>;
export const ZResults = z.object({
  campaignId: z.number(),
  title: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  frozen: z.boolean(),
  rows: z.array(ZUnitResult),
  /** Free-text answers, without anything about who wrote them (only the unit asked about). */
  comments: z.array(z.object({ unitName: z.string().nullable(), question: z.string(), text: z.string() })),
});
export type TResults = z.infer<typeof ZResults>;

export const ZCloseResult = z.object({ units: z.number(), inputs: z.number(), status: z.enum(CAMPAIGN_STATUSES) });
export type TCloseResult = z.infer<typeof ZCloseResult>;

export const ZInboxRow = z.object({
  campaignId: z.number(),
  title: z.string(),
  kind: z.enum(CAMPAIGN_KINDS),
  periodTo: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  respondedOn: z.string().nullable(),
  targets: z.number(),
});
export const ZForm = z.object({
  campaignId: z.number(),
  title: z.string(),
  kind: z.enum(CAMPAIGN_KINDS),
  intro: z.string(),
  unitName: z.string().nullable(),
  questions: z.array(ZQuestion),
  /** The units a matrix over the targets asks about (never the respondent's own unit). */
  targets: z.array(z.object({ id: z.number(), name: z.string() })),
  anonymous: z.boolean(),
  answered: z.boolean(),
  open: z.boolean(),
  /** A consultation's topic: the background of the decision consulted on. */
  background: z.string().optional(),
});
export type TForm = z.infer<typeof ZForm>;
export const ZAnswerInput = z.object({
  answers: z.record(z.string().max(60), z.unknown()),
  /** A random id the phone page keeps in its storage (quality flag: many responses from one device). */
  device: z.string().max(100).optional(),
});
export type TAnswerInput = z.infer<typeof ZAnswerInput>;
export const ZAnswered = z.object({ ok: z.literal(true), flags: z.array(z.enum(QUALITY_FLAGS)).optional() });
export type TAnswered = z.infer<typeof ZAnswered>;
export const ZSentResult = z.object({ sent: z.number() });
export type TSentResult = z.infer<typeof ZSentResult>;
export const ZQrQuery = z.object({ unitId: z.coerce.number().int().positive().max(2147483647) });
export const ZQr = z.object({
  unitId: z.number(),
  unitName: z.string(),
  url: z.string(),
  svg: z.string(),
  open: z.boolean(),
});
export type TQr = z.infer<typeof ZQr>;
export const ZQrCodeParam = z.object({ code: z.string().regex(/^[0-9a-z]{1,8}\.[0-9a-z]{1,8}-[A-Za-z0-9_-]{16}$/) });
export const ZQrScan = z.object({ token: z.string() });
export type TQrScan = z.infer<typeof ZQrScan>;
export const ZSampleResult = z.object({ invitations: z.number(), frame: z.number(), seed: z.number() });
export type TSampleResult = z.infer<typeof ZSampleResult>;
export const ZFrameImported = z.object({ imported: z.number() });
export type TFrameImported = z.infer<typeof ZFrameImported>;

export const ZEvaluatorsQuery = z.object({ kind: z.enum(CAMPAIGN_KINDS) });
export const ZEvaluator = z.object({
  id: z.number(),
  name: z.string(),
  unitId: z.number(),
  unitName: z.string().nullable(),
  roles: z.array(z.string()),
});
export type TEvaluator = z.infer<typeof ZEvaluator>;
export type TSamplePage = z.infer<typeof ZSamplePage>;
export type TResponsesPage = z.infer<typeof ZResponsesPage>;
export type TInboxRow = z.infer<typeof ZInboxRow>;

// ---------- consultations (协商: the topic, the summary, the public page) ----------

export const ZConsultationTopicInput = z.object({ background: text(5000) });
export type TConsultationTopicInput = z.infer<typeof ZConsultationTopicInput>;
/** 意见汇总与采纳情况: what was heard, what was adopted, and what not and why. */
export const ZConsultationSummaryInput = z.object({
  heard: text(10000).min(1),
  adopted: text(10000).default(''),
  notAdopted: text(10000).default(''),
});
export type TConsultationSummaryInput = z.infer<typeof ZConsultationSummaryInput>;

export const ZQuestionTally = z.object({
  key: z.string(),
  type: z.enum(QUESTION_TYPES),
  title: z.string(),
  labels: z.array(z.string()),
  counts: z.array(z.number()),
  rows: z.array(z.object({ label: z.string(), counts: z.array(z.number()) })).optional(),
  answered: z.number(),
  mean: z.number().nullable().optional(),
  satisfiedPct: z.number().nullable().optional(),
});
export type TQuestionTally = z.infer<typeof ZQuestionTally>;

const ZSummary = z.object({ heard: z.string(), adopted: z.string(), notAdopted: z.string() });
/** The office's view of a consultation: topic, summary, and the tallies (live until published, then as published). */
export const ZConsultation = z.object({
  campaignId: z.number(),
  title: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  background: z.string(),
  summary: ZSummary.extend({ at: z.string().nullable(), by: z.string().nullable() }),
  participants: z.number(),
  tallies: z.array(ZQuestionTally),
  publishedAt: z.string().nullable(),
});
export type TConsultation = z.infer<typeof ZConsultation>;

export const ZPublicConsultationRow = z.object({
  id: z.number(),
  title: z.string(),
  units: z.array(z.string()),
  periodFrom: z.string(),
  periodTo: z.string(),
  participants: z.number(),
  publishedAt: z.string(),
});
export type TPublicConsultationRow = z.infer<typeof ZPublicConsultationRow>;
export const ZPublicConsultation = ZPublicConsultationRow.extend({
  background: z.string(),
  tallies: z.array(ZQuestionTally),
  summary: ZSummary,
});
export type TPublicConsultation = z.infer<typeof ZPublicConsultation>;
