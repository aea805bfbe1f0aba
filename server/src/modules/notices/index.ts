/**
 * Notices module (问责通知): 整改建议书 / 监察建议书 / 监察决定书 — numbered (文号), with findings, required
 * actions and a deadline, as a Word document; the unit replies with measures and evidence; the issuer
 * accepts or returns; overdue flagged; optionally linked to an existing 问责扣分; counts per unit.
 *
 * The face other modules use: `issueNotice(tx, { kind, unitId, title, findings, actions, deadline, … })`
 * inside their transaction (government services: 监察建议书 from electronic supervision).
 */
import { defineModule } from '../../platform/module.js';
import { noticesJobs } from './notices.jobs.js';
import { noticesRoutes } from './notices.routes.js';
import { seedNotices } from './notices.seed.js';
import * as tables from './notices.table.js';

export { issueNotice, DEFAULT_ISSUER, type NoticeIssue } from './notices.service.js';
export { syncScoreInputs as syncNoticeScoreInputs } from './notices.inputs.js';
export { noticeNumber, KIND_TITLES } from './notices.rules.js';
export { NOTICE_KINDS, NOTICE_STATUSES, type NoticeKind, type NoticeStatus } from './notices.table.js';

export const noticesModule = defineModule({
  name: 'notices',
  routes: [{ plugin: noticesRoutes, prefix: '/api' }],
  tables,
  permissions: ['notices.issue', 'notices.reply'],
  jobs: noticesJobs,
  // After scoring's demo deductions (one notice points to one).
  seeds: [{ key: 'notices', run: seedNotices, after: ['scoring'] }],
});
