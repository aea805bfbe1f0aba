/** Users module: user accounts, their roles and the units they lead; the demo district (foundation seed). */
import { defineModule } from '../../platform/module.js';
import { usersRoutes } from './users.routes.js';
import { seedFoundation } from './users.seed.js';
import * as tables from './users.table.js';

export { listUsers } from './users.service.js';
/** The demo district every other demo seed builds on (seed tests run it first). */
export { seedFoundation };
/** Read by auth (sign-in, sessions). */
export { userRoles, users } from './users.table.js';

export const usersModule = defineModule({
  name: 'users',
  routes: [{ plugin: usersRoutes, prefix: '/api' }],
  tables,
  permissions: ['users.manage'],
  seeds: [{ key: 'foundation', run: seedFoundation }],
});
