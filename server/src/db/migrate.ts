import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * Applies the committed SQL migrations in file-name order, each in its own transaction, and records
 * them in `schema_migrations`. Identical on PGlite and PostgreSQL; an advisory lock keeps two
 * starting instances from migrating at once.
 */
export async function migrate(database: Database, opts: { through?: string } = {}): Promise<string[]> {
  await database.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  // `through`: stop after that file (tests of an upgrade from an earlier version).
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql') && (!opts.through || f <= opts.through))
    .sort();
  const applied: string[] = [];
  await database.exec('SELECT pg_advisory_lock(72700001)');
  try {
    const done = new Set(
      (await database.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      const text = readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
      await database.exec(
        `BEGIN;\n${text}\n;INSERT INTO schema_migrations(name) VALUES ('${file.replace(/'/g, "''")}');\nCOMMIT;`,
      );
      applied.push(file);
    }
  } catch (err) {
    await database.exec('ROLLBACK').catch(() => undefined /* no transaction open */);
    throw err;
  } finally {
    await database.exec('SELECT pg_advisory_unlock(72700001)');
  }
  return applied;
}
