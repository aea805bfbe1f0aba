/**
 * Scoring: the office's corrections — accountability deductions and manual score inputs, each audited and
 * bumping the year's score version in its transaction.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { getYear, leavesFor, listIndicators, type TYear } from '../performance/index.js';
import { assertUnitInScope, inScope, listUnits } from '../units/index.js';
import * as inputsRepo from '../inputs/index.js';
import { bumpScoreVersion, upsertScoreInputs } from '../inputs/index.js';
import { monthIndex } from './scoring.model.js';
import * as repo from './scoring.repo.js';
import type { TDeduction, TDeductionCreate, TDeductionUpdate, TManualInput, TScoreInput } from './scoring.schema.js';
import { presentProvenance } from './scoring.live.js';

// ---------- accountability deductions ----------

async function yearForChange(db: Db, yearId: number, field = 'yearId'): Promise<TYear> {
  const year = await getYear(db, yearId).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'NOT_FOUND')
      throw invalid(field, '考核年度不存在', 'The year does not exist');
    throw e;
  });
  if (year.status === 'closed')
    throw new AppError('IMMUTABLE', { zh: `${year.name}已结束，不能再修改`, en: `${year.name} is closed` });
  if (year.status === 'draft')
    throw new AppError('INVALID_STATE', { zh: `${year.name}尚未生效`, en: `${year.name} is not in force yet` });
  return year;
}

function presentDeduction(d: repo.DeductionRowDb, unitName: string): TDeduction {
  return {
    id: d.id,
    yearId: d.yearId,
    unitId: d.unitId,
    unitName,
    period: d.period,
    points: Number(d.points),
    reason: d.reason,
    documentNo: d.documentNo,
    createdByName: d.createdByName,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

/** A year's accountability deductions of the units in the caller's scope. */
export async function listDeductions(ctx: Ctx, yearId: number, unitId?: number): Promise<TDeduction[]> {
  await getYear(ctx.db, yearId);
  if (unitId !== undefined) await assertUnitInScope(ctx, unitId);
  const scope = await ctx.scope();
  const [rows, units] = await Promise.all([repo.listDeductions(ctx.db, yearId, unitId), listUnits(ctx.db)]);
  const names = new Map(units.map((u) => [u.id, u.name]));
  return rows.filter((r) => inScope(scope, r.unitId)).map((r) => presentDeduction(r, names.get(r.unitId) ?? ''));
}

async function unitName(db: Db, unitId: number): Promise<string> {
  const units = await listUnits(db);
  const u = units.find((x) => x.id === unitId);
  if (!u) throw invalid('unitId', '单位不存在', 'The unit does not exist');
  return u.name;
}

/** Records an accountability deduction (reason and document number required); scores recompute. */
export async function createDeduction(ctx: Ctx, body: TDeductionCreate): Promise<TDeduction> {
  const year = await yearForChange(ctx.db, body.yearId);
  if (monthIndex(year.year, body.period) < 0)
    throw invalid('period', `月份应在 ${year.year} 年内`, `The month must be in ${year.year}`);
  const name = await unitName(ctx.db, body.unitId);
  const user = ctx.user!;
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertDeduction(tx, { ...body, createdBy: user.id, createdByName: user.displayName });
    const out = presentDeduction(row, name);
    await recordAudit(tx, ctx.actor, {
      action: 'deduction.create',
      entityType: 'accountability_deduction',
      entityId: row.id,
      unitId: row.unitId,
      after: out,
    });
    await bumpScoreVersion(tx, year.id);
    return out;
  });
}

export async function updateDeduction(ctx: Ctx, id: number, body: TDeductionUpdate): Promise<TDeduction> {
  const before = await repo.findDeduction(ctx.db, id);
  if (!before) throw notFound();
  const year = await yearForChange(ctx.db, before.yearId);
  if (body.period !== undefined && monthIndex(year.year, body.period) < 0)
    throw invalid('period', `月份应在 ${year.year} 年内`, `The month must be in ${year.year}`);
  const name = await unitName(ctx.db, before.unitId);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.updateDeduction(tx, id, body);
    const out = presentDeduction(row, name);
    await recordAudit(tx, ctx.actor, {
      action: 'deduction.update',
      entityType: 'accountability_deduction',
      entityId: id,
      unitId: row.unitId,
      before: presentDeduction(before, name),
      after: out,
    });
    await bumpScoreVersion(tx, year.id);
    return out;
  });
}

export async function deleteDeduction(ctx: Ctx, id: number): Promise<void> {
  const before = await repo.findDeduction(ctx.db, id);
  if (!before) throw notFound();
  const year = await yearForChange(ctx.db, before.yearId);
  const name = await unitName(ctx.db, before.unitId);
  await ctx.db.transaction(async (tx) => {
    await repo.deleteDeduction(tx, id);
    await recordAudit(tx, ctx.actor, {
      action: 'deduction.delete',
      entityType: 'accountability_deduction',
      entityId: id,
      unitId: before.unitId,
      before: presentDeduction(before, name),
    });
    await bumpScoreVersion(tx, year.id);
  });
}

// ---------- score inputs ----------

function presentInput(r: inputsRepo.InputRowDb): TScoreInput {
  return {
    indicatorId: r.indicatorId,
    unitId: r.unitId,
    period: r.period,
    value: r.value === null ? null : Number(r.value),
    fields: r.fields ?? {},
    provenance: presentProvenance(r),
  };
}

/** A unit's inputs of a year (optionally of one indicator), with provenance. */
export async function listInputs(
  ctx: Ctx,
  q: { yearId: number; unitId: number; indicatorId?: number },
): Promise<TScoreInput[]> {
  await assertUnitInScope(ctx, q.unitId);
  await getYear(ctx.db, q.yearId);
  return (
    await inputsRepo.unitInputs(ctx.db, q.yearId, q.unitId, q.indicatorId === undefined ? undefined : [q.indicatorId])
  ).map(presentInput);
}

/**
 * The office enters (or corrects) an assessment result by hand: source 'manual', the reason kept as
 * the source reference, audited with the value it replaces. Scores recompute on the next read.
 */
export async function enterInput(ctx: Ctx, body: TManualInput): Promise<TScoreInput> {
  const year = await yearForChange(ctx.db, body.yearId);
  if (monthIndex(year.year, body.period) < 0)
    throw invalid('period', `月份应在 ${year.year} 年内`, `The month must be in ${year.year}`);
  const indicators = await listIndicators(ctx.db, year.id);
  const ind = indicators.find((n) => n.id === body.indicatorId);
  if (!ind) throw invalid('indicatorId', '指标不属于该考核年度', 'The indicator is not part of the year');
  if (indicators.some((n) => n.parentId === ind.id))
    throw invalid('indicatorId', '只能为末级指标录入数据', 'Values go to leaf indicators only');
  const units = await listUnits(ctx.db);
  const unit = units.find((u) => u.id === body.unitId);
  if (!unit) throw invalid('unitId', '单位不存在', 'The unit does not exist');
  if (!leavesFor(unit, indicators).some((l) => l.id === ind.id))
    throw invalid('unitId', `指标「${ind.name}」不适用于${unit.name}`, `${ind.code} does not apply to ${unit.code}`);
  const before = await inputsRepo.findInput(ctx.db, body.indicatorId, body.unitId, body.period);
  // Protected history: a value from an accepted submission (source_ref `submission:<id>#r<n>`) changes only
  // through the revision path (the unit's request with a reason, the office's approval, history visible to
  // the unit), which updates the submission and this input together. Entering the same value is a no-op.
  if (before?.sourceRef?.startsWith('submission:')) {
    if (before.value !== null && Number(before.value) === body.value) return presentInput(before);
    throw new AppError('IMMUTABLE', {
      field: 'value',
      zh: `${unit.name}${body.period} 的「${ind.name}」已有审核通过的填报数据（${before.value ?? '空'}），不能直接录入不同的值：请由单位提出更正申请（说明理由），经绩效办审批后生效，更正记录对单位可见`,
      en: `${unit.code} has accepted data for ${ind.code} in ${body.period} (${before.value ?? 'empty'}); a different value goes through a revision request (reason, approval, visible to the unit)`,
    });
  }
  const user = ctx.user!;
  return ctx.db.transaction(async (tx) => {
    await upsertScoreInputs(tx, [
      {
        yearId: year.id,
        indicatorId: ind.id,
        unitId: unit.id,
        period: body.period,
        value: body.value,
        fields: before?.fields ?? {},
        source: 'manual',
        sourceRef: `绩效办录入：${body.reason}`,
        enteredBy: user.id,
        enteredByName: user.displayName,
      },
    ]);
    const after = (await inputsRepo.findInput(tx, ind.id, unit.id, body.period))!;
    const out = presentInput(after);
    await recordAudit(tx, ctx.actor, {
      action: 'score_input.manual',
      entityType: 'score_input',
      entityId: `${ind.id}:${unit.id}:${body.period}`,
      unitId: unit.id,
      before: before ? presentInput(before) : null,
      after: out,
    });
    return out;
  });
}
