import { and, asc, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import { sendInTransaction, type Db } from '../../db/client.js';
import { cappedCount, readPage, type ListPage, type PageRequest } from '../../platform/lists.js';
import { auditKeys } from './audit.chain.js';
import { auditChainState, auditEntries } from './audit.table.js';

/** An entry to append: its fields and `body`, the canonical JSON its hash covers (audit.chain entryBody). */
export type AppendRow = Omit<typeof auditEntries.$inferInsert, 'id' | 'prevHash' | 'hash'> & { at: Date; body: string };

/**
 * Appends entries to the chain in one round trip (`audit_append()`, migrations 0011 and 0016: keyed with
 * the process's chain key, passed as HMAC's two padded keys and never stored): takes the chain's
 * lock (transaction-scoped: serialises appends across connections and app instances), reads the head
 * after the lock is granted, chains the entries in array order and inserts them. In a pipelined
 * transaction (db/client sendInTransaction) it is sent without waiting, with the COMMIT behind it.
 */
export async function appendEntries(tx: Db, rows: readonly AppendRow[]): Promise<void> {
  if (!rows.length) return;
  const data = rows.map((r) => ({
    at: r.at.toISOString(),
    actor_id: r.actorId ?? null,
    actor_name: r.actorName,
    ip: r.ip ?? null,
    action: r.action,
    entity_type: r.entityType,
    entity_id: r.entityId ?? null,
    unit_id: r.unitId ?? null,
    before: r.before ?? null,
    after: r.after ?? null,
    body: r.body,
  }));
  const { ikey, okey } = auditKeys().pads;
  await sendInTransaction(
    tx,
    sql`SELECT audit_append(${JSON.stringify(data)}::json, decode(${ikey}, 'hex'), decode(${okey}, 'hex'))`,
  );
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

function filterConditions(f: AuditFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.actorId !== undefined) conds.push(eq(auditEntries.actorId, f.actorId));
  if (f.actorName) conds.push(eq(auditEntries.actorName, f.actorName));
  if (f.unitId !== undefined) conds.push(eq(auditEntries.unitId, f.unitId));
  if (f.entityType) conds.push(eq(auditEntries.entityType, f.entityType));
  if (f.entityId) conds.push(eq(auditEntries.entityId, f.entityId));
  if (f.action) conds.push(eq(auditEntries.action, f.action));
  if (f.from) conds.push(gte(auditEntries.at, f.from));
  if (f.to) conds.push(lte(auditEntries.at, f.to));
  return conds.length ? and(...conds) : undefined;
}

export type AuditRow = typeof auditEntries.$inferSelect;

/**
 * A page of entries matching the filters, newest first, on the shared list helper (platform/lists): read
 * with one extra row, the total counted only when the page does not tell it, and then at most up to
 * 10,000 (`totalCapped`) — an exact count(*) over a million entries cost more than the page itself.
 */
export async function listEntries(db: Db, f: AuditFilter, page: PageRequest): Promise<ListPage<AuditRow>> {
  const where = filterConditions(f);
  return readPage(
    page,
    (limit, offset) => entryRows(db, where, limit, offset),
    (cap) => cappedCount(db, where ? sql`${auditEntries} WHERE ${where}` : sql`${auditEntries}`, cap),
  );
}

/** The first `limit` entries matching the filters, newest first (the Excel export: rows only, no count). */
export async function exportEntries(db: Db, f: AuditFilter, limit: number): Promise<AuditRow[]> {
  return entryRows(db, filterConditions(f), limit, 0);
}

function entryRows(db: Db, where: SQL | undefined, limit: number, offset: number): Promise<AuditRow[]> {
  return db.select().from(auditEntries).where(where).orderBy(desc(auditEntries.id)).limit(limit).offset(offset);
}

/** Reads the chain in id order in batches, for verification. */
export async function* readChain(db: Db, batch = 2000) {
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEntries)
      .where(gt(auditEntries.id, after))
      .orderBy(asc(auditEntries.id))
      .limit(batch);
    if (!rows.length) return;
    yield* rows;
    after = rows[rows.length - 1].id;
  }
}

/** The first keyed entry id (migration 0016's switch-over), or null on a database without the record. */
export async function readKeyedFrom(db: Db): Promise<number | null> {
  const [row] = await db
    .select({ keyedFrom: auditChainState.keyedFrom })
    .from(auditChainState)
    .where(eq(auditChainState.id, 1));
  return row ? Number(row.keyedFrom) : null;
}

/** The last entry (id and hash), or null for an empty chain. */
export async function readHead(db: Db): Promise<{ id: number; hash: string } | null> {
  const [row] = await db
    .select({ id: auditEntries.id, hash: auditEntries.hash })
    .from(auditEntries)
    .orderBy(desc(auditEntries.id))
    .limit(1);
  return row ?? null;
}

/** Reads the chain in id order from after `afterId`, in batches. */
export async function* readChainFrom(db: Db, afterId: number, batch = 2000) {
  let after = afterId;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEntries)
      .where(gt(auditEntries.id, after))
      .orderBy(asc(auditEntries.id))
      .limit(batch);
    if (!rows.length) return;
    yield* rows;
    after = rows[rows.length - 1].id;
  }
}

/** One entry by id (id and hash), or null. */
export async function readEntryHash(db: Db, id: number): Promise<string | null> {
  const [row] = await db.select({ hash: auditEntries.hash }).from(auditEntries).where(eq(auditEntries.id, id)).limit(1);
  return row?.hash ?? null;
}
