/**
 * `npm run restore -- <file>`: loads a backup archive into an empty data folder (PGlite: DATA_DIR) or
 * an empty PostgreSQL database (DATABASE_URL; uploads and keys go to DATA_DIR). Refuses a target that
 * already holds data. Afterwards `npm run audit:verify` checks the restored audit chain.
 */
import { ConfigError, loadConfig } from '../config.js';
import { LockError } from '../lib/lockfile.js';
import { BackupError, restoreBackup } from '../platform/backup.js';
import { runIfMain } from './main.js';

/** Runs a restore for the environment; returns the exit code (tests call it directly). */
export async function runRestore(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: Pick<Console, 'log' | 'error'> = console,
): Promise<number> {
  if (!args[0]) {
    out.error('用法 / usage: npm run restore -- <backup file>');
    return 1;
  }
  try {
    // Placeholder secret: the archive brings the data folder's own session-secret file.
    const config = loadConfig({
      SESSION_SECRET: 'restore-does-not-use-sessions-00000000',
      AUDIT_KEY: 'restore-never-writes-audit-entries-000000',
      QUERY_PEPPER: 'restore-never-checks-query-passwords-0000',
      ...env,
    });
    const started = Date.now();
    const m = await restoreBackup({ config, file: args[0], log: (l) => out.log(`  ${l}`) });
    const where = config.dbKind === 'postgres' ? 'DATABASE_URL' : config.dataDir;
    out.log(
      `恢复完成 / restored the backup of ${m.createdAt} into ${where} (${((Date.now() - started) / 1000).toFixed(1)} s); check it with npm run audit:verify`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof LockError || err instanceof BackupError) out.error(err.message);
    else out.error(`恢复失败 / restore failed: ${err instanceof Error ? err.stack : String(err)}`);
    return 1;
  }
}

runIfMain(import.meta.url, () => runRestore(process.argv.slice(2)));
