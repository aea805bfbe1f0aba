// The SMS outbox, shared by every module that texts someone; kept in sync by hand with migrations/0006_cases.sql,
// 0012_sms_reminders.sql and 0013_jobs.sql (templates: 0021_evaluation.sql).
import { bigserial, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const SMS_TEMPLATES = [
  'acceptance',
  'completion',
  'feedback_request',
  'reporting_reminder',
  'supervision_reminder',
  'rating_invite',
  'rating_reminder',
  'evaluation_invitation',
  'evaluation_reminder',
  'services_warning',
  'assistance_staff',
  'assistance_referred',
] as const;
export type SmsTemplate = (typeof SMS_TEMPLATES)[number];
/** `unknown`: the gateway may or may not have taken the message (timeout or connection lost after sending); not retried by itself. */
export const SMS_STATUSES = ['pending', 'sending', 'sent', 'failed', 'unknown'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const smsOutbox = pgTable('sms_outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: integer('case_id'),
  phone: text('phone').notNull(),
  template: text('template').$type<SmsTemplate>().notNull(),
  params: jsonb('params').$type<Record<string, string | number>>().notNull().default({}),
  body: text('body').notNull(),
  status: text('status').$type<SmsStatus>().notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
  claimedUntil: ts('claimed_until'),
  createdAt: ts('created_at').notNull().defaultNow(),
  sentAt: ts('sent_at'),
});
