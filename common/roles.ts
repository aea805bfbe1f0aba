import type { Names } from './names.js';

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
  'security_admin',
  'audit_admin',
  'window_clerk',
  'mediator',
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
  security_admin: { zh: '安全管理员', en: 'Security admin' },
  audit_admin: { zh: '审计管理员', en: 'Audit admin' },
  window_clerk: { zh: '窗口人员', en: 'Window clerk' },
  mediator: { zh: '调解员（服务中心）', en: 'Mediator (service centre)' },
} as const satisfies Record<Role, Names>;
