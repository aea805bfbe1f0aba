import { describe, expect, it } from 'vitest';
import { addWorkingDays, type CalendarData } from '../../engine/workdays.js';
import * as m from './services.machine.js';
import { evaluationScore } from './services.figures.js';

// National Day 2026: 1–7 October off (Thu 1 Oct … Wed 7 Oct), Sat 10 October a make-up working day.
const CAL: CalendarData = {
  holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']),
  workdays: new Set(['2026-10-10']),
};

function parallelApp(committed = 6): { app: m.MApp; steps: m.MStep[] } {
  const app: m.MApp = {
    status: 'submitted',
    stage: 0,
    committedDays: committed,
    acceptedOn: null,
    dueOn: null,
    yellowOn: null,
    pausedSince: null,
    pausedDays: 0,
    result: null,
    reason: null,
    completedOn: null,
    daysUsed: null,
  };
  const step = (id: number, seq: number, phase: m.MStep['phase'], departmentId: number, days: number): m.MStep => ({
    id,
    seq,
    phase,
    departmentId,
    days,
    status: seq === 1 ? 'pending' : 'waiting',
    decision: null,
    reason: null,
    startedOn: null,
    dueOn: null,
    yellowOn: null,
    pausedSince: null,
    pausedDays: 0,
  });
  return {
    app,
    steps: [
      step(1, 1, 'accept', 9, 0),
      step(2, 2, 'review', 10, 3),
      step(3, 2, 'review', 11, 3),
      step(4, 3, 'decide', 10, 2),
      step(5, 4, 'deliver', 9, 1),
    ],
  };
}

describe('working-day time limits across National Day 2026', () => {
  it('counts the make-up Saturday and skips the holidays', () => {
    // Accepted Wed 30 Sep, 3 working days: Fri 9 Oct? No: Thu 8, Fri 9, Sat 10 (make-up) → 10 Oct.
    expect(addWorkingDays(CAL, '2026-09-30', 3)).toBe('2026-10-10');
    const d = m.clockDates(CAL, '2026-09-30', 10, 0);
    // 8, 9, 10, 12, 13, 14, 15, 16, 19, 20 October.
    expect(d.dueOn).toBe('2026-10-20');
    // 90 % of 10 = 9 working days → 19 October.
    expect(d.yellowOn).toBe('2026-10-19');
    expect(m.daysUsed(CAL, '2026-09-30', '2026-10-12', 0)).toBe(4);
  });

  it('gives a 即办件 no yellow and a due date of the same day', () => {
    expect(m.clockDates(CAL, '2026-09-30', 0, 0)).toEqual({ dueOn: '2026-09-30', yellowOn: null });
    expect(m.clockLight({ dueOn: '2026-09-30', yellowOn: null, pausedSince: null }, '2026-09-30')).toBe('green');
    expect(m.clockLight({ dueOn: '2026-09-30', yellowOn: null, pausedSince: null }, '2026-10-08')).toBe('red');
  });
});

describe('lights', () => {
  const c = { dueOn: '2026-03-20', yellowOn: '2026-03-19', pausedSince: null };
  it('is green before 90 %, yellow from 90 %, red after the due date', () => {
    expect(m.clockLight(c, '2026-03-18')).toBe('green');
    expect(m.clockLight(c, '2026-03-19')).toBe('yellow');
    expect(m.clockLight(c, '2026-03-20')).toBe('yellow');
    expect(m.clockLight(c, '2026-03-21')).toBe('red');
  });
  it('keeps the light of the day a stopped clock stopped', () => {
    expect(m.clockLight({ ...c, pausedSince: '2026-03-10' }, '2026-04-30')).toBe('green');
  });
  it('takes the worst of the application and its open steps, with reasons', () => {
    const app = { status: 'in_progress' as const, dueOn: '2026-03-30', yellowOn: '2026-03-27', pausedSince: null };
    const late = { status: 'signed' as const, dueOn: '2026-03-10', yellowOn: '2026-03-09', pausedSince: null };
    const done = { ...late, status: 'done' as const, dueOn: '2026-03-01' };
    expect(m.applicationLight(app, [late], '2026-03-12')).toEqual({ light: 'red', reasons: ['step_overdue'] });
    expect(m.applicationLight(app, [done], '2026-03-12')).toEqual({ light: 'green', reasons: [] });
    expect(m.applicationLight(app, [done], '2026-03-27')).toEqual({ light: 'yellow', reasons: ['near_due'] });
    expect(m.applicationLight({ ...app, status: 'completed' }, [late], '2026-03-12').light).toBeNull();
  });
});

describe('the application state machine', () => {
  it('runs parallel steps at once, waits for all, stops the clock for 补正 and pushes the due dates back', () => {
    const { app, steps } = parallelApp();
    m.accept(CAL, app, steps, '2026-09-28'); // Monday
    expect(app.status).toBe('in_progress');
    // 6 working days from Mon 28 Sep: 29, 30 Sep, 8, 9, 10 (make-up), 12 Oct.
    expect(app.dueOn).toBe('2026-10-12');
    expect(steps.map((s) => s.status)).toEqual(['done', 'pending', 'pending', 'waiting', 'waiting']);
    m.sign(steps[1]);
    m.sign(steps[2]);
    // Department 11 asks for materials on Tue 29 Sep; department 10 approves meanwhile.
    m.requestCorrection(app, steps[2], '2026-09-29');
    m.decide(CAL, app, steps, steps[1], 'approve', null, '2026-09-30');
    expect(app.stage).toBe(2); // waits for the other parallel step
    expect(steps[3].status).toBe('waiting');
    // The light stays as it was when the clock stopped, however long the wait.
    expect(m.applicationLight(app, steps, '2026-11-30').light).toBe('green');
    // Materials arrive Fri 9 Oct: 30 Sep, 8 and 9 Oct are 3 working days stopped.
    expect(m.supplement(CAL, app, steps, '2026-10-09')).toEqual({ pausedDays: 3 });
    expect(app.pausedDays).toBe(3);
    expect(app.dueOn).toBe(addWorkingDays(CAL, '2026-09-28', 9));
    expect(steps[2].status).toBe('signed');
    expect(steps[2].dueOn).toBe(addWorkingDays(CAL, '2026-09-28', 6));
    m.decide(CAL, app, steps, steps[2], 'approve', null, '2026-10-10');
    expect(app.stage).toBe(3);
    expect(steps[3].status).toBe('pending');
    expect(steps[3].startedOn).toBe('2026-10-10');
    m.sign(steps[3]);
    m.decide(CAL, app, steps, steps[3], 'approve', null, '2026-10-12');
    expect(app.status).toBe('delivering');
    expect(app.result).toBe('approved');
    m.deliver(CAL, app, steps, '2026-10-13');
    expect(app.status).toBe('completed');
    // Used: working days 29 Sep … 13 Oct = 7, less 3 stopped = 4.
    expect(app.daysUsed).toBe(4);
    expect(m.timeliness(app.daysUsed!, app.committedDays)).toBe('early');
  });

  it('ends the review on a refusal (reason required) and cancels the parallel step', () => {
    const { app, steps } = parallelApp();
    m.accept(CAL, app, steps, '2026-03-02');
    m.sign(steps[1]);
    expect(() => m.decide(CAL, app, steps, steps[1], 'refuse', '  ', '2026-03-03')).toThrow(m.StateError);
    m.decide(CAL, app, steps, steps[1], 'refuse', '消防条件不达标', '2026-03-03');
    expect(steps[2].status).toBe('cancelled');
    expect(steps[3].status).toBe('cancelled');
    expect(app.status).toBe('delivering');
    expect(app.result).toBe('refused');
    expect(app.reason).toBe('消防条件不达标');
  });

  it('refuses actions out of order', () => {
    const { app, steps } = parallelApp();
    expect(() => m.decide(CAL, app, steps, steps[1], 'approve', null, '2026-03-02')).toThrow(m.StateError);
    m.accept(CAL, app, steps, '2026-03-02');
    expect(() => m.accept(CAL, app, steps, '2026-03-02')).toThrow(m.StateError);
    // Not signed for yet.
    expect(() => m.decide(CAL, app, steps, steps[1], 'approve', null, '2026-03-02')).toThrow(m.StateError);
    // A later stage's step cannot be decided.
    steps[3].status = 'signed';
    expect(() => m.decide(CAL, app, steps, steps[3], 'approve', null, '2026-03-02')).toThrow(m.StateError);
    expect(() => m.deliver(CAL, app, steps, '2026-03-02')).toThrow(m.StateError);
    expect(() => m.supplement(CAL, app, steps, '2026-03-02')).toThrow(m.StateError);
  });

  it('does not accept while materials asked for at the window are missing', () => {
    const { app, steps } = parallelApp();
    m.requestCorrection(app, null, '2026-03-02');
    expect(() => m.accept(CAL, app, steps, '2026-03-02')).toThrow(m.StateError);
    expect(m.supplement(CAL, app, steps, '2026-03-04')).toEqual({ pausedDays: 0 });
    m.accept(CAL, app, steps, '2026-03-04');
    expect(app.pausedDays).toBe(0);
  });

  it('classes completion as early, on time or overdue', () => {
    expect(m.timeliness(3, 5)).toBe('early');
    expect(m.timeliness(5, 5)).toBe('on_time');
    expect(m.timeliness(0, 0)).toBe('on_time');
    expect(m.timeliness(6, 5)).toBe('overdue');
  });
});

describe('quarterly 电子监察 evaluation', () => {
  it('grades by on-time and early rates less complaints', () => {
    const base = { completed: 100, early: 80, onTime: 100, overdue: 0, applications: 100, complaints: 0 };
    expect(evaluationScore(base)).toEqual({ score: 97, grade: 'excellent' });
    expect(evaluationScore({ ...base, onTime: 80, overdue: 20, early: 40 })!.grade).toBe('good');
    expect(evaluationScore({ ...base, onTime: 60, overdue: 40, early: 10, complaints: 5 })!.grade).toBe('fail');
    expect(evaluationScore({ ...base, completed: 0 })).toBeNull();
  });
});
