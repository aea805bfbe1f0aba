/**
 * `npm run backup [-- <file>]`: writes one archive of the configured installation (database, uploaded
 * files, the data folder's keys) while the server runs or not. Default file:
 * ./backups/xiaoneng-<time>.tar. See platform/backup.ts and the README's "Backup and restore".
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { LockError } from '../lib/lockfile.js';
import { BackupError, createBackup } from '../platform/backup.js';
import { runIfMain } from './main.js';

/** Runs a backup for the environment; returns the exit code (tests call it directly). */
export async function runBackup(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: Pick<Console, 'log' | 'error'> = console,
): Promise<number> {
  try {
    // Placeholder secret: loadConfig must not create a session-secret file in the data folder here.
    const config = loadConfig({
      SESSION_SECRET: 'backup-does-not-use-sessions-000000000',
      AUDIT_KEY: 'backup-never-writes-audit-entries-000000',
      QUERY_PEPPER: 'backup-never-checks-query-passwords-0000',
      ...env,
    });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
    const file = path.resolve(args[0] ?? path.join('backups', `xiaoneng-${stamp}.tar`));
    const started = Date.now();
    const m = await createBackup({ config, file, log: (l) => out.log(`  ${l}`) });
    out.log(
      `备份完成 / backup written: ${file} (${m.dbKind}, ${m.uploads.files} uploads, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof LockError || err instanceof BackupError) out.error(err.message);
    else out.error(`备份失败 / backup failed: ${err instanceof Error ? err.stack : String(err)}`);
    return 1;
  }
}

runIfMain(import.meta.url, () => runBackup(process.argv.slice(2)));
