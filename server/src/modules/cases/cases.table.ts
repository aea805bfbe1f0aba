// Tables of the public service platform; kept in sync by hand with migrations/0006_cases.sql.
import {
  bigserial,
  boolean,
  date,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { CaseStatus, DispatchStatus } from './cases.machine.js';
import type {
  CaseType,
  Channel,
  EscalationStatus,
  EventActorRole,
  Publication,
  CaseMarkKind,
  UrbanClass,
  Rating,
} from '../../../../common/cases.js';

export {
  CASE_TYPES,
  CHANNELS,
  ESCALATION_STATUSES,
  EVENT_ACTOR_ROLES,
  PUBLICATIONS,
  RATINGS,
} from '../../../../common/cases.js';
export type { CaseType, Channel, EscalationStatus, EventActorRole, Publication, Rating };

export const DISPATCH_ROLES = ['lead', 'assist'] as const;
export type DispatchRole = (typeof DISPATCH_ROLES)[number];
export const ROUTING_KINDS = ['keyword', 'address'] as const;
export type RoutingKind = (typeof ROUTING_KINDS)[number];
export const ATTACHMENT_KINDS = ['intake', 'report', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const caseCategories = pgTable('case_categories', {
  id: serial('id').primaryKey(),
  parentId: integer('parent_id'),
  code: text('code').notNull(),
  name: text('name').notNull(),
  defaultUnitId: integer('default_unit_id'),
  timeLimitDays: integer('time_limit_days').notNull().default(10),
  signHours: integer('sign_hours').notNull().default(4),
  open311Code: text('open311_code'),
  description: text('description').notNull().default(''),
  active: boolean('active').notNull().default(true),
  sort: integer('sort').notNull().default(0),
  publication: text('publication').$type<Publication>().notNull().default('public'), // 0014
  createdAt: ts('created_at').notNull().defaultNow(),
  urbanClass: text('urban_class').$type<UrbanClass>(), // 0027: 部件 / 事件
  urbanCode: text('urban_code'), // 0027: code in the digital urban-management standard
});

export const routingRules = pgTable('routing_rules', {
  id: serial('id').primaryKey(),
  kind: text('kind').$type<RoutingKind>().notNull(),
  pattern: text('pattern').notNull(),
  categoryId: integer('category_id'),
  unitId: integer('unit_id').notNull(),
  priority: integer('priority').notNull().default(0),
  note: text('note').notNull().default(''),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const caseNumberCounters = pgTable('case_number_counters', {
  day: date('day', { mode: 'string' }).primaryKey(),
  last: integer('last').notNull(),
});

export const caseSettings = pgTable('case_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});

export const cases = pgTable('cases', {
  id: serial('id').primaryKey(),
  number: text('number').notNull(),
  passwordHash: text('password_hash').notNull(),
  channel: text('channel').$type<Channel>().notNull(),
  type: text('type').$type<CaseType>().notNull(),
  categoryId: integer('category_id').notNull(),
  status: text('status').$type<CaseStatus>().notNull(),
  requesterName: text('requester_name').notNull().default(''),
  requesterPhone: text('requester_phone').notNull().default(''),
  requesterEnterprise: boolean('requester_enterprise').notNull().default(false),
  enterpriseName: text('enterprise_name').notNull().default(''),
  anonymous: boolean('anonymous').notNull().default(false),
  description: text('description').notNull(),
  address: text('address').notNull().default(''),
  addressNorm: text('address_norm').notNull().default(''),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  externalRef: text('external_ref'),
  sourceIp: text('source_ip'),
  createdBy: integer('created_by'),
  leadUnitId: integer('lead_unit_id'),
  timeLimitDays: integer('time_limit_days'),
  dispatchedAt: ts('dispatched_at'),
  signDue: ts('sign_due'),
  signedAt: ts('signed_at'),
  deadline: ts('deadline'),
  dueSoonAt: ts('due_soon_at'),
  reportedAt: ts('reported_at'),
  verifiedAt: ts('verified_at'),
  closedAt: ts('closed_at'),
  result: text('result').notNull().default(''),
  rejectReason: text('reject_reason').notNull().default(''),
  feedbackRating: text('feedback_rating').$type<Rating>(),
  feedbackComment: text('feedback_comment').notNull().default(''),
  feedbackBy: text('feedback_by').$type<'agent' | 'citizen'>(),
  feedbackAt: ts('feedback_at'),
  reviewResult: text('review_result').$type<'qualified' | 'unqualified'>(),
  redoCount: integer('redo_count').notNull().default(0),
  extensionCount: integer('extension_count').notNull().default(0),
  returnCount: integer('return_count').notNull().default(0),
  escalated: boolean('escalated').notNull().default(false),
  mainCaseId: integer('main_case_id'),
  confidential: boolean('confidential').notNull().default(false), // 0014
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  foundByUnitId: integer('found_by_unit_id'), // 0027: 主动发现 — whose grid workers found it
});

export const caseDispatches = pgTable('case_dispatches', {
  id: serial('id').primaryKey(),
  caseId: integer('case_id').notNull(),
  unitId: integer('unit_id').notNull(),
  role: text('role').$type<DispatchRole>().notNull(),
  round: integer('round').notNull().default(1),
  kind: text('kind').$type<'dispatch' | 'redo'>().notNull().default('dispatch'),
  status: text('status').$type<DispatchStatus>().notNull().default('pending'),
  timeLimitDays: integer('time_limit_days').notNull(),
  dispatchedAt: ts('dispatched_at').notNull().defaultNow(),
  dispatchedBy: integer('dispatched_by'),
  signDue: ts('sign_due').notNull(),
  signedAt: ts('signed_at'),
  signedBy: integer('signed_by'),
  startedAt: ts('started_at'),
  deadline: ts('deadline').notNull(),
  dueSoonAt: ts('due_soon_at').notNull(),
  reportedAt: ts('reported_at'),
  reportedBy: integer('reported_by'),
  result: text('result').notNull().default(''),
  extensionCount: integer('extension_count').notNull().default(0),
  extensionDays: integer('extension_days').notNull().default(0),
  extRequestedDays: integer('ext_requested_days'),
  extReason: text('ext_reason'),
  extRequestedAt: ts('ext_requested_at'),
  returned: boolean('returned').notNull().default(false),
  returnedAt: ts('returned_at'),
  returnReason: text('return_reason').notNull().default(''),
  endedAt: ts('ended_at'),
});

export const caseEvents = pgTable('case_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: integer('case_id').notNull(),
  type: text('type').notNull(),
  fromStatus: text('from_status').$type<CaseStatus>(),
  toStatus: text('to_status').$type<CaseStatus>(),
  actorId: integer('actor_id'),
  actorName: text('actor_name').notNull(),
  actorRole: text('actor_role').$type<EventActorRole>().notNull(),
  unitId: integer('unit_id'),
  dispatchId: integer('dispatch_id'),
  at: ts('at').notNull().defaultNow(),
  note: text('note').notNull().default(''),
  isPublic: boolean('is_public').notNull().default(false),
  publicText: text('public_text').notNull().default(''),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
});

export const caseEscalations = pgTable('case_escalations', {
  id: serial('id').primaryKey(),
  caseId: integer('case_id').notNull(),
  status: text('status').$type<EscalationStatus>().notNull().default('pending'),
  reason: text('reason').notNull(),
  requestedBy: integer('requested_by'),
  requestedByName: text('requested_by_name').notNull().default(''),
  requestedAt: ts('requested_at').notNull().defaultNow(),
  decidedBy: integer('decided_by'),
  decidedByName: text('decided_by_name').notNull().default(''),
  decidedAt: ts('decided_at'),
  decisionNote: text('decision_note').notNull().default(''),
  followCount: integer('follow_count').notNull().default(0),
  lastFollowAt: ts('last_follow_at'),
  lastFollowNote: text('last_follow_note').notNull().default(''),
  endedAt: ts('ended_at'),
});

export const caseAttachments = pgTable('case_attachments', {
  id: serial('id').primaryKey(),
  caseId: integer('case_id').notNull(),
  dispatchId: integer('dispatch_id'),
  kind: text('kind').$type<AttachmentKind>().notNull(),
  filename: text('filename').notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  uploadedBy: integer('uploaded_by'),
  uploadedByName: text('uploaded_by_name').notNull(),
  unitId: integer('unit_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const caseNotices = pgTable('case_notices', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: integer('case_id').notNull(),
  unitId: integer('unit_id').notNull(),
  kind: text('kind').notNull(),
  text: text('text').notNull(),
  actorName: text('actor_name').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  readAt: ts('read_at'),
  readBy: integer('read_by'),
});

export const caseTrackFailures = pgTable('case_track_failures', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  number: text('number').notNull(),
  ip: text('ip').notNull(),
  at: ts('at').notNull().defaultNow(),
});

/** 误签 / 误结 recorded by the supervision centre, and citizens' complaints about a reply (migration 0027). */
export const caseMarks = pgTable('case_marks', {
  id: serial('id').primaryKey(),
  caseId: integer('case_id').notNull(),
  unitId: integer('unit_id').notNull(),
  kind: text('kind').$type<CaseMarkKind>().notNull(),
  note: text('note').notNull().default(''),
  recordedBy: integer('recorded_by'),
  recordedByName: text('recorded_by_name').notNull(),
  recordedAt: ts('recorded_at').notNull().defaultNow(),
});
