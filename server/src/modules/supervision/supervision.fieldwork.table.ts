// Field checks and reconciliation rounds of the supervision module; kept in step by hand with
// migrations/0036_supervision_checks_rounds.sql.
import { boolean, date, integer, jsonb, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { supervisionFiles, supervisionTasks } from './supervision.table.js';

/** 听 / 问 / 看 / 查 / 访. */
export const CHECK_METHODS = ['listen', 'ask', 'look', 'inspect', 'visit'] as const;
export type CheckMethod = (typeof CHECK_METHODS)[number];
/** 明察 / 暗访. */
export const CHECK_MODES = ['open', 'covert'] as const;
export type CheckMode = (typeof CHECK_MODES)[number];
/** A rectification point: awaiting the unit's answer, answered (awaiting the office), accepted, returned (to answer again). */
export const POINT_STATUSES = ['open', 'answered', 'accepted', 'returned'] as const;
export type PointStatus = (typeof POINT_STATUSES)[number];
export const POINT_EVENT_KINDS = ['answer', 'accept', 'return'] as const;

/** 季度对账 / 年中查账 / 年底收账. */
export const RECON_KINDS = ['quarterly', 'midyear', 'yearend'] as const;
export type ReconKind = (typeof RECON_KINDS)[number];
export const RECON_STATUSES = ['open', 'closed'] as const;
/** A round row: not yet answered, confirmed as snapshotted, or a difference stated by the unit. */
export const RECON_ROW_STATES = ['pending', 'confirmed', 'differs'] as const;
export type ReconRowState = (typeof RECON_ROW_STATES)[number];
/** The stage a unit claims for a task (未启动 / 推进中 / 已完成 / 受阻). */
export const RECON_CLAIMS = ['not_started', 'in_progress', 'completed', 'blocked'] as const;
export type ReconClaim = (typeof RECON_CLAIMS)[number];
export const RECON_RESOLUTIONS = ['accepted', 'kept'] as const;
export type ReconResolution = (typeof RECON_RESOLUTIONS)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });

export const supervisionChecks = pgTable(
  'supervision_checks',
  {
    id: serial('id').primaryKey(),
    taskId: integer('task_id')
      .notNull()
      .references(() => supervisionTasks.id),
    seq: integer('seq').notNull(),
    checkedOn: day('checked_on').notNull(),
    people: text('people').notNull(),
    methods: jsonb('methods').$type<CheckMethod[]>().notNull().default([]),
    mode: text('mode').$type<CheckMode>().notNull(),
    findings: text('findings').notNull(),
    photoIds: jsonb('photo_ids').$type<number[]>().notNull().default([]),
    createdBy: integer('created_by'),
    createdByName: text('created_by_name').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [unique('supervision_checks_seq_uq').on(t.taskId, t.seq)],
);

export const supervisionCheckPoints = pgTable(
  'supervision_check_points',
  {
    id: serial('id').primaryKey(),
    checkId: integer('check_id')
      .notNull()
      .references(() => supervisionChecks.id),
    taskId: integer('task_id')
      .notNull()
      .references(() => supervisionTasks.id),
    seq: integer('seq').notNull(),
    requirement: text('requirement').notNull(),
    dueOn: day('due_on'),
    status: text('status').$type<PointStatus>().notNull().default('open'),
    answer: text('answer').notNull().default(''),
    answerFileId: integer('answer_file_id').references(() => supervisionFiles.id),
    answeredAt: ts('answered_at'),
    returnReason: text('return_reason').notNull().default(''),
    decidedAt: ts('decided_at'),
  },
  (t) => [unique('supervision_check_points_seq_uq').on(t.checkId, t.seq)],
);

export const supervisionPointEvents = pgTable('supervision_point_events', {
  id: serial('id').primaryKey(),
  pointId: integer('point_id')
    .notNull()
    .references(() => supervisionCheckPoints.id),
  kind: text('kind').$type<(typeof POINT_EVENT_KINDS)[number]>().notNull(),
  note: text('note').notNull().default(''),
  fileId: integer('file_id').references(() => supervisionFiles.id),
  actorId: integer('actor_id'),
  actorName: text('actor_name').notNull(),
  unitId: integer('unit_id'),
  at: ts('at').notNull().defaultNow(),
});

export const supervisionRounds = pgTable('supervision_rounds', {
  id: serial('id').primaryKey(),
  year: integer('year').notNull(),
  kind: text('kind').$type<ReconKind>().notNull(),
  title: text('title').notNull(),
  asOf: day('as_of').notNull(),
  status: text('status').$type<(typeof RECON_STATUSES)[number]>().notNull().default('open'),
  openedBy: integer('opened_by'),
  openedByName: text('opened_by_name').notNull().default(''),
  openedAt: ts('opened_at').notNull().defaultNow(),
  closedBy: integer('closed_by'),
  closedByName: text('closed_by_name'),
  closedAt: ts('closed_at'),
  closeNote: text('close_note').notNull().default(''),
  record: jsonb('record').$type<Record<string, number>>(),
});

export const supervisionRoundRows = pgTable(
  'supervision_round_rows',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => supervisionRounds.id),
    taskId: integer('task_id')
      .notNull()
      .references(() => supervisionTasks.id),
    unitId: integer('unit_id').notNull(),
    title: text('title').notNull(),
    snapStatus: text('snap_status').notNull(),
    snapProgress: integer('snap_progress').notNull(),
    snapLight: text('snap_light'),
    snapDeadline: day('snap_deadline').notNull(),
    state: text('state').$type<ReconRowState>().notNull().default('pending'),
    claimedStatus: text('claimed_status').$type<ReconClaim>(),
    claimedProgress: integer('claimed_progress'),
    note: text('note').notNull().default(''),
    confirmedBy: integer('confirmed_by'),
    confirmedByName: text('confirmed_by_name'),
    confirmedAt: ts('confirmed_at'),
    resolution: text('resolution').$type<ReconResolution>(),
    resolutionReason: text('resolution_reason').notNull().default(''),
    progressApplied: boolean('progress_applied').notNull().default(false),
    resolvedBy: integer('resolved_by'),
    resolvedByName: text('resolved_by_name'),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [unique('supervision_round_rows_task_uq').on(t.roundId, t.taskId)],
);
