import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { hashPassword, passwordProblem } from '../../lib/passwords.js';
import { recordAudit } from '../audit/index.js';
import type { Role } from '../../platform/access.js';
import { assertUnitsExist, getUnit, writeLeaderUnits } from '../units/index.js';
import type { TUser, TUserCreate, TUserUpdate } from './users.schema.js';
import * as repo from './users.repo.js';

type Row = NonNullable<Awaited<ReturnType<typeof repo.findUser>>>;

/** The API shape of a user: never the password hash. */
export function presentUser(u: Row, roles: string[], leaderUnitIds: number[]): TUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    unitId: u.unitId,
    phone: u.phone,
    active: u.active,
    roles: roles as Role[],
    leaderUnitIds,
    locked: !!u.lockedUntil && u.lockedUntil > new Date(),
    createdAt: u.createdAt.toISOString(),
  };
}

export async function listUsers(db: Db, f: { unitId?: number; role?: string; q?: string }): Promise<TUser[]> {
  const rows = await repo.listUsers(db, f);
  const ids = rows.map((r) => r.id);
  const [roles, leads] = await Promise.all([repo.rolesByUser(db, ids), repo.leaderUnitsByUser(db, ids)]);
  return rows.map((r) => presentUser(r, roles.get(r.id) ?? [], leads.get(r.id) ?? []));
}

export async function getUser(db: Db, id: number): Promise<TUser> {
  const row = await repo.findUser(db, id);
  if (!row) throw notFound();
  const [roles, leads] = await Promise.all([repo.rolesByUser(db, [id]), repo.leaderUnitsByUser(db, [id])]);
  return presentUser(row, roles.get(id) ?? [], leads.get(id) ?? []);
}

async function checkUnit(db: Db, unitId: number) {
  try {
    await getUnit(db, unitId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw invalid('unitId', '所属单位不存在', 'Unit does not exist');
    throw err;
  }
}

function checkPassword(password: string) {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('VALIDATION', { field: 'password', ...problem });
}

/** Creates a user with roles (and, for a district leader, the units in charge) in one transaction with its audit entry. */
export async function createUser(db: Db, actor: Actor, input: TUserCreate): Promise<TUser> {
  checkPassword(input.password);
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
    });
    await repo.setRoles(tx, row.id, input.roles);
    const leaderUnitIds = await writeLeaderUnits(tx, row.id, input.leaderUnitIds);
    const after = presentUser(row, input.roles, leaderUnitIds);
    await recordAudit(tx, actor, { action: 'user.create', entityType: 'user', entityId: row.id, unitId: row.unitId, after });
    return row.id;
  });
  return getUser(db, id);
}

/** Updates a user; a new password is an admin reset and unlocks the account. Admins cannot lock themselves out. */
export async function updateUser(db: Db, actor: Actor, id: number, input: TUserUpdate): Promise<TUser> {
  const before = await getUser(db, id);
  if (input.unitId !== undefined) await checkUnit(db, input.unitId);
  if (input.password !== undefined) checkPassword(input.password);
  if (input.leaderUnitIds) await assertUnitsExist(db, input.leaderUnitIds, 'leaderUnitIds');
  if (actor.id === id && input.active === false) {
    throw invalid('active', '不能停用自己的账号', 'You cannot deactivate your own account');
  }
  if (actor.id === id && input.roles && !input.roles.includes('admin') && before.roles.includes('admin')) {
    throw invalid('roles', '不能取消自己的管理员角色', 'You cannot drop your own admin role');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  await db.transaction(async (tx) => {
    const set: Parameters<typeof repo.updateUser>[2] = {};
    if (input.displayName !== undefined) set.displayName = input.displayName;
    if (input.unitId !== undefined) set.unitId = input.unitId;
    if (input.phone !== undefined) set.phone = input.phone;
    if (input.active !== undefined) set.active = input.active;
    if (passwordHash) Object.assign(set, { passwordHash, failedLogins: 0, lockedUntil: null, passwordChangedAt: new Date() });
    if (Object.keys(set).length) await repo.updateUser(tx, id, set);
    if (input.roles) await repo.setRoles(tx, id, input.roles);
    const leaderUnitIds = input.leaderUnitIds ? await writeLeaderUnits(tx, id, input.leaderUnitIds) : before.leaderUnitIds;
    const { password: _password, ...changes } = input;
    const after = { ...before, ...changes, leaderUnitIds, ...(passwordHash ? { passwordReset: true, locked: false } : {}) };
    await recordAudit(tx, actor, { action: 'user.update', entityType: 'user', entityId: id, unitId: after.unitId, before, after });
  });
  return getUser(db, id);
}
