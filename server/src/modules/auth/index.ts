/** Auth module: sign-in, sessions (cookie + CSRF token), password change, the signed-in user's profile. */
import { defineModule } from '../../platform/module.js';
import { authRoutes, SESSION_COOKIE } from './auth.routes.js';
import * as tables from './auth.table.js';

export { SESSION_COOKIE };
export { MAX_FAILED_LOGINS, resolveSession } from './auth.service.js';

export const authModule = defineModule({
  name: 'auth',
  routes: [{ plugin: authRoutes, prefix: '/api' }],
  tables,
  permissions: [],
});
