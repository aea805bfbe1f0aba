// Tables of the score inputs (inputs module), kept in sync by hand with migrations 0004 and 0008.
import { bigint, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { InputSource } from './inputs.schema.js';

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
