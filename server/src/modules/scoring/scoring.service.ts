/**
 * Scoring on the database: live scores (ranking tables, a unit's tree, explanations), the what-if
 * sandbox, immutable publications, comparisons, accountability deductions and manual inputs.
 *
 * Visibility (enforced here, on every read):
 * - Units in the caller's scope (units.service unitScope) are open in full: tree, explanations,
 *   comparison, deductions.
 * - Besides, everyone with scores.read sees the ranking rows of their own unit's category, so a
 *   unit can compare itself with the others it is ranked against. Opening another unit's detail or
 *   explanation answers 404.
 * - Office-wide roles see everything; a district leader sees the units in their charge.
 *
 * Computation happens in the cache (scoring.cache.ts) keyed by the year's score version; the
 * published results are read from their snapshot and never recomputed from live data.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid, notFound, type Lang } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { getYear, getYearByYear, leavesFor, listIndicators, planStatuses, type TYear } from '../performance/index.js';
import { assertUnitInScope, getUnit, inScope, listUnits } from '../units/index.js';
import {
  buildModel,
  computeAll,
  EngineInputError,
  inputKey,
  windowIndex,
  type ModelInput,
} from '../../engine/index.js';
import { yearScores, type YearScores } from './scoring.cache.js';
import * as inputsRepo from '../inputs/index.js';
import { bumpScoreVersion, upsertScoreInputs } from '../inputs/index.js';
import { buildFields, formulaFieldNames, monthIndex } from './scoring.model.js';
import {
  buildRow,
  buildRows,
  buildTable,
  buildTree,
  monthKey,
  num,
  presentExplanation,
  presentTotal,
  resolveWindow,
  sameWindow,
  windowRef,
  type Scored,
} from './scoring.present.js';
import * as repo from './scoring.repo.js';
import { completenessOf, completenessText, unitCompleteness, withCompleteness } from './scoring.completeness.js';
import { PLAN_STATUS_NAMES } from '../../../../common/performance.js';
import type {
  TComparison,
  TCompleteness,
  TCompletenessList,
  TIndicatorExplanation,
  TDeduction,
  TDeductionCreate,
  TDeductionUpdate,
  TExplainQuery,
  TExplanation,
  TManualInput,
  TProvenance,
  TPublication,
  TPublicScoreYear,
  TSandboxRequest,
  TSandboxResult,
  TScoreInput,
  TScoresQuery,
  TScoreTable,
  TUnitScores,
  TUnitScoreSummary,
  TUnitSummaryQuery,
} from './scoring.schema.js';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from './scoring.snapshot.js';
import { specialMapping, specialSource, takeInPublication } from './scoring.special.js';

type StoredTable = Omit<TScoreTable, 'year' | 'published'>;

const yearRef = (y: TYear) => ({ id: y.id, year: y.year, name: y.name, status: y.status });
const pubRef = (p: repo.PublicationHead) => ({
  id: p.id,
  publishedAt: p.publishedAt.toISOString(),
  publishedByName: p.publishedByName,
  scoreVersion: p.scoreVersion,
});

// ---------- visibility ----------

type Viewer = { all: boolean; full(unitId: number): boolean; sees(unitId: number, categoryId: number | null): boolean };

async function viewerOf(ctx: Ctx): Promise<Viewer> {
  const scope = await ctx.scope();
  if (scope.all) return { all: true, full: () => true, sees: () => true };
  const own = ctx.user ? (await getUnit(ctx.db, ctx.user.unitId)).categoryId : null;
  return {
    all: false,
    full: (unitId) => inScope(scope, unitId),
    sees: (unitId, categoryId) => inScope(scope, unitId) || (own !== null && categoryId === own),
  };
}

function finishTable(
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
  return { ...table, year: yearRef(year), published, categories: cats, rows };
}

// ---------- live years ----------

/** Last year's computed scores (for vertical comparison), or null when there is no such year. */
async function lastYearOf(db: Db, entry: YearScores): Promise<YearScores | null> {
  const prev = await getYearByYear(db, entry.meta.year - 1, entry.yearRow.code);
  if (!prev || prev.status === 'draft') return null;
  return yearScores(db, prev.id);
}

const closedYear = (e: YearScores) => e.yearRow.status === 'closed';

function unitIndexOrThrow(c: Scored, unitId: number): number {
  const u = c.model.unitIndexById.get(unitId);
  if (u === undefined)
    throw new AppError('NOT_FOUND', {
      zh: '该单位不参加本年度考核或没有适用的指标',
      en: 'The unit is not assessed this year',
    });
  return u;
}

function indicatorIndexOrThrow(c: Scored, indicatorId: number): number {
  const i = c.model.indicatorIndexById.get(indicatorId);
  if (i === undefined) throw invalid('indicatorId', '指标不属于该考核年度', 'The indicator is not part of the year');
  return i;
}

function presentProvenance(r: inputsRepo.InputRowDb): TProvenance {
  return {
    source: r.source,
    sourceRef: r.sourceRef,
    enteredBy: r.enteredBy,
    enteredByName: r.enteredByName,
    enteredAt: r.enteredAt.toISOString(),
  };
}

/** Provenance of input rows keyed by the engine's inputKey (the value and every form field). */
function provenanceMap(year: number, rows: inputsRepo.InputRowDb[]): Map<string, TProvenance> {
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
  const entry = await yearScores(ctx.db, q.yearId);
  const [last, plans] = await Promise.all([lastYearOf(ctx.db, entry), planStatuses(ctx.db, q.yearId)]);
  const w = resolveWindow(entry.meta, entry.model, closedYear(entry), q.period);
  const table = tableWithCompleteness(
    entry,
    w,
    last ? { c: last, w: sameWindow(entry.model, w, last.model) } : null,
    entry.version,
    plans,
  );
  return finishTable(entry.yearRow, table, null, viewer, q.categoryId, ctx.lang);
}

/** The ranking table with each row's completeness (stored with publications, so they keep it). */
function tableWithCompleteness(
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
  return { window: windowRef(meta, model, w), units: meta.units.filter((x) => visible(x.id)).length, incomplete };
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

async function publishedOf(db: Db, year: TYear, period: string | undefined): Promise<repo.PublicationWithResult> {
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
async function publishedScored(db: Db, id: number): Promise<PublishedScored> {
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

// ---------- a unit's detail ----------

/** A unit's tree of node and leaf scores in a period, its row and how its total adds up. */
export async function unitScores(
  ctx: Ctx,
  unitId: number,
  q: { yearId: number; period?: string; published: boolean },
): Promise<TUnitScores> {
  await assertUnitInScope(ctx, unitId);
  if (q.published) {
    const year = await getYear(ctx.db, q.yearId);
    const pub = await publishedOf(ctx.db, year, q.period);
    const c = await publishedScored(ctx.db, pub.id);
    unitIndexOrThrow(c, unitId);
    const stored = (pub.result as StoredTable).rows.find((r) => r.unitId === unitId);
    if (!stored) throw notFound();
    const [row] = withCompleteness([stored], null, ctx.lang);
    const U = c.model.U;
    const w = c.snap.window;
    return {
      year: yearRef(year),
      window: windowRef(c.meta, c.model, w),
      published: pubRef(pub),
      row: { ...row, inScope: true },
      steps: presentTotal(
        c,
        { unitId, w },
        c.snap.deductions.filter((d) => d.unitId === unitId),
        null,
      ).steps,
      tree: buildTree(c, unitId, (i, uu) => c.snap.scores[i * U + uu]),
    };
  }
  const entry = await yearScores(ctx.db, q.yearId);
  const [last, plans] = await Promise.all([lastYearOf(ctx.db, entry), planStatuses(ctx.db, q.yearId)]);
  const deductions = await repo.listDeductions(ctx.db, q.yearId, unitId);
  const u = unitIndexOrThrow(entry, unitId);
  const w = resolveWindow(entry.meta, entry.model, closedYear(entry), q.period);
  const rows = buildRows(entry, w, last ? { c: last, w: sameWindow(entry.model, w, last.model) } : null);
  const W = entry.model.W;
  const [row] = withCompleteness([{ ...rows[u], inScope: true }], completenessOf(entry, w, plans), ctx.lang);
  return {
    year: yearRef(entry.yearRow),
    window: windowRef(entry.meta, entry.model, w),
    published: null,
    row,
    steps: presentTotal(entry, { unitId, w }, deductions.map(presentDeductionRef), null).steps,
    tree: buildTree(entry, unitId, (i, uu) => entry.res.scores[i][uu * W + w]),
  };
}

/**
 * A unit's ranking row in a period (total, rank of its category, grade, completeness), live: the home
 * widget reads it instead of the whole table. Only units in the caller's scope (404 otherwise): a unit
 * user sees their own unit, the office any.
 */
export async function unitScoreSummary(ctx: Ctx, unitId: number, q: TUnitSummaryQuery): Promise<TUnitScoreSummary> {
  await assertUnitInScope(ctx, unitId);
  const entry = await yearScores(ctx.db, q.yearId);
  const u = unitIndexOrThrow(entry, unitId);
  const [last, plans] = await Promise.all([lastYearOf(ctx.db, entry), planStatuses(ctx.db, q.yearId)]);
  const w = resolveWindow(entry.meta, entry.model, closedYear(entry), q.period);
  const row = buildRow(entry, u, w, last ? { c: last, w: sameWindow(entry.model, w, last.model) } : null);
  const x = unitCompleteness(entry, u, w, plans);
  return {
    year: yearRef(entry.yearRow),
    window: windowRef(entry.meta, entry.model, w),
    version: entry.version,
    grades: entry.model.gradeRule.grades.map((g) => g.label),
    row: { ...row, inScope: true, completeness: { ...x, text: completenessText(x, ctx.lang) } },
  };
}

const presentDeductionRef = (d: repo.DeductionRowDb) => ({
  id: d.id,
  period: d.period,
  points: Number(d.points),
  reason: d.reason,
  documentNo: d.documentNo,
});

// ---------- explanations ----------

/** Explains a unit's score of an indicator (or, without indicatorId, its total) in a period. */
export async function explainScore(ctx: Ctx, q: TExplainQuery): Promise<TExplanation> {
  await assertUnitInScope(ctx, q.unitId);
  if (q.published) {
    const year = await getYear(ctx.db, q.yearId);
    const pub = await publishedOf(ctx.db, year, q.period);
    const c = await publishedScored(ctx.db, pub.id);
    const u = unitIndexOrThrow(c, q.unitId);
    const w = c.snap.window;
    if (q.indicatorId === undefined)
      return presentTotal(
        c,
        { unitId: q.unitId, w },
        c.snap.deductions.filter((d) => d.unitId === q.unitId),
        pubRef(pub),
      );
    const i = indicatorIndexOrThrow(c, q.indicatorId);
    const stored = (pub.result as StoredTable).rows.find((r) => r.unitId === q.unitId)?.completeness;
    const out = notePlan(
      presentExplanation(
        c,
        { unitId: q.unitId, indicatorId: q.indicatorId, w },
        c.snap.provenance,
        pubRef(pub),
        c.snap.scores[i * c.model.U + u],
      ),
      stored && !stored.planApproved ? stored.planStatus : null,
    );
    return withSpecial(ctx.db, out, c, c.snap.provenance, q.unitId, w);
  }
  const entry = await yearScores(ctx.db, q.yearId);
  const [inputs, deductions] = await Promise.all([
    inputsRepo.unitInputs(ctx.db, q.yearId, q.unitId),
    repo.listDeductions(ctx.db, q.yearId, q.unitId),
  ]);
  unitIndexOrThrow(entry, q.unitId);
  const w = resolveWindow(entry.meta, entry.model, closedYear(entry), q.period);
  if (q.indicatorId === undefined)
    return presentTotal(entry, { unitId: q.unitId, w }, deductions.map(presentDeductionRef), null);
  indicatorIndexOrThrow(entry, q.indicatorId);
  const provenance = provenanceMap(entry.meta.year, inputs);
  const plan = (await planStatuses(ctx.db, q.yearId)).get(q.unitId) ?? 'none';
  const out = notePlan(
    presentExplanation(entry, { unitId: q.unitId, indicatorId: q.indicatorId, w }, provenance, null),
    plan === 'approved' ? null : plan,
  );
  return withSpecial(ctx.db, out, entry, provenance, q.unitId, w);
}

/**
 * A leaf taking in a special scheme's result (纳入年度考核): adds that result and the special scheme's
 * own tree for the unit, from the publication the value came from.
 */
async function withSpecial(
  db: Db,
  out: TExplanation,
  c: Scored,
  provenance: ReadonlyMap<string, TProvenance>,
  unitId: number,
  w: number,
): Promise<TExplanation> {
  if (out.kind !== 'indicator' || out.indicator.dataSource !== 'special_assessment') return out;
  const src = specialSource(provenance, out.indicator.id, unitId, c.model.windows[w].end);
  if (!src) return { ...out, special: null };
  const pub = await repo.findPublication(db, src.publicationId);
  if (!pub) return { ...out, special: null };
  const [scheme, sc] = await Promise.all([getYear(db, pub.yearId), publishedScored(db, pub.id)]);
  const row = (pub.result as StoredTable).rows.find((r) => r.unitId === unitId);
  if (!row || !sc.model.unitIndexById.has(unitId)) return { ...out, special: null };
  const U = sc.model.U;
  return {
    ...out,
    special: {
      schemeId: scheme.id,
      schemeName: scheme.name,
      publicationId: pub.id,
      period: pub.period,
      windowLabel: pub.windowLabel,
      publishedAt: pub.publishedAt.toISOString(),
      mapping: specialMapping({ method: out.indicator.method }),
      total: row.total,
      grade: row.grade,
      rank: row.rank,
      of: row.of,
      tree: buildTree(sc, unitId, (i, uu) => sc.snap.scores[i * U + uu]),
    },
  };
}

/**
 * A target missing because the unit's plan is not approved says so ("计划未批准"), instead of the
 * engine's plain "目标值：未设定" (targets are read from approved plans only).
 */
function notePlan(e: TIndicatorExplanation, plan: TCompleteness['planStatus'] | null): TIndicatorExplanation {
  if (plan === null || !e.target || e.target.annual !== null) return e;
  const status = plan === 'none' ? '未编制' : PLAN_STATUS_NAMES[plan].zh;
  const note = `计划未批准（${status}），目标值未生效`;
  return {
    ...e,
    planApproved: false,
    steps: e.steps.map((x) => (x === '目标值：未设定' ? `目标值：${note}` : x)),
    arithmetic: e.arithmetic.replace('缺少目标值', `缺少目标值（${note}）`),
  };
}

// ---------- what-if sandbox ----------

/**
 * Recomputes a period with changed points, methods or targets, beside the real results. Nothing is
 * written: the sandbox builds its own model over the cached inputs (shared, read-only).
 * Points changes keep the real full base: when the leaves no longer add up to it, units' bases are
 * scaled back to it (the changed points act as weights).
 */
export async function sandbox(ctx: Ctx, body: TSandboxRequest): Promise<TSandboxResult> {
  const viewer = await viewerOf(ctx);
  const entry = await yearScores(ctx.db, body.yearId);
  const formulaIds = body.changes.filter((c) => c.method?.kind === 'formula').map((c) => c.indicatorId);
  const fieldRows = await inputsRepo.indicatorInputs(ctx.db, body.yearId, formulaIds);
  // From here on synchronous: the cached arrays cannot change under us.
  const { input, meta, model, res } = entry;
  const w = resolveWindow(meta, model, closedYear(entry), body.period);
  const indicators = input.indicators.slice();
  const changedAt = new Map<number, number>();
  const leafIndex = (indicatorId: number, field: string): number => {
    const i = model.indicatorIndexById.get(indicatorId);
    if (i === undefined || !input.indicators[i].isLeaf)
      throw invalid(field, '只能调整本年度的末级指标', 'Only leaves of the year can be changed');
    return i;
  };
  const codes = new Set(input.indicators.map((n) => n.code));
  body.changes.forEach((ch, k) => {
    const i = leafIndex(ch.indicatorId, `changes.${k}.indicatorId`);
    const ind = { ...indicators[i] };
    if (ch.points !== undefined) ind.points = ch.points;
    if (ch.method !== undefined) {
      ind.method = ch.method;
      if (ch.method.kind === 'formula') {
        const rows = fieldRows.filter((r) => r.indicatorId === ch.indicatorId);
        ind.fields = buildFields(formulaFieldNames(ch.method.expression, codes), rows, model.unitIndexById, meta.year);
      } else ind.fields = [];
    }
    indicators[i] = ind;
    changedAt.set(i, k);
  });
  const copied = new Set<number>();
  body.targetChanges.forEach((tc, k) => {
    const i = leafIndex(tc.indicatorId, `targetChanges.${k}.indicatorId`);
    const u = model.unitIndexById.get(tc.unitId);
    if (u === undefined)
      throw invalid(`targetChanges.${k}.unitId`, '该单位不参加本年度考核', 'The unit is not assessed this year');
    if (!copied.has(i)) {
      indicators[i] = {
        ...indicators[i],
        targets: Float64Array.from(indicators[i].targets ?? new Float64Array(model.U).fill(NaN)),
      };
      copied.add(i);
    }
    indicators[i].targets![u] = tc.target ?? NaN;
  });
  const sbInput: ModelInput = { ...input, indicators, options: { ...input.options, fullBase: meta.fullBase } };
  let sbModel;
  try {
    sbModel = buildModel(sbInput);
  } catch (e) {
    if (!(e instanceof EngineInputError)) throw e;
    const m = /^indicators\[(\d+)\](.*)$/.exec(e.path);
    const k = m ? changedAt.get(Number(m[1])) : undefined;
    const rest = m?.[2].startsWith('.method') ? m[2].slice(1) : 'method';
    throw invalid(k === undefined ? 'changes' : `changes.${k}.${rest}`, e.zh, e.en);
  }
  const sbRes = computeAll(sbModel);
  const W = model.W;
  const rows: TSandboxResult['rows'] = [];
  let ranksMoved = 0;
  let gradesChanged = 0;
  const grades = model.gradeRule.grades;
  meta.units.forEach((unit, u) => {
    if (!viewer.sees(unit.id, unit.categoryId)) return;
    const i = u * W + w;
    const real = { total: res.total[i], rank: res.rank[i], grade: grades[res.grade[i]]?.label ?? null };
    const sb = { total: sbRes.total[i], rank: sbRes.rank[i], grade: grades[sbRes.grade[i]]?.label ?? null };
    const rankChange = real.rank - sb.rank;
    if (rankChange) ranksMoved++;
    if (real.grade !== sb.grade) gradesChanged++;
    rows.push({
      unitId: unit.id,
      unitName: unit.name,
      categoryId: unit.categoryId,
      categoryName: meta.categories[model.unitCategory[u]]?.name ?? '',
      of: model.categoryUnits[model.unitCategory[u]].length,
      real,
      sandbox: sb,
      totalChange: sb.total - real.total,
      rankChange,
      gradeChanged: real.grade !== sb.grade,
    });
  });
  return {
    year: yearRef(entry.yearRow),
    window: windowRef(meta, model, w),
    fullBase: meta.fullBase,
    categories: meta.categories.filter((c) => rows.some((r) => r.categoryId === c.id)),
    changed: { indicators: changedAt.size, targets: body.targetChanges.length, ranksMoved, gradesChanged },
    rows,
  };
}

// ---------- publications (write side) ----------

function presentPublication(p: repo.PublicationHead): TPublication {
  return {
    id: p.id,
    yearId: p.yearId,
    period: p.period,
    windowKind: p.windowKind,
    windowLabel: p.windowLabel,
    fullYear: p.fullYear,
    scoreVersion: p.scoreVersion,
    note: p.note,
    unitCount: p.unitCount,
    snapshotBytes: p.snapshotBytes,
    snapshotSha256: p.snapshotSha256,
    publishedByName: p.publishedByName,
    publishedAt: p.publishedAt.toISOString(),
  };
}

/** Freezes a period's results: the ranking table and a snapshot explaining every number. */
export async function publish(
  ctx: Ctx,
  body: { yearId: number; period: string; note: string; incompleteReason?: string },
): Promise<TPublication> {
  const year = await getYear(ctx.db, body.yearId);
  if (year.status === 'draft')
    throw new AppError('INVALID_STATE', {
      zh: '草稿状态的考核年度不能发布结果',
      en: 'A draft year cannot publish results',
    });
  let entry = await yearScores(ctx.db, body.yearId);
  let w = resolveWindow(entry.meta, entry.model, closedYear(entry), body.period);
  // Read what the snapshot needs, then take the (current) results synchronously; repeat if the
  // window moved meanwhile (new data extended the year to date).
  for (let attempt = 0; ; attempt++) {
    const end = entry.model.windows[w].end;
    const [inputs, deductions, last, plans] = await Promise.all([
      inputsRepo.yearInputsUpTo(ctx.db, body.yearId, monthKey(year.year, end)),
      repo.listDeductions(ctx.db, body.yearId),
      lastYearOf(ctx.db, entry),
      planStatuses(ctx.db, body.yearId),
    ]);
    entry = await yearScores(ctx.db, body.yearId);
    w = resolveWindow(entry.meta, entry.model, closedYear(entry), body.period);
    if (entry.model.windows[w].end !== end && attempt < 3) continue;
    if (!entry.meta.units.length)
      throw new AppError('INVALID_STATE', {
        zh: '本年度没有参加考核的单位，不能发布',
        en: 'No unit is assessed this year',
      });
    const { model, res, meta } = entry;
    const table = tableWithCompleteness(
      entry,
      w,
      last ? { c: last, w: sameWindow(model, w, last.model) } : null,
      entry.version,
      plans,
    );
    // Completeness is never hidden: incomplete units are listed, and publishing them needs a reason.
    const incomplete = table.rows.filter((r) => r.completeness && !r.completeness.complete);
    if (incomplete.length && !body.incompleteReason)
      throw invalid(
        'incompleteReason',
        `${incomplete.length} 个单位数据不完整（${incomplete
          .slice(0, 5)
          .map((r) => r.unitName)
          .join('、')}${incomplete.length > 5 ? '等' : ''}），如仍要发布请确认并说明理由`,
        `${incomplete.length} unit(s) have incomplete data; confirm and give a reason to publish anyway`,
      );
    const scores = new Float64Array(model.leaf.length * model.U);
    for (let i = 0; i < model.leaf.length; i++)
      for (let u = 0; u < model.U; u++) scores[i * model.U + u] = res.scores[i][u * model.W + w];
    const snap = encodeSnapshot({
      input: entry.input,
      meta,
      window: w,
      provenance: provenanceMap(
        meta.year,
        inputs.filter((r) => model.unitIndexById.has(r.unitId)),
      ),
      deductions: deductions
        .filter((d) => model.unitIndexById.has(d.unitId))
        .map((d) => ({ ...presentDeductionRef(d), unitId: d.unitId })),
      scores,
    });
    const win = model.windows[w];
    const version = entry.version;
    const user = ctx.user!;
    return ctx.db.transaction(async (tx) => {
      const head = await repo.insertPublication(tx, {
        yearId: year.id,
        period: body.period,
        windowKind: win.kind,
        windowN: win.n,
        windowLabel: win.label,
        fullYear: win.kind === 'ytd' && win.end === model.P - 1,
        scoreVersion: version,
        note: body.note,
        unitCount: table.rows.length,
        result: table as unknown as Record<string, unknown>,
        snapshot: snap.bytes,
        snapshotSha256: snap.sha256,
        publishedBy: user.id,
        publishedByName: user.displayName,
      });
      const out = presentPublication(head);
      await takeInPublication(
        tx,
        ctx.actor,
        { id: user.id, name: user.displayName },
        year,
        { id: head.id, windowLabel: win.label, end: win.end },
        table.rows,
      );
      await recordAudit(tx, ctx.actor, {
        action: 'scores.publish',
        entityType: 'score_publication',
        entityId: head.id,
        after: {
          yearId: year.id,
          period: body.period,
          window: win.label,
          scoreVersion: version,
          units: table.rows.length,
          sha256: snap.sha256,
          note: body.note,
          ...(incomplete.length
            ? {
                incompleteReason: body.incompleteReason,
                incompleteUnits: incomplete.map((r) => ({
                  unitId: r.unitId,
                  unitName: r.unitName,
                  planStatus: r.completeness!.planStatus,
                  missingLeaves: r.completeness!.missingLeaves,
                })),
              }
            : {}),
        },
      });
      return out;
    });
  }
}

/** Publications, newest first (every user with scores.read sees the list). */
export async function listPublications(ctx: Ctx, yearId?: number): Promise<TPublication[]> {
  return (await repo.listPublications(ctx.db, yearId)).map(presentPublication);
}

/** One publication with its ranking table (rows the caller may see). */
export async function getPublication(ctx: Ctx, id: number) {
  const pub = await repo.findPublication(ctx.db, id);
  if (!pub) throw notFound();
  const [year, viewer] = await Promise.all([getYear(ctx.db, pub.yearId), viewerOf(ctx)]);
  return {
    publication: presentPublication(pub),
    table: finishTable(year, pub.result as StoredTable, pubRef(pub), viewer, undefined, ctx.lang),
  };
}

/** The years whose annual results are published, newest year first, for the public page (no login). */
export async function publicScoreYears(db: Db): Promise<TPublicScoreYear[]> {
  return (await repo.annualPublicationYears(db)).map((y) => ({
    yearId: y.yearId,
    year: y.year,
    name: y.name,
    publishedAt: y.publishedAt.toISOString(),
  }));
}

/** The published annual results of a year, for the public page (no login). */
export async function publicScores(db: Db, yearId: number, lang: Lang = 'zh') {
  const year = await getYear(db, yearId);
  const pub = await repo.latestAnnualPublication(db, yearId);
  if (!pub)
    throw new AppError('NOT_FOUND', { zh: '该年度的考核结果尚未公开发布', en: 'The annual results are not published' });
  const table = pub.result as StoredTable;
  return {
    year: { year: year.year, name: year.name },
    publishedAt: pub.publishedAt.toISOString(),
    windowLabel: pub.windowLabel,
    categories: table.categories.map((c) => ({
      name: c.name,
      rows: table.rows
        .filter((r) => r.categoryId === c.id)
        .sort((a, b) => a.rank - b.rank || a.unitName.localeCompare(b.unitName, 'zh'))
        .map((r) => ({
          rank: r.rank,
          unitName: r.unitName,
          total: Math.round(r.total * 100) / 100,
          grade: r.grade,
          incomplete: r.completeness && !r.completeness.complete ? completenessText(r.completeness, lang) : null,
        })),
    })),
  };
}

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
