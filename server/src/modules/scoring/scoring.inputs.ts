import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { scoreInputs, scoreVersions, type InputSource } from './scoring.table.js';

/** One value for the engine: a leaf indicator's value for a unit and month, with its provenance. */
export type ScoreInputWrite = {
  yearId: number;
  indicatorId: number;
  unitId: number;
  period: string; // 'YYYY-MM'
  value: number | null;
  fields?: Record<string, unknown>;
  source: InputSource;
  sourceRef?: string | null;
  enteredBy: number | null;
  enteredByName: string;
  enteredAt?: Date;
};

/**
 * Writes (inserts or replaces) score inputs inside the caller's transaction and bumps the year's
 * score version, so scores recompute on the next read on every instance. Callers (data collection,
 * case statistics, supervision) audit their own change in the same transaction.
 */
export async function upsertScoreInputs(tx: Db, rows: ScoreInputWrite[]): Promise<void> {
  if (!rows.length) return;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({
      yearId: r.yearId,
      indicatorId: r.indicatorId,
      unitId: r.unitId,
      period: r.period,
      value: r.value,
      fields: r.fields ?? {},
      source: r.source,
      sourceRef: r.sourceRef ?? null,
      enteredBy: r.enteredBy,
      enteredByName: r.enteredByName,
      enteredAt: r.enteredAt ?? new Date(),
    }));
    await tx
      .insert(scoreInputs)
      .values(chunk)
      .onConflictDoUpdate({
        target: [scoreInputs.indicatorId, scoreInputs.unitId, scoreInputs.period],
        set: {
          value: sql`excluded.value`,
          fields: sql`excluded.fields`,
          source: sql`excluded.source`,
          sourceRef: sql`excluded.source_ref`,
          enteredBy: sql`excluded.entered_by`,
          enteredByName: sql`excluded.entered_by_name`,
          enteredAt: sql`excluded.entered_at`,
        },
      });
  }
  for (const yearId of new Set(rows.map((r) => r.yearId))) await bumpScoreVersion(tx, yearId);
}

/** Marks a year's scores stale (inputs or configuration changed). */
export async function bumpScoreVersion(tx: Db, yearId: number): Promise<void> {
  await tx
    .insert(scoreVersions)
    .values({ yearId, version: 1 })
    .onConflictDoUpdate({ target: scoreVersions.yearId, set: { version: sql`${scoreVersions.version} + 1`, changedAt: new Date() } });
}

/** The current score version of a year (0 when nothing was ever written). */
export async function scoreVersion(db: Db, yearId: number): Promise<number> {
  const rows = await db.select({ v: scoreVersions.version }).from(scoreVersions).where(eq(scoreVersions.yearId, yearId));
  return Number(rows[0]?.v ?? 0);
}

/** All inputs of a year (for loading the engine model). */
export async function listScoreInputs(db: Db, yearId: number, unitId?: number) {
  const where = unitId === undefined ? eq(scoreInputs.yearId, yearId) : and(eq(scoreInputs.yearId, yearId), eq(scoreInputs.unitId, unitId));
  return db.select().from(scoreInputs).where(where);
}
