import { inTransaction, type Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import { SYSTEM_ACTOR, type Actor, type AuthUser, type Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { enqueueSms } from '../../platform/sms/index.js';
import { recordAudit } from '../audit/index.js';
import { addWorkingDays, beijingDate, type CalendarData } from '../../engine/workdays.js';
import { loadCalendar } from '../calendar/index.js';
import { getYearByYear, leavesFor, listIndicators } from '../performance/index.js';
import { evidenceKey, storeEvidenceFile } from '../reporting/index.js';
import { upsertScoreInputs, type ScoreInputWrite } from '../inputs/index.js';
import { inScope, listUnits } from '../units/index.js';
import { taskLight } from './supervision.lights.js';
import { reasonsZh, recordReminder } from './supervision.reminders.js';
import { actionsIn, actorOf, nextStatus, TASK_ACTIONS, type TaskAction } from './supervision.machine.js';
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
  TUnitStats,
} from './supervision.schema.js';
import { monthStats } from './supervision.monthstats.js';
import { emptyUnitStats, monthEnd, type UnitMonthStats } from './supervision.stats.js';
import { proposalInputFields } from './supervision.proposals.repo.js';
import type { TaskStatus } from './supervision.table.js';

/** Who writes the supervision score inputs (shown with each input). */
export const INPUT_AUTHOR = '区政府督查室（督办台账）';

const today = () => beijingDate(new Date());
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

function userOf(ctx: Ctx) {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
  return ctx.user;
}

async function visibility(ctx: Ctx): Promise<repo.Visibility> {
  const user = userOf(ctx);
  const scope = await ctx.scope();
  return scope.all ? { all: true } : { all: false, unitIds: [...scope.unitIds], userId: user.id };
}

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
  const scoped: repo.Visibility = q.mine === '1' ? { all: false, unitIds: [user.unitId], userId: user.id } : v;
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

/** A visible task, or 404 (the same answer for a missing task and another unit's task). */
async function loadVisible(ctx: Ctx, id: number): Promise<repo.TaskRow> {
  const v = await visibility(ctx);
  if (!(await repo.isVisible(ctx.db, v, id))) throw notFound();
  const t = await repo.findTask(ctx.db, id);
  if (!t) throw notFound();
  return t;
}

/** True when the signed-in user may take the action on the task (its status aside). */
async function mayAct(ctx: Ctx, t: repo.TaskRow, action: TaskAction): Promise<boolean> {
  const user = userOf(ctx);
  const p = user.permissions;
  const scope = await ctx.scope();
  const leads = t.leadUnitId !== null && inScope(scope, t.leadUnitId);
  switch (actorOf(action)) {
    case 'office':
      // The office decides 立项; the rating may also be given by the leader in charge.
      if (p.has('supervision.manage')) return true;
      return (
        (action === 'review' || action === 'rejectCompletion') &&
        p.has('supervision.instruct') &&
        t.leaderId === user.id
      );
    case 'lead':
      return p.has('supervision.report') && leads;
    case 'participant': {
      if (!p.has('supervision.report')) return false;
      if (leads) return true;
      return (await repo.coUnits(ctx.db, t.id)).some((c) => inScope(scope, c.unitId));
    }
    case 'approver':
      return p.has('supervision.instruct') && (t.leaderId === user.id || user.roles.includes('main_leader'));
  }
}

async function allowedActions(ctx: Ctx, t: repo.TaskRow): Promise<TaskAction[]> {
  const out: TaskAction[] = [];
  for (const a of actionsIn(t.status)) if (await mayAct(ctx, t, a)) out.push(a);
  return out;
}

/** The task with its co-units, milestones, instruction, sub-tasks, files, timeline and the user's possible actions. */
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

// ---------- lights ----------

/** Recomputes and stores the lights of the given live tasks (or all) as of a date. */
export async function refreshLights(
  tx: Db,
  on: string,
  cal: CalendarData,
  ids?: readonly number[],
): Promise<{ tasks: number; red: number }> {
  const tasks = await repo.liveTasks(tx, ids);
  const ms = await repo.milestones(
    tx,
    tasks.map((t) => t.id),
  );
  const byTask = new Map<number, { dueOn: string; doneOn: string | null }[]>();
  for (const m of ms) byTask.set(m.taskId, [...(byTask.get(m.taskId) ?? []), m]);
  const list = tasks.map((t) => {
    const l = taskLight(
      {
        status: t.status,
        startDate: t.startDate,
        deadline: t.deadline,
        progress: t.progress,
        lastReportOn: t.lastReportOn,
        reportsFrom: t.planApprovedOn,
        cadence: t.cadence,
        milestones: byTask.get(t.id) ?? [],
      },
      on,
      cal,
    );
    return { id: t.id, light: l?.light ?? null, reasons: l?.reasons ?? [] };
  });
  // Tasks that stopped being live lose their light.
  if (ids) for (const id of ids) if (!list.some((x) => x.id === id)) list.push({ id, light: null, reasons: [] });
  await repo.storeLights(tx, list, on);
  return { tasks: list.length, red: list.filter((x) => x.light === 'red').length };
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
  const { name, mime, sha256: sha } = await storeEvidenceFile(blobs, file);
  const row = await ctx.db.transaction(async (tx) => {
    const f = await repo.insertFile(tx, {
      taskId: id,
      sha256: sha,
      name,
      mime,
      size: file.data.length,
      uploadedBy: user.id,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.file',
      entityType: 'supervision_task',
      entityId: id,
      unitId: t.leadUnitId,
      after: { fileId: f.id, name, size: f.size, sha256: sha },
    });
    return f;
  });
  return { id: row.id, name: row.name, size: row.size, uploadedAt: iso(row.uploadedAt) };
}

/** A task's file for download (visible task only). */
export async function openFile(
  ctx: Ctx,
  fileId: number,
  blobs: BlobStore,
): Promise<{ name: string; mime: string; size: number; data: Buffer }> {
  const f = await repo.findFile(ctx.db, fileId);
  if (!f) throw notFound();
  await loadVisible(ctx, f.taskId);
  const data = await blobs.get(evidenceKey(f.sha256));
  if (!data) throw notFound();
  return { name: f.name, mime: f.mime, size: f.size, data };
}

// ---------- statistics and score inputs ----------

/** The months of a year whose statistics exist as of a date: all twelve for a past year, up to the date's month for the current one. */
function monthsOf(year: number, on: string): string[] {
  const last = Number(on.slice(0, 4)) > year ? 12 : Number(on.slice(0, 4)) === year ? Number(on.slice(5, 7)) : 0;
  return Array.from({ length: last }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

async function statsByMonth(db: Db, year: number, months: readonly string[], on: string, unitIds?: readonly number[]) {
  // Counted in the database (supervision.monthstats.ts), by the rules of the pure unitStats.
  const periods = months.map((period) => {
    const end = monthEnd(period);
    return { period, asOf: end < on ? end : on };
  });
  const byPeriod = await monthStats(db, { year, periods, unitIds });
  return periods.map(({ period }) => ({ period, stats: byPeriod.get(period) ?? new Map<number, UnitMonthStats>() }));
}

/** Per unit statistics of a month (as of its last day, or today in the running month), for the office and leaders. */
export async function unitStatsOf(ctx: Ctx, year: number, month: number): Promise<TUnitStats[]> {
  const v = await visibility(ctx);
  const period = `${year}-${String(month).padStart(2, '0')}`;
  const [{ stats }] = await statsByMonth(ctx.db, year, [period], today());
  const names = await repo.unitNames(ctx.db, [...stats.keys()]);
  return [...stats.values()]
    .filter((s) => v.all || v.unitIds.includes(s.unitId))
    .map((s) => ({ ...s, unitName: names.get(s.unitId) ?? '', period }))
    .sort((a, b) => a.unitId - b.unitId);
}

/**
 * Writes the score inputs of the `supervision` leaves (the 督办完成率: on-time completions / tasks due, in %)
 * per unit and month of the year, with the numbers and the task ids behind them as the input's fields.
 * Runs in the caller's transaction (a review) or its own (the job). Months with no task due get no input.
 */
export async function syncScoreInputs(
  db: Db,
  v: { year: number; unitIds?: readonly number[]; on?: string; months?: readonly string[] },
): Promise<{ inputs: number }> {
  const on = v.on ?? today();
  const year = await getYearByYear(db, v.year);
  if (!year) return { inputs: 0 };
  const allIndicators = await listIndicators(db, year.id);
  if (!allIndicators.some((i) => i.dataSource === 'supervision')) return { inputs: 0 };
  const units = new Map((await listUnits(db)).map((u) => [u.id, u]));
  const months = v.months ?? monthsOf(v.year, on);
  const byMonth = await statsByMonth(db, v.year, months, on, v.unitIds);
  // Proposals (议案提案): on-time reply and satisfaction figures beside the tasks' (supervision.proposals.repo.ts).
  const proposals = await proposalInputFields(db, v.year, months, on, v.unitIds);
  const rows: ScoreInputWrite[] = [];
  const now = new Date();
  for (const { period, stats } of byMonth) {
    const pf = proposals.get(period) ?? new Map<number, Record<string, unknown>>();
    // A unit with proposals counted but no task due gets its proposal figures with no 督办完成率 value.
    for (const unitId of pf.keys()) if (!stats.has(unitId)) stats.set(unitId, emptyUnitStats(unitId));
    for (const s of stats.values()) {
      const unit = units.get(s.unitId);
      if (!unit || (s.onTimeRate === null && !pf.has(s.unitId))) continue;
      for (const leaf of leavesFor(unit, allIndicators)) {
        if (leaf.dataSource !== 'supervision') continue;
        rows.push({
          yearId: year.id,
          indicatorId: leaf.id,
          unitId: s.unitId,
          period,
          value: s.onTimeRate,
          fields: {
            ...pf.get(s.unitId),
            due: s.due,
            onTime: s.onTime,
            milestonesDue: s.milestonesDue,
            milestonesOnTime: s.milestonesOnTime,
            milestoneRate: s.milestoneRate,
            rated: s.rated,
            ratingAverage: s.ratingAverage,
            dueTaskIds: s.dueTaskIds,
            onTimeTaskIds: s.onTimeTaskIds,
          },
          source: 'supervision',
          sourceRef: `supervision:${s.unitId}:${period}`,
          enteredBy: null,
          enteredByName: INPUT_AUTHOR,
          enteredAt: now,
        });
      }
    }
  }
  await upsertScoreInputs(db, rows);
  return { inputs: rows.length };
}

/** The job's pass: lights of every live task as of today, and SMS reminders (催办) for red tasks not reminded today. */
export async function lightsAndReminders(db: Db): Promise<{ tasks: number; red: number; reminders: number }> {
  const on = today();
  const cal = await loadCalendar(db);
  const r = await db.transaction((tx) => refreshLights(tx, on, cal));
  const red = (await repo.liveTasks(db)).filter(
    (t) => t.light === 'red' && t.remindedOn !== on && t.leadUnitId !== null,
  );
  let reminders = 0;
  for (const t of red) {
    const phones = await repo.unitPhones(db, t.leadUnitId!);
    await db.transaction(async (tx) => {
      const text = `督办事项「${t.title.slice(0, 40)}」已亮红灯（${reasonsZh(t.lightReasons)}），请登录效能平台及时报送进展。`;
      await enqueueSms(
        tx,
        phones.map((phone) => ({ caseId: null, phone, template: 'supervision_reminder' as const, params: { text } })),
      );
      await repo.markReminded(tx, [t.id], on);
      // The unit also sees it in the app (我的督办 → 催办), and the leader in charge among their red tasks.
      await recordReminder(tx, t);
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: 'supervision.remind',
        entityType: 'supervision_task',
        entityId: t.id,
        unitId: t.leadUnitId,
        after: { phones: phones.length },
      });
    });
    reminders += phones.length;
  }
  return { ...r, reminders };
}

/** The job's statistics pass: this month's and last month's inputs for every unit (reviews write their own at once). */
export async function statisticsPass(db: Db): Promise<{ inputs: number }> {
  const on = today();
  const [y, m] = [Number(on.slice(0, 4)), Number(on.slice(5, 7))];
  let inputs = 0;
  await db.transaction(async (tx) => {
    inputs += (await syncScoreInputs(tx, { year: y, on, months: [`${y}-${String(m).padStart(2, '0')}`] })).inputs;
    if (m > 1)
      inputs += (await syncScoreInputs(tx, { year: y, on, months: [`${y}-${String(m - 1).padStart(2, '0')}`] })).inputs;
    if (inputs)
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: 'supervision.stats',
        entityType: 'score_inputs',
        entityId: `supervision:${y}-${m}`,
        after: { inputs },
      });
  });
  return { inputs };
}

export { TASK_ACTIONS };
