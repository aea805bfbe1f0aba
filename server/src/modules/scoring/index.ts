/** Scoring module: scores computed by the engine (cached per score version), explanations, sandbox, deductions, publications. */
import { defineModule } from '../../platform/module.js';
import { scoringRoutes } from './scoring.routes.js';
import { seedScoring, seedScoringHistory } from './scoring.seed.js';
import * as tables from './scoring.table.js';

/** The ranking table of a year (awards: candidates by category, improvement, one indicator). */
export { scoreTable } from './scoring.service.js';
export type { TScoreRow, TScoreTable } from './scoring.schema.js';
export { clearScoreCache, startScoreWarmer, stopScoreWarmer, warmScoreCache } from './scoring.cache.js';

export const scoringModule = defineModule({
  name: 'scoring',
  routes: [{ plugin: scoringRoutes, prefix: '/api' }],
  tables,
  permissions: ['indicators.manage', 'scores.read', 'scores.publish', 'scores.sandbox'],
  seeds: [
    // Scores are computed from the data the other demos collected (reports, case statistics).
    { key: 'scoring', run: seedScoring, after: ['reporting', 'casestats'] },
    { key: 'scoring-2025', run: seedScoringHistory, after: ['scoring'] },
  ],
});
