/**
 * The leader cockpit (领导驾驶舱): one read of rankings, warning lights, overdue reports, supervision
 * tasks and the hotline for the caller's units, and the lists behind each number (drill-down). Reads the
 * other modules only through their faces, each of which applies the caller's unit scope itself; the
 * hotline's aggregates are limited here to the cases the caller's units lead; evaluation and 好差评 come from
 * those modules' summaries over the caller's units.
 */
import { readFileSync } from 'node:fs';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import { caseInsights, CASE_GRID, listCategories as listCaseCategories } from '../cases/index.js';
import { caseRates, caseTrend } from '../casestats/index.js';
import { evaluationSummaryFor } from '../evaluation/index.js';
import { getYear, getYearInForce, listIndicators, type TIndicator, type TYear } from '../performance/index.js';
import { ratingsSummary } from '../ratings/index.js';
import { overdue, unitLeafLights, type TLightItem } from '../reporting/index.js';
import { ytdSeries, type TScoreRow } from '../scoring/index.js';
import { listLedger, type TTaskRow } from '../supervision/index.js';
import { listUnits } from '../units/index.js';
import type { TCockpit, TCockpitQuery, TRankRow } from './cockpit.schema.js';

// ---------- the street map ----------

type StreetFeature = { properties: { code: string; name: string; center: [number, number] } };
/** The demo district's streets (scripts/gen-streets-geojson.mjs): areas for the map, centres for placing cases. */
export const STREET_MAP = JSON.parse(readFileSync(new URL('./cockpit.streets.json', import.meta.url), 'utf8')) as {
  type: 'FeatureCollection';
  features: StreetFeature[];
};
export const STREET_CENTERS = STREET_MAP.features.map((f) => f.properties.center);
/** A degree of longitude is shorter than one of latitude at the district's latitude. */
export const LNG_SCALE = Math.cos((30.58 * Math.PI) / 180);
/** Farther than this (in degrees) from every street centre, a case is outside the map. */
const MAX_DIST = 0.03;

/** The index of the street whose centre is nearest to (lng, lat) within MAX_DIST, or −1. */
export function nearestStreet(lng: number, lat: number): number {
  let best = -1;
  let bestD = MAX_DIST * MAX_DIST;
  STREET_CENTERS.forEach(([x, y], i) => {
    const d = ((lng - x) * LNG_SCALE) ** 2 + (lat - y) ** 2;
    if (d <= bestD) [best, bestD] = [i, d];
  });
  return best;
}

// ---------- helpers ----------

const round1 = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10) / 10);
const BEIJING_MS = 8 * 3600_000;
export const beijingToday = (now: Date) => new Date(now.getTime() + BEIJING_MS).toISOString().slice(0, 10);
export const yearStart = (y: number) => new Date(Date.UTC(y, 0, 1) - BEIJING_MS);

export async function yearOf(db: Db, yearId: number | undefined): Promise<TYear | null> {
  return yearId === undefined ? getYearInForce(db) : getYear(db, yearId);
}

/** Each indicator's level-1 ancestor. */
export function groupMap(indicators: readonly TIndicator[]): Map<number, TIndicator> {
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const out = new Map<number, TIndicator>();
  for (const ind of indicators) {
    let cur = ind;
    for (let guard = 0; cur.parentId !== null && guard < 20; guard++) cur = byId.get(cur.parentId) ?? cur;
    out.set(ind.id, cur);
  }
  return out;
}

const LIGHT_ORDER = { red: 3, yellow: 2, green: 1, none: 0 } as const;

// ---------- supervision ----------

export const FINAL_TASK = new Set(['completed', 'declined', 'merged']);
export const OPEN_TASK = new Set(['assigned', 'signed', 'plan_submitted', 'in_progress', 'completion_applied']);

export async function allTasks(ctx: Ctx, year: number | undefined, unitId?: number): Promise<TTaskRow[]> {
  const rows: TTaskRow[] = [];
  for (let page = 1; page <= 40; page++) {
    const r = await listLedger(ctx, { year, unitId, page, pageSize: 500 });
    rows.push(...r.rows);
    if (rows.length >= r.total || !r.rows.length) break;
  }
  return rows;
}

export function presentTask(t: TTaskRow, today: string) {
  return {
    id: t.id,
    title: t.title,
    leadUnitName: t.leadUnitName,
    deadline: t.deadline,
    status: t.status,
    light: t.light,
    progress: t.progress,
    overdue: !FINAL_TASK.has(t.status) && t.deadline < today,
  };
}

/** Overdue first, then red, yellow, green, then by deadline. */
export function taskOrder(a: ReturnType<typeof presentTask>, b: ReturnType<typeof presentTask>): number {
  const lw = (l: string | null) => (l === 'red' ? 0 : l === 'yellow' ? 1 : l === 'green' ? 2 : 3);
  return Number(b.overdue) - Number(a.overdue) || lw(a.light) - lw(b.light) || a.deadline.localeCompare(b.deadline);
}

// ---------- the cockpit ----------

const CACHE_MS = 30_000;
const cache = new WeakMap<Db, Map<string, { at: number; data: TCockpit }>>();
type LeafLights = Awaited<ReturnType<typeof unitLeafLights>>;
const lightsCache = new WeakMap<Db, Map<string, { at: number; data: Promise<LeafLights> }>>();

/** Forgets the cached cockpits and lights (tests, benchmarks). */
export function clearCockpitCache(db: Db): void {
  cache.delete(db);
  lightsCache.delete(db);
}

/**
 * The caller's leaf lights, shared by the cockpit and its drill-down for 30 seconds: the list behind
 * "红灯 12" is the very set that was counted, and opening it does not recompute every unit's lights.
 */
export function leafLights(ctx: Ctx, yearId: number, now = Date.now()): Promise<LeafLights> {
  let byKey = lightsCache.get(ctx.db);
  if (!byKey) lightsCache.set(ctx.db, (byKey = new Map()));
  const key = `${ctx.user?.id ?? 0}|${yearId}`;
  const hit = byKey.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.data;
  const data = unitLeafLights(ctx, yearId);
  byKey.set(key, { at: now, data });
  // A failed computation is not kept: the next request tries again (the caller still gets the error).
  void data.catch(() => byKey.delete(key));
  return data;
}

/**
 * The cockpit of the caller. Kept for 30 seconds per user and year: a leader's screen reloads often,
 * and every number on it is at most that old (the drill-down lists are always read live).
 */
export async function cockpit(ctx: Ctx, q: TCockpitQuery, now = new Date()): Promise<TCockpit> {
  const year = await yearOf(ctx.db, q.yearId);
  const key = `${ctx.user?.id ?? 0}|${year?.id ?? 0}|${ctx.lang}`;
  let byKey = cache.get(ctx.db);
  if (!byKey) cache.set(ctx.db, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit && now.getTime() - hit.at < CACHE_MS) return hit.data;
  const data = await buildCockpit(ctx, year, now);
  byKey.set(key, { at: now.getTime(), data });
  return data;
}

async function buildCockpit(ctx: Ctx, year: TYear | null, now: Date): Promise<TCockpit> {
  const scope = await ctx.scope();
  const units = (await listUnits(ctx.db)).filter((u) => u.active && (scope.all || scope.unitIds.has(u.id)));
  const calendarYear = year?.year ?? Number(beijingToday(now).slice(0, 4));
  const [rankings, lights, reports, supervision, cases, evaluation] = await Promise.all([
    year ? rankingsOf(ctx, year) : Promise.resolve(emptyRankings('没有在用的考核年度')),
    year
      ? lightsOf(ctx, year)
      : Promise.resolve({ indicators: [], rows: [], red: 0, yellow: 0, green: 0, unitsWithRed: 0 }),
    year ? overdue(ctx, { yearId: year.id }, 0).then((o) => ({ overdue: o.total })) : Promise.resolve({ overdue: 0 }),
    supervisionOf(ctx, calendarYear, now),
    casesOf(ctx, calendarYear, scope.all ? null : [...scope.unitIds], now),
    evaluationOf(ctx, calendarYear, scope.all ? null : [...scope.unitIds], now),
  ]);
  return {
    generatedAt: now.toISOString(),
    year: year ? { id: year.id, year: year.year, name: year.name } : null,
    scope: { all: scope.all, units: units.length },
    rankings,
    lights,
    reports,
    supervision,
    cases,
    evaluation,
  };
}

function emptyRankings(problem: string): TCockpit['rankings'] {
  return { window: '', month: 0, categories: [], rows: [], trend: { months: [], series: [] }, problem };
}

async function rankingsOf(ctx: Ctx, year: TYear): Promise<TCockpit['rankings']> {
  let series: Awaited<ReturnType<typeof ytdSeries>>;
  try {
    series = await ytdSeries(ctx, year.id);
  } catch (e) {
    if (e instanceof AppError) return emptyRankings(e.zh);
    throw e;
  }
  const { table, points } = series;
  const prev = points.length >= 2 ? new Map(points[points.length - 2].rows.map((r) => [r.unitId, r.rank])) : null;
  const rows: TRankRow[] = table.rows.map((r: TScoreRow) => {
    const lastMonth = prev?.get(r.unitId) ?? null;
    return {
      unitId: r.unitId,
      unitCode: r.unitCode,
      unitName: r.unitName,
      categoryId: r.categoryId,
      categoryName: r.categoryName,
      total: r.total,
      rank: r.rank,
      of: r.of,
      grade: r.grade,
      missing: r.missing,
      rankLastMonth: lastMonth,
      moveMonth: lastMonth === null ? null : lastMonth - r.rank,
      lastYearRank: r.lastYearRank,
      moveYear: r.lastYearRank === null ? null : r.lastYearRank - r.rank,
    };
  });
  const categoryOf = new Map(table.rows.map((r) => [r.unitId, r.categoryId]));
  const categories = table.categories.filter((c) => rows.some((r) => r.categoryId === c.id));
  return {
    window: table.window.label,
    month: table.window.end + 1,
    categories,
    rows,
    trend: {
      months: points.map((p) => p.month),
      series: categories.map((c) => ({
        categoryId: c.id,
        name: c.name,
        avg: points.map((p) => {
          const xs = p.rows.filter((r) => categoryOf.get(r.unitId) === c.id).map((r) => r.total);
          return xs.length ? round1(xs.reduce((s, x) => s + x, 0) / xs.length) : null;
        }),
      })),
    },
    problem: null,
  };
}

async function lightsOf(ctx: Ctx, year: TYear): Promise<TCockpit['lights']> {
  const [{ units }, indicators] = await Promise.all([leafLights(ctx, year.id), listIndicators(ctx.db, year.id)]);
  const groups = groupMap(indicators);
  const top = indicators.filter((i) => i.parentId === null).sort((a, b) => a.sort - b.sort || a.id - b.id);
  let red = 0;
  let yellow = 0;
  let green = 0;
  let unitsWithRed = 0;
  const rows = units.map(({ unit, lights }) => {
    const cells = new Map(
      top.map((t) => [t.id, { indicatorId: t.id, light: 'none' as TLightItem['light'], red: 0, leaves: 0 }]),
    );
    const n = { red: 0, yellow: 0, green: 0 };
    for (const l of lights) {
      const g = groups.get(l.indicatorId);
      const cell = g ? cells.get(g.id) : undefined;
      if (l.light !== 'none') n[l.light]++;
      if (!cell) continue;
      cell.leaves++;
      if (l.light === 'red') cell.red++;
      if (LIGHT_ORDER[l.light] > LIGHT_ORDER[cell.light]) cell.light = l.light;
    }
    red += n.red;
    yellow += n.yellow;
    green += n.green;
    if (n.red) unitsWithRed++;
    return { unitId: unit.id, unitName: unit.name, ...n, cells: [...cells.values()] };
  });
  rows.sort((a, b) => b.red - a.red || b.yellow - a.yellow || a.unitName.localeCompare(b.unitName, 'zh'));
  return {
    indicators: top.map((t) => ({ id: t.id, code: t.code, name: t.name })),
    rows,
    red,
    yellow,
    green,
    unitsWithRed,
  };
}

async function supervisionOf(ctx: Ctx, year: number, now: Date): Promise<TCockpit['supervision']> {
  const today = beijingToday(now);
  const tasks = (await allTasks(ctx, year)).map((t) => presentTask(t, today));
  const byLight = { red: 0, yellow: 0, green: 0 };
  const byStatus = { proposed: 0, open: 0, overdue: 0, completed: 0 };
  for (const t of tasks) {
    if (t.light && !FINAL_TASK.has(t.status)) byLight[t.light]++;
    if (t.status === 'proposed') byStatus.proposed++;
    if (OPEN_TASK.has(t.status)) byStatus.open++;
    if (t.overdue) byStatus.overdue++;
    if (t.status === 'completed') byStatus.completed++;
  }
  return {
    total: tasks.length,
    byLight,
    byStatus,
    top: tasks
      .filter((t) => !FINAL_TASK.has(t.status))
      .sort(taskOrder)
      .slice(0, 8),
  };
}

type CaseCategoryRef = { id: number; parentId: number | null; name: string };
export function topCategoryOf(cats: readonly CaseCategoryRef[]): Map<number, CaseCategoryRef> {
  const byId = new Map(cats.map((c) => [c.id, c]));
  const out = new Map<number, CaseCategoryRef>();
  for (const c of cats) {
    let cur = c;
    for (let guard = 0; cur.parentId !== null && guard < 20; guard++) cur = byId.get(cur.parentId) ?? cur;
    out.set(c.id, cur);
  }
  return out;
}

/** Located cases per street of the map (nearest centre) and, within each street, per top-level category id. */
export function casesByStreet(
  cells: readonly { categoryId: number; gy: number; gx: number; n: number }[],
  topOf: ReadonlyMap<number, CaseCategoryRef>,
) {
  const streets = STREET_MAP.features.map((f) => ({
    code: f.properties.code,
    name: f.properties.name,
    n: 0,
    byTop: new Map<number, number>(),
  }));
  let located = 0;
  for (const c of cells) {
    const s = nearestStreet((c.gx + 0.5) / CASE_GRID, (c.gy + 0.5) / CASE_GRID);
    if (s < 0) continue;
    located += c.n;
    streets[s].n += c.n;
    const t = topOf.get(c.categoryId);
    if (t) streets[s].byTop.set(t.id, (streets[s].byTop.get(t.id) ?? 0) + c.n);
  }
  return { streets, located };
}

async function casesOf(ctx: Ctx, year: number, unitIds: number[] | null, now: Date): Promise<TCockpit['cases']> {
  const since = yearStart(year);
  const thisMonth = beijingToday(now).slice(0, 7);
  const to = thisMonth.slice(0, 4) === String(year) ? thisMonth : `${year}-12`;
  const [ins, cats, trend, rates] = await Promise.all([
    caseInsights(ctx.db, { unitIds, since, now }),
    listCaseCategories(ctx.db),
    to >= `${year}-01` ? caseTrend(ctx, { from: `${year}-01`, to }) : Promise.resolve(null),
    caseRates(ctx.db),
  ]);
  const topOf = topCategoryOf(cats);
  const byTop = new Map<number, { categoryId: number; name: string; n: number }>();
  for (const r of ins.byCategory) {
    const t = topOf.get(r.categoryId);
    if (!t) continue;
    const e = byTop.get(t.id) ?? { categoryId: t.id, name: t.name, n: 0 };
    e.n += r.n;
    byTop.set(t.id, e);
  }
  const topCategories = [...byTop.values()].sort((a, b) => b.n - a.n || a.categoryId - b.categoryId).slice(0, 6);
  const placed = casesByStreet(ins.cells, topOf);
  const located = placed.located;
  const streets = placed.streets.map((s) => ({
    code: s.code,
    name: s.name,
    n: s.n,
    byCategory: topCategories.map((t) => s.byTop.get(t.categoryId) ?? 0),
  }));
  const received = new Map(ins.byMonth.map((m) => [m.month, m.n]));
  const points = trend?.points ?? [];
  const sum = { ...(points[0]?.counters ?? {}) } as NonNullable<typeof trend>['points'][number]['counters'];
  for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] = points.reduce((s, p) => s + p.counters[k], 0);
  const yearRates = points.length ? rates.compute(sum) : null;
  return {
    since: since.toISOString(),
    months: points.map((p) => ({
      month: p.month,
      received: received.get(p.month) ?? 0,
      onTimeRate: round1(p.rates.onTimeRate),
      satisfactionRate: round1(p.rates.satisfactionRate),
    })),
    received: ins.received,
    onTimeRate: round1(yearRates?.onTimeRate ?? null),
    satisfactionRate: round1(yearRates?.satisfactionRate ?? null),
    overdueOpen: ins.overdueOpen,
    escalatedOpen: ins.escalatedOpen,
    topCategories,
    streets: streets.sort((a, b) => b.n - a.n),
    unlocated: ins.received - located,
  };
}

/** 好差评 counted from the year's first day up to today (the whole year once it is over). */
export function ratingsWindow(year: number, unitIds: number[] | null, now: Date) {
  const today = beijingToday(now);
  const end = `${year + 1}-01-01`;
  const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { from: `${year}-01-01`, to: tomorrow < end ? tomorrow : end, unitIds, today };
}

async function evaluationOf(
  ctx: Ctx,
  year: number,
  unitIds: number[] | null,
  now: Date,
): Promise<TCockpit['evaluation']> {
  const window = ratingsWindow(year, unitIds, now);
  const [campaigns, ratings] = await Promise.all([
    evaluationSummaryFor(ctx, { year, lowest: 3 }),
    ratingsSummary(ctx.db, { ...window, topUnits: 5 }),
  ]);
  return {
    campaigns: campaigns.map((c) => ({
      id: c.id,
      title: c.title,
      kind: c.kind,
      status: c.status,
      periodFrom: c.periodFrom,
      periodTo: c.periodTo,
      units: c.units,
      valid: c.valid,
      mean: c.mean,
      satisfactionRate: c.satisfactionRate,
      lowest: c.lowest,
    })),
    ratings: { since: window.from, ...ratings },
  };
}
