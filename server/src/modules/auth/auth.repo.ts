import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { userRoles, users } from '../users/index.js';
import { sessions } from './auth.table.js';

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

export async function recordFailedLogin(db: Db, userId: number, maxFailures: number, lockMinutes: number) {
  await db
    .update(users)
    .set({
      failedLogins: sql`${users.failedLogins} + 1`,
      lockedUntil: sql`CASE WHEN ${users.failedLogins} + 1 >= ${maxFailures} THEN now() + make_interval(mins => ${lockMinutes}) ELSE ${users.lockedUntil} END`,
    })
    .where(eq(users.id, userId));
}

export async function resetFailedLogins(db: Db, userId: number) {
  await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, userId));
}

export async function setPasswordHash(db: Db, userId: number, hash: string) {
  await db.update(users).set({ passwordHash: hash, passwordChangedAt: new Date(), failedLogins: 0, lockedUntil: null }).where(eq(users.id, userId));
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
      roles: sql<string[]>`coalesce((SELECT array_agg(r.role) FROM user_roles r WHERE r.user_id = ${users.id}), ARRAY[]::text[])`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(inArray(sessions.id, ids), gt(sessions.expiresAt, new Date())));
}

export async function deleteSession(db: Db, id: string) {
  await db.delete(sessions).where(eq(sessions.id, id));
}

export async function deleteSessionsOfUser(db: Db, userId: number, exceptId?: string) {
  const cond = exceptId ? and(eq(sessions.userId, userId), sql`${sessions.id} <> ${exceptId}`) : eq(sessions.userId, userId);
  await db.delete(sessions).where(cond);
}

export async function deleteExpiredSessions(db: Db) {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
