import { describe, expect, it } from 'vitest';
import type { CalendarData } from '../../engine/workdays.js';
import {
  beijingDate,
  dueState,
  endOfBeijingDay,
  extendDeadline,
  finishedLate,
  handlingDeadline,
  previousWorkingDay,
  signDueAt,
  startOfBeijingDay,
  workingDaysLeft,
} from './cases.deadlines.js';

// Hand-built calendar: National Day 2025 (10-01..10-08 off; Sun 09-28 and Sat 10-11 make-up days)
// and Spring Festival 2026 (02-15..02-23 off; Sat 02-14 and Sat 02-28 make-up days).
const CAL: CalendarData = {
  holidays: new Set([
    '2025-10-01',
    '2025-10-02',
    '2025-10-03',
    '2025-10-06',
    '2025-10-07',
    '2025-10-08',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-23',
  ]),
  workdays: new Set(['2025-09-28', '2025-10-11', '2026-02-14', '2026-02-28']),
};

/** Beijing wall-clock time → instant. */
const bj = (s: string) => new Date(`${s}+08:00`);

describe('Beijing dates', () => {
  it('uses the Beijing calendar date, not UTC', () => {
    expect(beijingDate(new Date('2026-11-22T16:30:00Z'))).toBe('2026-11-23'); // 00:30 Beijing
    expect(beijingDate(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
    expect(startOfBeijingDay('2026-11-23').toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(endOfBeijingDay('2026-11-23').toISOString()).toBe('2026-11-23T15:59:59.999Z');
  });
});

describe('handling deadline in working days', () => {
  it('counts from the day after the dispatch, skipping weekends', () => {
    const d = handlingDeadline(CAL, bj('2026-11-20T10:00:00'), 3); // Friday
    expect(d.deadlineDate).toBe('2026-11-25'); // Mon, Tue, Wed
    expect(d.deadline.toISOString()).toBe(endOfBeijingDay('2026-11-25').toISOString());
    expect(d.dueSoonAt.toISOString()).toBe(startOfBeijingDay('2026-11-24').toISOString());
  });

  it('skips National Day and counts the make-up Saturday', () => {
    expect(handlingDeadline(CAL, bj('2025-09-30T16:00:00'), 1).deadlineDate).toBe('2025-10-09');
    expect(handlingDeadline(CAL, bj('2025-09-30T16:00:00'), 3).deadlineDate).toBe('2025-10-11'); // Saturday make-up day
    expect(handlingDeadline(CAL, bj('2025-09-30T16:00:00'), 5).deadlineDate).toBe('2025-10-14');
    // Dispatched late on Friday 09-26: the make-up Sunday 09-28 is the first working day.
    expect(handlingDeadline(CAL, bj('2025-09-26T23:30:00'), 1).deadlineDate).toBe('2025-09-28');
  });

  it('dispatch on a holiday counts from the next working day', () => {
    expect(handlingDeadline(CAL, bj('2025-10-03T09:00:00'), 2).deadlineDate).toBe('2025-10-10');
  });

  it('skips Spring Festival 2026', () => {
    const d = handlingDeadline(CAL, bj('2026-02-13T11:00:00'), 5);
    // 02-14 (make-up Sat), 02-24, 02-25, 02-26, 02-27
    expect(d.deadlineDate).toBe('2026-02-27');
    // Due soon from the start of the previous working day (02-26).
    expect(d.dueSoonAt.toISOString()).toBe(startOfBeijingDay('2026-02-26').toISOString());
  });

  it('due soon starts on the working day before the deadline, across a holiday', () => {
    const d = handlingDeadline(CAL, bj('2025-09-29T09:00:00'), 2); // 09-30, 10-09
    expect(d.deadlineDate).toBe('2025-10-09');
    expect(previousWorkingDay(CAL, '2025-10-09')).toBe('2025-09-30');
    expect(d.dueSoonAt.toISOString()).toBe(startOfBeijingDay('2025-09-30').toISOString());
  });

  it('extends from the old deadline date', () => {
    expect(extendDeadline(CAL, '2025-09-30', 2).deadlineDate).toBe('2025-10-10');
    expect(extendDeadline(CAL, '2026-02-13', 1).deadlineDate).toBe('2026-02-14');
  });
});

describe('sign-for limit in working hours', () => {
  it('adds working hours within the day', () => {
    expect(signDueAt(CAL, bj('2026-11-23T09:00:00'), 2).toISOString()).toBe(bj('2026-11-23T11:00:00').toISOString());
  });
  it('skips the night and the weekend, then lunch', () => {
    // Friday 16:30–17:30 is 1 h; Monday 09:00–12:00 gives 3 more.
    expect(signDueAt(CAL, bj('2026-11-20T16:30:00'), 4).toISOString()).toBe(bj('2026-11-23T12:00:00').toISOString());
    expect(signDueAt(CAL, bj('2026-11-20T16:30:00'), 5).toISOString()).toBe(bj('2026-11-23T14:30:00').toISOString());
  });
  it('skips National Day to the next working morning', () => {
    expect(signDueAt(CAL, bj('2025-09-30T17:00:00'), 2).toISOString()).toBe(bj('2025-10-09T10:30:00').toISOString());
  });
  it('a request on a holiday starts counting on the next working day', () => {
    expect(signDueAt(CAL, bj('2026-02-18T10:00:00'), 1).toISOString()).toBe(bj('2026-02-24T10:00:00').toISOString());
  });
});

describe('warning states', () => {
  const d = handlingDeadline(CAL, bj('2026-11-20T10:00:00'), 3); // deadline 11-25, due soon from 11-24
  it('ok, due soon, overdue, done', () => {
    expect(
      dueState({ deadline: d.deadline, dueSoonAt: d.dueSoonAt, doneAt: null, now: bj('2026-11-23T12:00:00') }),
    ).toBe('ok');
    expect(
      dueState({ deadline: d.deadline, dueSoonAt: d.dueSoonAt, doneAt: null, now: bj('2026-11-24T00:00:00') }),
    ).toBe('due_soon');
    expect(
      dueState({ deadline: d.deadline, dueSoonAt: d.dueSoonAt, doneAt: null, now: bj('2026-11-25T23:59:00') }),
    ).toBe('due_soon');
    expect(
      dueState({ deadline: d.deadline, dueSoonAt: d.dueSoonAt, doneAt: null, now: bj('2026-11-26T00:00:01') }),
    ).toBe('overdue');
    expect(
      dueState({
        deadline: d.deadline,
        dueSoonAt: d.dueSoonAt,
        doneAt: bj('2026-11-30T10:00:00'),
        now: bj('2026-12-01T10:00:00'),
      }),
    ).toBe('done');
    expect(dueState({ deadline: null, dueSoonAt: null, doneAt: null, now: new Date() })).toBeNull();
  });
  it('working days left, negative when late', () => {
    expect(workingDaysLeft(CAL, bj('2026-11-20T10:00:00'), '2026-11-25')).toBe(3);
    expect(workingDaysLeft(CAL, bj('2026-11-25T10:00:00'), '2026-11-25')).toBe(0);
    expect(workingDaysLeft(CAL, bj('2026-11-27T10:00:00'), '2026-11-25')).toBe(-2);
    expect(workingDaysLeft(CAL, bj('2025-09-30T10:00:00'), '2025-10-09')).toBe(1);
  });
  it('late finishing', () => {
    expect(finishedLate(d.deadline, bj('2026-11-26T09:00:00'))).toBe(true);
    expect(finishedLate(d.deadline, bj('2026-11-25T17:00:00'))).toBe(false);
    expect(finishedLate(null, new Date())).toBe(false);
  });
});
