// Supervision tables; kept in step by hand with migrations/0020_supervision.sql.
import { date, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { storedFileColumns } from '../../db/columns.js';

export const TASK_SOURCES = [
  'work_report',
  'executive_meeting',
  'instruction',
  'higher_level',
  'npc_proposal',
  'cppcc_proposal',
  'investment',
  'annual_target',
  'lagging_indicator',
] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];
export const TASK_STATUSES = [
  'proposed',
  'declined',
  'merged',
  'assigned',
  'signed',
  'plan_submitted',
  'in_progress',
  'completion_applied',
  'completed',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const CADENCES = ['daily', 'weekly', 'monthly'] as const;
export type Cadence = (typeof CADENCES)[number];
export const PRIORITIES = ['normal', 'high', 'urgent'] as const;
export const COMPLETIONS = ['on_time', 'overdue', 'not_done'] as const;
export type Completion = (typeof COMPLETIONS)[number];
export const QUALITIES = ['excellent', 'good', 'fair', 'poor'] as const;
export type Quality = (typeof QUALITIES)[number];
export const INSTRUCTION_TARGETS = ['case', 'indicator', 'free'] as const;

const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });

export const supervisionInstructions = pgTable('supervision_instructions', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull(),
  targetKind: text('target_kind').$type<(typeof INSTRUCTION_TARGETS)[number]>().notNull(),
  targetRef: text('target_ref'),
  unitId: integer('unit_id'),
  content: text('content').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const supervisionTasks = pgTable('supervision_tasks', {
  id: serial('id').primaryKey(),
  year: integer('year').notNull(),
  source: text('source').$type<TaskSource>().notNull(),
  title: text('title').notNull(),
  content: text('content').notNull().default(''),
  standard: text('standard').notNull().default(''),
  leaderId: integer('leader_id'),
  leadUnitId: integer('lead_unit_id'),
  leadContact: text('lead_contact').notNull().default(''),
  parentId: integer('parent_id'),
  instructionId: integer('instruction_id').references(() => supervisionInstructions.id),
  mergedIntoId: integer('merged_into_id'),
  startDate: day('start_date').notNull(),
  deadline: day('deadline').notNull(),
  cadence: text('cadence').$type<Cadence>().notNull().default('monthly'),
  priority: text('priority').$type<(typeof PRIORITIES)[number]>().notNull().default('normal'),
  status: text('status').$type<TaskStatus>().notNull(),
  progress: integer('progress').notNull().default(0),
  lastReportOn: day('last_report_on'),
  appliedOn: day('applied_on'),
  completion: text('completion').$type<Completion>(),
  quality: text('quality').$type<Quality>(),
  reviewedAt: ts('reviewed_at'),
  plan: text('plan').notNull().default(''),
  planApprovedOn: day('plan_approved_on'),
  light: text('light').$type<'green' | 'yellow' | 'red'>(),
  lightReasons: jsonb('light_reasons').$type<string[]>().notNull().default([]),
  lightOn: day('light_on'),
  remindedOn: day('reminded_on'),
  createdBy: integer('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const supervisionCoUnits = pgTable(
  'supervision_co_units',
  {
    taskId: integer('task_id')
      .notNull()
      .references(() => supervisionTasks.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id').notNull(),
    contact: text('contact').notNull().default(''),
  },
  (t) => [primaryKey({ name: 'supervision_co_units_pk', columns: [t.taskId, t.unitId] })],
);

export const supervisionMilestones = pgTable('supervision_milestones', {
  id: serial('id').primaryKey(),
  taskId: integer('task_id')
    .notNull()
    .references(() => supervisionTasks.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  dueOn: day('due_on').notNull(),
  doneOn: day('done_on'),
});

export const supervisionFiles = pgTable('supervision_files', {
  ...storedFileColumns(),
  taskId: integer('task_id')
    .notNull()
    .references(() => supervisionTasks.id),
});

export const supervisionEvents = pgTable('supervision_events', {
  id: serial('id').primaryKey(),
  taskId: integer('task_id')
    .notNull()
    .references(() => supervisionTasks.id),
  kind: text('kind').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  actorId: integer('actor_id'),
  actorName: text('actor_name').notNull(),
  unitId: integer('unit_id'),
  note: text('note').notNull().default(''),
  progress: integer('progress'),
  fileIds: jsonb('file_ids').$type<number[]>().notNull().default([]),
  at: ts('at').notNull().defaultNow(),
});
