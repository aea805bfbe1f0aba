import type { TaskStatus } from './supervision.table.js';

/**
 * The supervision task's state machine (pure). 立项: a proposed task (a leader's instruction) is accepted,
 * merged into another task or declined by the office; a task the office enters itself starts assigned.
 * The lead unit signs (签收) and submits its plan (方案), which the leader in charge approves or returns;
 * the unit reports progress (in_progress stays in_progress) and applies for completion (办结申请); the
 * office rates it (completed) or sends it back with a reason.
 */
export const TASK_ACTIONS = [
  'accept',
  'merge',
  'decline',
  'sign',
  'submitPlan',
  'approvePlan',
  'returnPlan',
  'report',
  'applyCompletion',
  'rejectCompletion',
  'review',
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** Who may take an action: the office (supervision.manage), the lead unit, the lead or a co-unit, the approving leader. */
export type ActorKind = 'office' | 'lead' | 'participant' | 'approver';

const TRANSITIONS: Record<
  TaskAction,
  { from: readonly TaskStatus[]; to: TaskStatus | 'same'; by: ActorKind; reason: boolean }
> = {
  accept: { from: ['proposed'], to: 'assigned', by: 'office', reason: false },
  merge: { from: ['proposed'], to: 'merged', by: 'office', reason: true },
  decline: { from: ['proposed'], to: 'declined', by: 'office', reason: true },
  sign: { from: ['assigned'], to: 'signed', by: 'lead', reason: false },
  submitPlan: { from: ['signed'], to: 'plan_submitted', by: 'lead', reason: false },
  approvePlan: { from: ['plan_submitted'], to: 'in_progress', by: 'approver', reason: false },
  returnPlan: { from: ['plan_submitted'], to: 'signed', by: 'approver', reason: true },
  report: { from: ['in_progress'], to: 'same', by: 'participant', reason: false },
  applyCompletion: { from: ['in_progress'], to: 'completion_applied', by: 'lead', reason: false },
  rejectCompletion: { from: ['completion_applied'], to: 'in_progress', by: 'office', reason: true },
  review: { from: ['completion_applied'], to: 'completed', by: 'office', reason: true },
};

/** The status after the action, or null when the action is refused in this status. */
export function nextStatus(status: TaskStatus, action: TaskAction): TaskStatus | null {
  const t = TRANSITIONS[action];
  if (!t.from.includes(status)) return null;
  return t.to === 'same' ? status : t.to;
}

/** Who may take the action. */
export function actorOf(action: TaskAction): ActorKind {
  return TRANSITIONS[action].by;
}

/** True when the action must carry a reason (a return, a rejection, a decline, a rating). */
export function needsReason(action: TaskAction): boolean {
  return TRANSITIONS[action].reason;
}

/** The actions possible in a status (for the client's buttons; the server checks the actor too). */
export function actionsIn(status: TaskStatus): TaskAction[] {
  return TASK_ACTIONS.filter((a) => nextStatus(status, a) !== null);
}

/** Statuses in which a task is live (counts in the ledger's lights and the unit's inbox). */
export const LIVE_STATUSES: readonly TaskStatus[] = [
  'assigned',
  'signed',
  'plan_submitted',
  'in_progress',
  'completion_applied',
];
