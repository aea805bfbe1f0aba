import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.js';

/** The rows of a raw SQL query (PGlite and node-postgres both answer `{ rows }`). */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Ids for `IN (…)`; an empty list becomes `(0)`, which matches no row. */
export const idList = (ids: readonly number[]): SQL =>
  sql.join(
    (ids.length ? ids : [0]).map((i) => sql`${i}`),
    sql`, `,
  );
