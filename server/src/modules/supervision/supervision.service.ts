/**
 * The supervision ledger's workflow: reading the ledger and a task, the office's entry (年初建账), leaders'
 * instructions (批示), each step of the flow from 立项 to 办结评定, and the tasks' evidence files. Who may do
 * what is in supervision.access.ts; lights, statistics and score inputs in supervision.upkeep.ts.
 */
import { inTransaction, type Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Actor, AuthUser, Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { addWorkingDays, beijingDate, type CalendarData } from '../../engine/workdays.js';
import { loadCalendar } from '../calendar/index.js';
import { attachEvidenceFile, readEvidenceFile } from '../reporting/index.js';
import { inScope } from '../units/index.js';
import { allowedActions, loadVisible, mayAct, userOf, visibility } from './supervision.access.js';
import { nextStatus, TASK_ACTIONS } from './supervision.machine.js';
import * as repo from './supervision.repo.js';
import type {
  TAccept,
  TApply,
  TFile,
  TInstructionCreate,
  TLedger,
  TLedgerQuery,
  TPlan,
  TReport,
  TReview,
  TTaskCreate,
  TTaskDetail,
  TTaskRow,
} from './supervision.schema.js';
import type { TaskStatus } from './supervision.table.js';
import { refreshLights, syncScoreInputs } from './supervision.upkeep.js';

const today = () => beijingDate(new Date());
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

// ---------- presenters ----------

function presentRow(r: repo.LedgerRow): TTaskRow {
  return {
    id: r.id,
    year: r.year,
    source: r.source as TTaskRow['source'],
    title: r.title,
    leadUnitId: r.lead_unit_id,
    leadUnitName: r.lead_unit_name,
    coUnitNames: r.co_unit_names ?? [],
    leaderId: r.leader_id,
    leaderName: r.leader_name,
    deadline: r.deadline,
    status: r.status as TaskStatus,
    priority: r.priority as TTaskRow['priority'],
    progress: r.progress,
    light: r.light as TTaskRow['light'],
    lightReasons: r.light_reasons ?? [],
    completion: r.completion as TTaskRow['completion'],
    quality: r.quality as TTaskRow['quality'],
    parentId: r.parent_id,
  };
}

// ---------- reading ----------

/** The ledger page: filters, the user's visibility, light counts of the filtered set. */
export async function listLedger(ctx: Ctx, q: TLedgerQuery): Promise<TLedger> {
  const user = userOf(ctx);
  const v = await visibility(ctx);
  // 我的督办: the tasks of the user's own unit (lead or co-unit), whatever their role's wider view.
  const scoped: repo.Visibility = q.mine === '1' ? { all: false, unitIds: [user.unitId], userId: null } : v;
  const r = await repo.ledger(ctx.db, scoped, {
    year: q.year,
    source: q.source,
    unitId: q.unitId,
    leaderId: q.leaderId,
    status: q.status,
    light: q.light,
    priority: q.priority,
    q: q.q,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { total: r.total, counts: r.counts, rows: r.rows.map(presentRow) };
}
export async function getTask(ctx: Ctx, id: number): Promise<TTaskDetail> {
  const t = await loadVisible(ctx, id);
  const [co, ms, ev, subs, fl, ins] = await Promise.all([
    repo.coUnits(ctx.db, id),
    repo.milestones(ctx.db, [id]),
    repo.events(ctx.db, id),
    repo.subTasks(ctx.db, id),
    repo.files(ctx.db, id),
    t.instructionId ? repo.instruction(ctx.db, t.instructionId) : Promise.resolve(null),
  ]);
  const names = await repo.unitNames(ctx.db, t.leadUnitId ? [t.leadUnitId] : []);
  return {
    id: t.id,
    year: t.year,
    source: t.source,
    title: t.title,
    leadUnitId: t.leadUnitId,
    leadUnitName: t.leadUnitId ? (names.get(t.leadUnitId) ?? null) : null,
    coUnitNames: co.map((c) => c.name),
    leaderId: t.leaderId,
    leaderName: await repo.userName(ctx.db, t.leaderId),
    deadline: t.deadline,
    status: t.status,
    priority: t.priority,
    progress: t.progress,
    light: t.light,
    lightReasons: t.lightReasons,
    completion: t.completion,
    quality: t.quality,
    parentId: t.parentId,
    content: t.content,
    standard: t.standard,
    leadContact: t.leadContact,
    coUnits: co,
    startDate: t.startDate,
    cadence: t.cadence,
    plan: t.plan,
    mergedIntoId: t.mergedIntoId,
    instruction: ins
      ? {
          id: ins.id,
          authorName: ins.author_name,
          targetKind: ins.target_kind,
          targetRef: ins.target_ref,
          content: ins.content,
          createdAt: iso(ins.created_at),
        }
      : null,
    milestones: ms.map((m) => ({ id: m.id, title: m.title, dueOn: m.dueOn, doneOn: m.doneOn })),
    subTasks: subs.map((s) => ({
      id: s.id,
      title: s.title,
      leadUnitName: s.lead_unit_name,
      status: s.status as TaskStatus,
    })),
    files: fl.map((f) => ({ id: f.id, name: f.name, size: f.size, uploadedAt: iso(f.uploadedAt) })),
    events: ev.map((e) => ({
      id: e.id,
      kind: e.kind,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      actorName: e.actor_name,
      unitName: e.unit_name,
      note: e.note,
      progress: e.progress,
      fileIds: e.file_ids ?? [],
      at: iso(e.at),
    })),
    actions: await allowedActions(ctx, t),
  };
}

// ---------- writing ----------

async function checkRefs(
  db: Db,
  v: { leadUnitId?: number; coUnits?: { unitId: number }[]; leaderId?: number | null; parentId?: number | null },
): Promise<void> {
  if (v.leadUnitId !== undefined && !(await repo.unitsExist(db, [v.leadUnitId])))
    throw invalid('leadUnitId', '牵头单位不存在', 'The lead unit does not exist');
  if (v.coUnits?.length) {
    const ids = v.coUnits.map((c) => c.unitId);
    if (new Set(ids).size !== ids.length) throw invalid('coUnits', '配合单位重复', 'A co-unit is listed twice');
    if (v.leadUnitId !== undefined && ids.includes(v.leadUnitId))
      throw invalid('coUnits', '配合单位不能与牵头单位相同', 'A co-unit cannot be the lead unit');
    if (!(await repo.unitsExist(db, ids))) throw invalid('coUnits', '配合单位不存在', 'A co-unit does not exist');
  }
  if (v.leaderId != null && !(await repo.userExists(db, v.leaderId)))
    throw invalid('leaderId', '责任领导不存在', 'The leader in charge does not exist');
  if (v.parentId != null && !(await repo.findTask(db, v.parentId)))
    throw invalid('parentId', '上级任务不存在', 'The parent task does not exist');
}

function checkDates(start: string, deadline: string, milestones: readonly { dueOn: string }[]): void {
  if (deadline < start) throw invalid('deadline', '完成时限不能早于开始日期', 'The deadline is before the start date');
  milestones.forEach((m, i) => {
    if (m.dueOn > deadline)
      throw invalid(`milestones.${i}.dueOn`, '节点时间不能晚于完成时限', 'A milestone is due after the deadline');
  });
}

/** The office enters a task (年初建账): it starts assigned to its lead unit, awaiting 签收. */
export async function createTask(ctx: Ctx, input: TTaskCreate): Promise<TTaskDetail> {
  const user = userOf(ctx);
  const id = await insertLedgerTask(ctx.db, { user, actor: ctx.actor }, input, await loadCalendar(ctx.db));
  return getTask(ctx, id);
}

/**
 * The checks and writes of one new ledger task (status assigned, its co-units, milestones, timeline
 * event, light and audit entry), in the caller's transaction when there is one (the Excel ledger
 * import runs every row through it in one transaction). Returns the task's id.
 */
export async function insertLedgerTask(
  db: Db,
  who: { user: Pick<AuthUser, 'id' | 'displayName'>; actor: Actor },
  input: TTaskCreate,
  cal: CalendarData,
): Promise<number> {
  const { user } = who;
  await checkRefs(db, input);
  const start = input.startDate ?? today();
  checkDates(start, input.deadline, input.milestones);
  return inTransaction(db, async (tx) => {
    const t = await repo.insertTask(tx, {
      year: Number(input.deadline.slice(0, 4)),
      source: input.source,
      title: input.title,
      content: input.content,
      standard: input.standard,
      leaderId: input.leaderId,
      leadUnitId: input.leadUnitId,
      leadContact: input.leadContact,
      parentId: input.parentId,
      startDate: start,
      deadline: input.deadline,
      cadence: input.cadence,
      priority: input.priority,
      status: 'assigned',
      createdBy: user.id,
    });
    await repo.replaceCoUnits(tx, t.id, input.coUnits);
    await repo.addMilestones(tx, t.id, input.milestones);
    await repo.insertEvent(tx, {
      taskId: t.id,
      kind: 'create',
      fromStatus: null,
      toStatus: 'assigned',
      actorId: user.id,
      actorName: user.displayName,
      note: '',
    });
    await refreshLights(tx, today(), cal, [t.id]);
    await recordAudit(tx, who.actor, {
      action: 'supervision.create',
      entityType: 'supervision_task',
      entityId: t.id,
      unitId: t.leadUnitId,
      after: { ...input },
    });
    return t.id;
  });
}

/** A leader's instruction (批示) on a case, an indicator or freely: a task awaiting the office's 立项. */
export async function createInstruction(ctx: Ctx, input: TInstructionCreate): Promise<TTaskDetail> {
  const user = userOf(ctx);
  if (input.targetKind !== 'free' && !input.targetRef)
    throw invalid('targetRef', '请注明批示针对的诉求或指标', 'Name the case or indicator the instruction is about');
  if (input.unitId !== null && !(await repo.unitsExist(ctx.db, [input.unitId])))
    throw invalid('unitId', '单位不存在', 'The unit does not exist');
  const start = today();
  const cal = await loadCalendar(ctx.db);
  const deadline = input.deadline ?? addWorkingDays(cal, start, 20);
  if (deadline < start) throw invalid('deadline', '完成时限不能早于今天', 'The deadline is in the past');
  const id = await ctx.db.transaction(async (tx) => {
    const ins = await repo.insertInstruction(tx, {
      authorId: user.id,
      targetKind: input.targetKind,
      targetRef: input.targetRef,
      unitId: input.unitId,
      content: input.content,
    });
    const t = await repo.insertTask(tx, {
      year: Number(deadline.slice(0, 4)),
      source: input.targetKind === 'indicator' ? 'lagging_indicator' : 'instruction',
      title: input.title,
      content: input.content,
      leaderId: user.id,
      instructionId: ins.id,
      startDate: start,
      deadline,
      status: 'proposed',
      createdBy: user.id,
    });
    await repo.insertEvent(tx, {
      taskId: t.id,
      kind: 'instruct',
      fromStatus: null,
      toStatus: 'proposed',
      actorId: user.id,
      actorName: user.displayName,
      note: input.content,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.instruct',
      entityType: 'supervision_task',
      entityId: t.id,
      unitId: input.unitId,
      after: { instructionId: ins.id, ...input },
    });
    return t.id;
  });
  return getTask(ctx, id);
}

type Payload =
  | { action: 'accept'; body: TAccept }
  | { action: 'merge'; body: { intoTaskId: number; reason: string } }
  | { action: 'decline' | 'returnPlan' | 'rejectCompletion'; body: { reason: string } }
  | { action: 'sign' | 'approvePlan'; body: { note: string } }
  | { action: 'submitPlan'; body: TPlan }
  | { action: 'report'; body: TReport }
  | { action: 'applyCompletion'; body: TApply }
  | { action: 'review'; body: TReview };

async function checkFiles(db: Db, taskId: number, ids: readonly number[]): Promise<void> {
  for (const id of ids) {
    const f = await repo.findFile(db, id);
    if (!f || f.taskId !== taskId) throw invalid('fileIds', '附件不属于该事项', 'A file does not belong to this task');
  }
}

/** One step of the flow: checks who may and the status, writes the change, its timeline event, the light and the audit entry. */
export async function act(ctx: Ctx, id: number, p: Payload): Promise<TTaskDetail> {
  const user = userOf(ctx);
  const t0 = await loadVisible(ctx, id);
  if (!(await mayAct(ctx, t0, p.action))) throw forbidden();
  // Checks of references before the transaction (reads only).
  if (p.action === 'accept') {
    await checkRefs(ctx.db, p.body);
    checkDates(t0.startDate, p.body.deadline, p.body.milestones);
  }
  if (p.action === 'merge') {
    if (p.body.intoTaskId === id) throw invalid('intoTaskId', '不能合并到自身', 'A task cannot be merged into itself');
    const into = await repo.findTask(ctx.db, p.body.intoTaskId);
    if (!into || ['proposed', 'declined', 'merged'].includes(into.status))
      throw invalid(
        'intoTaskId',
        '合并目标事项不存在或未立项',
        'The task to merge into does not exist or is not in the ledger',
      );
  }
  if (p.action === 'submitPlan' && p.body.milestones) checkDates(t0.startDate, t0.deadline, p.body.milestones);
  if (p.action === 'report' || p.action === 'applyCompletion') await checkFiles(ctx.db, id, p.body.fileIds);
  const cal = await loadCalendar(ctx.db);
  const on = today();
  await ctx.db.transaction(async (tx) => {
    const t = (await repo.findTask(tx, id, true))!;
    const to = nextStatus(t.status, p.action);
    if (!to) throw new AppError('INVALID_STATE');
    const set: Parameters<typeof repo.updateTask>[2] = { status: to };
    let note = '';
    let progress: number | null = null;
    let fileIds: number[] = [];
    let unitId: number | null = t.leadUnitId;
    switch (p.action) {
      case 'accept':
        Object.assign(set, {
          leadUnitId: p.body.leadUnitId,
          leadContact: p.body.leadContact,
          leaderId: p.body.leaderId ?? t.leaderId,
          deadline: p.body.deadline,
          year: Number(p.body.deadline.slice(0, 4)),
          cadence: p.body.cadence,
          priority: p.body.priority,
          standard: p.body.standard || t.standard,
        });
        await repo.replaceCoUnits(tx, id, p.body.coUnits);
        await repo.addMilestones(tx, id, p.body.milestones);
        unitId = p.body.leadUnitId;
        break;
      case 'merge':
        set.mergedIntoId = p.body.intoTaskId;
        note = p.body.reason;
        break;
      case 'decline':
      case 'returnPlan':
      case 'rejectCompletion':
        note = p.body.reason;
        break;
      case 'sign':
      case 'approvePlan':
        note = p.body.note;
        if (p.action === 'approvePlan') set.planApprovedOn = on;
        break;
      case 'submitPlan':
        set.plan = p.body.plan;
        note = p.body.plan;
        if (p.body.milestones) await repo.replaceOpenMilestones(tx, id, p.body.milestones);
        break;
      case 'report': {
        note = p.body.note;
        progress = p.body.progress;
        fileIds = p.body.fileIds;
        const scope = await ctx.scope();
        const isLead = t.leadUnitId !== null && inScope(scope, t.leadUnitId);
        // The lead unit's report sets the task's progress; a co-unit reports its part on the timeline.
        if (isLead) {
          set.progress = p.body.progress;
          set.lastReportOn = on;
          await repo.markMilestonesDone(tx, id, p.body.milestoneIdsDone, on);
        } else {
          unitId = (await repo.coUnits(tx, id)).find((c) => inScope(scope, c.unitId))?.unitId ?? user.unitId;
        }
        break;
      }
      case 'applyCompletion':
        note = p.body.note;
        fileIds = p.body.fileIds;
        set.appliedOn = on;
        set.progress = 100;
        set.lastReportOn = on;
        break;
      case 'review':
        set.completion = p.body.completion;
        set.quality = p.body.quality;
        set.reviewedAt = new Date();
        note = p.body.reason;
        break;
    }
    const after = await repo.updateTask(tx, id, set);
    await repo.insertEvent(tx, {
      taskId: id,
      kind: p.action,
      fromStatus: t.status,
      toStatus: to,
      actorId: user.id,
      actorName: user.displayName,
      unitId,
      note,
      progress,
      fileIds,
    });
    await refreshLights(tx, on, cal, [id]);
    if (p.action === 'review' && after.leadUnitId !== null) {
      await syncScoreInputs(tx, { year: after.year, unitIds: [after.leadUnitId], on });
    }
    await recordAudit(tx, ctx.actor, {
      action: `supervision.${p.action}`,
      entityType: 'supervision_task',
      entityId: id,
      unitId: after.leadUnitId,
      before: { status: t.status, progress: t.progress },
      after: { status: to, ...p.body },
    });
  });
  return getTask(ctx, id);
}

// ---------- files ----------

/** Uploads an evidence file to a task (the lead or a co-unit, or the office); stored in the blob store like reporting's evidence. */
export async function addFile(
  ctx: Ctx,
  id: number,
  file: { filename: string; data: Buffer },
  blobs: BlobStore,
): Promise<TFile> {
  const user = userOf(ctx);
  const t = await loadVisible(ctx, id);
  if (!(await mayAct(ctx, t, 'report')) && !user.permissions.has('supervision.manage')) throw forbidden();
  return attachEvidenceFile(ctx, blobs, file, {
    insert: (tx, f) => repo.insertFile(tx, { taskId: id, ...f }),
    audit: { action: 'supervision.file', entityType: 'supervision_task', entityId: id, unitId: t.leadUnitId },
  });
}

/** A task's file for download (visible task only). */
export async function openFile(
  ctx: Ctx,
  fileId: number,
  blobs: BlobStore,
): Promise<{ name: string; mime: string; size: number; data: Buffer }> {
  const f = await repo.findFile(ctx.db, fileId);
  if (f) await loadVisible(ctx, f.taskId);
  return readEvidenceFile(blobs, f);
}

export { TASK_ACTIONS };
