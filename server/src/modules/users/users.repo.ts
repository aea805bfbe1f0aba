import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { unitLeaders } from '../units/index.js';
import { userRoles, users } from './users.table.js';

export async function listUsers(db: Db, f: { unitId?: number; role?: string; q?: string }) {
  const conds: SQL[] = [];
  if (f.unitId) conds.push(eq(users.unitId, f.unitId));
  if (f.q) conds.push(or(ilike(users.username, `%${f.q}%`), ilike(users.displayName, `%${f.q}%`))!);
  if (f.role) conds.push(sql`EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = ${users.id} AND r.role = ${f.role})`);
  return db
    .select()
    .from(users)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(users.id));
}

export async function findUser(db: Db, id: number) {
  return (await db.select().from(users).where(eq(users.id, id)).limit(1))[0] ?? null;
}

export async function rolesByUser(db: Db, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!ids.length) return out;
  for (const r of await db.select().from(userRoles).where(inArray(userRoles.userId, ids))) {
    out.set(r.userId, [...(out.get(r.userId) ?? []), r.role]);
  }
  return out;
}

export async function leaderUnitsByUser(db: Db, ids: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (!ids.length) return out;
  for (const r of await db.select().from(unitLeaders).where(inArray(unitLeaders.userId, ids))) {
    out.set(r.userId, [...(out.get(r.userId) ?? []), r.unitId]);
  }
  return out;
}

export async function insertUser(db: Db, v: typeof users.$inferInsert) {
  return (await db.insert(users).values(v).returning())[0];
}

export async function updateUser(db: Db, id: number, v: Partial<typeof users.$inferInsert>) {
  return (await db.update(users).set(v).where(eq(users.id, id)).returning())[0];
}

export async function setRoles(db: Db, userId: number, roles: string[]) {
  await db.delete(userRoles).where(eq(userRoles.userId, userId));
  if (roles.length) await db.insert(userRoles).values(roles.map((role) => ({ userId, role })));
}
