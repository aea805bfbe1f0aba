/**
 * Who may see and do what on a case.
 * - Agents (level 2) see every case with the requester's full data.
 * - Handlers see only cases dispatched to their unit (others answer 404); they see the requester's
 *   name and full phone to call back, unless the requester asked to stay anonymous.
 * - Supervisors, the office and leaders read within their unit scope with name and phone masked.
 */
import type { AuthUser, UnitScope } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import { transition, type CaseAction, type CaseStatus, type MachineRole } from './cases.machine.js';

export type Viewer = {
  user: AuthUser;
  scope: UnitScope;
  /** Units whose work orders the viewer may see; null = all. */
  unitIds: number[] | null;
  isAgent: boolean;
  isSupervisor: boolean;
  isHandler: boolean;
};

export function viewerOf(user: AuthUser, scope: UnitScope): Viewer {
  return {
    user,
    scope,
    unitIds: scope.all ? null : [...scope.unitIds],
    isAgent: user.permissions.has('cases.dispatch') || user.permissions.has('cases.intake'),
    isSupervisor: user.permissions.has('cases.supervise'),
    isHandler: user.permissions.has('cases.handle'),
  };
}

export type RequesterVisibility = 'full' | 'masked' | 'hidden';

/** How much of the requester the viewer sees; `handlesCase` = the viewer's unit has a work order on the case. */
export function requesterVisibility(v: Viewer, c: { anonymous: boolean }, handlesCase: boolean): RequesterVisibility {
  if (v.isAgent) return 'full';
  if (v.isHandler && handlesCase) return c.anonymous ? 'hidden' : 'full';
  return 'masked';
}

/** 13812345678 → 138****5678; 027-83777777 → 027-****7777. */
export function maskPhone(phone: string): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  const head = phone.startsWith('0') && phone.includes('-') ? phone.slice(0, phone.indexOf('-') + 1) : phone.slice(0, 3);
  return `${head}****${phone.slice(-4)}`;
}

/**
 * Free text with personal data masked, for anonymous readers (Open311 GET requests): citizens often
 * write their phone or ID number into the description. Masks mainland ID numbers (18 characters,
 * keeps the first 4 and last 4), mobile numbers (138****5678), landlines with an area code
 * (027-****7777) and e-mail addresses (z***@example.com). Digits that are part of a longer number
 * (an order or case number) are left alone.
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(/(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])/g, (_, a: string, _b: string, c: string) => `${a.slice(0, 4)}${'*'.repeat(10)}${c}`)
    .replace(/(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g, '$1****$3')
    .replace(/(?<!\d)(0\d{2,3})([- ]?)(\d{3,4})(\d{4})(?!\d)/g, (_, area: string, sep: string, _mid: string, last: string) => `${area}${sep}****${last}`)
    .replace(/([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, '$1***@$2');
}

/** 张三 → 张*; 欧阳娜娜 → 欧***. */
export function maskName(name: string): string {
  if (!name) return '';
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** The new status, or the matching AppError (403 for a role that may never do it, 409 for the wrong state). */
export function mustTransition(state: CaseStatus, action: CaseAction, role: MachineRole): CaseStatus {
  const r = transition(state, action, role);
  if (r.ok) return r.to;
  throw new AppError(r.error === 'FORBIDDEN' ? 'FORBIDDEN' : 'INVALID_STATE');
}

/** The machine role for level-2/level-1 actions that both an agent and a supervisor may take. */
export function agentOrSupervisor(v: Viewer): MachineRole {
  if (v.user.permissions.has('cases.dispatch')) return 'agent';
  if (v.isSupervisor) return 'supervisor';
  throw new AppError('FORBIDDEN');
}
