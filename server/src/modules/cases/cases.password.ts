/**
 * Query passwords of cases: 6 random digits the citizen gets once (SMS / screen) to track the case.
 *
 * Stored as HMAC-SHA256(pepper, number + ':' + password), prefixed `hmac-sha256$`. The pepper is a
 * random server-side key kept in app_settings ('cases.password_pepper'): created once by whichever
 * instance needs it first (INSERT … ON CONFLICT DO NOTHING, then re-read, so all instances end up
 * with the same value) and cached in memory after the first read — it never changes, so the cache
 * cannot go stale. A slow hash would add nothing here: 6 digits are 10^6 guesses whatever the hash
 * costs. What stops guessing is the database-backed lockout on tracking (TRACK_LIMITS in
 * cases.public.ts: a few failures per number and per address lock both out, across instances),
 * and the pepper keeps a leaked table from being brute-forced offline without the settings row.
 *
 * Older rows hold argon2id hashes (they start with '$argon2'); they still verify.
 *
 * Since issue 12 the pepper in the database is not enough: every hash is wrapped with a second key kept
 * outside the database (QUERY_PEPPER / QUERY_PEPPER_FILE / DATA_DIR/query-pepper, set with
 * setQueryPepper at start-up): `hmac2$` + HMAC(outer, HMAC(pepper, number:password)). A copy of the
 * database alone no longer allows the 10^6 guesses offline. Rows of the earlier form (`hmac-sha256$`)
 * are wrapped in place at start-up (upgradeQueryPasswordHashes: the inner HMAC is what they store, so
 * no password is needed) and still verify until then.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { verifyPassword } from '../../lib/passwords.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { settingOrInit } from '../settings/index.js';
import * as repo from './cases.repo.js';

export const PEPPER_SETTING_KEY = 'cases.password_pepper';
const PREFIX = 'hmac-sha256$';
const PREFIX2 = 'hmac2$';
/** 32 random bytes in base64. */
const ZPepper = z.string().min(32);

// The outer key, from the configuration (buildApp sets it): never in the database.
let outerPepper: Buffer | null = null;

/** Sets the query-password key kept outside the database (buildApp does, from Config.queryPepper). */
export function setQueryPepper(key: Buffer): void {
  outerPepper = key;
}

function outer(): Buffer {
  if (!outerPepper) throw new Error('query pepper not configured: call setQueryPepper (buildApp does) first');
  return outerPepper;
}

const wrap = (inner: Buffer): Buffer => createHmac('sha256', outer()).update(inner).digest();

/** Pepper per database handle (tests and benchmarks open several databases in one process). */
const peppers = new WeakMap<object, Promise<Buffer>>();

async function readOrCreatePepper(db: Db): Promise<Buffer> {
  const value = await settingOrInit(db, PEPPER_SETTING_KEY, ZPepper, randomBytes(32).toString('base64'));
  return Buffer.from(value, 'base64');
}

/**
 * The shared pepper. Call it with the root database handle, outside any transaction (a pepper
 * created inside a transaction that rolls back must not be cached).
 */
export function passwordPepper(db: Db): Promise<Buffer> {
  let p = peppers.get(db);
  if (!p) {
    // A failed read is not cached: the next call tries again.
    p = readOrCreatePepper(db).catch((e: unknown) => {
      peppers.delete(db);
      throw e;
    });
    peppers.set(db, p);
  }
  return p;
}

function mac(pepper: Buffer, number: string, password: string): Buffer {
  return createHmac('sha256', pepper).update(`${number}:${password}`, 'utf8').digest();
}

/** The stored form of a case's query password. */
export function hashQueryPassword(pepper: Buffer, number: string, password: string): string {
  return PREFIX2 + wrap(mac(pepper, number, password)).toString('base64url');
}

/** The stored form of an `hmac-sha256$` hash wrapped with the outer key (no password needed), or null for another form. */
export function wrapLegacyHash(stored: string): string | null {
  if (!stored.startsWith(PREFIX)) return null;
  return PREFIX2 + wrap(Buffer.from(stored.slice(PREFIX.length), 'base64url')).toString('base64url');
}

/**
 * Checks a query password against the stored form, in constant time for HMAC hashes; argon2
 * hashes of older rows are checked with argon2. False for anything malformed.
 */
export async function verifyQueryPassword(
  pepper: Buffer,
  number: string,
  stored: string,
  password: string,
): Promise<boolean> {
  if (stored.startsWith('$argon2')) return verifyPassword(stored, password);
  const inner = mac(pepper, number, password);
  const wrapped = stored.startsWith(PREFIX2);
  const expected = wrapped ? wrap(inner) : inner;
  const given = wrapped
    ? Buffer.from(stored.slice(PREFIX2.length), 'base64url')
    : stored.startsWith(PREFIX)
      ? Buffer.from(stored.slice(PREFIX.length), 'base64url')
      : Buffer.alloc(0);
  // Compare equal-length buffers so a malformed value costs the same as a wrong one.
  const same = timingSafeEqual(given.length === expected.length ? given : Buffer.alloc(expected.length), expected);
  return same && given.length === expected.length;
}

/**
 * Wraps every stored hash of the earlier form (`hmac-sha256$`, peppered only with the key in the
 * database) with the outer key, in batches, each batch in one audited transaction. Run at start-up; a
 * row changed meanwhile is left for the next run. Returns the number of rows wrapped.
 */
export async function upgradeQueryPasswordHashes(db: Db, batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await repo.legacyQueryHashes(db, batch);
    if (!rows.length) return total;
    const changes = rows.map((r) => ({ id: r.id, old: r.hash, hash: wrapLegacyHash(r.hash)! }));
    const n = await db.transaction(async (tx) => {
      const changed = await repo.replaceQueryHashes(tx, changes);
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: 'case.query_passwords_rewrapped',
        entityType: 'case',
        after: { count: changed, firstId: rows[0].id, lastId: rows[rows.length - 1].id },
      });
      return changed;
    });
    total += n;
    if (n === 0) return total;
  }
}
