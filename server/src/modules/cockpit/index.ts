/** Cockpit module (领导驾驶舱): the leaders' one-screen view of rankings, lights, reports, tasks and the hotline, and the lists behind every number. */
import { defineModule } from '../../platform/module.js';
import { cockpitRoutes } from './cockpit.routes.js';

export { clearCockpitCache } from './cockpit.service.js';
export { streetHotSpots, type StreetHotSpot } from './cockpit.hotspots.js';

export const cockpitModule = defineModule({
  name: 'cockpit',
  routes: [{ plugin: cockpitRoutes, prefix: '/api' }],
  // Reads the other modules only; it keeps no data of its own.
  tables: {},
  permissions: ['cockpit.read'],
});
