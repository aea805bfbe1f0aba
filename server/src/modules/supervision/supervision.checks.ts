/**
 * Field checks (实地督查) on supervision tasks: the office records a dated visit (people, 听/问/看/查/访,
 * 明察/暗访, findings, photos) with rectification points (整改要求); the lead unit answers each point (text and
 * an optional file); the office accepts the answer or returns it with a reason. A task may be checked again
 * and again (反复督查): every check stays, numbered 第N次督查, and each step is on the task's timeline.
 * Scope: the task's visibility (a unit sees checks of its own tasks, lead or co-unit); only the lead unit answers.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import { pageOf, readPage, cappedCount } from '../../platform/lists.js';
import { recordAudit } from '../audit/index.js';
import { inScope } from '../units/index.js';
import { loadVisible, userOf, visibility } from './supervision.access.js';
import * as repo from './supervision.repo.js';
import * as frepo from './supervision.fieldwork.repo.js';
import { checkLabel, nextCheckSeq, nextPointStatus, type PointAction } from './supervision.fieldwork.logic.js';
import type {
  TCheck,
  TCheckCreate,
  TCheckList,
  TChecksQuery,
  TPoint,
  TPointAnswer,
  TPointRow,
  TTaskChecks,
} from './supervision.fieldwork.schema.js';
import type { CheckMethod, CheckMode, PointStatus } from './supervision.fieldwork.table.js';

const today = () => beijingDate(new Date());
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
export const METHOD_ZH: Record<CheckMethod, string> = {
  listen: '听',
  ask: '问',
  look: '看',
  inspect: '查',
  visit: '访',
};
export const MODE_ZH: Record<CheckMode, string> = { open: '明察', covert: '暗访' };
const NOT_IN_LEDGER = ['proposed', 'declined', 'merged'];

const isOffice = (ctx: Ctx) => userOf(ctx).permissions.has('supervision.manage');

/** The user reports for the task's lead unit (only the lead unit answers rectification points). */
async function leads(ctx: Ctx, t: repo.TaskRow): Promise<boolean> {
  if (!userOf(ctx).permissions.has('supervision.report') || t.leadUnitId === null) return false;
  return inScope(await ctx.scope(), t.leadUnitId);
}

function pointActions(status: PointStatus, office: boolean, lead: boolean): TPoint['actions'] {
  const out: TPoint['actions'] = [];
  if (lead && nextPointStatus(status, 'answer')) out.push('answer');
  if (office && nextPointStatus(status, 'accept')) out.push('accept', 'return');
  return out;
}

/** The checks of a visible task, oldest first, with their points, answers and what the user may do. */
export async function listTaskChecks(ctx: Ctx, taskId: number): Promise<TTaskChecks> {
  const t = await loadVisible(ctx, taskId);
  const [checks, points, files] = await Promise.all([
    frepo.checksOfTask(ctx.db, taskId),
    frepo.pointsOfTask(ctx.db, taskId),
    repo.files(ctx.db, taskId),
  ]);
  const events = await frepo.pointEvents(
    ctx.db,
    points.map((p) => p.id),
  );
  const office = isOffice(ctx);
  const lead = await leads(ctx, t);
  const fileName = new Map(files.map((f) => [f.id, f.name]));
  return {
    taskId,
    canCheck: office && !NOT_IN_LEDGER.includes(t.status),
    checks: checks.map((c): TCheck => ({
      id: c.id,
      taskId: c.taskId,
      seq: c.seq,
      label: checkLabel(c.seq, ctx.lang),
      checkedOn: c.checkedOn,
      people: c.people,
      methods: c.methods,
      mode: c.mode,
      findings: c.findings,
      photos: c.photoIds.map((id) => ({ id, name: fileName.get(id) ?? String(id) })),
      createdByName: c.createdByName,
      createdAt: iso(c.createdAt),
      points: points
        .filter((p) => p.checkId === c.id)
        .map((p) => ({
          id: p.id,
          checkId: p.checkId,
          taskId: p.taskId,
          seq: p.seq,
          requirement: p.requirement,
          dueOn: p.dueOn,
          status: p.status,
          answer: p.answer,
          answerFileId: p.answerFileId,
          answeredAt: p.answeredAt ? iso(p.answeredAt) : null,
          returnReason: p.returnReason,
          history: events
            .filter((e) => e.pointId === p.id)
            .map((e) => ({ kind: e.kind, note: e.note, fileId: e.fileId, actorName: e.actorName, at: iso(e.at) })),
          actions: pointActions(p.status, office, lead),
        })),
    })),
  };
}

async function checkTaskFiles(db: Db, taskId: number, ids: readonly number[], field: string, images: boolean) {
  for (const id of ids) {
    const f = await repo.findFile(db, id);
    if (!f || f.taskId !== taskId)
      throw invalid(
        field,
        '附件不属于该事项，请先上传到该事项',
        'A file does not belong to this task; upload it first',
      );
    if (images && !f.mime.startsWith('image/'))
      throw invalid(field, '现场照片须为图片文件', 'A photo must be an image file');
  }
}

/** The office records a field check on a task in the ledger; numbered 第N次督查 in the task's history. */
export async function createCheck(ctx: Ctx, taskId: number, input: TCheckCreate): Promise<TTaskChecks> {
  const user = userOf(ctx);
  const t0 = await loadVisible(ctx, taskId);
  if (!isOffice(ctx)) throw forbidden();
  if (NOT_IN_LEDGER.includes(t0.status)) throw new AppError('INVALID_STATE');
  const on = today();
  if (input.checkedOn > on) throw invalid('checkedOn', '督查日期不能晚于今天', 'The check date is in the future');
  if (input.checkedOn < t0.startDate)
    throw invalid('checkedOn', '督查日期早于事项开始日期', 'The check date is before the task started');
  input.points.forEach((p, i) => {
    if (p.dueOn !== null && p.dueOn < input.checkedOn)
      throw invalid(`points.${i}.dueOn`, '整改期限不能早于督查日期', 'A rectification is due before the check date');
  });
  if (new Set(input.photoIds).size !== input.photoIds.length)
    throw invalid('photoIds', '照片重复', 'A photo is listed twice');
  await checkTaskFiles(ctx.db, taskId, input.photoIds, 'photoIds', true);
  const methods = [...new Set(input.methods)];
  await ctx.db.transaction(async (tx) => {
    // The task's row lock serialises two checks entered at once, so their numbers follow each other.
    await repo.findTask(tx, taskId, true);
    const seq = nextCheckSeq(await frepo.checkSeqs(tx, taskId));
    const c = await frepo.insertCheck(tx, {
      taskId,
      seq,
      checkedOn: input.checkedOn,
      people: input.people,
      methods,
      mode: input.mode,
      findings: input.findings,
      photoIds: input.photoIds,
      createdBy: user.id,
      createdByName: user.displayName,
    });
    await frepo.insertPoints(
      tx,
      input.points.map((p, i) => ({
        checkId: c.id,
        taskId,
        seq: i + 1,
        requirement: p.requirement,
        dueOn: p.dueOn,
      })),
    );
    const how = `${MODE_ZH[input.mode]}；${methods.map((m) => METHOD_ZH[m]).join('、')}`;
    await repo.insertEvent(tx, {
      taskId,
      kind: 'fieldCheck',
      actorId: user.id,
      actorName: user.displayName,
      unitId: t0.leadUnitId,
      note: `${checkLabel(seq)}（${input.checkedOn}，${how}）：${input.findings}${
        input.points.length ? `\n整改要求 ${input.points.length} 项` : ''
      }`,
      fileIds: input.photoIds,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.check',
      entityType: 'supervision_check',
      entityId: c.id,
      unitId: t0.leadUnitId,
      after: { taskId, seq, ...input, methods },
    });
  });
  return listTaskChecks(ctx, taskId);
}

async function loadPoint(ctx: Ctx, pointId: number) {
  const p = await frepo.findPoint(ctx.db, pointId);
  if (!p) throw notFound();
  const t = await loadVisible(ctx, p.taskId);
  return { p, t };
}

/**
 * One step on a rectification point: the lead unit answers (text, optional file of the task); the office
 * accepts the answer or returns it with a reason. Timeline event and audit entry in the same transaction.
 */
export async function actOnPoint(
  ctx: Ctx,
  pointId: number,
  step:
    | { action: 'answer'; body: TPointAnswer }
    | { action: 'accept'; note: string }
    | { action: 'return'; reason: string },
): Promise<TTaskChecks> {
  const user = userOf(ctx);
  const { p: p0, t } = await loadPoint(ctx, pointId);
  const allowed = step.action === 'answer' ? await leads(ctx, t) : isOffice(ctx);
  if (!allowed) throw forbidden();
  if (step.action === 'answer' && step.body.fileId !== null)
    await checkTaskFiles(ctx.db, t.id, [step.body.fileId], 'fileId', false);
  const check = await frepo.findCheck(ctx.db, p0.checkId);
  await ctx.db.transaction(async (tx) => {
    const p = (await frepo.findPoint(tx, pointId, true))!;
    const to = nextPointStatus(p.status, step.action as PointAction);
    if (!to) throw new AppError('INVALID_STATE');
    const now = new Date();
    let note = '';
    let fileId: number | null = null;
    if (step.action === 'answer') {
      note = step.body.answer;
      fileId = step.body.fileId;
      await frepo.updatePoint(tx, pointId, { status: to, answer: note, answerFileId: fileId, answeredAt: now });
    } else {
      note = step.action === 'accept' ? step.note : step.reason;
      await frepo.updatePoint(tx, pointId, {
        status: to,
        decidedAt: now,
        returnReason: step.action === 'return' ? step.reason : p.returnReason,
      });
    }
    await frepo.insertPointEvent(tx, {
      pointId,
      kind: step.action,
      note,
      fileId,
      actorId: user.id,
      actorName: user.displayName,
      unitId: step.action === 'answer' ? t.leadUnitId : null,
    });
    const head = `${checkLabel(check?.seq ?? 0)} 整改要求 ${p.seq}「${p.requirement.slice(0, 60)}」`;
    await repo.insertEvent(tx, {
      taskId: t.id,
      kind: step.action === 'answer' ? 'checkAnswer' : step.action === 'accept' ? 'checkAccept' : 'checkReturn',
      actorId: user.id,
      actorName: user.displayName,
      unitId: step.action === 'answer' ? t.leadUnitId : null,
      note: note ? `${head}：${note}` : head,
      fileIds: fileId ? [fileId] : [],
    });
    await recordAudit(tx, ctx.actor, {
      action: `supervision.check.${step.action}`,
      entityType: 'supervision_check_point',
      entityId: pointId,
      unitId: t.leadUnitId,
      before: { status: p.status },
      after: { status: to, note, fileId },
    });
  });
  return listTaskChecks(ctx, t.id);
}

/** The checks the user may see (the ledger's visibility), newest first, with their points' counts. */
export async function listChecks(ctx: Ctx, q: TChecksQuery): Promise<TCheckList> {
  const v = await visibility(ctx);
  const f = { unitId: q.unitId, mode: q.mode, from: q.from, to: q.to, pending: q.pending };
  const page = await readPage(
    pageOf(q.page, q.pageSize),
    (limit, offset) => frepo.checkList(ctx.db, v, f, limit, offset),
    (cap) => cappedCount(ctx.db, frepo.checkListFrom(v, f), cap),
  );
  return {
    total: page.total,
    rows: page.rows.map((r) => ({
      id: r.id,
      taskId: r.task_id,
      taskTitle: r.task_title,
      leadUnitName: r.lead_unit_name,
      seq: r.seq,
      checkedOn: r.checked_on,
      people: r.people,
      methods: r.methods as CheckMethod[],
      mode: r.mode as CheckMode,
      findings: r.findings,
      points: r.points,
      open: r.open,
      answered: r.answered,
      accepted: r.accepted,
    })),
  };
}

/**
 * The points of the user's inbox: `to_answer`, the open or returned points of tasks led by the user's unit(s)
 * (for the office: every such point); `to_decide`, answered points of visible tasks awaiting the office.
 */
export async function listPoints(ctx: Ctx, state: 'to_answer' | 'to_decide'): Promise<TPointRow[]> {
  const user = userOf(ctx);
  const scope = await ctx.scope();
  const v = await visibility(ctx);
  let cond;
  if (state === 'to_answer') {
    // Only the lead unit answers: a co-unit's or a leader's inbox has none of them.
    if (scope.all) cond = repo.visibleSql(v);
    else if (!user.permissions.has('supervision.report')) return [];
    else cond = frepo.leadInSql([...scope.unitIds]);
  } else cond = repo.visibleSql(v);
  const rows = await frepo.pointList(ctx.db, cond, state === 'to_answer' ? ['open', 'returned'] : ['answered']);
  return rows.map((r) => ({
    id: r.id,
    taskId: r.task_id,
    taskTitle: r.task_title,
    leadUnitName: r.lead_unit_name,
    checkSeq: r.check_seq,
    checkedOn: r.checked_on,
    seq: r.seq,
    requirement: r.requirement,
    dueOn: r.due_on,
    status: r.status as PointStatus,
    returnReason: r.return_reason,
  }));
}
