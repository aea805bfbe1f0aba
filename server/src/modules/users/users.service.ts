import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { DEFAULT_PASSWORD_RULES, hashPassword, type PasswordRules } from '../../lib/passwords.js';
import { recordAudit } from '../audit/index.js';
import { ADMIN_ROLES, type Role } from '../../platform/access.js';
import { listenersOf } from '../../platform/module.js';
import type { UserCredentials } from './users.listeners.js';
import { assertUnitsExist, getUnit, writeLeaderUnits } from '../units/index.js';
import type { TUser, TUserCreate, TUserUpdate } from './users.schema.js';
import * as repo from './users.repo.js';

type Row = NonNullable<Awaited<ReturnType<typeof repo.findUser>>>;

/** The API shape of a user: never the password hash. */
export function presentUser(u: Row, roles: string[], leaderUnitIds: number[], locked = false): TUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    unitId: u.unitId,
    phone: u.phone,
    active: u.active,
    roles: roles as Role[],
    leaderUnitIds,
    locked,
    mustChangePassword: u.mustChangePassword,
    createdAt: u.createdAt.toISOString(),
  };
}

/** Account security (the auth module, listed after users) as it reacts to account administration. */
function credentials(): UserCredentials {
  const [c] = listenersOf('userCredentials');
  if (!c) throw new Error('no module handles user credentials (auth missing from the module list)');
  return c;
}

export async function listUsers(db: Db, f: { unitId?: number; role?: string; q?: string }): Promise<TUser[]> {
  const rows = await repo.listUsers(db, f);
  const ids = rows.map((r) => r.id);
  const [roles, leads, locked] = await Promise.all([
    repo.rolesByUser(db, ids),
    repo.leaderUnitsByUser(db, ids),
    credentials().lockedUsernames(
      db,
      rows.map((r) => r.username),
    ),
  ]);
  return rows.map((r) => presentUser(r, roles.get(r.id) ?? [], leads.get(r.id) ?? [], locked.has(r.username)));
}

export async function getUser(db: Db, id: number): Promise<TUser> {
  const row = await repo.findUser(db, id);
  if (!row) throw notFound();
  const [roles, leads, locked] = await Promise.all([
    repo.rolesByUser(db, [id]),
    repo.leaderUnitsByUser(db, [id]),
    credentials().lockedUsernames(db, [row.username]),
  ]);
  return presentUser(row, roles.get(id) ?? [], leads.get(id) ?? [], locked.has(row.username));
}

async function checkUnit(db: Db, unitId: number) {
  try {
    await getUnit(db, unitId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND')
      throw invalid('unitId', '所属单位不存在', 'Unit does not exist');
    throw err;
  }
}

/** Who may do what on accounts (三员分立). */
export type AccountPowers = {
  /** users.manage: create accounts, edit name/unit/phone/active, reset passwords. */
  manage: boolean;
  /** roles.grant: roles and units in charge (the security admin). */
  grant: boolean;
  rules?: PasswordRules;
};

/** Refuses role grants without roles.grant, and more than one of the three administrator roles on one account. */
function checkRoleGrant(
  powers: AccountPowers,
  roles: readonly Role[] | undefined,
  leaderUnitIds: readonly number[] | undefined,
) {
  if ((roles?.length || leaderUnitIds?.length) && !powers.grant) {
    throw new AppError('FORBIDDEN', {
      field: roles?.length ? 'roles' : 'leaderUnitIds',
      zh: '角色和分管单位只能由安全管理员授予',
      en: 'Only the security admin grants roles and units in charge',
    });
  }
  if (roles && roles.filter((r) => ADMIN_ROLES.includes(r)).length > 1) {
    throw invalid(
      'roles',
      '系统管理员、安全管理员、审计管理员须由不同账号担任（三员分立）',
      'System, security and audit admin must be different accounts',
    );
  }
}

/** Creates a user with roles (and, for a district leader, the units in charge) in one transaction with its audit entry. */
export async function createUser(
  db: Db,
  actor: Actor,
  input: TUserCreate,
  powers: AccountPowers = { manage: true, grant: true },
): Promise<TUser> {
  if (!powers.manage) throw new AppError('FORBIDDEN');
  checkRoleGrant(powers, input.roles, input.leaderUnitIds);
  await credentials().checkNewPassword(
    db,
    { username: input.username, password: input.password, field: 'password' },
    powers.rules ?? DEFAULT_PASSWORD_RULES,
  );
  await checkUnit(db, input.unitId);
  await assertUnitsExist(db, input.leaderUnitIds, 'leaderUnitIds');
  const passwordHash = await hashPassword(input.password); // slow: outside the transaction
  const id = await db.transaction(async (tx) => {
    const row = await repo.insertUser(tx, {
      username: input.username,
      displayName: input.displayName,
      passwordHash,
      unitId: input.unitId,
      phone: input.phone,
      // Set by an admin: the user picks their own at first sign-in.
      mustChangePassword: true,
    });
    await credentials().passwordSet(tx, {
      userId: row.id,
      username: input.username,
      hash: passwordHash,
      keep: (powers.rules ?? DEFAULT_PASSWORD_RULES).history,
    });
    await repo.setRoles(tx, row.id, input.roles);
    const leaderUnitIds = await writeLeaderUnits(tx, row.id, input.leaderUnitIds);
    const after = presentUser(row, input.roles, leaderUnitIds);
    await recordAudit(tx, actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: row.id,
      unitId: row.unitId,
      after,
    });
    return row.id;
  });
  return getUser(db, id);
}

/**
 * Updates a user. Account fields need users.manage (the system admin); roles and units in charge need
 * roles.grant (the security admin), and nobody changes their own. A new password is an admin reset: it
 * unlocks the account and the user must change it at the next sign-in. A reset or a role change ends
 * the user's sessions.
 */
export async function updateUser(
  db: Db,
  actor: Actor,
  id: number,
  input: TUserUpdate,
  powers: AccountPowers = { manage: true, grant: true },
): Promise<TUser> {
  const before = await getUser(db, id);
  const { roles: _r, leaderUnitIds: _l, ...accountFields } = input;
  const accountChange = Object.values(accountFields).some((v) => v !== undefined);
  if (accountChange && !powers.manage)
    throw new AppError('FORBIDDEN', { zh: '账号信息只能由系统管理员修改', en: 'Only the system admin edits accounts' });
  const rolesChange = input.roles !== undefined && [...input.roles].sort().join() !== [...before.roles].sort().join();
  const leadersChange =
    input.leaderUnitIds !== undefined &&
    [...new Set(input.leaderUnitIds)].sort().join() !== [...before.leaderUnitIds].sort().join();
  if (rolesChange || leadersChange) {
    if (actor.id === id)
      throw invalid(
        rolesChange ? 'roles' : 'leaderUnitIds',
        '不能修改自己的角色或分管单位',
        'You cannot change your own roles',
      );
    checkRoleGrant(powers, rolesChange ? input.roles : undefined, leadersChange ? input.leaderUnitIds : undefined);
    if (!powers.grant) throw new AppError('FORBIDDEN');
  }
  if (input.unitId !== undefined) await checkUnit(db, input.unitId);
  if (input.password !== undefined)
    await credentials().checkNewPassword(
      db,
      { username: before.username, password: input.password, field: 'password' },
      powers.rules ?? DEFAULT_PASSWORD_RULES,
    );
  if (input.leaderUnitIds) await assertUnitsExist(db, input.leaderUnitIds, 'leaderUnitIds');
  if (actor.id === id && input.active === false) {
    throw invalid('active', '不能停用自己的账号', 'You cannot deactivate your own account');
  }
  if (actor.id === id && input.password !== undefined) {
    throw invalid('password', '请通过“修改密码”更改自己的密码', 'Change your own password with “Change password”');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  await db.transaction(async (tx) => {
    const set: Parameters<typeof repo.updateUser>[2] = {};
    if (input.displayName !== undefined) set.displayName = input.displayName;
    if (input.unitId !== undefined) set.unitId = input.unitId;
    if (input.phone !== undefined) set.phone = input.phone;
    if (input.active !== undefined) set.active = input.active;
    if (passwordHash)
      Object.assign(set, {
        passwordHash,
        failedLogins: 0,
        lockedUntil: null,
        passwordChangedAt: new Date(),
        mustChangePassword: true,
      });
    if (Object.keys(set).length) await repo.updateUser(tx, id, set);
    if (passwordHash) {
      await credentials().passwordSet(tx, {
        userId: id,
        username: before.username,
        hash: passwordHash,
        keep: (powers.rules ?? DEFAULT_PASSWORD_RULES).history,
      });
    }
    if (rolesChange) await repo.setRoles(tx, id, input.roles!);
    const leaderUnitIds = leadersChange ? await writeLeaderUnits(tx, id, input.leaderUnitIds!) : before.leaderUnitIds;
    // A reset or a new grant counts from now on: the user's open sessions end.
    if (passwordHash || rolesChange || leadersChange) await credentials().sessionsEnd(tx, id);
    const { password: _password, ...changes } = input;
    const after = {
      ...before,
      ...changes,
      leaderUnitIds,
      ...(passwordHash ? { passwordReset: true, locked: false, mustChangePassword: true } : {}),
    };
    await recordAudit(tx, actor, {
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      unitId: after.unitId,
      before,
      after,
    });
    if (rolesChange || leadersChange) {
      await recordAudit(tx, actor, {
        action: 'user.roles_changed',
        entityType: 'user',
        entityId: id,
        unitId: after.unitId,
        before: { roles: before.roles, leaderUnitIds: before.leaderUnitIds },
        after: { roles: input.roles ?? before.roles, leaderUnitIds },
      });
    }
  });
  return getUser(db, id);
}
