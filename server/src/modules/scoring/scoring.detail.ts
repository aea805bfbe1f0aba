/**
 * Scoring: a unit's detail (its tree and summary), the explanation of one number, and the what-if sandbox.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { invalid, notFound } from '../../lib/errors.js';
import { getYear, planStatuses } from '../performance/index.js';
import { assertUnitInScope } from '../units/index.js';
import { buildModel, computeAll, EngineInputError, type ModelInput } from '../../engine/index.js';
import { yearScores } from './scoring.cache.js';
import * as inputsRepo from '../inputs/index.js';
import { buildFields, formulaFieldNames } from './scoring.model.js';
import {
  buildRow,
  buildRows,
  buildTree,
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
  TCompleteness,
  TIndicatorExplanation,
  TExplainQuery,
  TExplanation,
  TProvenance,
  TSandboxRequest,
  TSandboxResult,
  TUnitScores,
  TUnitScoreSummary,
  TUnitSummaryQuery,
} from './scoring.schema.js';
import { specialMapping, specialSource } from './scoring.special.js';
import {
  type StoredTable,
  closedYear,
  indicatorIndexOrThrow,
  lastYearOf,
  provenanceMap,
  pubRef,
  publishedOf,
  publishedScored,
  unitIndexOrThrow,
  viewerOf,
  yearRef,
} from './scoring.live.js';

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

export const presentDeductionRef = (d: repo.DeductionRowDb) => ({
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
