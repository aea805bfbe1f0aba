/**
 * Ratings module (好差评): the requester of a closed case — or of an approval, when the government
 * services module asks — rates the service on the national five levels from a one-time SMS link; a 差评
 * opens a rectification for the department (call back, rectify within 15 working days, office
 * review); rates per department; reviewer profiles let deputies give professional reviews of cases.
 *
 * The face other modules use: `inviteRating(tx, { subjectKind, subjectId, subjectRef, unitId, phone, … })`
 * inside their transaction, `ratingOf(db, subjectKind, subjectId)` to show the latest rating, and
 * `rateSubject(db, …)` when the subject's module has identified the requester itself (tracking pages).
 */
import { defineModule } from '../../platform/module.js';
import { ratingsJobs } from './ratings.jobs.js';
import { ratingsRoutes } from './ratings.routes.js';
import { seedRatings } from './ratings.seed.js';
import { deputyDirectory, hasReviewerProfile, onCaseClosed } from './ratings.service.js';
import * as tables from './ratings.table.js';

export { inviteRating, ratingLink, ratingOf, rateSubject, type RatingInvite } from './ratings.service.js';
export type { TRate } from './ratings.schema.js';
export { summarise, LEVEL_POINTS, type RateSummary } from './ratings.rules.js';
export { syncScoreInputs as syncRatingScoreInputs } from './ratings.inputs.js';
export * from './ratings.summary.js';
export {
  BAD_LEVELS,
  RATING_ASPECTS,
  RATING_LEVELS,
  SUBJECT_KINDS,
  type RatingLevel,
  type SubjectKind,
} from './ratings.table.js';

export const ratingsModule = defineModule({
  name: 'ratings',
  routes: [{ plugin: ratingsRoutes, prefix: '/api' }],
  tables,
  permissions: ['ratings.manage', 'ratings.rectify', 'reviewers.manage'],
  jobs: ratingsJobs,
  listeners: { caseClosed: onCaseClosed, professionalReviewer: hasReviewerProfile, deputyDirectory },
  // A year of ratings of the demo's closed cases.
  seeds: [{ key: 'ratings', run: seedRatings, after: ['cases'] }],
});
