// Mediation tables; kept in step by hand with migrations/0028_desks.sql.
import { date, integer, numeric, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const DISPUTE_TYPES = [
  'labour',
  'neighbour',
  'consumer',
  'property',
  'family',
  'traffic',
  'contract',
  'land',
  'other',
] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];
/** open → one of the outcomes: agreement reached, failed, referred to arbitration or to court. */
export const MEDIATION_STATUSES = ['open', 'agreed', 'failed', 'arbitration', 'court'] as const;
export type MediationStatus = (typeof MEDIATION_STATUSES)[number];
export const OUTCOMES = ['agreed', 'failed', 'arbitration', 'court'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const PARTY_SIDES = ['applicant', 'respondent'] as const;

const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });
const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });

export const mediationCases = pgTable('mediation_cases', {
  id: serial('id').primaryKey(),
  number: text('number').notNull(),
  year: integer('year').notNull(),
  disputeType: text('dispute_type').$type<DisputeType>().notNull(),
  title: text('title').notNull(),
  facts: text('facts').notNull().default(''),
  hostUnitId: integer('host_unit_id').notNull(),
  receivedOn: day('received_on').notNull(),
  status: text('status').$type<MediationStatus>().notNull().default('open'),
  outcomeOn: day('outcome_on'),
  outcomeNote: text('outcome_note').notNull().default(''),
  agreement: text('agreement').notNull().default(''),
  performance: text('performance').notNull().default(''),
  people: integer('people').notNull().default(1),
  amountClaimed: money('amount_claimed').notNull().default(0),
  amountRecovered: money('amount_recovered').notNull().default(0),
  createdBy: integer('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const mediationParties = pgTable('mediation_parties', {
  id: serial('id').primaryKey(),
  caseId: integer('case_id')
    .notNull()
    .references(() => mediationCases.id, { onDelete: 'cascade' }),
  side: text('side').$type<(typeof PARTY_SIDES)[number]>().notNull(),
  name: text('name').notNull(),
  contact: text('contact').notNull().default(''),
  address: text('address').notNull().default(''),
});

export const mediationMediators = pgTable(
  'mediation_mediators',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => mediationCases.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull(),
  },
  (t) => [primaryKey({ name: 'mediation_mediators_pk', columns: [t.caseId, t.userId] })],
);

export const mediationUnits = pgTable(
  'mediation_units',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => mediationCases.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id').notNull(),
  },
  (t) => [primaryKey({ name: 'mediation_units_pk', columns: [t.caseId, t.unitId] })],
);

export const mediationSessions = pgTable('mediation_sessions', {
  id: serial('id').primaryKey(),
  caseId: integer('case_id')
    .notNull()
    .references(() => mediationCases.id, { onDelete: 'cascade' }),
  heldOn: day('held_on').notNull(),
  place: text('place').notNull(),
  note: text('note').notNull(),
  recordedBy: integer('recorded_by'),
  recordedByName: text('recorded_by_name').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
});
