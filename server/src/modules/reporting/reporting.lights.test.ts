import { describe, expect, it } from 'vitest';
import { actualToDate, progressLight } from './reporting.lights.js';

const months = (vals: number[]) => vals.map((value, i) => ({ month: i + 1, value }));

describe('warning lights', () => {
  it('is green on track, yellow within 15 points, red beyond', () => {
    // 6 of 12 months due → time 50 %.
    const base = {
      aggregate: 'sum' as const,
      direction: 'positive' as const,
      target: 120,
      monthsDue: 6,
      overdue: false,
    };
    expect(progressLight({ ...base, values: months([10, 10, 10, 10, 10, 10]) }).light).toBe('green'); // 60/120 = 50 %
    expect(progressLight({ ...base, values: months([10, 10, 10, 10, 10, 4]) }).light).toBe('green'); // 45 % (gap 5)
    expect(progressLight({ ...base, values: months([10, 10, 10, 10, 5, 2]) }).light).toBe('yellow'); // 39.2 % (gap 10.8)
    expect(progressLight({ ...base, values: months([10, 10, 10, 10, 0, 0]) }).light).toBe('red'); // 33.3 % (gap 16.7)
  });

  it('is red when a due month is missing, whatever the numbers', () => {
    const p = progressLight({
      aggregate: 'sum',
      direction: 'positive',
      target: 10,
      values: months([10]),
      monthsDue: 2,
      overdue: true,
    });
    expect(p.light).toBe('red');
  });

  it('uses configurable thresholds', () => {
    const input = {
      aggregate: 'sum' as const,
      direction: 'positive' as const,
      target: 120,
      values: months([10, 10, 10, 10, 5, 2]),
      monthsDue: 6,
      overdue: false,
    };
    expect(progressLight(input, { greenMargin: 12, yellowMargin: 20 }).light).toBe('green');
    expect(progressLight(input, { greenMargin: 1, yellowMargin: 5 }).light).toBe('red');
  });

  it('takes the last value for cumulative leaves and the average for rates (time = 100 %)', () => {
    expect(
      actualToDate('last', [
        { month: 2, value: 30 },
        { month: 1, value: 10 },
      ]),
    ).toBe(30);
    const rate = progressLight({
      aggregate: 'avg',
      direction: 'positive',
      target: 95,
      values: months([90, 92]),
      monthsDue: 2,
      overdue: false,
    });
    expect(rate.timePct).toBe(100);
    expect(rate.completionPct).toBeCloseTo(95.79, 1);
    expect(rate.light).toBe('green');
  });

  it('reads a negative leaf as a ceiling: using the allowance faster than time is behind', () => {
    // At most 12 incidents in the year; after 6 months 9 happened (75 % of the allowance at 50 % of the time).
    const p = progressLight({
      aggregate: 'sum',
      direction: 'negative',
      target: 12,
      values: months([2, 2, 2, 1, 1, 1]),
      monthsDue: 6,
      overdue: false,
    });
    expect(p.light).toBe('red');
    const ok = progressLight({
      aggregate: 'sum',
      direction: 'negative',
      target: 12,
      values: months([1, 1, 1, 1, 1, 1]),
      monthsDue: 6,
      overdue: false,
    });
    expect(ok.light).toBe('green');
  });

  it('follows plan milestones when given', () => {
    const milestones = [0.02, 0.04, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.85, 1];
    const p = progressLight({
      aggregate: 'sum',
      direction: 'positive',
      target: 100,
      values: months([2, 2, 6, 5, 5, 10]),
      monthsDue: 6,
      overdue: false,
      milestones,
    });
    expect(p.timePct).toBe(30);
    expect(p.light).toBe('green');
  });

  it('shows no light without a target or before anything is due', () => {
    expect(
      progressLight({
        aggregate: 'sum',
        direction: 'positive',
        target: null,
        values: months([1]),
        monthsDue: 1,
        overdue: false,
      }).light,
    ).toBe('none');
    expect(
      progressLight({ aggregate: 'sum', direction: 'positive', target: 10, values: [], monthsDue: 0, overdue: false })
        .light,
    ).toBe('none');
  });
});
