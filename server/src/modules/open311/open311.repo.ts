import { and, asc, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { open311ApiKeys, open311ClientRefs, open311KeyUsage, open311Requests } from './open311.table.js';

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

async function rawRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

// ---------- rate counters and usage ----------

/** Counts one hit in the subject's fixed window; returns the hits so far in it. */
export type UsageColumn = 'posts' | 'reads' | 'refused';
/** Adds one to the key's use of the day. */
export async function countUsage(db: Db, apiKeyId: number, day: string, column: UsageColumn): Promise<void> {
  const col = sql.identifier(column);
  await db.execute(
    sql`INSERT INTO open311_key_usage (api_key_id, day, ${col}) VALUES (${apiKeyId}, ${day}::date, 1)
        ON CONFLICT (api_key_id, day) DO UPDATE SET ${col} = open311_key_usage.${col} + 1`,
  );
}
export async function usageSince(db: Db, day: string): Promise<(typeof open311KeyUsage.$inferSelect)[]> {
  return db.select().from(open311KeyUsage).where(gte(open311KeyUsage.day, day));
}

// ---------- client references (idempotent POSTs) ----------

/**
 * Claims a client reference for this POST; a reference answered or claimed within its window belongs to
 * the earlier POST (a claim left unanswered for 2 minutes is abandoned and may be taken over).
 * Returns null when claimed, else the earlier POST's answer (null while it is still being written).
 */
export async function claimRef(
  db: Db,
  apiKeyId: number,
  ref: string,
  claim: string,
  windowSeconds: number,
): Promise<{ answer: string | null } | null> {
  const won = await rawRows<{ claim: string }>(
    db,
    sql`INSERT INTO open311_client_refs (api_key_id, ref, claim) VALUES (${apiKeyId}, ${ref}, ${claim})
        ON CONFLICT (api_key_id, ref) DO UPDATE SET claim = EXCLUDED.claim, answer = NULL, created_at = now()
        WHERE open311_client_refs.created_at < now() - make_interval(secs => ${windowSeconds})
           OR (open311_client_refs.answer IS NULL AND open311_client_refs.created_at < now() - interval '2 minutes')
        RETURNING claim`,
  );
  if (won.length) return null;
  const r = first(
    await db
      .select({ answer: open311ClientRefs.answer })
      .from(open311ClientRefs)
      .where(and(eq(open311ClientRefs.apiKeyId, apiKeyId), eq(open311ClientRefs.ref, ref))),
  );
  return { answer: r?.answer ?? null };
}
export async function answerRefs(tx: Db, apiKeyId: number, claim: string, answer: string): Promise<void> {
  await tx
    .update(open311ClientRefs)
    .set({ answer })
    .where(and(eq(open311ClientRefs.apiKeyId, apiKeyId), eq(open311ClientRefs.claim, claim)));
}
export async function releaseRefs(db: Db, apiKeyId: number, claim: string): Promise<void> {
  await db
    .delete(open311ClientRefs)
    .where(
      and(
        eq(open311ClientRefs.apiKeyId, apiKeyId),
        eq(open311ClientRefs.claim, claim),
        isNull(open311ClientRefs.answer),
      ),
    );
}
