// Evaluation tables; kept in step by hand with migrations/0021_evaluation.sql.
import {
  bigint,
  bigserial,
  boolean,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export const CAMPAIGN_KINDS = [
  'public_survey',
  'enterprise_survey',
  'deputies',
  'special_supervisors',
  'leaders',
  'mutual',
  'service_recipients',
  'expert_review',
  'consultation',
] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];
/** Kinds answered by a sample of citizens or enterprises through a one-time link; the others by a named panel in the app. */
export const SAMPLED_KINDS: readonly CampaignKind[] = ['public_survey', 'enterprise_survey', 'service_recipients'];
export const CAMPAIGN_STATUSES = ['draft', 'open', 'closed', 'published'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const QUESTION_TYPES = ['single', 'multi', 'satisfaction5', 'scale10', 'matrix', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const MAPPING_MODES = ['mean', 'satisfaction', 'formula'] as const;
export type MappingMode = (typeof MAPPING_MODES)[number];
export const INVITATION_CHANNELS = ['sms', 'app', 'qr'] as const;
export type InvitationChannel = (typeof INVITATION_CHANNELS)[number];
export const QUALITY_FLAGS = ['same_ip', 'same_device', 'too_fast', 'straight_lining'] as const;
export type QualityFlag = (typeof QUALITY_FLAGS)[number];

/** One question of a questionnaire (stored as JSON). */
export type Question = {
  key: string;
  type: QuestionType;
  title: string;
  required: boolean;
  /** single / multi: the choices. */
  options?: string[];
  /** matrix: the aspects asked on the scale (ignored when rowsAreTargets). */
  rows?: string[];
  /** matrix: the rows are the campaign's target units (a deputy rates every department on one page). */
  rowsAreTargets?: boolean;
  /** matrix: the scale of each row. */
  scale?: 'satisfaction5' | 'scale10';
};

/** How a campaign's results become score inputs. */
export type Mapping = {
  /** The scheme (assessment_years row) of the campaign's year whose leaves are fed; absent or null: the year's annual scheme. */
  schemeId?: number | null;
  indicatorIds: number[];
  mode: MappingMode;
  /** satisfaction: the weight of each of the five levels (非常满意 … 非常不满意) in the rate. */
  levelWeights: number[];
  /** formula: over mean, rate, n, invited, responseRate. */
  formula: string | null;
};
export type QualityRules = { maxPerIp: number; maxPerDevice: number; minSeconds: number; straightLineMin: number };
export type SamplingRecord = {
  source: 'cases' | 'import';
  seed: number;
  at: string;
  strata: { unitId: number; frame: number; size: number }[];
};

const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });

export const evaluationQuestionnaires = pgTable('evaluation_questionnaires', {
  id: serial('id').primaryKey(),
  familyId: integer('family_id'),
  version: integer('version').notNull().default(1),
  title: text('title').notNull(),
  intro: text('intro').notNull().default(''),
  questions: jsonb('questions').$type<Question[]>().notNull().default([]),
  createdBy: integer('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const evaluationCampaigns = pgTable('evaluation_campaigns', {
  id: serial('id').primaryKey(),
  year: integer('year').notNull(),
  kind: text('kind').$type<CampaignKind>().notNull(),
  title: text('title').notNull(),
  status: text('status').$type<CampaignStatus>().notNull().default('draft'),
  questionnaireId: integer('questionnaire_id')
    .notNull()
    .references(() => evaluationQuestionnaires.id),
  targetUnitIds: jsonb('target_unit_ids').$type<number[]>().notNull().default([]),
  periodFrom: day('period_from').notNull(),
  periodTo: day('period_to').notNull(),
  anonymous: boolean('anonymous').notNull().default(true),
  mapping: jsonb('mapping')
    .$type<Mapping>()
    .notNull()
    .default({} as Mapping),
  quality: jsonb('quality')
    .$type<QualityRules>()
    .notNull()
    .default({} as QualityRules),
  sampling: jsonb('sampling').$type<SamplingRecord>(),
  salt: text('salt').notNull(),
  createdBy: integer('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  openedAt: ts('opened_at'),
  closedAt: ts('closed_at'),
  publishedAt: ts('published_at'),
});

export const evaluationPanel = pgTable(
  'evaluation_panel',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => evaluationCampaigns.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull(),
  },
  (t) => [primaryKey({ name: 'evaluation_panel_pk', columns: [t.campaignId, t.userId] })],
);

export const evaluationFrame = pgTable('evaluation_frame', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  campaignId: integer('campaign_id')
    .notNull()
    .references(() => evaluationCampaigns.id, { onDelete: 'cascade' }),
  unitId: integer('unit_id').notNull(),
  name: text('name').notNull().default(''),
  phone: text('phone').notNull(),
  caseId: integer('case_id'),
  source: text('source').$type<'cases' | 'import'>().notNull(),
});

export const evaluationInvitations = pgTable('evaluation_invitations', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  campaignId: integer('campaign_id')
    .notNull()
    .references(() => evaluationCampaigns.id, { onDelete: 'cascade' }),
  channel: text('channel').$type<InvitationChannel>().notNull(),
  unitId: integer('unit_id'),
  userId: integer('user_id'),
  phone: text('phone'),
  name: text('name').notNull().default(''),
  caseId: integer('case_id'),
  sentAt: ts('sent_at'),
  openedAt: ts('opened_at'),
  remindedAt: ts('reminded_at'),
  reminders: integer('reminders').notNull().default(0),
  respondedOn: day('responded_on'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const evaluationResponses = pgTable('evaluation_responses', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  campaignId: integer('campaign_id')
    .notNull()
    .references(() => evaluationCampaigns.id, { onDelete: 'cascade' }),
  invitationId: bigint('invitation_id', { mode: 'number' }).references(() => evaluationInvitations.id),
  respondentId: integer('respondent_id'),
  unitId: integer('unit_id'),
  answers: jsonb('answers').$type<Record<string, unknown>>().notNull(),
  submittedOn: day('submitted_on').notNull(),
  durationS: integer('duration_s'),
  ipHash: text('ip_hash'),
  deviceHash: text('device_hash'),
  flags: text('flags').array().$type<QualityFlag[]>().notNull().default([]),
  excluded: boolean('excluded').notNull().default(false),
  excludeReason: text('exclude_reason'),
  excludedBy: integer('excluded_by'),
  excludedAt: ts('excluded_at'),
});

export const evaluationScores = pgTable('evaluation_scores', {
  responseId: bigint('response_id', { mode: 'number' })
    .notNull()
    .references(() => evaluationResponses.id, { onDelete: 'cascade' }),
  campaignId: integer('campaign_id').notNull(),
  unitId: integer('unit_id').notNull(),
  questionKey: text('question_key').notNull(),
  score: real('score').notNull(),
  level: smallint('level'),
});

export const evaluationResults = pgTable(
  'evaluation_results',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => evaluationCampaigns.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id').notNull(),
    invited: integer('invited').notNull(),
    responses: integer('responses').notNull(),
    valid: integer('valid').notNull(),
    responseRate: real('response_rate'),
    mean: real('mean'),
    satisfactionRate: real('satisfaction_rate'),
    distribution: jsonb('distribution').$type<number[]>().notNull().default([]),
    mapped: real('mapped'),
    explanation: text('explanation').notNull().default(''),
  },
  (t) => [primaryKey({ name: 'evaluation_results_pk', columns: [t.campaignId, t.unitId] })],
);

/** One closed question's published tally (a consultation's public page): counts per option, level or score. */
export type QuestionTally = {
  key: string;
  type: QuestionType;
  title: string;
  /** The labels counted: the options, the five levels, 0 … 10, or per matrix row. */
  labels: string[];
  counts: number[];
  /** Matrix: one row of counts per aspect (labels are then the scale). */
  rows?: { label: string; counts: number[] }[];
  answered: number;
  /** scale10: the mean score (0 … 10). */
  mean?: number | null;
  /** satisfaction5: the share (%) of the three satisfied levels. */
  satisfiedPct?: number | null;
};

/** A consultation's topic background and the office's summary (migrations/0039_evaluation_consultation.sql). */
export const evaluationConsultations = pgTable('evaluation_consultations', {
  campaignId: integer('campaign_id')
    .primaryKey()
    .references(() => evaluationCampaigns.id, { onDelete: 'cascade' }),
  background: text('background').notNull().default(''),
  heard: text('heard').notNull().default(''),
  adopted: text('adopted').notNull().default(''),
  notAdopted: text('not_adopted').notNull().default(''),
  summaryBy: integer('summary_by'),
  summaryAt: ts('summary_at'),
  participants: integer('participants'),
  tallies: jsonb('tallies').$type<QuestionTally[]>(),
});
