/** Auth module: sign-in, sessions (cookie + CSRF token), password change and policy, login throttling, the signed-in user's profile. */
import { defineModule } from '../../platform/module.js';
import { authRoutes, SESSION_COOKIE } from './auth.routes.js';
import { addPasswordHistory, deleteSessionsOfUser, lockedUsernames, unlockUsername } from './auth.repo.js';
import { checkNewPassword } from './auth.service.js';
import * as tables from './auth.table.js';

export { SESSION_COOKIE };
export { MAX_FAILED_LOGINS, resolveSession, checkNewPassword } from './auth.service.js';
/** Used by first-run setup when it creates the first accounts. */
export { addPasswordHistory } from './auth.repo.js';

export const authModule = defineModule({
  name: 'auth',
  routes: [{ plugin: authRoutes, prefix: '/api' }],
  tables,
  permissions: [],
  listeners: {
    userCredentials: {
      lockedUsernames,
      checkNewPassword,
      passwordSet: async (tx, { userId, username, hash, keep }) => {
        await addPasswordHistory(tx, userId, hash, keep);
        await unlockUsername(tx, username);
      },
      sessionsEnd: (tx, userId) => deleteSessionsOfUser(tx, userId),
    },
  },
});
