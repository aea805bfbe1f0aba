// Tables of the scoring module, kept in sync by hand with migrations 0004 and 0008.
import { bigint, boolean, customType, integer, jsonb, numeric, pgTable, primaryKey, serial, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import type { InputSource } from '../../../../common/performance.js';

export { INPUT_SOURCES, type InputSource } from '../../../../common/performance.js';

export const scoreInputs = pgTable(
  'score_inputs',
  {
    yearId: integer('year_id').notNull(),
    indicatorId: integer('indicator_id').notNull(),
    unitId: integer('unit_id').notNull(),
    period: text('period').notNull(),
    value: numeric('value', { mode: 'number' }),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull().default({}),
    source: text('source').$type<InputSource>().notNull(),
    sourceRef: text('source_ref'),
    enteredBy: integer('entered_by'),
    enteredByName: text('entered_by_name').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
    /** The score version that wrote the row (see score_versions). */
    version: bigint('version', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ name: 'score_inputs_pk', columns: [t.indicatorId, t.unitId, t.period] })],
);

export const scoreVersions = pgTable('score_versions', {
  yearId: integer('year_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
  /** The last version bumped by a configuration change (anything but score inputs). */
  configVersion: bigint('config_version', { mode: 'number' }).notNull().default(0),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
});

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
