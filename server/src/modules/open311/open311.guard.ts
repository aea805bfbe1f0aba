/** Guard-test cases of the Open311 module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  badInput: () => ({
    writes: {
      'POST /api/open311/keys': {
        who: 'admin',
        url: () => '/api/open311/keys',
        bad: [
          { body: {}, field: 'name' },
          { body: { name: '客户端', channel: 'fax' }, field: 'channel' },
          { body: { name: 42 }, field: 'name' },
        ],
      },
      'PATCH /api/open311/keys/:id': { who: 'admin', url: () => '/api/open311/keys/1', bad: [{ body: { active: 'no' }, field: 'active' }, { body: { name: '' }, field: 'name' }] },
    },
    unknownIds: {
      'PATCH /api/open311/keys/:id': { body: { active: false } },
    },
    notCoveredPrefixes: {
      // Public Open311 GeoReport API for citizens' apps (form-encoded bodies, its own error format).
      '/open311/v2': 'public API, covered by the open311 module tests',
    },
  }),
  scope: { none: 'API keys are district-wide (admins only); the public API answers every citizen the same' },
};
