// Queries of the ledger import, the leader filter and the in-app reminders (催办); the module's other queries are in supervision.repo.ts.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rows } from '../../db/rows.js';

const list = (ids: readonly (number | string)[]) =>
  sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );

/** Active district leaders and the main leader: who may be a task's leader in charge. */
export async function leaders(db: Db): Promise<{ id: number; username: string; name: string }[]> {
  return rows(
    db,
    sql`SELECT u.id, u.username, coalesce(u.display_name, u.username) AS name FROM users u
        WHERE u.active AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('district_leader', 'main_leader'))
        ORDER BY u.id`,
  );
}

/** Tasks in the ledger (立项 done) with one of the titles: the parents an imported sub-task may name. */
export async function tasksByTitle(db: Db, titles: readonly string[]): Promise<{ id: number; title: string }[]> {
  if (!titles.length) return [];
  return rows(
    db,
    sql`SELECT id, title FROM supervision_tasks WHERE title IN (${list(titles)}) AND status NOT IN ('proposed','declined','merged') ORDER BY id`,
  );
}

export type ReminderRow = {
  id: number;
  task_id: number;
  title: string;
  on: string;
  note: string;
  unit_id: number | null;
  unit_name: string | null;
  deadline: string;
  light: string | null;
  as_unit: boolean;
};

/**
 * Reminder events (kind 'remind') since a date that reach the user: those sent to one of the units
 * (the task's lead unit at the time), and those of tasks whose leader in charge the user is.
 */
export async function reminders(
  db: Db,
  v: { unitIds: readonly number[]; leaderId: number; since: string },
): Promise<ReminderRow[]> {
  const units = v.unitIds.length ? v.unitIds : [0];
  return rows(
    db,
    sql`SELECT e.id, e.task_id, t.title, to_char(e.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "on", e.note,
          e.unit_id, u.name AS unit_name, t.deadline::text AS deadline, t.light, (e.unit_id IN (${list(units)})) AS as_unit
        FROM supervision_events e
        JOIN supervision_tasks t ON t.id = e.task_id
        LEFT JOIN units u ON u.id = e.unit_id
        WHERE e.kind = 'remind' AND e.at >= ${v.since}::date
          AND (e.unit_id IN (${list(units)}) OR t.leader_id = ${v.leaderId})
        ORDER BY e.at DESC, e.id DESC
        LIMIT 500`,
  );
}
