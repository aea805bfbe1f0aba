import type { Db } from '../../db/client.js';
import type { Actor, AuthUser, Ctx, UnitScope } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { ALL_UNITS_ROLES } from '../auth/auth.policy.js';
import type { TCategory, TUnit, TUnitCreate, TUnitUpdate } from './units.schema.js';
import * as repo from './units.repo.js';
import { descendantsOf, wouldCycle } from './units.tree.js';

/**
 * The units whose data a user may see: all for office-wide roles; otherwise the user's own unit,
 * plus for a district leader the units in their charge, each with its descendants.
 */
export async function unitScope(db: Db, user: AuthUser): Promise<UnitScope> {
  if (user.roles.some((r) => ALL_UNITS_ROLES.includes(r))) return { all: true };
  const roots = [user.unitId];
  if (user.roles.includes('district_leader')) roots.push(...(await repo.leaderUnitIds(db, user.id)));
  return { all: false, unitIds: descendantsOf(await repo.unitLinks(db), roots) };
}

/** True when the scope covers the unit. */
export function inScope(scope: UnitScope, unitId: number): boolean {
  return scope.all || scope.unitIds.has(unitId);
}

/** Throws 404 (same answer as a missing record) when the unit is outside the request's scope. */
export async function assertUnitInScope(ctx: Ctx, unitId: number): Promise<void> {
  if (!inScope(await ctx.scope(), unitId)) throw notFound();
}

export function presentUnit(u: Awaited<ReturnType<typeof repo.findUnit>> & object): TUnit {
  return { id: u.id, code: u.code, name: u.name, kind: u.kind, parentId: u.parentId, categoryId: u.categoryId, active: u.active, sort: u.sort };
}

export async function listUnits(db: Db): Promise<TUnit[]> {
  return (await repo.listUnits(db)).map(presentUnit);
}

export async function getUnit(db: Db, id: number): Promise<TUnit> {
  const u = await repo.findUnit(db, id);
  if (!u) throw notFound();
  return presentUnit(u);
}

async function checkRefs(db: Db, v: { parentId?: number | null; categoryId?: number | null; kind?: string }) {
  if (v.parentId != null && !(await repo.findUnit(db, v.parentId))) throw invalid('parentId', '上级单位不存在', 'Parent unit does not exist');
  if (v.categoryId != null && !(await repo.findCategory(db, v.categoryId))) throw invalid('categoryId', '考评类别不存在', 'Category does not exist');
  if (v.kind === 'district' && v.parentId != null) throw invalid('parentId', '区级单位不能有上级', 'A district has no parent');
  if (v.kind && v.kind !== 'district' && v.parentId === null) throw invalid('parentId', '请选择上级单位', 'A parent unit is required');
}

export async function createUnit(db: Db, actor: Actor, input: TUnitCreate): Promise<TUnit> {
  await checkRefs(db, input);
  return db.transaction(async (tx) => {
    const row = await repo.insertUnit(tx, input);
    const unit = presentUnit(row);
    await recordAudit(tx, actor, { action: 'unit.create', entityType: 'unit', entityId: unit.id, unitId: unit.id, after: unit });
    return unit;
  });
}

export async function updateUnit(db: Db, actor: Actor, id: number, input: TUnitUpdate): Promise<TUnit> {
  const before = await repo.findUnit(db, id);
  if (!before) throw notFound();
  const merged = { ...before, ...input };
  await checkRefs(db, { parentId: input.parentId !== undefined || input.kind ? merged.parentId : undefined, categoryId: input.categoryId, kind: input.kind });
  if (input.parentId !== undefined && wouldCycle(await repo.unitLinks(db), id, input.parentId)) {
    throw invalid('parentId', '不能把单位移动到其自身或下级单位之下', 'A unit cannot be moved under itself or its descendants');
  }
  return db.transaction(async (tx) => {
    const row = await repo.updateUnit(tx, id, input);
    const unit = presentUnit(row);
    await recordAudit(tx, actor, { action: 'unit.update', entityType: 'unit', entityId: id, unitId: id, before: presentUnit(before), after: unit });
    return unit;
  });
}

/** Deletes a unit without data; a unit with children, users or other records must be deactivated instead (409 IN_USE). */
export async function deleteUnit(db: Db, actor: Actor, id: number): Promise<void> {
  const before = await repo.findUnit(db, id);
  if (!before) throw notFound();
  await db.transaction(async (tx) => {
    // Foreign keys (ON DELETE RESTRICT) refuse the delete if anything refers to the unit: 23503 → IN_USE.
    await repo.deleteUnit(tx, id);
    await recordAudit(tx, actor, { action: 'unit.delete', entityType: 'unit', entityId: id, unitId: id, before: presentUnit(before) });
  });
}

export async function listCategories(db: Db): Promise<TCategory[]> {
  return repo.listCategories(db);
}

export async function createCategory(db: Db, actor: Actor, input: Omit<TCategory, 'id'>): Promise<TCategory> {
  return db.transaction(async (tx) => {
    const row = await repo.insertCategory(tx, input);
    await recordAudit(tx, actor, { action: 'category.create', entityType: 'unit_category', entityId: row.id, after: row });
    return row;
  });
}

export async function updateCategory(db: Db, actor: Actor, id: number, input: Partial<Omit<TCategory, 'id'>>): Promise<TCategory> {
  const before = await repo.findCategory(db, id);
  if (!before) throw notFound();
  return db.transaction(async (tx) => {
    const row = await repo.updateCategory(tx, id, input);
    await recordAudit(tx, actor, { action: 'category.update', entityType: 'unit_category', entityId: id, before, after: row });
    return row;
  });
}

export async function deleteCategory(db: Db, actor: Actor, id: number): Promise<void> {
  const before = await repo.findCategory(db, id);
  if (!before) throw notFound();
  await db.transaction(async (tx) => {
    await repo.deleteCategory(tx, id);
    await recordAudit(tx, actor, { action: 'category.delete', entityType: 'unit_category', entityId: id, before });
  });
}

export async function leaderUnits(db: Db, userId: number): Promise<number[]> {
  return repo.leaderUnitIds(db, userId);
}

/** Sets the units a district leader is in charge of (分管). */
export async function setLeaderUnits(db: Db, actor: Actor, userId: number, unitIds: number[]): Promise<number[]> {
  const unique = [...new Set(unitIds)];
  if ((await repo.countExisting(db, unique)) !== unique.length) throw invalid('unitIds', '包含不存在的单位', 'Some units do not exist');
  const before = await repo.leaderUnitIds(db, userId);
  await db.transaction(async (tx) => {
    await repo.setLeaderUnits(tx, userId, unique);
    await recordAudit(tx, actor, { action: 'user.leader_units', entityType: 'user', entityId: userId, before: { unitIds: before }, after: { unitIds: unique } });
  });
  return unique;
}

export { AppError };
