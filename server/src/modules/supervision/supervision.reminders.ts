/**
 * In-app reminders (催办). When the lights job reminds a red task (SMS to the lead unit's reporters and
 * leaders), it also writes a timeline event of kind 'remind' for the lead unit: the unit's 我的督办 shows
 * it in its 催办 list (with the date and the reasons), the leader in charge sees the reminders of the
 * tasks in their charge, and the task's timeline keeps the history. No table of its own: the event is
 * the reminder (its unit, its day, its reasons).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { Ctx } from '../../lib/context.js';
import { beijingDate } from '../../engine/workdays.js';
import * as ledgerRepo from './supervision.ledger.repo.js';
import * as repo from './supervision.repo.js';
import type { TReminders } from './supervision.ledger.schema.js';

/** The light reasons in Chinese, for the SMS text and the reminder's note. */
export const REASON_ZH: Record<string, string> = {
  milestone_overdue: '节点逾期',
  deadline_overdue: '超过完成时限',
  report_missing: '进展未按期报送',
  due_soon: '临近节点或时限',
  progress_lag: '进度滞后于时序',
};
const CODE_OF_ZH = new Map(Object.entries(REASON_ZH).map(([code, zh]) => [zh, code]));

/** The reasons as a Chinese phrase (codes the map does not know are kept as they are). */
export const reasonsZh = (reasons: readonly string[]): string => reasons.map((r) => REASON_ZH[r] ?? r).join('、');

/** Writes the reminder of a red task as a timeline event for its lead unit (in the job's transaction). */
export async function recordReminder(
  tx: Db,
  t: { id: number; leadUnitId: number | null; lightReasons: readonly string[] },
): Promise<void> {
  await repo.insertEvent(tx, {
    taskId: t.id,
    kind: 'remind',
    fromStatus: null,
    toStatus: null,
    actorId: null,
    actorName: '系统（亮灯催办）',
    unitId: t.leadUnitId,
    note: reasonsZh(t.lightReasons),
    progress: null,
    fileIds: [],
  });
}

/**
 * The reminders that reach the signed-in user over the last `days` days: those sent to their own unit
 * (as 我的督办 shows the unit's tasks), and those of tasks whose leader in charge they are. Nobody sees
 * another unit's reminders. `open` counts the reminded tasks still red (the badge).
 */
export async function listReminders(ctx: Ctx, days: number): Promise<TReminders> {
  const user = ctx.user;
  if (!user) throw new AppError('UNAUTHENTICATED');
  const since = beijingDate(new Date(Date.now() - (days - 1) * 86_400_000));
  const unitIds = user.permissions.has('supervision.report') ? [user.unitId] : [];
  const rows = await ledgerRepo.reminders(ctx.db, { unitIds, leaderId: user.id, since });
  const out = rows.map((r) => ({
    id: r.id,
    taskId: r.task_id,
    title: r.title,
    on: r.on,
    reasons: r.note
      .split('、')
      .filter(Boolean)
      .map((x) => CODE_OF_ZH.get(x) ?? x),
    unitId: r.unit_id,
    unitName: r.unit_name,
    deadline: r.deadline,
    light: r.light as TReminders['rows'][number]['light'],
    as: r.as_unit ? ('unit' as const) : ('leader' as const),
  }));
  return { open: new Set(out.filter((r) => r.light === 'red').map((r) => r.taskId)).size, rows: out };
}

/**
 * Demo history (seed): each red task was reminded on a few earlier days (1, 3 and 8 days before `on`,
 * fewer for tasks that went red recently), as the lights job would have done; today's reminder is left
 * to the job. Returns the number of reminders written.
 */
export async function seedReminderHistory(tx: Db, on: string): Promise<number> {
  const red = (await repo.liveTasks(tx)).filter((t) => t.light === 'red' && t.leadUnitId !== null);
  const day = (n: number) => new Date(Date.parse(`${on}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  let n = 0;
  for (const t of red) {
    const back = [1, 3, 8].slice(0, 1 + (t.id % 3));
    for (const d of back) {
      await tx.execute(sql`INSERT INTO supervision_events(task_id, kind, actor_name, unit_id, note, at)
        VALUES (${t.id}, 'remind', '系统（亮灯催办）', ${t.leadUnitId}, ${reasonsZh(t.lightReasons)}, ${`${day(d)}T01:00:00Z`}::timestamptz)`);
      n++;
    }
    await repo.markReminded(tx, [t.id], day(1));
  }
  return n;
}
