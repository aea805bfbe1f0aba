// Analysis report tables; kept in step by hand with migrations/0024_reports.sql and 0040_report_lang.sql.
import { bigint, customType, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import type { Lang } from '../../lib/errors.js';

/** bytea as a Node Buffer (PGlite returns Uint8Array, node-postgres Buffer). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => v,
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const PERIOD_KINDS = ['month', 'quarter', 'half', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const REPORT_TRIGGERS = ['manual', 'scheduled', 'seed'] as const;
export type ReportTrigger = (typeof REPORT_TRIGGERS)[number];

export const analysisReports = pgTable('analysis_reports', {
  id: serial('id').primaryKey(),
  yearId: integer('year_id').notNull(),
  period: text('period').notNull(),
  periodKind: text('period_kind').$type<PeriodKind>().notNull(),
  /** Null for the district's report; the unit of a special report (专项分析报告). */
  unitId: integer('unit_id'),
  title: text('title').notNull(),
  /** The language the report was written in (the request's Accept-Language; scheduled and demo reports: zh). */
  lang: text('lang').$type<Lang>().notNull().default('zh'),
  scoreVersion: bigint('score_version', { mode: 'number' }).notNull(),
  content: jsonb('content').$type<Record<string, unknown>>().notNull(),
  contentSha256: text('content_sha256').notNull(),
  docx: bytea('docx').notNull(),
  docxSha256: text('docx_sha256').notNull(),
  xlsx: bytea('xlsx').notNull(),
  xlsxSha256: text('xlsx_sha256').notNull(),
  trigger: text('trigger').$type<ReportTrigger>().notNull(),
  createdBy: integer('created_by'),
  createdByName: text('created_by_name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
