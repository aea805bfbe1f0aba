/** Guard-test cases of the users module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

const okUser = { username: 'valid_name', displayName: '有效', password: 'Valid2026pw', roles: ['reporter'] };

export const guard: ModuleGuard = {
  badInput: ({ ids }) => ({
    writes: {
      'POST /api/users/excel/import': {
        who: 'admin',
        url: () => '/api/users/excel/import',
        bad: [
          { body: {}, field: 'file' },
          { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
          {
            form: [{ name: 'file', value: 'not a zip at all', filename: '用户.xlsx' }],
            field: 'file',
            ownMessage: true,
          },
        ],
      },
      'POST /api/users': {
        who: 'admin',
        url: () => '/api/users',
        bad: [
          { body: { ...okUser, username: undefined, unitId: 1 }, field: 'username' },
          { body: { ...okUser, unitId: 'one' }, field: 'unitId' },
          { body: { ...okUser, unitId: 1, roles: 'reporter' }, field: 'roles' },
          { body: { ...okUser, unitId: 1, roles: ['king'] }, field: 'roles.0' },
          { body: { ...okUser, unitId: 1, phone: '12345' }, field: 'phone' },
          { body: { ...okUser, unitId: 1, password: 'short' }, field: 'password' },
        ],
      },
      'PATCH /api/users/:id': {
        who: 'admin',
        url: () => `/api/users/${ids.user}`,
        bad: [
          { body: { active: 1 }, field: 'active' },
          { body: { displayName: '' }, field: 'displayName' },
          { body: { leaderUnitIds: 'all' }, field: 'leaderUnitIds' },
          { body: { unitId: 2 ** 40 }, field: 'unitId' },
        ],
      },
    },
    unknownIds: {
      'GET /api/users/:id': {},
      'PATCH /api/users/:id': { body: { displayName: '不存在' } },
    },
  }),
  scope: {
    foreignUnit: (q) => {
      const userRows = async (id: number) => ({
        user: await q(
          'SELECT username, display_name, unit_id, phone, active, password_hash, locked_until FROM users WHERE id = $1',
          [id],
        ),
        roles: await q('SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role', [id]),
      });
      return {
        writes: [
          {
            name: "PATCH /api/users/<B's user> (rename)",
            send: (c, w) => c.patch(`/api/users/${w.userB}`, { displayName: '被甲改名' }),
            snapshot: (w) => userRows(w.userB),
          },
          {
            name: "PATCH /api/users/<B's user> (reset password, grant admin)",
            send: (c, w) => c.patch(`/api/users/${w.userB}`, { password: 'Hijack2026x', roles: ['admin'] }),
            snapshot: (w) => userRows(w.userB),
          },
          {
            name: 'POST /api/users into unit B',
            send: (c, w) =>
              c.post('/api/users', {
                username: 'planted',
                displayName: '植入',
                password: 'Planted2026',
                unitId: w.unitB,
                roles: ['reporter'],
              }),
            snapshot: () => q(`SELECT id FROM users WHERE username = 'planted'`, []),
          },
        ],
        reads: [
          { name: "GET /api/users/<B's user>", send: (c, w) => c.get(`/api/users/${w.userB}`) },
          { name: 'GET /api/users?unitId=B', send: (c, w) => c.get(`/api/users?unitId=${w.unitB}`) },
        ],
      };
    },
  },
};
