/**
 * 12345 cases: level 3, the handler's work order — sign, start, extension request, return, report, attachments.
 */
import type { Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { unitDirectory } from './cases.config.js';
import { type MachineActor } from './cases.dispatching.js';
import { recordCaseEvent } from './cases.events.js';
import { attachmentRow, storeFiles, type CheckedFile } from './cases.files.js';
import { ACTIVE_DISPATCH_STATUSES, OPEN_STATUSES, type DispatchStatus } from './cases.machine.js';
import { mustTransition } from './cases.policy.js';
import * as repo from './cases.repo.js';
import type { TCaseDetail } from './cases.schema.js';
import { type StaffRole, changeCase, lockedCase, moveDispatch, notify, staffActor, viewer } from './cases.shared.js';
import { ASSIST_CASE_STATUSES, getCase, visibleCase } from './cases.reading.js';

// ---------- level 3: the handler's work order ----------

type HandlerFn<T> = (
  tx: Db,
  c: repo.CaseRow,
  d: repo.DispatchRow,
  by: MachineActor,
  all: repo.DispatchRow[],
) => Promise<T>;

/** Runs a handler action on the caller's unit's work order (lead preferred) in the given statuses. */
async function onMyDispatch<T>(
  ctx: Ctx,
  id: number,
  statuses: readonly DispatchStatus[],
  fn: HandlerFn<T>,
): Promise<T> {
  const v = await viewer(ctx);
  if (!v.isHandler) throw forbidden();
  const by = staffActor(ctx, 'handler');
  const units = v.unitIds ?? [v.user.unitId];
  return ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    const all = await repo.listDispatches(tx, id);
    const ours = all.filter((d) => units.includes(d.unitId));
    if (!ours.length && v.unitIds !== null) throw notFound();
    const d = ours
      .filter((x) => statuses.includes(x.status))
      .sort((x, y) => (x.role === 'lead' ? 0 : 1) - (y.role === 'lead' ? 0 : 1) || y.id - x.id)[0];
    if (!d) throw new AppError('INVALID_STATE');
    if (d.role === 'assist' && !ASSIST_CASE_STATUSES.includes(c.status)) throw new AppError('INVALID_STATE');
    return fn(tx, c, d, by, all);
  });
}

/** 签收. */
export async function signCase(ctx: Ctx, id: number): Promise<TCaseDetail> {
  await onMyDispatch(ctx, id, ['pending'], async (tx, c, d, by) => {
    const now = new Date();
    if (d.role === 'lead') mustTransition(c.status, 'sign', 'handler');
    await repo.updateDispatch(tx, d.id, { status: moveDispatch(d, 'sign'), signedAt: now, signedBy: by.userId });
    const unitName = (await unitDirectory(tx)).get(d.unitId)?.name ?? '';
    const late = now.getTime() > d.signDue.getTime();
    if (d.role === 'lead') {
      await changeCase(
        tx,
        by,
        c,
        'sign',
        { signedAt: now },
        { type: 'signed', unitId: d.unitId, dispatchId: d.id, publicText: `${unitName}已签收`, payload: { late } },
      );
    } else {
      await recordCaseEvent(tx, by, c, {
        type: 'assist_signed',
        unitId: d.unitId,
        dispatchId: d.id,
        payload: { late },
      });
    }
  });
  return getCase(ctx, id);
}

/** 开始办理. */
export async function startCase(ctx: Ctx, id: number): Promise<TCaseDetail> {
  await onMyDispatch(ctx, id, ['signed'], async (tx, c, d, by) => {
    if (d.role === 'lead') mustTransition(c.status, 'start', 'handler');
    await repo.updateDispatch(tx, d.id, { status: moveDispatch(d, 'start'), startedAt: new Date() });
    const unitName = (await unitDirectory(tx)).get(d.unitId)?.name ?? '';
    if (d.role === 'lead') {
      await changeCase(
        tx,
        by,
        c,
        'start',
        {},
        { type: 'started', unitId: d.unitId, dispatchId: d.id, publicText: `${unitName}正在办理` },
      );
    } else {
      await recordCaseEvent(tx, by, c, { type: 'assist_started', unitId: d.unitId, dispatchId: d.id });
    }
  });
  return getCase(ctx, id);
}

/** 延期申请: one pending request per work order. */
export async function requestExtension(
  ctx: Ctx,
  id: number,
  input: { days: number; reason: string },
): Promise<TCaseDetail> {
  await onMyDispatch(ctx, id, ['signed', 'in_progress'], async (tx, c, d, by) => {
    if (d.role === 'lead') mustTransition(c.status, 'request_extension', 'handler');
    moveDispatch(d, 'request_extension');
    if (d.extRequestedAt)
      throw new AppError('INVALID_STATE', {
        zh: '已有待审批的延期申请',
        en: 'An extension request is already pending',
      });
    await repo.updateDispatch(tx, d.id, {
      extRequestedDays: input.days,
      extReason: input.reason,
      extRequestedAt: new Date(),
    });
    await recordCaseEvent(tx, by, c, {
      type: 'extension_requested',
      unitId: d.unitId,
      dispatchId: d.id,
      note: input.reason,
      payload: { days: input.days, role: d.role },
    });
  });
  return getCase(ctx, id);
}

/** 退单: the lead hands the case back to level 2 for re-dispatch; an assisting department just leaves. */
export async function returnCase(ctx: Ctx, id: number, reason: string): Promise<TCaseDetail> {
  await onMyDispatch(ctx, id, ACTIVE_DISPATCH_STATUSES, async (tx, c, d, by, all) => {
    const now = new Date();
    if (d.role === 'lead') mustTransition(c.status, 'return', 'handler');
    await repo.updateDispatch(tx, d.id, {
      status: moveDispatch(d, 'return'),
      returned: true,
      returnedAt: now,
      returnReason: reason,
      endedAt: now,
      extRequestedDays: null,
      extReason: null,
      extRequestedAt: null,
    });
    if (d.role === 'lead') {
      const others = all.filter((x) => x.id !== d.id && ACTIVE_DISPATCH_STATUSES.includes(x.status));
      for (const o of others) await repo.updateDispatch(tx, o.id, { status: moveDispatch(o, 'cancel'), endedAt: now });
      await changeCase(
        tx,
        by,
        c,
        'return',
        { returnCount: c.returnCount + 1, deadline: null, dueSoonAt: null, signDue: null },
        {
          type: 'returned',
          unitId: d.unitId,
          dispatchId: d.id,
          note: reason,
          publicText: '诉求正在重新分派承办单位',
          payload: { role: 'lead' },
        },
      );
      if (others.length)
        await notify(
          tx,
          by,
          c.id,
          others.map((o) => o.unitId),
          'return',
          `诉求 ${c.number} 主办单位已退单，协办工单撤销，待重新派单`,
        );
    } else {
      const updated = await repo.updateCase(tx, c.id, { returnCount: c.returnCount + 1 });
      await recordCaseEvent(tx, by, updated, {
        type: 'assist_returned',
        unitId: d.unitId,
        dispatchId: d.id,
        note: reason,
        payload: { role: 'assist' },
      });
    }
  });
  return getCase(ctx, id);
}

/** 办结上报 with the result and optional uploaded attachments; the case completes when the lead reports. */
export async function reportCase(
  ctx: Ctx,
  id: number,
  input: { result: string; attachmentIds: number[] },
): Promise<TCaseDetail> {
  await onMyDispatch(ctx, id, ['signed', 'in_progress'], async (tx, c, d, by) => {
    const now = new Date();
    if (d.role === 'lead') mustTransition(c.status, 'report', 'handler');
    if (input.attachmentIds.length) {
      const mine = new Map((await repo.listAttachments(tx, c.id)).map((a) => [a.id, a]));
      for (const [i, aid] of input.attachmentIds.entries()) {
        const a = mine.get(aid);
        if (!a || a.unitId !== d.unitId)
          throw invalid(
            `attachmentIds.${i}`,
            '附件不存在或不属于本单位',
            'The attachment does not exist or is not your unit’s',
          );
      }
    }
    await repo.updateDispatch(tx, d.id, {
      status: moveDispatch(d, 'report'),
      reportedAt: now,
      reportedBy: by.userId,
      result: input.result,
      endedAt: now,
    });
    const late = now.getTime() > d.deadline.getTime();
    const unitName = (await unitDirectory(tx)).get(d.unitId)?.name ?? '';
    const payload = { role: d.role, late, attachmentIds: input.attachmentIds };
    if (d.role === 'lead') {
      await changeCase(
        tx,
        by,
        c,
        'report',
        { reportedAt: now, result: input.result },
        {
          type: 'reported',
          unitId: d.unitId,
          dispatchId: d.id,
          note: input.result,
          publicText: `${unitName}已办理完毕，等待核查`,
          payload,
        },
      );
    } else {
      await recordCaseEvent(tx, by, c, {
        type: 'assist_reported',
        unitId: d.unitId,
        dispatchId: d.id,
        note: input.result,
        payload,
      });
    }
  });
  return getCase(ctx, id);
}

/** Uploads files to a case (agent at intake, handler for the report); returns the new attachment ids. */
export async function addAttachments(ctx: Ctx, id: number, files: CheckedFile[], blobs: BlobStore): Promise<number[]> {
  const v = await viewer(ctx);
  const c = await visibleCase(ctx, v, id);
  let unitId: number | null = null;
  let role: StaffRole = 'agent';
  if (!v.user.permissions.has('cases.intake')) {
    if (!v.isHandler) throw forbidden();
    const units = v.unitIds ?? [v.user.unitId];
    const d = (await repo.listDispatches(ctx.db, id)).find(
      (x) => units.includes(x.unitId) && ACTIVE_DISPATCH_STATUSES.includes(x.status),
    );
    if (!d) throw new AppError('INVALID_STATE');
    unitId = d.unitId;
    role = 'handler';
  } else if (!OPEN_STATUSES.includes(c.status)) {
    throw new AppError('INVALID_STATE');
  }
  if (!files.length) throw invalid('file', '请选择要上传的文件', 'Choose a file to upload');
  await storeFiles(blobs, files);
  const by = staffActor(ctx, role);
  return ctx.db.transaction(async (tx) => {
    const locked = await lockedCase(tx, id);
    const rows = await repo.insertAttachments(
      tx,
      files.map((f) =>
        attachmentRow(f, {
          caseId: id,
          kind: role === 'handler' ? 'report' : 'other',
          by,
          unitId: unitId ?? v.user.unitId,
        }),
      ),
    );
    await recordCaseEvent(tx, by, locked, {
      type: 'attachment_added',
      unitId,
      payload: { attachmentIds: rows.map((r) => r.id), filenames: rows.map((r) => r.filename) },
    });
    return rows.map((r) => r.id);
  });
}
