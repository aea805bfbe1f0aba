/** The services module's queries that are more than one row by id (lists, the monitor, figures, stats upserts). */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { idList, rows } from '../../db/rows.js';
export { rows };

/**
 * Who sees which applications: all (监察 body, office, office-wide roles); a window clerk what they filed or
 * accepted, and the online applications waiting for acceptance; a department those it leads or has a step in.
 */
export type Visibility = { all: true } | { all: false; unitIds: number[]; clerkId: number | null };

export function visibleSql(v: Visibility): SQL {
  if (v.all) return sql`true`;
  const parts: SQL[] = [];
  if (v.unitIds.length) {
    const list = idList(v.unitIds);
    parts.push(
      sql`a.department_id IN (${list}) OR EXISTS (SELECT 1 FROM service_steps vs WHERE vs.application_id = a.id AND vs.department_id IN (${list}))`,
    );
  }
  if (v.clerkId !== null)
    parts.push(
      sql`a.filed_by = ${v.clerkId} OR a.accepted_by = ${v.clerkId} OR (a.channel = 'online' AND a.status = 'submitted')`,
    );
  if (!parts.length) return sql`false`;
  return sql`(${sql.join(parts, sql` OR `)})`;
}

export type ListFilter = {
  open?: boolean;
  status?: string;
  light?: string;
  anomaly?: string;
  itemId?: number;
  departmentId?: number;
  q?: string;
  limit: number;
  offset: number;
};

export type AppListRow = {
  id: number;
  number: string;
  item_name: string;
  parallel: boolean;
  department_name: string;
  channel: 'online' | 'window';
  applicant_name: string;
  status: string;
  paused: boolean;
  committed_days: number;
  filed_at: string | Date;
  accepted_on: string | null;
  due_on: string | null;
  light: string | null;
  light_reasons: string[];
  anomalies: string[];
  result: string | null;
  open_steps: { name: string; departmentName: string; light: string | null }[] | null;
};

function filterSql(v: Visibility, f: ListFilter): SQL {
  const w: SQL[] = [visibleSql(v)];
  if (f.open) w.push(sql`a.status IN ('submitted','in_progress','delivering')`);
  if (f.status) w.push(sql`a.status = ${f.status}`);
  if (f.light) w.push(sql`a.light = ${f.light}`);
  if (f.anomaly) w.push(sql`a.anomalies ? ${f.anomaly}`);
  if (f.itemId) w.push(sql`a.item_id = ${f.itemId}`);
  if (f.departmentId) w.push(sql`a.department_id = ${f.departmentId}`);
  if (f.q) w.push(sql`(a.number = ${f.q} OR a.applicant_name = ${f.q} OR a.applicant_org = ${f.q})`);
  return sql.join(w, sql` AND `);
}

/** A page of applications (open ones by due date — the most urgent first — others newest first), with the count capped at 10,000. */
export async function listApplications(
  db: Db,
  v: Visibility,
  f: ListFilter,
): Promise<{ rows: AppListRow[]; total: number; capped: boolean; counts: Record<string, number> }> {
  const where = filterSql(v, f);
  const order = f.open ? sql`a.due_on NULLS LAST, a.id` : sql`a.id DESC`;
  const page = await rows<AppListRow>(
    db,
    sql`SELECT a.id::int AS id, a.number, i.name AS item_name, i.parallel, u.name AS department_name, a.channel,
          a.applicant_name, a.status, (a.paused_since IS NOT NULL) AS paused, a.committed_days, a.filed_at,
          a.accepted_on::text AS accepted_on, a.due_on::text AS due_on, a.light, a.light_reasons, a.anomalies, a.result,
          (SELECT json_agg(json_build_object('name', s.name, 'departmentName', su.name, 'light', s.light) ORDER BY s.id)
             FROM service_steps s JOIN units su ON su.id = s.department_id
            WHERE s.application_id = a.id AND s.status IN ('pending','signed','correction')) AS open_steps
        FROM (SELECT a.* FROM service_applications a WHERE ${where} ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset}) a
        JOIN service_items i ON i.id = a.item_id
        JOIN units u ON u.id = a.department_id
       ORDER BY ${order}`,
  );
  const counts: Record<string, number> = { green: 0, yellow: 0, red: 0, paused: 0 };
  let n: number;
  if (f.open) {
    // The monitor: one grouped count (index-only over the open applications) gives the lights and the total.
    const noLight = filterSql(v, { ...f, light: undefined });
    n = 0;
    for (const r of await rows<{ light: string | null; paused: boolean; n: number }>(
      db,
      sql`SELECT a.light, (a.paused_since IS NOT NULL) AS paused, count(*)::int AS n FROM service_applications a WHERE ${noLight} GROUP BY 1, 2`,
    )) {
      if (r.light) counts[r.light] += r.n;
      if (r.paused) counts.paused += r.n;
      if (!f.light || r.light === f.light) n += r.n;
    }
  } else {
    const [c] = await rows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM service_applications a WHERE ${where} LIMIT 10001) x`,
    );
    n = c.n;
  }
  return { rows: page, total: Math.min(n, 10000), capped: n > 10000, counts };
}

/** Adds to a department's figures of a month (upsert; rows locked in (department, month) order by the caller). */
export async function bumpStats(
  tx: Db,
  departmentId: number,
  month: string,
  d: Partial<
    Record<
      | 'applications'
      | 'completed'
      | 'early'
      | 'on_time'
      | 'overdue'
      | 'refused'
      | 'days_used'
      | 'days_committed'
      | 'corrections'
      | 'complaints',
      number
    >
  >,
): Promise<void> {
  const cols = Object.keys(d);
  if (!cols.length) return;
  const names = sql.raw(cols.join(', '));
  const values = sql.join(
    cols.map((k) => sql`${d[k as keyof typeof d]}::int`),
    sql`, `,
  );
  const set = sql.raw(cols.map((k) => `${k} = service_stats.${k} + EXCLUDED.${k}`).join(', '));
  await tx.execute(
    sql`INSERT INTO service_stats (department_id, month, ${names}) VALUES (${departmentId}, ${month}, ${values})
        ON CONFLICT (department_id, month) DO UPDATE SET ${set}`,
  );
}

/** Rebuilds every department's monthly figures from the raw applications (seeds, benchmarks, repair). */
export async function rebuildStats(db: Db): Promise<void> {
  await db.execute(sql`DELETE FROM service_stats`);
  await db.execute(sql`
    INSERT INTO service_stats (department_id, month, applications, completed, early, on_time, overdue, refused, days_used, days_committed, corrections, complaints)
    SELECT department_id, month, sum(applications)::int, sum(completed)::int, sum(early)::int, sum(on_time)::int, sum(overdue)::int,
           sum(refused)::int, sum(days_used)::int, sum(days_committed)::int, sum(corrections)::int, sum(complaints)::int
      FROM (
        SELECT department_id, to_char(filed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, 1 AS applications,
               0 AS completed, 0 AS early, 0 AS on_time, 0 AS overdue, 0 AS refused, 0 AS days_used, 0 AS days_committed, 0 AS corrections, 0 AS complaints
          FROM service_applications
        UNION ALL
        SELECT department_id, to_char(completed_on, 'YYYY-MM'), 0, 1, (days_used < committed_days)::int, (days_used <= committed_days)::int,
               (days_used > committed_days)::int, (result = 'refused')::int, days_used, committed_days, 0, 0
          FROM service_applications WHERE status = 'completed'
        UNION ALL
        SELECT department_id, to_char(requested_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), 0, 0, 0, 0, 0, 0, 0, 0, 1, 0
          FROM service_corrections
        UNION ALL
        SELECT department_id, to_char(filed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
          FROM service_complaints
      ) x
     GROUP BY department_id, month`);
}

export type StatsRow = {
  department_id: number;
  department_name: string;
  applications: number;
  completed: number;
  early: number;
  on_time: number;
  overdue: number;
  refused: number;
  days_used: number;
  days_committed: number;
  corrections: number;
  complaints: number;
  /** 好差评 given in those months on the department's applications, and how many were 差评. */
  rated: number;
  rated_bad: number;
};

/** Figures per department for the given months (summed), departments in scope only. */
export async function statsFor(
  db: Db,
  months: readonly string[],
  unitIds: readonly number[] | null,
): Promise<StatsRow[]> {
  if (!months.length) return [];
  const ms = sql.join(
    months.map((m) => sql`${m}`),
    sql`, `,
  );
  const sorted = [...months].sort();
  // 好差评 rated within the months (Beijing time): the range reads the (unit_id, rated_at) index, the month list trims it.
  const from = `${sorted[0]}-01`;
  const [ly, lm] = sorted[sorted.length - 1].split('-').map(Number);
  const to = lm === 12 ? `${ly + 1}-01-01` : `${ly}-${String(lm + 1).padStart(2, '0')}-01`;
  const scope = unitIds ? sql`AND s.department_id IN (${idList(unitIds)})` : sql``;
  return rows<StatsRow>(
    db,
    sql`WITH r AS (
          SELECT unit_id, count(*)::int AS rated,
                 count(*) FILTER (WHERE level IN ('unsatisfied', 'very_unsatisfied'))::int AS rated_bad
            FROM service_ratings
           WHERE subject_kind = 'application' AND status = 'rated'
             AND rated_at >= (${from}::timestamp AT TIME ZONE 'Asia/Shanghai')
             AND rated_at < (${to}::timestamp AT TIME ZONE 'Asia/Shanghai')
             AND to_char(rated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') IN (${ms})
           GROUP BY unit_id)
        SELECT s.department_id, u.name AS department_name, sum(applications)::int AS applications, sum(completed)::int AS completed,
               sum(early)::int AS early, sum(on_time)::int AS on_time, sum(overdue)::int AS overdue, sum(refused)::int AS refused,
               sum(days_used)::int AS days_used, sum(days_committed)::int AS days_committed, sum(corrections)::int AS corrections,
               sum(complaints)::int AS complaints, COALESCE(max(r.rated), 0)::int AS rated, COALESCE(max(r.rated_bad), 0)::int AS rated_bad
          FROM service_stats s JOIN units u ON u.id = s.department_id
          LEFT JOIN r ON r.unit_id = s.department_id
         WHERE s.month IN (${ms}) ${scope}
         GROUP BY s.department_id, u.name, u.sort
         ORDER BY u.sort, s.department_id`,
  );
}
