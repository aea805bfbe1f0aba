/** First-run setup: on a database with no users, a one-time token printed at start-up lets the first visit create the district and its three admins (三员). */
import { defineModule } from '../../platform/module.js';
import { setupRoutes } from './setup.routes.js';

export { issueSetupToken, setupMessage } from './setup.service.js';

export const setupModule = defineModule({
  name: 'setup',
  routes: [{ plugin: setupRoutes, prefix: '/api' }],
  tables: {},
  permissions: [],
});
