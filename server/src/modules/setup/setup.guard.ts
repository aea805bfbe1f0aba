/** Guard-test cases of the first-run setup module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

const okAdmin = { username: 'first_admin', displayName: '管理员', password: 'Valid-2026-pw' };

export const guard: ModuleGuard = {
  badInput: () => ({
    writes: {
      'POST /api/setup': {
        who: 'anon',
        url: () => '/api/setup',
        bad: [
          {
            body: { districtName: '测试区', admin: okAdmin, securityAdmin: okAdmin, auditAdmin: okAdmin },
            field: 'token',
          },
          {
            body: {
              token: 'x'.repeat(32),
              districtName: '测试区',
              admin: { ...okAdmin, username: 'bad name!' },
              securityAdmin: okAdmin,
              auditAdmin: okAdmin,
            },
            field: 'admin.username',
          },
          {
            body: { token: 'x'.repeat(32), districtName: '测试区', admin: okAdmin, securityAdmin: okAdmin },
            field: 'auditAdmin',
          },
          {
            body: {
              token: 'x'.repeat(32),
              districtName: 7,
              admin: okAdmin,
              securityAdmin: okAdmin,
              auditAdmin: okAdmin,
            },
            field: 'districtName',
          },
        ],
      },
    },
    unknownIds: {},
  }),
  scope: { none: 'setup runs once, before any unit or user exists' },
};
