import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { units } from '../units/index.js';
import type { StoredFlag } from './reporting.anomaly.js';
import type { FormValues, TFormDefinition } from './reporting.forms.js';
import {
  indicatorDeadlines,
  indicatorForms,
  notifications,
  reportingSettings,
  submissionEvents,
  submissionEvidence,
  submissionRevisions,
  submissions,
  type DeadlineMode,
  type RevisionStatus,
  type SubmissionStatus,
} from './reporting.table.js';
import { rows } from '../../db/rows.js';

export type SettingsRow = typeof reportingSettings.$inferSelect;
export type FormRow = typeof indicatorForms.$inferSelect;
export type DeadlineRow = typeof indicatorDeadlines.$inferSelect;
export type SubmissionRow = typeof submissions.$inferSelect;
export type RevisionRow = typeof submissionRevisions.$inferSelect;
export type EventRow = typeof submissionEvents.$inferSelect;
export type EvidenceRow = typeof submissionEvidence.$inferSelect;

/** Rows of a raw query on either driver (PGlite and node-postgres both answer `{ rows }`). */
/** An int[] literal bound as ONE parameter (drizzle would expand a JS array into a list). */
const intArray = (ids: readonly number[]) => sql`${`{${ids.map((n) => Math.trunc(n)).join(',')}}`}::int[]`;

// ---------- settings, forms, deadlines ----------

/**
 * Copies a year's data-collection configuration to its copy: each leaf's form (as version 1: the new
 * year has no submissions yet) and deadline override, by the indicators' new ids, and the year's
 * settings. Returns how many of each were copied.
 */
export async function copyYearConfig(
  tx: Db,
  c: { fromYearId: number; toYearId: number; indicatorIds: ReadonlyMap<number, number> },
): Promise<{ forms: number; deadlines: number; settings: number }> {
  const pairs = JSON.stringify([...c.indicatorIds]);
  const result = (await tx.execute(sql`
    WITH m AS (SELECT (e->>0)::int AS old_id, (e->>1)::int AS new_id FROM json_array_elements(${pairs}::json) AS e),
    f AS (INSERT INTO indicator_forms (indicator_id, definition, version, updated_by, updated_at)
          SELECT m.new_id, x.definition, 1, x.updated_by, now() FROM indicator_forms x JOIN m ON m.old_id = x.indicator_id RETURNING 1),
    d AS (INSERT INTO indicator_deadlines (indicator_id, mode, day, working_days)
          SELECT m.new_id, x.mode, x.day, x.working_days FROM indicator_deadlines x JOIN m ON m.old_id = x.indicator_id RETURNING 1),
    s AS (INSERT INTO reporting_settings (year_id, deadline_mode, deadline_working_days, deadline_rolls_over, reminder_days_before, jump_threshold_pct, peer_iqr_factor, light_green_margin, light_yellow_margin, updated_by, updated_at)
          SELECT ${c.toYearId}::int, x.deadline_mode, x.deadline_working_days, x.deadline_rolls_over, x.reminder_days_before, x.jump_threshold_pct, x.peer_iqr_factor, x.light_green_margin, x.light_yellow_margin, x.updated_by, now()
          FROM reporting_settings x WHERE x.year_id = ${c.fromYearId}::int RETURNING 1)
    SELECT (SELECT count(*) FROM f)::int AS forms, (SELECT count(*) FROM d)::int AS deadlines, (SELECT count(*) FROM s)::int AS settings`)) as unknown as {
    rows: { forms: number; deadlines: number; settings: number }[];
  };
  const r = result.rows[0];
  return { forms: Number(r.forms), deadlines: Number(r.deadlines), settings: Number(r.settings) };
}

export async function findSettings(db: Db, yearId: number): Promise<SettingsRow | null> {
  return (await db.select().from(reportingSettings).where(eq(reportingSettings.yearId, yearId)).limit(1))[0] ?? null;
}

export async function upsertSettings(
  db: Db,
  yearId: number,
  v: Partial<Omit<SettingsRow, 'yearId'>>,
): Promise<SettingsRow> {
  const set = { ...v, updatedAt: new Date() };
  return (
    await db
      .insert(reportingSettings)
      .values({ yearId, ...set })
      .onConflictDoUpdate({ target: reportingSettings.yearId, set })
      .returning()
  )[0];
}

export async function formsOf(db: Db, indicatorIds: readonly number[]): Promise<FormRow[]> {
  if (!indicatorIds.length) return [];
  return rows<FormRow>(
    db,
    sql`SELECT indicator_id AS "indicatorId", definition, version, updated_by AS "updatedBy", updated_at AS "updatedAt"
        FROM indicator_forms WHERE indicator_id = ANY(${intArray(indicatorIds)})`,
  );
}

export async function saveForm(
  db: Db,
  indicatorId: number,
  definition: TFormDefinition,
  userId: number | null,
): Promise<FormRow> {
  return (
    await db
      .insert(indicatorForms)
      .values({ indicatorId, definition, version: 1, updatedBy: userId })
      .onConflictDoUpdate({
        target: indicatorForms.indicatorId,
        set: { definition, version: sql`${indicatorForms.version} + 1`, updatedBy: userId, updatedAt: new Date() },
      })
      .returning()
  )[0];
}

export async function deleteForm(db: Db, indicatorId: number): Promise<void> {
  await db.delete(indicatorForms).where(eq(indicatorForms.indicatorId, indicatorId));
}

export async function deadlinesOf(db: Db, indicatorIds: readonly number[]): Promise<DeadlineRow[]> {
  if (!indicatorIds.length) return [];
  return rows<DeadlineRow>(
    db,
    sql`SELECT indicator_id AS "indicatorId", mode, day, working_days AS "workingDays" FROM indicator_deadlines WHERE indicator_id = ANY(${intArray(indicatorIds)})`,
  );
}

export async function saveDeadline(
  db: Db,
  v: { indicatorId: number; mode: DeadlineMode; day: number | null; workingDays: number | null },
): Promise<void> {
  await db
    .insert(indicatorDeadlines)
    .values(v)
    .onConflictDoUpdate({
      target: indicatorDeadlines.indicatorId,
      set: { mode: v.mode, day: v.day, workingDays: v.workingDays },
    });
}

export async function deleteDeadline(db: Db, indicatorId: number): Promise<void> {
  await db.delete(indicatorDeadlines).where(eq(indicatorDeadlines.indicatorId, indicatorId));
}

// ---------- submissions ----------

export async function findSubmission(db: Db, id: number): Promise<SubmissionRow | null> {
  return (await db.select().from(submissions).where(eq(submissions.id, id)).limit(1))[0] ?? null;
}

export async function findSubmissions(db: Db, ids: readonly number[]): Promise<SubmissionRow[]> {
  if (!ids.length) return [];
  return db
    .select()
    .from(submissions)
    .where(inArray(submissions.id, [...ids]));
}

export async function findByKey(
  db: Db,
  indicatorId: number,
  unitId: number,
  period: string,
): Promise<SubmissionRow | null> {
  return (
    (
      await db
        .select()
        .from(submissions)
        .where(
          and(eq(submissions.indicatorId, indicatorId), eq(submissions.unitId, unitId), eq(submissions.period, period)),
        )
        .limit(1)
    )[0] ?? null
  );
}

/** The submissions of a unit and period for the given leaves. */
export async function findForUnitPeriod(
  db: Db,
  unitId: number,
  period: string,
  indicatorIds: readonly number[],
): Promise<SubmissionRow[]> {
  if (!indicatorIds.length) return [];
  return db
    .select()
    .from(submissions)
    .where(
      and(
        eq(submissions.unitId, unitId),
        eq(submissions.period, period),
        inArray(submissions.indicatorId, [...indicatorIds]),
      ),
    );
}

export type SubmissionFilter = {
  yearId?: number;
  unitIds?: readonly number[];
  indicatorIds?: readonly number[];
  period?: string;
  statuses?: readonly SubmissionStatus[];
  source?: 'self_report' | 'third_party';
  limit: number;
};

export async function listSubmissions(db: Db, f: SubmissionFilter): Promise<SubmissionRow[]> {
  const where: SQL[] = [];
  if (f.yearId) where.push(eq(submissions.yearId, f.yearId));
  if (f.unitIds) where.push(f.unitIds.length ? sql`${submissions.unitId} = ANY(${intArray(f.unitIds)})` : sql`false`);
  if (f.indicatorIds)
    where.push(f.indicatorIds.length ? sql`${submissions.indicatorId} = ANY(${intArray(f.indicatorIds)})` : sql`false`);
  if (f.period) where.push(eq(submissions.period, f.period));
  if (f.statuses) where.push(f.statuses.length ? inArray(submissions.status, [...f.statuses]) : sql`false`);
  if (f.source) where.push(eq(submissions.source, f.source));
  return db
    .select()
    .from(submissions)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(submissions.period), asc(submissions.unitId), asc(submissions.indicatorId))
    .limit(f.limit);
}

/** Compact rows of a unit's year: enough for the to-do list and the lights. */
export type CompactRow = {
  id: number;
  indicatorId: number;
  period: string;
  status: SubmissionStatus;
  value: number | null;
  late: boolean;
  returned: boolean;
  returnReason: string | null;
  firstSubmittedAt: Date | string | null;
  pendingFlags: number;
};

export async function compactForUnits(
  db: Db,
  yearId: number,
  unitIds: readonly number[],
): Promise<(CompactRow & { unitId: number })[]> {
  if (!unitIds.length) return [];
  return rows(
    db,
    sql`SELECT id, unit_id AS "unitId", indicator_id AS "indicatorId", period, status, value::float8 AS value, late,
               (status = 'draft' AND return_reason IS NOT NULL) AS returned, return_reason AS "returnReason",
               first_submitted_at AS "firstSubmittedAt",
               (SELECT count(*)::int FROM jsonb_array_elements(flags) f WHERE f->>'comment' IS NULL) AS "pendingFlags"
        FROM submissions WHERE year_id = ${yearId} AND unit_id = ANY(${intArray(unitIds)})`,
  );
}

/** Keys of everything submitted at least once in a year (for overdue lists and late counts). */
export async function submittedKeys(db: Db, yearId: number, period?: string) {
  return rows<{
    id: number;
    unitId: number;
    indicatorId: number;
    period: string;
    status: SubmissionStatus;
    late: boolean;
    submittedOnce: boolean;
  }>(
    db,
    sql`SELECT id, unit_id AS "unitId", indicator_id AS "indicatorId", period, status, late, (first_submitted_at IS NOT NULL) AS "submittedOnce"
        FROM submissions WHERE year_id = ${yearId} ${period ? sql`AND period = ${period}` : sql``}`,
  );
}

/** A self-reported leaf as the overdue count needs it: who it applies to and its periods past their deadline. */
export type OverdueLeaf = {
  id: number;
  /** Periods whose deadline has passed (only cells of these count). */
  periods: string[];
  /** The non-empty `appliesTo` restrictions on the leaf's path (leaf and ancestors): each must allow the unit. */
  restrictions: { categoryIds: number[]; unitIds: number[] }[];
  /** Every unit named on the path (a unit without a category is assessed only where named). */
  named: number[];
};

/**
 * The number of overdue cells — (active unit the leaf applies to, leaf, period past its deadline) with
 * nothing submitted — counted in SQL (issue 19: the office's home summary and the cockpit read this
 * instead of loading every submission key and looping over units × leaves × periods in Node):
 * applicable (unit, leaf) pairs × their past periods, less the cells submitted at least once.
 * `unitIds`: the caller's scope (null = all units). Applicability is performance.leavesFor's rule.
 */
export async function countOverdueCells(
  db: Db,
  leaves: readonly OverdueLeaf[],
  unitIds: readonly number[] | null,
): Promise<number> {
  const used = leaves.filter((l) => l.periods.length);
  if (!used.length || (unitIds !== null && !unitIds.length)) return 0;
  const leafJson = JSON.stringify(used.map((l) => ({ id: l.id, periods: l.periods, named: l.named })));
  const restrJson = JSON.stringify(
    used.flatMap((l) => l.restrictions.map((r) => ({ leaf_id: l.id, cats: r.categoryIds, uids: r.unitIds }))),
  );
  const scope = unitIds === null ? sql`` : sql`AND u.id = ANY(${intArray(unitIds)})`;
  const r = await rows<{ n: number }>(
    db,
    sql`WITH leaf AS (
          SELECT * FROM json_to_recordset(${leafJson}::json) AS x(id int, periods text[], named int[])
        ),
        restr AS (
          SELECT * FROM json_to_recordset(${restrJson}::json) AS x(leaf_id int, cats int[], uids int[])
        ),
        app AS (
          SELECT l.id AS leaf_id, l.periods, u.id AS unit_id
          FROM leaf l JOIN ${units} u ON u.active AND (u.category_id IS NOT NULL OR u.id = ANY(l.named)) ${scope}
          WHERE NOT EXISTS (
            SELECT 1 FROM restr r
            WHERE r.leaf_id = l.id AND NOT (COALESCE(u.category_id = ANY(r.cats), false) OR u.id = ANY(r.uids))
          )
        )
        SELECT ((SELECT COALESCE(sum(cardinality(a.periods)), 0) FROM app a)
              - (SELECT count(*) FROM app a JOIN submissions s ON s.unit_id = a.unit_id AND s.indicator_id = a.leaf_id
                 WHERE s.first_submitted_at IS NOT NULL AND s.period = ANY(a.periods)))::int AS n`,
  );
  return Number(r[0]?.n ?? 0);
}

export async function insertSubmission(db: Db, v: typeof submissions.$inferInsert): Promise<SubmissionRow> {
  return (await db.insert(submissions).values(v).returning())[0];
}

/**
 * Updates a submission only while it is in one of the expected states (so two racing requests
 * cannot both move it); returns null when it was not.
 */
export async function updateIfStatus(
  db: Db,
  id: number,
  expected: readonly SubmissionStatus[],
  v: Partial<typeof submissions.$inferInsert>,
): Promise<SubmissionRow | null> {
  const r = await db
    .update(submissions)
    .set({ ...v, updatedAt: new Date() })
    .where(and(eq(submissions.id, id), inArray(submissions.status, [...expected])))
    .returning();
  return r[0] ?? null;
}

/** Deletes a draft that was never submitted (never accepted: the trigger would refuse). */
export async function deleteDraft(db: Db, id: number): Promise<boolean> {
  const r = await db
    .delete(submissions)
    .where(and(eq(submissions.id, id), eq(submissions.status, 'draft'), isNull(submissions.firstSubmittedAt)))
    .returning({ id: submissions.id });
  return r.length > 0;
}

export type DraftUpsert = {
  yearId: number;
  indicatorId: number;
  unitId: number;
  period: string;
  source: 'self_report' | 'third_party';
  value: number | null;
  fields: FormValues;
  flags: StoredFlag[];
  formVersion: number;
  enteredBy: number | null;
  enteredByName: string;
};

/**
 * Inserts or updates many drafts in a few multi-row statements (Excel import); a row that exists
 * and is not a draft is left alone and simply not returned, so the caller can detect it.
 */
export async function upsertDrafts(
  db: Db,
  list: readonly DraftUpsert[],
  now: Date,
): Promise<{ id: number; indicatorId: number; unitId: number; period: string }[]> {
  const out: { id: number; indicatorId: number; unitId: number; period: string }[] = [];
  for (let i = 0; i < list.length; i += 1000) {
    const chunk = list.slice(i, i + 1000);
    const values = sql.join(
      chunk.map(
        (r) =>
          sql`(${r.yearId}::int, ${r.indicatorId}::int, ${r.unitId}::int, ${r.period}, ${r.source}, 'draft', ${r.value}::numeric, ${JSON.stringify(r.fields)}::jsonb,
               ${JSON.stringify(r.flags)}::jsonb, ${r.formVersion}::int, ${r.enteredBy}::int, ${r.enteredByName}, ${now.toISOString()}::timestamptz)`,
      ),
      sql`, `,
    );
    out.push(
      ...(await rows<{ id: number; indicatorId: number; unitId: number; period: string }>(
        db,
        sql`INSERT INTO submissions (year_id, indicator_id, unit_id, period, source, status, value, fields, flags, form_version, entered_by, entered_by_name, entered_at)
            VALUES ${values}
            ON CONFLICT (indicator_id, unit_id, period) DO UPDATE SET
              value = excluded.value, fields = excluded.fields, flags = excluded.flags, form_version = excluded.form_version,
              entered_by = excluded.entered_by, entered_by_name = excluded.entered_by_name, entered_at = excluded.entered_at, updated_at = excluded.entered_at
            WHERE submissions.status = 'draft'
            RETURNING id, indicator_id AS "indicatorId", unit_id AS "unitId", period`,
      )),
    );
  }
  return out;
}

// ---------- events ----------

export type EventInsert = Omit<typeof submissionEvents.$inferInsert, 'id' | 'at'>;

export async function insertEvents(db: Db, list: readonly EventInsert[]): Promise<void> {
  for (let i = 0; i < list.length; i += 1000)
    await db.insert(submissionEvents).values(list.slice(i, i + 1000) as EventInsert[]);
}

export async function listEvents(db: Db, submissionId: number): Promise<EventRow[]> {
  return db
    .select()
    .from(submissionEvents)
    .where(eq(submissionEvents.submissionId, submissionId))
    .orderBy(asc(submissionEvents.id));
}

// ---------- revisions ----------

export async function listRevisions(db: Db, submissionId: number): Promise<RevisionRow[]> {
  return db
    .select()
    .from(submissionRevisions)
    .where(eq(submissionRevisions.submissionId, submissionId))
    .orderBy(asc(submissionRevisions.revision));
}

export async function findRevision(db: Db, id: number): Promise<RevisionRow | null> {
  return (await db.select().from(submissionRevisions).where(eq(submissionRevisions.id, id)).limit(1))[0] ?? null;
}

export async function revisionsByStatus(db: Db, status: RevisionStatus, limit = 1000): Promise<RevisionRow[]> {
  return db
    .select()
    .from(submissionRevisions)
    .where(eq(submissionRevisions.status, status))
    .orderBy(desc(submissionRevisions.requestedAt))
    .limit(limit);
}

export async function openRevisionFor(db: Db, submissionIds: readonly number[]): Promise<Set<number>> {
  if (!submissionIds.length) return new Set();
  const r = await rows<{ id: number }>(
    db,
    sql`SELECT submission_id AS id FROM submission_revisions WHERE status = 'requested' AND submission_id = ANY(${intArray(submissionIds)})`,
  );
  return new Set(r.map((x) => x.id));
}

export async function maxRevision(db: Db, submissionId: number): Promise<number> {
  const r = await rows<{ m: number | null }>(
    db,
    sql`SELECT max(revision)::int AS m FROM submission_revisions WHERE submission_id = ${submissionId}`,
  );
  return r[0]?.m ?? -1;
}

export async function insertRevisions(
  db: Db,
  list: readonly (typeof submissionRevisions.$inferInsert)[],
): Promise<RevisionRow[]> {
  if (!list.length) return [];
  return db
    .insert(submissionRevisions)
    .values([...list])
    .returning();
}

export async function decideRevision(
  db: Db,
  id: number,
  v: {
    status: 'approved' | 'rejected';
    decidedBy: number | null;
    decidedByName: string;
    decisionComment: string | null;
  },
): Promise<RevisionRow | null> {
  const r = await db
    .update(submissionRevisions)
    .set({ ...v, decidedAt: new Date() })
    .where(and(eq(submissionRevisions.id, id), eq(submissionRevisions.status, 'requested')))
    .returning();
  return r[0] ?? null;
}

// ---------- evidence ----------

export async function listEvidence(db: Db, submissionId: number): Promise<EvidenceRow[]> {
  return db
    .select()
    .from(submissionEvidence)
    .where(eq(submissionEvidence.submissionId, submissionId))
    .orderBy(asc(submissionEvidence.id));
}

export async function findEvidence(db: Db, id: number): Promise<EvidenceRow | null> {
  return (await db.select().from(submissionEvidence).where(eq(submissionEvidence.id, id)).limit(1))[0] ?? null;
}

export async function insertEvidence(db: Db, v: typeof submissionEvidence.$inferInsert): Promise<EvidenceRow> {
  return (await db.insert(submissionEvidence).values(v).returning())[0];
}

export async function deleteEvidence(db: Db, id: number): Promise<void> {
  await db.delete(submissionEvidence).where(eq(submissionEvidence.id, id));
}

export async function deleteEvidenceOf(db: Db, submissionId: number): Promise<void> {
  await db.delete(submissionEvidence).where(eq(submissionEvidence.submissionId, submissionId));
}

// ---------- anomaly references ----------

/** Per leaf: the latest earlier period of the year with submitted data for the unit. */
export async function previousValues(db: Db, unitId: number, indicatorIds: readonly number[], period: string) {
  if (!indicatorIds.length) return [];
  return rows<{ indicatorId: number; period: string; value: number | null; fields: FormValues }>(
    db,
    sql`SELECT DISTINCT ON (indicator_id) indicator_id AS "indicatorId", period, value::float8 AS value, fields
        FROM submissions
        WHERE unit_id = ${unitId} AND indicator_id = ANY(${intArray(indicatorIds)}) AND period < ${period}
          AND period >= ${`${period.slice(0, 4)}-01`} AND status <> 'draft'
        ORDER BY indicator_id, period DESC`,
  );
}

/** Submitted values of a unit for the leaves in one period. */
export async function valuesAt(db: Db, unitId: number, indicatorIds: readonly number[], period: string) {
  if (!indicatorIds.length) return [];
  return rows<{ indicatorId: number; value: number | null }>(
    db,
    sql`SELECT indicator_id AS "indicatorId", value::float8 AS value FROM submissions
        WHERE unit_id = ${unitId} AND indicator_id = ANY(${intArray(indicatorIds)}) AND period = ${period} AND status <> 'draft'`,
  );
}

/** Submitted score values of other units for the leaves and period. */
export async function peerValues(db: Db, indicatorIds: readonly number[], period: string, unitIds: readonly number[]) {
  if (!indicatorIds.length || !unitIds.length) return [];
  return rows<{ indicatorId: number; value: number }>(
    db,
    sql`SELECT indicator_id AS "indicatorId", value::float8 AS value FROM submissions
        WHERE indicator_id = ANY(${intArray(indicatorIds)}) AND period = ${period} AND unit_id = ANY(${intArray(unitIds)})
          AND status <> 'draft' AND value IS NOT NULL`,
  );
}

// ---------- views ----------

/**
 * One row per unit for a period: "indicatorId:code" tokens joined by ',' — the status code of
 * each submission (see ZMatrix), '!' appended when it carries anomaly flags.
 */
export async function matrixTokens(db: Db, yearId: number, period: string, indicatorIds: readonly number[]) {
  if (!indicatorIds.length) return [];
  return rows<{ unitId: number; t: string }>(
    db,
    sql`SELECT unit_id AS "unitId", string_agg(indicator_id::text || ':' ||
          CASE status
            WHEN 'draft' THEN CASE WHEN return_reason IS NOT NULL THEN (CASE WHEN late THEN 'R' ELSE 'r' END) ELSE 'd' END
            WHEN 'submitted' THEN CASE WHEN late THEN 'S' ELSE 's' END
            WHEN 'leader_approved' THEN CASE WHEN late THEN 'L' ELSE 'l' END
            ELSE CASE WHEN late THEN 'A' ELSE 'a' END
          END || CASE WHEN flags <> '[]'::jsonb THEN '!' ELSE '' END, ',') AS t
        FROM submissions
        WHERE year_id = ${yearId} AND period = ${period} AND indicator_id = ANY(${intArray(indicatorIds)})
        GROUP BY unit_id`,
  );
}

export async function flaggedSubmissions(
  db: Db,
  yearId: number,
  period: string | undefined,
  limit: number,
): Promise<SubmissionRow[]> {
  const where = [
    eq(submissions.yearId, yearId),
    sql`${submissions.flags} <> '[]'::jsonb`,
    sql`${submissions.status} <> 'draft'`,
  ];
  if (period) where.push(eq(submissions.period, period));
  return db
    .select()
    .from(submissions)
    .where(and(...where))
    .orderBy(desc(submissions.period), asc(submissions.unitId))
    .limit(limit);
}

export async function countByStatus(
  db: Db,
  f: { unitIds?: readonly number[]; statuses: readonly SubmissionStatus[]; source?: 'self_report' | 'third_party' },
): Promise<number> {
  const where: SQL[] = [inArray(submissions.status, [...f.statuses])];
  if (f.unitIds) where.push(f.unitIds.length ? sql`${submissions.unitId} = ANY(${intArray(f.unitIds)})` : sql`false`);
  if (f.source) where.push(eq(submissions.source, f.source));
  const r = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(submissions)
    .where(and(...where));
  return Number(r[0]?.n ?? 0);
}

/** Office queue size: approved by the leader, or third-party data submitted. */
export async function countOfficeQueue(db: Db): Promise<number> {
  const r = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM submissions WHERE status = 'leader_approved' OR (status = 'submitted' AND source = 'third_party')`,
  );
  return Number(r[0]?.n ?? 0);
}

export async function countFlaggedPending(db: Db): Promise<number> {
  const r = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM submissions WHERE flags <> '[]'::jsonb AND status IN ('submitted','leader_approved')`,
  );
  return Number(r[0]?.n ?? 0);
}

export async function countRevisions(db: Db, status: RevisionStatus): Promise<number> {
  const r = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(submissionRevisions)
    .where(eq(submissionRevisions.status, status));
  return Number(r[0]?.n ?? 0);
}

/** Evidence counts per submission. */
export async function evidenceCounts(db: Db, submissionIds: readonly number[]): Promise<Map<number, number>> {
  if (!submissionIds.length) return new Map();
  const r = await rows<{ id: number; n: number }>(
    db,
    sql`SELECT submission_id AS id, count(*)::int AS n FROM submission_evidence WHERE submission_id = ANY(${intArray(submissionIds)}) GROUP BY submission_id`,
  );
  return new Map(r.map((x) => [x.id, Number(x.n)]));
}

// ---------- reminders and notifications ----------

/** Records reminder keys; returns only the ones not recorded before (the job is idempotent). */
export async function recordReminders(
  db: Db,
  keys: readonly { unitId: number; indicatorId: number; period: string; kind: 'before' | 'due' }[],
) {
  const out: { unitId: number; indicatorId: number; period: string; kind: 'before' | 'due' }[] = [];
  for (let i = 0; i < keys.length; i += 1000) {
    const chunk = keys.slice(i, i + 1000);
    const values = sql.join(
      chunk.map((k) => sql`(${k.unitId}::int, ${k.indicatorId}::int, ${k.period}, ${k.kind})`),
      sql`, `,
    );
    out.push(
      ...(await rows<{ unitId: number; indicatorId: number; period: string; kind: 'before' | 'due' }>(
        db,
        sql`INSERT INTO reporting_reminders (unit_id, indicator_id, period, kind) VALUES ${values}
            ON CONFLICT DO NOTHING RETURNING unit_id AS "unitId", indicator_id AS "indicatorId", period, kind`,
      )),
    );
  }
  return out;
}

export async function insertNotifications(db: Db, list: readonly (typeof notifications.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < list.length; i += 1000)
    await db.insert(notifications).values(list.slice(i, i + 1000) as (typeof notifications.$inferInsert)[]);
}

export async function listNotifications(db: Db, userId: number, limit = 50) {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id))
    .limit(limit);
}

export async function countUnread(db: Db, userId: number): Promise<number> {
  const r = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(r[0]?.n ?? 0);
}

export async function markRead(db: Db, userId: number, id: number | null): Promise<number> {
  const where =
    id === null
      ? and(eq(notifications.userId, userId), isNull(notifications.readAt))
      : and(eq(notifications.userId, userId), eq(notifications.id, id));
  const r = await db.update(notifications).set({ readAt: new Date() }).where(where).returning({ id: notifications.id });
  return r.length;
}
