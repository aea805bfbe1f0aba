import pino from 'pino';
import { ConfigError, loadConfig, startupWarnings } from './config.js';
import { buildApp } from './app.js';
import { openConfiguredDatabase } from './db/open.js';
import { acquireDataLock, LockError } from './lib/lockfile.js';
import { adoptSessionSecret } from './lib/session-secret.js';
import { auditJobs } from './modules/audit/index.js';
import { upgradeQueryPasswordHashes } from './modules/cases/index.js';
import { MODULES } from './modules/index.js';
import { publishLocalControl } from './platform/backup.js';
import { startScoreWarmer, stopScoreWarmer } from './modules/scoring/index.js';
import { startJobRunner, type JobRunner } from './platform/jobs/index.js';
import { collectJobs } from './platform/module.js';
import { smsJobs } from './platform/sms/index.js';
import { runSeeds } from './seed/index.js';
import { issueSetupToken, setupMessage } from './modules/setup/index.js';

async function main() {
  const startedAt = Date.now();
  const config = loadConfig();
  // Start-up progress (a first start migrates and seeds for a while: say what it does).
  const progress = pino({ level: config.logLevel });
  const release = config.dbKind === 'pglite' ? acquireDataLock(config.dataDir) : () => undefined;
  progress.info({ db: config.dbKind }, 'opening the database and applying migrations');
  const database = await openConfiguredDatabase(config, {
    onMigrated: (applied, ms) =>
      progress.info(
        { applied: applied.length, ms, ...(applied.length ? { first: applied[0], last: applied.at(-1) } : {}) },
        'migrations applied',
      ),
  });
  await adoptSessionSecret(config, database); // PostgreSQL without SESSION_SECRET: the secret all instances share
  const app = await buildApp({ config, database });
  for (const w of startupWarnings(config)) app.log.warn(w);
  if (config.seedDemo) {
    const seeded = await runSeeds(database, (p) =>
      progress.info(p, `demo seed "${p.seed}" done in ${(p.ms / 1000).toFixed(1)} s`),
    );
    if (seeded.length) app.log.info({ seeded, ms: Date.now() - startedAt }, 'demo data seeded');
  }
  let unpublish = () => undefined as void;
  // Query-password hashes of the earlier form get the key kept outside the database (once; then a no-op).
  const rewrapped = await upgradeQueryPasswordHashes(database.db);
  if (rewrapped) app.log.info({ rewrapped }, 'case query-password hashes wrapped with QUERY_PEPPER');
  let jobs: JobRunner | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await app.close(); // stops accepting, waits for in-flight requests
      await jobs?.stop(); // aborts running jobs through their signal and waits for them, before their database goes
      await stopScoreWarmer();
      await database.close();
    } finally {
      unpublish();
      release();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  // PGlite: where `npm run backup` can ask this server for a snapshot while it holds the folder.
  if (database.kind === 'pglite')
    unpublish = publishLocalControl(config, (app.server.address() as { port: number }).port);
  // Every background job, run by one runner (one instance at a time per job, whatever the number of instances).
  jobs = startJobRunner({
    database,
    config,
    log: app.log,
    jobs: [...smsJobs, ...collectJobs(MODULES), ...auditJobs(config)],
  });
  // Per instance (the cache is in this process), so not a job: scores built in the background at start and after changes.
  startScoreWarmer({ db: database.db, log: app.log });
  app.log.info(
    { db: database.kind, ms: Date.now() - startedAt },
    `Xiaoneng 效能 serving on http://localhost:${config.port}`,
  );
  const baseUrl = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  if (config.seedDemo) {
    const demo = `演示模式：演示账号的密码是公开的（见 README），不要用于真实数据；正式使用请设置 SEED_DEMO=false。Demo mode: the demo accounts' passwords are public (README); set SEED_DEMO=false for real use. Listening on ${config.host}.`;
    console.warn(demo);
    app.log.warn({ demo: true, host: config.host }, demo);
  }
  // A database without users: print the one-time setup link (console and log) for the first admins.
  const setupToken = await issueSetupToken(database);
  if (setupToken) {
    const msg = setupMessage(setupToken, baseUrl);
    console.log(msg);
    app.log.warn({ setup: true }, msg);
  }
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof LockError) {
    console.error(err.message);
  } else {
    console.error('启动失败 / failed to start:', err);
  }
  process.exit(1);
});
