import { describe, expect, it } from 'vitest';
import {
  changePct,
  detectAnomalies,
  mergeConfirmations,
  quartiles,
  unconfirmed,
  type AnomalyInput,
} from './reporting.anomaly.js';
import { defaultForm, type TFormField } from './reporting.forms.js';

const cumulative: TFormField = { ...defaultForm('亿元').fields[0], key: 'ytd', label: '累计完成', cumulative: true };
const base: AnomalyInput = {
  fields: [cumulative],
  values: { ytd: 100 },
  scoreValue: 100,
  scoreLabel: '累计完成',
  previous: null,
  lastYear: null,
  peers: [],
};

describe('anomaly rules', () => {
  it('flags a cumulative value going down, not one going up', () => {
    const down = detectAnomalies({
      ...base,
      values: { ytd: 90 },
      scoreValue: 90,
      previous: { period: '2026-03', values: { ytd: 95 }, scoreValue: 95 },
    });
    expect(down.map((f) => f.code)).toEqual(['cumulative_down']);
    expect(down[0].zh).toContain('低于上期');
    expect(detectAnomalies({ ...base, previous: { period: '2026-03', values: { ytd: 95 }, scoreValue: 95 } })).toEqual(
      [],
    );
  });

  it('flags jumps beyond the threshold against last period and last year, both directions', () => {
    const f = detectAnomalies({
      ...base,
      scoreValue: 160,
      values: { ytd: 160 },
      previous: { period: '2026-03', values: { ytd: 100 }, scoreValue: 100 },
      lastYear: { period: '2025-04', scoreValue: 400 },
    });
    expect(f.map((x) => x.code).sort()).toEqual(['jump_last_year', 'jump_prev']);
    expect(
      detectAnomalies({
        ...base,
        scoreValue: 149,
        values: { ytd: 149 },
        previous: { period: '2026-03', values: { ytd: 100 }, scoreValue: 100 },
      }),
    ).toEqual([]);
    expect(
      detectAnomalies(
        {
          ...base,
          scoreValue: 160,
          values: { ytd: 160 },
          previous: { period: '2026-03', values: { ytd: 100 }, scoreValue: 100 },
        },
        { jumpPct: 70, peerIqrFactor: 3, minPeers: 4 },
      ),
    ).toEqual([]);
  });

  it('does not compute a jump against zero', () => {
    expect(changePct(5, 0)).toBeNull();
    expect(
      detectAnomalies({ ...base, previous: { period: '2026-03', values: { ytd: 0 }, scoreValue: 0 } }).map(
        (x) => x.code,
      ),
    ).toEqual([]);
  });

  it('flags values far outside the category (3 × IQR), needing enough peers', () => {
    expect(quartiles([1, 2, 3, 4, 5])).toEqual({ q1: 2, median: 3, q3: 4 });
    const peers = [95, 96, 97, 98, 99, 100];
    expect(detectAnomalies({ ...base, scoreValue: 500, values: { ytd: 500 }, peers }).map((x) => x.code)).toEqual([
      'peer_outlier',
    ]);
    expect(detectAnomalies({ ...base, scoreValue: 105, values: { ytd: 105 }, peers })).toEqual([]);
    expect(detectAnomalies({ ...base, scoreValue: 500, values: { ytd: 500 }, peers: [95, 96, 97] })).toEqual([]);
    expect(detectAnomalies({ ...base, scoreValue: 500, values: { ytd: 500 }, peers: [100, 100, 100, 100] })).toEqual(
      [],
    );
  });

  it('keeps a confirmation only for the same flag on the same value', () => {
    const flags = detectAnomalies({ ...base, scoreValue: 500, values: { ytd: 500 }, peers: [95, 96, 97, 98, 99, 100] });
    const who = { name: '刘填报', at: new Date('2026-11-20T00:00:00Z') };
    const confirmed = mergeConfirmations(
      flags,
      [],
      [{ key: 'peer_outlier:score', comment: '本月集中清理历史积案' }],
      who,
    );
    expect(unconfirmed(confirmed)).toEqual([]);
    expect(confirmed[0]).toMatchObject({ comment: '本月集中清理历史积案', confirmedBy: '刘填报' });
    // Same flag recomputed: still confirmed.
    expect(unconfirmed(mergeConfirmations(flags, confirmed, [], who))).toEqual([]);
    // The value changed: the old comment does not carry over.
    const other = detectAnomalies({ ...base, scoreValue: 600, values: { ytd: 600 }, peers: [95, 96, 97, 98, 99, 100] });
    expect(unconfirmed(mergeConfirmations(other, confirmed, [], who))).toHaveLength(1);
  });
});
