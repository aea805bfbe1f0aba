import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { calendarDays, calendarYears } from './calendar.table.js';

export type DayRow = typeof calendarDays.$inferSelect;
export type YearRow = typeof calendarYears.$inferSelect;

const firstDay = (year: number) => `${year}-01-01`;
const lastDay = (year: number) => `${year}-12-31`;

/** Every stored day's date and kind: all the working-day functions need. */
export async function allDayKinds(db: Db): Promise<{ day: string; kind: DayRow['kind'] }[]> {
  return db.select({ day: calendarDays.day, kind: calendarDays.kind }).from(calendarDays);
}

export async function findDay(db: Db, day: string): Promise<DayRow | null> {
  return (await db.select().from(calendarDays).where(eq(calendarDays.day, day)).limit(1))[0] ?? null;
}

export async function listDaysOfYear(db: Db, year: number): Promise<DayRow[]> {
  return db
    .select()
    .from(calendarDays)
    .where(and(gte(calendarDays.day, firstDay(year)), lte(calendarDays.day, lastDay(year))))
    .orderBy(asc(calendarDays.day));
}

export async function upsertDay(db: Db, row: DayRow): Promise<DayRow> {
  const [out] = await db
    .insert(calendarDays)
    .values(row)
    .onConflictDoUpdate({ target: calendarDays.day, set: { kind: row.kind, name: row.name, source: row.source } })
    .returning();
  return out;
}

export async function deleteDay(db: Db, day: string): Promise<void> {
  await db.delete(calendarDays).where(eq(calendarDays.day, day));
}

export async function deleteDaysOfYear(db: Db, year: number): Promise<void> {
  await db.delete(calendarDays).where(and(gte(calendarDays.day, firstDay(year)), lte(calendarDays.day, lastDay(year))));
}

export async function insertDays(db: Db, rows: DayRow[]): Promise<void> {
  if (rows.length) await db.insert(calendarDays).values(rows);
}

export async function findYear(db: Db, year: number): Promise<YearRow | null> {
  return (await db.select().from(calendarYears).where(eq(calendarYears.year, year)).limit(1))[0] ?? null;
}

/** Marks the year's arrangement as complete, confirmed now by `source`. */
export async function confirmYear(db: Db, year: number, source: YearRow['source']): Promise<YearRow> {
  const [out] = await db
    .insert(calendarYears)
    .values({ year, source })
    .onConflictDoUpdate({ target: calendarYears.year, set: { source, confirmedAt: sql`now()` } })
    .returning();
  return out;
}

export async function listYears(db: Db): Promise<YearRow[]> {
  return db.select().from(calendarYears).orderBy(asc(calendarYears.year));
}

/** Number of stored days per year. */
export async function dayCountsByYear(db: Db): Promise<{ year: number; days: number }[]> {
  const year = sql<number>`extract(year from ${calendarDays.day})::int`;
  return db
    .select({ year, days: sql<number>`count(*)::int` })
    .from(calendarDays)
    .groupBy(year)
    .orderBy(year);
}
