/** Reporting module: data collection — forms, deadlines, submissions and their review, evidence, Excel, third-party data, reminders. */
import { defineModule } from '../../platform/module.js';
import { reportingJobs } from './reporting.jobs.js';
import { reportingRoutes } from './reporting.routes.js';
import { seedReporting } from './reporting.seed.js';
import { copyYearReporting, monthDeadlines } from './reporting.service.js';
import * as tables from './reporting.table.js';

/** The module's clock: tests and benchmarks set it. */
export { reportingClock } from './reporting.service.js';
/** The submissions list as the data-collection queue shows it (the schemes module exports the self-check reports from it). */
export { listSubmissions } from './reporting.present.js';
export { nextPeriod, periodLabel } from './reporting.deadline.js';
export type { TSubmission } from './reporting.schema.js';
/** Read by the cockpit: warning lights per unit and leaf, and the overdue monthly reports. */
export { overdue, unitLeafLights } from './reporting.views.js';
export type { TLightItem, TOverdue } from './reporting.schema.js';
/** Evidence file checks, storage and download, shared with supervision's and notices' files. */
export {
  attachEvidenceFile,
  checkEvidenceFile,
  cleanFileName,
  evidenceKey,
  readEvidenceFile,
  storeEvidenceFile,
  type StoredFileRow,
} from './reporting.evidence.js';
/** Read by the analysis reports (reports module): lights per unit, late and missing submissions per month. */
export { lateCounts, lightsOverview } from './reporting.views.js';

export const reportingModule = defineModule({
  name: 'reporting',
  routes: [{ plugin: reportingRoutes, prefix: '/api' }],
  tables,
  permissions: [
    'indicators.read',
    'indicators.manage',
    'submissions.fill',
    'submissions.approve',
    'submissions.accept',
    'submissions.thirdParty',
  ],
  jobs: reportingJobs,
  listeners: { onYearCopy: copyYearReporting, monthDeadlines },
  seeds: [{ key: 'reporting', run: seedReporting }],
});
