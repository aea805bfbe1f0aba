import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Actor, AuthUser } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import { coalesce } from '../../lib/groupcommit.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../lib/passwords.js';
import { recordAudit } from '../audit/index.js';
import { permissionsOf, ROLES, type Role } from '../../platform/access.js';
import * as repo from './auth.repo.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

let dummy: Promise<string> | null = null;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword('no-such-user-0');
  return dummy;
}

/** The session id stored in the database: an HMAC of the cookie token, so a database read cannot forge a cookie. */
export function sessionIdOf(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token).digest('hex');
}

function toRoles(raw: string[]): Role[] {
  return raw.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
}

/** Checks the password, applies the lockout rule and opens a session. */
export async function login(
  db: Db,
  input: { username: string; password: string; ip: string | null },
  opts: { secret: string; ttlHours: number },
): Promise<{ token: string; user: AuthUser; csrfToken: string }> {
  const user = await repo.findUserByUsername(db, input.username);
  if (!user) {
    // Same work and same answer as a wrong password, so usernames cannot be probed.
    await verifyPassword(await dummyHash(), input.password);
    throw new AppError('BAD_CREDENTIALS');
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) throw new AppError('ACCOUNT_LOCKED');
  const ok = await verifyPassword(user.passwordHash, input.password);
  const actor: Actor = { id: user.id, name: user.username, ip: input.ip };
  if (!ok) {
    await db.transaction(async (tx) => {
      await repo.recordFailedLogin(tx, user.id, MAX_FAILED_LOGINS, LOCK_MINUTES);
      await recordAudit(tx, actor, { action: 'auth.login_failed', entityType: 'user', entityId: user.id, unitId: user.unitId });
    });
    throw new AppError('BAD_CREDENTIALS');
  }
  if (!user.active) throw new AppError('ACCOUNT_INACTIVE');
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const roles = toRoles(await repo.rolesOf(db, user.id));
  await db.transaction(async (tx) => {
    await repo.resetFailedLogins(tx, user.id);
    await repo.insertSession(tx, {
      id: sessionIdOf(token, opts.secret),
      userId: user.id,
      csrfToken,
      ip: input.ip,
      expiresAt: new Date(Date.now() + opts.ttlHours * 3600_000),
    });
    await recordAudit(tx, actor, { action: 'auth.login', entityType: 'user', entityId: user.id, unitId: user.unitId });
  });
  return {
    token,
    csrfToken,
    user: { id: user.id, username: user.username, displayName: user.displayName, unitId: user.unitId, roles, permissions: permissionsOf(roles) },
  };
}

type LiveSession = Awaited<ReturnType<typeof repo.findLiveSessions>>[number];
/** Session lookups per database handle, coalesced: concurrent requests share one query (lib/groupcommit). */
const sessionLoaders = new WeakMap<object, (id: string) => Promise<LiveSession | null>>();

function loadSession(db: Db, id: string): Promise<LiveSession | null> {
  let load = sessionLoaders.get(db);
  if (!load) {
    load = coalesce(async (ids: string[]) => new Map((await repo.findLiveSessions(db, ids)).map((r) => [r.session.id, r])));
    sessionLoaders.set(db, load);
  }
  return load(id);
}

/**
 * Resolves a cookie token to its user and CSRF token, or null. Runs on every request: lookups made
 * at the same moment go to the database together, but each is read after it was asked for (never from
 * a cache), so a logout or a deactivation counts from the next request on, on every instance.
 */
export async function resolveSession(db: Db, token: string, secret: string): Promise<{ user: AuthUser; csrfToken: string; sessionId: string } | null> {
  const sessionId = sessionIdOf(token, secret);
  const found = await loadSession(db, sessionId);
  if (!found || !found.user.active) return null;
  const roles = toRoles(found.roles);
  const u = found.user;
  return {
    sessionId,
    csrfToken: found.session.csrfToken,
    user: { id: u.id, username: u.username, displayName: u.displayName, unitId: u.unitId, roles, permissions: permissionsOf(roles) },
  };
}

export async function logout(db: Db, actor: Actor, sessionId: string, userId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await repo.deleteSession(tx, sessionId);
    await recordAudit(tx, actor, { action: 'auth.logout', entityType: 'user', entityId: userId });
  });
}

/** Changes the user's own password after checking the current one; ends their other sessions. */
export async function changePassword(
  db: Db,
  actor: Actor,
  input: { userId: number; sessionId: string; currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await repo.findUserById(db, input.userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('VALIDATION', { field: 'currentPassword', zh: '当前密码不正确', en: 'The current password is wrong' });
  }
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new AppError('VALIDATION', { field: 'newPassword', ...problem });
  const hash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await repo.setPasswordHash(tx, user.id, hash);
    await repo.deleteSessionsOfUser(tx, user.id, input.sessionId);
    await recordAudit(tx, actor, { action: 'auth.password_changed', entityType: 'user', entityId: user.id, unitId: user.unitId });
  });
}
