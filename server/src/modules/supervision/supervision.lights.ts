import { isWorkingDay, workingDaysBetween, type CalendarData } from '../../engine/workdays.js';
import type { Cadence, TaskStatus } from './supervision.table.js';

export type Light = 'green' | 'yellow' | 'red';

/** The thresholds of the lights (configurable per call; defaults from the 督查室's practice). */
export type LightRules = {
  /** Yellow when the next milestone or the deadline is within this many working days. */
  yellowWithinDays: number;
  /** Yellow when progress lags the share of time elapsed by more than this many percentage points. */
  lagMargin: number;
  /** Working days allowed between reports, per cadence, before the report counts as missing (red). */
  reportEvery: Record<Cadence, number>;
};

export const DEFAULT_LIGHT_RULES: LightRules = {
  yellowWithinDays: 3,
  lagMargin: 20,
  reportEvery: { daily: 1, weekly: 5, monthly: 22 },
};

export type LightInput = {
  status: TaskStatus;
  startDate: string;
  deadline: string;
  progress: number;
  lastReportOn: string | null;
  /** Date the plan was approved (reports are due from then), or null. */
  reportsFrom: string | null;
  cadence: Cadence;
  milestones: readonly { dueOn: string; doneOn: string | null }[];
};

export type LightResult = { light: Light; reasons: string[] } | null;

/**
 * The warning light of a task on a date (pure, working-day aware). Null for tasks not live (proposed,
 * declined, merged, completed). Red: a milestone or the deadline is past, or a report is missing
 * (more working days since the last report than the cadence allows). Yellow: the next milestone or
 * the deadline is within N working days, or progress lags elapsed time by more than the margin.
 * Otherwise green. Reasons are codes the client translates.
 */
export function taskLight(
  t: LightInput,
  today: string,
  cal: CalendarData,
  rules: LightRules = DEFAULT_LIGHT_RULES,
): LightResult {
  if (!['assigned', 'signed', 'plan_submitted', 'in_progress', 'completion_applied'].includes(t.status)) return null;
  const red: string[] = [];
  const open = t.milestones.filter((m) => !m.doneOn);
  if (open.some((m) => m.dueOn < today)) red.push('milestone_overdue');
  if (t.deadline < today && t.status !== 'completion_applied') red.push('deadline_overdue');
  if (t.status === 'in_progress' && t.reportsFrom) {
    const since = t.lastReportOn && t.lastReportOn > t.reportsFrom ? t.lastReportOn : t.reportsFrom;
    if (workingDaysBetween(cal, since, today) > rules.reportEvery[t.cadence]) red.push('report_missing');
  }
  if (red.length) return { light: 'red', reasons: red };
  if (t.status === 'completion_applied') return { light: 'green', reasons: [] };
  const yellow: string[] = [];
  const nextDue = [...open.map((m) => m.dueOn), t.deadline].sort()[0];
  // Working days left until the due date, counting the due date itself when it is a working day.
  const left = workingDaysBetween(cal, today, nextDue) + (isWorkingDay(cal, today) ? 1 : 0);
  if (left <= rules.yellowWithinDays) yellow.push('due_soon');
  const total = workingDaysBetween(cal, t.startDate, t.deadline);
  if (total > 0) {
    const elapsed = Math.min(total, workingDaysBetween(cal, t.startDate, today));
    if ((elapsed / total) * 100 - t.progress > rules.lagMargin) yellow.push('progress_lag');
  }
  return yellow.length ? { light: 'yellow', reasons: yellow } : { light: 'green', reasons: [] };
}
