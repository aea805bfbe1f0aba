/**
 * Scoring: comparing a unit with its category and last year, and the year-to-date series of the cockpit.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { assertUnitInScope, inScope } from '../units/index.js';
import { windowIndex } from '../../engine/index.js';
import { yearScores } from './scoring.cache.js';
import { buildRows, monthKey, num, resolveWindow, sameWindow, windowRef } from './scoring.present.js';
import type { TComparison, TScoreTable } from './scoring.schema.js';
import { closedYear, lastYearOf, scoreTable, unitIndexOrThrow, yearRef } from './scoring.live.js';

// ---------- comparison ----------

/**
 * A unit against its category (average, best, its place month by month) and against its own last
 * year, with the category's improvement-award (绩效改进奖) candidates over the same period.
 */
export async function compare(ctx: Ctx, q: { yearId: number; unitId: number }): Promise<TComparison> {
  await assertUnitInScope(ctx, q.unitId);
  const entry = await yearScores(ctx.db, q.yearId);
  const last = await lastYearOf(ctx.db, entry);
  const { meta, model, res } = entry;
  const u = unitIndexOrThrow(entry, q.unitId);
  const c = model.unitCategory[u];
  const members = Array.from(model.categoryUnits[c]);
  const W = model.W;
  const ytd = resolveWindow(meta, model, closedYear(entry), undefined);
  const lastAt = (unitId: number, w: number) => {
    if (!last) return null;
    const lw = sameWindow(model, w, last.model);
    const lu = last.model.unitIndexById.get(unitId);
    if (lw < 0 || lu === undefined) return null;
    return { total: last.res.total[lu * last.model.W + lw], rank: last.res.rank[lu * last.model.W + lw] };
  };
  const stats = (w: number) => {
    let sum = 0;
    let best = -Infinity;
    for (const m of members) {
      const t = res.total[m * W + w];
      sum += t;
      if (t > best) best = t;
    }
    return { avg: members.length ? sum / members.length : 0, best: members.length ? best : 0 };
  };
  const through = model.windows[ytd].end;
  const months: TComparison['months'] = [];
  for (let p = 0; p <= through; p++) {
    const w = p; // month windows come first, in order
    const s = stats(w);
    const l = lastAt(q.unitId, w);
    months.push({
      period: monthKey(meta.year, p),
      label: model.windows[w].label,
      total: num(res.total[u * W + w]),
      rank: res.rank[u * W + w],
      categoryAvg: num(s.avg),
      categoryBest: num(s.best),
      lastYearTotal: l ? num(l.total) : null,
      lastYearRank: l ? l.rank : null,
    });
  }
  const nodes = meta.topLevel.map((i) => {
    let sum = 0;
    let cnt = 0;
    let best = -Infinity;
    for (const m of members) {
      const x = res.scores[i][m * W + ytd];
      if (!Number.isFinite(x)) continue;
      sum += x;
      cnt++;
      if (x > best) best = x;
    }
    return {
      indicatorId: meta.indicators[i].id,
      name: meta.indicators[i].name,
      points: meta.indicators[i].points,
      score: num(res.scores[i][u * W + ytd]),
      categoryAvg: cnt ? sum / cnt : null,
      categoryBest: cnt ? best : null,
    };
  });
  const s = stats(ytd);
  const own = lastAt(q.unitId, ytd);
  const improvement = members
    .map((m) => {
      const unit = meta.units[m];
      const l = lastAt(unit.id, ytd);
      if (!l || !Number.isFinite(l.total)) return null;
      const total = res.total[m * W + ytd];
      const rank = res.rank[m * W + ytd];
      return {
        unitId: unit.id,
        unitName: unit.name,
        total,
        rank,
        lastYearTotal: l.total,
        lastYearRank: l.rank,
        scoreChange: total - l.total,
        rankChange: l.rank - rank,
        candidate: false,
      };
    })
    .filter((x): x is NonNullable<typeof x> => x !== null)
    .sort((a, b) => b.rankChange - a.rankChange || b.scoreChange - a.scoreChange || a.unitId - b.unitId);
  // Candidates: the three that moved up most, among those that improved.
  improvement
    .filter((x) => x.rankChange > 0 || (x.rankChange === 0 && x.scoreChange > 0))
    .slice(0, 3)
    .forEach((x) => (x.candidate = true));
  return {
    year: yearRef(entry.yearRow),
    unit: {
      id: q.unitId,
      name: meta.units[u].name,
      categoryId: meta.units[u].categoryId,
      categoryName: meta.categories[c]?.name ?? '',
      of: members.length,
    },
    window: windowRef(meta, model, ytd),
    months,
    nodes,
    summary: {
      total: res.total[u * W + ytd],
      rank: res.rank[u * W + ytd],
      categoryAvg: s.avg,
      categoryBest: s.best,
      lastYearTotal: own ? num(own.total) : null,
      lastYearRank: own ? own.rank : null,
    },
    improvement,
  };
}

// ---------- year-to-date series (cockpit) ----------

/** One month of a year-to-date series: each visible unit's total and rank through that month. */
export type YtdPoint = { month: number; rows: { unitId: number; total: number; rank: number }[] };

/**
 * The year-to-date ranking through each month up to the live table's window (the cockpit's movement
 * since last month and its trend line), with the live table itself; only units the caller may see in full.
 */
export async function ytdSeries(ctx: Ctx, yearId: number): Promise<{ table: TScoreTable; points: YtdPoint[] }> {
  const table = await scoreTable(ctx, { yearId, published: false });
  const entry = await yearScores(ctx.db, yearId);
  const scope = await ctx.scope();
  const end = table.window.kind === 'ytd' ? table.window.n : table.window.end;
  // Every unit's series is kept per score version (the same for every viewer), then filtered to the caller.
  let cached = ytdCache.get(ctx.db);
  if (!cached || cached.yearId !== yearId || cached.version !== entry.version || cached.end !== end) {
    const all: YtdPoint[] = [];
    for (let n = 0; n <= end; n++) {
      const w = windowIndex(entry.model, 'ytd', n);
      if (w < 0) continue;
      all.push({
        month: n + 1,
        rows: buildRows(entry, w, null).map((r) => ({ unitId: r.unitId, total: r.total, rank: r.rank })),
      });
    }
    ytdCache.set(ctx.db, (cached = { yearId, version: entry.version, end, points: all }));
  }
  const points = cached.points.map((p) => ({ month: p.month, rows: p.rows.filter((r) => inScope(scope, r.unitId)) }));
  return { table: { ...table, rows: table.rows.filter((r) => r.inScope) }, points };
}

const ytdCache = new WeakMap<Db, { yearId: number; version: number; end: number; points: YtdPoint[] }>();
