/**
 * Case deadlines over the official working-day calendar (pure functions, Beijing time).
 * A handling time limit of N working days ends at the end of the N-th working day after the dispatch
 * date; "due soon" starts at the beginning of the last working day before that (≤ 1 working day left);
 * the sign-for limit is counted in working hours.
 */
import {
  addWorkingDays,
  addWorkingHours,
  BEIJING_OFFSET_MS,
  beijingDate,
  beijingWallClock,
  type CalendarData,
  isWorkingDay,
  workingDaysBetween,
} from '../../engine/workdays.js';

export { beijingDate };
const DAY_MS = 24 * 3600_000;

/** Beijing wall-clock time "YYYY-MM-DD HH:mm" of an instant (for messages). */
export function beijingTime(at: Date): string {
  return beijingWallClock(at).slice(0, 16).replace('T', ' ');
}

/** The instant a Beijing date begins. */
export function startOfBeijingDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - BEIJING_OFFSET_MS);
}

/** The last millisecond of a Beijing date. */
export function endOfBeijingDay(date: string): Date {
  return new Date(startOfBeijingDay(date).getTime() + DAY_MS - 1);
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The last working day strictly before `date`. */
export function previousWorkingDay(cal: CalendarData, date: string): string {
  let d = shiftDate(date, -1);
  for (let guard = 0; guard < 400 && !isWorkingDay(cal, d); guard++) d = shiftDate(d, -1);
  return d;
}

export type Deadline = { deadlineDate: string; deadline: Date; dueSoonAt: Date };

/** The deadline of `days` working days counted from the date after `from`, with the moment it becomes due soon. */
export function handlingDeadline(cal: CalendarData, from: Date, days: number): Deadline {
  return deadlineOn(cal, addWorkingDays(cal, beijingDate(from), days));
}

/** Pushes a deadline date back by `days` more working days (an approved extension). */
export function extendDeadline(cal: CalendarData, deadlineDate: string, days: number): Deadline {
  return deadlineOn(cal, addWorkingDays(cal, deadlineDate, days));
}

function deadlineOn(cal: CalendarData, deadlineDate: string): Deadline {
  return {
    deadlineDate,
    deadline: endOfBeijingDay(deadlineDate),
    dueSoonAt: startOfBeijingDay(previousWorkingDay(cal, deadlineDate)),
  };
}

/** The sign-for due instant: `hours` working hours after the dispatch. */
export function signDueAt(cal: CalendarData, from: Date, hours: number): Date {
  return addWorkingHours(cal, from, hours);
}

export type DueState = 'done' | 'ok' | 'due_soon' | 'overdue';

/** Where a deadline stands: done (finished at any time), overdue, due soon, or ok. */
export function dueState(v: {
  deadline: Date | null;
  dueSoonAt: Date | null;
  doneAt: Date | null;
  now: Date;
}): DueState | null {
  if (!v.deadline) return null;
  if (v.doneAt) return 'done';
  if (v.now.getTime() > v.deadline.getTime()) return 'overdue';
  if (v.dueSoonAt && v.now.getTime() >= v.dueSoonAt.getTime()) return 'due_soon';
  return 'ok';
}

/**
 * Working days left until the deadline date, counting today's remainder as part of the last day:
 * 0 on the deadline day itself, negative (working days late) once it has passed.
 */
export function workingDaysLeft(cal: CalendarData, now: Date, deadlineDate: string): number {
  const today = beijingDate(now);
  if (today <= deadlineDate) return workingDaysBetween(cal, today, deadlineDate);
  return -workingDaysBetween(cal, deadlineDate, today);
}

/** True when the work finished after its deadline (for on-time statistics). */
export function finishedLate(deadline: Date | null, doneAt: Date | null): boolean {
  return !!deadline && !!doneAt && doneAt.getTime() > deadline.getTime();
}
