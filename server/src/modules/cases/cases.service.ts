/**
 * The case workflow (no HTTP): intake, dispatch, handling, verification, feedback, review, escalation.
 * Every state change goes through `changeCase`, and every change of a case writes its timeline event
 * through `recordCaseEvent` (cases.events.ts) in the same transaction as the change and its audit entry.
 * Reads that need another connection (scope, calendar, units) happen before a transaction opens.
 *
 * This file is the module's service face (importers use it); the code lives in the section files
 * cases.shared.ts, cases.reading.ts, cases.triage.ts, cases.handling.ts, cases.verification.ts, cases.escalations.ts, cases.notices.ts.
 */
export { PUBLIC_SUBMISSIONS_PER_HOUR, staffActor, citizenActor, systemActor } from './cases.shared.js';
export { intake, listCases, getCase, getAttachment } from './cases.reading.js';
export {
  caseDuplicates,
  probeDuplicates,
  caseRouting,
  probeRouting,
  dispatchCase,
  rejectCase,
  mergeCase,
} from './cases.triage.js';
export { signCase, startCase, requestExtension, returnCase, reportCase, addAttachments } from './cases.handling.js';
export {
  decideExtension,
  verifyCase,
  closeCase,
  applyFeedback,
  recordFeedback,
  reviewCase,
} from './cases.verification.js';
export {
  escalateCase,
  decideEscalation,
  followEscalation,
  listEscalations,
  markConfidential,
  remindCase,
} from './cases.escalations.js';
export { caseCounts, listNotices, markNoticeRead } from './cases.notices.js';
