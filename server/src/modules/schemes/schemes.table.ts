// Tables of the schemes module (special assessments); kept in step by hand with migrations/0027_schemes.sql.
import { date, integer, numeric, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** 不定期抽查: a spot check by a scheme's assessing body, with findings and a 0–100 score. */
export const spotChecks = pgTable('spot_checks', {
  id: serial('id').primaryKey(),
  yearId: integer('year_id').notNull(),
  indicatorId: integer('indicator_id').notNull(),
  unitId: integer('unit_id').notNull(),
  checkedOn: date('checked_on').notNull(),
  location: text('location').notNull(),
  findings: text('findings').notNull(),
  score: numeric('score', { precision: 5, scale: 2, mode: 'number' }).notNull(),
  checkedBy: integer('checked_by'),
  checkedByName: text('checked_by_name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
