/**
 * Computed scores per year, cached in this process but always checked against the database:
 * an entry is valid only for the (yearId, score version) it was built at, so several app instances
 * stay correct — an instance that sees a newer version refreshes before answering.
 *
 * Refreshing: when only score inputs changed since the cached version (score_versions.config_version
 * is not newer than it, and the units are the same), the inputs written since are fetched by their
 * version and applied through the engine's incremental update; anything else (indicators, plans,
 * deductions, grade rule, year status, units) rebuilds the year from scratch.
 */
import type { Db } from '../../db/client.js';
import { approvedTargets, getYear, listIndicators, listYears, type TYear } from '../performance/index.js';
import { listCategories, listUnits, unitStructureDigest, type TUnit } from '../units/index.js';
import { applyChange } from '../../engine/index.js';
import * as inputsRepo from '../inputs/index.js';
import { scoreInputsSince, scoreVersionInfo } from '../inputs/index.js';
import { computeYear, fieldNumber, monthIndex, type Computed } from './scoring.model.js';
import * as repo from './scoring.repo.js';
import { listenersOf } from '../../platform/module.js';

declare module '../../platform/module.js' {
  interface ModuleListeners {
    /**
     * The reporting deadline ('YYYY-MM-DD') of each of the twelve months of a year, by the year's rule
     * (reporting: a day of the next month moved past days off, or N working days after month end): the
     * year-to-date window counts a month once its deadline has come.
     */
    monthDeadlines: (db: Db, year: TYear) => Promise<string[]>;
  }
}

export type YearScores = Computed & {
  yearRow: TYear;
  version: number;
  fingerprint: string;
};

/** Above this many changed inputs a full rebuild is as cheap as applying them one by one. */
const MAX_INCREMENTAL = 2000;
/** Years kept per database. */
const MAX_ENTRIES = 6;

const caches = new WeakMap<Db, Map<number, YearScores>>();
const locks = new WeakMap<Db, Map<number, Promise<unknown>>>();

/** How entries were refreshed (for tests and diagnostics). */
export const cacheStats = { hits: 0, incremental: 0, full: 0 };

function cacheOf(db: Db): Map<number, YearScores> {
  let m = caches.get(db);
  if (!m) caches.set(db, (m = new Map()));
  return m;
}

/** Runs `fn` after any refresh of the same year in this process has finished (one refresh at a time). */
async function serialized<T>(db: Db, yearId: number, fn: () => Promise<T>): Promise<T> {
  let m = locks.get(db);
  if (!m) locks.set(db, (m = new Map()));
  const prev = m.get(yearId) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  m.set(yearId, settled);
  try {
    return await run;
  } finally {
    if (m.get(yearId) === settled) m.delete(yearId);
  }
}

/**
 * The year's computed scores, current as of the database's score version. Throws 404 when the year
 * does not exist. Callers must read what they need from the entry without awaiting in between
 * (a later refresh updates the entry in place).
 */
export async function yearScores(db: Db, yearId: number): Promise<YearScores> {
  return serialized(db, yearId, async () => {
    // The version is read before the data: data newer than it is simply applied again later. What of
    // the units the model depends on (who is scored, in which category order) is checked by a digest
    // (one short row), not by reading the 1,000 units on every request.
    const [yearRow, info, fingerprint] = await Promise.all([
      getYear(db, yearId),
      scoreVersionInfo(db, yearId),
      unitStructureDigest(db),
    ]);
    const cache = cacheOf(db);
    const cached = cache.get(yearId);
    if (cached && cached.fingerprint === fingerprint) {
      cached.yearRow = yearRow;
      if (cached.version === info.version) {
        cacheStats.hits++;
        touch(cache, yearId, cached);
        return cached;
      }
      if (info.configVersion <= cached.version && info.version > cached.version) {
        const rows = await scoreInputsSince(db, yearId, cached.version);
        if (rows.length <= MAX_INCREMENTAL) {
          applyInputs(cached, rows);
          cached.version = info.version;
          cacheStats.incremental++;
          touch(cache, yearId, cached);
          return cached;
        }
      }
    }
    const [allUnits, categories, indicators] = await Promise.all([
      listUnits(db),
      listCategories(db),
      listIndicators(db, yearId),
    ]);
    const units = assessedUnits(yearRow, allUnits);
    const formulaIds = indicators.filter((n) => n.method?.kind === 'formula').map((n) => n.id);
    const [targets, inputs, deductions] = await Promise.all([
      approvedTargets(db, yearId),
      inputsRepo.yearInputValues(db, yearId, formulaIds),
      repo.listDeductions(db, yearId),
    ]);
    const deadlines = listenersOf('monthDeadlines')[0];
    const monthDeadlines = deadlines ? await deadlines(db, yearRow) : undefined;
    const computed = computeYear({
      year: {
        id: yearRow.id,
        year: yearRow.year,
        gradeRule: yearRow.gradeRule,
        deadlineDay: yearRow.deadlineDay,
        monthDeadlines,
      },
      units,
      categories,
      indicators,
      targets,
      inputs,
      deductions: deductions.map((d) => ({ unitId: d.unitId, period: d.period, points: Number(d.points) })),
    });
    const entry: YearScores = { ...computed, yearRow, version: info.version, fingerprint };
    cacheStats.full++;
    touch(cache, yearId, entry);
    return entry;
  });
}

/** A scheme's units assessed (its unitsAssessed; empty = every unit a leaf applies to). */
function assessedUnits(scheme: TYear, units: TUnit[]): TUnit[] {
  const { categoryIds, unitIds } = scheme.unitsAssessed;
  if (!categoryIds.length && !unitIds.length) return units;
  const cats = new Set(categoryIds);
  const ids = new Set(unitIds);
  return units.filter((u) => ids.has(u.id) || (u.categoryId !== null && cats.has(u.categoryId)));
}

function touch(cache: Map<number, YearScores>, yearId: number, entry: YearScores) {
  cache.delete(yearId);
  cache.set(yearId, entry);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/** Applies changed input rows to a cached year through the engine's incremental update. */
function applyInputs(entry: YearScores, rows: Awaited<ReturnType<typeof scoreInputsSince>>) {
  const { model, res, meta } = entry;
  for (const r of rows) {
    const i = model.indicatorIndexById.get(r.indicatorId);
    const lr = i === undefined ? null : model.leaf[i];
    const p = monthIndex(meta.year, r.period);
    if (!lr || p < 0 || !model.unitIndexById.has(r.unitId)) continue;
    const value = r.value === null ? null : Number(r.value);
    applyChange(model, res, { kind: 'value', indicatorId: r.indicatorId, unitId: r.unitId, period: p, value });
    for (const name of lr.fields.keys()) {
      const v = r.fields && name in r.fields ? fieldNumber(r.fields[name]) : NaN;
      applyChange(model, res, {
        kind: 'value',
        indicatorId: r.indicatorId,
        unitId: r.unitId,
        period: p,
        value: Number.isNaN(v) ? null : v,
        field: name,
      });
    }
    if (value !== null && Number.isFinite(value) && p + 1 > meta.lastDataMonth) meta.lastDataMonth = p + 1;
  }
}

/** Forgets every cached year of a database (tests). */
export function clearScoreCache(db: Db): void {
  caches.delete(db);
}

// ---------- keeping the cache warm ----------

type Log = { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
let warmer: { tick(): Promise<void>; stop(): Promise<void> } | null = null;

/**
 * Builds every year (the newest MAX_ENTRIES: closed years too, as score pages compare with last year)
 * whose cached entry is missing or behind the database's score version. A request that arrives meanwhile waits for that build (yearScores is serialized per year) and
 * is answered as soon as it is done, instead of starting a build of its own.
 */
export async function warmScoreCache(db: Db): Promise<number> {
  let built = 0;
  const years = (await listYears(db)).sort((a, b) => b.year - a.year).slice(0, MAX_ENTRIES);
  for (const y of years.reverse()) {
    const cached = cacheOf(db).get(y.id);
    const info = await scoreVersionInfo(db, y.id);
    if (cached && cached.version === info.version) continue;
    await yearScores(db, y.id);
    built++;
  }
  return built;
}

/**
 * Keeps the score cache warm in the background (issue 19): at start-up (the first score table after a
 * restart is then a cache hit) and every `intervalMs` (5 s) after input or configuration changes, from
 * this or another instance. Stopped by stopScoreWarmer.
 */
export function startScoreWarmer(opts: { db: Db; log: Log; intervalMs?: number }): void {
  if (warmer) return;
  let busy: Promise<void> | null = null;
  const tick = () => {
    busy ??= (async () => {
      try {
        const t0 = performance.now();
        const built = await warmScoreCache(opts.db);
        if (built) opts.log.info({ years: built, ms: Math.round(performance.now() - t0) }, 'score cache warmed');
      } catch (err) {
        opts.log.error({ err }, 'score cache warm-up failed');
      } finally {
        busy = null;
      }
    })();
    return busy;
  };
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 5000);
  timer.unref();
  void tick();
  warmer = {
    tick,
    async stop() {
      clearInterval(timer);
      if (busy) await busy;
      warmer = null;
    },
  };
}

export async function stopScoreWarmer(): Promise<void> {
  await warmer?.stop();
}
