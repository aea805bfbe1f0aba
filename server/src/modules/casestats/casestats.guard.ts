/** Guard-test cases of the case statistics module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  badInput: () => ({
    writes: {
      'PUT /api/case-stats/formulas': {
        who: 'admin',
        url: () => '/api/case-stats/formulas',
        bad: [
          { body: {}, field: 'formulas' },
          { body: { formulas: { onTimeRate: 5 } }, field: 'formulas.onTimeRate' },
          { body: { formulas: { onTimeRate: 'completedOnTime / nosuch' } }, field: 'formulas.onTimeRate' },
        ],
      },
      'POST /api/case-stats/sync': {
        who: 'admin',
        url: () => '/api/case-stats/sync',
        bad: [
          { body: { rebuild: 'yes' }, field: 'rebuild' },
          { body: { rebuild: 1 }, field: 'rebuild' },
        ],
      },
    },
    unknownIds: {},
  }),
  scope: {
    moduleData: {
      reads: (k) => [
        {
          name: "GET B's case statistics",
          who: 'handler',
          send: (c) => c.get(`/api/case-stats?month=2026-10&unitId=${k.mw.unitB}`),
        },
        {
          name: "GET B's case statistics trend",
          who: 'handler',
          send: (c) => c.get(`/api/case-stats/trend?unitId=${k.mw.unitB}&from=2026-01&to=2026-10`),
        },
      ],
      ownReads: (k) => [{ who: 'handler', url: `/api/case-stats?month=2026-10&unitId=${k.mw.unitB}` }],
    },
  },
};
