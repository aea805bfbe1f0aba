/**
 * 12345 cases: escalation (督办) of a case and reminders (催办); marking a case confidential (保密).
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, notFound } from '../../lib/errors.js';
import { recordCaseEvent } from './cases.events.js';
import { ACTIVE_DISPATCH_STATUSES } from './cases.machine.js';
import { agentOrSupervisor, mustTransition } from './cases.policy.js';
import { listRowOf, presentEscalation } from './cases.present.js';
import * as repo from './cases.repo.js';
import type { TCaseDetail, TEscalationView } from './cases.schema.js';
import type { EscalationStatus } from './cases.table.js';
import { directory, lockedCase, notify, staffActor, viewer } from './cases.shared.js';
import { getCase, visibleCase } from './cases.reading.js';

// ---------- escalation (督办) and reminders (催办) ----------

/** Level 2 asks level 1 to escalate the case (督办). */
export async function escalateCase(ctx: Ctx, id: number, reason: string): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    mustTransition(c.status, 'escalate', 'agent');
    if (await repo.openEscalation(tx, id))
      throw new AppError('CONFLICT', {
        zh: '该诉求已有待审批或督办中的督办',
        en: 'The case already has a pending or approved escalation',
      });
    const e = await repo.insertEscalation(tx, { caseId: id, reason, requestedBy: by.userId, requestedByName: by.name });
    await recordCaseEvent(tx, by, c, {
      type: 'escalation_requested',
      unitId: c.leadUnitId,
      note: reason,
      payload: { escalationId: e.id },
    });
  });
  return getCase(ctx, id);
}

async function lockedEscalation(tx: Db, id: number): Promise<repo.EscalationRow> {
  const e = await repo.lockEscalation(tx, id);
  if (!e) throw notFound();
  return e;
}

/** Level 1 approves (the case becomes a 督办件) or rejects an escalation request. */
export async function decideEscalation(
  ctx: Ctx,
  escalationId: number,
  input: { approve: boolean; note: string },
): Promise<TEscalationView> {
  const by = staffActor(ctx, 'supervisor');
  const caseId = await ctx.db.transaction(async (tx) => {
    const e = await lockedEscalation(tx, escalationId);
    const c = await lockedCase(tx, e.caseId);
    mustTransition(c.status, 'decide_escalation', 'supervisor');
    if (e.status !== 'pending')
      throw new AppError('INVALID_STATE', { zh: '该督办申请已处理', en: 'The request has been decided already' });
    const now = new Date();
    await repo.updateEscalation(tx, e.id, {
      status: input.approve ? 'approved' : 'rejected',
      decidedBy: by.userId,
      decidedByName: by.name,
      decidedAt: now,
      decisionNote: input.note,
      endedAt: input.approve ? null : now,
    });
    const updated = input.approve ? await repo.updateCase(tx, c.id, { escalated: true }) : c;
    await recordCaseEvent(tx, by, updated, {
      type: input.approve ? 'escalation_approved' : 'escalation_rejected',
      unitId: c.leadUnitId,
      note: input.note,
      payload: { escalationId: e.id },
    });
    if (input.approve) {
      const units = (await repo.listDispatches(tx, c.id))
        .filter((d) => ACTIVE_DISPATCH_STATUSES.includes(d.status))
        .map((d) => d.unitId);
      await notify(
        tx,
        by,
        c.id,
        units,
        'escalation',
        `诉求 ${c.number} 已列为督办件${input.note ? `：${input.note}` : ''}`,
      );
    }
    return c.id;
  });
  return escalationView(ctx.db, escalationId, caseId);
}

/** Level 1 follows an approved escalation with a note (督办意见), which the departments receive. */
export async function followEscalation(ctx: Ctx, escalationId: number, note: string): Promise<TEscalationView> {
  const by = staffActor(ctx, 'supervisor');
  const caseId = await ctx.db.transaction(async (tx) => {
    const e = await lockedEscalation(tx, escalationId);
    const c = await lockedCase(tx, e.caseId);
    mustTransition(c.status, 'follow_escalation', 'supervisor');
    if (e.status !== 'approved')
      throw new AppError('INVALID_STATE', {
        zh: '只有已批准的督办件可以跟踪督办',
        en: 'Only approved escalations can be followed',
      });
    const now = new Date();
    await repo.updateEscalation(tx, e.id, { followCount: e.followCount + 1, lastFollowAt: now, lastFollowNote: note });
    await recordCaseEvent(tx, by, c, {
      type: 'escalation_followed',
      unitId: c.leadUnitId,
      note,
      payload: { escalationId: e.id },
    });
    const units = (await repo.listDispatches(tx, c.id))
      .filter((d) => ACTIVE_DISPATCH_STATUSES.includes(d.status))
      .map((d) => d.unitId);
    await notify(tx, by, c.id, units, 'escalation', `督办意见（${c.number}）：${note}`);
    return c.id;
  });
  return escalationView(ctx.db, escalationId, caseId);
}

async function escalationView(db: Db, escalationId: number, caseId: number): Promise<TEscalationView> {
  const [e, c, dir] = await Promise.all([
    repo.findEscalation(db, escalationId),
    repo.findCase(db, caseId),
    directory(db),
  ]);
  if (!e || !c) throw notFound();
  return presentEscalation(e, listRowOf(c), dir, new Date());
}

/** Escalations for the supervisor board (and the agent's own requests). */
export async function listEscalations(ctx: Ctx, q: { status?: EscalationStatus }): Promise<TEscalationView[]> {
  const [rows, dir] = await Promise.all([repo.listEscalations(ctx.db, q), directory(ctx.db)]);
  const now = new Date();
  return rows.map(({ e, c }) => presentEscalation(e, c, dir, now));
}

/**
 * An agent marks a case confidential (保密), or lifts the mark, saying why: a confidential case is never
 * shown on the public interface. On the timeline (internal) and in the audit log.
 */
export async function markConfidential(
  ctx: Ctx,
  id: number,
  input: { confidential: boolean; reason: string },
): Promise<TCaseDetail> {
  const v = await viewer(ctx);
  if (!v.isAgent) throw forbidden();
  await visibleCase(ctx, v, id);
  const by = staffActor(ctx, 'agent');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    if (c.confidential === input.confidential) return;
    const updated = await repo.updateCase(tx, id, { confidential: input.confidential });
    await recordCaseEvent(tx, by, updated, {
      type: 'confidential_changed',
      unitId: c.leadUnitId,
      note: input.reason,
      payload: { confidential: input.confidential },
    });
  });
  return getCase(ctx, id);
}

/** 催办: a reminder to the departments holding the case, on the timeline and as in-app notices. */
export async function remindCase(ctx: Ctx, id: number, note: string): Promise<TCaseDetail> {
  const v = await viewer(ctx);
  const role = agentOrSupervisor(v);
  const by = staffActor(ctx, role === 'agent' ? 'agent' : 'supervisor');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    mustTransition(c.status, 'remind', by.role);
    const units = (await repo.listDispatches(tx, id))
      .filter((d) => ACTIVE_DISPATCH_STATUSES.includes(d.status))
      .map((d) => d.unitId);
    await recordCaseEvent(tx, by, c, { type: 'reminded', unitId: c.leadUnitId, note, payload: { unitIds: units } });
    await notify(tx, by, c.id, units, 'remind', `催办（${c.number}）：${note}`);
  });
  return getCase(ctx, id);
}
