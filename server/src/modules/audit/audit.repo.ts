import { and, asc, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import { insertSql } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';
import { auditEntries } from './audit.table.js';

export type NewAuditRow = Omit<typeof auditEntries.$inferInsert, 'id'>;

/**
 * Takes the chain's lock (transaction-scoped: serialises appends across connections and app
 * instances) and returns the last entry's hash, or null for an empty chain — one round trip
 * (`audit_chain_lock()`, migration 0010, reads the head after the lock is granted).
 */
export async function lockChainHead(tx: Db): Promise<string | null> {
  const rows = ((await tx.execute(sql`SELECT audit_chain_lock() AS head`)) as unknown as { rows: { head: string | null }[] }).rows;
  return rows[0]?.head ?? null;
}

/** The INSERT of chained entries (db/bulk), or null for none. */
export function entriesInsert(rows: NewAuditRow[]): SQL | null {
  return insertSql(auditEntries, rows);
}

export type AuditFilter = {
  actorId?: number;
  actorName?: string;
  unitId?: number;
  entityType?: string;
  entityId?: string;
  action?: string;
  from?: Date;
  to?: Date;
};

export async function listEntries(db: Db, f: AuditFilter, page: { limit: number; offset: number }) {
  const conds: SQL[] = [];
  if (f.actorId !== undefined) conds.push(eq(auditEntries.actorId, f.actorId));
  if (f.actorName) conds.push(eq(auditEntries.actorName, f.actorName));
  if (f.unitId !== undefined) conds.push(eq(auditEntries.unitId, f.unitId));
  if (f.entityType) conds.push(eq(auditEntries.entityType, f.entityType));
  if (f.entityId) conds.push(eq(auditEntries.entityId, f.entityId));
  if (f.action) conds.push(eq(auditEntries.action, f.action));
  if (f.from) conds.push(gte(auditEntries.at, f.from));
  if (f.to) conds.push(lte(auditEntries.at, f.to));
  const where = conds.length ? and(...conds) : undefined;
  const [rows, total] = await Promise.all([
    db.select().from(auditEntries).where(where).orderBy(desc(auditEntries.id)).limit(page.limit).offset(page.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(auditEntries).where(where),
  ]);
  return { rows, total: Number(total[0]?.n ?? 0) };
}

/** Reads the chain in id order in batches, for verification. */
export async function* readChain(db: Db, batch = 2000) {
  let after = 0;
  for (;;) {
    const rows = await db.select().from(auditEntries).where(gt(auditEntries.id, after)).orderBy(asc(auditEntries.id)).limit(batch);
    if (!rows.length) return;
    yield* rows;
    after = rows[rows.length - 1].id;
  }
}
