// Issued documents (专报/通报), proposals (议案提案) and investment projects (招商引资); kept in step by hand with migrations/0037_supervision_docs_proposals.sql.
import {
  customType,
  date,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { storedFileColumns } from '../../db/columns.js';

/** bytea as a Node Buffer (PGlite returns Uint8Array, node-postgres Buffer). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => v,
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});
const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });

/** report: 督查专报 (to the leaders); bulletin: 督查通报 (to the units named in it). */
export const DOC_KINDS = ['report', 'bulletin'] as const;
export type DocKind = (typeof DOC_KINDS)[number];
/** npc_motion: 人大代表议案 / 建议; cppcc_proposal: 政协委员提案. */
export const PROPOSAL_KINDS = ['npc_motion', 'cppcc_proposal'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];
export const PROPOSAL_STATUSES = ['assigned', 'replied', 'closed'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
export const PROPOSAL_SATISFACTIONS = ['satisfied', 'basically', 'unsatisfied'] as const;
export type ProposalSatisfaction = (typeof PROPOSAL_SATISFACTIONS)[number];

export const supervisionDocCounters = pgTable(
  'supervision_doc_counters',
  {
    kind: text('kind').$type<DocKind>().notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ name: 'supervision_doc_counters_pk', columns: [t.kind, t.year] })],
);

export const supervisionDocuments = pgTable(
  'supervision_documents',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').$type<DocKind>().notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    number: text('number').notNull(),
    title: text('title').notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    taskIds: jsonb('task_ids').$type<number[]>().notNull().default([]),
    docx: bytea('docx').notNull(),
    docxSha256: text('docx_sha256').notNull(),
    issuedBy: integer('issued_by'),
    issuedByName: text('issued_by_name').notNull(),
    issuedAt: ts('issued_at').notNull().defaultNow(),
  },
  (t) => [unique('supervision_documents_seq_uq').on(t.kind, t.year, t.seq)],
);

export const supervisionDocumentUnits = pgTable(
  'supervision_document_units',
  {
    documentId: integer('document_id')
      .notNull()
      .references(() => supervisionDocuments.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id').notNull(),
  },
  (t) => [primaryKey({ name: 'supervision_document_units_pk', columns: [t.documentId, t.unitId] })],
);

export const supervisionProposals = pgTable(
  'supervision_proposals',
  {
    id: serial('id').primaryKey(),
    year: integer('year').notNull(),
    kind: text('kind').$type<ProposalKind>().notNull(),
    number: text('number').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull().default(''),
    deputyId: integer('deputy_id').notNull(),
    leadUnitId: integer('lead_unit_id').notNull(),
    deadline: day('deadline').notNull(),
    status: text('status').$type<ProposalStatus>().notNull(),
    round: integer('round').notNull().default(1),
    satisfaction: text('satisfaction').$type<ProposalSatisfaction>(),
    createdBy: integer('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [unique('supervision_proposals_number_uq').on(t.year, t.kind, t.number)],
);

export const supervisionProposalCoUnits = pgTable(
  'supervision_proposal_co_units',
  {
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => supervisionProposals.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id').notNull(),
  },
  (t) => [primaryKey({ name: 'supervision_proposal_co_units_pk', columns: [t.proposalId, t.unitId] })],
);

export const supervisionProposalRounds = pgTable(
  'supervision_proposal_rounds',
  {
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => supervisionProposals.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    deadline: day('deadline').notNull(),
    unitId: integer('unit_id').notNull(),
    reply: text('reply'),
    fileIds: jsonb('file_ids').$type<number[]>().notNull().default([]),
    repliedBy: integer('replied_by'),
    repliedByName: text('replied_by_name'),
    repliedOn: day('replied_on'),
    satisfaction: text('satisfaction').$type<ProposalSatisfaction>(),
    ratingNote: text('rating_note').notNull().default(''),
    ratedOn: day('rated_on'),
  },
  (t) => [primaryKey({ name: 'supervision_proposal_rounds_pk', columns: [t.proposalId, t.round] })],
);

export const supervisionProposalFiles = pgTable('supervision_proposal_files', {
  ...storedFileColumns(),
  proposalId: integer('proposal_id')
    .notNull()
    .references(() => supervisionProposals.id),
});

/** 签约 → 注册 → 开工 → 投产, in this order. */
export const INVESTMENT_STAGES = ['signed', 'registered', 'started', 'producing'] as const;
export type InvestmentStage = (typeof INVESTMENT_STAGES)[number];

export const supervisionInvestments = pgTable('supervision_investments', {
  id: serial('id').primaryKey(),
  year: integer('year').notNull(),
  name: text('name').notNull(),
  investor: text('investor').notNull().default(''),
  industry: text('industry').notNull().default(''),
  contractAmount: numeric('contract_amount', { precision: 14, scale: 2, mode: 'number' }).notNull(),
  paidInAmount: numeric('paid_in_amount', { precision: 14, scale: 2, mode: 'number' }).notNull().default(0),
  unitId: integer('unit_id').notNull(),
  leaderId: integer('leader_id'),
  /** The last stage reached (null: not signed yet). */
  stage: text('stage').$type<InvestmentStage>(),
  createdBy: integer('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const supervisionInvestmentStages = pgTable(
  'supervision_investment_stages',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => supervisionInvestments.id, { onDelete: 'cascade' }),
    stage: text('stage').$type<InvestmentStage>().notNull(),
    plannedOn: day('planned_on').notNull(),
    doneOn: day('done_on'),
    note: text('note').notNull().default(''),
    recordedBy: integer('recorded_by'),
  },
  (t) => [primaryKey({ name: 'supervision_investment_stages_pk', columns: [t.projectId, t.stage] })],
);
