/**
 * What a dispatch (派单) or a redo writes, computed without the database: the work orders with their
 * deadlines, the change of the case row, the timeline event and the notices. Shared by a dispatch of
 * an existing case (cases.service.ts) and the intake that dispatches at once (cases.intake.ts), so
 * both write exactly the same things.
 */
import { invalid } from '../../lib/errors.js';
import type { CalendarData } from '../../engine/workdays.js';
import type { UnitInfo } from './cases.config.js';
import { beijingTime, handlingDeadline, signDueAt } from './cases.deadlines.js';
import type { CaseActor, CaseEventInput } from './cases.events.js';
import type { MachineRole } from './cases.machine.js';
import type * as repo from './cases.repo.js';
import type { TDispatchInput } from './cases.schema.js';

/** A timeline actor that the state machine knows. */
export type MachineActor = CaseActor & { role: MachineRole };

export type DispatchPlan = {
  leadUnitId: number;
  assistUnitIds: number[];
  timeLimitDays: number;
  signHours: number;
  note: string;
};

/** Refuses an assisting department that is the lead, and one listed twice (no database needed). */
export function checkDispatchShape(input: TDispatchInput): void {
  const seen = new Set<number>();
  for (const [i, id] of input.assistUnitIds.entries()) {
    if (id === input.leadUnitId)
      throw invalid(`assistUnitIds.${i}`, '协办单位不能与主办单位相同', 'An assisting department cannot be the lead');
    if (seen.has(id)) throw invalid(`assistUnitIds.${i}`, '协办单位重复', 'An assisting department is listed twice');
    seen.add(id);
  }
}

/** Refuses unknown or inactive departments (`units`: those read, by id). */
export function checkDispatchActive(input: TDispatchInput, units: Map<number, UnitInfo>): void {
  const lead = units.get(input.leadUnitId);
  if (!lead || !lead.active)
    throw invalid('leadUnitId', '主办单位不存在或已停用', 'The lead department does not exist or is inactive');
  for (const [i, id] of input.assistUnitIds.entries()) {
    const u = units.get(id);
    if (!u || !u.active)
      throw invalid(
        `assistUnitIds.${i}`,
        '协办单位不存在或已停用',
        'An assisting department does not exist or is inactive',
      );
  }
}

/** Refuses unknown or inactive departments, an assisting department that is the lead, and repeats. */
export function checkDispatchUnits(input: TDispatchInput, units: Map<number, UnitInfo>): void {
  checkDispatchActive(input, units);
  checkDispatchShape(input);
}

/** The dispatch plan of an agent's choice: the category's time limit unless the agent set one. */
export function planOf(input: TDispatchInput, category: repo.CategoryRow): DispatchPlan {
  return {
    leadUnitId: input.leadUnitId,
    assistUnitIds: input.assistUnitIds,
    timeLimitDays: input.timeLimitDays ?? category.timeLimitDays,
    signHours: category.signHours,
    note: input.note,
  };
}

type Deadlines = { due: ReturnType<typeof handlingDeadline>; signDue: Date };

function deadlinesOf(cal: CalendarData, now: Date, plan: DispatchPlan, memo?: Map<string, Deadlines>): Deadlines {
  const key = `${plan.timeLimitDays}|${plan.signHours}`;
  const hit = memo?.get(key);
  if (hit) return hit;
  const d = { due: handlingDeadline(cal, now, plan.timeLimitDays), signDue: signDueAt(cal, now, plan.signHours) };
  memo?.set(key, d);
  return d;
}

export type DispatchDraft = {
  /** The work orders: the lead's first, then the assisting departments'. */
  orders: Omit<repo.NewDispatch, 'caseId'>[];
  /** The change of the case row (the lead's deadline is mirrored on the case). */
  patch: Partial<repo.NewCase>;
  /** The timeline event, without its work order id (known once the orders are written). */
  event: Omit<CaseEventInput, 'fromStatus' | 'toStatus' | 'dispatchId'>;
  notice: { unitIds: number[]; kind: 'dispatch' | 'redo'; text: string };
};

/** The work orders, case change, event and notices of a dispatch or redo of round `round`, at `now`. */
export function draftDispatch(input: {
  by: MachineActor;
  caseRow: Pick<repo.CaseRow, 'number'>;
  plan: DispatchPlan;
  cal: CalendarData;
  unitName: (id: number) => string;
  now: Date;
  round: number;
  action: 'dispatch' | 'review_redo';
  note?: string;
  payload?: Record<string, unknown>;
  /** Deadlines already worked out for this `now` and calendar, by time limit and sign-for hours (a batch of intakes shares them). */
  deadlines?: Map<string, Deadlines>;
}): DispatchDraft {
  const { by, plan, now, round, action } = input;
  const { due, signDue } = deadlinesOf(input.cal, now, plan, input.deadlines);
  const redo = action === 'review_redo';
  const orders = [plan.leadUnitId, ...plan.assistUnitIds].map((unitId, i) => ({
    unitId,
    role: i === 0 ? ('lead' as const) : ('assist' as const),
    round,
    kind: redo ? ('redo' as const) : ('dispatch' as const),
    status: 'pending' as const,
    timeLimitDays: plan.timeLimitDays,
    dispatchedAt: now,
    dispatchedBy: by.userId,
    signDue,
    deadline: due.deadline,
    dueSoonAt: due.dueSoonAt,
  }));
  const leadName = input.unitName(plan.leadUnitId);
  const assistNames = plan.assistUnitIds.map((u) => input.unitName(u)).join('、');
  const publicText = redo
    ? `经专业评价，已退回${leadName}重新办理，办理时限${plan.timeLimitDays}个工作日`
    : `已派发至${leadName}办理${assistNames ? `，${assistNames}协办` : ''}，办理时限${plan.timeLimitDays}个工作日`;
  const number = input.caseRow.number;
  return {
    orders,
    patch: {
      leadUnitId: plan.leadUnitId,
      timeLimitDays: plan.timeLimitDays,
      dispatchedAt: now,
      signDue,
      signedAt: null,
      deadline: due.deadline,
      dueSoonAt: due.dueSoonAt,
      reportedAt: null,
      verifiedAt: null,
    },
    event: {
      type: redo ? 'redo' : 'dispatched',
      unitId: plan.leadUnitId,
      note: input.note ?? plan.note,
      publicText,
      payload: {
        round,
        leadUnitId: plan.leadUnitId,
        assistUnitIds: plan.assistUnitIds,
        timeLimitDays: plan.timeLimitDays,
        deadlineDate: due.deadlineDate,
        signDue: signDue.toISOString(),
        ...input.payload,
      },
    },
    notice: {
      unitIds: [...new Set([plan.leadUnitId, ...plan.assistUnitIds])],
      kind: redo ? 'redo' : 'dispatch',
      text: redo
        ? `诉求 ${number} 经专业评价不合格，请重新办理（时限${plan.timeLimitDays}个工作日）`
        : `新派工单 ${number}：请在 ${beijingTime(signDue)} 前签收，${due.deadlineDate} 前办结`,
    },
  };
}
