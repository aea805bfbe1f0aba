/** Users module: user accounts, their roles and the units they lead; the demo district (foundation seed). */
import { defineModule } from '../../platform/module.js';
import { usersRoutes } from './users.routes.js';
import { seedAdminSeparation, seedFoundation } from './users.seed.js';
import * as tables from './users.table.js';

export { listUsers } from './users.service.js';
/** The demo district every other demo seed builds on (seed tests run it first). */
export { seedFoundation };
export { DEMO_PASSWORD } from './users.seed.js';
/** Read by auth (sign-in, sessions). */
export { userRoles, users } from './users.table.js';

export const usersModule = defineModule({
  name: 'users',
  routes: [{ plugin: usersRoutes, prefix: '/api' }],
  tables,
  permissions: ['users.read', 'users.manage', 'roles.grant'],
  seeds: [
    { key: 'foundation', run: seedFoundation },
    { key: 'admin-separation', run: seedAdminSeparation, after: ['foundation'] },
  ],
});
