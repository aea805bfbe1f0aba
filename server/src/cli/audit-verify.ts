/**
 * `npm run audit:verify`: checks the audit log's hash chain of the configured database
 * (DATA_DIR for PGlite, or DATABASE_URL) against the audit key (AUDIT_KEY, AUDIT_KEY_FILE or
 * DATA_DIR/audit-key) and the signed checkpoints (AUDIT_CHECKPOINT_FILE, default
 * DATA_DIR/audit-checkpoints.jsonl), and exits 0 when intact, 1 when broken or not checkable.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { openPglite, openPostgres, type Database } from '../db/client.js';
import { acquireDataLock, LockError } from '../lib/lockfile.js';
import { deriveAuditKeys, readCheckpointFile, verifyChain } from '../modules/audit/index.js';
import { runIfMain } from './main.js';

export type VerifyOutcome = { exitCode: 0 | 1; message: string };

/**
 * Verifies the chain of an open database with the audit master key and the checkpoint file, and words
 * the result; no process exit, so tests call it directly. A checkpoint line whose signature does not
 * verify fails the check (the file was edited); a missing checkpoint file is reported (truncation of the
 * tail cannot be detected without one) but is not a failure on its own.
 */
export async function verifyAuditDatabase(
  database: Database,
  opts: { auditKey: Buffer; checkpointFile: string },
): Promise<VerifyOutcome> {
  const keys = deriveAuditKeys(opts.auditKey);
  const file = readCheckpointFile(opts.checkpointFile, keys.checkpoint);
  if (file.bad.length) {
    const b = file.bad[0];
    return { exitCode: 1, message: `audit checkpoints BROKEN: ${opts.checkpointFile} line ${b.line}: ${b.reason}` };
  }
  const r = await verifyChain(database.db, { keys, checkpoints: file.checkpoints });
  if (r.broken) return { exitCode: 1, message: `audit chain BROKEN at entry ${r.broken.id}: ${r.broken.reason}` };
  const anchored = file.exists
    ? `${r.checkpoints} signed checkpoints matched (${opts.checkpointFile})`
    : `WARNING: no checkpoint file ${opts.checkpointFile}: a cut-off tail cannot be detected`;
  return { exitCode: 0, message: `audit chain OK: ${r.checked} entries; ${anchored}` };
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
    // It never creates keys: a missing audit key is an error here, not a fresh key that cannot match.
    const config = loadConfig(
      {
        SESSION_SECRET: 'audit-verify-does-not-use-sessions-0000',
        QUERY_PEPPER: 'audit-verify-does-not-use-the-query-pepper',
        ...env,
      },
      { createKeys: false },
    );
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
    const outcome = await verifyAuditDatabase(database, {
      auditKey: config.auditKey,
      checkpointFile: config.auditCheckpointFile,
    });
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

runIfMain(import.meta.url, () => runAuditVerify());
