/** Roles from PRODUCT.md. A user may hold several. */
export const ROLES = [
  'admin',
  'office',
  'assessor',
  'reporter',
  'unit_leader',
  'district_leader',
  'main_leader',
  'agent',
  'handler',
  'supervisor',
  'evaluator',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES = {
  admin: { zh: '系统管理员', en: 'System admin' },
  office: { zh: '绩效办', en: 'Performance office' },
  assessor: { zh: '考评主体', en: 'Assessing body' },
  reporter: { zh: '单位填报员', en: 'Unit reporter' },
  unit_leader: { zh: '单位领导', en: 'Unit leader' },
  district_leader: { zh: '区分管领导', en: 'District leader (in charge)' },
  main_leader: { zh: '区主要领导', en: 'District main leader' },
  agent: { zh: '受理派单员', en: 'Hotline agent' },
  handler: { zh: '承办员', en: 'Case handler' },
  supervisor: { zh: '督办员', en: 'Supervisor' },
  evaluator: { zh: '评议人', en: 'Evaluator' },
} as const satisfies Record<Role, { zh: string; en: string }>;

/** Every permission the server checks. Modules add theirs here so the table stays one place. */
export const PERMISSIONS = [
  'units.read',
  'units.manage',
  'users.manage',
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
  'cases.supervise',
  'cases.stats',
  'cases.configure',
  'open311.manage',
  'cockpit.read',
  'jobs.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Role → permissions. The server checks these on every route; the web app only uses them to hide things. */
export const ROLE_PERMISSIONS = {
  admin: ['units.read', 'units.manage', 'users.manage', 'audit.read', 'calendar.manage', 'open311.manage', 'indicators.read', 'scores.read', 'cases.read', 'cases.stats', 'cases.configure', 'jobs.manage'],
  office: [
    'units.read', 'audit.read', 'calendar.manage', 'indicators.read', 'indicators.manage', 'plans.review', 'scores.read',
    'scores.publish', 'scores.sandbox', 'submissions.accept', 'cases.read', 'cases.stats', 'cases.configure', 'cockpit.read',
  ],
  assessor: ['units.read', 'indicators.read', 'scores.read', 'submissions.thirdParty'],
  reporter: ['units.read', 'indicators.read', 'plans.edit', 'scores.read', 'submissions.fill'],
  unit_leader: ['units.read', 'indicators.read', 'plans.edit', 'plans.submit', 'scores.read', 'submissions.fill', 'submissions.approve', 'cases.read', 'cases.stats'],
  district_leader: ['units.read', 'indicators.read', 'scores.read', 'scores.sandbox', 'cases.read', 'cases.stats', 'cockpit.read'],
  main_leader: ['units.read', 'indicators.read', 'scores.read', 'scores.sandbox', 'cases.read', 'cases.stats', 'cockpit.read'],
  agent: ['units.read', 'cases.read', 'cases.intake', 'cases.dispatch', 'cases.escalate', 'cases.stats'],
  handler: ['units.read', 'cases.read', 'cases.handle', 'cases.stats'],
  supervisor: ['units.read', 'cases.read', 'cases.supervise', 'cases.stats', 'cockpit.read'],
  evaluator: ['units.read'],
} as const satisfies Record<Role, readonly Permission[]>;

/** Roles whose holders see every unit's data; everyone else is limited to their unit scope. */
export const ALL_UNITS_ROLES: readonly Role[] = ['admin', 'office', 'main_leader', 'agent', 'supervisor', 'assessor'];

/** The union of the permissions of the given roles. */
export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r]) out.add(p);
  return out;
}
