/**
 * The application state machine and its clock (pure, working-day aware). An application is accepted
 * (受理), then its stages run in order; the steps of one stage run at once (并联) and the next stage waits
 * for all of them. A request for missing materials (补正) stops the application's clock and the asking
 * step's clock until the materials arrive; the paused working days push the due dates back. A refusal
 * at any step ends the review and goes to delivery with the reason; the last stage delivers (送达).
 */
import { addWorkingDays, workingDaysBetween, type CalendarData } from '../../engine/workdays.js';
import type { ApplicationStatus, Light, Phase, StepStatus } from './services.table.js';

export type MStep = {
  id: number;
  seq: number;
  phase: Phase;
  departmentId: number;
  days: number;
  status: StepStatus;
  decision: 'approve' | 'refuse' | null;
  reason: string | null;
  startedOn: string | null;
  dueOn: string | null;
  yellowOn: string | null;
  pausedSince: string | null;
  pausedDays: number;
};

export type MApp = {
  status: ApplicationStatus;
  stage: number;
  committedDays: number;
  acceptedOn: string | null;
  dueOn: string | null;
  yellowOn: string | null;
  pausedSince: string | null;
  pausedDays: number;
  result: 'approved' | 'refused' | null;
  reason: string | null;
  completedOn: string | null;
  daysUsed: number | null;
};

/** Thrown when an action does not fit the application's state (the service answers 409). */
export class StateError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

// Working-day arithmetic per calendar, memoised: the same few hundred dates come up again and again
// (the demo seed plays 30,000 applications; the monitor job recomputes every open one).
const memo = new WeakMap<CalendarData, Map<string, number | string>>();
function cached<T extends number | string>(cal: CalendarData, key: string, f: () => T): T {
  let m = memo.get(cal);
  if (!m) memo.set(cal, (m = new Map()));
  let v = m.get(key) as T | undefined;
  if (v === undefined) m.set(key, (v = f()));
  return v;
}
const addWd = (cal: CalendarData, from: string, n: number) =>
  cached(cal, `a${from}+${n}`, () => addWorkingDays(cal, from, n));
const wdBetween = (cal: CalendarData, from: string, to: string) =>
  cached(cal, `b${from}:${to}`, () => workingDaysBetween(cal, from, to));

/** Yellow once this share of the committed time is used. */
export const YELLOW_SHARE = 0.9;

/** The due date and the yellow date of a clock started on `startOn` with `days` working days and `paused` days stopped. */
export function clockDates(
  cal: CalendarData,
  startOn: string,
  days: number,
  paused: number,
): { dueOn: string; yellowOn: string | null } {
  return {
    dueOn: addWd(cal, startOn, days + paused),
    // 即办件 (0 days): no yellow, red from the next day.
    yellowOn: days === 0 ? null : addWd(cal, startOn, Math.ceil(days * YELLOW_SHARE) + paused),
  };
}

/** Working days used between start and end, less the paused days (never negative). */
export function daysUsed(cal: CalendarData, startOn: string, endOn: string, paused: number): number {
  return Math.max(0, wdBetween(cal, startOn, endOn) - paused);
}

/**
 * The light of a running clock on a date: red once the due date has passed, yellow from the yellow date
 * (90 % of the committed working days used), otherwise green. A stopped clock keeps the light of the day it stopped.
 */
export function clockLight(
  c: { dueOn: string | null; yellowOn: string | null; pausedSince: string | null },
  today: string,
): Light | null {
  if (!c.dueOn) return null;
  const on = c.pausedSince && c.pausedSince < today ? c.pausedSince : today;
  if (on > c.dueOn) return 'red';
  if (c.yellowOn && on >= c.yellowOn) return 'yellow';
  return 'green';
}

const OPEN_STEP: readonly StepStatus[] = ['pending', 'signed', 'correction'];
const RANK: Record<Light, number> = { green: 0, yellow: 1, red: 2 };

/** The application's light and its reasons: its own clock and every open step's clock, the worst wins. */
export function applicationLight(
  app: Pick<MApp, 'status' | 'dueOn' | 'yellowOn' | 'pausedSince'>,
  steps: readonly Pick<MStep, 'status' | 'dueOn' | 'yellowOn' | 'pausedSince'>[],
  today: string,
): { light: Light | null; reasons: string[] } {
  if (app.status !== 'in_progress' && app.status !== 'delivering') return { light: null, reasons: [] };
  const own = clockLight(app, today) ?? 'green';
  const reasons: string[] = [];
  if (own === 'red') reasons.push('overdue');
  if (own === 'yellow') reasons.push('near_due');
  let worst: Light = own;
  for (const s of steps) {
    if (!OPEN_STEP.includes(s.status)) continue;
    const l = clockLight(s, today);
    if (l === 'red' && !reasons.includes('step_overdue')) reasons.push('step_overdue');
    if (l === 'yellow' && !reasons.includes('step_near_due')) reasons.push('step_near_due');
    if (l && RANK[l] > RANK[worst]) worst = l;
  }
  return { light: worst, reasons };
}

function startStage(cal: CalendarData, app: MApp, steps: MStep[], seq: number, on: string): void {
  app.stage = seq;
  for (const s of steps.filter((x) => x.seq === seq)) {
    s.status = 'pending';
    s.startedOn = on;
    Object.assign(s, clockDates(cal, on, s.days, 0));
  }
  if (steps.some((s) => s.seq === seq && s.phase === 'deliver')) app.status = 'delivering';
}

function nextSeq(steps: readonly MStep[], after: number): number | null {
  const later = steps.filter((s) => s.seq > after && s.status === 'waiting').map((s) => s.seq);
  return later.length ? Math.min(...later) : null;
}

/** 受理: the clock starts; the acceptance step is done and the first stage after it starts. */
export function accept(cal: CalendarData, app: MApp, steps: MStep[], on: string): void {
  if (app.status !== 'submitted')
    throw new StateError('该办件不在待受理状态', 'The application is not awaiting acceptance');
  if (steps.some((s) => s.status === 'correction') || app.pausedSince)
    throw new StateError('补正材料尚未补齐，不能受理', 'Missing materials have not arrived yet');
  app.status = 'in_progress';
  app.acceptedOn = on;
  Object.assign(app, clockDates(cal, on, app.committedDays, 0));
  const first = Math.min(...steps.map((s) => s.seq));
  for (const s of steps.filter((x) => x.seq === first)) {
    s.status = 'done';
    s.decision = 'approve';
    s.startedOn = on;
    s.dueOn = on;
  }
  const next = nextSeq(steps, first);
  if (next === null) throw new StateError('事项没有审批环节', 'The item has no steps');
  startStage(cal, app, steps, next, on);
}

/** Refuses acceptance (不予受理) with its reason; nothing starts. */
export function refuseAcceptance(app: MApp, steps: MStep[], reason: string, on: string): void {
  if (app.status !== 'submitted')
    throw new StateError('该办件不在待受理状态', 'The application is not awaiting acceptance');
  app.status = 'not_accepted';
  app.result = 'refused';
  app.reason = reason;
  app.completedOn = on;
  for (const s of steps) s.status = 'cancelled';
}

/** A department signs for its open step (签收). */
export function sign(step: MStep): void {
  if (step.status !== 'pending')
    throw new StateError('该环节不在待签收状态', 'The step is not waiting to be signed for');
  step.status = 'signed';
}

/**
 * 补正: the step (or, before acceptance, the window) asks for missing materials. After acceptance the
 * application's clock and the step's clock stop until the materials arrive.
 */
export function requestCorrection(app: MApp, step: MStep | null, on: string): void {
  if (step === null) {
    if (app.status !== 'submitted')
      throw new StateError('受理后的补正请由审批环节提出', 'After acceptance a step asks for missing materials');
    app.pausedSince ??= on;
    return;
  }
  if (step.status !== 'signed' && step.status !== 'pending')
    throw new StateError('该环节不在办理中', 'The step is not open');
  step.status = 'correction';
  step.pausedSince = on;
  app.pausedSince ??= on;
}

/** The materials arrived: every open correction closes and the stopped clocks run again, their due dates pushed back. */
export function supplement(cal: CalendarData, app: MApp, steps: MStep[], on: string): { pausedDays: number } {
  if (!app.pausedSince) throw new StateError('该办件没有待补正的材料', 'Nothing is waiting for materials');
  const p = wdBetween(cal, app.pausedSince, on);
  app.pausedSince = null;
  if (app.acceptedOn) {
    app.pausedDays += p;
    Object.assign(app, clockDates(cal, app.acceptedOn, app.committedDays, app.pausedDays));
  }
  for (const s of steps) {
    if (s.status !== 'correction' || !s.pausedSince) continue;
    s.pausedDays += wdBetween(cal, s.pausedSince, on);
    s.pausedSince = null;
    s.status = 'signed';
    Object.assign(s, clockDates(cal, s.startedOn!, s.days, s.pausedDays));
  }
  return { pausedDays: app.acceptedOn ? p : 0 };
}

/**
 * A department decides its signed step. A refusal (reason required) ends the review: the other open
 * steps are cancelled and the application goes to delivery refused. When the stage's last step is
 * approved the next stage starts; reaching the delivery stage the application is approved.
 */
export function decide(
  cal: CalendarData,
  app: MApp,
  steps: MStep[],
  step: MStep,
  decision: 'approve' | 'refuse',
  reason: string | null,
  on: string,
): void {
  if (app.status !== 'in_progress') throw new StateError('该办件不在审批中', 'The application is not under review');
  if (step.status !== 'signed') throw new StateError('请先签收该环节', 'Sign for the step first');
  if (step.seq !== app.stage) throw new StateError('该环节尚未开始', 'The step has not started');
  if (decision === 'refuse' && !reason?.trim())
    throw new StateError('不予许可必须说明理由', 'A refusal needs its reason');
  step.status = 'done';
  step.decision = decision;
  step.reason = reason;
  if (decision === 'refuse') {
    for (const s of steps)
      if (s !== step && s.phase !== 'deliver' && (s.status === 'waiting' || OPEN_STEP.includes(s.status)))
        s.status = 'cancelled';
    app.result = 'refused';
    app.reason = reason;
    // A refusal while materials are awaited elsewhere ends the wait too.
    if (app.pausedSince) {
      app.pausedDays += wdBetween(cal, app.pausedSince, on);
      app.pausedSince = null;
    }
    const deliver = steps.find((s) => s.phase === 'deliver' && s.status === 'waiting');
    if (deliver) startStage(cal, app, steps, deliver.seq, on);
    return;
  }
  if (steps.some((s) => s.seq === step.seq && s.status !== 'done' && s.status !== 'cancelled')) return;
  const next = nextSeq(steps, step.seq);
  if (next === null) return;
  if (steps.some((s) => s.seq === next && s.phase === 'deliver')) app.result = 'approved';
  startStage(cal, app, steps, next, on);
}

/** 送达: the result is delivered and the application is complete; its working days used are fixed. */
export function deliver(cal: CalendarData, app: MApp, steps: MStep[], on: string): void {
  if (app.status !== 'delivering') throw new StateError('该办件尚未作出决定', 'The application has not been decided');
  for (const s of steps) if (s.phase === 'deliver' && OPEN_STEP.includes(s.status)) s.status = 'done';
  app.status = 'completed';
  app.completedOn = on;
  app.daysUsed = daysUsed(cal, app.acceptedOn!, on, app.pausedDays);
}

/** Whether a completed application was early / on time / overdue against its committed days. */
export function timeliness(used: number, committed: number): 'early' | 'on_time' | 'overdue' {
  if (used > committed) return 'overdue';
  return used < committed ? 'early' : 'on_time';
}
