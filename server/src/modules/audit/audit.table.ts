import { bigint, bigserial, check, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const auditEntries = pgTable('audit_entries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  actorId: integer('actor_id'),
  actorName: text('actor_name').notNull(),
  ip: text('ip'),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id'),
  unitId: integer('unit_id'),
  before: jsonb('before'),
  after: jsonb('after'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** The audit chain's switch-over to keyed hashes (migration 0016): one row, written once. */
export const auditChainState = pgTable(
  'audit_chain_state',
  {
    id: integer('id').primaryKey(),
    /** The first entry id whose hash is HMAC-SHA256 with the chain key; earlier ones are plain SHA-256. */
    keyedFrom: bigint('keyed_from', { mode: 'number' }).notNull(),
    switchedAt: timestamp('switched_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [check('audit_chain_state_single', sql`${t.id} = 1`)],
);
