import { ConfigError, loadConfig } from './config.js';
import { buildApp } from './app.js';
import { openConfiguredDatabase } from './db/open.js';
import { acquireDataLock, LockError } from './lib/lockfile.js';
import { startSmsSender, stopSmsSender } from './modules/cases/cases.sms.js';
import { startCaseStatsSync, stopCaseStatsSync } from './modules/casestats/casestats.service.js';
import { startReminderJob } from './modules/reporting/reporting.jobs.js';
import { startScoreWarmer, stopScoreWarmer } from './modules/scoring/scoring.cache.js';
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
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await app.close(); // stops accepting, waits for in-flight requests
      await stopSmsSender(); // the SMS outbox loop, before its database goes
      await stopCaseStatsSync(); // case statistics → score inputs loop
      await stopScoreWarmer();
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
  startScoreWarmer({ db: database.db, log: app.log }); // scores built in the background: at start and after changes
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
