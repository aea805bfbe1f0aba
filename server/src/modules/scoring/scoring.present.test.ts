import { describe, expect, it } from 'vitest';
import { dueMonths } from './scoring.present.js';

describe('dueMonths (the year-to-date window ends at the last month past its reporting deadline)', () => {
  it('counts October as due on 23 November with the default 15th', () => {
    expect(dueMonths(2026, 15, new Date('2026-11-23T04:00:00Z'))).toBe(10);
  });
  it('does not count October before its deadline day', () => {
    expect(dueMonths(2026, 15, new Date('2026-11-14T04:00:00Z'))).toBe(9);
  });
  it('uses Beijing time at the day boundary', () => {
    // 2026-11-14T16:30Z is already 15 November 00:30 in Beijing.
    expect(dueMonths(2026, 15, new Date('2026-11-14T16:30:00Z'))).toBe(10);
  });
  it('gives 0 early in the year and 12 after the December deadline of the next year', () => {
    expect(dueMonths(2026, 15, new Date('2026-01-20T04:00:00Z'))).toBe(0);
    expect(dueMonths(2026, 15, new Date('2027-01-15T04:00:00Z'))).toBe(12);
    expect(dueMonths(2026, 15, new Date('2028-06-01T04:00:00Z'))).toBe(12);
  });
  it('honours the year setting for the deadline day', () => {
    expect(dueMonths(2026, 5, new Date('2026-11-06T04:00:00Z'))).toBe(10);
  });
});
