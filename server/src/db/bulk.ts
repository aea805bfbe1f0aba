/**
 * Many rows in one INSERT with one parameter: the rows travel as a JSON array and PostgreSQL turns
 * them into the table's row type (`json_populate_recordset`). The statement text depends only on
 * the columns, not on the row count, and there is one parameter instead of rows × columns — about
 * four times cheaper than a VALUES list of bound parameters for the batches of the intake path
 * (measured on PGlite: 82 µs per case row against 354 µs). Works the same on PGlite and PostgreSQL.
 *
 * Values go through each column's own driver mapping (Drizzle's `mapToDriverValue`: dates to ISO
 * strings…), except json/jsonb columns, whose values are embedded as JSON as they are. A JSON null
 * becomes an SQL NULL. Columns are those the rows give; a column missing from some rows is NULL in
 * them, which is refused for columns with a default (the rows would silently differ from a VALUES
 * insert, which would have used the default).
 */
import { getTableColumns, getTableName, sql, type Column, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { mayHoldLoneSurrogate, wellFormed } from '../lib/unicode.js';
import type { Db } from './client.js';

type Returned<T extends PgTable, K extends keyof T['$inferSelect']> = Pick<T['$inferSelect'], K>;

/** The INSERT of `rows` into `table` as one statement with one JSON parameter, or null for no rows. */
export function insertSql<T extends PgTable>(
  table: T,
  rows: readonly T['$inferInsert'][],
  returning: readonly string[] = [],
): SQL | null {
  if (!rows.length) return null;
  const columns = getTableColumns(table) as Record<string, Column>;
  for (const [k, col] of Object.entries(columns)) {
    if (col.defaultFn || col.onUpdateFn)
      throw new Error(
        `insertMany(${getTableName(table)}): column ${k} has a client-side default, which this INSERT would not apply`,
      );
  }
  const keys = [
    ...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => (r as Record<string, unknown>)[k] !== undefined))),
  ];
  for (const k of keys) {
    const col = columns[k];
    if (!col) throw new Error(`insertMany(${getTableName(table)}): unknown column ${k}`);
    if (col.hasDefault && rows.some((r) => (r as Record<string, unknown>)[k] === undefined)) {
      throw new Error(`insertMany(${getTableName(table)}): column ${k} has a default and is missing from some rows`);
    }
  }
  const data = rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = (r as Record<string, unknown>)[k];
      const col = columns[k];
      out[col.name] = v === undefined || v === null ? null : col.dataType === 'json' ? v : col.mapToDriverValue(v);
    }
    return out;
  });
  let json = JSON.stringify(data);
  // A lone UTF-16 surrogate travels as a \uD8xx escape that PostgreSQL refuses; store U+FFFD instead,
  // as a bound text parameter would (node-postgres encodes it so). Rare: checked on the JSON text first.
  if (mayHoldLoneSurrogate(json))
    json = JSON.stringify(data, (_k, v: unknown) => (typeof v === 'string' ? wellFormed(v) : v));
  const names = sql.raw(keys.map((k) => `"${columns[k].name}"`).join(', '));
  const ret = returning.length
    ? sql.raw(` RETURNING ${returning.map((k) => `"${columns[k].name}"`).join(', ')}`)
    : sql``;
  // ORDER BY ordinality: rows are inserted, and take their serial ids, in the order given.
  return sql`INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, ${json}::json) WITH ORDINALITY AS r ORDER BY r.ordinality${ret}`;
}

/**
 * Inserts `rows` into `table` with one statement and returns the `returning` columns of each row, in
 * the order given (the rows are inserted in array order, so serial ids follow it; the result is
 * sorted by the first returning column, which must then be the serial id).
 */
export async function insertMany<T extends PgTable, K extends keyof T['$inferSelect'] & string = never>(
  db: Db,
  table: T,
  rows: readonly T['$inferInsert'][],
  returning: readonly K[] = [],
): Promise<Returned<T, K>[]> {
  const query = insertSql(table, rows, returning);
  if (!query) return [];
  const result = (await db.execute(query)) as unknown as { rows: Record<string, unknown>[] };
  if (!returning.length) return [];
  const columns = getTableColumns(table) as Record<string, Column>;
  const out = result.rows.map((raw) => {
    const row: Record<string, unknown> = {};
    for (const k of returning) {
      const col = columns[k];
      const v = raw[col.name];
      row[k] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
    }
    return row as Returned<T, K>;
  });
  if (out.length !== rows.length)
    throw new Error(`insertMany(${getTableName(table)}): ${out.length} rows returned for ${rows.length}`);
  const first = returning[0];
  return out.sort((a, b) => Number(a[first as K]) - Number(b[first as K]));
}

/**
 * Data-changing statements (INSERTs, upserts) as one statement: `WITH w1 AS (…), w2 AS (…) SELECT 1`,
 * one round trip instead of one each; null when there are none. The statements must not depend on
 * each other's rows (they see the same snapshot); foreign keys between them still hold, checked at the
 * end of the statement.
 */
export function togetherSql(statements: readonly (SQL | null)[]): SQL | null {
  const list = statements.filter((s): s is SQL => s !== null);
  if (list.length <= 1) return list[0] ?? null;
  const ctes = sql.join(
    list.map((s, i) => sql`${sql.raw(`w${i}`)} AS (${s})`),
    sql`, `,
  );
  return sql`WITH ${ctes} SELECT 1`;
}
