/** Jobs module: the admin's view of the background jobs (last run, duration, result, next run, errors) and the SMS of unknown outcome. */
import { defineModule } from '../../platform/module.js';
import { jobsRoutes } from './jobs.routes.js';

export const jobsModule = defineModule({
  name: 'jobs',
  routes: [{ plugin: jobsRoutes, prefix: '/api' }],
  // Its tables (jobs, SMS outbox) belong to the platform services it shows (platform/jobs, platform/sms).
  tables: {},
  permissions: ['jobs.manage'],
});
