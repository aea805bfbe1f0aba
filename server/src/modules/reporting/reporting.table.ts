// Tables of the data-collection module, kept in sync by hand with migration 0005_reporting.sql.
import {
  bigserial,
  boolean,
  date,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  bigint,
  unique,
} from 'drizzle-orm/pg-core';
import type { StoredFlag } from './reporting.anomaly.js';
import type { FormValues, TFormDefinition } from './reporting.forms.js';
import type { DeadlineMode, RevisionStatus, SubmissionSource, SubmissionStatus } from '../../../../common/reporting.js';

export {
  DEADLINE_MODES,
  REVISION_STATUSES,
  SUBMISSION_SOURCES,
  SUBMISSION_STATUSES,
} from '../../../../common/reporting.js';
export type { DeadlineMode, RevisionStatus, SubmissionSource, SubmissionStatus };

export const reportingSettings = pgTable('reporting_settings', {
  yearId: integer('year_id').primaryKey(),
  deadlineMode: text('deadline_mode').$type<DeadlineMode>().notNull().default('day'),
  deadlineWorkingDays: smallint('deadline_working_days').notNull().default(10),
  /** A day-of-month deadline on a holiday or weekend moves to the next working day (法定节假日顺延). */
  deadlineRollsOver: boolean('deadline_rolls_over').notNull().default(true),
  reminderDaysBefore: smallint('reminder_days_before').notNull().default(3),
  jumpThresholdPct: numeric('jump_threshold_pct', { precision: 8, scale: 2, mode: 'number' }).notNull().default(50),
  peerIqrFactor: numeric('peer_iqr_factor', { precision: 8, scale: 2, mode: 'number' }).notNull().default(3),
  lightGreenMargin: numeric('light_green_margin', { precision: 8, scale: 2, mode: 'number' }).notNull().default(5),
  lightYellowMargin: numeric('light_yellow_margin', { precision: 8, scale: 2, mode: 'number' }).notNull().default(15),
  updatedBy: integer('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const indicatorForms = pgTable('indicator_forms', {
  indicatorId: integer('indicator_id').primaryKey(),
  definition: jsonb('definition').$type<TFormDefinition>().notNull(),
  version: integer('version').notNull().default(1),
  updatedBy: integer('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const indicatorDeadlines = pgTable('indicator_deadlines', {
  indicatorId: integer('indicator_id').primaryKey(),
  mode: text('mode').$type<DeadlineMode>().notNull(),
  day: smallint('day'),
  workingDays: smallint('working_days'),
});

export const submissions = pgTable(
  'submissions',
  {
    id: serial('id').primaryKey(),
    yearId: integer('year_id').notNull(),
    indicatorId: integer('indicator_id').notNull(),
    unitId: integer('unit_id').notNull(),
    period: text('period').notNull(),
    source: text('source').$type<SubmissionSource>().notNull().default('self_report'),
    status: text('status').$type<SubmissionStatus>().notNull().default('draft'),
    value: numeric('value', { mode: 'number' }),
    fields: jsonb('fields').$type<FormValues>().notNull().default({}),
    flags: jsonb('flags').$type<StoredFlag[]>().notNull().default([]),
    formVersion: integer('form_version').notNull().default(0),
    revision: integer('revision').notNull().default(0),
    enteredBy: integer('entered_by'),
    enteredByName: text('entered_by_name').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
    firstSubmittedAt: timestamp('first_submitted_at', { withTimezone: true }),
    deadline: date('deadline', { mode: 'string' }),
    late: boolean('late').notNull().default(false),
    submittedBy: integer('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    leaderApprovedBy: integer('leader_approved_by'),
    leaderApprovedAt: timestamp('leader_approved_at', { withTimezone: true }),
    acceptedBy: integer('accepted_by'),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    returnReason: text('return_reason'),
    returnedStage: text('returned_stage').$type<'leader' | 'office'>(),
    returnedBy: integer('returned_by'),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('submissions_key_uq').on(t.indicatorId, t.unitId, t.period)],
);

export const submissionRevisions = pgTable(
  'submission_revisions',
  {
    id: serial('id').primaryKey(),
    submissionId: integer('submission_id').notNull(),
    revision: integer('revision').notNull(),
    value: numeric('value', { mode: 'number' }),
    fields: jsonb('fields').$type<FormValues>().notNull(),
    flags: jsonb('flags').$type<StoredFlag[]>().notNull().default([]),
    reason: text('reason'),
    status: text('status').$type<RevisionStatus>().notNull(),
    requestedBy: integer('requested_by'),
    requestedByName: text('requested_by_name').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: integer('decided_by'),
    decidedByName: text('decided_by_name'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionComment: text('decision_comment'),
  },
  (t) => [unique('submission_revisions_uq').on(t.submissionId, t.revision)],
);

export const submissionEvents = pgTable('submission_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  submissionId: integer('submission_id').notNull(),
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  comment: text('comment'),
  actorId: integer('actor_id'),
  actorName: text('actor_name').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

export const submissionEvidence = pgTable('submission_evidence', {
  id: serial('id').primaryKey(),
  submissionId: integer('submission_id').notNull(),
  sha256: text('sha256').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  mime: text('mime').notNull(),
  originalName: text('original_name').notNull(),
  uploadedBy: integer('uploaded_by'),
  uploadedByName: text('uploaded_by_name').notNull(),
  uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
});

export const reportingReminders = pgTable(
  'reporting_reminders',
  {
    unitId: integer('unit_id').notNull(),
    indicatorId: integer('indicator_id').notNull(),
    period: text('period').notNull(),
    kind: text('kind').$type<'before' | 'due'>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'reporting_reminders_pk', columns: [t.unitId, t.indicatorId, t.period, t.kind] })],
);

export const notifications = pgTable('notifications', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  userId: integer('user_id').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull().default(''),
  link: text('link'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  readAt: timestamp('read_at', { withTimezone: true }),
});
