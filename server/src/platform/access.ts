import type { Role } from '../../../common/roles.js';

/** Roles and their names live in common/ (the web app uses them too). */
export { ROLE_NAMES, ROLES, type Role } from '../../../common/roles.js';

/** Every permission the server checks. Modules add theirs here so the table stays one place. */
export const PERMISSIONS = [
  'units.read',
  'units.manage',
  'users.manage',
  'users.read',
  'roles.grant',
  'audit.read',
  'calendar.manage',
  'indicators.read',
  'indicators.manage',
  'plans.edit',
  'plans.submit',
  'plans.review',
  'scores.read',
  'scores.publish',
  'scores.sandbox',
  'submissions.fill',
  'submissions.approve',
  'submissions.accept',
  'submissions.thirdParty',
  'cases.read',
  'cases.intake',
  'cases.dispatch',
  'cases.handle',
  'cases.escalate',
  'cases.escalations',
  'cases.stats',
  'cases.configure',
  'cases.review',
  'open311.manage',
  'cockpit.read',
  'jobs.manage',
  'supervision.manage',
  'supervision.report',
  'supervision.instruct',
  'ratings.manage',
  'ratings.rectify',
  'ratings.review',
  'notices.issue',
  'notices.reply',
  'awards.manage',
  'cases.mark',
  'schemes.check',
  'evaluation.manage',
  'evaluation.results',
  'evaluation.respond',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Role → permissions. The server checks these on every route; the web app only uses them to hide things. */
export const ROLE_PERMISSIONS = {
  // 三员分立: the system admin keeps accounts, units, settings and jobs; role grants are the security
  // admin's, the audit log the audit admin's (and the office's, for its own work).
  admin: [
    'units.read',
    'units.manage',
    'users.read',
    'users.manage',
    'calendar.manage',
    'open311.manage',
    'indicators.read',
    'scores.read',
    'cases.read',
    'cases.stats',
    'cases.configure',
    'jobs.manage',
  ],
  office: [
    'units.read',
    'audit.read',
    'calendar.manage',
    'indicators.read',
    'indicators.manage',
    'plans.review',
    'scores.read',
    'scores.publish',
    'scores.sandbox',
    'submissions.accept',
    'cases.read',
    'cases.stats',
    'cases.configure',
    'cockpit.read',
    'supervision.manage',
    'ratings.manage',
    'notices.issue',
    'awards.manage',
    'schemes.check',
    'evaluation.manage',
  ],
  assessor: [
    'units.read',
    'indicators.read',
    'scores.read',
    'submissions.thirdParty',
    'notices.issue',
    'schemes.check',
    'evaluation.manage',
  ],
  reporter: [
    'units.read',
    'indicators.read',
    'plans.edit',
    'scores.read',
    'submissions.fill',
    'supervision.report',
    'notices.reply',
    'evaluation.results',
  ],
  unit_leader: [
    'units.read',
    'indicators.read',
    'plans.edit',
    'plans.submit',
    'scores.read',
    'submissions.fill',
    'submissions.approve',
    'cases.read',
    'cases.stats',
    'supervision.report',
    'ratings.rectify',
    'notices.reply',
    'evaluation.results',
    'evaluation.respond',
  ],
  district_leader: [
    'units.read',
    'indicators.read',
    'scores.read',
    'scores.sandbox',
    'cases.read',
    'cases.stats',
    'cockpit.read',
    'supervision.instruct',
    'evaluation.results',
    'evaluation.respond',
  ],
  main_leader: [
    'units.read',
    'indicators.read',
    'scores.read',
    'scores.sandbox',
    'cases.read',
    'cases.stats',
    'cockpit.read',
    'supervision.instruct',
    'evaluation.results',
    'evaluation.respond',
  ],
  agent: ['units.read', 'cases.read', 'cases.intake', 'cases.dispatch', 'cases.escalate', 'cases.stats'],
  handler: ['units.read', 'cases.read', 'cases.handle', 'cases.stats', 'ratings.rectify'],
  supervisor: [
    'units.read',
    'cases.read',
    'cases.escalations',
    'cases.stats',
    'cockpit.read',
    'supervision.manage',
    'cases.mark',
  ],
  evaluator: ['units.read', 'cases.review', 'ratings.review', 'evaluation.respond'],
  security_admin: ['units.read', 'users.read', 'roles.grant'],
  audit_admin: ['units.read', 'audit.read'],
} as const satisfies Record<Role, readonly Permission[]>;

/** Roles whose holders see every unit's data; everyone else is limited to their unit scope. */
export const ALL_UNITS_ROLES: readonly Role[] = ['admin', 'office', 'main_leader', 'agent', 'supervisor', 'assessor'];

/** The three administrator roles (三员): one account may hold at most one of them. */
export const ADMIN_ROLES: readonly Role[] = ['admin', 'security_admin', 'audit_admin'];

/** The union of the permissions of the given roles. */
export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r]) out.add(p);
  return out;
}
