import { describe, expect, it } from 'vitest';
import { PROPOSAL_SATISFACTIONS, PROPOSAL_STATUSES } from './supervision.docs.table.js';
import { documentNumber, proposalFigures, proposalNext, type StatsRound } from './supervision.proposals.rules.js';

describe('proposal flow', () => {
  it('allows a reply only while assigned, and a rating only while replied', () => {
    for (const s of PROPOSAL_STATUSES) {
      expect(proposalNext(s, 'reply')).toBe(s === 'assigned' ? 'replied' : null);
      for (const r of PROPOSAL_SATISFACTIONS)
        expect(proposalNext(s, 'rate', r)).toBe(s !== 'replied' ? null : r === 'unsatisfied' ? 'assigned' : 'closed');
      expect(proposalNext(s, 'rate')).toBeNull();
    }
  });
  it('numbers documents per kind', () => {
    expect(documentNumber('report', 2026, 7)).toBe('汉督专〔2026〕7号');
    expect(documentNumber('bulletin', 2026, 12)).toBe('汉督通〔2026〕12号');
  });
});

describe('proposal figures', () => {
  const r = (v: Partial<StatsRound> & { proposalId: number }): StatsRound => ({
    unitId: 1,
    round: 1,
    deadline: '2026-06-30',
    repliedOn: null,
    satisfaction: null,
    ratedOn: null,
    ...v,
  });
  const rounds = [
    r({ proposalId: 1, repliedOn: '2026-06-20', satisfaction: 'unsatisfied', ratedOn: '2026-07-01' }),
    r({
      proposalId: 1,
      round: 2,
      deadline: '2026-08-10',
      repliedOn: '2026-08-15',
      satisfaction: 'basically',
      ratedOn: '2026-08-20',
    }),
    r({ proposalId: 2, repliedOn: '2026-07-05' }),
    r({ proposalId: 3 }),
    r({ proposalId: 4, deadline: '2026-09-30' }),
    r({
      proposalId: 5,
      unitId: 2,
      deadline: '2026-09-30',
      repliedOn: '2026-05-01',
      satisfaction: 'satisfied',
      ratedOn: '2026-05-10',
    }),
  ];
  it('counts rounds due by the date, those replied by their deadline, and each proposal’s latest rating', () => {
    const july = proposalFigures(rounds, '2026-07-31').get(1)!;
    // Due by July: p1 round 1, p2 and p3 (deadline June 30); p1's round 2 and p4 fall due later.
    expect(july).toMatchObject({ repliesDue: 3, repliesOnTime: 1, replyRate: 33.3, rated: 1, satisfied: 0 });
    expect(july.lateProposalIds).toEqual([2, 3]);
    const sept = proposalFigures(rounds, '2026-09-30').get(1)!;
    expect(sept).toMatchObject({ repliesDue: 5, repliesOnTime: 1, rated: 1, satisfied: 1, satisfactionRate: 100 });
    // Unit 2 replied early, before its deadline came: counted as soon as it replied.
    expect(proposalFigures(rounds, '2026-05-31').get(2)).toMatchObject({ repliesDue: 1, repliesOnTime: 1, rated: 1 });
    expect(proposalFigures(rounds, '2026-04-30').size).toBe(0);
  });
});
