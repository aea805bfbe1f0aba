import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { COUNTERS, type CategoryDelta, type Counters, type UnitDelta } from './casestats.counters.js';
import { caseStatsSettings } from './casestats.table.js';

/** Rows of a raw query: PGlite and node-postgres both answer with `{ rows }`. */
async function rawRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

const COLS = COUNTERS.map((c) => c.column);
const counterSelect = sql.raw(COUNTERS.map((c) => `${c.column}::int AS "${c.key}"`).join(', '));
const counterSums = sql.raw(COUNTERS.map((c) => `COALESCE(sum(${c.column}), 0)::int AS "${c.key}"`).join(', '));

export type MonthRow = Counters & { unitId: number; month: string };
export type SyncRow = MonthRow & { rev: number };
export type CategoryRow = { categoryId: number; month: string; created: number; closed: number };

// ---------- incremental ----------

/**
 * The upserts adding the deltas of case events: one multi-row upsert per table, to run inside the
 * events' transaction (with db/bulk togetherSql: one statement). Callers pass at most one delta per
 * (unit, month) and per (category, month) (see mergeDeltas).
 */
export function deltaUpserts(units: UnitDelta[], categories: CategoryDelta[]): SQL[] {
  // Only the counters these events change (usually one or two): a short statement that plans and runs fast.
  const changed = COUNTERS.filter((c) => units.some((d) => (d.add[c.key] ?? 0) !== 0));
  const unitUpsert =
    units.length && changed.length
      ? sql`INSERT INTO case_stats_monthly (unit_id, month, ${sql.raw(changed.map((c) => c.column).join(', '))})
      VALUES ${sql.join(
        units.map(
          (d) =>
            sql`(${d.unitId}::int, ${d.month}::text, ${sql.join(
              changed.map((c) => sql`${d.add[c.key] ?? 0}::int`),
              sql`, `,
            )})`,
        ),
        sql`, `,
      )}
      ON CONFLICT (unit_id, month) DO UPDATE SET
        ${sql.raw(changed.map((c) => `${c.column} = case_stats_monthly.${c.column} + excluded.${c.column}`).join(', '))},
        rev = case_stats_monthly.rev + 1,
        changed_at = now()`
      : null;
  const categoryUpsert = categories.length
    ? sql`INSERT INTO case_stats_category_monthly (category_id, month, created, closed)
      VALUES ${sql.join(
        categories.map((d) => sql`(${d.categoryId}::int, ${d.month}::text, ${d.created}::int, ${d.closed}::int)`),
        sql`, `,
      )}
      ON CONFLICT (month, category_id) DO UPDATE SET
        created = case_stats_category_monthly.created + excluded.created,
        closed = case_stats_category_monthly.closed + excluded.closed`
    : null;
  return [unitUpsert, categoryUpsert].filter((q): q is SQL => q !== null);
}

// ---------- rebuild ----------

/** Event types whose unit is the event's own unit, with the counter they add to (see casestats.counters.ts). */
const EVENT_UNIT_KIND = `CASE e.type
    WHEN 'dispatched' THEN 'dispatched'
    WHEN 'signed' THEN CASE WHEN e.payload->'late' = 'true'::jsonb THEN 'signedLate' ELSE 'signedOnTime' END
    WHEN 'assist_signed' THEN CASE WHEN e.payload->'late' = 'true'::jsonb THEN 'signedLate' ELSE 'signedOnTime' END
    WHEN 'reported' THEN CASE WHEN e.payload->'late' = 'true'::jsonb THEN 'completedLate' ELSE 'completedOnTime' END
    WHEN 'assist_reported' THEN CASE WHEN e.payload->'late' = 'true'::jsonb THEN 'completedLate' ELSE 'completedOnTime' END
    WHEN 'returned' THEN 'returns'
    WHEN 'assist_returned' THEN 'returns'
    WHEN 'extension_approved' THEN 'extensions'
    WHEN 'redo' THEN 'redos'
    WHEN 'verify_failed' THEN 'verifyFailed'
    WHEN 'escalation_approved' THEN 'escalated'
    WHEN 'reminded' THEN 'reminded'
  END`;
const EVENT_UNIT_TYPES = `'dispatched','signed','assist_signed','reported','assist_reported','returned','assist_returned','extension_approved','redo','verify_failed','escalation_approved','reminded'`;
const MONTH_OF_AT = `to_char((e.at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM')`;
/** Events that count for their case's lead unit or category (the rebuild reads the case only for these). */
const NEEDS_CASE = `(e.type IN ('created', 'feedback', 'review') OR e.to_status = 'closed')`;

/**
 * Recomputes both statistics tables from the case timeline (for the seed, after an import, or to
 * repair). Locks the tables first, so events written meanwhile wait and then add their deltas on top.
 * With `month` ('YYYY-MM', Beijing), only that month's rows are recomputed, from that month's events
 * (read through the index on case_events.at): the job rebuilds month by month, one short transaction
 * each, and reports progress between them.
 *
 * One statement fills both tables from one read of the events. The case (lead unit, category) is read
 * only for the events that count for it (created, feedback, review, closed). For a month it is looked
 * up by id, per event (LATERAL … OFFSET 0 keeps the planner from turning it into a hash join): before
 * issue 19's second pass each month joined all cases — two sequential scans of the whole cases table
 * per month, 48 for two years (267 s at 2,000,000 cases). The whole timeline still joins all cases once.
 * JIT is off for the statement: at that size the planner's cost estimate switched on JIT with inlining
 * and optimisation, and compiling took longer (~1.8 s a statement) than running it.
 */
export async function rebuild(tx: Db, month?: string): Promise<{ rows: number }> {
  await tx.execute(sql`LOCK TABLE case_stats_monthly, case_stats_category_monthly IN EXCLUSIVE MODE`);
  if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`rebuild: bad month ${month}`);
  // The month's bounds in Beijing time (UTC+8, no daylight saving), as MONTH_OF_AT computes months.
  const inMonth =
    month === undefined
      ? 'true'
      : `e.at >= ((date '${month}-01')::timestamp - interval '8 hours') AT TIME ZONE 'UTC' AND e.at < ((date '${month}-01') + interval '1 month' - interval '8 hours')::timestamp AT TIME ZONE 'UTC'`;
  if (month === undefined) {
    await tx.execute(sql`DELETE FROM case_stats_monthly`);
    await tx.execute(sql`DELETE FROM case_stats_category_monthly`);
  } else {
    await tx.execute(sql`DELETE FROM case_stats_monthly WHERE month = ${month}`);
    await tx.execute(sql`DELETE FROM case_stats_category_monthly WHERE month = ${month}`);
  }
  await tx.execute(sql`SET LOCAL jit = off`);
  const caseJoin =
    month === undefined
      ? `JOIN cases c ON c.id = e.case_id`
      : `LEFT JOIN LATERAL (SELECT c.lead_unit_id, c.category_id FROM cases c WHERE c.id = e.case_id AND ${NEEDS_CASE} OFFSET 0) c ON true`;
  const aggregates = COUNTERS.map((c) => `count(*) FILTER (WHERE kind = '${c.key}')::int`).join(', ');
  const inserted = await rawRows<{ n: number }>(
    tx,
    sql.raw(`
    WITH ev AS MATERIALIZED (
      SELECT e.type, e.to_status, e.unit_id, e.payload, c.lead_unit_id, c.category_id, ${MONTH_OF_AT} AS month
      FROM case_events e ${caseJoin}
      WHERE (e.type IN (${EVENT_UNIT_TYPES}, 'feedback', 'review', 'created') OR e.to_status = 'closed') AND ${inMonth}
    ),
    contrib AS (
      SELECT e.unit_id, e.month, ${EVENT_UNIT_KIND} AS kind FROM ev e WHERE e.type IN (${EVENT_UNIT_TYPES})
      UNION ALL
      SELECT e.lead_unit_id, e.month, e.payload->>'rating' FROM ev e
        WHERE e.type = 'feedback' AND jsonb_typeof(e.payload->'rating') = 'string' AND e.payload->>'rating' IN ('satisfied','basic','unsatisfied')
      UNION ALL
      SELECT e.lead_unit_id, e.month, 'reviewQualified' FROM ev e WHERE e.type = 'review' AND e.payload->'qualified' = 'true'::jsonb
      UNION ALL
      SELECT (a.x #>> '{}')::int, e.month, 'assistDispatched'
        FROM ev e CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.payload->'assistUnitIds') = 'array' THEN e.payload->'assistUnitIds' ELSE '[]'::jsonb END) AS a(x)
        WHERE e.type IN ('dispatched','redo') AND jsonb_typeof(a.x) = 'number'
      UNION ALL
      SELECT e.lead_unit_id, e.month, 'closed' FROM ev e WHERE e.to_status = 'closed'
    ),
    ins AS (
      INSERT INTO case_stats_monthly (unit_id, month, ${COLS.join(', ')}, rev, synced_rev, changed_at)
      SELECT unit_id, month, ${aggregates}, 1, 0, now()
      FROM contrib WHERE unit_id IS NOT NULL AND unit_id > 0
      GROUP BY unit_id, month
      RETURNING 1
    ),
    cat AS (
      INSERT INTO case_stats_category_monthly (category_id, month, created, closed)
      SELECT e.category_id, e.month, count(*) FILTER (WHERE e.type = 'created')::int, count(*) FILTER (WHERE e.to_status = 'closed')::int
      FROM ev e WHERE e.type = 'created' OR e.to_status = 'closed'
      GROUP BY 1, 2
    )
    SELECT count(*)::int AS n FROM ins`),
  );
  return { rows: Number(inserted[0]?.n ?? 0) };
}

/** The Beijing months from the first to the last event of the timeline (read from the index on at), oldest first. */
export async function eventMonths(db: Db): Promise<string[]> {
  const [r] = await rawRows<{ lo: string | null; hi: string | null }>(
    db,
    sql.raw(
      `SELECT (SELECT ${MONTH_OF_AT} FROM case_events e ORDER BY e.at LIMIT 1) AS lo, (SELECT ${MONTH_OF_AT} FROM case_events e ORDER BY e.at DESC LIMIT 1) AS hi`,
    ),
  );
  if (!r?.lo || !r.hi) return [];
  const out: string[] = [];
  let [y, m] = r.lo.split('-').map(Number);
  for (let guard = 0; guard < 1200; guard++) {
    const p = `${y}-${String(m).padStart(2, '0')}`;
    out.push(p);
    if (p >= r.hi) break;
    if (++m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/** Deletes the statistics rows of months outside [first, last] (no events there any more). */
export async function deleteStatsOutside(tx: Db, first: string, last: string): Promise<void> {
  await tx.execute(sql`DELETE FROM case_stats_monthly WHERE month < ${first} OR month > ${last}`);
  await tx.execute(sql`DELETE FROM case_stats_category_monthly WHERE month < ${first} OR month > ${last}`);
}

// ---------- reads ----------

/** The month's rows, limited to the units when given. */
export async function monthRows(db: Db, month: string, unitIds: number[] | null): Promise<MonthRow[]> {
  const unitFilter =
    unitIds === null
      ? sql``
      : unitIds.length
        ? sql` AND unit_id IN (${sql.join(
            unitIds.map((u) => sql`${u}`),
            sql`, `,
          )})`
        : sql` AND false`;
  return rawRows<MonthRow>(
    db,
    sql`SELECT unit_id AS "unitId", month, ${counterSelect} FROM case_stats_monthly WHERE month = ${month}${unitFilter} ORDER BY unit_id`,
  );
}

/** Monthly sums over the units (all units when null) from `from` to `to`. */
export async function trendRows(
  db: Db,
  unitIds: number[] | null,
  from: string,
  to: string,
): Promise<(Counters & { month: string })[]> {
  const unitFilter =
    unitIds === null
      ? sql``
      : unitIds.length
        ? sql` AND unit_id IN (${sql.join(
            unitIds.map((u) => sql`${u}`),
            sql`, `,
          )})`
        : sql` AND false`;
  return rawRows(
    db,
    sql`SELECT month, ${counterSums} FROM case_stats_monthly WHERE month >= ${from} AND month <= ${to}${unitFilter} GROUP BY month ORDER BY month`,
  );
}

/** Cases received and closed per category in the month. */
export async function categoryRows(db: Db, month: string): Promise<CategoryRow[]> {
  return rawRows<CategoryRow>(
    db,
    sql`SELECT category_id AS "categoryId", month, created::int AS created, closed::int AS closed FROM case_stats_category_monthly WHERE month = ${month}`,
  );
}

/** Every row (for tests and the rebuild check). */
export async function allRows(db: Db): Promise<MonthRow[]> {
  return rawRows<MonthRow>(
    db,
    sql`SELECT unit_id AS "unitId", month, ${counterSelect} FROM case_stats_monthly ORDER BY unit_id, month`,
  );
}
export async function allCategoryRows(db: Db): Promise<CategoryRow[]> {
  return rawRows<CategoryRow>(
    db,
    sql`SELECT category_id AS "categoryId", month, created::int AS created, closed::int AS closed FROM case_stats_category_monthly ORDER BY month, category_id`,
  );
}

// ---------- sync bookkeeping ----------

/** Rows changed since their last sync (oldest months first). */
export async function unsyncedRows(db: Db, limit: number): Promise<SyncRow[]> {
  const rows = await rawRows<SyncRow & { rev: string | number }>(
    db,
    sql`SELECT unit_id AS "unitId", month, ${counterSelect}, rev::text AS rev FROM case_stats_monthly WHERE rev <> synced_rev ORDER BY month, unit_id LIMIT ${limit}`,
  );
  return rows.map((r) => ({ ...r, rev: Number(r.rev) }));
}

/** Marks rows synced at the rev that was read (a row changed meanwhile stays unsynced). */
export async function markSynced(tx: Db, rows: { unitId: number; month: string; rev: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const values = rows.slice(i, i + 1000).map((r) => sql`(${r.unitId}::int, ${r.month}::text, ${r.rev}::bigint)`);
    // Lock the rows in the order case events upsert them (month, then unit: mergeDeltas), so the sync
    // and a case event that change the same rows queue instead of deadlocking.
    await tx.execute(sql`
      SELECT 1 FROM case_stats_monthly s
      WHERE (s.unit_id, s.month) IN (SELECT v.unit_id, v.month FROM (VALUES ${sql.join(values, sql`, `)}) AS v(unit_id, month, rev))
      ORDER BY s.month, s.unit_id FOR UPDATE`);
    await tx.execute(sql`
      UPDATE case_stats_monthly s SET synced_rev = v.rev
      FROM (VALUES ${sql.join(values, sql`, `)}) AS v(unit_id, month, rev)
      WHERE s.unit_id = v.unit_id AND s.month = v.month AND s.synced_rev < v.rev`);
  }
}

/** Makes the next sync rewrite every row (of the months with this prefix, e.g. '2026-', or all). */
export async function resetSync(tx: Db, monthPrefix?: string): Promise<void> {
  if (monthPrefix)
    await tx.execute(
      sql`UPDATE case_stats_monthly SET synced_rev = 0 WHERE month LIKE ${`${monthPrefix}%`} AND synced_rev <> 0`,
    );
  else await tx.execute(sql`UPDATE case_stats_monthly SET synced_rev = 0 WHERE synced_rev <> 0`);
}

// ---------- settings ----------

export async function getSetting(db: Db, key: string): Promise<unknown> {
  const rows = await db
    .select({ value: caseStatsSettings.value })
    .from(caseStatsSettings)
    .where(sql`${caseStatsSettings.key} = ${key}`)
    .limit(1);
  return rows[0]?.value ?? null;
}

export async function putSetting(tx: Db, key: string, value: unknown, userId: number | null): Promise<void> {
  await tx
    .insert(caseStatsSettings)
    .values({ key, value, updatedAt: new Date(), updatedBy: userId })
    .onConflictDoUpdate({ target: caseStatsSettings.key, set: { value, updatedAt: new Date(), updatedBy: userId } });
}
