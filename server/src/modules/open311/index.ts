/** Open311 module: the public GeoReport v2 API for citizens' apps and city transfers, and its API keys. */
import { defineModule } from '../../platform/module.js';
import { open311KeyRoutes, open311Routes } from './open311.routes.js';
import * as tables from './open311.table.js';

export { hashKey, insertKnownKey } from './open311.service.js';

export const open311Module = defineModule({
  name: 'open311',
  routes: [
    { plugin: open311KeyRoutes, prefix: '/api' },
    { plugin: open311Routes, prefix: '/open311/v2' },
  ],
  tables,
  permissions: ['open311.manage'],
});
