/** Guard-test cases of the Open311 module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

/** A valid body of PUT /api/open311/settings, to make one field wrong at a time. */
const SETTINGS = {
  allowedOrigins: [],
  requireKeyForReads: false,
  extendedStatuses: false,
  anonymousReadsPerMinute: 60,
  keyReadsPerMinute: 600,
  bbox: null,
  outsideArea: 'flag',
};

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
      'PATCH /api/open311/keys/:id': {
        who: 'admin',
        url: () => '/api/open311/keys/1',
        bad: [
          { body: { active: 'no' }, field: 'active' },
          { body: { name: '' }, field: 'name' },
          { body: { postsPerHour: 0 }, field: 'postsPerHour' },
        ],
      },
      'PUT /api/open311/settings': {
        who: 'admin',
        url: () => '/api/open311/settings',
        bad: [
          { body: {}, field: 'allowedOrigins' },
          {
            body: { ...SETTINGS, allowedOrigins: ['ftp://files.example.org'] },
            field: 'allowedOrigins.0',
            ownMessage: true,
          },
          { body: { ...SETTINGS, anonymousReadsPerMinute: 0 }, field: 'anonymousReadsPerMinute' },
          { body: { ...SETTINGS, outsideArea: 'ignore' }, field: 'outsideArea' },
          {
            body: { ...SETTINGS, bbox: { minLat: 31, maxLat: 30, minLng: 114, maxLng: 115 } },
            field: 'bbox.maxLat',
            ownMessage: true,
          },
        ],
      },
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
