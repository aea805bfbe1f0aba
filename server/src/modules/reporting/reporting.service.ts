/**
 * Data collection (数据采集): forms, reporting settings and deadlines, and the submission workflow
 * draft → submitted (reporter) → leader_approved (unit leader) → accepted (office), or returned with
 * a reason at either step. Accepted data are protected history: a correction is a revision request
 * the office approves; every accepted value flows into score_inputs in the same transaction.
 *
 * Functions other modules may use: lateCounts (reporting.views: late and missing submissions per
 * unit and month, for scoring), loadYearCtx/deadlineOf (a leaf's deadline for a month), notifyUsers
 * (in-app notifications, inside the caller's transaction). Everything else serves this module's routes.
 *
 * This file is the module's service face (importers use it); the code lives in the section files
 * reporting.year.ts, reporting.setup.ts, reporting.present.ts, reporting.entry.ts, reporting.review.ts, reporting.revisions.ts, reporting.thirdparty.ts.
 */
export {
  reportingClock,
  type YearCtx,
  copyYearReporting,
  monthDeadlines,
  loadYearCtx,
  treeOrder,
  resolveYearId,
  ruleOf,
  deadlineOf,
  formOf,
  pathOf,
  collectedLeavesFor,
  viewerOf,
} from './reporting.year.js';
export {
  getSettings,
  updateSettings,
  listForms,
  getForm,
  saveForm,
  resetForm,
  testRule,
  setDeadline,
  clearDeadline,
} from './reporting.setup.js';
export {
  presentFlags,
  presentSubmission,
  presentEvidence,
  loadReadable,
  getSubmission,
  listSubmissions,
} from './reporting.present.js';
export {
  assertYearInForce,
  assertPeriod,
  checkEntry,
  flagEntries,
  entryTarget,
  saveDraft,
  updateDraft,
  deleteDraft,
  submit,
} from './reporting.entry.js';
export {
  notifyUsers,
  leaderApprove,
  accept,
  returnSubmission,
  bulkLeaderApprove,
  bulkAccept,
} from './reporting.review.js';
export { requestRevision, approveRevision, rejectRevision, listRevisionRequests } from './reporting.revisions.js';
export { saveThirdParty } from './reporting.thirdparty.js';
