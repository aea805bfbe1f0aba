/**
 * `npm run seed`: runs the demo seeds that have not run yet (the modules' manifests, in order) on the
 * configured database (DATA_DIR for PGlite, or DATABASE_URL), after applying pending migrations, and
 * exits 0. On PGlite it takes the data-folder lock first, so it refuses a folder a running server holds.
 */
import { ConfigError, loadConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { openConfiguredDatabase } from '../db/open.js';
import { acquireDataLock, LockError } from '../lib/lockfile.js';
import { setAuditKey } from '../modules/audit/index.js';
import { setQueryPepper } from '../modules/cases/index.js';
import { runSeeds } from '../seed/index.js';
import { runIfMain } from './main.js';

/** Opens (and migrates) the database the environment points at, runs the pending demo seeds and closes it; returns the exit code. */
export async function runSeedCommand(
  env: NodeJS.ProcessEnv = process.env,
  out: { log(line: string): void; error(line: string): void } = console,
): Promise<number> {
  let release: (() => void) | null = null;
  let database: Database | null = null;
  try {
    // Seeds sign nobody in; a placeholder keeps loadConfig from writing a session secret into the data folder.
    const config = loadConfig({ SESSION_SECRET: 'seed-does-not-use-sessions-000000000', ...env });
    if (!config.databaseUrl) release = acquireDataLock(config.dataDir);
    setAuditKey(config.auditKey); // the audit chain is keyed (audit.chain)
    setQueryPepper(config.queryPepper); // the demo cases' query passwords, as the server keys them (cases.password)
    database = await openConfiguredDatabase(config);
    const seeded = await runSeeds(database);
    out.log(
      seeded.length
        ? `演示数据已生成 / demo data seeded: ${seeded.join(', ')}`
        : '演示数据已存在 / demo data already seeded',
    );
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof LockError) out.error(err.message);
    else out.error(`生成演示数据失败 / seeding failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    if (database) await database.close();
    release?.();
  }
}

runIfMain(import.meta.url, () => runSeedCommand());
