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
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { verifyPassword } from '../../lib/passwords.js';
import { settingOrInit } from '../settings/index.js';

export const PEPPER_SETTING_KEY = 'cases.password_pepper';
const PREFIX = 'hmac-sha256$';
/** 32 random bytes in base64. */
const ZPepper = z.string().min(32);

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
  return PREFIX + mac(pepper, number, password).toString('base64url');
}

/**
 * Checks a query password against the stored form, in constant time for HMAC hashes; argon2
 * hashes of older rows are checked with argon2. False for anything malformed.
 */
export async function verifyQueryPassword(pepper: Buffer, number: string, stored: string, password: string): Promise<boolean> {
  if (stored.startsWith('$argon2')) return verifyPassword(stored, password);
  const expected = mac(pepper, number, password);
  const given = stored.startsWith(PREFIX) ? Buffer.from(stored.slice(PREFIX.length), 'base64url') : Buffer.alloc(0);
  // Compare equal-length buffers so a malformed value costs the same as a wrong one.
  const same = timingSafeEqual(given.length === expected.length ? given : Buffer.alloc(expected.length), expected);
  return same && given.length === expected.length;
}
