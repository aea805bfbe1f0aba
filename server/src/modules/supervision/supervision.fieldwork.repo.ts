// Queries of field checks and reconciliation rounds (the supervision module's fieldwork tables).
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  supervisionCheckPoints,
  supervisionChecks,
  supervisionPointEvents,
  supervisionRoundRows,
  supervisionRounds,
} from './supervision.fieldwork.table.js';
import { visibleSql, type Visibility } from './supervision.repo.js';
import { idList, rows } from '../../db/rows.js';

export type CheckRow = typeof supervisionChecks.$inferSelect;
export type PointRow = typeof supervisionCheckPoints.$inferSelect;
export type RoundRow = typeof supervisionRounds.$inferSelect;
export type RoundTaskRow = typeof supervisionRoundRows.$inferSelect;

// ---------- checks ----------

export async function checksOfTask(db: Db, taskId: number): Promise<CheckRow[]> {
  return db
    .select()
    .from(supervisionChecks)
    .where(eq(supervisionChecks.taskId, taskId))
    .orderBy(asc(supervisionChecks.seq));
}

export async function checkSeqs(tx: Db, taskId: number): Promise<number[]> {
  const r = await tx
    .select({ seq: supervisionChecks.seq })
    .from(supervisionChecks)
    .where(eq(supervisionChecks.taskId, taskId));
  return r.map((x) => x.seq);
}

export async function insertCheck(tx: Db, v: typeof supervisionChecks.$inferInsert): Promise<CheckRow> {
  const [row] = await tx.insert(supervisionChecks).values(v).returning();
  return row;
}

export async function insertPoints(tx: Db, list: (typeof supervisionCheckPoints.$inferInsert)[]): Promise<void> {
  if (list.length) await tx.insert(supervisionCheckPoints).values(list);
}

export async function pointsOfTask(db: Db, taskId: number): Promise<PointRow[]> {
  return db
    .select()
    .from(supervisionCheckPoints)
    .where(eq(supervisionCheckPoints.taskId, taskId))
    .orderBy(asc(supervisionCheckPoints.checkId), asc(supervisionCheckPoints.seq));
}

export async function findPoint(db: Db, id: number, forUpdate = false): Promise<PointRow | null> {
  const q = db.select().from(supervisionCheckPoints).where(eq(supervisionCheckPoints.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function findCheck(db: Db, id: number): Promise<CheckRow | null> {
  const [row] = await db.select().from(supervisionChecks).where(eq(supervisionChecks.id, id));
  return row ?? null;
}

export async function updatePoint(
  tx: Db,
  id: number,
  v: Partial<typeof supervisionCheckPoints.$inferInsert>,
): Promise<PointRow> {
  const [row] = await tx.update(supervisionCheckPoints).set(v).where(eq(supervisionCheckPoints.id, id)).returning();
  return row;
}

export async function insertPointEvent(tx: Db, v: typeof supervisionPointEvents.$inferInsert): Promise<void> {
  await tx.insert(supervisionPointEvents).values(v);
}

export async function pointEvents(db: Db, pointIds: readonly number[]) {
  if (!pointIds.length) return [];
  return db
    .select()
    .from(supervisionPointEvents)
    .where(inArray(supervisionPointEvents.pointId, [...pointIds]))
    .orderBy(asc(supervisionPointEvents.id));
}

export type CheckListFilter = {
  unitId?: number;
  mode?: string;
  from?: string;
  to?: string;
  pending?: 'unit' | 'office';
};

function checkListWhere(v: Visibility, f: CheckListFilter): SQL {
  const conds: SQL[] = [visibleSql(v)];
  if (f.unitId)
    conds.push(
      sql`(t.lead_unit_id = ${f.unitId} OR EXISTS (SELECT 1 FROM supervision_co_units c2 WHERE c2.task_id = t.id AND c2.unit_id = ${f.unitId}))`,
    );
  if (f.mode) conds.push(sql`k.mode = ${f.mode}`);
  if (f.from) conds.push(sql`k.checked_on >= ${f.from}::date`);
  if (f.to) conds.push(sql`k.checked_on <= ${f.to}::date`);
  if (f.pending === 'unit')
    conds.push(
      sql`EXISTS (SELECT 1 FROM supervision_check_points p2 WHERE p2.check_id = k.id AND p2.status IN ('open','returned'))`,
    );
  if (f.pending === 'office')
    conds.push(
      sql`EXISTS (SELECT 1 FROM supervision_check_points p2 WHERE p2.check_id = k.id AND p2.status = 'answered')`,
    );
  return sql`supervision_checks k JOIN supervision_tasks t ON t.id = k.task_id LEFT JOIN units u ON u.id = t.lead_unit_id WHERE ${sql.join(conds, sql` AND `)}`;
}

export type CheckListRow = {
  id: number;
  task_id: number;
  task_title: string;
  lead_unit_name: string | null;
  seq: number;
  checked_on: string;
  people: string;
  methods: string[];
  mode: string;
  findings: string;
  points: number;
  open: number;
  answered: number;
  accepted: number;
};

/** One page of the checks the user may see, newest first. */
export async function checkList(db: Db, v: Visibility, f: CheckListFilter, limit: number, offset: number) {
  return rows<CheckListRow>(
    db,
    sql`SELECT k.id, k.task_id, t.title AS task_title, u.name AS lead_unit_name, k.seq, k.checked_on::text AS checked_on,
          k.people, k.methods, k.mode, k.findings,
          (SELECT count(*)::int FROM supervision_check_points p WHERE p.check_id = k.id) AS points,
          (SELECT count(*)::int FROM supervision_check_points p WHERE p.check_id = k.id AND p.status IN ('open','returned')) AS open,
          (SELECT count(*)::int FROM supervision_check_points p WHERE p.check_id = k.id AND p.status = 'answered') AS answered,
          (SELECT count(*)::int FROM supervision_check_points p WHERE p.check_id = k.id AND p.status = 'accepted') AS accepted
        FROM ${checkListWhere(v, f)}
        ORDER BY k.checked_on DESC, k.id DESC
        LIMIT ${limit} OFFSET ${offset}`,
  );
}

/** The FROM/WHERE of the check list, for counting. */
export function checkListFrom(v: Visibility, f: CheckListFilter): SQL {
  return checkListWhere(v, f);
}

export type PointListRow = {
  id: number;
  task_id: number;
  task_title: string;
  lead_unit_name: string | null;
  check_seq: number;
  checked_on: string;
  seq: number;
  requirement: string;
  due_on: string | null;
  status: string;
  return_reason: string;
};

/** Points in the given statuses of the tasks matching `taskCond` (aliased t), oldest due first. */
export async function pointList(db: Db, taskCond: SQL, statuses: readonly string[]) {
  return rows<PointListRow>(
    db,
    sql`SELECT p.id, p.task_id, t.title AS task_title, u.name AS lead_unit_name, k.seq AS check_seq, k.checked_on::text AS checked_on,
          p.seq, p.requirement, p.due_on::text AS due_on, p.status, p.return_reason
        FROM supervision_check_points p
        JOIN supervision_checks k ON k.id = p.check_id
        JOIN supervision_tasks t ON t.id = p.task_id
        LEFT JOIN units u ON u.id = t.lead_unit_id
        WHERE p.status IN (${sql.join(
          statuses.map((s) => sql`${s}`),
          sql`, `,
        )}) AND ${taskCond}
        ORDER BY p.due_on NULLS LAST, p.id
        LIMIT 500`,
  );
}

export const leadInSql = (unitIds: readonly number[]) => sql`t.lead_unit_id IN (${idList(unitIds)})`;

// ---------- rounds ----------

export async function insertRound(tx: Db, v: typeof supervisionRounds.$inferInsert): Promise<RoundRow> {
  const [row] = await tx.insert(supervisionRounds).values(v).returning();
  return row;
}

export async function findRound(db: Db, id: number, forUpdate = false): Promise<RoundRow | null> {
  const q = db.select().from(supervisionRounds).where(eq(supervisionRounds.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function updateRound(tx: Db, id: number, v: Partial<typeof supervisionRounds.$inferInsert>) {
  await tx.update(supervisionRounds).set(v).where(eq(supervisionRounds.id, id));
}

/** Rounds with at least one row of the given units (all rounds when unitIds is null), newest first. */
export async function roundsOf(db: Db, unitIds: readonly number[] | null, year?: number): Promise<RoundRow[]> {
  const conds: SQL[] = [];
  if (year) conds.push(eq(supervisionRounds.year, year));
  if (unitIds)
    conds.push(
      sql`EXISTS (SELECT 1 FROM supervision_round_rows r WHERE r.round_id = ${supervisionRounds.id} AND r.unit_id IN (${idList(unitIds)}))`,
    );
  return db
    .select()
    .from(supervisionRounds)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(sql`${supervisionRounds.asOf} DESC, ${supervisionRounds.id} DESC`);
}

/** The snapshot of a round: live tasks of the year (of the given lead units, or all). */
export async function snapshotTasks(tx: Db, year: number, unitIds: readonly number[]) {
  const unitCond = unitIds.length ? sql` AND t.lead_unit_id IN (${idList(unitIds)})` : sql``;
  return rows<{
    id: number;
    lead_unit_id: number;
    title: string;
    status: string;
    progress: number;
    light: string | null;
    deadline: string;
  }>(
    tx,
    sql`SELECT t.id, t.lead_unit_id, t.title, t.status, t.progress, t.light, t.deadline::text AS deadline
        FROM supervision_tasks t
        WHERE t.year = ${year} AND t.lead_unit_id IS NOT NULL
          AND t.status IN ('assigned','signed','plan_submitted','in_progress','completion_applied') ${unitCond}
        ORDER BY t.lead_unit_id, t.id`,
  );
}

export async function insertRoundRows(tx: Db, list: (typeof supervisionRoundRows.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < list.length; i += 500) await tx.insert(supervisionRoundRows).values(list.slice(i, i + 500));
}

/** The rows of a round (of the given units, or all). */
export async function roundRows(db: Db, roundId: number, unitIds: readonly number[] | null): Promise<RoundTaskRow[]> {
  return db
    .select()
    .from(supervisionRoundRows)
    .where(
      and(
        eq(supervisionRoundRows.roundId, roundId),
        unitIds ? inArray(supervisionRoundRows.unitId, unitIds.length ? [...unitIds] : [0]) : undefined,
      ),
    )
    .orderBy(asc(supervisionRoundRows.unitId), asc(supervisionRoundRows.taskId));
}

export async function findRoundRow(db: Db, id: number, forUpdate = false): Promise<RoundTaskRow | null> {
  const q = db.select().from(supervisionRoundRows).where(eq(supervisionRoundRows.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function updateRoundRow(
  tx: Db,
  id: number,
  v: Partial<typeof supervisionRoundRows.$inferInsert>,
): Promise<RoundTaskRow> {
  const [row] = await tx.update(supervisionRoundRows).set(v).where(eq(supervisionRoundRows.id, id)).returning();
  return row;
}
