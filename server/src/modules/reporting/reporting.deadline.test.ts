import { describe, expect, it } from 'vitest';
import type { CalendarData } from '../../engine/workdays.js';
import {
  beijingDate,
  endOfBeijingDay,
  isLate,
  isOverdue,
  isPeriodOpen,
  nextPeriod,
  periodDeadline,
  prevPeriod,
  samePeriodLastYear,
  timingOf,
  workingDaysLeft,
} from './reporting.deadline.js';

// The 2026 National Day arrangement as the brief states it (Oct 1–8 off) with the make-up Saturdays.
const NATIONAL_DAY: CalendarData = {
  holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08']),
  workdays: new Set(['2026-09-27', '2026-10-10']),
};
const EMPTY: CalendarData = { holidays: new Set(), workdays: new Set() };

describe('periods', () => {
  it('steps across the year boundary', () => {
    expect(nextPeriod('2026-12')).toBe('2027-01');
    expect(prevPeriod('2026-01')).toBe('2025-12');
    expect(samePeriodLastYear('2026-03')).toBe('2025-03');
  });

  it('opens a period on the first day of its month (Beijing time)', () => {
    expect(isPeriodOpen('2026-11', new Date('2026-10-31T15:59:59Z'))).toBe(false); // 23:59:59 on Oct 31 in Beijing
    expect(isPeriodOpen('2026-11', new Date('2026-10-31T16:00:00Z'))).toBe(true); // 00:00 on Nov 1 in Beijing
  });
});

describe('deadlines', () => {
  it('defaults to day N of the following month, December rolling into January', () => {
    expect(periodDeadline('2026-01', { mode: 'day', day: 15 }, EMPTY)).toBe('2026-02-15');
    expect(periodDeadline('2026-12', { mode: 'day', day: 15 }, EMPTY)).toBe('2027-01-15');
    expect(periodDeadline('2026-01', { mode: 'day', day: 31 }, EMPTY)).toBe('2026-02-28');
  });

  it('moves a day-of-month deadline on a day off to the next working day when the year says so (法定节假日顺延)', () => {
    // Nov 15 2026 is a Sunday; with the National Day calendar, Oct 15 is a Thursday (working).
    expect(periodDeadline('2026-10', { mode: 'day', day: 15, rollOver: true }, EMPTY)).toBe('2026-11-16');
    expect(periodDeadline('2026-10', { mode: 'day', day: 15, rollOver: false }, EMPTY)).toBe('2026-11-15');
    expect(periodDeadline('2026-08', { mode: 'day', day: 15, rollOver: true }, NATIONAL_DAY)).toBe('2026-09-15');
    // Oct 5 is inside the holiday (Oct 1–8 off): the first working day after it is Fri Oct 9.
    expect(periodDeadline('2026-09', { mode: 'day', day: 5, rollOver: true }, NATIONAL_DAY)).toBe('2026-10-09');
    expect(periodDeadline('2026-09', { mode: 'day', day: 5 }, NATIONAL_DAY)).toBe('2026-10-05');
  });

  it('counts working days after month end across the National Day holiday', () => {
    // September ends on Wed 09-30; Oct 1–8 are off, Fri 10-09 is the 1st working day, the make-up Sat 10-10 the 2nd.
    expect(periodDeadline('2026-09', { mode: 'working_days', days: 1 }, NATIONAL_DAY)).toBe('2026-10-09');
    expect(periodDeadline('2026-09', { mode: 'working_days', days: 3 }, NATIONAL_DAY)).toBe('2026-10-12');
    expect(periodDeadline('2026-09', { mode: 'working_days', days: 3 }, EMPTY)).toBe('2026-10-05');
  });

  it('counts working days from December into January of the next year', () => {
    const cal: CalendarData = { holidays: new Set(['2027-01-01']), workdays: new Set() };
    // Dec 31 2026 is a Thursday; Jan 1 2027 (Fri) is a holiday, then the weekend.
    expect(periodDeadline('2026-12', { mode: 'working_days', days: 1 }, cal)).toBe('2027-01-04');
    expect(periodDeadline('2026-12', { mode: 'working_days', days: 5 }, cal)).toBe('2027-01-08');
  });

  it('is late only after the end of the deadline day in Beijing', () => {
    expect(endOfBeijingDay('2026-11-15').toISOString()).toBe('2026-11-15T15:59:59.999Z');
    expect(isLate(new Date('2026-11-15T15:59:00Z'), '2026-11-15')).toBe(false);
    expect(isLate(new Date('2026-11-15T16:00:00Z'), '2026-11-15')).toBe(true);
    expect(isOverdue('2026-11-15', new Date('2026-11-15T16:00:01Z'), null)).toBe(true);
    expect(isOverdue('2026-11-15', new Date('2026-11-15T16:00:01Z'), new Date('2026-11-10T00:00:00Z'))).toBe(false);
  });

  it('gives the timing of a period', () => {
    const now = new Date('2026-11-23T04:00:00Z');
    expect(timingOf('2026-12', '2027-01-15', now, null)).toBe('not_open');
    expect(timingOf('2026-11', '2026-12-15', now, null)).toBe('open');
    expect(timingOf('2026-10', '2026-11-15', now, null)).toBe('overdue');
    expect(timingOf('2026-10', '2026-11-15', now, new Date('2026-11-14T02:00:00Z'))).toBe('on_time');
    expect(timingOf('2026-10', '2026-11-15', now, new Date('2026-11-16T02:00:00Z'))).toBe('late');
  });

  it('counts working days left to a deadline, skipping the holiday', () => {
    expect(beijingDate(new Date('2026-09-29T17:00:00Z'))).toBe('2026-09-30');
    // From Tue 09-29 to Fri 10-09: 09-30, then 10-09 → 2 working days.
    expect(workingDaysLeft(NATIONAL_DAY, new Date('2026-09-29T04:00:00Z'), '2026-10-09')).toBe(2);
    expect(workingDaysLeft(NATIONAL_DAY, new Date('2026-10-09T04:00:00Z'), '2026-10-09')).toBe(0);
    expect(workingDaysLeft(NATIONAL_DAY, new Date('2026-10-12T04:00:00Z'), '2026-10-09')).toBe(-3);
  });
});
