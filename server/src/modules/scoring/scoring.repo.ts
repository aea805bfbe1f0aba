/** Queries of the scoring module's tables (deductions, publications). */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { assessmentYears } from '../performance/index.js';
import { accountabilityDeductions, scorePublications } from './scoring.table.js';

export type DeductionRowDb = typeof accountabilityDeductions.$inferSelect;
export type PublicationRow = typeof scorePublications.$inferSelect;
export type PublicationHead = Omit<PublicationRow, 'result' | 'snapshot'> & { snapshotBytes: number };

// ---------- accountability deductions ----------

export async function listDeductions(db: Db, yearId: number, unitId?: number): Promise<DeductionRowDb[]> {
  const where =
    unitId === undefined
      ? eq(accountabilityDeductions.yearId, yearId)
      : and(eq(accountabilityDeductions.yearId, yearId), eq(accountabilityDeductions.unitId, unitId));
  return db
    .select()
    .from(accountabilityDeductions)
    .where(where)
    .orderBy(asc(accountabilityDeductions.period), asc(accountabilityDeductions.id));
}

export async function findDeduction(db: Db, id: number): Promise<DeductionRowDb | null> {
  const rows = await db.select().from(accountabilityDeductions).where(eq(accountabilityDeductions.id, id));
  return rows[0] ?? null;
}

export async function insertDeduction(
  db: Db,
  v: typeof accountabilityDeductions.$inferInsert,
): Promise<DeductionRowDb> {
  const [row] = await db.insert(accountabilityDeductions).values(v).returning();
  return row;
}

export async function updateDeduction(
  db: Db,
  id: number,
  v: Partial<typeof accountabilityDeductions.$inferInsert>,
): Promise<DeductionRowDb> {
  const [row] = await db
    .update(accountabilityDeductions)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(accountabilityDeductions.id, id))
    .returning();
  return row;
}

export async function deleteDeduction(db: Db, id: number): Promise<void> {
  await db.delete(accountabilityDeductions).where(eq(accountabilityDeductions.id, id));
}

// ---------- publications ----------

const HEAD = {
  id: scorePublications.id,
  yearId: scorePublications.yearId,
  period: scorePublications.period,
  windowKind: scorePublications.windowKind,
  windowN: scorePublications.windowN,
  windowLabel: scorePublications.windowLabel,
  fullYear: scorePublications.fullYear,
  scoreVersion: scorePublications.scoreVersion,
  note: scorePublications.note,
  unitCount: scorePublications.unitCount,
  snapshotSha256: scorePublications.snapshotSha256,
  publishedBy: scorePublications.publishedBy,
  publishedByName: scorePublications.publishedByName,
  publishedAt: scorePublications.publishedAt,
  snapshotBytes: sql<number>`octet_length(${scorePublications.snapshot})::int`,
};

export async function listPublications(db: Db, yearId?: number): Promise<PublicationHead[]> {
  const q = db.select(HEAD).from(scorePublications);
  const rows = await (yearId === undefined ? q : q.where(eq(scorePublications.yearId, yearId))).orderBy(
    desc(scorePublications.id),
  );
  return rows.map((r) => ({ ...r, snapshotBytes: Number(r.snapshotBytes) }));
}

const WITH_RESULT = { ...HEAD, result: scorePublications.result };
export type PublicationWithResult = PublicationHead & { result: Record<string, unknown> };

const withBytes = <T extends { snapshotBytes: unknown }>(r: T) => ({ ...r, snapshotBytes: Number(r.snapshotBytes) });

/** A publication with its ranking table (without the snapshot), or null. */
export async function findPublication(db: Db, id: number): Promise<PublicationWithResult | null> {
  const rows = await db.select(WITH_RESULT).from(scorePublications).where(eq(scorePublications.id, id));
  return rows[0] ? withBytes(rows[0]) : null;
}

/** The compressed snapshot of a publication. */
export async function publicationSnapshot(db: Db, id: number): Promise<Buffer | null> {
  const rows = await db
    .select({ snapshot: scorePublications.snapshot })
    .from(scorePublications)
    .where(eq(scorePublications.id, id));
  return rows[0]?.snapshot ?? null;
}

/** The latest publication of a year's period (re-publishing supersedes), or null. */
export async function latestPublication(db: Db, yearId: number, period: string): Promise<PublicationWithResult | null> {
  const rows = await db
    .select(WITH_RESULT)
    .from(scorePublications)
    .where(and(eq(scorePublications.yearId, yearId), eq(scorePublications.period, period)))
    .orderBy(desc(scorePublications.id))
    .limit(1);
  return rows[0] ? withBytes(rows[0]) : null;
}

/** Years with a published annual result (the public page): the year and when its latest annual result was published. */
export async function annualPublicationYears(
  db: Db,
): Promise<{ yearId: number; year: number; name: string; publishedAt: Date }[]> {
  return db
    .select({
      yearId: scorePublications.yearId,
      year: assessmentYears.year,
      name: assessmentYears.name,
      publishedAt: sql<Date>`max(${scorePublications.publishedAt})`.mapWith(scorePublications.publishedAt),
    })
    .from(scorePublications)
    .innerJoin(assessmentYears, eq(assessmentYears.id, scorePublications.yearId))
    .where(eq(scorePublications.fullYear, true))
    .groupBy(scorePublications.yearId, assessmentYears.year, assessmentYears.name)
    .orderBy(desc(assessmentYears.year));
}

/** The latest full-year publication of a year (the public page), or null. */
export async function latestAnnualPublication(db: Db, yearId: number): Promise<PublicationWithResult | null> {
  const rows = await db
    .select(WITH_RESULT)
    .from(scorePublications)
    .where(and(eq(scorePublications.yearId, yearId), eq(scorePublications.fullYear, true)))
    .orderBy(desc(scorePublications.id))
    .limit(1);
  return rows[0] ? withBytes(rows[0]) : null;
}

export async function insertPublication(db: Db, v: typeof scorePublications.$inferInsert): Promise<PublicationHead> {
  const [row] = await db.insert(scorePublications).values(v).returning({ id: scorePublications.id });
  const [head] = await db.select(HEAD).from(scorePublications).where(eq(scorePublications.id, row.id));
  return { ...head, snapshotBytes: Number(head.snapshotBytes) };
}
