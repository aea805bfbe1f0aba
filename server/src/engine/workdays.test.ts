import { describe, expect, it } from 'vitest';
import { monthAndPrevious } from './workdays.js';

describe('monthAndPrevious', () => {
  it('gives the month and the one before, within the year', () => {
    expect(monthAndPrevious('2026-10-05')).toEqual(['2026-10', '2026-09']);
    expect(monthAndPrevious('2026-12-31')).toEqual(['2026-12', '2026-11']);
  });

  it('gives January alone (the previous month is another year)', () => {
    expect(monthAndPrevious('2026-01-15')).toEqual(['2026-01']);
  });
});
