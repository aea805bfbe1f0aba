/**
 * The per-unit monthly statistics of the ledger counted in the database: one statement for any number
 * of months, returning per (month, unit) the counts and the task ids behind them. Same rules as the pure
 * `unitStats` (supervision.stats.ts), which the tests hold it to; at 20,000 tasks with 60,000 milestones,
 * reading every task and its milestones as JSON into the process took most of a second on PGlite.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { QUALITY_POINTS, type UnitMonthStats } from './supervision.stats.js';

type Row = {
  period: string;
  unit_id: number;
  due: number;
  due_ids: number[] | null;
  on_time: number;
  on_time_ids: number[] | null;
  rated: number;
  rating_avg: number | null;
  ms_due: number;
  ms_on_time: number;
};

const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);

/**
 * Per month (as of the given day) and unit: tasks due, on time, milestones due and on time, ratings;
 * every unit leading a counted task of the year appears in every month. Tasks of the year that count:
 * not proposed, declined or merged, with a lead unit (optionally only the given units').
 */
export async function monthStats(
  db: Db,
  v: { year: number; periods: readonly { period: string; asOf: string }[]; unitIds?: readonly number[] },
): Promise<Map<string, Map<number, UnitMonthStats>>> {
  const out = new Map<string, Map<number, UnitMonthStats>>(v.periods.map((p) => [p.period, new Map()]));
  if (!v.periods.length) return out;
  const unitCond: SQL = v.unitIds?.length
    ? sql` AND t.lead_unit_id IN (${sql.join(
        v.unitIds.map((i) => sql`${i}`),
        sql`, `,
      )})`
    : sql``;
  const points = JSON.stringify(Object.entries(QUALITY_POINTS).map(([quality, pts]) => ({ quality, pts })));
  const periods = JSON.stringify(v.periods.map((p) => ({ period: p.period, as_of: p.asOf })));
  const res = (await db.execute(sql`
    WITH p AS (SELECT * FROM json_to_recordset(${periods}::json) AS x(period text, as_of date)),
    qp AS (SELECT * FROM json_to_recordset(${points}::json) AS x(quality text, pts float8)),
    tk AS (
      SELECT t.id, t.lead_unit_id AS unit_id, t.deadline, t.completion, qp.pts,
             (t.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date AS reviewed_on
        FROM supervision_tasks t LEFT JOIN qp ON qp.quality = t.quality
       WHERE t.year = ${v.year} AND t.lead_unit_id IS NOT NULL AND t.status NOT IN ('proposed','declined','merged') ${unitCond}
    ),
    ts AS (
      SELECT p.period, tk.unit_id,
             count(*) FILTER (WHERE tk.deadline <= p.as_of OR tk.reviewed_on <= p.as_of)::int AS due,
             array_agg(tk.id ORDER BY tk.id) FILTER (WHERE tk.deadline <= p.as_of OR tk.reviewed_on <= p.as_of) AS due_ids,
             count(*) FILTER (WHERE tk.reviewed_on <= p.as_of AND tk.completion = 'on_time')::int AS on_time,
             array_agg(tk.id ORDER BY tk.id) FILTER (WHERE tk.reviewed_on <= p.as_of AND tk.completion = 'on_time') AS on_time_ids,
             count(tk.pts) FILTER (WHERE tk.reviewed_on <= p.as_of)::int AS rated,
             avg(tk.pts) FILTER (WHERE tk.reviewed_on <= p.as_of)::float8 AS rating_avg
        FROM tk CROSS JOIN p
       GROUP BY p.period, tk.unit_id
    ),
    ms AS (
      SELECT p.period, tk.unit_id,
             count(*) FILTER (WHERE m.due_on <= p.as_of)::int AS ms_due,
             count(*) FILTER (WHERE m.due_on <= p.as_of AND m.done_on <= m.due_on)::int AS ms_on_time
        FROM tk JOIN supervision_milestones m ON m.task_id = tk.id CROSS JOIN p
       GROUP BY p.period, tk.unit_id
    )
    SELECT ts.period, ts.unit_id, ts.due, ts.due_ids, ts.on_time, ts.on_time_ids, ts.rated, ts.rating_avg,
           coalesce(ms.ms_due, 0) AS ms_due, coalesce(ms.ms_on_time, 0) AS ms_on_time
      FROM ts LEFT JOIN ms ON ms.period = ts.period AND ms.unit_id = ts.unit_id
     ORDER BY ts.period, ts.unit_id`)) as unknown as { rows: Row[] };
  for (const r of res.rows) {
    const unitId = Number(r.unit_id);
    const due = Number(r.due);
    const onTime = Number(r.on_time);
    const msDue = Number(r.ms_due);
    const msOnTime = Number(r.ms_on_time);
    const rated = Number(r.rated);
    out.get(r.period)?.set(unitId, {
      unitId,
      due,
      onTime,
      onTimeRate: pct(onTime, due),
      milestonesDue: msDue,
      milestonesOnTime: msOnTime,
      milestoneRate: pct(msOnTime, msDue),
      rated,
      ratingAverage: rated && r.rating_avg !== null ? Math.round(Number(r.rating_avg) * 10) / 10 : null,
      dueTaskIds: (r.due_ids ?? []).map(Number),
      onTimeTaskIds: (r.on_time_ids ?? []).map(Number),
    });
  }
  return out;
}
