import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  supervisionCoUnits,
  supervisionEvents,
  supervisionFiles,
  supervisionInstructions,
  supervisionMilestones,
  supervisionTasks,
} from './supervision.table.js';
import { idList, rows } from '../../db/rows.js';

export type TaskRow = typeof supervisionTasks.$inferSelect;
export type MilestoneRow = typeof supervisionMilestones.$inferSelect;

/**
 * Who sees what: all, or tasks led by / co-handled by a unit in scope, and (with a user) those the user is
 * the leader in charge of or instructed. `userId: null` is a unit's own view (我的督办).
 */
export type Visibility = { all: true } | { all: false; unitIds: number[]; userId: number | null };

/** The ids of the tasks led or co-handled by one of the units (each branch an index scan). */
export function unitTaskIdsSql(unitIds: readonly number[]): SQL {
  const list = idList(unitIds);
  return sql`SELECT id FROM supervision_tasks WHERE lead_unit_id IN (${list})
    UNION ALL SELECT task_id FROM supervision_co_units WHERE unit_id IN (${list})`;
}

/**
 * The rule as a condition on `t` (supervision_tasks): the task's id is in the union of the visible ids, so
 * the database reads the few tasks of the units (and the user) through their indexes instead of testing
 * every task of the ledger against an OR of subqueries.
 */
export function visibleSql(v: Visibility): SQL {
  if (v.all) return sql`true`;
  const own =
    v.userId === null
      ? sql``
      : sql` UNION ALL SELECT id FROM supervision_tasks WHERE leader_id = ${v.userId}
    UNION ALL SELECT t2.id FROM supervision_tasks t2 JOIN supervision_instructions i ON i.id = t2.instruction_id WHERE i.author_id = ${v.userId}`;
  return sql`t.id IN (${unitTaskIdsSql(v.unitIds)}${own})`;
}

export type LedgerFilter = {
  year?: number;
  source?: string;
  unitId?: number;
  leaderId?: number;
  status?: string;
  light?: string;
  priority?: string;
  q?: string;
  limit: number;
  offset: number;
};

export type LedgerRow = {
  id: number;
  year: number;
  source: string;
  title: string;
  lead_unit_id: number | null;
  lead_unit_name: string | null;
  co_unit_names: string[] | null;
  leader_id: number | null;
  leader_name: string | null;
  deadline: string;
  status: string;
  priority: string;
  progress: number;
  light: string | null;
  light_reasons: string[];
  completion: string | null;
  quality: string | null;
  parent_id: number | null;
};

/** One page of the ledger with the total and the light counts of the whole filtered set. */
export async function ledger(
  db: Db,
  v: Visibility,
  f: LedgerFilter,
): Promise<{ total: number; counts: Record<'green' | 'yellow' | 'red', number>; rows: LedgerRow[] }> {
  const conds: SQL[] = [visibleSql(v)];
  if (f.year) conds.push(sql`t.year = ${f.year}`);
  if (f.source) conds.push(sql`t.source = ${f.source}`);
  // Checked on the rows the other filters leave (the office's filtered page narrows by leader, source … first).
  if (f.unitId)
    conds.push(
      sql`(t.lead_unit_id = ${f.unitId} OR EXISTS (SELECT 1 FROM supervision_co_units c2 WHERE c2.task_id = t.id AND c2.unit_id = ${f.unitId}))`,
    );
  if (f.leaderId) conds.push(sql`t.leader_id = ${f.leaderId}`);
  if (f.status) conds.push(sql`t.status = ${f.status}`);
  if (f.priority) conds.push(sql`t.priority = ${f.priority}`);
  if (f.q) conds.push(sql`t.title LIKE ${`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  const base = sql.join(conds, sql` AND `);
  const lightCond = f.light ? sql` AND t.light = ${f.light}` : sql``;
  const [agg] = await rows<{ total: number; green: number; yellow: number; red: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE true ${lightCond})::int AS total,
          count(*) FILTER (WHERE t.light = 'green')::int AS green,
          count(*) FILTER (WHERE t.light = 'yellow')::int AS yellow,
          count(*) FILTER (WHERE t.light = 'red')::int AS red
        FROM supervision_tasks t WHERE ${base}`,
  );
  const page = await rows<LedgerRow>(
    db,
    sql`SELECT t.id, t.year, t.source, t.title, t.lead_unit_id, u.name AS lead_unit_name,
          (SELECT array_agg(cu.name ORDER BY cu.id) FROM supervision_co_units c JOIN units cu ON cu.id = c.unit_id WHERE c.task_id = t.id) AS co_unit_names,
          t.leader_id, l.display_name AS leader_name, t.deadline::text AS deadline, t.status, t.priority, t.progress, t.light, t.light_reasons,
          t.completion, t.quality, t.parent_id
        FROM supervision_tasks t
        LEFT JOIN units u ON u.id = t.lead_unit_id
        LEFT JOIN users l ON l.id = t.leader_id
        WHERE ${base} ${lightCond}
        ORDER BY CASE t.light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END, t.deadline, t.id
        LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  return { total: agg.total, counts: { green: agg.green, yellow: agg.yellow, red: agg.red }, rows: page };
}

/** True when the task is visible under the rule (the same rule as the ledger's). */
export async function isVisible(db: Db, v: Visibility, taskId: number): Promise<boolean> {
  const r = await rows<{ ok: number }>(
    db,
    sql`SELECT 1 AS ok FROM supervision_tasks t WHERE t.id = ${taskId} AND ${visibleSql(v)}`,
  );
  return r.length > 0;
}

export async function findTask(db: Db, id: number, forUpdate = false): Promise<TaskRow | null> {
  const q = db.select().from(supervisionTasks).where(eq(supervisionTasks.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function insertTask(tx: Db, v: typeof supervisionTasks.$inferInsert): Promise<TaskRow> {
  const [row] = await tx.insert(supervisionTasks).values(v).returning();
  return row;
}

export async function updateTask(
  tx: Db,
  id: number,
  v: Partial<typeof supervisionTasks.$inferInsert>,
): Promise<TaskRow> {
  const [row] = await tx
    .update(supervisionTasks)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(supervisionTasks.id, id))
    .returning();
  return row;
}

export async function replaceCoUnits(
  tx: Db,
  taskId: number,
  list: readonly { unitId: number; contact: string }[],
): Promise<void> {
  await tx.delete(supervisionCoUnits).where(eq(supervisionCoUnits.taskId, taskId));
  if (list.length)
    await tx.insert(supervisionCoUnits).values(list.map((c) => ({ taskId, unitId: c.unitId, contact: c.contact })));
}

export async function coUnits(db: Db, taskId: number): Promise<{ unitId: number; name: string; contact: string }[]> {
  return rows(
    db,
    sql`SELECT c.unit_id AS "unitId", u.name, c.contact FROM supervision_co_units c JOIN units u ON u.id = c.unit_id WHERE c.task_id = ${taskId} ORDER BY u.id`,
  );
}

export async function addMilestones(
  tx: Db,
  taskId: number,
  list: readonly { title: string; dueOn: string }[],
): Promise<void> {
  if (list.length)
    await tx.insert(supervisionMilestones).values(list.map((m) => ({ taskId, title: m.title, dueOn: m.dueOn })));
}

export async function replaceOpenMilestones(
  tx: Db,
  taskId: number,
  list: readonly { title: string; dueOn: string }[],
): Promise<void> {
  await tx
    .delete(supervisionMilestones)
    .where(and(eq(supervisionMilestones.taskId, taskId), sql`${supervisionMilestones.doneOn} IS NULL`));
  await addMilestones(tx, taskId, list);
}

export async function milestones(db: Db, taskIds: readonly number[]): Promise<MilestoneRow[]> {
  if (!taskIds.length) return [];
  return db
    .select()
    .from(supervisionMilestones)
    .where(inArray(supervisionMilestones.taskId, [...taskIds]))
    .orderBy(asc(supervisionMilestones.dueOn), asc(supervisionMilestones.id));
}

export async function markMilestonesDone(tx: Db, taskId: number, ids: readonly number[], on: string): Promise<number> {
  if (!ids.length) return 0;
  const r = await tx
    .update(supervisionMilestones)
    .set({ doneOn: on })
    .where(
      and(
        eq(supervisionMilestones.taskId, taskId),
        inArray(supervisionMilestones.id, [...ids]),
        sql`${supervisionMilestones.doneOn} IS NULL`,
      ),
    )
    .returning({ id: supervisionMilestones.id });
  return r.length;
}

export async function insertEvent(tx: Db, v: typeof supervisionEvents.$inferInsert): Promise<void> {
  await tx.insert(supervisionEvents).values(v);
}

export async function events(db: Db, taskId: number) {
  return rows<{
    id: number;
    kind: string;
    from_status: string | null;
    to_status: string | null;
    actor_name: string;
    unit_name: string | null;
    note: string;
    progress: number | null;
    file_ids: number[];
    at: Date | string;
  }>(
    db,
    sql`SELECT e.id, e.kind, e.from_status, e.to_status, e.actor_name, u.name AS unit_name, e.note, e.progress, e.file_ids, e.at
        FROM supervision_events e LEFT JOIN units u ON u.id = e.unit_id WHERE e.task_id = ${taskId} ORDER BY e.id`,
  );
}

export async function insertInstruction(tx: Db, v: typeof supervisionInstructions.$inferInsert) {
  const [row] = await tx.insert(supervisionInstructions).values(v).returning();
  return row;
}

export async function instruction(db: Db, id: number) {
  const [r] = await rows<{
    id: number;
    author_name: string;
    target_kind: 'case' | 'indicator' | 'free';
    target_ref: string | null;
    content: string;
    created_at: Date | string;
    author_id: number;
  }>(
    db,
    sql`SELECT i.id, i.author_id, coalesce(u.display_name, u.username) AS author_name, i.target_kind, i.target_ref, i.content, i.created_at
        FROM supervision_instructions i JOIN users u ON u.id = i.author_id WHERE i.id = ${id}`,
  );
  return r ?? null;
}

export async function subTasks(db: Db, parentId: number) {
  return rows<{ id: number; title: string; lead_unit_name: string | null; status: string }>(
    db,
    sql`SELECT t.id, t.title, u.name AS lead_unit_name, t.status FROM supervision_tasks t LEFT JOIN units u ON u.id = t.lead_unit_id WHERE t.parent_id = ${parentId} ORDER BY t.id`,
  );
}

export async function insertFile(tx: Db, v: typeof supervisionFiles.$inferInsert) {
  const [row] = await tx.insert(supervisionFiles).values(v).returning();
  return row;
}

export async function files(db: Db, taskId: number) {
  return db
    .select()
    .from(supervisionFiles)
    .where(eq(supervisionFiles.taskId, taskId))
    .orderBy(asc(supervisionFiles.id));
}

export async function findFile(db: Db, id: number) {
  const [row] = await db.select().from(supervisionFiles).where(eq(supervisionFiles.id, id));
  return row ?? null;
}

export async function unitNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const r = await rows<{ id: number; name: string }>(
    db,
    sql`SELECT id, name FROM units WHERE id IN (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  return new Map(r.map((x) => [x.id, x.name]));
}

export async function userName(db: Db, id: number | null): Promise<string | null> {
  if (id === null) return null;
  const [r] = await rows<{ name: string }>(
    db,
    sql`SELECT coalesce(display_name, username) AS name FROM users WHERE id = ${id}`,
  );
  return r?.name ?? null;
}

export async function userExists(db: Db, id: number): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM users WHERE id = ${id} AND active`)).length > 0;
}

export async function unitsExist(db: Db, ids: readonly number[]): Promise<boolean> {
  if (!ids.length) return true;
  const r = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM units WHERE active AND id IN (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  return r[0].n === new Set(ids).size;
}

/** Live tasks with the fields the lights need (all, or the given ids). */
export async function liveTasks(db: Db, ids?: readonly number[]): Promise<TaskRow[]> {
  const live = sql`${supervisionTasks.status} IN ('assigned','signed','plan_submitted','in_progress','completion_applied')`;
  return db
    .select()
    .from(supervisionTasks)
    .where(ids ? and(live, inArray(supervisionTasks.id, [...ids])) : live);
}

/** Stores computed lights: [id, light, reasons] triples, in one statement. */
export async function storeLights(
  tx: Db,
  list: readonly { id: number; light: string | null; reasons: string[] }[],
  on: string,
): Promise<void> {
  for (let i = 0; i < list.length; i += 1000) {
    const chunk = list.slice(i, i + 1000);
    await tx.execute(sql`UPDATE supervision_tasks t SET light = x.light, light_reasons = x.reasons, light_on = ${on}
      FROM json_to_recordset(${JSON.stringify(chunk)}::json) AS x(id int, light text, reasons jsonb)
      WHERE t.id = x.id AND (t.light IS DISTINCT FROM x.light OR t.light_reasons <> x.reasons OR t.light_on IS DISTINCT FROM ${on}::date)`);
  }
}

/** Tasks of a year that count in the statistics (not proposed, declined or merged), with their milestones. */
export async function statsTasks(db: Db, year: number, unitIds?: readonly number[]) {
  const unitCond = unitIds?.length
    ? sql` AND t.lead_unit_id IN (${sql.join(
        unitIds.map((i) => sql`${i}`),
        sql`, `,
      )})`
    : sql``;
  return rows<{
    id: number;
    lead_unit_id: number;
    deadline: string;
    completion: string | null;
    quality: string | null;
    reviewed_on: string | null;
    ms: { due: string; done: string | null }[] | null;
  }>(
    db,
    sql`SELECT t.id, t.lead_unit_id, t.deadline::text AS deadline, t.completion, t.quality,
          to_char(t.reviewed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS reviewed_on,
          (SELECT json_agg(json_build_object('due', m.due_on::text, 'done', m.done_on::text)) FROM supervision_milestones m WHERE m.task_id = t.id) AS ms
        FROM supervision_tasks t
        WHERE t.year = ${year} AND t.lead_unit_id IS NOT NULL AND t.status NOT IN ('proposed','declined','merged') ${unitCond}
        ORDER BY t.id`,
  );
}

/** Phones of the users of a unit who report on supervision (reporters and unit leaders). */
export async function unitPhones(db: Db, unitId: number): Promise<string[]> {
  const r = await rows<{ phone: string }>(
    db,
    sql`SELECT DISTINCT u.phone FROM users u JOIN user_roles r ON r.user_id = u.id
        WHERE u.unit_id = ${unitId} AND u.active AND u.phone IS NOT NULL AND u.phone <> '' AND r.role IN ('reporter','unit_leader')`,
  );
  return r.map((x) => x.phone);
}

export async function markReminded(tx: Db, ids: readonly number[], on: string): Promise<void> {
  if (ids.length)
    await tx
      .update(supervisionTasks)
      .set({ remindedOn: on })
      .where(inArray(supervisionTasks.id, [...ids]));
}
