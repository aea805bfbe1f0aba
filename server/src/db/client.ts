import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { DrizzleQueryError, TransactionRollbackError, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import {
  PgDialect,
  PgTransaction,
  type PgDatabase,
  type PgQueryResultHKT,
  type PgTransactionConfig,
} from 'drizzle-orm/pg-core';
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
  /** Connections of the PostgreSQL pool (for /metrics); absent on PGlite (one connection). */
  poolStats?: () => { max: number; total: number; idle: number; waiting: number };
};

type EndWork = { value: unknown; run: () => Promise<void> };
const endWork = new WeakMap<object, Map<string, EndWork>>();

/**
 * A value kept under `key` for the rest of the transaction `tx` — made by `create` on first use — and
 * handed to `atEnd` when the transaction's callback has finished, before the commit, in the same
 * transaction. Null when `tx` is not a transaction opened by `Database.db.transaction` (a root
 * handle, or a nested savepoint): the caller then does its work at once.
 */
export function untilTransactionEnd<T>(
  tx: Db,
  key: string,
  create: () => T,
  atEnd: (value: T) => Promise<void>,
): T | null {
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

/** Runs a transaction's callback, then the work it kept with untilTransactionEnd. */
async function withEndWork<T, X extends object>(tx: X, fn: (tx: X) => Promise<T>): Promise<T> {
  const work = new Map<string, EndWork>();
  endWork.set(tx, work);
  try {
    const result = await fn(tx);
    for (const w of work.values()) await w.run();
    return result;
  } finally {
    endWork.delete(tx);
  }
}

/** Makes `db.transaction` run the work kept with untilTransactionEnd before it commits (PGlite). */
function withEndHooks(db: Db): Db {
  const begin = db.transaction.bind(db);
  const transaction: Db['transaction'] = (fn, config) => begin((tx) => withEndWork(tx, fn), config);
  return Object.assign(db, { transaction });
}

/** An open pipelined transaction (PostgreSQL): its connection, what it sent without waiting, its first failure. */
type Pipeline = { client: pg.PoolClient; sent: Promise<unknown>[]; failed: Error | null };
const pipelines = new WeakMap<object, Pipeline>();
const dialect = new PgDialect();

/**
 * Writes a statement to the transaction's connection without waiting. The first failure is kept, and
 * kept at once when node-postgres refuses a statement before sending it (a parameter it cannot encode):
 * the server has not seen that statement, so its transaction is not aborted and the COMMIT must not go.
 */
function submit(p: Pipeline, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const answer = new Promise<pg.QueryResult>((resolve, reject) => {
    p.client.query(text, params, (err: Error | null, res: pg.QueryResult) => {
      if (!err) return resolve(res);
      const error = text === 'COMMIT' || text.startsWith('BEGIN') ? err : new DrizzleQueryError(text, params, err);
      p.failed ??= error;
      reject(error);
    });
  });
  answer.catch(() => undefined); // awaited with the commit
  p.sent.push(answer);
  return answer;
}

/**
 * Runs `fn` in a transaction: the caller's own when `db` already is one (nested transactions are not
 * supported), else a new one. For service functions that also run as one step of a larger all-or-nothing
 * operation (an Excel import calling the editor's create/update).
 */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const already = (db as unknown) instanceof PgTransaction || pipelines.has(db);
  return already ? fn(db) : db.transaction((tx) => fn(tx as unknown as Db));
}

/**
 * Sends a statement of transaction `tx` whose result the caller does not need. On PostgreSQL it is
 * written to the connection at once and not waited for: the statements after it, the transaction's
 * end work and its COMMIT follow on the same connection without a round trip each (node-postgres
 * pipeline mode), and its answer is awaited with the commit — a failure fails the commit and the
 * transaction is rolled back. Elsewhere (PGlite, whose statements cost no round trip; a root handle)
 * it runs and is awaited here.
 */
export async function sendInTransaction(tx: Db, query: SQL): Promise<void> {
  const p = pipelines.get(tx);
  if (!p) {
    await tx.execute(query);
    return;
  }
  if (p.failed) throw p.failed;
  const q = dialect.sqlToQuery(query);
  void submit(p, q.sql, q.params);
}

function beginSql(config: PgTransactionConfig | undefined): string {
  const modes = [
    config?.isolationLevel && `ISOLATION LEVEL ${config.isolationLevel.toUpperCase()}`,
    config?.accessMode && config.accessMode.toUpperCase(),
    config?.deferrable !== undefined && (config.deferrable ? 'DEFERRABLE' : 'NOT DEFERRABLE'),
  ].filter(Boolean);
  return modes.length ? `BEGIN ${modes.join(' ')}` : 'BEGIN';
}

/**
 * `db.transaction` on a PostgreSQL pool, with fewer round trips than Drizzle's (which waits for each
 * of BEGIN, every statement and COMMIT): BEGIN is sent with the first statement, and the statements
 * sent with sendInTransaction, the end work (untilTransactionEnd) and COMMIT travel together. The
 * connections are in pipeline mode; a statement that fails aborts the transaction, so the ones
 * pipelined behind it fail too and COMMIT answers ROLLBACK, which is reported as a failure, with the
 * first failed statement's error. `tx.rollback()` rolls back as in Drizzle; nested transactions
 * (savepoints) are not supported: nothing uses them.
 *
 * Two limits of not waiting. If BEGIN itself failed (it does not on a healthy connection: a plain
 * BEGIN has nothing to refuse), the statements behind it would run on their own; the transaction still
 * reports the failure. And node-postgres's `query_timeout` must not be set: it would report a failure
 * while a COMMIT already written may still run. Use the server's `statement_timeout` instead.
 */
function pipelinedTransactions(pool: pg.Pool, db: Db): Db {
  const handles = new WeakMap<pg.PoolClient, Db>();
  const handleOf = (client: pg.PoolClient): Db => {
    let h = handles.get(client);
    if (!h) {
      h = drizzlePg(client, { schema }) as unknown as Db;
      Object.assign(h, {
        transaction: () => Promise.reject(new Error('nested transactions (savepoints) are not supported')),
        rollback: () => {
          throw new TransactionRollbackError();
        },
      });
      handles.set(client, h);
    }
    return h;
  };
  const transaction = async <T>(fn: (tx: Tx) => Promise<T>, config?: PgTransactionConfig): Promise<T> => {
    const client = await pool.connect();
    // Its own object per transaction (the Drizzle handle of the connection behind it), so that a `tx`
    // kept after its transaction never joins the next one on the same connection.
    const tx = Object.create(handleOf(client)) as Db;
    const p: Pipeline = { client, sent: [], failed: null };
    pipelines.set(tx, p);
    let broken: Error | undefined;
    try {
      void submit(p, beginSql(config));
      const result = await withEndWork(tx as unknown as Tx, fn);
      if (p.failed) throw p.failed;
      const commit = submit(p, 'COMMIT');
      await Promise.allSettled(p.sent);
      if (p.failed) throw p.failed;
      const done = await commit;
      if (done.command !== 'COMMIT') throw new Error(`transaction ended with ${done.command}, not COMMIT`);
      return result;
    } catch (error) {
      // Harmless when the transaction already ended (a failed COMMIT): the server only warns.
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      // A statement sent without waiting that failed is the cause; what failed after it only saw the
      // transaction aborted. By now every statement before the ROLLBACK has its answer.
      throw p.failed ?? error;
    } finally {
      pipelines.delete(tx);
      client.release(broken);
    }
  };
  return Object.assign(db, { transaction });
}

/** Opens PGlite on a folder (or an in-memory/loaded image) and wraps it in Drizzle. */
export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob | File }): Promise<Database> {
  let client: PGlite;
  if (opts.dataDir) {
    mkdirSync(path.dirname(opts.dataDir), { recursive: true });
    // With both: a new folder filled from the image (tests of file-backed databases).
    client = await PGlite.create({
      dataDir: opts.dataDir,
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
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
export async function openPostgres(
  url: string,
  opts: { max?: number; statementTimeoutMs?: number; onError?: (err: Error) => void } = {},
): Promise<Database> {
  // Pipeline mode: a transaction's statements that need no answer travel together (pipelinedTransactions).
  // statement_timeout is the server's limit per statement (never node-postgres's query_timeout: see above).
  const max = opts.max ?? 10;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    pipeline: true,
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
  });
  // A connection the server ends (restart, failover, pg_terminate_backend) must not crash the process:
  // the pool drops it and opens a new one on the next query. Log it instead of throwing.
  const onError = opts.onError ?? ((err: Error) => console.error('postgres connection error:', err.message));
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  // Fail fast with a clear message when the server is not there.
  const probe = await pool.connect();
  probe.release();
  const db = pipelinedTransactions(pool, drizzlePg(pool, { schema }) as unknown as Db);
  return {
    db,
    kind: 'postgres',
    exec: async (text) => {
      await pool.query(text);
    },
    query: async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[],
    close: () => pool.end(),
    poolStats: () => ({ max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
