// Accountability notices; kept in step by hand with migrations/0022_ratings_notices_awards.sql and 0032_evalrest.sql.
import { date, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { storedFileColumns } from '../../db/columns.js';

/** 整改建议书 / 监察建议书 / 监察决定书. */
export const NOTICE_KINDS = ['rectification_advice', 'supervision_advice', 'supervision_decision'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_STATUSES = ['issued', 'replied', 'accepted', 'returned'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const notices = pgTable('notices', {
  id: serial('id').primaryKey(),
  kind: text('kind').$type<NoticeKind>().notNull(),
  year: integer('year').notNull(),
  seq: integer('seq').notNull(),
  number: text('number').notNull(),
  unitId: integer('unit_id').notNull(),
  title: text('title').notNull(),
  findings: text('findings').notNull(),
  actions: text('actions').notNull(),
  deadline: date('deadline', { mode: 'string' }).notNull(),
  issuerName: text('issuer_name').notNull(),
  issuedBy: integer('issued_by'),
  issuedAt: ts('issued_at').notNull().defaultNow(),
  sourceKind: text('source_kind'),
  sourceId: integer('source_id'),
  deductionId: integer('deduction_id'),
  status: text('status').$type<NoticeStatus>().notNull().default('issued'),
  replyMeasures: text('reply_measures').notNull().default(''),
  replyEvidence: text('reply_evidence').notNull().default(''),
  repliedAt: ts('replied_at'),
  repliedBy: integer('replied_by'),
  reviewedAt: ts('reviewed_at'),
  reviewedBy: integer('reviewed_by'),
  reviewNote: text('review_note').notNull().default(''),
  returns: integer('returns').notNull().default(0),
});

/** Evidence files of the unit's reply (migration 0032). */
export const noticeFiles = pgTable('notice_files', {
  ...storedFileColumns(),
  noticeId: integer('notice_id')
    .notNull()
    .references(() => notices.id),
});
