/** Mediation module (调解中心): disputes with parties, mediators and joint units, sessions, outcomes, the 人民调解协议书, the figures and the 调解成功率 score inputs. */
import { defineModule } from '../../platform/module.js';
import { mediationJobs } from './mediation.jobs.js';
import { mediationRoutes } from './mediation.routes.js';
import { seedMediation } from './mediation.seed.js';
import * as tables from './mediation.table.js';

export { syncScoreInputs as syncMediationScoreInputs } from './mediation.service.js';

export const mediationModule = defineModule({
  name: 'mediation',
  routes: [{ plugin: mediationRoutes, prefix: '/api' }],
  tables,
  permissions: ['mediation.manage', 'mediation.read'],
  jobs: mediationJobs,
  seeds: [{ key: 'mediation', run: seedMediation, after: ['performance', 'scoring'] }],
});
