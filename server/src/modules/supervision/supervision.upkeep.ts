/**
 * What the job and the reviews keep up to date: the tasks' lights and reminders (催办), the per-unit
 * statistics and the score inputs of the `supervision` leaves (督办完成率, with the proposals' figures).
 */
import type { Db } from '../../db/client.js';
import { SYSTEM_ACTOR, type Ctx } from '../../lib/context.js';
import { enqueueSms } from '../../platform/sms/index.js';
import { recordAudit } from '../audit/index.js';
import { beijingDate, monthsThrough, type CalendarData } from '../../engine/workdays.js';
import { loadCalendar } from '../calendar/index.js';
import { sourceInputs } from '../performance/index.js';
import { visibility } from './supervision.access.js';
import { taskLight } from './supervision.lights.js';
import { reasonsZh, recordReminder } from './supervision.reminders.js';
import * as repo from './supervision.repo.js';
import type { TUnitStats } from './supervision.schema.js';
import { monthStats } from './supervision.monthstats.js';
import { emptyUnitStats, monthEnd, type UnitMonthStats } from './supervision.stats.js';
import { proposalInputFields } from './supervision.proposals.repo.js';

/** Who writes the supervision score inputs (shown with each input). */
export const INPUT_AUTHOR = '区政府督查室（督办台账）';

const today = () => beijingDate(new Date());

/** Recomputes and stores the lights of the given live tasks (or all) as of a date. */
export async function refreshLights(
  tx: Db,
  on: string,
  cal: CalendarData,
  ids?: readonly number[],
): Promise<{ tasks: number; red: number }> {
  const tasks = await repo.liveTasks(tx, ids);
  const ms = await repo.milestones(
    tx,
    tasks.map((t) => t.id),
  );
  const byTask = new Map<number, { dueOn: string; doneOn: string | null }[]>();
  for (const m of ms) byTask.set(m.taskId, [...(byTask.get(m.taskId) ?? []), m]);
  const list = tasks.map((t) => {
    const l = taskLight(
      {
        status: t.status,
        startDate: t.startDate,
        deadline: t.deadline,
        progress: t.progress,
        lastReportOn: t.lastReportOn,
        reportsFrom: t.planApprovedOn,
        cadence: t.cadence,
        milestones: byTask.get(t.id) ?? [],
      },
      on,
      cal,
    );
    return { id: t.id, light: l?.light ?? null, reasons: l?.reasons ?? [] };
  });
  // Tasks that stopped being live lose their light.
  if (ids) for (const id of ids) if (!list.some((x) => x.id === id)) list.push({ id, light: null, reasons: [] });
  await repo.storeLights(tx, list, on);
  return { tasks: list.length, red: list.filter((x) => x.light === 'red').length };
}

/** The months of a year whose statistics exist as of a date: all twelve for a past year, up to the date's month for the current one. */
async function statsByMonth(db: Db, year: number, months: readonly string[], on: string, unitIds?: readonly number[]) {
  // Counted in the database (supervision.monthstats.ts), by the rules of the pure unitStats.
  const periods = months.map((period) => {
    const end = monthEnd(period);
    return { period, asOf: end < on ? end : on };
  });
  const byPeriod = await monthStats(db, { year, periods, unitIds });
  return periods.map(({ period }) => ({ period, stats: byPeriod.get(period) ?? new Map<number, UnitMonthStats>() }));
}

/** Per unit statistics of a month (as of its last day, or today in the running month), for the office and leaders. */
export async function unitStatsOf(ctx: Ctx, year: number, month: number): Promise<TUnitStats[]> {
  const v = await visibility(ctx);
  const period = `${year}-${String(month).padStart(2, '0')}`;
  const [{ stats }] = await statsByMonth(ctx.db, year, [period], today());
  const names = await repo.unitNames(ctx.db, [...stats.keys()]);
  return [...stats.values()]
    .filter((s) => v.all || v.unitIds.includes(s.unitId))
    .map((s) => ({ ...s, unitName: names.get(s.unitId) ?? '', period }))
    .sort((a, b) => a.unitId - b.unitId);
}

/**
 * Writes the score inputs of the `supervision` leaves (the 督办完成率: on-time completions / tasks due, in %)
 * per unit and month of the year, with the numbers and the task ids behind them as the input's fields.
 * Runs in the caller's transaction (a review) or its own (the job). Months with no task due get no input.
 */
export async function syncScoreInputs(
  db: Db,
  v: { year: number; unitIds?: readonly number[]; on?: string; months?: readonly string[] },
): Promise<{ inputs: number }> {
  const on = v.on ?? today();
  const out = await sourceInputs(db, { year: v.year, source: 'supervision', author: INPUT_AUTHOR });
  if (!out) return { inputs: 0 };
  const months = v.months ?? monthsThrough(v.year, on);
  const byMonth = await statsByMonth(db, v.year, months, on, v.unitIds);
  // Proposals (议案提案): on-time reply and satisfaction figures beside the tasks' (supervision.proposals.repo.ts).
  const proposals = await proposalInputFields(db, v.year, months, on, v.unitIds);
  for (const { period, stats } of byMonth) {
    const pf = proposals.get(period) ?? new Map<number, Record<string, unknown>>();
    // A unit with proposals counted but no task due gets its proposal figures with no 督办完成率 value.
    for (const unitId of pf.keys()) if (!stats.has(unitId)) stats.set(unitId, emptyUnitStats(unitId));
    for (const s of stats.values()) {
      if (s.onTimeRate === null && !pf.has(s.unitId)) continue;
      out.add(s.unitId, period, s.onTimeRate, {
        ...pf.get(s.unitId),
        due: s.due,
        onTime: s.onTime,
        milestonesDue: s.milestonesDue,
        milestonesOnTime: s.milestonesOnTime,
        milestoneRate: s.milestoneRate,
        rated: s.rated,
        ratingAverage: s.ratingAverage,
        dueTaskIds: s.dueTaskIds,
        onTimeTaskIds: s.onTimeTaskIds,
      });
    }
  }
  return out.write();
}

/** The job's pass: lights of every live task as of today, and SMS reminders (催办) for red tasks not reminded today. */
export async function lightsAndReminders(db: Db): Promise<{ tasks: number; red: number; reminders: number }> {
  const on = today();
  const cal = await loadCalendar(db);
  const r = await db.transaction((tx) => refreshLights(tx, on, cal));
  const red = (await repo.liveTasks(db)).filter(
    (t) => t.light === 'red' && t.remindedOn !== on && t.leadUnitId !== null,
  );
  let reminders = 0;
  for (const t of red) {
    const phones = await repo.unitPhones(db, t.leadUnitId!);
    await db.transaction(async (tx) => {
      const text = `督办事项「${t.title.slice(0, 40)}」已亮红灯（${reasonsZh(t.lightReasons)}），请登录效能平台及时报送进展。`;
      await enqueueSms(
        tx,
        phones.map((phone) => ({ caseId: null, phone, template: 'supervision_reminder' as const, params: { text } })),
      );
      await repo.markReminded(tx, [t.id], on);
      // The unit also sees it in the app (我的督办 → 催办), and the leader in charge among their red tasks.
      await recordReminder(tx, t);
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: 'supervision.remind',
        entityType: 'supervision_task',
        entityId: t.id,
        unitId: t.leadUnitId,
        after: { phones: phones.length },
      });
    });
    reminders += phones.length;
  }
  return { ...r, reminders };
}

/** The job's statistics pass: this month's and last month's inputs for every unit (reviews write their own at once). */
export async function statisticsPass(db: Db): Promise<{ inputs: number }> {
  const on = today();
  const [y, m] = [Number(on.slice(0, 4)), Number(on.slice(5, 7))];
  let inputs = 0;
  await db.transaction(async (tx) => {
    inputs += (await syncScoreInputs(tx, { year: y, on, months: [`${y}-${String(m).padStart(2, '0')}`] })).inputs;
    if (m > 1)
      inputs += (await syncScoreInputs(tx, { year: y, on, months: [`${y}-${String(m - 1).padStart(2, '0')}`] })).inputs;
    if (inputs)
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: 'supervision.stats',
        entityType: 'score_inputs',
        entityId: `supervision:${y}-${m}`,
        after: { inputs },
      });
  });
  return { inputs };
}
