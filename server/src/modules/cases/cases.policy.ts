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
    isSupervisor: user.permissions.has('cases.escalations'),
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

/** A digit, half- or full-width (citizens type both). */
const D = '[0-9\uFF10-\uFF19]';
const SEP = '[\\s\\-\\u2014\\uFF0D]?';
const ID18 = new RegExp(`(?<![0-9\\uFF10-\\uFF19A-Za-z])(${D}{4})${D}{10}(${D}{3}[0-9\\uFF10-\\uFF19XxＸｘ])(?![0-9\\uFF10-\\uFF19A-Za-z])`, 'g');
const ID15 = new RegExp(`(?<!${D})(${D}{4})${D}{8}(${D}{3})(?!${D})`, 'g');
const MOBILE = new RegExp(`(?<!${D})((?:[+＋]?[8８][6６]${SEP})?[1１][3-9３-９]${D})${SEP}${D}{4}${SEP}(${D}{4})(?!${D})`, 'g');
const LANDLINE = new RegExp(`(?<!${D})([(（]?[0０]${D}{2,3}[)）]?)(${SEP})${D}{3,4}${SEP}(${D}{4})(?!${D})`, 'g');
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/**
 * Free text with personal data masked, for anonymous readers (Open311 GET requests): citizens often
 * write their phone or ID number into the description. Masks mainland ID numbers (18 characters, and
 * the old 15 digits; keeps the first 4 and the last ones), mobile numbers with or without +86 and
 * separators (138****5678), landlines with an area code, in brackets or not (027-****7777), and
 * e-mail addresses (z***@example.com); full-width digits too. Digits that are part of a longer run (an
 * order or case number), dates and house numbers are left alone.
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(ID18, (_, head: string, tail: string) => `${head}${'*'.repeat(10)}${tail}`)
    .replace(ID15, (_, head: string, tail: string) => `${head}${'*'.repeat(8)}${tail}`)
    .replace(MOBILE, '$1****$2')
    .replace(LANDLINE, (_, area: string, sep: string, last: string) => `${area}${sep}****${last}`)
    .replace(EMAIL, '$1***@$2');
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
