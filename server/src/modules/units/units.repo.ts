import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { unitCategories, unitLeaders, units } from './units.table.js';

/**
 * A digest of the units and categories as tables show them (ids, codes, names, categories, sort,
 * active): equal digests, nothing shown changed. One short row, for caches that must notice a change.
 */
export async function structureDigest(db: Db): Promise<string> {
  const r = (await db.execute(sql`SELECT md5(
      coalesce((SELECT string_agg(concat_ws(':', id, code, name, category_id, sort, active), ',' ORDER BY id) FROM units), '')
      || '|' || coalesce((SELECT string_agg(concat_ws(':', id, code, name, sort), ',' ORDER BY id) FROM unit_categories), '')) AS d`)) as unknown as {
    rows: { d: string }[];
  };
  return r.rows[0].d;
}

export async function listUnits(db: Db) {
  return db.select().from(units).orderBy(asc(units.sort), asc(units.id));
}

export async function findUnit(db: Db, id: number) {
  return (await db.select().from(units).where(eq(units.id, id)).limit(1))[0] ?? null;
}

export async function insertUnit(db: Db, v: typeof units.$inferInsert) {
  return (await db.insert(units).values(v).returning())[0];
}

export async function updateUnit(db: Db, id: number, v: Partial<typeof units.$inferInsert>) {
  if (!Object.values(v).some((x) => x !== undefined)) return findUnit(db, id); // an empty PATCH changes nothing
  return (await db.update(units).set(v).where(eq(units.id, id)).returning())[0];
}

export async function deleteUnit(db: Db, id: number) {
  await db.delete(units).where(eq(units.id, id));
}

export async function hasChildren(db: Db, id: number): Promise<boolean> {
  return (await db.select({ id: units.id }).from(units).where(eq(units.parentId, id)).limit(1)).length > 0;
}

export async function categoryInUse(db: Db, categoryId: number): Promise<boolean> {
  return (await db.select({ id: units.id }).from(units).where(eq(units.categoryId, categoryId)).limit(1)).length > 0;
}

/** Ids and parents of all units: enough to walk the tree. */
export async function unitLinks(db: Db) {
  return db.select({ id: units.id, parentId: units.parentId }).from(units);
}

export async function leaderUnitIds(db: Db, userId: number): Promise<number[]> {
  return (await db.select({ unitId: unitLeaders.unitId }).from(unitLeaders).where(eq(unitLeaders.userId, userId))).map(
    (r) => r.unitId,
  );
}

export async function setLeaderUnits(db: Db, userId: number, unitIds: number[]) {
  await db.delete(unitLeaders).where(eq(unitLeaders.userId, userId));
  if (unitIds.length) await db.insert(unitLeaders).values(unitIds.map((unitId) => ({ userId, unitId })));
}

export async function countExisting(db: Db, ids: number[]): Promise<number> {
  if (!ids.length) return 0;
  return Number(
    (
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(units)
        .where(inArray(units.id, ids))
    )[0]?.n ?? 0,
  );
}

export async function listCategories(db: Db) {
  return db.select().from(unitCategories).orderBy(asc(unitCategories.sort), asc(unitCategories.id));
}
export async function findCategory(db: Db, id: number) {
  return (await db.select().from(unitCategories).where(eq(unitCategories.id, id)).limit(1))[0] ?? null;
}
export async function insertCategory(db: Db, v: typeof unitCategories.$inferInsert) {
  return (await db.insert(unitCategories).values(v).returning())[0];
}
export async function updateCategory(db: Db, id: number, v: Partial<typeof unitCategories.$inferInsert>) {
  if (!Object.values(v).some((x) => x !== undefined)) return findCategory(db, id);
  return (await db.update(unitCategories).set(v).where(eq(unitCategories.id, id)).returning())[0];
}
export async function deleteCategory(db: Db, id: number) {
  await db.delete(unitCategories).where(eq(unitCategories.id, id));
}
