// The shared rate counters; kept in sync by hand with migrations/0014 and 0031.
import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const rateCounters = pgTable(
  'rate_counters',
  {
    subject: text('subject').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'rate_counters_pk', columns: [t.subject, t.windowStart] }),
    index('rate_counters_window_idx').on(t.windowStart),
  ],
);
