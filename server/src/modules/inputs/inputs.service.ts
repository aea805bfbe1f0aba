import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { beijingDate, monthAndPrevious } from '../../engine/workdays.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import type { InputSource } from './inputs.schema.js';
import { scoreInputs, scoreVersions } from './inputs.table.js';

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
 *
 * Each row records the version that wrote it: an instance holding an older version fetches just
 * the rows written since and applies them incrementally (see scoring.cache.ts).
 */
export async function upsertScoreInputs(tx: Db, rows: ScoreInputWrite[]): Promise<void> {
  if (!rows.length) return;
  // Bump first: the row lock on score_versions orders concurrent writers, so versions follow commit order.
  const versionOf = new Map<number, number>();
  for (const yearId of new Set(rows.map((r) => r.yearId))) versionOf.set(yearId, await bump(tx, yearId, false));
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
      version: versionOf.get(r.yearId)!,
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
          version: sql`excluded.version`,
        },
      });
  }
}

/**
 * Marks a year's scores stale after a configuration change (indicators, plans, deductions, anything
 * but score inputs): every instance rebuilds its model from scratch on the next read.
 */
export async function bumpScoreVersion(tx: Db, yearId: number): Promise<void> {
  await bump(tx, yearId, true);
}

async function bump(tx: Db, yearId: number, config: boolean): Promise<number> {
  const [row] = await tx
    .insert(scoreVersions)
    .values({ yearId, version: 1, configVersion: config ? 1 : 0 })
    .onConflictDoUpdate({
      target: scoreVersions.yearId,
      set: {
        version: sql`${scoreVersions.version} + 1`,
        changedAt: new Date(),
        ...(config ? { configVersion: sql`${scoreVersions.version} + 1` } : {}),
      },
    })
    .returning({ v: scoreVersions.version });
  return Number(row.v);
}

/** The current score version of a year (0 when nothing was ever written). */
export async function scoreVersion(db: Db, yearId: number): Promise<number> {
  return (await scoreVersionInfo(db, yearId)).version;
}

/** The year's score version and the last version a configuration change made (0 when never written). */
export async function scoreVersionInfo(db: Db, yearId: number): Promise<{ version: number; configVersion: number }> {
  const rows = await db
    .select({ v: scoreVersions.version, c: scoreVersions.configVersion })
    .from(scoreVersions)
    .where(eq(scoreVersions.yearId, yearId));
  return { version: Number(rows[0]?.v ?? 0), configVersion: Number(rows[0]?.c ?? 0) };
}

/** All inputs of a year (for loading the engine model). */
export async function listScoreInputs(db: Db, yearId: number, unitId?: number) {
  const where =
    unitId === undefined
      ? eq(scoreInputs.yearId, yearId)
      : and(eq(scoreInputs.yearId, yearId), eq(scoreInputs.unitId, unitId));
  return db.select().from(scoreInputs).where(where);
}

/** The inputs of a year written after a score version (for incremental refreshes). */
export async function scoreInputsSince(db: Db, yearId: number, version: number) {
  return db
    .select()
    .from(scoreInputs)
    .where(and(eq(scoreInputs.yearId, yearId), gt(scoreInputs.version, version)));
}

/**
 * A data source's job pass: in one transaction, `sync` rewrites the score inputs of this month and the
 * previous one (Beijing time); when it wrote any, the pass is audited as `action` on `entityId(year, month)`.
 */
export async function refreshRecentInputs(
  db: Db,
  action: string,
  entityId: (year: number, month: number) => string,
  sync: (tx: Db, v: { year: number; on: string; months: string[] }) => Promise<{ inputs: number }>,
): Promise<{ inputs: number }> {
  const on = beijingDate(new Date());
  const [y, m] = [Number(on.slice(0, 4)), Number(on.slice(5, 7))];
  return db.transaction(async (tx) => {
    const r = await sync(tx, { year: y, on, months: monthAndPrevious(on) });
    if (r.inputs)
      await recordAudit(tx, SYSTEM_ACTOR, { action, entityType: 'score_inputs', entityId: entityId(y, m), after: r });
    return r;
  });
}
