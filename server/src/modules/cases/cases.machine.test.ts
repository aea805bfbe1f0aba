import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  CASE_ACTIONS,
  CASE_STATUSES,
  DISPATCH_ACTIONS,
  DISPATCH_STATUSES,
  dispatchTransition,
  MACHINE_ROLES,
  transition,
  type CaseAction,
  type CaseStatus,
  type DispatchAction,
  type DispatchStatus,
  type MachineRole,
} from './cases.machine.js';

// The expected life cycle, written out independently of the rule table: "state --action/role--> next".
const ALLOWED: string[] = [
  'accepted --dispatch/agent--> dispatched',
  'returned --dispatch/agent--> dispatched',
  'accepted --reject/agent--> rejected',
  'returned --reject/agent--> rejected',
  'accepted --merge/agent--> merged',
  'returned --merge/agent--> merged',
  'dispatched --sign/handler--> signed',
  'signed --start/handler--> in_progress',
  'signed --request_extension/handler--> signed',
  'in_progress --request_extension/handler--> in_progress',
  'signed --decide_extension/agent--> signed',
  'in_progress --decide_extension/agent--> in_progress',
  'dispatched --return/handler--> returned',
  'signed --return/handler--> returned',
  'in_progress --return/handler--> returned',
  'signed --report/handler--> reported',
  'in_progress --report/handler--> reported',
  'reported --verify_ok/agent--> verified',
  'reported --verify_fail/agent--> in_progress',
  'verified --close/agent--> closed',
  'verified --rate_ok/agent--> closed',
  'verified --rate_ok/citizen--> closed',
  'verified --rate_unsatisfied/agent--> review',
  'verified --rate_unsatisfied/citizen--> review',
  'review --review_qualified/agent--> closed',
  'review --review_qualified/supervisor--> closed',
  'review --review_redo/agent--> dispatched',
  'review --review_redo/supervisor--> dispatched',
  'review --review_qualified/reviewer--> closed',
  'review --review_redo/reviewer--> dispatched',
  // 督办 and 催办 run alongside: the state stays.
  ...['accepted', 'dispatched', 'signed', 'in_progress', 'reported', 'verified', 'review', 'returned'].flatMap((s) => [
    `${s} --escalate/agent--> ${s}`,
    `${s} --decide_escalation/supervisor--> ${s}`,
    `${s} --follow_escalation/supervisor--> ${s}`,
  ]),
  ...['dispatched', 'signed', 'in_progress'].flatMap((s) => [
    `${s} --remind/agent--> ${s}`,
    `${s} --remind/supervisor--> ${s}`,
  ]),
];

const expected = new Map<string, CaseStatus>();
for (const line of ALLOWED) {
  const m = /^(\w+) --(\w+)\/(\w+)--> (\w+)$/.exec(line);
  if (!m) throw new Error(`bad line ${line}`);
  expected.set(`${m[1]}|${m[2]}|${m[3]}`, m[4] as CaseStatus);
}
/** Roles that may take the action in some state (else the machine answers FORBIDDEN). */
const rolesOf = (action: CaseAction) =>
  new Set(
    ALLOWED.map((l) => l.split(' ')[1])
      .filter((a) => a.startsWith(`--${action}/`))
      .map((a) => a.split('/')[1].replace(/-+>?$/, '')),
  );

const triples: [CaseStatus, CaseAction, MachineRole][] = CASE_STATUSES.flatMap((s) =>
  CASE_ACTIONS.flatMap((a) => MACHINE_ROLES.map((r) => [s, a, r] as [CaseStatus, CaseAction, MachineRole])),
);

describe('case state machine', () => {
  it('the expected table only names real states, actions and roles', () => {
    for (const key of expected.keys()) {
      const [s, a, r] = key.split('|');
      expect(CASE_STATUSES).toContain(s);
      expect(CASE_ACTIONS).toContain(a);
      expect(MACHINE_ROLES).toContain(r);
    }
    expect(expected.size).toBe(ALLOWED.length);
  });

  it.each(triples.filter(([s, a, r]) => expected.has(`${s}|${a}|${r}`)))('allows %s --%s/%s', (s, a, r) => {
    expect(transition(s, a, r)).toEqual({ ok: true, to: expected.get(`${s}|${a}|${r}`) });
  });

  it.each(triples.filter(([s, a, r]) => !expected.has(`${s}|${a}|${r}`)))('refuses %s --%s/%s', (s, a, r) => {
    const res = transition(s, a, r);
    expect(res.ok).toBe(false);
    // A role that may never take the action is FORBIDDEN; the right role in the wrong state is INVALID_STATE.
    expect(res).toEqual({ ok: false, error: rolesOf(a).has(r) ? 'INVALID_STATE' : 'FORBIDDEN' });
  });

  it('final states allow nothing', () => {
    for (const s of ['rejected', 'merged', 'closed'] as const)
      for (const r of MACHINE_ROLES) expect(allowedActions(s, r)).toEqual([]);
  });

  it('lists the actions of a role in a state', () => {
    expect(allowedActions('verified', 'citizen')).toEqual(['rate_ok', 'rate_unsatisfied']);
    expect(allowedActions('dispatched', 'handler')).toEqual(['sign', 'return']);
    expect(allowedActions('review', 'supervisor')).toEqual([
      'review_qualified',
      'review_redo',
      'decide_escalation',
      'follow_escalation',
    ]);
  });

  it('walks the full journey with a redo', () => {
    const steps: [CaseAction, MachineRole][] = [
      ['dispatch', 'agent'],
      ['sign', 'handler'],
      ['start', 'handler'],
      ['report', 'handler'],
      ['verify_ok', 'agent'],
      ['rate_unsatisfied', 'citizen'],
      ['review_redo', 'supervisor'],
      ['sign', 'handler'],
      ['report', 'handler'],
      ['verify_ok', 'agent'],
      ['close', 'agent'],
    ];
    let s: CaseStatus = 'accepted';
    for (const [a, r] of steps) {
      const res = transition(s, a, r);
      if (!res.ok) throw new Error(`${s} ${a} ${r}: ${res.error}`);
      s = res.to;
    }
    expect(s).toBe('closed');
  });
});

const DISPATCH_ALLOWED: Record<string, DispatchStatus> = {
  'pending|sign': 'signed',
  'signed|start': 'in_progress',
  'signed|request_extension': 'signed',
  'in_progress|request_extension': 'in_progress',
  'signed|report': 'reported',
  'in_progress|report': 'reported',
  'pending|return': 'returned',
  'signed|return': 'returned',
  'in_progress|return': 'returned',
  'reported|reopen': 'in_progress',
  'pending|cancel': 'cancelled',
  'signed|cancel': 'cancelled',
  'in_progress|cancel': 'cancelled',
};

describe('work order (dispatch) machine', () => {
  const pairs: [DispatchStatus, DispatchAction][] = DISPATCH_STATUSES.flatMap((s) =>
    DISPATCH_ACTIONS.map((a) => [s, a] as [DispatchStatus, DispatchAction]),
  );
  it.each(pairs)('%s --%s', (s, a) => {
    expect(dispatchTransition(s, a)).toBe(DISPATCH_ALLOWED[`${s}|${a}`] ?? null);
  });
  it('returned and cancelled work orders are final', () => {
    for (const a of DISPATCH_ACTIONS) {
      expect(dispatchTransition('returned', a)).toBeNull();
      expect(dispatchTransition('cancelled', a)).toBeNull();
    }
  });
});
