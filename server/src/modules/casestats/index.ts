/** Case statistics module: departments' monthly case counters (kept with every case event) and their sync into score inputs. */
import { defineModule } from '../../platform/module.js';
import { caseEventsStatsSql } from './casestats.apply.js';
import { caseStatsJobs } from './casestats.jobs.js';
import { caseStatsRoutes } from './casestats.routes.js';
import { seedCaseStats } from './casestats.seed.js';
import * as tables from './casestats.table.js';

/** Read by the cockpit: the monthly series over the caller's departments. */
export { currentRates as caseRates, trend as caseTrend } from './casestats.service.js';
export { rebuildCaseStats, syncCaseScoreInputs } from './casestats.service.js';
export { rebuildJob } from './casestats.jobs.js';
/** Read by the analysis reports (reports module): a month's statistics and the configured rate formulas. */
export { currentRates, monthStats } from './casestats.service.js';

export const casestatsModule = defineModule({
  name: 'casestats',
  routes: [{ plugin: caseStatsRoutes, prefix: '/api' }],
  tables,
  permissions: ['cases.stats', 'cases.configure'],
  jobs: caseStatsJobs,
  listeners: { caseEventsSql: caseEventsStatsSql },
  seeds: [{ key: 'casestats', run: seedCaseStats }],
});
