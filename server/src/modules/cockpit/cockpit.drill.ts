/**
 * The lists behind the cockpit's numbers (drill-down): the leaves of a light, the missing reports, the
 * tasks, the cases of a category or street, the ratings — each in the caller's unit scope, each read live.
 */
import type { Ctx } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import { caseDrill, listCategories as listCaseCategories } from '../cases/index.js';
import { getYearInForce, listIndicators } from '../performance/index.js';
import { ratingsDrill } from '../ratings/index.js';
import { overdue } from '../reporting/index.js';
import { assertUnitInScope } from '../units/index.js';
import type {
  TCaseDrill,
  TCaseDrillQuery,
  TLightDrill,
  TLightDrillQuery,
  TRatingDrill,
  TRatingDrillQuery,
  TReportDrill,
  TReportDrillQuery,
  TTaskDrill,
  TTaskDrillQuery,
} from './cockpit.schema.js';
import {
  allTasks,
  beijingToday,
  FINAL_TASK,
  groupMap,
  LNG_SCALE,
  leafLights,
  OPEN_TASK,
  presentTask,
  ratingsWindow,
  STREET_CENTERS,
  STREET_MAP,
  taskOrder,
  topCategoryOf,
  yearOf,
  yearStart,
} from './cockpit.service.js';

// ---------- drill-down ----------

/** The leaves behind a light count: per unit (in scope) and level-1 indicator, worst first. */
export async function drillLights(ctx: Ctx, q: TLightDrillQuery): Promise<TLightDrill> {
  const year = await yearOf(ctx.db, q.yearId);
  if (!year) return { total: 0, items: [] };
  if (q.unitId !== undefined) await assertUnitInScope(ctx, q.unitId);
  const [{ units }, indicators] = await Promise.all([leafLights(ctx, year.id), listIndicators(ctx.db, year.id)]);
  const groups = groupMap(indicators);
  if (q.indicatorId !== undefined && !indicators.some((i) => i.id === q.indicatorId && i.parentId === null))
    throw notFound();
  const items: TLightDrill['items'] = [];
  for (const { unit, lights } of units) {
    if (q.unitId !== undefined && unit.id !== q.unitId) continue;
    for (const l of lights) {
      if (l.light !== q.light) continue;
      const g = groups.get(l.indicatorId);
      if (q.indicatorId !== undefined && g?.id !== q.indicatorId) continue;
      items.push({
        unitId: unit.id,
        unitName: unit.name,
        indicatorId: l.indicatorId,
        code: l.code,
        name: l.name,
        groupName: g?.name ?? '',
        target: l.target,
        actual: l.actual,
        completionPct: l.completionPct,
        timePct: l.timePct,
        overdue: l.overdue,
        light: l.light,
      });
    }
  }
  items.sort((a, b) => (a.completionPct ?? -1) - (b.completionPct ?? -1) || a.unitId - b.unitId);
  // The furthest behind first; a city-wide list stops at 500 (the total says how many there are).
  return { total: items.length, items: items.slice(0, 500) };
}

/** The monthly reports past their deadline without a submission. */
export async function drillReports(ctx: Ctx, q: TReportDrillQuery): Promise<TReportDrill> {
  const year = await yearOf(ctx.db, q.yearId);
  if (!year) return { total: 0, items: [] };
  if (q.unitId !== undefined) await assertUnitInScope(ctx, q.unitId);
  const o = await overdue(ctx, { yearId: year.id, unitId: q.unitId }, 1000);
  const items = o.items
    .filter((i) => !q.status || i.status === q.status)
    .map((i) => ({
      unitId: i.unitId,
      unitName: i.unitName,
      indicatorId: i.indicatorId,
      code: i.code,
      name: i.name,
      period: i.period,
      deadline: i.deadline,
      daysOverdue: i.daysOverdue,
      status: i.status,
    }));
  return { total: q.status ? items.length : o.total, items };
}

/** Supervision tasks by light or status (overdue first). */
export async function drillTasks(ctx: Ctx, q: TTaskDrillQuery, now = new Date()): Promise<TTaskDrill> {
  if (q.unitId !== undefined) await assertUnitInScope(ctx, q.unitId);
  const today = beijingToday(now);
  const year = await getYearInForce(ctx.db);
  const tasks = (await allTasks(ctx, year?.year ?? Number(today.slice(0, 4)), q.unitId))
    .map((t) => presentTask(t, today))
    .filter((t) => {
      if (q.light && (t.light !== q.light || FINAL_TASK.has(t.status))) return false;
      switch (q.status) {
        case undefined:
          return true;
        case 'open':
          return OPEN_TASK.has(t.status);
        case 'overdue':
          return t.overdue;
        case 'completed':
        case 'proposed':
          return t.status === q.status;
      }
    })
    .sort(taskOrder);
  return { total: tasks.length, items: tasks.slice(0, 500) };
}

/** The cases behind a hotline number: by kind, top-level category, street of the map, or leading unit. */
export async function drillCases(ctx: Ctx, q: TCaseDrillQuery, now = new Date()): Promise<TCaseDrill> {
  const scope = await ctx.scope();
  let unitIds: number[] | null = scope.all ? null : [...scope.unitIds];
  if (q.unitId !== undefined) {
    await assertUnitInScope(ctx, q.unitId);
    unitIds = [q.unitId];
  }
  let categoryIds: number[] | undefined;
  if (q.categoryId !== undefined) {
    const cats = await listCaseCategories(ctx.db);
    const topOf = topCategoryOf(cats);
    if (!cats.some((c) => c.id === q.categoryId)) throw notFound();
    categoryIds = cats.filter((c) => topOf.get(c.id)?.id === q.categoryId || c.id === q.categoryId).map((c) => c.id);
  }
  let near: { centers: [number, number][]; index: number; lngScale: number } | undefined;
  if (q.street !== undefined) {
    const index = STREET_MAP.features.findIndex((f) => f.properties.code === q.street);
    if (index < 0) throw notFound();
    near = { centers: STREET_CENTERS, index, lngScale: LNG_SCALE };
  }
  const year = await getYearInForce(ctx.db);
  const since = yearStart(year?.year ?? Number(beijingToday(now).slice(0, 4)));
  const r = await caseDrill(ctx.db, { unitIds, since, now, kind: q.kind, categoryIds, near, limit: 100 });
  return {
    total: r.total,
    items: r.rows.map((c) => ({
      id: c.id,
      number: c.number,
      categoryName: c.categoryName,
      status: c.status,
      leadUnitName: c.leadUnitName,
      address: c.address,
      createdAt: c.createdAt,
      deadline: c.deadline,
      escalated: c.escalated,
    })),
  };
}

/** The ratings behind a 好差评 number of the cockpit: by level (or 差评), rectification state, unit. */
export async function drillRatings(ctx: Ctx, q: TRatingDrillQuery, now = new Date()): Promise<TRatingDrill> {
  const scope = await ctx.scope();
  if (q.unitId !== undefined) await assertUnitInScope(ctx, q.unitId);
  const year = await yearOf(ctx.db, q.yearId);
  const window = ratingsWindow(
    year?.year ?? Number(beijingToday(now).slice(0, 4)),
    scope.all ? null : [...scope.unitIds],
    now,
  );
  const r = await ratingsDrill(ctx.db, {
    ...window,
    level: q.level,
    rectification: q.rectification,
    unitId: q.unitId,
    limit: 200,
  });
  return { total: r.total, items: r.items };
}
