import type { Db } from '../db/client.js';
import type { Role, Permission } from '../platform/access.js';
import type { Lang } from './errors.js';

/** The signed-in user as every service sees it. */
export type AuthUser = {
  id: number;
  username: string;
  displayName: string;
  unitId: number;
  roles: Role[];
  permissions: Set<Permission>;
};

/** Who is acting, for audit entries: a user, the public, or the system (seed, jobs). */
export type Actor = { id: number | null; name: string; ip: string | null };

export type UnitScope = { all: true } | { all: false; unitIds: Set<number> };

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system', ip: null };

/** A request's context handed to services: the user (if any), the actor for audit, the language. */
export type Ctx = {
  db: Db;
  user: AuthUser | null;
  actor: Actor;
  lang: Lang;
  /** Lazily computed unit scope of the user (memoised per request). */
  scope(): Promise<UnitScope>;
};
