import type { Db } from '../../db/client.js';
import type { Actor, AuthUser, Ctx, UnitScope } from '../../lib/context.js';
import { AppError, invalid, isStillReferenced, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { ALL_UNITS_ROLES } from '../../platform/access.js';
import type { TCategory, TCategoryCreate, TCategoryUpdate, TUnit, TUnitCreate, TUnitUpdate } from './units.schema.js';
import * as repo from './units.repo.js';
import { descendantsOf, wouldCycle } from './units.tree.js';

/**
 * The units whose data a user may see: all for office-wide roles; otherwise the user's own unit with
 * its descendants. A district leader (分管领导) sees the units in their charge with their descendants,
 * plus their own unit itself but not what lies below it: their own unit is usually the district, and
 * its subtree would be everything.
 */
export async function unitScope(db: Db, user: AuthUser): Promise<UnitScope> {
  if (user.roles.some((r) => ALL_UNITS_ROLES.includes(r))) return { all: true };
  const isDistrictLeader = user.roles.includes('district_leader');
  const roots: number[] = user.roles.some((r) => r !== 'district_leader') ? [user.unitId] : [];
  if (isDistrictLeader) roots.push(...(await repo.leaderUnitIds(db, user.id)));
  const unitIds = descendantsOf(await repo.unitLinks(db), roots);
  if (isDistrictLeader) unitIds.add(user.unitId);
  return { all: false, unitIds };
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
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    kind: u.kind,
    parentId: u.parentId,
    categoryId: u.categoryId,
    active: u.active,
    sort: u.sort,
  };
}

/** Changes whenever a unit or category is added, renamed, recoded, moved, reordered or (de)activated. */
export function unitStructureDigest(db: Db): Promise<string> {
  return repo.structureDigest(db);
}

export async function listUnits(db: Db): Promise<TUnit[]> {
  return (await repo.listUnits(db)).map(presentUnit);
}

export async function getUnit(db: Db, id: number): Promise<TUnit> {
  const u = await repo.findUnit(db, id);
  if (!u) throw notFound();
  return presentUnit(u);
}

async function checkRefs(db: Db, v: { parentId?: number | null; categoryId?: number | null }) {
  if (v.parentId != null && !(await repo.findUnit(db, v.parentId)))
    throw invalid('parentId', '上级单位不存在', 'Parent unit does not exist');
  if (v.categoryId != null && !(await repo.findCategory(db, v.categoryId)))
    throw invalid('categoryId', '考评类别不存在', 'Category does not exist');
}

/** The district is the one kind of unit without a parent; every other unit hangs under one. */
function checkKindAndParent(kind: string, parentId: number | null) {
  if (kind === 'district' && parentId !== null)
    throw invalid('parentId', '区级单位不能有上级', 'A district has no parent');
  if (kind !== 'district' && parentId === null)
    throw invalid('parentId', '请选择上级单位', 'A parent unit is required');
}

export async function createUnit(db: Db, actor: Actor, input: TUnitCreate): Promise<TUnit> {
  checkKindAndParent(input.kind, input.parentId);
  await checkRefs(db, input);
  return db.transaction(async (tx) => {
    const row = await repo.insertUnit(tx, input);
    const unit = presentUnit(row);
    await recordAudit(tx, actor, {
      action: 'unit.create',
      entityType: 'unit',
      entityId: unit.id,
      unitId: unit.id,
      after: unit,
    });
    return unit;
  });
}

export async function updateUnit(db: Db, actor: Actor, id: number, input: TUnitUpdate): Promise<TUnit> {
  const before = await repo.findUnit(db, id);
  if (!before) throw notFound();
  if (input.kind !== undefined || input.parentId !== undefined) {
    checkKindAndParent(input.kind ?? before.kind, input.parentId === undefined ? before.parentId : input.parentId);
  }
  await checkRefs(db, { parentId: input.parentId, categoryId: input.categoryId });
  if (input.parentId !== undefined && wouldCycle(await repo.unitLinks(db), id, input.parentId)) {
    throw invalid(
      'parentId',
      '不能把单位移动到其自身或下级单位之下',
      'A unit cannot be moved under itself or its descendants',
    );
  }
  return db.transaction(async (tx) => {
    const row = await repo.updateUnit(tx, id, input);
    if (!row) throw notFound();
    const unit = presentUnit(row);
    await recordAudit(tx, actor, {
      action: 'unit.update',
      entityType: 'unit',
      entityId: id,
      unitId: id,
      before: presentUnit(before),
      after: unit,
    });
    return unit;
  });
}

/** Deletes a unit without data; a unit with children, users or other records must be deactivated instead (409 IN_USE). */
export async function deleteUnit(db: Db, actor: Actor, id: number): Promise<void> {
  const before = await repo.findUnit(db, id);
  if (!before) throw notFound();
  if (await repo.hasChildren(db, id)) {
    throw new AppError('IN_USE', {
      zh: '该单位下还有下级单位，不能删除，请改为停用',
      en: 'The unit has sub-units; deactivate it instead of deleting',
    });
  }
  try {
    await db.transaction(async (tx) => {
      // Foreign keys (ON DELETE RESTRICT) refuse the delete if anything refers to the unit.
      await repo.deleteUnit(tx, id);
      await recordAudit(tx, actor, {
        action: 'unit.delete',
        entityType: 'unit',
        entityId: id,
        unitId: id,
        before: presentUnit(before),
      });
    });
  } catch (err) {
    if (!isStillReferenced(err)) throw err;
    throw new AppError('IN_USE', {
      zh: '该单位已有用户或业务数据，不能删除，请改为停用',
      en: 'The unit has users or records; deactivate it instead of deleting',
    });
  }
}

export async function listCategories(db: Db): Promise<TCategory[]> {
  return repo.listCategories(db);
}

export async function createCategory(db: Db, actor: Actor, input: TCategoryCreate): Promise<TCategory> {
  return db.transaction(async (tx) => {
    const row = await repo.insertCategory(tx, input);
    await recordAudit(tx, actor, {
      action: 'category.create',
      entityType: 'unit_category',
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function updateCategory(db: Db, actor: Actor, id: number, input: TCategoryUpdate): Promise<TCategory> {
  const before = await repo.findCategory(db, id);
  if (!before) throw notFound();
  return db.transaction(async (tx) => {
    const row = await repo.updateCategory(tx, id, input);
    if (!row) throw notFound();
    await recordAudit(tx, actor, {
      action: 'category.update',
      entityType: 'unit_category',
      entityId: id,
      before,
      after: row,
    });
    return row;
  });
}

export async function deleteCategory(db: Db, actor: Actor, id: number): Promise<void> {
  const before = await repo.findCategory(db, id);
  if (!before) throw notFound();
  if (await repo.categoryInUse(db, id)) {
    throw new AppError('IN_USE', {
      zh: '仍有单位属于该考评类别，不能删除；请先把这些单位改到其他类别',
      en: 'Units still belong to this category; move them to another category first',
    });
  }
  await db.transaction(async (tx) => {
    // The foreign key still refuses (409 IN_USE) if a unit was put in the category meanwhile.
    await repo.deleteCategory(tx, id);
    await recordAudit(tx, actor, { action: 'category.delete', entityType: 'unit_category', entityId: id, before });
  });
}

export async function leaderUnits(db: Db, userId: number): Promise<number[]> {
  return repo.leaderUnitIds(db, userId);
}

/** Throws 400 naming `field` unless every id is an existing unit. */
export async function assertUnitsExist(db: Db, unitIds: readonly number[], field: string): Promise<void> {
  const unique = [...new Set(unitIds)];
  if ((await repo.countExisting(db, unique)) !== unique.length)
    throw invalid(field, '包含不存在的单位', 'Some units do not exist');
}

/**
 * Replaces the units a district leader is in charge of (分管), inside the caller's transaction; the
 * caller validates the ids with assertUnitsExist first and records the change in its audit entry.
 */
export async function writeLeaderUnits(tx: Db, userId: number, unitIds: readonly number[]): Promise<number[]> {
  const unique = [...new Set(unitIds)];
  await repo.setLeaderUnits(tx, userId, unique);
  return unique;
}

export { AppError };
