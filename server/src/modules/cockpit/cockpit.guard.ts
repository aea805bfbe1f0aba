/** Guard-test cases of the cockpit module (see test/guards.ts). Read-only: no write routes, no ids in paths. */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  badInput: () => ({ writes: {}, unknownIds: {} }),
  scope: {
    moduleData: {
      reads: (k) => [
        {
          name: "GET the cockpit's red lights of B",
          who: 'leader',
          send: (c) => c.get(`/api/cockpit/drill/lights?light=red&unitId=${k.mw.unitB}`),
        },
        {
          name: "GET the cockpit's cases of B",
          who: 'leader',
          send: (c) => c.get(`/api/cockpit/drill/cases?unitId=${k.mw.unitB}`),
        },
        {
          name: "GET the cockpit's ratings of B",
          who: 'leader',
          send: (c) => c.get(`/api/cockpit/drill/ratings?level=bad&unitId=${k.mw.unitB}`),
        },
      ],
    },
  },
};
