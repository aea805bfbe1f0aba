/**
 * Paged lists without exact counts over millions of rows (issue 19). Every module's list uses this:
 *
 * - the page is read with one extra row, so "is there a next page" is known without counting;
 * - the total is counted only when the page does not already tell it (a short, non-empty page, or an
 *   empty first page, gives it exactly), and then only up to COUNT_CAP + 1 rows: past the cap the answer is
 *   `{ total: COUNT_CAP, totalCapped: true }`, shown as "10,000+" — counting stops reading there, so a
 *   count over 2,000,000 cases costs as much as one over 10,001.
 *
 * The count query is the rows query's FROM/WHERE with `LIMIT cap + 1` inside, so the planner may stop
 * early on an index and reads no column.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';

export const COUNT_CAP = 10_000;

export type PageRequest = { limit: number; offset: number };
export type ListPage<T> = {
  rows: T[];
  /** Exact when totalCapped is false; COUNT_CAP when there are more. */
  total: number;
  totalCapped: boolean;
  hasMore: boolean;
};

/** The page request of a 1-based page number and a page size. */
export function pageOf(page: number, pageSize: number): PageRequest {
  return { limit: pageSize, offset: (page - 1) * pageSize };
}

/**
 * Reads one page: `rows(limit, offset)` is called with one row more than the page; `count(cap)` counts at
 * most `cap` matching rows (use {@link cappedCount}) and is called only when the total is not known
 * from the page itself.
 */
export async function readPage<T>(
  page: PageRequest,
  rows: (limit: number, offset: number) => Promise<T[]>,
  count: (cap: number) => Promise<number>,
  cap = COUNT_CAP,
): Promise<ListPage<T>> {
  const got = await rows(page.limit + 1, page.offset);
  const hasMore = got.length > page.limit;
  const pageRows = hasMore ? got.slice(0, page.limit) : got;
  if (!hasMore && (pageRows.length > 0 || page.offset === 0)) {
    return { rows: pageRows, total: page.offset + pageRows.length, totalCapped: false, hasMore };
  }
  const n = await count(cap + 1);
  return n > cap
    ? { rows: pageRows, total: cap, totalCapped: true, hasMore }
    : { rows: pageRows, total: n, totalCapped: false, hasMore };
}

/**
 * Counts the rows of `from` (a `FROM … WHERE …` fragment, without SELECT) up to `cap`:
 * `SELECT count(*) FROM (SELECT 1 FROM … [ORDER BY …] LIMIT cap) t`. `orderBy` (the list's own order)
 * makes the count walk the same index as the rows — for conditions checked row by row (a frequent
 * search word), where an unordered scan would start among the oldest rows.
 */
export async function cappedCount(db: Db, from: SQL, cap: number, orderBy?: SQL): Promise<number> {
  const order = orderBy ? sql` ORDER BY ${orderBy}` : sql``;
  const res = (await db.execute(
    sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${from}${order} LIMIT ${cap}) t`,
  )) as unknown as { rows: { n: number | string }[] };
  return Number(res.rows[0]?.n ?? 0);
}

/** What a list response carries about its size (the zod schema of the web's list responses). */
export type ListTotals = { total: number; totalCapped: boolean };
