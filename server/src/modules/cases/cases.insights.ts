/**
 * Aggregates of the hotline for the leader cockpit (read-only): cases received since a date by category
 * and by map cell, open cases past their deadline, cases under escalation, and the cases behind each of
 * those numbers. A viewer limited to some units sees the cases their units lead.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { HANDLING_STATUSES, OPEN_STATUSES, type CaseStatus } from './cases.machine.js';

async function rawRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

const list = (xs: readonly string[]) => sql.raw(`(${xs.map((x) => `'${x.replace(/[^a-z_]/g, '')}'`).join(',')})`);
const scopeSql = (unitIds: readonly number[] | null) =>
  unitIds === null ? sql`TRUE` : sql`lead_unit_id = ANY(${`{${unitIds.join(',')}}`}::int[])`;

/** Map cells are 1/GRID degree squares: coarse enough to aggregate a million cases into a few hundred rows. */
export const CASE_GRID = 500;

/** Cases received from `since` (and before `until`, when given: a report's period). */
export type CaseInsightsQuery = { unitIds: readonly number[] | null; since: Date; until?: Date; now: Date };
export type CaseInsights = {
  received: number;
  /** Cases received per month ('YYYY-MM', Beijing time). */
  byMonth: { month: string; n: number }[];
  byCategory: { categoryId: number; n: number }[];
  /** Located cases per category and map cell (cell = floor(coordinate × CASE_GRID)). */
  cells: { categoryId: number; gy: number; gx: number; n: number }[];
  overdueOpen: number;
  escalatedOpen: number;
};

/** The cockpit's hotline aggregates: one index-only pass over the period's cases and two small index reads. */
export async function caseInsights(db: Db, q: CaseInsightsQuery): Promise<CaseInsights> {
  const scope = scopeSql(q.unitIds);
  const since = q.since.toISOString();
  const now = q.now.toISOString();
  const until = q.until ? sql`AND created_at < ${q.until.toISOString()}::timestamptz` : sql``;
  const [groups, [overdue], [escalated]] = await Promise.all([
    // One hash aggregate over the narrow covering index (cases_cockpit_idx): a row per category, month and
    // map cell (a few hundred to a few thousand rows), rolled up below.
    rawRows<{ category_id: number; gy: number | null; gx: number | null; m: string; n: number }>(
      db,
      sql`SELECT category_id, floor(lat * ${CASE_GRID})::int AS gy, floor(lng * ${CASE_GRID})::int AS gx,
            to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m, count(*)::int AS n
          FROM cases WHERE created_at >= ${since}::timestamptz ${until} AND ${scope}
          GROUP BY 1, 2, 3, 4`,
    ),
    rawRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM cases
          WHERE status IN ${list(HANDLING_STATUSES)} AND deadline < ${now}::timestamptz AND ${scope}`,
    ),
    rawRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM cases WHERE status IN ${list(OPEN_STATUSES)} AND escalated AND ${scope}`,
    ),
  ]);
  const cat = new Map<number, number>();
  const month = new Map<string, number>();
  const cell = new Map<string, { categoryId: number; gy: number; gx: number; n: number }>();
  for (const r of groups) {
    const n = Number(r.n);
    cat.set(Number(r.category_id), (cat.get(Number(r.category_id)) ?? 0) + n);
    month.set(String(r.m), (month.get(String(r.m)) ?? 0) + n);
    if (r.gy === null || r.gx === null) continue;
    const key = `${r.category_id}|${r.gy}|${r.gx}`;
    const e = cell.get(key) ?? { categoryId: Number(r.category_id), gy: Number(r.gy), gx: Number(r.gx), n: 0 };
    e.n += n;
    cell.set(key, e);
  }
  const byCategory = [...cat].map(([categoryId, n]) => ({ categoryId, n }));
  return {
    received: byCategory.reduce((s, r) => s + r.n, 0),
    byMonth: [...month].map(([m, n]) => ({ month: m, n })).sort((x, y) => x.month.localeCompare(y.month)),
    byCategory,
    cells: [...cell.values()],
    overdueOpen: Number(overdue?.n ?? 0),
    escalatedOpen: Number(escalated?.n ?? 0),
  };
}

export type CaseDrillKind = 'received' | 'overdue' | 'escalated';
export type CaseDrillQuery = {
  unitIds: readonly number[] | null;
  since: Date;
  now: Date;
  kind: CaseDrillKind;
  categoryIds?: readonly number[];
  /** Cases nearest to centre `index` of these (lng, lat) centres: one street of the map. */
  near?: { centers: readonly (readonly [number, number])[]; index: number; lngScale: number };
  limit: number;
};
export type CaseDrillRow = {
  id: number;
  number: string;
  categoryName: string;
  status: CaseStatus;
  leadUnitId: number | null;
  leadUnitName: string | null;
  address: string;
  createdAt: string;
  deadline: string | null;
  escalated: boolean;
};

function nearSql(near: NonNullable<CaseDrillQuery['near']>): SQL {
  const d = (c: readonly [number, number]) =>
    sql`(power((lng - ${c[0]}::float8) * ${near.lngScale}::float8, 2) + power(lat - ${c[1]}::float8, 2))`;
  const mine = d(near.centers[near.index]);
  const others = near.centers.filter((_, i) => i !== near.index).map((c) => sql`${mine} <= ${d(c)}`);
  return sql`lat IS NOT NULL AND lng IS NOT NULL AND ${sql.join([sql`TRUE`, ...others], sql` AND `)}`;
}

/** The cases behind a cockpit number: newest first (most overdue first for overdue ones), at most `limit`, and their count. */
export async function caseDrill(db: Db, q: CaseDrillQuery): Promise<{ total: number; rows: CaseDrillRow[] }> {
  const conds: SQL[] = [scopeSql(q.unitIds)];
  if (q.kind === 'received') conds.push(sql`c.created_at >= ${q.since.toISOString()}::timestamptz`);
  if (q.kind === 'overdue')
    conds.push(sql`c.status IN ${list(HANDLING_STATUSES)} AND c.deadline < ${q.now.toISOString()}::timestamptz`);
  if (q.kind === 'escalated') conds.push(sql`c.status IN ${list(OPEN_STATUSES)} AND c.escalated`);
  if (q.categoryIds) conds.push(sql`c.category_id = ANY(${`{${q.categoryIds.join(',')}}`}::int[])`);
  if (q.near) conds.push(nearSql(q.near));
  const where = sql.join(conds, sql` AND `);
  const order = q.kind === 'overdue' ? sql`c.deadline ASC, c.id ASC` : sql`c.created_at DESC, c.id DESC`;
  const [rows, [count]] = await Promise.all([
    rawRows<{
      id: number;
      number: string;
      category_name: string | null;
      status: CaseStatus;
      lead_unit_id: number | null;
      lead_unit_name: string | null;
      address: string;
      created_at: string | Date;
      deadline: string | Date | null;
      escalated: boolean;
    }>(
      db,
      sql`SELECT c.id, c.number, k.name AS category_name, c.status, c.lead_unit_id, u.name AS lead_unit_name,
            c.address, c.created_at, c.deadline, c.escalated
          FROM cases c LEFT JOIN case_categories k ON k.id = c.category_id LEFT JOIN units u ON u.id = c.lead_unit_id
          WHERE ${where} ORDER BY ${order} LIMIT ${q.limit}`,
    ),
    rawRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM cases c WHERE ${where} LIMIT 100000) x`,
    ),
  ]);
  const iso = (v: string | Date) => new Date(v).toISOString();
  return {
    total: Number(count?.n ?? 0),
    rows: rows.map((r) => ({
      id: r.id,
      number: r.number,
      categoryName: r.category_name ?? '',
      status: r.status,
      leadUnitId: r.lead_unit_id,
      leadUnitName: r.lead_unit_name,
      address: r.address,
      createdAt: iso(r.created_at),
      deadline: r.deadline ? iso(r.deadline) : null,
      escalated: r.escalated,
    })),
  };
}
