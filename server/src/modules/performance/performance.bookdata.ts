/**
 * Performance configuration: the data of the responsibility book (责任书) of a unit or the district (rendered by performance.book.ts).
 */
import type { Ctx } from '../../lib/context.js';
import { inScope, listUnits, type TUnit } from '../units/index.js';
import * as repo from './performance.repo.js';
import type { TIndicator, TPlanItem, TPlanSummary, TYear } from './performance.schema.js';
import { leavesFor } from './performance.tree.js';
import { planContext, planItems, sortTreeOrder } from './performance.plans.js';
import { presentYear } from './performance.present.js';
import { yearRow } from './performance.years.js';
import { listIndicators } from './performance.indicators.js';

// ---------- responsibility book ----------

export type BookSection = {
  unit: TUnit;
  status: TPlanSummary['status'];
  rows: (TPlanItem & { assessingUnitName: string | null })[];
};
export type BookData = {
  year: TYear;
  districtName: string;
  sections: BookSection[];
  /**
   * What the scoring engine computes (scoring.model): the full base is the level-1 points less the
   * points of bonus leaves, which are earned on top of the base (e.g. 100 − 2 = 98).
   */
  scoring: { designed: number; fullBase: number; bonus: { name: string; points: number }[] };
};

/** The full base and the bonus leaves of a tree, as the scoring engine counts them. */
function scoringOf(indicators: readonly TIndicator[]): BookData['scoring'] {
  const parents = new Set(indicators.map((n) => n.parentId));
  const designed = indicators.filter((n) => n.parentId === null).reduce((s, n) => s + n.points, 0);
  const bonus = indicators
    .filter((n) => !parents.has(n.id) && n.method?.kind === 'bonus')
    .map((n) => ({ name: n.name, points: n.points }));
  const fullBase = designed - bonus.reduce((s, b) => s + b.points, 0);
  return { designed, fullBase: fullBase > 0 ? fullBase : designed, bonus };
}

/** One unit's plan for the responsibility book (any status; the book marks drafts). */
export async function unitBookData(ctx: Ctx, yearId: number, unitId: number): Promise<BookData> {
  const pc = await planContext(ctx, yearId, unitId);
  const plan = await repo.findPlan(ctx.db, yearId, unitId);
  const units = await listUnits(ctx.db);
  const targets = plan ? await repo.listTargets(ctx.db, plan.id) : [];
  return {
    year: presentYear(pc.year),
    districtName: districtNameOf(units),
    sections: [{ unit: pc.unit, status: plan?.status ?? 'draft', rows: withAssessors(planItems(pc, targets), units) }],
    scoring: scoringOf(pc.indicators),
  };
}

/** The whole district's book: one section per unit (in the caller's scope) whose plan is approved. */
export async function districtBookData(ctx: Ctx, yearId: number): Promise<BookData> {
  const year = await yearRow(ctx.db, yearId);
  const scope = await ctx.scope();
  const [units, indicators, plans, targets] = await Promise.all([
    listUnits(ctx.db),
    listIndicators(ctx.db, yearId),
    repo.listPlans(ctx.db, yearId),
    repo.yearTargets(ctx.db, yearId, 'approved'),
  ]);
  const approved = new Set(plans.filter((p) => p.status === 'approved').map((p) => p.unitId));
  const sections: BookSection[] = [];
  for (const unit of units) {
    if (!approved.has(unit.id) || !inScope(scope, unit.id)) continue;
    const leaves = sortTreeOrder(indicators, leavesFor(unit, indicators));
    const rows = targets.filter((t) => t.unitId === unit.id).map((t) => ({ ...t, planId: 0 }));
    sections.push({ unit, status: 'approved', rows: withAssessors(planItems({ indicators, leaves }, rows), units) });
  }
  return { year: presentYear(year), districtName: districtNameOf(units), sections, scoring: scoringOf(indicators) };
}

function districtNameOf(units: TUnit[]): string {
  return units.find((u) => u.kind === 'district' && u.parentId === null)?.name ?? '区人民政府';
}

function withAssessors(items: TPlanItem[], units: TUnit[]): BookSection['rows'] {
  const names = new Map(units.map((u) => [u.id, u.name]));
  return items.map((i) => ({
    ...i,
    assessingUnitName: i.assessingUnitId ? (names.get(i.assessingUnitId) ?? null) : null,
  }));
}
