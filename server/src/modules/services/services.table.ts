// Government services tables; kept in step by hand with migrations/0026_services.sql.
import {
  bigint,
  bigserial,
  boolean,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export const ITEM_KINDS = ['license', 'payment', 'confirmation', 'public_service', 'other'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const ITEM_CHANNELS = ['online', 'window', 'both'] as const;
export type ItemChannel = (typeof ITEM_CHANNELS)[number];
export const PHASES = ['accept', 'review', 'decide', 'deliver'] as const;
export type Phase = (typeof PHASES)[number];
export const APPLICATION_STATUSES = ['submitted', 'not_accepted', 'in_progress', 'delivering', 'completed'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['submitted', 'in_progress', 'delivering'];
export const STEP_STATUSES = ['waiting', 'pending', 'signed', 'correction', 'done', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const LIGHTS = ['green', 'yellow', 'red'] as const;
export type Light = (typeof LIGHTS)[number];
export const COMPLAINT_KINDS = ['delay', 'refused_complete', 'attitude', 'other'] as const;
export const COMPLAINT_STATUSES = ['pending', 'accepted', 'declined', 'resolved'] as const;

/** One approval step of an item: its stage (steps of one stage run in parallel), phase, department and days. */
export type ItemStep = { seq: number; phase: Phase; name: string; departmentId: number; days: number };
export type ItemMaterial = { name: string; required: boolean };

const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });
const big = (name: string) => bigint(name, { mode: 'number' });

export const serviceItems = pgTable('service_items', {
  id: serial('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  kind: text('kind').$type<ItemKind>().notNull(),
  departmentId: integer('department_id').notNull(),
  legalDays: integer('legal_days').notNull(),
  committedDays: integer('committed_days').notNull(),
  materials: jsonb('materials').$type<ItemMaterial[]>().notNull().default([]),
  fees: text('fees').notNull().default(''),
  channel: text('channel').$type<ItemChannel>().notNull().default('both'),
  guide: text('guide').notNull().default(''),
  steps: jsonb('steps').$type<ItemStep[]>().notNull().default([]),
  parallel: boolean('parallel').notNull().default(false),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const serviceApplications = pgTable('service_applications', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  number: text('number').notNull(),
  passwordHash: text('password_hash').notNull(),
  itemId: integer('item_id').notNull(),
  departmentId: integer('department_id').notNull(),
  channel: text('channel').$type<'online' | 'window'>().notNull(),
  filedBy: integer('filed_by'),
  acceptedBy: integer('accepted_by'),
  sourceIp: text('source_ip'),
  applicantName: text('applicant_name').notNull(),
  applicantPhone: text('applicant_phone').notNull(),
  applicantOrg: text('applicant_org').notNull().default(''),
  note: text('note').notNull().default(''),
  status: text('status').$type<ApplicationStatus>().notNull(),
  committedDays: integer('committed_days').notNull(),
  filedAt: ts('filed_at').notNull().defaultNow(),
  acceptedOn: day('accepted_on'),
  dueOn: day('due_on'),
  yellowOn: day('yellow_on'),
  pausedSince: day('paused_since'),
  pausedDays: integer('paused_days').notNull().default(0),
  stage: integer('stage').notNull().default(0),
  result: text('result').$type<'approved' | 'refused'>(),
  reason: text('reason'),
  decidedAt: ts('decided_at'),
  completedAt: ts('completed_at'),
  completedOn: day('completed_on'),
  daysUsed: integer('days_used'),
  light: text('light').$type<Light>(),
  lightReasons: jsonb('light_reasons').$type<string[]>().notNull().default([]),
  warned: text('warned').$type<'yellow' | 'red'>(),
  anomalies: jsonb('anomalies').$type<string[]>().notNull().default([]),
});

export const serviceSteps = pgTable('service_steps', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  applicationId: big('application_id').notNull(),
  seq: integer('seq').notNull(),
  phase: text('phase').$type<Phase>().notNull(),
  name: text('name').notNull(),
  departmentId: integer('department_id').notNull(),
  days: integer('days').notNull(),
  status: text('status').$type<StepStatus>().notNull(),
  decision: text('decision').$type<'approve' | 'refuse'>(),
  reason: text('reason'),
  startedAt: ts('started_at'),
  signedAt: ts('signed_at'),
  endedAt: ts('ended_at'),
  startedOn: day('started_on'),
  dueOn: day('due_on'),
  yellowOn: day('yellow_on'),
  pausedSince: day('paused_since'),
  pausedDays: integer('paused_days').notNull().default(0),
  officialId: integer('official_id'),
  officialName: text('official_name'),
  light: text('light').$type<Light>(),
});

export const serviceCorrections = pgTable('service_corrections', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  applicationId: big('application_id').notNull(),
  stepId: big('step_id'),
  departmentId: integer('department_id').notNull(),
  materials: text('materials').notNull(),
  requestedBy: integer('requested_by'),
  requestedAt: ts('requested_at').notNull().defaultNow(),
  requestedOn: day('requested_on').notNull(),
  resolvedAt: ts('resolved_at'),
  pausedDays: integer('paused_days'),
});

export const serviceFiles = pgTable('service_files', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  applicationId: big('application_id').notNull(),
  correctionId: big('correction_id'),
  sha256: text('sha256').notNull(),
  name: text('name').notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  uploadedAt: ts('uploaded_at').notNull().defaultNow(),
});

export const serviceEvents = pgTable('service_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  applicationId: big('application_id').notNull(),
  stepId: big('step_id'),
  kind: text('kind').notNull(),
  actorId: integer('actor_id'),
  actorName: text('actor_name').notNull(),
  note: text('note').notNull().default(''),
  at: ts('at').notNull().defaultNow(),
});

export const serviceWarnings = pgTable('service_warnings', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  applicationId: big('application_id').notNull(),
  stepId: big('step_id'),
  level: text('level').$type<'yellow' | 'red'>().notNull(),
  departmentId: integer('department_id').notNull(),
  at: ts('at').notNull().defaultNow(),
  notified: integer('notified').notNull().default(0),
  noticeRef: text('notice_ref'),
});

export const serviceComplaints = pgTable('service_complaints', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  applicationId: big('application_id').notNull(),
  departmentId: integer('department_id').notNull(),
  channel: text('channel').$type<'public' | 'hotline'>().notNull(),
  kind: text('kind').$type<(typeof COMPLAINT_KINDS)[number]>().notNull(),
  content: text('content').notNull(),
  filedAt: ts('filed_at').notNull().defaultNow(),
  decideBy: day('decide_by').notNull(),
  status: text('status').$type<(typeof COMPLAINT_STATUSES)[number]>().notNull().default('pending'),
  decisionNote: text('decision_note'),
  decidedBy: integer('decided_by'),
  decidedAt: ts('decided_at'),
});

export const serviceTrackFailures = pgTable('service_track_failures', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  number: text('number').notNull(),
  ip: text('ip').notNull(),
  at: ts('at').notNull().defaultNow(),
});

export const serviceStats = pgTable(
  'service_stats',
  {
    departmentId: integer('department_id').notNull(),
    month: text('month').notNull(),
    applications: integer('applications').notNull().default(0),
    completed: integer('completed').notNull().default(0),
    early: integer('early').notNull().default(0),
    onTime: integer('on_time').notNull().default(0),
    overdue: integer('overdue').notNull().default(0),
    refused: integer('refused').notNull().default(0),
    daysUsed: integer('days_used').notNull().default(0),
    daysCommitted: integer('days_committed').notNull().default(0),
    corrections: integer('corrections').notNull().default(0),
    complaints: integer('complaints').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.month] })],
);
