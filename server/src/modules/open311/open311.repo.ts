import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { open311ApiKeys, open311Requests } from './open311.table.js';

export type KeyRow = typeof open311ApiKeys.$inferSelect;
export type NewKey = typeof open311ApiKeys.$inferInsert;
export type RequestExtrasRow = typeof open311Requests.$inferSelect;

const first = <T>(rows: T[]): T | null => rows[0] ?? null;

export async function listKeys(db: Db): Promise<KeyRow[]> {
  return db.select().from(open311ApiKeys).orderBy(asc(open311ApiKeys.id));
}
export async function findKey(db: Db, id: number): Promise<KeyRow | null> {
  return first(await db.select().from(open311ApiKeys).where(eq(open311ApiKeys.id, id)).limit(1));
}
export async function findKeyByHash(db: Db, keyHash: string): Promise<KeyRow | null> {
  return first(await db.select().from(open311ApiKeys).where(eq(open311ApiKeys.keyHash, keyHash)).limit(1));
}
export async function insertKey(tx: Db, v: NewKey): Promise<KeyRow> {
  return (await tx.insert(open311ApiKeys).values(v).returning())[0];
}
export async function updateKey(tx: Db, id: number, v: Partial<NewKey>): Promise<KeyRow | null> {
  return first(await tx.update(open311ApiKeys).set(v).where(eq(open311ApiKeys.id, id)).returning());
}
/** Counts a use of the key. */
export async function touchKey(tx: Db, id: number): Promise<void> {
  await tx
    .update(open311ApiKeys)
    .set({ lastUsedAt: new Date(), requestCount: sql`${open311ApiKeys.requestCount} + 1` })
    .where(eq(open311ApiKeys.id, id));
}

export async function insertRequestExtras(tx: Db, v: typeof open311Requests.$inferInsert): Promise<void> {
  await tx.insert(open311Requests).values(v);
}
export async function requestExtras(db: Db, caseIds: number[]): Promise<Map<number, RequestExtrasRow>> {
  if (!caseIds.length) return new Map();
  const rows = await db.select().from(open311Requests).where(inArray(open311Requests.caseId, caseIds));
  return new Map(rows.map((r) => [r.caseId, r]));
}
