/** Performance module: assessment years, the indicator tree, unit plans (targets) and their adjustments. */
import { defineModule } from '../../platform/module.js';
import { performanceRoutes } from './performance.routes.js';
import { seedPerformance } from './performance.seed.js';
import * as tables from './performance.table.js';

export type { TIndicator, TScheme, TYear } from './performance.schema.js';
export {
  approvedTargets,
  checkYear,
  getYear,
  getYearByYear,
  getYearInForce,
  leavesFor,
  listIndicators,
  leavesTakingIn,
  listYears,
  listSchemes,
  presentYear,
  planStatuses,
  type YearCopy,
} from './performance.service.js';
/** A data source's per-unit month figures → score inputs (ratings, notices, assistance, mediation). */
export { sourceInputs, type SourceInputs } from './performance.sources.js';
/** Read by scoring's publication queries (year names). */
export { assessmentYears } from './performance.table.js';

export const performanceModule = defineModule({
  name: 'performance',
  routes: [{ plugin: performanceRoutes, prefix: '/api' }],
  tables,
  permissions: [
    'indicators.read',
    'indicators.manage',
    'schemes.configure',
    'plans.edit',
    'plans.submit',
    'plans.review',
  ],
  seeds: [{ key: 'performance', run: seedPerformance }],
});
