/**
 * The slot through which account security (sessions, password history, login throttling — the auth
 * module, which is listed after users because sign-in reads users) reacts to account administration.
 * Users calls it; auth fills it in its manifest. No import runs from users to auth.
 */
import type { Db } from '../../db/client.js';
import type { PasswordRules } from '../../lib/passwords.js';

export type UserCredentials = {
  /** Of these usernames, the ones locked out by failed sign-ins now. */
  lockedUsernames(db: Db, names: string[]): Promise<Set<string>>;
  /** Refuses a password against the policy and the user's recent passwords (400 naming `field`). */
  checkNewPassword(
    db: Db,
    input: { userId?: number; username: string; password: string; field: string },
    rules: PasswordRules,
  ): Promise<void>;
  /** A password was set by an admin: keep it in the history and lift a lockout. */
  passwordSet(tx: Db, input: { userId: number; username: string; hash: string; keep: number }): Promise<void>;
  /** The user's grants or password changed: their open sessions end. */
  sessionsEnd(tx: Db, userId: number): Promise<void>;
};

declare module '../../platform/module.js' {
  interface ModuleListeners {
    userCredentials: UserCredentials;
  }
}
