import { ConfigError, loadConfig } from './config.js';
import { buildApp } from './app.js';
import { openConfiguredDatabase } from './db/open.js';
import { acquireDataLock, LockError } from './lib/lockfile.js';
import { auditCheckpointJob } from './modules/audit/audit.checkpoint.js';
import { upgradeQueryPasswordHashes } from './modules/cases/cases.password.js';
import { startSmsSender, stopSmsSender } from './modules/cases/cases.sms.js';
import { startCaseStatsSync, stopCaseStatsSync } from './modules/casestats/casestats.service.js';
import { startReminderJob } from './modules/reporting/reporting.jobs.js';
import { runSeeds } from './seed/index.js';

async function main() {
  const startedAt = Date.now();
  const config = loadConfig();
  const release = config.dbKind === 'pglite' ? acquireDataLock(config.dataDir) : () => undefined;
  const database = await openConfiguredDatabase(config);
  const app = await buildApp({ config, database });
  if (config.seedDemo) {
    const seeded = await runSeeds(database);
    if (seeded.length) app.log.info({ seeded }, 'demo data seeded');
  }
  // Query-password hashes of the earlier form get the key kept outside the database (once; then a no-op).
  const rewrapped = await upgradeQueryPasswordHashes(database.db);
  if (rewrapped) app.log.info({ rewrapped }, 'case query-password hashes wrapped with QUERY_PEPPER');
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await app.close(); // stops accepting, waits for in-flight requests
      await stopSmsSender(); // the SMS outbox loop, before its database goes
      await stopCaseStatsSync(); // case statistics → score inputs loop
      await database.close();
    } finally {
      release();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  startReminderJob(app); // reporting reminders on an interval; stops with app.close()
  await app.listen({ port: config.port, host: config.host });
  startSmsSender({ database, config, log: app.log });
  startCaseStatsSync({ database, log: app.log }); // every minute: changed department statistics → score inputs
  // TEMPORARY until the job runner (platform/jobs) runs module jobs: the lead wires auditCheckpointJob
  // (`audit.checkpoint`) into it and removes this interval. Signed checkpoints of the audit chain, written
  // outside the database (AUDIT_CHECKPOINT_FILE and the log) at start and every AUDIT_CHECKPOINT_MINUTES.
  const checkpointLog = app.log.child({ job: auditCheckpointJob.name });
  const checkpoint = () =>
    auditCheckpointJob
      .run({ database, config, log: checkpointLog, progress: async () => undefined, signal: new AbortController().signal })
      .catch((err: unknown) => checkpointLog.error({ err }, 'audit checkpoint failed'));
  void checkpoint();
  const checkpointTimer = setInterval(() => void checkpoint(), config.auditCheckpointMinutes * 60_000);
  checkpointTimer.unref(); // shutdown exits the process; a run in flight then logs its error
  app.log.info({ db: database.kind, ms: Date.now() - startedAt }, `Xiaoneng 效能 serving on http://localhost:${config.port}`);
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof LockError) {
    console.error(err.message);
  } else {
    console.error('启动失败 / failed to start:', err);
  }
  process.exit(1);
});
