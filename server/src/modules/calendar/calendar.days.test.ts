import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingHours,
  beijingDate,
  beijingMonth,
  beijingWallClock,
  beijingYear as yearOf,
  EMPTY_CALENDAR,
  isWorkingDay,
  workingDaysBetween,
  type CalendarData,
} from '../../engine/workdays.js';
import { beijingYear, calendarWarnings } from './calendar.service.js';

// The same data the seed loads into the table, straight from the package.
const raw = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};
const CAL: CalendarData = {
  holidays: new Set(Object.keys(raw.holidays)),
  workdays: new Set(Object.keys(raw.workdays)),
};

/** Beijing wall-clock time → instant. */
const bj = (s: string) => new Date(`${s}:00+08:00`);
const iso = (d: Date) => d.toISOString();

describe('isWorkingDay', () => {
  it('treats ordinary weekends as days off and weekdays as working days', () => {
    expect(isWorkingDay(CAL, '2025-11-15')).toBe(false); // Saturday
    expect(isWorkingDay(CAL, '2025-11-16')).toBe(false); // Sunday
    expect(isWorkingDay(CAL, '2025-11-17')).toBe(true); // Monday
    expect(isWorkingDay(EMPTY_CALENDAR, '2025-10-01')).toBe(true); // a Wednesday, without holiday data
  });

  it('knows National Day 2025 (10-01..10-08) is off, weekdays included', () => {
    for (const d of ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'])
      expect(isWorkingDay(CAL, d), d).toBe(false);
    expect(isWorkingDay(CAL, '2025-10-09')).toBe(true);
  });

  it('knows the make-up working days around National Day 2025 and Spring Festival 2026', () => {
    expect(isWorkingDay(CAL, '2025-09-28')).toBe(true); // Sunday, make-up
    expect(isWorkingDay(CAL, '2025-10-11')).toBe(true); // Saturday, make-up
    expect(isWorkingDay(CAL, '2026-02-14')).toBe(true); // Saturday, make-up before Spring Festival
    expect(isWorkingDay(CAL, '2026-02-16')).toBe(false); // Monday, Spring Festival
    expect(isWorkingDay(CAL, '2026-02-23')).toBe(false); // Monday, last day off
    expect(isWorkingDay(CAL, '2026-02-24')).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('returns the date itself for n = 0, even on a day off', () => {
    expect(addWorkingDays(CAL, '2025-10-01', 0)).toBe('2025-10-01');
    expect(addWorkingDays(CAL, '2025-11-15', 0)).toBe('2025-11-15');
  });

  it('skips weekends', () => {
    expect(addWorkingDays(CAL, '2025-11-14', 1)).toBe('2025-11-17'); // Fri → Mon
    expect(addWorkingDays(CAL, '2025-11-15', 1)).toBe('2025-11-17'); // Sat → Mon
    expect(addWorkingDays(CAL, '2025-11-17', 5)).toBe('2025-11-24');
  });

  it('skips National Day 2025 and counts the make-up Saturday', () => {
    // 09-30 (Tue) → 10-01..08 off → 10-09 (Thu) is the 1st, 10-10 (Fri) the 2nd, 10-11 (Sat, make-up) the 3rd.
    expect(addWorkingDays(CAL, '2025-09-30', 1)).toBe('2025-10-09');
    expect(addWorkingDays(CAL, '2025-09-30', 3)).toBe('2025-10-11');
    expect(addWorkingDays(CAL, '2025-09-30', 4)).toBe('2025-10-13');
    // 09-26 (Fri) → 09-28 (Sun, make-up) is the 1st working day, 09-29 the 2nd.
    expect(addWorkingDays(CAL, '2025-09-26', 1)).toBe('2025-09-28');
    expect(addWorkingDays(CAL, '2025-09-26', 2)).toBe('2025-09-29');
  });

  it('handles Spring Festival 2026 with its make-up Saturday 02-14', () => {
    expect(addWorkingDays(CAL, '2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays(CAL, '2026-02-13', 2)).toBe('2026-02-24');
    expect(addWorkingDays(CAL, '2026-02-14', 1)).toBe('2026-02-24');
  });

  it('crosses month and year boundaries', () => {
    expect(addWorkingDays(CAL, '2025-11-28', 1)).toBe('2025-12-01'); // Fri → Mon, new month
    // New Year 2026: 01-01..01-03 off, Sunday 01-04 is a make-up working day.
    expect(addWorkingDays(CAL, '2025-12-31', 1)).toBe('2026-01-04');
    expect(addWorkingDays(CAL, '2025-12-30', 3)).toBe('2026-01-05'); // 12-31, 01-04, 01-05
    expect(addWorkingDays(EMPTY_CALENDAR, '2025-12-31', 1)).toBe('2026-01-01');
    expect(addWorkingDays(EMPTY_CALENDAR, '2024-02-28', 1)).toBe('2024-02-29'); // leap day
  });
});

describe('workingDaysBetween', () => {
  it('counts working days in (from, to]', () => {
    expect(workingDaysBetween(CAL, '2025-11-17', '2025-11-24')).toBe(5);
    expect(workingDaysBetween(CAL, '2025-09-30', '2025-10-11')).toBe(3);
    expect(workingDaysBetween(CAL, '2026-02-13', '2026-02-24')).toBe(2);
  });

  it('is 0 for the same day or a reversed range', () => {
    expect(workingDaysBetween(CAL, '2025-11-17', '2025-11-17')).toBe(0);
    expect(workingDaysBetween(CAL, '2025-11-24', '2025-11-17')).toBe(0);
  });

  it('is the inverse of addWorkingDays', () => {
    for (const [from, n] of [
      ['2025-09-26', 7],
      ['2025-12-25', 10],
      ['2026-02-10', 4],
      ['2025-01-20', 15],
    ] as const) {
      expect(workingDaysBetween(CAL, from, addWorkingDays(CAL, from, n))).toBe(n);
    }
  });
});

describe('addWorkingHours (09:00–12:00, 13:30–17:30 Beijing)', () => {
  it('adds within the morning', () => {
    expect(iso(addWorkingHours(CAL, bj('2025-11-17T09:00'), 2))).toBe(iso(bj('2025-11-17T11:00')));
  });

  it('jumps the lunch break', () => {
    expect(iso(addWorkingHours(CAL, bj('2025-11-17T11:00'), 2))).toBe(iso(bj('2025-11-17T14:30')));
    // Starting during lunch counts from 13:30.
    expect(iso(addWorkingHours(CAL, bj('2025-11-17T12:30'), 1))).toBe(iso(bj('2025-11-17T14:30')));
  });

  it('continues the next working morning after the evening', () => {
    expect(iso(addWorkingHours(CAL, bj('2025-11-17T17:00'), 1))).toBe(iso(bj('2025-11-18T09:30')));
    expect(iso(addWorkingHours(CAL, bj('2025-11-17T20:00'), 2))).toBe(iso(bj('2025-11-18T11:00')));
    // Before opening, the clock starts at 09:00.
    expect(iso(addWorkingHours(CAL, bj('2025-11-18T06:00'), 0.5))).toBe(iso(bj('2025-11-18T09:30')));
  });

  it('skips the weekend', () => {
    expect(iso(addWorkingHours(CAL, bj('2025-11-14T17:00'), 2))).toBe(iso(bj('2025-11-17T10:30'))); // Fri → Mon
    expect(iso(addWorkingHours(CAL, bj('2025-11-15T10:00'), 1))).toBe(iso(bj('2025-11-17T10:00'))); // from Sat
  });

  it('skips a holiday and works on a make-up day', () => {
    // 09-30 (Tue) 17:00 + 1h → 30 min left after 17:30; 10-01..08 off → 10-09 09:30.
    expect(iso(addWorkingHours(CAL, bj('2025-09-30T17:00'), 1))).toBe(iso(bj('2025-10-09T09:30')));
    // Sat 09-27 is off, Sun 09-28 is a make-up working day.
    expect(iso(addWorkingHours(CAL, bj('2025-09-27T10:00'), 1))).toBe(iso(bj('2025-09-28T10:00')));
  });

  it('spans a full working day of 7 hours', () => {
    expect(iso(addWorkingHours(CAL, bj('2025-11-17T09:00'), 7))).toBe(iso(bj('2025-11-17T17:30')));
    expect(iso(addWorkingHours(CAL, bj('2025-11-17T09:00'), 8))).toBe(iso(bj('2025-11-18T10:00')));
  });

  it('returns the start itself for 0 hours within working time', () => {
    expect(iso(addWorkingHours(CAL, bj('2025-11-17T10:15'), 0))).toBe(iso(bj('2025-11-17T10:15')));
  });
});

describe('calendar warnings', () => {
  it('names the current and the coming Beijing year when they have no data', () => {
    const now = new Date('2026-12-31T16:30:00Z'); // already 2027-01-01 in Beijing
    expect(beijingYear(now)).toBe(2027);
    expect(calendarWarnings(new Set([2026]), 'zh', now).map((w) => w.year)).toEqual([2027, 2028]);
    expect(calendarWarnings(new Set([2027]), 'zh', now)[0]).toEqual({
      year: 2028,
      message: '2028 年尚无法定节假日数据，请录入国务院办公厅发布的放假安排',
    });
    expect(calendarWarnings(new Set([2027, 2028]), 'en', now)).toEqual([]);
  });
});

describe('Beijing time of an instant', () => {
  it('moves to the next day, month and year at 16:00 UTC', () => {
    const before = new Date('2026-12-31T15:59:59.999Z');
    const after = new Date('2026-12-31T16:00:00.000Z');
    expect([beijingDate(before), beijingMonth(before), yearOf(before)]).toEqual(['2026-12-31', '2026-12', 2026]);
    expect([beijingDate(after), beijingMonth(after), yearOf(after)]).toEqual(['2027-01-01', '2027-01', 2027]);
    expect(beijingWallClock(after)).toBe('2027-01-01T00:00:00.000');
  });
});
