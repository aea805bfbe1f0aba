import { describe, expect, it } from 'vitest';
import { publishDefaults } from './periods';

describe('publishDefaults', () => {
  it('a half-year scheme opens on its latest complete half-year and offers half-years and the year', () => {
    expect(publishDefaults({ year: 2026, every: 'half', latestMonth: 10, closed: false })).toEqual({
      kinds: ['half', 'year'],
      kind: 'half',
      period: '2026-H1',
    });
    expect(publishDefaults({ year: 2026, every: 'half', latestMonth: 12, closed: false }).period).toBe('2026-H2');
    expect(publishDefaults({ year: 2026, every: 'half', latestMonth: null, closed: false }).period).toBe('2026-H1');
  });
  it('a quarterly scheme opens on its latest complete quarter', () => {
    expect(publishDefaults({ year: 2026, every: 'quarter', latestMonth: 8, closed: false })).toMatchObject({
      kinds: ['quarter', 'year'],
      period: '2026-Q2',
    });
  });
  it('a monthly scheme opens on the latest reported month; a closed scheme on its year', () => {
    expect(publishDefaults({ year: 2026, every: 'month', latestMonth: 10, closed: false })).toEqual({
      kinds: ['month', 'quarter', 'half', 'year'],
      kind: 'month',
      period: '2026-10',
    });
    expect(publishDefaults({ year: 2025, every: 'half', latestMonth: 12, closed: true })).toMatchObject({
      kind: 'year',
      period: '2025',
    });
  });
});
