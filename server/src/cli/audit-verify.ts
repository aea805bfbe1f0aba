/**
 * `npm run audit:verify`: checks the audit log's hash chain of the configured database
 * (DATA_DIR for PGlite, or DATABASE_URL) and exits 0 when intact, 1 when broken or not checkable.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../config.js';
import { openPglite, openPostgres, type Database } from '../db/client.js';
import { acquireDataLock, LockError } from '../lib/lockfile.js';
import { verifyChain } from '../modules/audit/index.js';

export type VerifyOutcome = { exitCode: 0 | 1; message: string };

/** Verifies the chain of an open database and words the result; no process exit, so tests call it directly. */
export async function verifyAuditDatabase(database: Database): Promise<VerifyOutcome> {
  const r = await verifyChain(database.db);
  if (r.broken) return { exitCode: 1, message: `audit chain BROKEN at entry ${r.broken.id}: ${r.broken.reason}` };
  return { exitCode: 0, message: `audit chain OK: ${r.checked} entries` };
}

/**
 * Opens the database the environment points at, verifies it and closes it again; returns the exit code.
 * On PGlite it takes the data-folder lock first, so it refuses to run while a server holds the folder.
 */
export async function runAuditVerify(
  env: NodeJS.ProcessEnv = process.env,
  out: { log(line: string): void; error(line: string): void } = console,
): Promise<number> {
  let release: (() => void) | null = null;
  let database: Database | null = null;
  try {
    // The session secret is irrelevant here; a placeholder keeps loadConfig from writing one into the data folder.
    const config = loadConfig({ SESSION_SECRET: 'audit-verify-does-not-use-sessions-0000', ...env });
    if (config.databaseUrl) {
      database = await openPostgres(config.databaseUrl, { max: 1 });
    } else {
      const folder = path.join(config.dataDir, 'pglite');
      // Opening a missing folder would create an empty database: say so instead.
      if (!existsSync(path.join(folder, 'PG_VERSION'))) {
        out.error(`没有找到数据库 / no database in ${folder}`);
        return 1;
      }
      release = acquireDataLock(config.dataDir);
      database = await openPglite({ dataDir: folder });
    }
    const outcome = await verifyAuditDatabase(database);
    if (outcome.exitCode === 0) out.log(outcome.message);
    else out.error(outcome.message);
    return outcome.exitCode;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof LockError) out.error(err.message);
    else out.error(`审计链校验失败 / audit verification failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    if (database) await database.close();
    release?.();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runAuditVerify().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
