/**
 * 12345 cases: level 2 after handling — extension decisions, verification, closing, feedback and review.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid } from '../../lib/errors.js';
import { loadCalendar } from '../calendar/index.js';
import { beijingDate, extendDeadline } from './cases.deadlines.js';
import { type DispatchPlan, type MachineActor } from './cases.dispatching.js';
import { isProfessionalReviewer, recordCaseEvent, type CaseActor } from './cases.events.js';
import { ACTIVE_DISPATCH_STATUSES } from './cases.machine.js';
import { mustTransition, reviewRole } from './cases.policy.js';
import { RATING_LABELS } from './cases.present.js';
import * as repo from './cases.repo.js';
import type { TCaseDetail } from './cases.schema.js';
import { enqueueSms } from '../../platform/sms/index.js';
import type { Rating } from './cases.table.js';
import { changeCase, directory, lockedCase, moveDispatch, notify, staffActor, viewer } from './cases.shared.js';
import { applyDispatch, getCase } from './cases.reading.js';

// ---------- level 2: extension decisions, verification, feedback, review ----------

/** Approves (with the requested or other days) or refuses a pending extension request. */
export async function decideExtension(
  ctx: Ctx,
  id: number,
  input: { approve: boolean; days?: number; note: string; dispatchId?: number },
): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  const [cal, dir] = await Promise.all([loadCalendar(ctx.db), directory(ctx.db)]);
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    mustTransition(c.status, 'decide_extension', 'agent');
    const pending = (await repo.listDispatches(tx, id)).filter(
      (d) => d.extRequestedAt && ACTIVE_DISPATCH_STATUSES.includes(d.status),
    );
    let d: repo.DispatchRow | undefined;
    if (input.dispatchId !== undefined) {
      d = pending.find((x) => x.id === input.dispatchId);
      if (!d)
        throw invalid('dispatchId', '该工单没有待审批的延期申请', 'That work order has no pending extension request');
    } else if (pending.length === 1) {
      d = pending[0];
    } else if (!pending.length) {
      throw new AppError('INVALID_STATE', { zh: '没有待审批的延期申请', en: 'There is no pending extension request' });
    } else {
      throw invalid('dispatchId', '有多个延期申请，请指定工单', 'Several requests are pending; name the work order');
    }
    const unitName = dir.unitName(d.unitId) ?? '';
    const clear = { extRequestedDays: null, extReason: null, extRequestedAt: null };
    if (!input.approve) {
      await repo.updateDispatch(tx, d.id, clear);
      await recordCaseEvent(tx, by, c, {
        type: 'extension_refused',
        unitId: d.unitId,
        dispatchId: d.id,
        note: input.note,
        payload: { requestedDays: d.extRequestedDays },
      });
      await notify(
        tx,
        by,
        c.id,
        [d.unitId],
        'extension',
        `诉求 ${c.number} 的延期申请未获批准${input.note ? `：${input.note}` : ''}`,
      );
      return;
    }
    const days = input.days ?? d.extRequestedDays ?? 1;
    const due = extendDeadline(cal, beijingDate(d.deadline), days);
    await repo.updateDispatch(tx, d.id, {
      ...clear,
      deadline: due.deadline,
      dueSoonAt: due.dueSoonAt,
      extensionCount: d.extensionCount + 1,
      extensionDays: d.extensionDays + days,
    });
    const updated =
      d.role === 'lead'
        ? await repo.updateCase(tx, c.id, {
            deadline: due.deadline,
            dueSoonAt: due.dueSoonAt,
            extensionCount: c.extensionCount + 1,
          })
        : await repo.updateCase(tx, c.id, { extensionCount: c.extensionCount + 1 });
    await recordCaseEvent(tx, by, updated, {
      type: 'extension_approved',
      unitId: d.unitId,
      dispatchId: d.id,
      note: input.note,
      publicText:
        d.role === 'lead' ? `${unitName}申请延期，经审核办理时限延长${days}个工作日，至${due.deadlineDate}` : '',
      payload: { days, requestedDays: d.extRequestedDays, deadlineDate: due.deadlineDate, role: d.role },
    });
    await notify(
      tx,
      by,
      c.id,
      [d.unitId],
      'extension',
      `诉求 ${c.number} 延期${days}个工作日已批准，新时限 ${due.deadlineDate}`,
    );
  });
  return getCase(ctx, id);
}

/** Tells the requesters of cases merged into this one that it is done (SMS and their timeline). */
async function notifyMerged(tx: Db, by: CaseActor, main: repo.CaseRow, result: string): Promise<void> {
  for (const m of await repo.mergedInto(tx, main.id)) {
    await recordCaseEvent(tx, by, m, {
      type: 'main_completed',
      publicText: `合并办理的主办件${main.number}已办结。办理结果：${result}`,
      payload: { mainCaseId: main.id },
    });
    if (m.requesterPhone)
      await enqueueSms(tx, {
        caseId: m.id,
        phone: m.requesterPhone,
        template: 'completion',
        params: { number: m.number, result: clip(result, 60) },
      });
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

async function closeEscalations(tx: Db, caseId: number): Promise<void> {
  const open = await repo.openEscalation(tx, caseId);
  if (open) await repo.updateEscalation(tx, open.id, { status: 'closed', endedAt: new Date() });
}

/**
 * 核查: ok → the requester is told (completion + feedback request SMS), open assisting orders end;
 * a redone case closes here (the review already heard the requester). Not ok → back to the lead.
 */
export async function verifyCase(ctx: Ctx, id: number, input: { ok: boolean; note: string }): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  if (!input.ok && input.note.length < 2)
    throw invalid('note', '请填写核查不通过的原因', 'Say why the result is not accepted');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    const now = new Date();
    const dispatches = await repo.listDispatches(tx, id);
    const lead = dispatches.filter((d) => d.role === 'lead').sort((a, b) => b.round - a.round || b.id - a.id)[0];
    if (!input.ok) {
      mustTransition(c.status, 'verify_fail', 'agent');
      if (lead && lead.status === 'reported') {
        await repo.updateDispatch(tx, lead.id, {
          status: moveDispatch(lead, 'reopen'),
          reportedAt: null,
          endedAt: null,
        });
      }
      await changeCase(
        tx,
        by,
        c,
        'verify_fail',
        { reportedAt: null },
        {
          type: 'verify_failed',
          unitId: lead?.unitId ?? null,
          dispatchId: lead?.id ?? null,
          note: input.note,
          publicText: '核查未通过，已退回承办单位继续办理',
        },
      );
      if (lead) await notify(tx, by, c.id, [lead.unitId], 'verify_fail', `诉求 ${c.number} 核查未通过：${input.note}`);
      return;
    }
    mustTransition(c.status, 'verify_ok', 'agent');
    for (const d of dispatches) {
      if (ACTIVE_DISPATCH_STATUSES.includes(d.status))
        await repo.updateDispatch(tx, d.id, { status: moveDispatch(d, 'cancel'), endedAt: now });
    }
    const redone = c.redoCount > 0;
    let updated = await changeCase(
      tx,
      by,
      c,
      'verify_ok',
      { verifiedAt: now },
      {
        type: 'verified',
        unitId: lead?.unitId ?? null,
        dispatchId: lead?.id ?? null,
        note: input.note,
        publicText: `办理结果已核查：${c.result}`,
      },
    );
    if (c.requesterPhone) {
      await enqueueSms(tx, {
        caseId: c.id,
        phone: c.requesterPhone,
        template: 'completion',
        params: { number: c.number, result: clip(c.result, 60) },
      });
      if (!redone)
        await enqueueSms(tx, {
          caseId: c.id,
          phone: c.requesterPhone,
          template: 'feedback_request',
          params: { number: c.number },
        });
    }
    await notifyMerged(tx, by, updated, c.result);
    if (redone) {
      updated = await changeCase(
        tx,
        by,
        updated,
        'close',
        { closedAt: now },
        { type: 'closed', note: '重办件核查通过，办结', publicText: '办件已办结' },
      );
      await closeEscalations(tx, c.id);
    }
  });
  return getCase(ctx, id);
}

/** Closes a verified case without feedback (requester unreachable, anonymous without a phone …). */
export async function closeCase(ctx: Ctx, id: number, note: string): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    await changeCase(tx, by, c, 'close', { closedAt: new Date() }, { type: 'closed', note, publicText: '办件已办结' });
    await closeEscalations(tx, c.id);
  });
  return getCase(ctx, id);
}

/** Records the requester's rating: satisfied/basic closes the case, unsatisfied sends it to professional review. */
export async function applyFeedback(
  tx: Db,
  by: MachineActor,
  c: repo.CaseRow,
  rating: Rating,
  comment: string,
): Promise<repo.CaseRow> {
  const now = new Date();
  const fields = {
    feedbackRating: rating,
    feedbackComment: comment,
    feedbackBy: by.role === 'citizen' ? ('citizen' as const) : ('agent' as const),
    feedbackAt: now,
  };
  const publicText = `评价：${RATING_LABELS[rating]}${comment ? `（${clip(comment, 100)}）` : ''}`;
  if (rating === 'unsatisfied') {
    return changeCase(tx, by, c, 'rate_unsatisfied', fields, {
      type: 'feedback',
      note: comment,
      publicText: `${publicText}，转专业评价`,
      payload: { rating },
    });
  }
  const updated = await changeCase(
    tx,
    by,
    c,
    'rate_ok',
    { ...fields, closedAt: now },
    { type: 'feedback', note: comment, publicText: `${publicText}，办件已办结`, payload: { rating } },
  );
  await closeEscalations(tx, c.id);
  return updated;
}

/** The agent records the callback (回访) rating. */
export async function recordFeedback(
  ctx: Ctx,
  id: number,
  input: { rating: Rating; comment: string },
): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    await applyFeedback(tx, by, c, input.rating, input.comment);
  });
  return getCase(ctx, id);
}

/** 专业评价 of an unsatisfied case: qualified closes it; unqualified sends it back to the last lead for redo. */
export async function reviewCase(
  ctx: Ctx,
  id: number,
  input: { qualified: boolean; note: string },
): Promise<TCaseDetail> {
  const v = await viewer(ctx);
  const profile = !v.isSupervisor && !v.user.permissions.has('cases.dispatch');
  const by = staffActor(ctx, reviewRole(v, profile && (await isProfessionalReviewer(ctx.db, v.user.id))));
  const [cal, dir] = await Promise.all([loadCalendar(ctx.db), directory(ctx.db)]);
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    if (input.qualified) {
      await changeCase(
        tx,
        by,
        c,
        'review_qualified',
        { reviewResult: 'qualified', closedAt: new Date() },
        {
          type: 'review',
          note: input.note,
          publicText: '专业评价：办理合格，办件已办结',
          payload: { qualified: true },
        },
      );
      await closeEscalations(tx, c.id);
      return;
    }
    mustTransition(c.status, 'review_redo', by.role);
    const lead = (await repo.listDispatches(tx, id))
      .filter((d) => d.role === 'lead')
      .sort((a, b) => b.round - a.round || b.id - a.id)[0];
    if (!lead) throw new AppError('INVALID_STATE');
    const category = dir.categories.find((x) => x.id === c.categoryId)!;
    const plan: DispatchPlan = {
      leadUnitId: lead.unitId,
      assistUnitIds: [],
      timeLimitDays: c.timeLimitDays ?? category.timeLimitDays,
      signHours: category.signHours,
      note: input.note,
    };
    await applyDispatch(tx, by, c, plan, cal, dir, {
      action: 'review_redo',
      patch: { reviewResult: 'unqualified', redoCount: c.redoCount + 1, result: '' },
      note: input.note,
      payload: { qualified: false },
    });
  });
  return getCase(ctx, id);
}
