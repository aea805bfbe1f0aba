/** Where a benchmark's data live: its own PostgreSQL database kept between runs, a temporary folder, closing after. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPostgres, type Database } from '../server/src/db/client.js';

/**
 * A benchmark's own database on BENCH_DATABASE_URL's server, kept between runs (its data are generated
 * once): `name` (from the benchmark's env variable `nameVar`), dropped first when `fresh`, created when
 * missing; opened with a pool of 10.
 */
export async function ownDatabase(
  url: string,
  o: { name: string; nameVar: string; fresh: boolean },
): Promise<Database> {
  if (!/^[a-z_][a-z0-9_]*$/.test(o.name)) throw new Error(`${o.nameVar}: lower-case letters, digits and _ only`);
  const admin = await openPostgres(url, { max: 1 });
  try {
    if (o.fresh) await admin.exec(`DROP DATABASE IF EXISTS ${o.name} WITH (FORCE)`);
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [o.name]);
    if (!exists.length) await admin.exec(`CREATE DATABASE ${o.name}`);
  } finally {
    await admin.close();
  }
  const u = new URL(url);
  u.pathname = `/${o.name}`;
  return openPostgres(u.toString(), { max: 10 });
}

/** Runs `fn` on the database, then closes it. */
export async function closing<T>(database: Database, fn: (database: Database) => Promise<T>): Promise<T> {
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** Runs `fn` with a new temporary folder (`<prefix>…` in the system's temp), then removes the folder. */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
