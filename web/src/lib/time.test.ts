import { describe, expect, it } from 'vitest';
import { beijingToday, fmtDate, fmtTime, monthsOfYearSoFar } from './time';

// The district works in Beijing time (UTC+8) whatever the browser's zone: these use UTC instants.
describe('Beijing time for display', () => {
  it('formats instants in Beijing time, across midnight', () => {
    expect(fmtTime('2026-11-23T16:30:00Z')).toBe('2026-11-24 00:30');
    expect(fmtTime('2026-11-23T15:59:00Z')).toBe('2026-11-23 23:59');
    expect(fmtDate('2026-12-31T16:00:00Z')).toBe('2027-01-01');
    expect(fmtTime(null)).toBe('—');
    expect(fmtDate(undefined)).toBe('—');
  });

  it('knows today and the months so far by Beijing date', () => {
    expect(beijingToday(Date.parse('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(beijingToday(Date.parse('2026-11-23T15:30:00Z'))).toBe('2026-11-23');
    expect(monthsOfYearSoFar(Date.parse('2026-03-31T16:00:00Z'))).toEqual(['2026-04', '2026-03', '2026-02', '2026-01']);
    expect(monthsOfYearSoFar(Date.parse('2026-12-31T16:00:00Z'))).toEqual(['2027-01']);
  });
});
