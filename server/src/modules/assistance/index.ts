/** Assistance module (求助中心): requests registered at the desk, referred to the responsible unit, urged, answered and called back; the figures and the 按时答复率 score inputs. */
import { defineModule } from '../../platform/module.js';
import { assistanceJobs } from './assistance.jobs.js';
import { assistanceRoutes } from './assistance.routes.js';
import { seedAssistance } from './assistance.seed.js';
import * as tables from './assistance.table.js';

export { syncScoreInputs as syncAssistanceScoreInputs } from './assistance.service.js';

export const assistanceModule = defineModule({
  name: 'assistance',
  routes: [{ plugin: assistanceRoutes, prefix: '/api' }],
  tables,
  permissions: ['assistance.manage', 'assistance.handle'],
  jobs: assistanceJobs,
  // After scoring's generic demo inputs: the desk's 按时答复率 then replaces them for the units it referred to.
  seeds: [{ key: 'assistance', run: seedAssistance, after: ['performance', 'scoring'] }],
});
