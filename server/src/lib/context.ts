import type { Db } from '../db/client.js';
import type { Role, Permission } from '../platform/access.js';
import { AppError, type Lang } from './errors.js';

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

/** The signed-in user, or 401 (a service called without one). */
export function signedIn(ctx: Ctx): AuthUser {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
  return ctx.user;
}

/** What a desk's list shows a user: everything, or what concerns the units of their scope. */
export type Visibility = { all: true } | { all: false; unitIds: number[] };

/** A service desk (求助中心, 调解中心): holders of the desk's permission see every record, others their unit scope. */
export async function deskVisibility(ctx: Ctx, deskPermission: Permission): Promise<Visibility> {
  if (signedIn(ctx).permissions.has(deskPermission)) return { all: true };
  const scope = await ctx.scope();
  return scope.all ? { all: true } : { all: false, unitIds: [...scope.unitIds] };
}
