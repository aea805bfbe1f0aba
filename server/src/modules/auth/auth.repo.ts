import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { userRoles, users } from '../users/index.js';
import { loginThrottle, passwordHistory, sessions } from './auth.table.js';

export async function findUserByUsername(db: Db, username: string) {
  const rows = await db.select().from(users).where(eq(users.username, username)).limit(1);
  return rows[0] ?? null;
}

export async function findUserById(db: Db, id: number) {
  const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function rolesOf(db: Db, userId: number): Promise<string[]> {
  const rows = await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId));
  return rows.map((r) => r.role);
}

const rowsOf = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;

/**
 * Counts one sign-in attempt for `key` before its password is checked, in one atomic UPSERT: true
 * when the attempt may go ahead. The count that reaches `max` sets the lock at once, so of a burst of
 * concurrent attempts at most `max` get through. A lock that expired, or a quiet `windowMinutes`,
 * starts the count again.
 */
export async function reserveLoginAttempt(
  db: Db,
  key: string,
  max: number,
  lockMinutes: number,
  windowMinutes: number,
): Promise<boolean> {
  const rows = rowsOf<{ failures: number }>(
    await db.execute(sql`
      INSERT INTO login_throttle AS t (key, failures, locked_until, updated_at)
      VALUES (${key}, 1, CASE WHEN 1 >= ${max}::int THEN now() + make_interval(mins => ${lockMinutes}::int) END, now())
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.locked_until <= now() OR t.updated_at < now() - make_interval(mins => ${windowMinutes}::int) THEN 1 ELSE t.failures + 1 END,
        locked_until = CASE
          WHEN (CASE WHEN t.locked_until <= now() OR t.updated_at < now() - make_interval(mins => ${windowMinutes}::int) THEN 1 ELSE t.failures + 1 END) >= ${max}::int
          THEN now() + make_interval(mins => ${lockMinutes}::int) END,
        updated_at = now()
      WHERE t.locked_until IS NULL OR t.locked_until <= now()
      RETURNING t.failures`),
  );
  return rows.length > 0;
}

/** Gives back the attempt counted for `key` (a successful sign-in); `clear` forgets the key (the username's count). */
export async function releaseLoginAttempt(db: Db, key: string, clear: boolean): Promise<void> {
  if (clear) await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
  else
    await db.execute(
      sql`UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = ${key} AND locked_until IS NULL`,
    );
}

/** Usernames among `names` whose sign-in is locked now. */
export async function lockedUsernames(db: Db, names: string[]): Promise<Set<string>> {
  if (!names.length) return new Set();
  const rows = await db
    .select({ key: loginThrottle.key })
    .from(loginThrottle)
    .where(
      and(
        inArray(
          loginThrottle.key,
          names.map((n) => `u:${n}`),
        ),
        gt(loginThrottle.lockedUntil, new Date()),
      ),
    );
  return new Set(rows.map((r) => r.key.slice(2)));
}

/** Clears a username's failed sign-ins (admin reset unlocks the account). */
export async function unlockUsername(db: Db, username: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, `u:${username}`));
}

/** Drops throttle rows nobody has touched for a day. */
export async function pruneLoginThrottle(db: Db): Promise<void> {
  await db.execute(
    sql`DELETE FROM login_throttle WHERE updated_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())`,
  );
}

/** The user's last `n` password hashes, newest first. */
export async function recentPasswordHashes(db: Db, userId: number, n: number): Promise<string[]> {
  if (n <= 0) return [];
  const rows = await db
    .select({ h: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, userId))
    .orderBy(sql`${passwordHistory.id} DESC`)
    .limit(n);
  return rows.map((r) => r.h);
}

/** Records a password hash in the user's history, keeping the newest `keep`. */
export async function addPasswordHistory(db: Db, userId: number, hash: string, keep: number): Promise<void> {
  await db.insert(passwordHistory).values({ userId, passwordHash: hash });
  await db.execute(sql`
    DELETE FROM password_history WHERE user_id = ${userId} AND id NOT IN (
      SELECT id FROM password_history WHERE user_id = ${userId} ORDER BY id DESC LIMIT ${Math.max(keep, 1)})`);
}

/** Marks that the session was used now (idle timeout). */
export async function touchSession(db: Db, id: string): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, id));
}

export async function setPasswordHash(db: Db, userId: number, hash: string) {
  await db
    .update(users)
    .set({
      passwordHash: hash,
      passwordChangedAt: new Date(),
      failedLogins: 0,
      lockedUntil: null,
      mustChangePassword: false,
    })
    .where(eq(users.id, userId));
}

export async function insertSession(db: Db, s: typeof sessions.$inferInsert) {
  await db.insert(sessions).values(s);
}

/**
 * The live sessions among `ids`, each with its user and the user's roles, keyed by session id; expired
 * and unknown ids are absent. One query for many ids: it runs for every request (see resolveSession).
 */
export async function findLiveSessions(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return db
    .select({
      session: sessions,
      user: users,
      roles: sql<
        string[]
      >`coalesce((SELECT array_agg(r.role) FROM user_roles r WHERE r.user_id = ${users.id}), ARRAY[]::text[])`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(inArray(sessions.id, ids), gt(sessions.expiresAt, new Date())));
}

export async function deleteSession(db: Db, id: string) {
  await db.delete(sessions).where(eq(sessions.id, id));
}

export async function deleteSessionsOfUser(db: Db, userId: number, exceptId?: string) {
  const cond = exceptId
    ? and(eq(sessions.userId, userId), sql`${sessions.id} <> ${exceptId}`)
    : eq(sessions.userId, userId);
  await db.delete(sessions).where(cond);
}

export async function deleteExpiredSessions(db: Db) {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
