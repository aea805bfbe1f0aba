import { asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { jobs, type JobStatus } from './jobs.table.js';

export type JobRow = typeof jobs.$inferSelect;

async function rawRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Makes sure each job has its row, with its current title and schedule. A new periodic job is due at
 * once; an existing one keeps its next run (so a restart does not re-run every job).
 */
export async function registerJobs(
  db: Db,
  defs: { name: string; titleZh: string; titleEn: string; everyMs: number | null }[],
): Promise<void> {
  if (!defs.length) return;
  await db.execute(sql`
    INSERT INTO jobs (name, title_zh, title_en, every_ms, next_run_at)
    SELECT d.name, d.title_zh, d.title_en, d.every_ms, CASE WHEN d.every_ms IS NULL THEN NULL ELSE now() END
    FROM json_to_recordset(${JSON.stringify(defs.map((d) => ({ name: d.name, title_zh: d.titleZh, title_en: d.titleEn, every_ms: d.everyMs })))}::json)
      AS d(name text, title_zh text, title_en text, every_ms integer)
    ON CONFLICT (name) DO UPDATE SET title_zh = EXCLUDED.title_zh, title_en = EXCLUDED.title_en, every_ms = EXCLUDED.every_ms, seen_at = now(),
      next_run_at = CASE
        WHEN EXCLUDED.every_ms IS NULL THEN NULL
        WHEN jobs.next_run_at IS NULL THEN now()
        ELSE least(jobs.next_run_at, now() + make_interval(secs => EXCLUDED.every_ms / 1000.0)) END`);
}

/**
 * Takes the lease of every listed job that is due (its next run has come, or a run was asked for) and
 * not leased (no lease, or the last one lapsed), in one atomic UPDATE: of several instances asking at
 * once, exactly one gets each job (the others, waiting on the row, re-check the lease and skip it).
 * Returns the names taken.
 */
export async function acquireDue(
  db: Db,
  owner: string,
  candidates: { name: string; leaseMs: number }[],
): Promise<string[]> {
  if (!candidates.length) return [];
  const rows = await rawRows<{ name: string }>(
    db,
    sql`UPDATE jobs j SET lease_owner = ${owner}, lease_until = now() + make_interval(secs => d.lease_ms / 1000.0), heartbeat_at = now(),
          last_started_at = now(), run_requested_at = NULL, progress = NULL, progress_message = NULL
        FROM json_to_recordset(${JSON.stringify(candidates.map((c) => ({ name: c.name, lease_ms: c.leaseMs })))}::json) AS d(name text, lease_ms float8)
        WHERE j.name = d.name
          AND (j.lease_until IS NULL OR j.lease_until < now())
          AND (j.run_requested_at IS NOT NULL OR j.next_run_at <= now())
        RETURNING j.name`,
  );
  return rows.map((r) => r.name);
}

/** Renews the lease while the job runs; false when this owner no longer holds it. */
export async function heartbeat(db: Db, owner: string, name: string, leaseMs: number): Promise<boolean> {
  const rows = await rawRows<{ name: string }>(
    db,
    sql`UPDATE jobs SET lease_until = now() + make_interval(secs => ${leaseMs / 1000}), heartbeat_at = now()
        WHERE name = ${name} AND lease_owner = ${owner} RETURNING name`,
  );
  return rows.length > 0;
}

export async function reportProgress(
  db: Db,
  owner: string,
  name: string,
  fraction: number,
  message: string | null,
): Promise<void> {
  await db.execute(
    sql`UPDATE jobs SET progress = ${fraction}, progress_message = ${message} WHERE name = ${name} AND lease_owner = ${owner}`,
  );
}

/**
 * Records the end of a run and gives the lease back; the next run is one interval from now (an
 * aborted run is due again at once, for another instance to finish). False when the lease was lost.
 */
export async function finishRun(
  db: Db,
  owner: string,
  name: string,
  run: { status: JobStatus; durationMs: number; result: Record<string, unknown> | null; error: string | null },
): Promise<boolean> {
  const failure =
    run.status === 'failed'
      ? sql`last_error = ${run.error}, last_error_at = now(), failure_count = failure_count + 1,`
      : sql``;
  const progress = run.status === 'ok' ? sql`progress = 1,` : sql``;
  const next =
    run.status === 'aborted'
      ? sql`now()`
      : sql`CASE WHEN every_ms IS NULL THEN NULL ELSE now() + make_interval(secs => every_ms / 1000.0) END`;
  const rows = await rawRows<{ name: string }>(
    db,
    sql`UPDATE jobs SET lease_owner = NULL, lease_until = NULL, last_finished_at = now(), last_duration_ms = ${Math.round(run.durationMs)},
          last_status = ${run.status}, last_result = ${run.result === null ? null : JSON.stringify(run.result)}::jsonb,
          ${failure} ${progress} run_count = run_count + 1, next_run_at = ${next}
        WHERE name = ${name} AND lease_owner = ${owner} RETURNING name`,
  );
  return rows.length > 0;
}

/** Asks any instance to run the job now; false for an unknown job. */
export async function requestRun(db: Db, name: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ runRequestedAt: sql`now()` })
    .where(eq(jobs.name, name))
    .returning({ name: jobs.name });
  return rows.length > 0;
}

export async function listJobs(db: Db): Promise<JobRow[]> {
  return db.select().from(jobs).orderBy(asc(jobs.name));
}

export async function jobByName(db: Db, name: string): Promise<JobRow | null> {
  const [r] = await db.select().from(jobs).where(eq(jobs.name, name));
  return r ?? null;
}
