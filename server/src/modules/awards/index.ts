/** Awards module (评先评优): the year-end award round — 先进 by share or threshold per category, 绩效改进奖, 单项绩效奖 — confirmed by the office, published with a certificate per awarded unit. */
import { defineModule } from '../../platform/module.js';
import { awardsRoutes } from './awards.routes.js';
import { seedAwards } from './awards.seed.js';
import * as tables from './awards.table.js';

export const awardsModule = defineModule({
  name: 'awards',
  routes: [{ plugin: awardsRoutes, prefix: '/api' }],
  tables,
  permissions: ['awards.manage'],
  // The 2025 round, from last year's published results.
  seeds: [{ key: 'awards', run: seedAwards, after: ['scoring-2025'] }],
});
