import { ConfigError, loadConfig } from './config.js';
import { buildApp } from './app.js';
import { openConfiguredDatabase } from './db/open.js';
import { acquireDataLock, LockError } from './lib/lockfile.js';
import { caseStatsJobs } from './modules/casestats/casestats.jobs.js';
import { reportingJobs } from './modules/reporting/reporting.jobs.js';
import { startJobRunner, type JobRunner } from './platform/jobs/index.js';
import { smsJobs } from './platform/sms/index.js';
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
  let jobs: JobRunner | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await app.close(); // stops accepting, waits for in-flight requests
      await jobs?.stop(); // aborts running jobs through their signal and waits for them, before their database goes
      await database.close();
    } finally {
      release();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  // Every background job, run by one runner (one instance at a time per job, whatever the number of instances).
  jobs = startJobRunner({ database, config, log: app.log, jobs: [...smsJobs, ...caseStatsJobs, ...reportingJobs] });
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
