/// <reference types="node" />
// Tables of the scoring module, kept in sync by hand with migrations 0004 and 0008.
import {
  bigint,
  boolean,
  customType,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export const accountabilityDeductions = pgTable('accountability_deductions', {
  id: serial('id').primaryKey(),
  yearId: integer('year_id').notNull(),
  unitId: integer('unit_id').notNull(),
  period: text('period').notNull(),
  points: numeric('points', { precision: 10, scale: 3, mode: 'number' }).notNull(),
  reason: text('reason').notNull(),
  documentNo: text('document_no').notNull(),
  createdBy: integer('created_by'),
  createdByName: text('created_by_name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** bytea as a Node Buffer (PGlite returns Uint8Array, node-postgres Buffer). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => v,
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const WINDOW_KINDS = ['month', 'ytd', 'quarter', 'half'] as const;
export type WindowKindName = (typeof WINDOW_KINDS)[number];

export const scorePublications = pgTable('score_publications', {
  id: serial('id').primaryKey(),
  yearId: integer('year_id').notNull(),
  period: text('period').notNull(),
  windowKind: text('window_kind').$type<WindowKindName>().notNull(),
  windowN: smallint('window_n').notNull(),
  windowLabel: text('window_label').notNull(),
  fullYear: boolean('full_year').notNull(),
  scoreVersion: bigint('score_version', { mode: 'number' }).notNull(),
  note: text('note').notNull().default(''),
  unitCount: integer('unit_count').notNull(),
  result: jsonb('result').$type<Record<string, unknown>>().notNull(),
  snapshot: bytea('snapshot').notNull(),
  snapshotSha256: text('snapshot_sha256').notNull(),
  publishedBy: integer('published_by'),
  publishedByName: text('published_by_name').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
});
