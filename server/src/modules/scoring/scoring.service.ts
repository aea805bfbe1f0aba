/**
 * Scoring on the database: live scores (ranking tables, a unit's tree, explanations), the what-if
 * sandbox, immutable publications, comparisons, accountability deductions and manual inputs.
 *
 * Visibility (enforced here, on every read):
 * - Units in the caller's scope (units.service unitScope) are open in full: tree, explanations,
 *   comparison, deductions.
 * - Besides, everyone with scores.read sees the ranking rows of their own unit's category, so a
 *   unit can compare itself with the others it is ranked against. Opening another unit's detail or
 *   explanation answers 404.
 * - Office-wide roles see everything; a district leader sees the units in their charge.
 *
 * Computation happens in the cache (scoring.cache.ts) keyed by the year's score version; the
 * published results are read from their snapshot and never recomputed from live data.
 *
 * This file is the module's service face (routes and other files import it); the code lives in the section
 * files scoring.live.ts, scoring.detail.ts, scoring.publications.ts, scoring.comparison.ts and
 * scoring.deductions.ts.
 */
export { scoreTable, scoreTableJson, indicatorScores, incompleteUnits, yearCompleteness } from './scoring.live.js';
export { unitScores, unitScoreSummary, explainScore, sandbox } from './scoring.detail.js';
export { publish, listPublications, getPublication, publicScoreYears, publicScores } from './scoring.publications.js';
export { compare, type YtdPoint, ytdSeries } from './scoring.comparison.js';
export {
  listDeductions,
  createDeduction,
  updateDeduction,
  deleteDeduction,
  listInputs,
  enterInput,
} from './scoring.deductions.js';
