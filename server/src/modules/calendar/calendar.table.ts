import { date, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const calendarDays = pgTable('calendar_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  kind: text('kind').$type<'holiday' | 'workday'>().notNull(),
  name: text('name').notNull().default(''),
  source: text('source').$type<'package' | 'admin'>().notNull().default('package'),
});

export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  source: text('source').$type<'package' | 'admin'>().notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull().defaultNow(),
});
