// Tables of the Open311 GeoReport v2 interface; kept in sync by hand with migrations/0007_casestats_open311.sql and 0014_open311_privacy.sql.
import { boolean, date, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** The case channel of the requests a key files: ordinary Open311 clients, or the city platform (市级平台转办). */
export const KEY_CHANNELS = ['open311', 'city_transfer'] as const;
export type KeyChannel = (typeof KEY_CHANNELS)[number];

export const open311ApiKeys = pgTable('open311_api_keys', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull(),
  keyHint: text('key_hint').notNull(),
  channel: text('channel').$type<KeyChannel>().notNull().default('open311'),
  active: boolean('active').notNull().default(true),
  note: text('note').notNull().default(''),
  createdBy: integer('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastUsedAt: ts('last_used_at'),
  requestCount: integer('request_count').notNull().default(0),
  postsPerHour: integer('posts_per_hour').notNull().default(600),
});

export const open311Requests = pgTable('open311_requests', {
  caseId: integer('case_id').primaryKey(),
  apiKeyId: integer('api_key_id').notNull(),
  email: text('email').notNull().default(''),
  deviceId: text('device_id').notNull().default(''),
  accountId: text('account_id').notNull().default(''),
  addressId: text('address_id').notNull().default(''),
  mediaUrl: text('media_url').notNull().default(''),
  attributes: jsonb('attributes').$type<Record<string, string | string[]>>().notNull().default({}),
  createdAt: ts('created_at').notNull().defaultNow(),
  phoneAsSent: text('phone_as_sent').notNull().default(''),
  mediaUrls: jsonb('media_urls').$type<string[]>().notNull().default([]),
  flags: jsonb('flags').$type<string[]>().notNull().default([]),
});

/** References that make a POST idempotent (see 0014): claimed first, answered once written. */
export const open311ClientRefs = pgTable(
  'open311_client_refs',
  {
    apiKeyId: integer('api_key_id').notNull(),
    ref: text('ref').notNull(),
    claim: text('claim').notNull(),
    answer: text('answer'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'open311_client_refs_pk', columns: [t.apiKeyId, t.ref] })],
);

export const open311KeyUsage = pgTable(
  'open311_key_usage',
  {
    apiKeyId: integer('api_key_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    posts: integer('posts').notNull().default(0),
    reads: integer('reads').notNull().default(0),
    refused: integer('refused').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'open311_key_usage_pk', columns: [t.apiKeyId, t.day] })],
);
