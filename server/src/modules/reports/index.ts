/** Reports module (综合分析报告 / 专项分析报告): analysis reports of a period for the district or a unit, as Word, Excel and a print page, kept byte for byte. */
import { defineModule } from '../../platform/module.js';
import { reportsJobs } from './reports.jobs.js';
import { reportsRoutes } from './reports.routes.js';
import { seedReports } from './reports.seed.js';
import * as tables from './reports.table.js';

/** For the benchmark: the analysis and documents of prepared figures. */
export { analysisDocuments } from './reports.service.js';
export type { AnalysisInput } from './reports.analysis.js';

export const reportsModule = defineModule({
  name: 'reports',
  routes: [{ plugin: reportsRoutes, prefix: '/api' }],
  tables,
  permissions: ['reports.read', 'reports.generate'],
  jobs: reportsJobs,
  seeds: [{ key: 'reports', run: seedReports, after: ['scoring', 'supervision', 'casestats'] }],
});
