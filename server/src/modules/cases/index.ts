/** Cases module: the 12345 hotline — intake, dispatch, handling, escalation, citizen tracking, SMS notices. */
import { defineModule } from '../../platform/module.js';
import { casesRoutes } from './cases.routes.js';
import { seedCases } from './cases.seed.js';
import * as tables from './cases.table.js';

export {
  hashQueryPassword,
  passwordPepper,
  setQueryPepper,
  upgradeQueryPasswordHashes,
  verifyQueryPassword,
} from './cases.password.js';
export { listCategories } from './cases.config.js';
/** Read by the cockpit: hotline aggregates and the cases behind them. */
export {
  caseDrill,
  caseInsights,
  CASE_GRID,
  type CaseDrillKind,
  type CaseDrillRow,
  type CaseInsights,
} from './cases.insights.js';
export type {
  CaseActor,
  CaseClosedListener,
  CaseEventsSql,
  ClosedCase,
  PendingEvent,
  ProfessionalReviewerCheck,
} from './cases.events.js';
export { closedCaseContacts, type ClosedCaseContact } from './cases.contacts.js';
export { checkFiles, type IncomingFile } from './cases.files.js';
export { createCase } from './cases.intake.js';
export { recordCaseMark, urbanCaseCounts, type UrbanCounts } from './cases.marks.js';
export { CASE_STATUSES, type CaseStatus } from './cases.machine.js';
export { maskPersonalData } from './cases.policy.js';
export { roundCoordinate } from './cases.publication.js';
export {
  addClientComment,
  noteOnCase,
  publicCaseRecords,
  publicCaseUpdates,
  type PublicCaseRecord,
} from './cases.public.js';
export { ZCaseIntake, ZPhone, type CaseEventType, type TCaseIntakeParsed } from './cases.schema.js';
export { systemActor } from './cases.service.js';
export { CASE_TYPES, type CaseType } from './cases.table.js';

export const casesModule = defineModule({
  name: 'cases',
  routes: [{ plugin: casesRoutes, prefix: '/api' }],
  tables,
  permissions: [
    'cases.read',
    'cases.intake',
    'cases.dispatch',
    'cases.handle',
    'cases.escalate',
    'cases.escalations',
    'cases.review',
    'cases.configure',
    'cases.mark',
  ],
  // The demo's cases come after the data collection demo (the order the demo has always been built in).
  seeds: [{ key: 'cases', run: seedCases, after: ['reporting'] }],
});
