/** Guard-test cases of the awards module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  badInput: () => ({
    writes: {
      'POST /api/awards/rounds': {
        who: 'office',
        url: () => '/api/awards/rounds',
        bad: [
          { body: {}, field: 'year' },
          { body: { year: 2026, sharePercent: 0 }, field: 'sharePercent' },
          { body: { year: 2026, threshold: -1 }, field: 'threshold' },
          { body: { year: 1900 }, field: 'year' },
          { body: { year: 2099 }, field: 'year', ownMessage: true },
        ],
      },
      'POST /api/awards/candidates/:id/decide': {
        who: 'office',
        url: () => '/api/awards/candidates/1/decide',
        bad: [
          { body: { reason: '成绩突出' }, field: 'award' },
          { body: { award: true }, field: 'reason' },
        ],
      },
    },
    unknownIds: {
      'GET /api/awards/rounds/:id': { who: 'office' },
      'GET /api/awards/rounds/:id/candidates.xlsx': { who: 'office' },
      'POST /api/awards/rounds/:id/publish': { who: 'office', body: {} },
      'POST /api/awards/candidates/:id/decide': { who: 'office', body: { award: true, reason: '成绩突出' } },
      'GET /api/awards/candidates/:id/certificate': { who: 'office' },
    },
    notCovered: { 'POST /api/awards/rounds/:id/publish': 'takes no body (its unknown id is checked below)' },
  }),
  scope: { none: 'award rounds are the office’s district-wide decisions (awards.manage only)' },
};
