/**
 * Performance configuration: presenting years, indicators and plan adjustments.
 */
import * as repo from './performance.repo.js';
import type { TAdjustment, TIndicator, TYear } from './performance.schema.js';

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

// ---------- presenters ----------

export function presentYear(row: repo.YearRow, counts?: { indicators: number; leaves: number }): TYear {
  return {
    id: row.id,
    year: row.year,
    name: row.name,
    status: row.status,
    gradeRule: row.gradeRule,
    deadlineDay: row.deadlineDay,
    createdAt: row.createdAt.toISOString(),
    indicatorCount: counts?.indicators ?? 0,
    leafCount: counts?.leaves ?? 0,
    kind: row.kind,
    code: row.code,
    assessingUnitId: row.assessingUnitId,
    periods: row.periods,
    unitsAssessed: row.unitsAssessed,
    methods: row.methods,
  };
}

export function presentIndicator(row: repo.IndicatorRow): TIndicator {
  return {
    id: row.id,
    yearId: row.yearId,
    parentId: row.parentId,
    code: row.code,
    name: row.name,
    level: row.level,
    points: Number(row.points),
    sort: row.sort,
    unitOfMeasure: row.unitOfMeasure,
    description: row.description,
    appliesTo: { categoryIds: row.appliesTo?.categoryIds ?? [], unitIds: row.appliesTo?.unitIds ?? [] },
    assessingUnitId: row.assessingUnitId,
    dataSource: row.dataSource,
    direction: row.direction,
    method: row.method ?? null,
    aggregate: row.aggregate,
    caseMetric: row.caseMetric,
    weight: row.weight === null ? null : Number(row.weight),
    specialSchemeId: row.specialSchemeId,
  };
}

export function presentAdjustment(
  row: repo.AdjustmentRow,
  plan: { yearId: number; unitId: number },
  ind: { code: string; name: string } | undefined,
): TAdjustment {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: row.id,
    planId: row.planId,
    yearId: plan.yearId,
    unitId: plan.unitId,
    indicatorId: row.indicatorId,
    indicatorCode: ind?.code ?? '',
    indicatorName: ind?.name ?? '',
    oldTarget: num(row.oldTarget),
    newTarget: Number(row.newTarget),
    oldChallenge: num(row.oldChallenge),
    newChallenge: num(row.newChallenge),
    reason: row.reason,
    status: row.status,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: iso(row.decidedAt),
    decisionComment: row.decisionComment,
  };
}
