import { describe, expect, it } from 'vitest';
import { EMPTY_CALENDAR, type CalendarData } from '../../engine/workdays.js';
import { taskLight, type LightInput } from './supervision.lights.js';
import { actionsIn, actorOf, needsReason, nextStatus, TASK_ACTIONS, type TaskAction } from './supervision.machine.js';
import { TASK_STATUSES, type TaskStatus } from './supervision.table.js';

/** The allowed transitions, written out independently of the machine's table. */
const ALLOWED: Record<string, TaskStatus> = {
  'proposed:accept': 'assigned',
  'proposed:merge': 'merged',
  'proposed:decline': 'declined',
  'assigned:sign': 'signed',
  'signed:submitPlan': 'plan_submitted',
  'plan_submitted:approvePlan': 'in_progress',
  'plan_submitted:returnPlan': 'signed',
  'in_progress:report': 'in_progress',
  'in_progress:applyCompletion': 'completion_applied',
  'completion_applied:rejectCompletion': 'in_progress',
  'completion_applied:review': 'completed',
};

describe('supervision task state machine', () => {
  for (const s of TASK_STATUSES) {
    for (const a of TASK_ACTIONS) {
      const want = ALLOWED[`${s}:${a}`] ?? null;
      it(`${s} --${a}--> ${want ?? 'refused'}`, () => {
        expect(nextStatus(s, a)).toBe(want);
      });
    }
  }
  it('terminal statuses allow nothing', () => {
    for (const s of ['declined', 'merged', 'completed'] as const) expect(actionsIn(s)).toEqual([]);
  });
  it('returns, declines, merges, rejections and ratings carry a reason; the others do not need one', () => {
    const withReason: TaskAction[] = ['merge', 'decline', 'returnPlan', 'rejectCompletion', 'review'];
    for (const a of TASK_ACTIONS) expect(needsReason(a)).toBe(withReason.includes(a));
  });
  it('the office decides 立项 and reviews; the lead unit signs, plans and applies; the leader approves plans; co-units report', () => {
    expect(actorOf('accept')).toBe('office');
    expect(actorOf('review')).toBe('office');
    expect(actorOf('sign')).toBe('lead');
    expect(actorOf('applyCompletion')).toBe('lead');
    expect(actorOf('approvePlan')).toBe('approver');
    expect(actorOf('returnPlan')).toBe('approver');
    expect(actorOf('report')).toBe('participant');
  });
});

/** National Day 2026 as the calendar table holds it: 1–7 October off, Saturday 10 October a make-up working day. */
const NATIONAL_DAY: CalendarData = {
  holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']),
  workdays: new Set(['2026-10-10']),
};

const base: LightInput = {
  status: 'in_progress',
  startDate: '2026-01-05',
  deadline: '2026-12-31',
  progress: 80,
  lastReportOn: '2026-09-29',
  reportsFrom: '2026-02-01',
  cadence: 'monthly',
  milestones: [],
};

describe('supervision task lights', () => {
  it('green on track', () => {
    expect(taskLight(base, '2026-09-30', NATIONAL_DAY)).toEqual({ light: 'green', reasons: [] });
  });
  it('no light for tasks not live', () => {
    for (const status of ['proposed', 'declined', 'merged', 'completed'] as const)
      expect(taskLight({ ...base, status }, '2026-09-30', NATIONAL_DAY)).toBeNull();
  });
  it('red when a milestone is overdue, the deadline passed, or a report is missing', () => {
    expect(
      taskLight({ ...base, milestones: [{ dueOn: '2026-09-29', doneOn: null }] }, '2026-09-30', NATIONAL_DAY)?.reasons,
    ).toEqual(['milestone_overdue']);
    expect(
      taskLight({ ...base, milestones: [{ dueOn: '2026-09-29', doneOn: '2026-09-28' }] }, '2026-09-30', NATIONAL_DAY)
        ?.light,
    ).toBe('green');
    expect(taskLight({ ...base, deadline: '2026-09-29', progress: 100 }, '2026-09-30', NATIONAL_DAY)?.reasons).toEqual([
      'deadline_overdue',
    ]);
    expect(
      taskLight({ ...base, cadence: 'weekly', lastReportOn: '2026-09-21' }, '2026-09-30', NATIONAL_DAY)?.reasons,
    ).toEqual(['report_missing']);
  });
  it('a milestone due on the day itself is not overdue yet (yellow)', () => {
    expect(
      taskLight({ ...base, milestones: [{ dueOn: '2026-09-30', doneOn: null }] }, '2026-09-30', NATIONAL_DAY),
    ).toEqual({ light: 'yellow', reasons: ['due_soon'] });
  });
  it('yellow when progress lags elapsed time by more than the margin', () => {
    expect(taskLight({ ...base, progress: 40 }, '2026-09-30', NATIONAL_DAY)).toEqual({
      light: 'yellow',
      reasons: ['progress_lag'],
    });
    expect(taskLight({ ...base, progress: 60 }, '2026-09-30', NATIONAL_DAY)?.light).toBe('green');
  });
  it('"within 3 working days" skips the National Day holiday: a deadline on 9 October seen on 30 September', () => {
    const t = { ...base, deadline: '2026-10-09', startDate: '2026-09-01', progress: 95 };
    // With the holiday only 8 and 9 October are working days after 30 September: due soon.
    expect(taskLight(t, '2026-09-30', NATIONAL_DAY)).toEqual({ light: 'yellow', reasons: ['due_soon'] });
    // Without the holiday the same deadline is 8 working days away: green.
    expect(taskLight(t, '2026-09-30', EMPTY_CALENDAR)?.light).toBe('green');
  });
  it('a weekly report is not missing across the holiday, but is on a calendar without it', () => {
    const t = { ...base, cadence: 'weekly' as const, lastReportOn: '2026-09-29' };
    expect(taskLight(t, '2026-10-09', NATIONAL_DAY)?.light).toBe('green');
    expect(taskLight(t, '2026-10-09', EMPTY_CALENDAR)?.reasons).toEqual(['report_missing']);
  });
  it('the make-up Saturday counts as a working day', () => {
    // Daily cadence allows 1 working day: 9 → 10 October (make-up Saturday) is one; 9 → 12 October is two.
    const t = { ...base, cadence: 'daily' as const, lastReportOn: '2026-10-09' };
    expect(taskLight(t, '2026-10-10', NATIONAL_DAY)?.light).toBe('green');
    expect(taskLight(t, '2026-10-12', NATIONAL_DAY)?.reasons).toEqual(['report_missing']);
  });
});
