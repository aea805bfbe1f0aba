import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { hashPassword, passwordProblem } from '../../lib/passwords.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Role } from '../auth/auth.policy.js';
import { getUnit, setLeaderUnits } from '../units/units.service.js';
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
  } catch {
    throw invalid('unitId', '所属单位不存在', 'Unit does not exist');
  }
}

export async function createUser(db: Db, actor: Actor, input: TUserCreate): Promise<TUser> {
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError('VALIDATION', { field: 'password', ...problem });
  await checkUnit(db, input.unitId);
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction(async (tx) => {
    const row = await repo.insertUser(tx, {
      username: input.username,
      displayName: input.displayName,
      passwordHash,
      unitId: input.unitId,
      phone: input.phone,
    });
    await repo.setRoles(tx, row.id, input.roles);
    const after = presentUser(row, input.roles, input.leaderUnitIds);
    await recordAudit(tx, actor, { action: 'user.create', entityType: 'user', entityId: row.id, unitId: row.unitId, after });
    return row.id;
  });
  if (input.leaderUnitIds.length) await setLeaderUnits(db, actor, id, input.leaderUnitIds);
  return getUser(db, id);
}

export async function updateUser(db: Db, actor: Actor, id: number, input: TUserUpdate): Promise<TUser> {
  const before = await getUser(db, id);
  if (input.unitId !== undefined) await checkUnit(db, input.unitId);
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password);
    if (problem) throw new AppError('VALIDATION', { field: 'password', ...problem });
  }
  if (actor.id === id && (input.active === false || (input.roles && !input.roles.includes('admin') && before.roles.includes('admin')))) {
    throw invalid(input.active === false ? 'active' : 'roles', '不能停用自己或取消自己的管理员角色', 'You cannot deactivate yourself or drop your own admin role');
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
    const after = { ...before, ...input, password: undefined, passwordReset: input.password ? true : undefined };
    await recordAudit(tx, actor, { action: 'user.update', entityType: 'user', entityId: id, unitId: after.unitId, before, after });
  });
  if (input.leaderUnitIds) await setLeaderUnits(db, actor, id, input.leaderUnitIds);
  return getUser(db, id);
}
