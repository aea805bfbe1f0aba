/**
 * Proposals (议案提案办理), pure rules: the flow of a proposal and the per-unit monthly figures.
 * assigned (交办, the lead unit writes the formal reply) → replied (the deputy rates it) → closed when
 * rated 满意 or 基本满意; 不满意 sends it back to assigned for another round (the rounds are kept).
 */
import type { ProposalStatus, ProposalSatisfaction } from './supervision.docs.table.js';

export type ProposalAction = 'reply' | 'rate';

/** The status after an action, or null when the action is not allowed in the status. */
export function proposalNext(
  status: ProposalStatus,
  action: ProposalAction,
  satisfaction?: ProposalSatisfaction,
): ProposalStatus | null {
  switch (action) {
    case 'reply':
      return status === 'assigned' ? 'replied' : null;
    case 'rate':
      if (status !== 'replied' || !satisfaction) return null;
      return satisfaction === 'unsatisfied' ? 'assigned' : 'closed';
  }
}

/** 满意 and 基本满意 count as satisfied. */
export const isSatisfied = (s: ProposalSatisfaction | null) => s === 'satisfied' || s === 'basically';

export type StatsRound = {
  proposalId: number;
  unitId: number;
  round: number;
  deadline: string;
  repliedOn: string | null;
  satisfaction: ProposalSatisfaction | null;
  ratedOn: string | null;
};

export type ProposalFigures = {
  unitId: number;
  /** Reply rounds due by the date (deadline passed) or replied by then. */
  repliesDue: number;
  /** Of those, replied by the deadline. */
  repliesOnTime: number;
  replyRate: number | null;
  /** Proposals rated by the date (their latest rating by then counts). */
  rated: number;
  satisfied: number;
  satisfactionRate: number | null;
  dueProposalIds: number[];
  lateProposalIds: number[];
  ratedProposalIds: number[];
  unsatisfiedProposalIds: number[];
};

const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);

/**
 * Per unit (the lead unit of each round), as of a date:
 * - on-time reply rate: rounds replied by their deadline / rounds due (deadline by then, or replied by then);
 * - satisfaction rate: proposals whose latest rating by then is 满意 or 基本满意 / proposals rated by then.
 */
export function proposalFigures(rounds: readonly StatsRound[], asOf: string): Map<number, ProposalFigures> {
  const out = new Map<number, ProposalFigures>();
  const of = (unitId: number) => {
    let f = out.get(unitId);
    if (!f) {
      f = {
        unitId,
        repliesDue: 0,
        repliesOnTime: 0,
        replyRate: null,
        rated: 0,
        satisfied: 0,
        satisfactionRate: null,
        dueProposalIds: [],
        lateProposalIds: [],
        ratedProposalIds: [],
        unsatisfiedProposalIds: [],
      };
      out.set(unitId, f);
    }
    return f;
  };
  const latest = new Map<number, StatsRound>();
  for (const r of rounds) {
    const replied = r.repliedOn !== null && r.repliedOn <= asOf;
    if (r.deadline <= asOf || replied) {
      const f = of(r.unitId);
      f.repliesDue++;
      if (!f.dueProposalIds.includes(r.proposalId)) f.dueProposalIds.push(r.proposalId);
      if (replied && r.repliedOn! <= r.deadline) f.repliesOnTime++;
      else if (!f.lateProposalIds.includes(r.proposalId)) f.lateProposalIds.push(r.proposalId);
    }
    if (r.ratedOn !== null && r.ratedOn <= asOf && r.satisfaction) {
      const prev = latest.get(r.proposalId);
      if (!prev || prev.round < r.round) latest.set(r.proposalId, r);
    }
  }
  for (const r of latest.values()) {
    const f = of(r.unitId);
    f.rated++;
    f.ratedProposalIds.push(r.proposalId);
    if (isSatisfied(r.satisfaction)) f.satisfied++;
    else f.unsatisfiedProposalIds.push(r.proposalId);
  }
  for (const f of out.values()) {
    f.replyRate = pct(f.repliesOnTime, f.repliesDue);
    f.satisfactionRate = pct(f.satisfied, f.rated);
    for (const ids of [f.dueProposalIds, f.lateProposalIds, f.ratedProposalIds, f.unsatisfiedProposalIds])
      ids.sort((a, b) => a - b);
  }
  return out;
}

/** 文号: 汉督专〔2026〕7号 (专报) or 汉督通〔2026〕7号 (通报). */
export function documentNumber(kind: 'report' | 'bulletin', year: number, seq: number): string {
  return `汉督${kind === 'report' ? '专' : '通'}〔${year}〕${seq}号`;
}
