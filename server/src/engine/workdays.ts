import dayjs from 'dayjs';

/** The calendar as data: official days off on weekdays and make-up working days on weekends. */
export type CalendarData = { holidays: ReadonlySet<string>; workdays: ReadonlySet<string> };

export const EMPTY_CALENDAR: CalendarData = { holidays: new Set(), workdays: new Set() };

/** True when the date (YYYY-MM-DD) is a working day: a make-up day, or a weekday that is not a holiday. */
export function isWorkingDay(cal: CalendarData, date: string): boolean {
  if (cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const dow = dayjs(date).day();
  return dow !== 0 && dow !== 6;
}

/** The n-th working day strictly after `from` (n ≥ 1); n = 0 returns `from` itself. */
export function addWorkingDays(cal: CalendarData, from: string, n: number): string {
  let d = dayjs(from);
  let left = n;
  while (left > 0) {
    d = d.add(1, 'day');
    if (isWorkingDay(cal, d.format('YYYY-MM-DD'))) left--;
  }
  return d.format('YYYY-MM-DD');
}

/** Working days in (from, to]: 0 when to ≤ from. */
export function workingDaysBetween(cal: CalendarData, from: string, to: string): number {
  let d = dayjs(from);
  const end = dayjs(to);
  let n = 0;
  while (d.isBefore(end, 'day')) {
    d = d.add(1, 'day');
    if (isWorkingDay(cal, d.format('YYYY-MM-DD'))) n++;
  }
  return n;
}

/** Working hours: 09:00–12:00 and 13:30–17:30 (Beijing time) on working days. */
export const WORKING_HOURS: readonly [startMin: number, endMin: number][] = [
  [9 * 60, 12 * 60],
  [13 * 60 + 30, 17 * 60 + 30],
];

/** China Standard Time is UTC+8 all year (no daylight saving). */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;
const BEIJING_OFFSET_MIN = BEIJING_OFFSET_MS / 60_000;

/** The Beijing wall-clock time of an instant as 'YYYY-MM-DDTHH:mm:ss.sss' (no zone suffix). */
export function beijingWallClock(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 23);
}

/** The Beijing calendar date (YYYY-MM-DD) of an instant. */
export function beijingDate(at: Date): string {
  return beijingWallClock(at).slice(0, 10);
}

/** The Beijing calendar month ('YYYY-MM') of an instant. */
export function beijingMonth(at: Date): string {
  return beijingWallClock(at).slice(0, 7);
}

/** The month ('YYYY-MM') of a date and, unless it is January, the month before: what a periodic statistics pass refreshes. */
export function monthAndPrevious(on: string): string[] {
  const [y, m] = [Number(on.slice(0, 4)), Number(on.slice(5, 7))];
  return [`${y}-${String(m).padStart(2, '0')}`, ...(m > 1 ? [`${y}-${String(m - 1).padStart(2, '0')}`] : [])];
}

/** The months ('YYYY-MM') of `year` up to the month of `on`: all twelve once the year is over, none before it starts. */
export function monthsThrough(year: number, on: string): string[] {
  const y = Number(on.slice(0, 4));
  const last = y > year ? 12 : y === year ? Number(on.slice(5, 7)) : 0;
  return Array.from({ length: last }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

/** The last day ('YYYY-MM-DD') of a month ('YYYY-MM'). */
export function monthEnd(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The calendar year of an instant in Beijing time. */
export function beijingYear(at: Date): number {
  return Number(beijingWallClock(at).slice(0, 4));
}

/** The instant that lies `hours` working hours after `from`, counting only working hours on working days. */
export function addWorkingHours(cal: CalendarData, from: Date, hours: number): Date {
  let leftMin = Math.round(hours * 60);
  // Work in Beijing local minutes since epoch.
  let t = Math.floor(from.getTime() / 60000) + BEIJING_OFFSET_MIN;
  for (let guard = 0; guard < 100000; guard++) {
    const dayStart = t - (((t % 1440) + 1440) % 1440);
    const date = new Date(dayStart * 60000).toISOString().slice(0, 10);
    if (isWorkingDay(cal, date)) {
      for (const [s, e] of WORKING_HOURS) {
        const start = Math.max(t, dayStart + s);
        const end = dayStart + e;
        if (start >= end) continue;
        if (leftMin === 0 && start <= t) return toDate(start);
        if (end - start >= leftMin) return toDate(start + leftMin);
        leftMin -= end - start;
        t = end;
      }
    }
    t = dayStart + 1440;
  }
  throw new Error('addWorkingHours: no working time found');
}

function toDate(beijingMin: number): Date {
  return new Date((beijingMin - BEIJING_OFFSET_MIN) * 60000);
}
