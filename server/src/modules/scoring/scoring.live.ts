/**
 * Scoring: who sees which unit's scores, the live ranking tables of a year, completeness, and the
 * read side of publications (a published period's snapshot, decoded once per database handle).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid, notFound, type Lang } from '../../lib/errors.js';
import { getYear, getYearByYear, planStatuses, type TYear } from '../performance/index.js';
import { getUnit, inScope } from '../units/index.js';
import { buildModel, computeAll, inputKey } from '../../engine/index.js';
import { yearScores, type YearScores } from './scoring.cache.js';
import * as inputsRepo from '../inputs/index.js';
import { monthIndex } from './scoring.model.js';
import {
  buildTable,
  num,
  resolveWindow,
  sameWindow,
  windowLabelOf,
  windowRef,
  type Scored,
} from './scoring.present.js';
import * as repo from './scoring.repo.js';
import { completenessOf, completenessText, withCompleteness } from './scoring.completeness.js';
import type { TCompletenessList, TProvenance, TScoresQuery, TScoreTable } from './scoring.schema.js';
import { decodeSnapshot, type Snapshot } from './scoring.snapshot.js';

export type StoredTable = Omit<TScoreTable, 'year' | 'published'>;

export const yearRef = (y: TYear) => ({ id: y.id, year: y.year, name: y.name, status: y.status });
export const pubRef = (p: repo.PublicationHead) => ({
  id: p.id,
  publishedAt: p.publishedAt.toISOString(),
  publishedByName: p.publishedByName,
  scoreVersion: p.scoreVersion,
});

// ---------- visibility ----------

type Viewer = { all: boolean; full(unitId: number): boolean; sees(unitId: number, categoryId: number | null): boolean };

export async function viewerOf(ctx: Ctx): Promise<Viewer> {
  const scope = await ctx.scope();
  if (scope.all) return { all: true, full: () => true, sees: () => true };
  const own = ctx.user ? (await getUnit(ctx.db, ctx.user.unitId)).categoryId : null;
  return {
    all: false,
    full: (unitId) => inScope(scope, unitId),
    sees: (unitId, categoryId) => inScope(scope, unitId) || (own !== null && categoryId === own),
  };
}

export function finishTable(
  year: TYear,
  table: StoredTable,
  published: TScoreTable['published'],
  viewer: Viewer,
  categoryId?: number,
  lang: Lang = 'zh',
): TScoreTable {
  const rows = withCompleteness(
    table.rows
      .filter((r) => viewer.sees(r.unitId, r.categoryId) && (categoryId === undefined || r.categoryId === categoryId))
      .map((r) => ({ ...r, inScope: viewer.full(r.unitId) })),
    null,
    lang,
  );
  const cats = viewer.all
    ? table.categories
    : table.categories.filter((c) =>
        table.rows.some((r) => r.categoryId === c.id && viewer.sees(r.unitId, r.categoryId)),
      );
  const window = { ...table.window, label: windowLabelOf(table.window, lang) };
  return { ...table, year: yearRef(year), published, window, categories: cats, rows };
}

// ---------- live years ----------

/** Last year's computed scores (for vertical comparison), or null when there is no such year. */
export async function lastYearOf(db: Db, entry: YearScores): Promise<YearScores | null> {
  const prev = await getYearByYear(db, entry.meta.year - 1, entry.yearRow.code);
  if (!prev || prev.status === 'draft') return null;
  return yearScores(db, prev.id);
}

export const closedYear = (e: YearScores) => e.yearRow.status === 'closed';

export function unitIndexOrThrow(c: Scored, unitId: number): number {
  const u = c.model.unitIndexById.get(unitId);
  if (u === undefined)
    throw new AppError('NOT_FOUND', {
      zh: '该单位不参加本年度考核或没有适用的指标',
      en: 'The unit is not assessed this year',
    });
  return u;
}

export function indicatorIndexOrThrow(c: Scored, indicatorId: number): number {
  const i = c.model.indicatorIndexById.get(indicatorId);
  if (i === undefined) throw invalid('indicatorId', '指标不属于该考核年度', 'The indicator is not part of the year');
  return i;
}

export function presentProvenance(r: inputsRepo.InputRowDb): TProvenance {
  return {
    source: r.source,
    sourceRef: r.sourceRef,
    enteredBy: r.enteredBy,
    enteredByName: r.enteredByName,
    enteredAt: r.enteredAt.toISOString(),
  };
}

/** Provenance of input rows keyed by the engine's inputKey (the value and every form field). */
export function provenanceMap(year: number, rows: inputsRepo.InputRowDb[]): Map<string, TProvenance> {
  const out = new Map<string, TProvenance>();
  for (const r of rows) {
    const p = monthIndex(year, r.period);
    if (p < 0) continue;
    const prov = presentProvenance(r);
    out.set(inputKey(r.indicatorId, r.unitId, p), prov);
    for (const name of Object.keys(r.fields ?? {})) out.set(inputKey(r.indicatorId, r.unitId, p, name), prov);
  }
  return out;
}

/** The ranking table of a year's period, live or as published. */
export async function scoreTable(ctx: Ctx, q: TScoresQuery): Promise<TScoreTable> {
  const viewer = await viewerOf(ctx);
  if (q.published) {
    const year = await getYear(ctx.db, q.yearId);
    const pub = await publishedOf(ctx.db, year, q.period);
    return finishTable(year, pub.result as StoredTable, pubRef(pub), viewer, q.categoryId, ctx.lang);
  }
  return liveTable(ctx, q, viewer, await liveParts(ctx, q));
}

type LiveParts = {
  entry: YearScores;
  last: YearScores | null;
  plans: Awaited<ReturnType<typeof planStatuses>>;
  w: number;
};

async function liveParts(ctx: Ctx, q: TScoresQuery): Promise<LiveParts> {
  const entry = await yearScores(ctx.db, q.yearId);
  const [last, plans] = await Promise.all([lastYearOf(ctx.db, entry), planStatuses(ctx.db, q.yearId)]);
  return { entry, last, plans, w: resolveWindow(entry.meta, entry.model, closedYear(entry), q.period) };
}

function liveTable(ctx: Ctx, q: TScoresQuery, viewer: Viewer, { entry, last, plans, w }: LiveParts): TScoreTable {
  const table = tableWithCompleteness(
    entry,
    w,
    last ? { c: last, w: sameWindow(entry.model, w, last.model) } : null,
    entry.version,
    plans,
  );
  return finishTable(entry.yearRow, table, null, viewer, q.categoryId, ctx.lang);
}

/** Live tables of the whole district recently sent, as JSON, per database handle: key → JSON, oldest first. */
const sentTables = new WeakMap<Db, Map<string, string>>();
const SENT_TABLES = 8;

/**
 * The score table as the route sends it (JSON). The whole district's live table (1,000 units: about
 * 1 MB) is built and serialized once per state of everything it depends on — the year and its score
 * version, last year's, the window, the category filter, the plans' statuses, the language — and
 * then answered from memory; a scoped viewer's table and published ones are built each time.
 */
export async function scoreTableJson(
  ctx: Ctx,
  q: TScoresQuery,
  serialize: (table: TScoreTable) => string,
): Promise<string> {
  const scope = await ctx.scope();
  if (q.published || !scope.all) return serialize(await scoreTable(ctx, q));
  const parts = await liveParts(ctx, q);
  const { entry, last, plans, w } = parts;
  const key = createHash('sha1')
    .update(
      JSON.stringify([
        entry.meta.yearId,
        entry.version,
        entry.fingerprint,
        yearRef(entry.yearRow),
        last && [last.meta.yearId, last.version, last.fingerprint],
        w,
        q.categoryId ?? null,
        ctx.lang,
        [...plans],
      ]),
    )
    .digest('hex');
  let memo = sentTables.get(ctx.db);
  if (!memo) sentTables.set(ctx.db, (memo = new Map()));
  let json = memo.get(key);
  if (json === undefined) {
    json = serialize(liveTable(ctx, q, await viewerOf(ctx), parts));
    memo.set(key, json);
    while (memo.size > SENT_TABLES) memo.delete(memo.keys().next().value!);
  } else {
    memo.delete(key);
    memo.set(key, json);
  }
  return json;
}

/** The ranking table with each row's completeness (stored with publications, so they keep it). */
export function tableWithCompleteness(
  c: Scored,
  w: number,
  last: { c: Scored; w: number } | null,
  version: number,
  plans: Awaited<ReturnType<typeof planStatuses>>,
): StoredTable {
  const table = buildTable(c, w, last, version);
  const map = completenessOf(c, w, plans);
  return { ...table, rows: table.rows.map((r) => ({ ...r, completeness: { ...map.get(r.unitId)!, text: '' } })) };
}

/**
 * Every assessed unit's live score on one indicator of a year (any node or leaf) in a period (the whole
 * year by default): null where the indicator does not apply or has no score. Null when the indicator is
 * not in the year's tree. For the awards' 单项绩效奖.
 */
export async function indicatorScores(
  db: Db,
  yearId: number,
  indicatorId: number,
  period?: string,
): Promise<{ name: string; code: string; isLeaf: boolean; scores: Map<number, number | null> } | null> {
  const entry = await yearScores(db, yearId);
  const i = entry.meta.indicators.findIndex((x) => x.id === indicatorId);
  if (i < 0) return null;
  const w = resolveWindow(entry.meta, entry.model, closedYear(entry), period);
  const W = entry.model.W;
  const scores = new Map(entry.meta.units.map((u, k) => [u.id, num(entry.res.scores[i][k * W + w])]));
  const mi = entry.meta.indicators[i];
  return { name: mi.name, code: mi.code, isLeaf: mi.isLeaf, scores };
}

// ---------- completeness ----------

/**
 * The units whose score in a period is incomplete (plan not approved, leaves without a score), of
 * those the caller may see in full. The publish dialog lists them; the cockpit reads it too.
 */
export async function incompleteUnits(ctx: Ctx, q: { yearId: number; period?: string }): Promise<TCompletenessList> {
  const viewer = await viewerOf(ctx);
  const entry = await yearScores(ctx.db, q.yearId);
  const plans = await planStatuses(ctx.db, q.yearId);
  const w = resolveWindow(entry.meta, entry.model, closedYear(entry), q.period);
  return completenessList(entry, w, plans, viewer.full, ctx.lang);
}

function completenessList(
  c: Scored,
  w: number,
  plans: Awaited<ReturnType<typeof planStatuses>>,
  visible: (unitId: number) => boolean,
  lang: Lang,
): TCompletenessList {
  const map = completenessOf(c, w, plans);
  const { meta, model } = c;
  const incomplete: TCompletenessList['incomplete'] = [];
  meta.units.forEach((unit, u) => {
    const x = map.get(unit.id)!;
    if (x.complete || !visible(unit.id)) return;
    incomplete.push({
      unitId: unit.id,
      unitName: unit.name,
      categoryName: meta.categories[model.unitCategory[u]]?.name ?? '',
      completeness: { ...x, text: completenessText(x, lang) },
    });
  });
  return { window: windowRef(meta, model, w, lang), units: meta.units.filter((x) => visible(x.id)).length, incomplete };
}

/**
 * For other modules (the cockpit): each scored unit's completeness in a period of a year, by unit id,
 * with its text in `lang`. No scope check: the caller filters by its own viewer.
 */
export async function yearCompleteness(db: Db, yearId: number, period?: string, lang: Lang = 'zh') {
  const entry = await yearScores(db, yearId);
  const plans = await planStatuses(db, yearId);
  const w = resolveWindow(entry.meta, entry.model, closedYear(entry), period);
  return new Map(completenessList(entry, w, plans, () => true, lang).incomplete.map((x) => [x.unitId, x]));
}

// ---------- publications (read side) ----------

export async function publishedOf(
  db: Db,
  year: TYear,
  period: string | undefined,
): Promise<repo.PublicationWithResult> {
  const p = period ?? String(year.year);
  if (p.slice(0, 4) !== String(year.year))
    throw invalid('period', `考核期应在 ${year.year} 年内`, `The period must be in ${year.year}`);
  const pub = await repo.latestPublication(db, year.id, p);
  if (!pub) throw new AppError('NOT_FOUND', { zh: `${p} 的考核结果尚未发布`, en: `Results of ${p} are not published` });
  return pub;
}

type PublishedScored = Scored & { snap: Snapshot };
const published = new WeakMap<Db, Map<number, PublishedScored>>();

/** A publication's snapshot rebuilt into a model (cached: publications never change). */
export async function publishedScored(db: Db, id: number): Promise<PublishedScored> {
  let cache = published.get(db);
  if (!cache) published.set(db, (cache = new Map()));
  const hit = cache.get(id);
  if (hit) return hit;
  const bytes = await repo.publicationSnapshot(db, id);
  if (!bytes) throw notFound();
  const snap = decodeSnapshot(bytes);
  const model = buildModel(snap.input);
  const out: PublishedScored = { snap, meta: snap.meta, model, res: computeAll(model) };
  cache.set(id, out);
  while (cache.size > 4) cache.delete(cache.keys().next().value!);
  return out;
}
