/**
 * 好差评: invitations (after a case closes, or when another module asks — government services for its
 * approvals), the public one-time rating page, the one reminder, 差评 rectifications (call back,
 * rectify within 15 working days, office review), rates per department, reviewer profiles for
 * professional review. Every write is audited in its transaction.
 *
 * This file is the module's service face (routes and other files import it); the code lives in the section
 * files ratings.invitations.ts, ratings.public.ts, ratings.staff.ts and ratings.reviewers.ts.
 */
export {
  ratingLink,
  type RatingInvite,
  inviteRating,
  ratingOf,
  onCaseClosed,
  remindUnrated,
} from './ratings.invitations.js';
export { resetRatingPageLimit, publicRating, ratePublic, rateSubject } from './ratings.public.js';
export {
  presentRating,
  listRatings,
  listRectifications,
  getRectification,
  moveRectificationBy,
  renewLink,
  unitRates,
} from './ratings.staff.js';
export {
  hasReviewerProfile,
  deputyDirectory,
  listReviewerProfiles,
  putReviewerProfile,
  reviewerCandidates,
  deleteReviewerProfile,
} from './ratings.reviewers.js';
