/**
 * The case life cycle as a pure state machine (no database, no I/O).
 *
 *   accepted ─dispatch→ dispatched ─sign→ signed ─start→ in_progress ─report→ reported ─verify_ok→ verified
 *   verified ─rate_ok / close→ closed;  verified ─rate_unsatisfied→ review ─review_qualified→ closed
 *   review ─review_redo→ dispatched (redo by the same department);  reported ─verify_fail→ in_progress
 *   accepted ─reject→ rejected;  accepted ─merge→ merged;  dispatched|signed|in_progress ─return→ returned ─dispatch→ …
 * Extensions, escalation (督办) and reminders (催办) happen alongside a state and do not change it.
 */

import type { CaseStatus } from '../../../../common/cases.js';

export { CASE_STATUSES, type CaseStatus } from '../../../../common/cases.js';

/** The roles that drive the machine (level 2 agent, level 3 handler, level 1 supervisor, the requester, a deputy giving the professional review). */
export const MACHINE_ROLES = ['agent', 'handler', 'supervisor', 'citizen', 'reviewer'] as const;
export type MachineRole = (typeof MACHINE_ROLES)[number];

export const CASE_ACTIONS = [
  'dispatch',
  'reject',
  'merge',
  'sign',
  'start',
  'request_extension',
  'decide_extension',
  'return',
  'report',
  'verify_ok',
  'verify_fail',
  'close',
  'rate_ok',
  'rate_unsatisfied',
  'review_qualified',
  'review_redo',
  'escalate',
  'decide_escalation',
  'follow_escalation',
  'remind',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** States in which a case is still being worked on. */
export const OPEN_STATUSES: readonly CaseStatus[] = [
  'accepted',
  'dispatched',
  'signed',
  'in_progress',
  'reported',
  'verified',
  'review',
  'returned',
];
/** States in which a department holds the case (deadlines run). */
export const HANDLING_STATUSES: readonly CaseStatus[] = ['dispatched', 'signed', 'in_progress'];
/** Final states. */
export const FINAL_STATUSES: readonly CaseStatus[] = ['rejected', 'merged', 'closed'];

type Rule = { from: readonly CaseStatus[]; roles: readonly MachineRole[]; to: CaseStatus | 'same' };

/** The transition table: for each action, the states it may start from, who may take it, and where it leads. */
export const CASE_RULES = {
  dispatch: { from: ['accepted', 'returned'], roles: ['agent'], to: 'dispatched' },
  reject: { from: ['accepted', 'returned'], roles: ['agent'], to: 'rejected' },
  merge: { from: ['accepted', 'returned'], roles: ['agent'], to: 'merged' },
  sign: { from: ['dispatched'], roles: ['handler'], to: 'signed' },
  start: { from: ['signed'], roles: ['handler'], to: 'in_progress' },
  request_extension: { from: ['signed', 'in_progress'], roles: ['handler'], to: 'same' },
  decide_extension: { from: ['signed', 'in_progress'], roles: ['agent'], to: 'same' },
  return: { from: ['dispatched', 'signed', 'in_progress'], roles: ['handler'], to: 'returned' },
  report: { from: ['signed', 'in_progress'], roles: ['handler'], to: 'reported' },
  verify_ok: { from: ['reported'], roles: ['agent'], to: 'verified' },
  verify_fail: { from: ['reported'], roles: ['agent'], to: 'in_progress' },
  close: { from: ['verified'], roles: ['agent'], to: 'closed' },
  rate_ok: { from: ['verified'], roles: ['agent', 'citizen'], to: 'closed' },
  rate_unsatisfied: { from: ['verified'], roles: ['agent', 'citizen'], to: 'review' },
  review_qualified: { from: ['review'], roles: ['agent', 'supervisor', 'reviewer'], to: 'closed' },
  review_redo: { from: ['review'], roles: ['agent', 'supervisor', 'reviewer'], to: 'dispatched' },
  escalate: { from: OPEN_STATUSES, roles: ['agent'], to: 'same' },
  decide_escalation: { from: OPEN_STATUSES, roles: ['supervisor'], to: 'same' },
  follow_escalation: { from: OPEN_STATUSES, roles: ['supervisor'], to: 'same' },
  remind: { from: HANDLING_STATUSES, roles: ['agent', 'supervisor'], to: 'same' },
} as const satisfies Record<CaseAction, Rule>;

export type TransitionResult = { ok: true; to: CaseStatus } | { ok: false; error: 'INVALID_STATE' | 'FORBIDDEN' };

/**
 * The state a case moves to when `role` takes `action` in `state`: FORBIDDEN when the role may never
 * take the action, INVALID_STATE when the action is not possible in this state.
 */
export function transition(state: CaseStatus, action: CaseAction, role: MachineRole): TransitionResult {
  const rule: Rule = CASE_RULES[action];
  if (!rule.roles.includes(role)) return { ok: false, error: 'FORBIDDEN' };
  if (!rule.from.includes(state)) return { ok: false, error: 'INVALID_STATE' };
  return { ok: true, to: rule.to === 'same' ? state : rule.to };
}

/** The actions `role` may take on a case in `state` (drives the buttons the UI shows). */
export function allowedActions(state: CaseStatus, role: MachineRole): CaseAction[] {
  return CASE_ACTIONS.filter((a) => transition(state, a, role).ok);
}

// ---- One department's work order (case_dispatches.status) ----

export const DISPATCH_STATUSES = ['pending', 'signed', 'in_progress', 'reported', 'returned', 'cancelled'] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];
export const ACTIVE_DISPATCH_STATUSES: readonly DispatchStatus[] = ['pending', 'signed', 'in_progress'];

export const DISPATCH_ACTIONS = ['sign', 'start', 'request_extension', 'report', 'return', 'reopen', 'cancel'] as const;
export type DispatchAction = (typeof DISPATCH_ACTIONS)[number];

export const DISPATCH_RULES = {
  sign: { from: ['pending'], to: 'signed' },
  start: { from: ['signed'], to: 'in_progress' },
  request_extension: { from: ['signed', 'in_progress'], to: 'same' },
  report: { from: ['signed', 'in_progress'], to: 'reported' },
  return: { from: ['pending', 'signed', 'in_progress'], to: 'returned' },
  /** Verification failed: the lead works on. */
  reopen: { from: ['reported'], to: 'in_progress' },
  /** Superseded by a re-dispatch, or the case ended while an assisting department was still on it. */
  cancel: { from: ['pending', 'signed', 'in_progress'], to: 'cancelled' },
} as const satisfies Record<DispatchAction, { from: readonly DispatchStatus[]; to: DispatchStatus | 'same' }>;

/** The status a dispatch moves to, or null when the action is not possible in its status. */
export function dispatchTransition(status: DispatchStatus, action: DispatchAction): DispatchStatus | null {
  const rule: { from: readonly DispatchStatus[]; to: DispatchStatus | 'same' } = DISPATCH_RULES[action];
  if (!rule.from.includes(status)) return null;
  return rule.to === 'same' ? status : rule.to;
}
