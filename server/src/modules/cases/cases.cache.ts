/**
 * Short in-process caches of read-mostly reference data for the hot intake path: the case
 * categories and the working-day calendar. Entries live at most REFERENCE_TTL_MS (5 s), per
 * database handle. Correctness across app instances: an edit on another instance is seen here within
 * 5 s at most (a category deactivated there may still take cases here for up to 5 s; a holiday added
 * there may count as a working day here for up to 5 s) — accepted for data that changes a few
 * times a year. Edits of categories made through this instance drop the entry at once
 * (`forgetCategories`, called by cases.config.ts), and an unknown category id triggers a re-read, so
 * new categories are usable at once everywhere. Nothing else of the cases module is cached:
 * units, cases and settings are read fresh.
 */
import type { Db } from '../../db/client.js';
import { type CalendarData } from '../../engine/workdays.js';
import { loadCalendar } from '../calendar/index.js';
import * as repo from './cases.repo.js';

export const REFERENCE_TTL_MS = 5_000;

type Entry<T> = { at: number; value: Promise<T> };

function ttlCache<T>(load: (db: Db) => Promise<T>) {
  const entries = new WeakMap<object, Entry<T>>();
  return {
    get(db: Db): Promise<T> {
      const now = Date.now();
      const hit = entries.get(db);
      if (hit && now - hit.at < REFERENCE_TTL_MS) return hit.value;
      const value = load(db).catch((e: unknown) => {
        if (entries.get(db)?.value === value) entries.delete(db); // never keep a failed read
        throw e;
      });
      entries.set(db, { at: now, value });
      return value;
    },
    forget(db: Db): void {
      entries.delete(db);
    },
  };
}

const categories = ttlCache((db) => repo.listCategories(db));
const calendar = ttlCache((db) => loadCalendar(db));

/** All case categories (≤ 5 s old). Callers must not mutate the rows. */
export function cachedCategories(db: Db): Promise<readonly repo.CategoryRow[]> {
  return categories.get(db);
}

/**
 * All case categories, containing `id` if it exists: the cached list, re-read at once when it does not
 * know `id` (a category just created here or on another instance is usable immediately).
 */
export async function categoriesWith(db: Db, id: number): Promise<readonly repo.CategoryRow[]> {
  const rows = await categories.get(db);
  if (rows.some((c) => c.id === id)) return rows;
  categories.forget(db);
  return categories.get(db);
}

/** Drops the cached categories of this database handle (after a category edit). */
export function forgetCategories(db: Db): void {
  categories.forget(db);
}

/** The working-day calendar (≤ 5 s old). */
export function cachedCalendar(db: Db): Promise<CalendarData> {
  return calendar.get(db);
}
