import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { invalid, notFound, type Lang } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { addWorkingDays, beijingYear, isWorkingDay, type CalendarData } from '../../engine/workdays.js';

export { beijingYear };
import * as repo from './calendar.repo.js';
import {
  MAX_YEAR,
  MIN_YEAR,
  type TCalendarDay,
  type TCalendarStatus,
  type TCalendarWarning,
  type TDayUpsert,
  type TIsWorkingDayResult,
  type TYearArrangement,
} from './calendar.schema.js';

/**
 * The whole calendar as data for the pure working-day functions, read in one query. Not cached on
 * purpose: several app instances must agree right after an admin edit, and the table is small.
 */
export async function loadCalendar(db: Db): Promise<CalendarData> {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const r of await repo.allDayKinds(db)) (r.kind === 'workday' ? workdays : holidays).add(r.day);
  return { holidays, workdays };
}

export function presentDay(r: repo.DayRow): TCalendarDay {
  return { date: r.day, kind: r.kind, name: r.name, source: r.source };
}

/** Refuses dates the calendar does not cover (and that date libraries misread, like year 0001). */
function assertSupportedDate(field: string, date: string): void {
  const y = Number(date.slice(0, 4));
  if (y < MIN_YEAR || y > MAX_YEAR) {
    throw invalid(
      field,
      `日期须在 ${MIN_YEAR}—${MAX_YEAR} 年之间`,
      `The date must lie in the years ${MIN_YEAR}–${MAX_YEAR}`,
    );
  }
}

/** The `days`-th working day strictly after `from` (`from` itself when days = 0). */
export async function addWorkingDaysFrom(db: Db, from: string, days: number): Promise<string> {
  assertSupportedDate('from', from);
  return addWorkingDays(await loadCalendar(db), from, days);
}

/** Whether the date is a working day, and why. */
export async function workingDayInfo(db: Db, date: string): Promise<TIsWorkingDayResult> {
  assertSupportedDate('date', date);
  const row = await repo.findDay(db, date);
  const cal: CalendarData = {
    holidays: new Set(row?.kind === 'holiday' ? [date] : []),
    workdays: new Set(row?.kind === 'workday' ? [date] : []),
  };
  const working = isWorkingDay(cal, date);
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return {
    date,
    working,
    name: row?.name || null,
    kind: row ? row.kind : dow === 0 || dow === 6 ? 'weekend' : 'weekday',
  };
}

/** The holidays and make-up working days stored for a year, in date order. */
export async function listDays(db: Db, year: number): Promise<TCalendarDay[]> {
  return (await repo.listDaysOfYear(db, year)).map(presentDay);
}

/** Admin edit: sets one day as a holiday or a make-up working day (source 'admin'). */
export async function upsertDay(db: Db, actor: Actor, date: string, input: TDayUpsert): Promise<TCalendarDay> {
  assertSupportedDate('date', date);
  return db.transaction(async (tx) => {
    const before = await repo.findDay(tx, date);
    const after = presentDay(
      await repo.upsertDay(tx, { day: date, kind: input.kind, name: input.name, source: 'admin' }),
    );
    await recordAudit(tx, actor, {
      action: 'calendar_day.upsert',
      entityType: 'calendar_day',
      entityId: date,
      before: before ? presentDay(before) : null,
      after,
    });
    return after;
  });
}

/** Removes a day's entry, so the date falls back to the plain weekday/weekend rule. 404 when there is none. */
export async function deleteDay(db: Db, actor: Actor, date: string): Promise<void> {
  assertSupportedDate('date', date);
  await db.transaction(async (tx) => {
    const before = await repo.findDay(tx, date);
    if (!before) throw notFound();
    await repo.deleteDay(tx, date);
    await recordAudit(tx, actor, {
      action: 'calendar_day.delete',
      entityType: 'calendar_day',
      entityId: date,
      before: presentDay(before),
    });
  });
}

/**
 * Enters a year's official arrangement (国务院办公厅放假安排): replaces every stored day of the year
 * with the given list and marks the year as confirmed by the admin.
 */
export async function replaceYear(
  db: Db,
  actor: Actor,
  year: number,
  input: TYearArrangement,
): Promise<TCalendarDay[]> {
  const seen = new Set<string>();
  for (const [i, d] of input.days.entries()) {
    if (Number(d.date.slice(0, 4)) !== year) {
      throw invalid(`days.${i}.date`, `日期 ${d.date} 不在 ${year} 年内`, `The date ${d.date} is not in ${year}`);
    }
    if (seen.has(d.date)) throw invalid(`days.${i}.date`, `日期 ${d.date} 重复`, `The date ${d.date} is listed twice`);
    seen.add(d.date);
  }
  const rows: repo.DayRow[] = [...input.days]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((d) => ({ day: d.date, kind: d.kind, name: d.name, source: 'admin' }));
  return db.transaction(async (tx) => {
    const before = (await repo.listDaysOfYear(tx, year)).map(presentDay);
    const beforeYear = await repo.findYear(tx, year);
    await repo.deleteDaysOfYear(tx, year);
    await repo.insertDays(tx, rows);
    const confirmed = await repo.confirmYear(tx, year, 'admin');
    const after = rows.map(presentDay);
    await recordAudit(tx, actor, {
      action: 'calendar_year.replace',
      entityType: 'calendar_year',
      entityId: year,
      before: { source: beforeYear?.source ?? null, days: before },
      after: { source: confirmed.source, days: after },
    });
    return after;
  });
}

/** Warnings for the current and the coming year (Beijing time) when their official arrangement is missing. */
export function calendarWarnings(
  confirmedYears: ReadonlySet<number>,
  lang: Lang,
  now: Date = new Date(),
): TCalendarWarning[] {
  const current = beijingYear(now);
  return [current, current + 1]
    .filter((y) => !confirmedYears.has(y))
    .map((year) => ({
      year,
      message:
        lang === 'en'
          ? `There is no official holiday data for ${year} yet; enter the arrangement published by the General Office of the State Council`
          : `${year} 年尚无法定节假日数据，请录入国务院办公厅发布的放假安排`,
    }));
}

/** Per year: who confirmed it, when, and how many days are stored; plus warnings for missing years. */
export async function calendarStatus(db: Db, lang: Lang, now: Date = new Date()): Promise<TCalendarStatus> {
  const [years, counts] = await Promise.all([repo.listYears(db), repo.dayCountsByYear(db)]);
  const byYear = new Map<number, TCalendarStatus['years'][number]>();
  for (const y of years)
    byYear.set(y.year, { year: y.year, source: y.source, confirmedAt: y.confirmedAt.toISOString(), days: 0 });
  for (const c of counts) {
    const entry = byYear.get(c.year) ?? { year: c.year, source: null, confirmedAt: null, days: 0 };
    entry.days = Number(c.days);
    byYear.set(c.year, entry);
  }
  return {
    years: [...byYear.values()].sort((a, b) => a.year - b.year),
    warnings: calendarWarnings(new Set(years.map((y) => y.year)), lang, now),
  };
}
