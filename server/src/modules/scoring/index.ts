/** Scoring module: scores computed by the engine (cached per score version), explanations, sandbox, deductions, publications. */
import { defineModule } from '../../platform/module.js';
import { scoringRoutes } from './scoring.routes.js';
import { seedScoring, seedScoringHistory } from './scoring.seed.js';
import * as tables from './scoring.table.js';

/** Completeness per unit (plan approved, leaves without a score) — for the cockpit and reports. */
export { yearCompleteness, incompleteUnits } from './scoring.service.js';
export { completenessText } from './scoring.completeness.js';
export type { TCompleteness, TCompletenessList } from './scoring.schema.js';
/** The ranking table of a year and the year-to-date series (cockpit; awards: candidates by category, improvement, one indicator). */
export { indicatorScores, scoreTable, ytdSeries, type YtdPoint } from './scoring.service.js';
export type { TScoreRow, TScoreTable } from './scoring.schema.js';
export { clearScoreCache, startScoreWarmer, stopScoreWarmer, warmScoreCache } from './scoring.cache.js';
/** Publishing a scheme's period (the schemes demo publishes its first half-year). */
export { publish as publishScores } from './scoring.service.js';
/** Read by the analysis reports (reports module): a year's computed scores and the window a period names. */
export { yearScores, type YearScores } from './scoring.cache.js';
export { resolveWindow } from './scoring.present.js';

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
