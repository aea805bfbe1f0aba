import { sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStateOf } from '../lib/errors.js';
import { freshDatabase } from '../test/helpers.js';
import { openPostgres, sendInTransaction, untilTransactionEnd, type Database, type Db } from './client.js';

// Transactions as the services use them (db.transaction, sendInTransaction, untilTransactionEnd), on
// PGlite and, with TEST_DATABASE_URL, on PostgreSQL, where they are pipelined.
let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await database.exec(`CREATE TABLE tx_probe (id int PRIMARY KEY, note text NOT NULL DEFAULT '')`);
});
afterAll(async () => {
  await database.close();
});

const rowsOf = async (db: Db) =>
  (
    (await db.execute(sql`SELECT id, note FROM tx_probe ORDER BY id`)) as unknown as {
      rows: { id: number; note: string }[];
    }
  ).rows;
const clear = () => database.exec('DELETE FROM tx_probe');

describe('db.transaction', () => {
  it('commits what was awaited, what was sent without waiting and the end work, in that order', async () => {
    await clear();
    const order: string[] = [];
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO tx_probe (id) VALUES (1)`);
      await sendInTransaction(tx, sql`INSERT INTO tx_probe (id, note) VALUES (2, 'sent')`);
      // Runs after everything the callback did: it sees both rows.
      untilTransactionEnd(
        tx,
        'probe',
        () => order,
        async (o) => {
          o.push('end');
          await sendInTransaction(
            tx,
            sql`UPDATE tx_probe SET note = (SELECT count(*)::text FROM tx_probe) WHERE id = 1`,
          );
        },
      );
      order.push('callback');
    });
    expect(order).toEqual(['callback', 'end']);
    expect(await rowsOf(database.db)).toEqual([
      { id: 1, note: '2' },
      { id: 2, note: 'sent' },
    ]);
  });

  it('rolls everything back when a statement sent without waiting fails, and reports that statement’s error', async () => {
    await clear();
    await database.exec(`INSERT INTO tx_probe (id, note) VALUES (7, 'before')`);
    const failed = database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO tx_probe (id) VALUES (10)`);
      await sendInTransaction(tx, sql`INSERT INTO tx_probe (id) VALUES (7)`); // duplicate key
      await sendInTransaction(tx, sql`INSERT INTO tx_probe (id) VALUES (11)`);
      untilTransactionEnd(
        tx,
        'probe',
        () => null,
        () => sendInTransaction(tx, sql`INSERT INTO tx_probe (id) VALUES (12)`),
      );
    });
    expect(sqlStateOf(await failed.catch((e: unknown) => e))).toBe('23505'); // not 25P02, "transaction aborted"
    expect(await rowsOf(database.db)).toEqual([{ id: 7, note: 'before' }]);
  });

  it('rolls back what was sent when the callback throws afterwards', async () => {
    await clear();
    const failed = database.db.transaction(async (tx) => {
      await sendInTransaction(tx, sql`INSERT INTO tx_probe (id) VALUES (20)`);
      throw new Error('refused after sending');
    });
    await expect(failed).rejects.toThrow('refused after sending');
    expect(await rowsOf(database.db)).toEqual([]);
  });

  it('keeps its writes invisible to others until the commit (BEGIN really came first)', async () => {
    await clear();
    let seenInside: unknown[] | null = null;
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO tx_probe (id) VALUES (30)`);
      await sendInTransaction(tx, sql`INSERT INTO tx_probe (id) VALUES (31)`);
      expect((await rowsOf(tx)).map((r) => r.id)).toEqual([30, 31]);
      // PGlite has one connection: another reader would wait for this transaction, so only PostgreSQL looks.
      if (database.kind === 'postgres') seenInside = await database.query('SELECT id FROM tx_probe');
    });
    if (database.kind === 'postgres') expect(seenInside).toEqual([]);
    expect((await rowsOf(database.db)).map((r) => r.id)).toEqual([30, 31]);
  });

  it('commits nothing when the driver refuses a statement before sending it', async () => {
    await clear();
    const circular: Record<string, unknown> = {};
    circular.self = circular; // cannot be encoded as a parameter: refused before the server sees it
    const failed = database.db.transaction(async (tx) => {
      await sendInTransaction(tx, sql`INSERT INTO tx_probe (id) VALUES (60)`);
      await sendInTransaction(tx, sql`SELECT ${circular}::json`);
    });
    await expect(failed).rejects.toThrow();
    expect(await rowsOf(database.db)).toEqual([]);
  });

  it('rolls back on tx.rollback(), as Drizzle does', async () => {
    await clear();
    const failed = database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO tx_probe (id) VALUES (70)`);
      await sendInTransaction(tx, sql`INSERT INTO tx_probe (id) VALUES (71)`);
      tx.rollback();
    });
    await expect(failed).rejects.toBeInstanceOf(TransactionRollbackError);
    expect(await rowsOf(database.db)).toEqual([]);
  });

  it('leaves the connections usable after failures', async () => {
    await clear();
    for (let i = 0; i < 12; i++) {
      const failed = database.db.transaction(async (tx) => {
        await sendInTransaction(tx, sql`SELECT 1 / 0`);
        await tx.execute(sql`SELECT 1`);
      });
      expect(sqlStateOf(await failed.catch((e: unknown) => e))).toBe('22012'); // division by zero, not "transaction aborted"
    }
    await Promise.all(
      [40, 41, 42, 43].map((id) =>
        database.db.transaction((tx) => sendInTransaction(tx, sql`INSERT INTO tx_probe (id) VALUES (${id})`)),
      ),
    );
    expect((await rowsOf(database.db)).map((r) => r.id)).toEqual([40, 41, 42, 43]);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'PostgreSQL: a statement sent in a transaction is not waited for',
    async () => {
      await clear();
      // Another connection holds an advisory lock; the transaction sends a statement that waits for it.
      // Were the send waited for, it would never return while the lock is held, and the test would time out.
      const holder = await freshHolder();
      await holder.query('SELECT pg_advisory_lock(727099)');
      let sentReturned = false;
      const done = database.db.transaction(async (tx) => {
        await sendInTransaction(tx, sql`SELECT pg_advisory_xact_lock(727099)`);
        sentReturned = true;
        await sendInTransaction(tx, sql`INSERT INTO tx_probe (id) VALUES (50)`);
      });
      await expect.poll(() => sentReturned).toBe(true);
      expect(await rowsOf(database.db)).toEqual([]); // not committed: still waiting for the lock
      await holder.query('SELECT pg_advisory_unlock(727099)');
      await done;
      await holder.close();
      expect((await rowsOf(database.db)).map((r) => r.id)).toEqual([50]);
    },
  );
});

/** A second PostgreSQL connection to the test's database (its own pool). */
async function freshHolder() {
  const [{ db }] = await database.query<{ db: string }>('SELECT current_database() AS db');
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${db}`;
  return openPostgres(url.toString(), { max: 1 });
}
