/**
 * Case statistics per department and month: reading them (scoped to the viewer's units), the rate
 * formulas, the full rebuild from the case timeline, and the sync that turns them into score inputs
 * of case-platform indicators (indicators.data_source = 'case_platform', named by case_metric).
 *
 * The counters themselves are kept incrementally by the upserts of `caseEventsStatsSql` (casestats.apply.ts), written by
 * the case timeline in the transaction of every case event.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { SYSTEM_ACTOR, type Actor, type Ctx } from '../../lib/context.js';
import { invalid } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { listCategories as listCaseCategories } from '../cases/index.js';
import { leavesFor, listIndicators, listYears } from '../performance/index.js';
import { type ScoreInputWrite, upsertScoreInputs } from '../inputs/index.js';
import { assertUnitInScope, listUnits } from '../units/index.js';
import { addCounters, COUNTERS, monthRange, zeroCounters, type Counters } from './casestats.counters.js';
import {
  compileRates,
  DEFAULT_FORMULAS,
  formulaProblem,
  metricValue,
  RATE_KEYS,
  RATES,
  type CompiledRates,
  type FormulaSet,
} from './casestats.formulas.js';
import * as repo from './casestats.repo.js';
import type {
  TFormulas,
  TFormulasUpdate,
  TMonthStats,
  TStatsQuery,
  TSyncResult,
  TTrend,
  TTrendQuery,
} from './casestats.schema.js';

/** Who writes case-platform score inputs, as shown in score explanations. */
export const INPUT_AUTHOR = '公共服务平台';

// ---------- formulas ----------

type StoredFormulas = { formulas: Partial<FormulaSet> };

async function storedFormulas(db: Db): Promise<FormulaSet> {
  const v = (await repo.getSetting(db, 'formulas')) as StoredFormulas | null;
  const merged = { ...DEFAULT_FORMULAS };
  for (const k of RATE_KEYS) {
    const f = v?.formulas?.[k];
    if (typeof f === 'string' && f.trim()) merged[k] = f;
  }
  return merged;
}

let compiledCache: { key: string; rates: CompiledRates } | null = null;

/** The formulas in force, compiled (cached while they do not change). */
export async function currentRates(db: Db): Promise<CompiledRates> {
  const formulas = await storedFormulas(db);
  const key = JSON.stringify(formulas);
  if (compiledCache?.key === key) return compiledCache.rates;
  let rates: CompiledRates;
  try {
    rates = compileRates(formulas);
  } catch {
    // Stored formulas were checked when saved; should the formula language change under them, fall back to the defaults.
    rates = compileRates(DEFAULT_FORMULAS);
  }
  compiledCache = { key, rates };
  return rates;
}

/** The rate formulas with their defaults and the counters they may use. */
export async function getFormulas(db: Db): Promise<TFormulas> {
  const [formulas, raw] = await Promise.all([storedFormulas(db), repo.getSetting(db, 'formulas')]);
  return {
    rates: RATES.map((r) => ({
      key: r.key,
      zh: r.zh,
      en: r.en,
      expression: formulas[r.key],
      defaultExpression: r.expression,
      note: { ...r.note },
    })),
    variables: COUNTERS.map((c) => ({ name: c.key, zh: c.zh, en: c.en })),
    updatedAt: (raw as { at?: string } | null)?.at ?? null,
  };
}

/** Changes rate formulas (each checked by the formula language; the first bad one is a 400 naming it). */
export async function putFormulas(ctx: Ctx, input: TFormulasUpdate): Promise<TFormulas> {
  const before = await storedFormulas(ctx.db);
  const next: FormulaSet = { ...before };
  for (const k of RATE_KEYS) {
    const f = input.formulas[k];
    if (f !== undefined) next[k] = f;
  }
  const problem = formulaProblem(next);
  if (problem)
    throw invalid(
      `formulas.${problem.key}`,
      `公式有误（${problem.key}）：${problem.zh}`,
      `Invalid formula in formulas.${problem.key}: ${problem.en}`,
    );
  await ctx.db.transaction(async (tx) => {
    await repo.putSetting(tx, 'formulas', { formulas: next, at: new Date().toISOString() }, ctx.user?.id ?? null);
    await recordAudit(tx, ctx.actor, {
      action: 'casestats.formulas',
      entityType: 'case_stats',
      entityId: 'formulas',
      before,
      after: next,
    });
  });
  return getFormulas(ctx.db);
}

// ---------- reading ----------

/** The unit ids the viewer may see (null = all). */
async function scopeUnits(ctx: Ctx, unitId: number | undefined): Promise<number[] | null> {
  if (unitId !== undefined) {
    await assertUnitInScope(ctx, unitId);
    return [unitId];
  }
  const scope = await ctx.scope();
  return scope.all ? null : [...scope.unitIds];
}

function countersOf(row: Counters): Counters {
  const c = zeroCounters();
  for (const k of Object.keys(c) as (keyof Counters)[]) c[k] = Number(row[k] ?? 0);
  return c;
}

/** Every department's statistics for a month (the viewer's units only), with totals and the category breakdown. */
export async function monthStats(ctx: Ctx, q: TStatsQuery): Promise<TMonthStats> {
  const unitIds = await scopeUnits(ctx, q.unitId);
  const scope = await ctx.scope();
  const showCategories = scope.all && q.unitId === undefined;
  const [rows, rates, units, catRows, cats] = await Promise.all([
    repo.monthRows(ctx.db, q.month, unitIds),
    currentRates(ctx.db),
    listUnits(ctx.db),
    showCategories ? repo.categoryRows(ctx.db, q.month) : Promise.resolve([]),
    showCategories ? listCaseCategories(ctx.db) : Promise.resolve([]),
  ]);
  const unitById = new Map(units.map((u) => [u.id, u]));
  const totals = zeroCounters();
  const out = rows.map((r) => {
    const counters = countersOf(r);
    addCounters(totals, counters);
    const u = unitById.get(r.unitId);
    return {
      unitId: r.unitId,
      unitCode: u?.code ?? '',
      unitName: u?.name ?? String(r.unitId),
      counters,
      rates: rates.compute(counters),
    };
  });
  const catById = new Map(cats.map((c) => [c.id, c]));
  return {
    month: q.month,
    rows: out,
    totals: { counters: totals, rates: rates.compute(totals) },
    categories: catRows
      .map((c) => ({
        categoryId: c.categoryId,
        name: catById.get(c.categoryId)?.path ?? String(c.categoryId),
        created: Number(c.created),
        closed: Number(c.closed),
      }))
      .sort((a, b) => b.created - a.created || a.categoryId - b.categoryId),
  };
}

/** A monthly series for one department, or summed over the viewer's departments. */
export async function trend(ctx: Ctx, q: TTrendQuery): Promise<TTrend> {
  const unitIds = await scopeUnits(ctx, q.unitId);
  const [rows, rates] = await Promise.all([repo.trendRows(ctx.db, unitIds, q.from, q.to), currentRates(ctx.db)]);
  const byMonth = new Map(rows.map((r) => [r.month, countersOf(r)]));
  return {
    unitId: q.unitId ?? null,
    from: q.from,
    to: q.to,
    points: monthRange(q.from, q.to).map((month) => {
      const counters = byMonth.get(month) ?? zeroCounters();
      return { month, counters, rates: rates.compute(counters) };
    }),
  };
}

// ---------- rebuild ----------

/** Recomputes the statistics from the case timeline (seed, imports, repair) in one transaction, audited. */
export async function rebuildCaseStats(db: Db, actor: Actor): Promise<{ rows: number }> {
  return db.transaction(async (tx) => {
    const r = await repo.rebuild(tx);
    await recordAudit(tx, actor, { action: 'casestats.rebuild', entityType: 'case_stats', entityId: 'all', after: r });
    return r;
  });
}

/**
 * The rebuild as a long operation (the `casestats.rebuild` job): month by month, each month in its own
 * short transaction (statistics tables locked only for that month's statement), with progress after
 * each month and a stop between months when `signal` aborts. Same rows as rebuildCaseStats; audited
 * once at the end.
 */
export async function rebuildCaseStatsByMonth(
  db: Db,
  actor: Actor,
  opts: { progress?: (fraction: number, message: string) => Promise<void>; signal?: AbortSignal } = {},
): Promise<{ rows: number; months: number }> {
  const months = await repo.eventMonths(db);
  let rows = 0;
  if (!months.length) {
    await db.transaction((tx) => repo.rebuild(tx));
  } else {
    await db.transaction((tx) => repo.deleteStatsOutside(tx, months[0], months[months.length - 1]));
    for (const [i, month] of months.entries()) {
      if (opts.signal?.aborted) throw new Error('casestats.rebuild: stopped (instance shutting down)');
      rows += (await db.transaction((tx) => repo.rebuild(tx, month))).rows;
      await opts.progress?.((i + 1) / months.length, month);
    }
  }
  await db.transaction(async (tx) => {
    await recordAudit(tx, actor, {
      action: 'casestats.rebuild',
      entityType: 'case_stats',
      entityId: 'all',
      after: { rows, months: months.length },
    });
  });
  return { rows, months: months.length };
}

// ---------- score inputs ----------

type Leaf = { id: number; caseMetric: string; yearId: number };
type YearPlan = { year: number; leavesByUnit: Map<number, Leaf[]>; signature: string };

/**
 * For each calendar year: which case-platform leaves of its schemes in force (the annual scheme and any
 * special one, migration 0027) apply to which unit.
 */
async function yearPlans(db: Db, formulas: FormulaSet): Promise<Map<number, YearPlan>> {
  const [years, units] = await Promise.all([listYears(db), listUnits(db)]);
  const out = new Map<number, YearPlan>();
  for (const y of years.filter((x) => x.status === 'in_force')) {
    const plan = out.get(y.year) ?? { year: y.year, leavesByUnit: new Map<number, Leaf[]>(), signature: '' };
    out.set(y.year, plan);
    const indicators = await listIndicators(db, y.id);
    if (!indicators.some((i) => i.dataSource === 'case_platform' && i.caseMetric)) continue;
    for (const u of units) {
      const leaves = leavesFor(u, indicators)
        .filter((l) => l.dataSource === 'case_platform' && l.caseMetric)
        .map((l) => ({ id: l.id, caseMetric: l.caseMetric!, yearId: y.id }));
      if (leaves.length) plan.leavesByUnit.set(u.id, [...(plan.leavesByUnit.get(u.id) ?? []), ...leaves]);
    }
  }
  for (const plan of out.values()) {
    const map = [...plan.leavesByUnit].map(([u, ls]) => [u, ls.map((l) => `${l.id}:${l.caseMetric}`)]);
    plan.signature = hash({ formulas, map });
  }
  return out;
}

function hash(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex');
}

/**
 * Writes the score inputs of case-platform indicators for every (department, month) whose counters
 * changed since the last sync; idempotent. When the indicators in force, their units or the formulas
 * changed since the last run, every month of that year is rewritten. One transaction per batch,
 * audited when it wrote anything.
 */
export async function syncCaseScoreInputs(
  db: Db,
  opts: { batch?: number; maxBatches?: number } = {},
): Promise<{ rows: number; inputs: number }> {
  const rates = await currentRates(db);
  const plans = await yearPlans(db, rates.formulas);
  const seen = ((await repo.getSetting(db, 'sync')) as { years?: Record<string, string> } | null)?.years ?? {};
  const signatures = Object.fromEntries([...plans.values()].map((p) => [String(p.year), p.signature]));
  const changedYears = [...plans.values()].filter((p) => seen[String(p.year)] !== p.signature).map((p) => p.year);
  if (changedYears.length || Object.keys(seen).some((y) => !(y in signatures))) {
    await db.transaction(async (tx) => {
      for (const y of changedYears) await repo.resetSync(tx, `${y}-`);
      await repo.putSetting(tx, 'sync', { years: signatures }, null);
    });
  }
  let rowsDone = 0;
  let inputsDone = 0;
  const batch = opts.batch ?? 2000;
  for (let i = 0; i < (opts.maxBatches ?? 100); i++) {
    const rows = await repo.unsyncedRows(db, batch);
    if (!rows.length) break;
    const inputs: ScoreInputWrite[] = [];
    const months = new Set<string>();
    const now = new Date();
    for (const r of rows) {
      const plan = plans.get(Number(r.month.slice(0, 4)));
      const leaves = plan?.leavesByUnit.get(r.unitId);
      if (!plan || !leaves) continue;
      const counters = countersOf(r);
      const rateValues = rates.compute(counters);
      for (const leaf of leaves) {
        const value = metricValue(leaf.caseMetric, counters, rateValues);
        if (value === undefined) continue; // a metric name the statistics do not know
        months.add(r.month);
        inputs.push({
          yearId: leaf.yearId,
          indicatorId: leaf.id,
          unitId: r.unitId,
          period: r.month,
          value,
          fields: { ...counters, ...rateValues },
          source: 'case_platform',
          sourceRef: `casestats:${r.unitId}:${r.month}`,
          enteredBy: null,
          enteredByName: INPUT_AUTHOR,
          enteredAt: now,
        });
      }
    }
    await db.transaction(async (tx) => {
      await upsertScoreInputs(tx, inputs);
      await repo.markSynced(tx, rows);
      if (inputs.length) {
        await recordAudit(tx, SYSTEM_ACTOR, {
          action: 'casestats.sync',
          entityType: 'case_stats',
          entityId: 'score_inputs',
          after: { inputs: inputs.length, rows: rows.length, months: [...months].sort() },
        });
      }
    });
    rowsDone += rows.length;
    inputsDone += inputs.length;
    if (rows.length < batch) break;
  }
  return { rows: rowsDone, inputs: inputsDone };
}

/** POST /case-stats/sync: optionally rebuild from the timeline, then sync now. */
export async function runSync(ctx: Ctx, input: { rebuild: boolean }): Promise<TSyncResult> {
  let rebuiltRows: number | null = null;
  if (input.rebuild) {
    rebuiltRows = (await rebuildCaseStats(ctx.db, ctx.actor)).rows;
  }
  const r = await syncCaseScoreInputs(ctx.db);
  return { rebuiltRows, ...r };
}
