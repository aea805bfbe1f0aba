/**
 * Performance configuration: annual performance plans — targets, submitting, review and adjustments.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { type AuditEvent, recordAudit } from '../audit/index.js';
import { bumpScoreVersion } from '../inputs/index.js';
import { assertUnitInScope, getUnit, inScope, listUnits, type TUnit } from '../units/index.js';
import * as repo from './performance.repo.js';
import type {
  TAdjustment,
  TAdjustmentRequest,
  TIndicator,
  TPlan,
  TPlanItem,
  TPlanSummary,
  TPlanTargets,
} from './performance.schema.js';
import type { AdjustmentStatus } from './performance.table.js';
import { ancestorsOf, leavesFor, methodNeedsTarget } from './performance.tree.js';
import { assertNotClosed, yearRow } from './performance.years.js';
import { listIndicators } from './performance.indicators.js';
import { iso, presentAdjustment } from './performance.present.js';

// ---------- plans ----------

/** Each unit's plan status in a year (units without a plan are absent): for the completeness of scores. */
export async function planStatuses(db: Db, yearId: number): Promise<Map<number, repo.PlanRow['status']>> {
  return new Map((await repo.planStatusRows(db, yearId)).map((p) => [p.unitId, p.status]));
}

type Target = { target: number; challenge: number | null };

/** Approved targets of a year (of one unit when given): unitId → indicatorId → { target, challenge } (only plans with status approved). */
export async function approvedTargets(
  db: Db,
  yearId: number,
  unitId?: number,
): Promise<Map<number, Map<number, Target>>> {
  const out = new Map<number, Map<number, Target>>();
  for (const r of await repo.yearTargets(db, yearId, 'approved', unitId)) {
    let m = out.get(r.unitId);
    if (!m) out.set(r.unitId, (m = new Map()));
    m.set(r.indicatorId, { target: Number(r.target), challenge: r.challenge === null ? null : Number(r.challenge) });
  }
  return out;
}

type PlanContext = { year: repo.YearRow; unit: TUnit; indicators: TIndicator[]; leaves: TIndicator[] };

export async function planContext(ctx: Ctx, yearId: number, unitId: number): Promise<PlanContext> {
  const year = await yearRow(ctx.db, yearId);
  await assertUnitInScope(ctx, unitId);
  const unit = await getUnit(ctx.db, unitId);
  const indicators = await listIndicators(ctx.db, yearId);
  return { year, unit, indicators, leaves: sortTreeOrder(indicators, leavesFor(unit, indicators)) };
}

/** Leaves in tree order (depth-first by sort), for plans and the responsibility book. */
export function sortTreeOrder(all: readonly TIndicator[], leaves: readonly TIndicator[]): TIndicator[] {
  const byId = new Map(all.map((n) => [n.id, n]));
  const key = (n: TIndicator) =>
    [...ancestorsOf(byId, n).reverse(), n]
      .map((x) => `${String(x.sort).padStart(6, '0')}.${String(x.id).padStart(9, '0')}`)
      .join('/');
  return [...leaves].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function planItems(pc: Pick<PlanContext, 'indicators' | 'leaves'>, targets: repo.TargetRow[]): TPlanItem[] {
  const byId = new Map(pc.indicators.map((n) => [n.id, n]));
  const t = new Map(targets.map((r) => [r.indicatorId, r]));
  return pc.leaves.map((leaf) => {
    const row = t.get(leaf.id);
    return {
      indicatorId: leaf.id,
      code: leaf.code,
      name: leaf.name,
      path: ancestorsOf(byId, leaf)
        .reverse()
        .map((a) => a.name),
      points: leaf.points,
      unitOfMeasure: leaf.unitOfMeasure,
      direction: leaf.direction,
      methodKind: leaf.method?.kind ?? null,
      dataSource: leaf.dataSource,
      assessingUnitId: leaf.assessingUnitId,
      needsTarget: methodNeedsTarget(leaf.method),
      target: row ? Number(row.target) : null,
      challenge: row && row.challenge !== null ? Number(row.challenge) : null,
      note: row?.note ?? '',
    };
  });
}

function summarize(
  yearId: number,
  unit: TUnit,
  plan: repo.PlanRow | null,
  items: Pick<TPlanItem, 'needsTarget' | 'target'>[],
  pending: number,
): TPlanSummary {
  return {
    id: plan?.id ?? null,
    yearId,
    unitId: unit.id,
    unitCode: unit.code,
    unitName: unit.name,
    categoryId: unit.categoryId,
    status: plan?.status ?? 'draft',
    leafCount: items.length,
    targetCount: items.filter((i) => i.target !== null).length,
    missingTargets: items.filter((i) => i.needsTarget && i.target === null).length,
    pendingAdjustments: pending,
    submittedAt: iso(plan?.submittedAt ?? null),
    reviewedAt: iso(plan?.reviewedAt ?? null),
    reviewComment: plan?.reviewComment ?? null,
  };
}

/** The plans of a year for the units in the caller's scope that have applicable leaves (or a saved plan). */
export async function listPlans(ctx: Ctx, yearId: number): Promise<TPlanSummary[]> {
  await yearRow(ctx.db, yearId);
  const scope = await ctx.scope();
  const [units, indicators, plans, targets] = await Promise.all([
    listUnits(ctx.db),
    listIndicators(ctx.db, yearId),
    repo.listPlans(ctx.db, yearId),
    repo.yearTargets(ctx.db, yearId),
  ]);
  const planByUnit = new Map(plans.map((p) => [p.unitId, p]));
  const targetsByUnit = new Map<number, Map<number, number>>();
  for (const t of targets) {
    let m = targetsByUnit.get(t.unitId);
    if (!m) targetsByUnit.set(t.unitId, (m = new Map()));
    m.set(t.indicatorId, Number(t.target));
  }
  const pending = await repo.listAdjustmentsOfPlans(
    ctx.db,
    plans.map((p) => p.id),
    'requested',
  );
  const pendingByPlan = new Map<number, number>();
  for (const a of pending) pendingByPlan.set(a.planId, (pendingByPlan.get(a.planId) ?? 0) + 1);
  const out: TPlanSummary[] = [];
  for (const unit of units) {
    if (!inScope(scope, unit.id)) continue;
    const plan = planByUnit.get(unit.id) ?? null;
    if (!unit.active && !plan) continue;
    const leaves = leavesFor(unit, indicators);
    if (!leaves.length && !plan) continue;
    const tm = targetsByUnit.get(unit.id);
    const items = leaves.map((l) => ({ needsTarget: methodNeedsTarget(l.method), target: tm?.get(l.id) ?? null }));
    out.push(summarize(yearId, unit, plan, items, plan ? (pendingByPlan.get(plan.id) ?? 0) : 0));
  }
  return out;
}

/** A unit's plan for the year: its applicable leaves with targets, and the adjustment history. Outsiders get 404. */
export async function getPlan(ctx: Ctx, yearId: number, unitId: number): Promise<TPlan> {
  const pc = await planContext(ctx, yearId, unitId);
  return presentPlan(ctx.db, pc, await repo.findPlan(ctx.db, yearId, unitId));
}

async function presentPlan(db: Db, pc: PlanContext, plan: repo.PlanRow | null): Promise<TPlan> {
  const targets = plan ? await repo.listTargets(db, plan.id) : [];
  const items = planItems(pc, targets);
  const adjustments = plan ? await repo.listAdjustmentsOfPlans(db, [plan.id]) : [];
  const byId = new Map(pc.indicators.map((n) => [n.id, n]));
  return {
    ...summarize(pc.year.id, pc.unit, plan, items, adjustments.filter((a) => a.status === 'requested').length),
    yearStatus: pc.year.status,
    submittedBy: plan?.submittedBy ?? null,
    reviewedBy: plan?.reviewedBy ?? null,
    items,
    adjustments: adjustments.map((a) =>
      presentAdjustment(a, { yearId: pc.year.id, unitId: pc.unit.id }, byId.get(a.indicatorId)),
    ),
  };
}

function assertPlanEditable(plan: repo.PlanRow | null) {
  if (plan?.status === 'approved') {
    throw new AppError('IMMUTABLE', {
      zh: '绩效计划已批准，目标值不能直接修改，请提出调整申请',
      en: 'The plan is approved; request an adjustment instead',
    });
  }
  if (plan?.status === 'submitted')
    throw new AppError('INVALID_STATE', { zh: '绩效计划已提交审核，不能修改', en: 'The plan is under review' });
}

/** Checks one target row against its leaf: the challenge value lies beyond the target in the indicator's direction. */
function checkChallenge(leaf: TIndicator, target: number, challenge: number | null, field: string) {
  if (challenge === null) return;
  const ok = leaf.direction === 'negative' ? challenge <= target : challenge >= target;
  if (!ok) {
    throw invalid(
      field,
      leaf.direction === 'negative'
        ? `「${leaf.name}」为逆向指标，挑战值不能高于目标值`
        : `「${leaf.name}」的挑战值不能低于目标值`,
      leaf.direction === 'negative'
        ? `${leaf.code}: the challenge of a negative indicator cannot exceed the target`
        : `${leaf.code}: the challenge cannot be below the target`,
    );
  }
}

/** Replaces a unit's targets while its plan is a draft or returned (approved: 409 IMMUTABLE; under review: 409 INVALID_STATE). */
export async function saveTargets(ctx: Ctx, yearId: number, unitId: number, input: TPlanTargets): Promise<TPlan> {
  const pc = await planContext(ctx, yearId, unitId);
  assertNotClosed(pc.year);
  const leafById = new Map(pc.leaves.map((l) => [l.id, l]));
  const seen = new Set<number>();
  input.targets.forEach((t, i) => {
    const leaf = leafById.get(t.indicatorId);
    if (!leaf)
      throw invalid(`targets.${i}.indicatorId`, '该指标不适用于本单位', 'The indicator does not apply to this unit');
    if (seen.has(t.indicatorId))
      throw invalid(`targets.${i}.indicatorId`, `指标「${leaf.name}」重复`, `Indicator ${leaf.code} appears twice`);
    seen.add(t.indicatorId);
    checkChallenge(leaf, t.target, t.challenge, `targets.${i}.challenge`);
  });
  assertPlanEditable(await repo.findPlan(ctx.db, yearId, unitId));
  const plan = await ctx.db.transaction(async (tx) => {
    const row = await repo.ensurePlan(tx, yearId, unitId);
    assertPlanEditable(row); // re-checked inside the transaction: a concurrent submit wins
    const before = await repo.listTargets(tx, row.id);
    await repo.replaceTargets(
      tx,
      row.id,
      input.targets.map((t) => ({
        indicatorId: t.indicatorId,
        target: t.target,
        challenge: t.challenge,
        note: t.note,
      })),
    );
    const updated = await repo.updatePlan(tx, row.id, {});
    await recordAudit(tx, ctx.actor, {
      action: 'plan.targets',
      entityType: 'performance_plan',
      entityId: row.id,
      unitId,
      before: before.map((t) => ({
        indicatorId: t.indicatorId,
        target: t.target,
        challenge: t.challenge,
        note: t.note,
      })),
      after: input.targets,
    });
    return updated;
  });
  return presentPlan(ctx.db, pc, plan);
}

/** Unit leader submits a draft or returned plan; every leaf whose method needs a target must have one. */
export async function submitPlan(ctx: Ctx, yearId: number, unitId: number): Promise<TPlan> {
  const pc = await planContext(ctx, yearId, unitId);
  assertNotClosed(pc.year);
  const existing = await repo.findPlan(ctx.db, yearId, unitId);
  assertPlanEditable(existing);
  if (!pc.leaves.length)
    throw new AppError('INVALID_STATE', {
      zh: '本单位在该年度没有适用的考核指标',
      en: 'No indicators apply to this unit this year',
    });
  const items = planItems(pc, existing ? await repo.listTargets(ctx.db, existing.id) : []);
  const missing = items.find((i) => i.needsTarget && i.target === null);
  if (missing)
    throw invalid(
      `targets.${missing.indicatorId}`,
      `请填写「${missing.name}」的目标值`,
      `Enter the target of ${missing.code}`,
    );
  const plan = await ctx.db.transaction(async (tx) => {
    const row = await repo.ensurePlan(tx, yearId, unitId);
    assertPlanEditable(row);
    const updated = await repo.updatePlan(tx, row.id, {
      status: 'submitted',
      submittedBy: ctx.actor.id,
      submittedAt: new Date(),
    });
    await recordAudit(tx, ctx.actor, {
      action: 'plan.submit',
      entityType: 'performance_plan',
      entityId: row.id,
      unitId,
      before: { status: row.status },
      after: { status: 'submitted' },
    });
    return updated;
  });
  return presentPlan(ctx.db, pc, plan);
}

/** Office returns a submitted plan with a comment (协商), or approves it; approved targets lock. */
export async function reviewPlan(
  ctx: Ctx,
  yearId: number,
  unitId: number,
  decision: { approve: boolean; comment: string | null },
): Promise<TPlan> {
  const pc = await planContext(ctx, yearId, unitId);
  assertNotClosed(pc.year);
  const plan = await ctx.db.transaction(async (tx) => {
    const row = await repo.findPlan(tx, yearId, unitId);
    if (!row || row.status !== 'submitted')
      throw new AppError('INVALID_STATE', {
        zh: '只能审核已提交的绩效计划',
        en: 'Only a submitted plan can be reviewed',
      });
    const status = decision.approve ? 'approved' : 'returned';
    const updated = await repo.updatePlan(tx, row.id, {
      status,
      reviewedBy: ctx.actor.id,
      reviewedAt: new Date(),
      reviewComment: decision.comment,
    });
    await recordAudit(tx, ctx.actor, {
      action: decision.approve ? 'plan.approve' : 'plan.return',
      entityType: 'performance_plan',
      entityId: row.id,
      unitId,
      before: { status: row.status },
      after: { status, comment: decision.comment },
    });
    if (decision.approve) await bumpScoreVersion(tx, yearId);
    return updated;
  });
  return presentPlan(ctx.db, pc, plan);
}

/** A unit asks to change an approved target; needs a reason, waits for the office. One open request per indicator. */
export async function requestAdjustment(
  ctx: Ctx,
  yearId: number,
  unitId: number,
  input: TAdjustmentRequest,
): Promise<TAdjustment> {
  const pc = await planContext(ctx, yearId, unitId);
  assertNotClosed(pc.year);
  const plan = await repo.findPlan(ctx.db, yearId, unitId);
  if (plan?.status !== 'approved')
    throw new AppError('INVALID_STATE', {
      zh: '绩效计划尚未批准，可直接修改目标值',
      en: 'The plan is not approved; edit the targets directly',
    });
  const leaf = pc.leaves.find((l) => l.id === input.indicatorId);
  if (!leaf) throw invalid('indicatorId', '该指标不适用于本单位', 'The indicator does not apply to this unit');
  checkChallenge(leaf, input.newTarget, input.newChallenge, 'newChallenge');
  const current = (await repo.listTargets(ctx.db, plan.id)).find((t) => t.indicatorId === leaf.id);
  const oldTarget = current ? Number(current.target) : null;
  const oldChallenge = current?.challenge === null || current === undefined ? null : Number(current.challenge);
  if (oldTarget === input.newTarget && oldChallenge === input.newChallenge)
    throw invalid('newTarget', '调整后的目标值与现有目标值相同', 'The new values equal the current ones');
  if (await repo.findOpenAdjustment(ctx.db, plan.id, leaf.id)) {
    throw new AppError('CONFLICT', {
      field: 'indicatorId',
      zh: `「${leaf.name}」已有待审核的调整申请`,
      en: `${leaf.code} already has an open adjustment request`,
    });
  }
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertAdjustment(tx, {
      planId: plan.id,
      indicatorId: leaf.id,
      oldTarget,
      newTarget: input.newTarget,
      oldChallenge,
      newChallenge: input.newChallenge,
      reason: input.reason,
      requestedBy: ctx.actor.id,
    });
    const adj = presentAdjustment(row, { yearId, unitId }, leaf);
    await recordAudit(tx, ctx.actor, {
      action: 'adjustment.request',
      entityType: 'plan_adjustment',
      entityId: row.id,
      unitId,
      after: adj,
    });
    return adj;
  });
}

/** Adjustment requests of a year for units in the caller's scope, newest first. */
export async function listAdjustments(ctx: Ctx, yearId: number, status?: AdjustmentStatus): Promise<TAdjustment[]> {
  await yearRow(ctx.db, yearId);
  const scope = await ctx.scope();
  const plans = (await repo.listPlans(ctx.db, yearId)).filter((p) => inScope(scope, p.unitId));
  const planById = new Map(plans.map((p) => [p.id, p]));
  const byId = new Map((await listIndicators(ctx.db, yearId)).map((n) => [n.id, n]));
  return (
    await repo.listAdjustmentsOfPlans(
      ctx.db,
      plans.map((p) => p.id),
      status,
    )
  ).map((a) => presentAdjustment(a, planById.get(a.planId)!, byId.get(a.indicatorId)));
}

/** Office approves (the target changes; the request stays as history) or rejects an adjustment request. */
export async function decideAdjustment(
  ctx: Ctx,
  id: number,
  decision: { approve: boolean; comment: string | null },
): Promise<TAdjustment> {
  const adj = await repo.findAdjustment(ctx.db, id);
  if (!adj) throw notFound();
  const plan = (await repo.findPlanById(ctx.db, adj.planId))!;
  await assertUnitInScope(ctx, plan.unitId);
  assertNotClosed(await yearRow(ctx.db, plan.yearId));
  const ind = await repo.findIndicator(ctx.db, adj.indicatorId);
  return ctx.db.transaction(async (tx) => {
    const current = await repo.findAdjustment(tx, id);
    if (current?.status !== 'requested')
      throw new AppError('INVALID_STATE', { zh: '该调整申请已处理', en: 'The request was already decided' });
    const status = decision.approve ? 'approved' : 'rejected';
    const row = await repo.updateAdjustment(tx, id, {
      status,
      decidedBy: ctx.actor.id,
      decidedAt: new Date(),
      decisionComment: decision.comment,
    });
    const events: AuditEvent[] = [
      {
        action: decision.approve ? 'adjustment.approve' : 'adjustment.reject',
        entityType: 'plan_adjustment',
        entityId: id,
        unitId: plan.unitId,
        before: { status: 'requested' },
        after: { status, comment: decision.comment },
      },
    ];
    if (decision.approve) {
      await repo.upsertTarget(tx, {
        planId: plan.id,
        indicatorId: adj.indicatorId,
        target: Number(adj.newTarget),
        challenge: adj.newChallenge === null ? null : Number(adj.newChallenge),
        note: '',
      });
      events.push({
        action: 'plan.target_adjusted',
        entityType: 'performance_plan',
        entityId: plan.id,
        unitId: plan.unitId,
        before: { indicatorId: adj.indicatorId, target: adj.oldTarget, challenge: adj.oldChallenge },
        after: { indicatorId: adj.indicatorId, target: adj.newTarget, challenge: adj.newChallenge },
      });
      await bumpScoreVersion(tx, plan.yearId);
    }
    await recordAudit(tx, ctx.actor, events);
    return presentAdjustment(row, plan, ind ?? undefined);
  });
}
