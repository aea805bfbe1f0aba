// The job runner's table; kept in sync by hand with migrations/0013_jobs.sql.
import { doublePrecision, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const JOB_STATUSES = ['ok', 'failed', 'aborted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const jobs = pgTable('jobs', {
  name: text('name').primaryKey(),
  titleZh: text('title_zh').notNull().default(''),
  titleEn: text('title_en').notNull().default(''),
  everyMs: integer('every_ms'),
  leaseOwner: text('lease_owner'),
  leaseUntil: ts('lease_until'),
  heartbeatAt: ts('heartbeat_at'),
  nextRunAt: ts('next_run_at'),
  runRequestedAt: ts('run_requested_at'),
  lastStartedAt: ts('last_started_at'),
  lastFinishedAt: ts('last_finished_at'),
  lastDurationMs: integer('last_duration_ms'),
  lastStatus: text('last_status').$type<JobStatus>(),
  lastResult: jsonb('last_result').$type<Record<string, unknown>>(),
  lastError: text('last_error'),
  lastErrorAt: ts('last_error_at'),
  runCount: integer('run_count').notNull().default(0),
  failureCount: integer('failure_count').notNull().default(0),
  progress: doublePrecision('progress'),
  progressMessage: text('progress_message'),
  seenAt: ts('seen_at').notNull().defaultNow(),
});
