import path from 'node:path';
import type { Config } from '../config.js';
import { openPglite, openPostgres, type Database } from './client.js';
import { migrate } from './migrate.js';

/** Opens the configured database (PGlite folder or PostgreSQL) and applies pending migrations. */
export async function openConfiguredDatabase(
  config: Config,
  opts: { onMigrated?: (applied: string[], ms: number) => void } = {},
): Promise<Database> {
  const database = config.databaseUrl
    ? await openPostgres(config.databaseUrl, {
        max: config.databasePoolSize,
        statementTimeoutMs: config.statementTimeoutMs,
      })
    : await openPglite({ dataDir: path.join(config.dataDir, 'pglite') });
  try {
    const started = Date.now();
    const applied = await migrate(database);
    opts.onMigrated?.(applied, Date.now() - started);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}
