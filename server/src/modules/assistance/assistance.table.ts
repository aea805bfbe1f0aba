// Assistance tables; kept in step by hand with migrations/0028_desks.sql.
import { date, integer, numeric, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const ASSISTANCE_KINDS = [
  'relief',
  'wage',
  'legal_aid',
  'disability',
  'women',
  'elderly',
  'housing',
  'medical',
  'other',
] as const;
export type AssistanceKind = (typeof ASSISTANCE_KINDS)[number];
/** 登记 → 分流 (referred) → 签收 → 答复 (answered) → 反馈 (closed, with the requester's satisfaction). */
export const ASSISTANCE_STATUSES = ['registered', 'referred', 'signed', 'answered', 'closed'] as const;
export type AssistanceStatus = (typeof ASSISTANCE_STATUSES)[number];
export const SATISFACTIONS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });
const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });

export const assistanceRequests = pgTable('assistance_requests', {
  id: serial('id').primaryKey(),
  number: text('number').notNull(),
  year: integer('year').notNull(),
  kind: text('kind').$type<AssistanceKind>().notNull(),
  requesterName: text('requester_name').notNull(),
  requesterPhone: text('requester_phone').notNull().default(''),
  requesterAddress: text('requester_address').notNull().default(''),
  people: integer('people').notNull().default(1),
  amountClaimed: money('amount_claimed').notNull().default(0),
  amountRecovered: money('amount_recovered').notNull().default(0),
  description: text('description').notNull(),
  receivedOn: day('received_on').notNull(),
  status: text('status').$type<AssistanceStatus>().notNull().default('registered'),
  unitId: integer('unit_id'),
  referredOn: day('referred_on'),
  dueOn: day('due_on'),
  signedAt: ts('signed_at'),
  answer: text('answer').notNull().default(''),
  answeredOn: day('answered_on'),
  urgeCount: integer('urge_count').notNull().default(0),
  satisfaction: text('satisfaction').$type<Satisfaction>(),
  feedbackNote: text('feedback_note').notNull().default(''),
  closedOn: day('closed_on'),
  createdBy: integer('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const assistanceEvents = pgTable('assistance_events', {
  id: serial('id').primaryKey(),
  requestId: integer('request_id')
    .notNull()
    .references(() => assistanceRequests.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  actorId: integer('actor_id'),
  actorName: text('actor_name').notNull().default(''),
  unitId: integer('unit_id'),
  note: text('note').notNull().default(''),
  at: ts('at').notNull().defaultNow(),
});
