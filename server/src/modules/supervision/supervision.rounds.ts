/**
 * Reconciliation rounds (季度对账 / 年中查账 / 年底收账): the office opens a round, which snapshots the live
 * tasks of the year with their status, progress and light, per lead unit; each unit confirms each of its
 * rows or states a difference (the stage and progress it claims, with a note); the office resolves every
 * difference (accept the claim, optionally writing the claimed progress into the task, or keep the ledger
 * with a reason) and closes the round, which keeps its counts as the record.
 * Scope: the office (and office-wide roles) see the whole round; a unit sees and confirms only its rows.
 */
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { inScope } from '../units/index.js';
import * as repo from './supervision.repo.js';
import * as frepo from './supervision.fieldwork.repo.js';
import { refreshLights } from './supervision.upkeep.js';
import { roundRecord, roundTitle, rowDifferences, stageOf, unitProgress } from './supervision.fieldwork.logic.js';
import type {
  TRound,
  TRoundCreate,
  TRoundDetail,
  TRoundRow,
  TRowConfirm,
  TRowResolve,
} from './supervision.fieldwork.schema.js';
import { userOf } from './supervision.access.js';

const today = () => beijingDate(new Date());
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

const isOffice = (ctx: Ctx) => userOf(ctx).permissions.has('supervision.manage');

/** The units whose rows the user sees: null for all (office-wide scope), else the units in scope. */
async function rowUnits(ctx: Ctx): Promise<number[] | null> {
  const scope = await ctx.scope();
  return scope.all ? null : [...scope.unitIds];
}

function presentRound(r: frepo.RoundRow, rows: readonly frepo.RoundTaskRow[], all: boolean): TRound {
  const counts = all && r.status === 'closed' && r.record ? (r.record as TRound['counts']) : roundRecord(rows);
  return {
    id: r.id,
    year: r.year,
    kind: r.kind,
    title: r.title,
    asOf: r.asOf,
    status: r.status,
    openedByName: r.openedByName,
    openedAt: iso(r.openedAt),
    closedByName: r.closedByName,
    closedAt: r.closedAt ? iso(r.closedAt) : null,
    closeNote: r.closeNote,
    counts,
  };
}

/** The rounds the user may see (those with rows of their units), with the counts of the rows they see. */
export async function listRounds(ctx: Ctx, year?: number): Promise<TRound[]> {
  const units = await rowUnits(ctx);
  const rounds = await frepo.roundsOf(ctx.db, units, year);
  const out: TRound[] = [];
  for (const r of rounds) out.push(presentRound(r, await frepo.roundRows(ctx.db, r.id, units), units === null));
  return out;
}

/** The office opens a round: the live tasks of the as-of date's year (of the chosen units) are snapshotted. */
export async function openRound(ctx: Ctx, input: TRoundCreate): Promise<TRoundDetail> {
  const user = userOf(ctx);
  if (input.asOf > today()) throw invalid('asOf', '对账截止日期不能晚于今天', 'The as-of date is in the future');
  if (input.unitIds.length && !(await repo.unitsExist(ctx.db, input.unitIds)))
    throw invalid('unitIds', '单位不存在', 'A unit does not exist');
  const year = Number(input.asOf.slice(0, 4));
  const id = await ctx.db.transaction(async (tx) => {
    const tasks = await frepo.snapshotTasks(tx, year, input.unitIds);
    if (!tasks.length)
      throw invalid('unitIds', '所选单位在该年度没有在办督办事项', 'The chosen units have no live task in that year');
    const round = await frepo.insertRound(tx, {
      year,
      kind: input.kind,
      title: input.title || roundTitle(input.kind, input.asOf),
      asOf: input.asOf,
      openedBy: user.id,
      openedByName: user.displayName,
    });
    await frepo.insertRoundRows(
      tx,
      tasks.map((t) => ({
        roundId: round.id,
        taskId: t.id,
        unitId: t.lead_unit_id,
        title: t.title,
        snapStatus: t.status,
        snapProgress: t.progress,
        snapLight: t.light,
        snapDeadline: t.deadline,
      })),
    );
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.round.open',
      entityType: 'supervision_round',
      entityId: round.id,
      after: {
        ...input,
        title: round.title,
        tasks: tasks.length,
        units: new Set(tasks.map((t) => t.lead_unit_id)).size,
      },
    });
    return round.id;
  });
  return getRound(ctx, id);
}

/** A round the user may see: the office any, a unit one with rows of its units (else 404). */
async function visibleRound(ctx: Ctx, id: number) {
  const r = await frepo.findRound(ctx.db, id);
  if (!r) throw notFound();
  const units = await rowUnits(ctx);
  const rows = await frepo.roundRows(ctx.db, id, units);
  if (units !== null && !rows.length) throw notFound();
  return { r, rows, all: units === null };
}

/** May the user confirm this row: reports for the row's unit, round open, difference not yet resolved. */
async function mayConfirm(ctx: Ctx, row: frepo.RoundTaskRow): Promise<boolean> {
  return userOf(ctx).permissions.has('supervision.report') && inScope(await ctx.scope(), row.unitId);
}

/** The round with per-unit progress and the rows the user sees, and what the user may do. */
export async function getRound(ctx: Ctx, id: number): Promise<TRoundDetail> {
  const { r, rows, all } = await visibleRound(ctx, id);
  const names = await repo.unitNames(ctx.db, [...new Set(rows.map((x) => x.unitId))]);
  const office = isOffice(ctx);
  const open = r.status === 'open';
  const out: TRoundRow[] = [];
  let canConfirm = false;
  for (const x of rows) {
    const actions: TRoundRow['actions'] = [];
    if (open && x.resolution === null && (await mayConfirm(ctx, x))) {
      actions.push('confirm');
      canConfirm = true;
    }
    if (open && office && x.state === 'differs' && x.resolution === null) actions.push('resolve');
    out.push({
      id: x.id,
      taskId: x.taskId,
      unitId: x.unitId,
      unitName: names.get(x.unitId) ?? '',
      title: x.title,
      snapStatus: x.snapStatus,
      snapStage: stageOf(x.snapStatus),
      snapProgress: x.snapProgress,
      snapLight: x.snapLight,
      snapDeadline: x.snapDeadline,
      state: x.state,
      claimedStatus: x.claimedStatus,
      claimedProgress: x.claimedProgress,
      differences:
        x.state === 'differs'
          ? rowDifferences(
              { status: x.snapStatus, progress: x.snapProgress },
              { claimedStatus: x.claimedStatus, claimedProgress: x.claimedProgress },
            )
          : [],
      note: x.note,
      confirmedByName: x.confirmedByName,
      confirmedAt: x.confirmedAt ? iso(x.confirmedAt) : null,
      resolution: x.resolution,
      resolutionReason: x.resolutionReason,
      progressApplied: x.progressApplied,
      resolvedByName: x.resolvedByName,
      resolvedAt: x.resolvedAt ? iso(x.resolvedAt) : null,
      actions,
    });
  }
  return {
    ...presentRound(r, rows, all),
    units: unitProgress(rows).map((u) => ({ ...u, unitName: names.get(u.unitId) ?? '' })),
    rows: out,
    canManage: office && open,
    canConfirm,
  };
}

async function loadRow(ctx: Ctx, rowId: number) {
  const row = await frepo.findRoundRow(ctx.db, rowId);
  if (!row) throw notFound();
  const units = await rowUnits(ctx);
  if (units !== null && !units.includes(row.unitId)) throw notFound();
  return row;
}

/** A unit confirms a row as snapshotted, or states a difference (a claimed stage and/or progress, with a note). */
export async function confirmRow(ctx: Ctx, rowId: number, input: TRowConfirm): Promise<TRoundDetail> {
  const user = userOf(ctx);
  const row0 = await loadRow(ctx, rowId);
  if (!(await mayConfirm(ctx, row0))) throw forbidden();
  if (!input.agrees) {
    if (input.claimedStatus === null && input.claimedProgress === null)
      throw invalid('claimedProgress', '请填写单位掌握的进度或状态', 'State the progress or stage the unit reports');
    if (!input.note) throw invalid('note', '请说明差异情况', 'Explain the difference');
    const diff = rowDifferences(
      { status: row0.snapStatus, progress: row0.snapProgress },
      { claimedStatus: input.claimedStatus, claimedProgress: input.claimedProgress },
    );
    if (!diff.length)
      throw invalid(
        'claimedProgress',
        '所报情况与台账一致，请直接确认',
        'The claim equals the ledger; confirm the row instead',
      );
  }
  await ctx.db.transaction(async (tx) => {
    const round = (await frepo.findRound(tx, row0.roundId, true))!;
    const row = (await frepo.findRoundRow(tx, rowId, true))!;
    if (round.status !== 'open' || row.resolution !== null) throw new AppError('INVALID_STATE');
    const set = input.agrees
      ? { state: 'confirmed' as const, claimedStatus: null, claimedProgress: null, note: input.note }
      : {
          state: 'differs' as const,
          claimedStatus: input.claimedStatus,
          claimedProgress: input.claimedProgress,
          note: input.note,
        };
    await frepo.updateRoundRow(tx, rowId, {
      ...set,
      confirmedBy: user.id,
      confirmedByName: user.displayName,
      confirmedAt: new Date(),
    });
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.round.confirm',
      entityType: 'supervision_round_row',
      entityId: rowId,
      unitId: row.unitId,
      before: { state: row.state, claimedStatus: row.claimedStatus, claimedProgress: row.claimedProgress },
      after: { roundId: row.roundId, taskId: row.taskId, ...set },
    });
  });
  return getRound(ctx, row0.roundId);
}

/** A unit confirms every pending row of its units in the round at once (an unchanged ledger). */
export async function confirmAll(ctx: Ctx, roundId: number, note: string): Promise<TRoundDetail> {
  const user = userOf(ctx);
  const { r } = await visibleRound(ctx, roundId);
  if (!user.permissions.has('supervision.report')) throw forbidden();
  const scope = await ctx.scope();
  await ctx.db.transaction(async (tx) => {
    const round = (await frepo.findRound(tx, r.id, true))!;
    if (round.status !== 'open') throw new AppError('INVALID_STATE');
    const rows = (await frepo.roundRows(tx, r.id, null)).filter(
      (x) => x.state === 'pending' && inScope(scope, x.unitId),
    );
    if (!rows.length) return;
    for (const x of rows)
      await frepo.updateRoundRow(tx, x.id, {
        state: 'confirmed',
        note,
        confirmedBy: user.id,
        confirmedByName: user.displayName,
        confirmedAt: new Date(),
      });
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.round.confirmAll',
      entityType: 'supervision_round',
      entityId: r.id,
      unitId: user.unitId,
      after: { rowIds: rows.map((x) => x.id), note },
    });
  });
  return getRound(ctx, r.id);
}

/**
 * The office resolves a stated difference: accepted (with applyProgress, the claimed progress is written
 * into the live task, with a timeline event and its light recomputed) or kept (a reason is required).
 */
export async function resolveRow(ctx: Ctx, rowId: number, input: TRowResolve): Promise<TRoundDetail> {
  const user = userOf(ctx);
  const row0 = await loadRow(ctx, rowId);
  if (!isOffice(ctx)) throw forbidden();
  if (input.decision === 'kept' && !input.reason)
    throw invalid('reason', '维持台账须说明理由', 'Keeping the ledger needs a reason');
  if (input.decision === 'kept' && input.applyProgress)
    throw invalid('applyProgress', '维持台账时不能更新进度', 'Keeping the ledger cannot update the progress');
  if (input.applyProgress && row0.claimedProgress === null)
    throw invalid('applyProgress', '单位未报进度，无可更新', 'The unit claimed no progress to apply');
  const cal = input.applyProgress ? await loadCalendar(ctx.db) : null;
  await ctx.db.transaction(async (tx) => {
    const round = (await frepo.findRound(tx, row0.roundId, true))!;
    const row = (await frepo.findRoundRow(tx, rowId, true))!;
    if (round.status !== 'open' || row.state !== 'differs' || row.resolution !== null)
      throw new AppError('INVALID_STATE');
    let applied = false;
    if (input.applyProgress && row.claimedProgress !== null) {
      const t = (await repo.findTask(tx, row.taskId, true))!;
      const live = ['assigned', 'signed', 'plan_submitted', 'in_progress', 'completion_applied'].includes(t.status);
      if (!live)
        throw invalid(
          'applyProgress',
          '事项已不在办理中，不能更新进度',
          'The task is no longer live; its progress stays',
        );
      await repo.updateTask(tx, t.id, { progress: row.claimedProgress });
      await repo.insertEvent(tx, {
        taskId: t.id,
        kind: 'reconcile',
        actorId: user.id,
        actorName: user.displayName,
        unitId: row.unitId,
        progress: row.claimedProgress,
        note: `${round.title}：采纳单位所报进度 ${t.progress}% → ${row.claimedProgress}%${input.reason ? `（${input.reason}）` : ''}`,
      });
      await refreshLights(tx, today(), cal!, [t.id]);
      applied = true;
    }
    await frepo.updateRoundRow(tx, rowId, {
      resolution: input.decision,
      resolutionReason: input.reason,
      progressApplied: applied,
      resolvedBy: user.id,
      resolvedByName: user.displayName,
      resolvedAt: new Date(),
    });
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.round.resolve',
      entityType: 'supervision_round_row',
      entityId: rowId,
      unitId: row.unitId,
      before: { resolution: null },
      after: { roundId: row.roundId, taskId: row.taskId, ...input, progressApplied: applied },
    });
  });
  return getRound(ctx, row0.roundId);
}

/** The office closes the round once every difference is resolved; its counts are kept as the record. */
export async function closeRound(ctx: Ctx, roundId: number, note: string): Promise<TRoundDetail> {
  const user = userOf(ctx);
  const r0 = await frepo.findRound(ctx.db, roundId);
  if (!r0) throw notFound();
  if (!isOffice(ctx)) throw forbidden();
  await ctx.db.transaction(async (tx) => {
    const round = (await frepo.findRound(tx, roundId, true))!;
    if (round.status !== 'open') throw new AppError('INVALID_STATE');
    const record = roundRecord(await frepo.roundRows(tx, roundId, null));
    if (record.unresolved > 0)
      throw new AppError('INVALID_STATE', {
        zh: `还有 ${record.unresolved} 条差异未处理，不能结束对账`,
        en: `${record.unresolved} differences are not resolved yet`,
      });
    await frepo.updateRound(tx, roundId, {
      status: 'closed',
      closedBy: user.id,
      closedByName: user.displayName,
      closedAt: new Date(),
      closeNote: note,
      record,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.round.close',
      entityType: 'supervision_round',
      entityId: roundId,
      before: { status: 'open' },
      after: { status: 'closed', note, record },
    });
  });
  return getRound(ctx, roundId);
}
