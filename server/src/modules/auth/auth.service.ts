import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Actor, AuthUser } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import { coalesce } from '../../lib/groupcommit.js';
import {
  DEFAULT_PASSWORD_RULES,
  hashPassword,
  passwordProblem,
  verifyPassword,
  type PasswordRules,
} from '../../lib/passwords.js';
import { recordAudit } from '../audit/index.js';
import { permissionsOf, ROLES, type Role } from '../../platform/access.js';
import * as repo from './auth.repo.js';

/** Defaults of LOGIN_MAX_FAILURES and LOGIN_LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

/** Sign-in throttling: per username (known or not) and per client IP (config.security). */
export type LoginLimits = { maxFailures: number; lockMinutes: number; ipMaxFailures: number };
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  maxFailures: MAX_FAILED_LOGINS,
  lockMinutes: LOCK_MINUTES,
  ipMaxFailures: 50,
};

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

/**
 * Checks the password, applies the lockout rules and opens a session. Each attempt is counted (per IP,
 * then per username) before the password is checked, atomically, so a burst of concurrent attempts
 * checks at most the limit's passwords. Unknown usernames are counted and locked exactly like known
 * ones and cost one password check too, so neither the answer nor its timing tells whether a user exists.
 */
export async function login(
  db: Db,
  input: { username: string; password: string; ip: string | null },
  opts: { secret: string; ttlHours: number; limits?: LoginLimits },
): Promise<{ token: string; user: AuthUser; csrfToken: string; mustChangePassword: boolean }> {
  const limits = opts.limits ?? DEFAULT_LOGIN_LIMITS;
  const ipKey = input.ip ? `ip:${input.ip}` : null;
  const userKey = `u:${input.username}`;
  if (
    ipKey &&
    !(await repo.reserveLoginAttempt(db, ipKey, limits.ipMaxFailures, limits.lockMinutes, limits.lockMinutes))
  ) {
    throw new AppError('TOO_MANY_REQUESTS');
  }
  if (!(await repo.reserveLoginAttempt(db, userKey, limits.maxFailures, limits.lockMinutes, limits.lockMinutes))) {
    if (ipKey) await repo.releaseLoginAttempt(db, ipKey, false); // no password was checked
    throw new AppError('ACCOUNT_LOCKED');
  }
  const user = await repo.findUserByUsername(db, input.username);
  // Same work and same answer for an unknown user as for a wrong password.
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password);
  if (!user || !ok) {
    if (user) {
      const actor: Actor = { id: user.id, name: user.username, ip: input.ip };
      await recordAudit(db, actor, {
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: user.id,
        unitId: user.unitId,
      });
    }
    if (Math.random() < 0.01) await repo.pruneLoginThrottle(db);
    throw new AppError('BAD_CREDENTIALS');
  }
  const actor: Actor = { id: user.id, name: user.username, ip: input.ip };
  if (!user.active) throw new AppError('ACCOUNT_INACTIVE');
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const roles = toRoles(await repo.rolesOf(db, user.id));
  await db.transaction(async (tx) => {
    await repo.releaseLoginAttempt(tx, userKey, true);
    if (ipKey) await repo.releaseLoginAttempt(tx, ipKey, false);
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
    mustChangePassword: user.mustChangePassword,
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      unitId: user.unitId,
      roles,
      permissions: permissionsOf(roles),
    },
  };
}

type LiveSession = Awaited<ReturnType<typeof repo.findLiveSessions>>[number];
/** Session lookups per database handle, coalesced: concurrent requests share one query (lib/groupcommit). */
const sessionLoaders = new WeakMap<object, (id: string) => Promise<LiveSession | null>>();

function loadSession(db: Db, id: string): Promise<LiveSession | null> {
  let load = sessionLoaders.get(db);
  if (!load) {
    load = coalesce(
      async (ids: string[]) => new Map((await repo.findLiveSessions(db, ids)).map((r) => [r.session.id, r])),
    );
    sessionLoaders.set(db, load);
  }
  return load(id);
}

/**
 * Resolves a cookie token to its user and CSRF token, or null. Runs on every request: lookups made
 * at the same moment go to the database together, but each is read after it was asked for (never from
 * a cache), so a logout or a deactivation counts from the next request on, on every instance.
 */
export async function resolveSession(
  db: Db,
  token: string,
  secret: string,
  idleMinutes = 30,
): Promise<{ user: AuthUser; csrfToken: string; sessionId: string; mustChangePassword: boolean } | null> {
  const sessionId = sessionIdOf(token, secret);
  const found = await loadSession(db, sessionId);
  if (!found || !found.user.active) return null;
  // Idle timeout besides the absolute expiry; the last use is written at most once a minute.
  const idleMs = Date.now() - found.session.lastSeenAt.getTime();
  if (idleMs > idleMinutes * 60_000) return null;
  if (idleMs > 60_000) await repo.touchSession(db, sessionId);
  const roles = toRoles(found.roles);
  const u = found.user;
  return {
    sessionId,
    csrfToken: found.session.csrfToken,
    mustChangePassword: u.mustChangePassword,
    user: {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      unitId: u.unitId,
      roles,
      permissions: permissionsOf(roles),
    },
  };
}

export async function logout(db: Db, actor: Actor, sessionId: string, userId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await repo.deleteSession(tx, sessionId);
    await recordAudit(tx, actor, { action: 'auth.logout', entityType: 'user', entityId: userId });
  });
}

/**
 * 400 on `field` when the password breaks the policy (length, character classes, username) or is one
 * of the user's last `rules.history` passwords (the current one included).
 */
export async function checkNewPassword(
  db: Db,
  input: { userId?: number; username: string; password: string; currentHash?: string; field: string },
  rules: PasswordRules = DEFAULT_PASSWORD_RULES,
): Promise<void> {
  const problem = passwordProblem(input.password, { username: input.username, rules });
  if (problem) throw new AppError('VALIDATION', { field: input.field, ...problem });
  if (rules.history <= 0 || input.userId === undefined) return;
  const previous = [
    ...new Set([
      ...(input.currentHash ? [input.currentHash] : []),
      ...(await repo.recentPasswordHashes(db, input.userId, rules.history)),
    ]),
  ].slice(0, rules.history);
  for (const h of previous) {
    if (await verifyPassword(h, input.password)) {
      throw new AppError('VALIDATION', {
        field: input.field,
        zh: `新密码不能与最近 ${rules.history} 次使用过的密码相同`,
        en: `The new password must differ from your last ${rules.history} passwords`,
      });
    }
  }
}

/** Changes the user's own password after checking the current one; ends their other sessions and clears a forced change. */
export async function changePassword(
  db: Db,
  actor: Actor,
  input: { userId: number; sessionId: string; currentPassword: string; newPassword: string },
  rules: PasswordRules = DEFAULT_PASSWORD_RULES,
): Promise<void> {
  const user = await repo.findUserById(db, input.userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('VALIDATION', {
      field: 'currentPassword',
      zh: '当前密码不正确',
      en: 'The current password is wrong',
    });
  }
  await checkNewPassword(
    db,
    {
      userId: user.id,
      username: user.username,
      password: input.newPassword,
      currentHash: user.passwordHash,
      field: 'newPassword',
    },
    rules,
  );
  const hash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await repo.setPasswordHash(tx, user.id, hash);
    await repo.addPasswordHistory(tx, user.id, hash, rules.history);
    await repo.deleteSessionsOfUser(tx, user.id, input.sessionId);
    await recordAudit(tx, actor, {
      action: 'auth.password_changed',
      entityType: 'user',
      entityId: user.id,
      unitId: user.unitId,
      ...(user.mustChangePassword ? { after: { forcedChangeDone: true } } : {}),
    });
  });
}
