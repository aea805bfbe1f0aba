/**
 * Case statuses as Open311 statuses (pure). The spec knows only open and closed, so a rejected
 * (不予受理) or merged case reads "closed" like a fixed one; clients that understand the FixMyStreet /
 * mySociety extended statuses get them with extensions=true (or the admin's setting).
 */
import type { CaseStatus } from '../cases/index.js';

export const EXTENDED_STATUSES = [
  'open',
  'investigating',
  'action_scheduled',
  'in_progress',
  'internal_referral',
  'fixed',
  'closed',
  'not_councils_responsibility',
  'duplicate',
] as const;
export type ExtendedStatus = (typeof EXTENDED_STATUSES)[number];

const EXTENDED: Record<CaseStatus, ExtendedStatus> = {
  accepted: 'open', // filed, not yet sent to a department
  dispatched: 'investigating', // sent to a department, not yet signed for
  signed: 'action_scheduled', // the department took it on
  in_progress: 'in_progress',
  reported: 'in_progress', // the department reported a result; level 2 checks it
  returned: 'internal_referral', // the department sent it back; being routed to another
  verified: 'fixed', // the result was checked; awaiting the requester's rating
  review: 'investigating', // the requester was unsatisfied; under professional review
  closed: 'fixed',
  rejected: 'not_councils_responsibility', // 不予受理
  merged: 'duplicate', // handled with an earlier identical case
};

/** The spec's status: open while the case is worked on, closed once closed, rejected or merged. */
export function basicStatus(s: CaseStatus): 'open' | 'closed' {
  return s === 'closed' || s === 'rejected' || s === 'merged' ? 'closed' : 'open';
}

/** The extended status; a closed case without a result (closed with no action) is 'closed', not 'fixed'. */
export function extendedStatus(s: CaseStatus, hasResult: boolean): ExtendedStatus {
  if (s === 'closed' && !hasResult) return 'closed';
  return EXTENDED[s];
}

/** Which cases a status filter (GET requests `status=`) selects: open/closed, or extended values. */
export function statusFilter(values: string[], all: readonly CaseStatus[]): CaseStatus[] | null {
  const out = new Set<CaseStatus>();
  for (const v of values) {
    if (v === 'open' || v === 'closed') for (const s of all) if (basicStatus(s) === v) out.add(s);
    if ((EXTENDED_STATUSES as readonly string[]).includes(v))
      for (const s of all) if (EXTENDED[s] === v || (v === 'closed' && s === 'closed')) out.add(s);
    if (!(v === 'open' || v === 'closed' || (EXTENDED_STATUSES as readonly string[]).includes(v))) return null;
  }
  return [...out];
}
