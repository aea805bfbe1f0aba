/**
 * Schemes module (专项考核): the special assessments' own data beside the annual scheme — spot checks
 * by the assessing body (不定期抽查) and the urban-management figures counted from the cases — and the
 * demo's 2026 urban-management assessment (信息化城市管理监督评价考核). A scheme itself is an
 * assessment_years row (performance module); its scores and publications are the scoring module's.
 */
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { defineModule } from '../../platform/module.js';
import { schemesExportRoutes } from './schemes.export.js';
import { schemesRoutes } from './schemes.routes.js';
import { seedSchemes, seedUrbanPublication } from './schemes.seed.js';
import { syncUrbanInputs } from './schemes.service.js';
import * as tables from './schemes.table.js';

export { syncUrbanInputs } from './schemes.service.js';

export const schemesModule = defineModule({
  name: 'schemes',
  routes: [
    { plugin: schemesRoutes, prefix: '/api' },
    { plugin: schemesExportRoutes, prefix: '/api' },
  ],
  tables,
  permissions: [
    'scores.read',
    'schemes.check',
    'indicators.manage',
    'submissions.fill',
    'submissions.approve',
    'submissions.accept',
    'submissions.thirdParty',
  ],
  jobs: [
    {
      name: 'schemes.urban',
      title: { zh: '城市管理案件数据同步到考核数据', en: 'Urban-management case figures → score inputs' },
      everyMs: 30 * 60_000,
      async run(ctx) {
        return syncUrbanInputs(ctx.database.db, SYSTEM_ACTOR);
      },
    },
  ],
  seeds: [
    { key: 'schemes', run: seedSchemes, after: ['performance', 'scoring', 'cases', 'casestats'] },
    // The first half-year is published once the evaluation module's social-supervision campaign has fed WB3.
    { key: 'schemes-publication', run: seedUrbanPublication, after: ['schemes', 'evaluation-urban'] },
  ],
});
