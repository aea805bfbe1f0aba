/**
 * Government services module (政务服务 + 电子监察): the service item catalogue, applications filed at the
 * window or online with parallel approval steps and 补正, public tracking, the electronic-supervision
 * monitor with lights, warnings and complaints, and the figures that feed the `approvals` score inputs.
 */
import { defineModule } from '../../platform/module.js';
import { servicesJobs } from './services.jobs.js';
import { servicesRoutes } from './services.routes.js';
import { seedServices } from './services.seed.js';
import * as tables from './services.table.js';

export { syncApprovalsScoreInputs, lightsAndWarnings } from './services.figures.js';
export { seedServices } from './services.seed.js';

export const servicesModule = defineModule({
  name: 'services',
  routes: [{ plugin: servicesRoutes, prefix: '/api' }],
  tables,
  permissions: ['services.catalogue', 'services.window', 'services.handle', 'services.monitor', 'services.stats'],
  jobs: servicesJobs,
  seeds: [{ key: 'services', run: seedServices, after: ['performance', 'scoring', 'supervision'] }],
});
