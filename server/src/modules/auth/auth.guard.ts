/** Guard-test cases of the auth module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  badInput: ({ TEST_PASSWORD }) => ({
    writes: {
      'POST /api/auth/login': {
        who: 'anon',
        url: () => '/api/auth/login',
        bad: [
          { body: { username: 'someone' }, field: 'password' },
          { body: { username: 42, password: 'x' }, field: 'username' },
          { body: { username: '', password: 'x' }, field: 'username' },
        ],
      },
      'POST /api/auth/password': {
        who: 'reporter',
        url: () => '/api/auth/password',
        bad: [
          { body: { currentPassword: TEST_PASSWORD }, field: 'newPassword' },
          { body: { currentPassword: TEST_PASSWORD, newPassword: 12345678 }, field: 'newPassword' },
          { body: { newPassword: 'Another2026' }, field: 'currentPassword' },
        ],
      },
    },
    unknownIds: {},
    notCovered: {
      'POST /api/auth/logout': 'takes no body and no id',
    },
  }),
  scope: { none: "sign-in and one's own password only: nothing unit-owned" },
};
