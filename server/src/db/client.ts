import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** A database handle or an open transaction: services accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs a multi-statement SQL script (migrations, test set-up). */
  exec(sqlText: string): Promise<void>;
  /** Runs one parameterised query and returns its rows. */
  query<T = Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  pglite?: PGlite;
};

type EndWork = { value: unknown; run: () => Promise<void> };
const endWork = new WeakMap<object, Map<string, EndWork>>();

/**
 * A value kept under `key` for the rest of the transaction `tx` — made by `create` on first use — and
 * handed to `atEnd` when the transaction's callback has finished, before the commit, in the same
 * transaction. Null when `tx` is not a transaction opened by `Database.db.transaction` (a root
 * handle, or a nested savepoint): the caller then does its work at once.
 */
export function untilTransactionEnd<T>(tx: Db, key: string, create: () => T, atEnd: (value: T) => Promise<void>): T | null {
  const work = endWork.get(tx);
  if (!work) return null;
  let w = work.get(key);
  if (!w) {
    const value = create();
    w = { value, run: () => atEnd(value) };
    work.set(key, w);
  }
  return w.value as T;
}

/** Makes `db.transaction` run the work kept with untilTransactionEnd before it commits. */
function withEndHooks(db: Db): Db {
  const begin = db.transaction.bind(db);
  const transaction: Db['transaction'] = (fn, config) =>
    begin(async (tx) => {
      const work = new Map<string, EndWork>();
      endWork.set(tx, work);
      try {
        const result = await fn(tx);
        for (const w of work.values()) await w.run();
        return result;
      } finally {
        endWork.delete(tx);
      }
    }, config);
  return Object.assign(db, { transaction });
}

/** Opens PGlite on a folder (or an in-memory/loaded image) and wraps it in Drizzle. */
export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob | File }): Promise<Database> {
  let client: PGlite;
  if (opts.dataDir) {
    mkdirSync(path.dirname(opts.dataDir), { recursive: true });
    client = await PGlite.create({ dataDir: opts.dataDir });
  } else {
    client = await PGlite.create({ loadDataDir: opts.loadDataDir });
  }
  const db = withEndHooks(drizzlePglite(client, { schema }) as unknown as Db);
  return {
    db,
    kind: 'pglite',
    pglite: client,
    exec: async (text) => {
      await client.exec(text);
    },
    query: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[],
    close: () => client.close(),
  };
}

/** Opens a pool on a PostgreSQL server. */
export async function openPostgres(url: string, opts: { max?: number; onError?: (err: Error) => void } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // A connection the server ends (restart, failover, pg_terminate_backend) must not crash the process:
  // the pool drops it and opens a new one on the next query. Log it instead of throwing.
  const onError = opts.onError ?? ((err: Error) => console.error('postgres connection error:', err.message));
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  // Fail fast with a clear message when the server is not there.
  const probe = await pool.connect();
  probe.release();
  const db = withEndHooks(drizzlePg(pool, { schema }) as unknown as Db);
  return {
    db,
    kind: 'postgres',
    exec: async (text) => {
      await pool.query(text);
    },
    query: async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[],
    close: () => pool.end(),
  };
}
