/**
 * The reporting calendar as pure functions: monthly periods, their deadlines (a day of the following
 * month, or N working days after month end), Beijing-time "today", and on-time/late/overdue status.
 * No database, no I/O.
 */
import {
  addWorkingDays,
  beijingDate,
  type CalendarData,
  isWorkingDay,
  workingDaysBetween,
} from '../../engine/workdays.js';

/** How a period's deadline is set: a day of the following month, or working days after month end. */
export type DeadlineRule = { mode: 'day'; day: number; rollOver?: boolean } | { mode: 'working_days'; days: number };

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True for a well-formed 'YYYY-MM'. */
export function isPeriod(p: string): boolean {
  return PERIOD_RE.test(p);
}

/** Year and month (1–12) of a period. */
export function splitPeriod(p: string): { year: number; month: number } {
  const m = PERIOD_RE.exec(p);
  if (!m) throw new Error(`bad period ${p}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function makePeriod(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The period before (December of the previous year before January). */
export function prevPeriod(p: string): string {
  const { year, month } = splitPeriod(p);
  return month === 1 ? makePeriod(year - 1, 12) : makePeriod(year, month - 1);
}

/** The period after (January of the next year after December). */
export function nextPeriod(p: string): string {
  const { year, month } = splitPeriod(p);
  return month === 12 ? makePeriod(year + 1, 1) : makePeriod(year, month + 1);
}

/** The same month one year earlier. */
export function samePeriodLastYear(p: string): string {
  const { year, month } = splitPeriod(p);
  return makePeriod(year - 1, month);
}

/** The twelve periods of a year. */
export function periodsOfYear(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => makePeriod(year, i + 1));
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last calendar day of the period's month. */
export function monthEnd(p: string): string {
  const { year, month } = splitPeriod(p);
  return `${p}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
}

/** The first day the period can be reported: the 1st of its month. */
export function periodOpens(p: string): string {
  return `${p}-01`;
}

/**
 * The deadline date (inclusive, Beijing time) of a period: day `day` of the following month
 * (clamped to its length; December rolls into January of the next year; with `rollOver`, a day off
 * moves to the next working day: 法定节假日顺延), or the `days`-th working day after the last day of the month.
 */
export function periodDeadline(p: string, rule: DeadlineRule, cal: CalendarData): string {
  if (rule.mode === 'working_days') return addWorkingDays(cal, monthEnd(p), rule.days);
  const next = splitPeriod(nextPeriod(p));
  const day = Math.min(Math.max(1, rule.day), daysInMonth(next.year, next.month));
  const date = `${makePeriod(next.year, next.month)}-${String(day).padStart(2, '0')}`;
  return rule.rollOver && !isWorkingDay(cal, date) ? addWorkingDays(cal, date, 1) : date;
}

/** The last instant of a Beijing calendar day. */
export function endOfBeijingDay(date: string): Date {
  return new Date(new Date(`${date}T23:59:59.999+08:00`).getTime());
}

export { beijingDate, beijingMonth as beijingPeriod } from '../../engine/workdays.js';

/** True once the period's month has begun (Beijing time). */
export function isPeriodOpen(p: string, now: Date): boolean {
  return beijingDate(now) >= periodOpens(p);
}

/** A submission counts as late when it was first submitted after the end of the deadline day. */
export function isLate(firstSubmittedAt: Date, deadline: string): boolean {
  return firstSubmittedAt.getTime() > endOfBeijingDay(deadline).getTime();
}

/** True when the deadline day is over and nothing was submitted. */
export function isOverdue(deadline: string, now: Date, firstSubmittedAt: Date | null): boolean {
  return firstSubmittedAt === null && now.getTime() > endOfBeijingDay(deadline).getTime();
}

/**
 * Working days left until the deadline, counting the deadline day itself when it is a working
 * day and today is before it: 0 on the deadline day, negative (calendar days overdue) after it.
 */
export function workingDaysLeft(cal: CalendarData, now: Date, deadline: string): number {
  const today = beijingDate(now);
  if (today === deadline) return 0;
  if (today > deadline)
    return -Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${deadline}T00:00:00Z`)) / 86400_000);
  return workingDaysBetween(cal, today, deadline);
}

/** Calendar days from today (Beijing) to the deadline; negative when past. */
export function calendarDaysLeft(now: Date, deadline: string): number {
  return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${beijingDate(now)}T00:00:00Z`)) / 86400_000);
}

/** Timing of one (indicator, unit, period): what the to-do list, matrix and late counts show. */
export type Timing = 'not_open' | 'open' | 'overdue' | 'on_time' | 'late';

/** The timing of a period for one unit, from its deadline and the first submission time (if any). */
export function timingOf(p: string, deadline: string, now: Date, firstSubmittedAt: Date | null): Timing {
  if (firstSubmittedAt) return isLate(firstSubmittedAt, deadline) ? 'late' : 'on_time';
  if (!isPeriodOpen(p, now)) return 'not_open';
  return isOverdue(deadline, now, null) ? 'overdue' : 'open';
}
