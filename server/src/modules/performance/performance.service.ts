/**
 * Performance configuration: assessment years, the indicator tree and annual performance plans.
 *
 * Functions other modules use (all read-only, no HTTP):
 * - getYear(db, id), getYearByYear(db, year), getYearInForce(db): the year (grade rule, deadline day, status).
 * - listIndicators(db, yearId): the year's whole tree as a flat list (parentId links), tree order.
 * - leavesFor(unit, indicators): the leaves that apply to a unit (pure; see performance.tree.ts).
 * - approvedTargets(db, yearId): unitId → indicatorId → { target, challenge } from approved plans.
 */
import type { Db } from '../../db/client.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { listenersOf } from '../../platform/module.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { type AuditEvent, recordAudit } from '../audit/index.js';
import type { TGradeRule } from '../../engine/methods.schema.js';
import { bumpScoreVersion } from '../inputs/index.js';
import { assertUnitInScope, getUnit, inScope, listCategories, listUnits, type TUnit } from '../units/index.js';
import { checkFormula } from './performance.formula.js';
import * as repo from './performance.repo.js';
import type {
  TAdjustment,
  TAdjustmentRequest,
  TChildWeights,
  TIndicator,
  TIndicatorCreate,
  TIndicatorUpdate,
  TPlan,
  TPlanItem,
  TPlanSummary,
  TPlanTargets,
  TYear,
  TYearCopy,
  TYearCreate,
  TYearProblem,
  TYearUpdate,
} from './performance.schema.js';
import type { AdjustmentStatus } from './performance.table.js';
import { ancestorsOf, distributePoints, leavesFor, methodNeedsTarget, methodProblems, subtreeIds, treeProblems, wouldCycle } from './performance.tree.js';

export { leavesFor } from './performance.tree.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

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
  };
}

function presentAdjustment(row: repo.AdjustmentRow, plan: { yearId: number; unitId: number }, ind: { code: string; name: string } | undefined): TAdjustment {
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

// ---------- years ----------

/** All years, newest first, with indicator and leaf counts. */
export async function listYears(db: Db): Promise<TYear[]> {
  const [rows, counts] = await Promise.all([repo.listYears(db), repo.yearCounts(db)]);
  return rows.map((r) => presentYear(r, counts.get(r.id)));
}

/** One year by id (404 when missing). */
export async function getYear(db: Db, id: number): Promise<TYear> {
  const row = await repo.findYear(db, id);
  if (!row) throw notFound();
  return presentYear(row, (await repo.yearCounts(db)).get(id));
}

/** The year with this calendar year number (e.g. 2026), or null. */
export async function getYearByYear(db: Db, year: number): Promise<TYear | null> {
  const row = await repo.findYearByYear(db, year);
  return row ? presentYear(row, (await repo.yearCounts(db)).get(row.id)) : null;
}

/** The latest year in force (several can be in force while last year is still being scored), or null. */
export async function getYearInForce(db: Db): Promise<TYear | null> {
  const row = await repo.latestYearInForce(db);
  return row ? presentYear(row, (await repo.yearCounts(db)).get(row.id)) : null;
}

async function yearRow(db: Db, id: number): Promise<repo.YearRow> {
  const row = await repo.findYear(db, id);
  if (!row) throw notFound();
  return row;
}

function assertNotClosed(year: repo.YearRow) {
  if (year.status === 'closed') throw new AppError('IMMUTABLE', { zh: `${year.name}已结束，数据不能修改`, en: `${year.name} is closed and cannot change` });
}

function assertDraft(year: repo.YearRow) {
  assertNotClosed(year);
  if (year.status !== 'draft') {
    throw new AppError('INVALID_STATE', { zh: `${year.name}已生效，指标体系不能再修改（仅可修改名称、说明、计量单位和排序）`, en: `${year.name} is in force; the indicator tree is frozen` });
  }
}

/** Creates a draft year. */
export async function createYear(db: Db, actor: Actor, input: TYearCreate): Promise<TYear> {
  if (await repo.findYearByYear(db, input.year)) throw new AppError('DUPLICATE', { field: 'year', zh: `${input.year}年度已存在`, en: `Year ${input.year} exists` });
  return db.transaction(async (tx) => {
    const row = await repo.insertYear(tx, { year: input.year, name: input.name ?? `${input.year}年度绩效考核`, gradeRule: input.gradeRule, deadlineDay: input.deadlineDay });
    const year = presentYear(row);
    await recordAudit(tx, actor, { action: 'year.create', entityType: 'assessment_year', entityId: row.id, after: year });
    return year;
  });
}

/** Changes a year's name, grade rule or data deadline (not once closed). */
export async function updateYear(db: Db, actor: Actor, id: number, input: TYearUpdate): Promise<TYear> {
  const before = await yearRow(db, id);
  assertNotClosed(before);
  if (input.gradeRule) {
    const labels = new Set(input.gradeRule.grades.map((g) => g.label));
    for (const ind of await repo.listIndicators(db, id)) {
      const m = ind.method;
      if (m?.kind === 'veto' && m.effect === 'cap_grade' && m.capGrade && !labels.has(m.capGrade)) {
        throw invalid('gradeRule', `指标「${ind.code} ${ind.name}」的一票否决引用了等次「${m.capGrade}」，不能删除该等次`, `Veto of ${ind.code} refers to grade ${m.capGrade}`);
      }
    }
  }
  return db.transaction(async (tx) => {
    const row = await repo.updateYear(tx, id, input);
    await recordAudit(tx, actor, { action: 'year.update', entityType: 'assessment_year', entityId: id, before: presentYear(before), after: presentYear(row) });
    await bumpScoreVersion(tx, id);
    return presentYear(row, (await repo.yearCounts(tx)).get(id));
  });
}

/** Deletes a draft year with its tree and plans (a mistaken copy, say). */
export async function deleteYear(db: Db, actor: Actor, id: number): Promise<void> {
  const before = await yearRow(db, id);
  if (before.status !== 'draft') throw new AppError('INVALID_STATE', { zh: '只能删除草稿状态的考核年度', en: 'Only a draft year can be deleted' });
  await db.transaction(async (tx) => {
    await repo.deleteYear(tx, id);
    await recordAudit(tx, actor, { action: 'year.delete', entityType: 'assessment_year', entityId: id, before: presentYear(before) });
  });
}

/** What keeps the year from going into force (empty when it can). */
export async function checkYear(db: Db, id: number, lang: 'zh' | 'en' = 'zh'): Promise<TYearProblem[]> {
  const year = await yearRow(db, id);
  const nodes = (await repo.listIndicators(db, id)).map(presentIndicator);
  return treeProblems(nodes, year.gradeRule, checkFormula).map((p) => ({ indicatorId: p.indicatorId, code: p.code, field: p.field, message: lang === 'en' ? p.en : p.zh }));
}

/** draft → in_force, when every inner node's points equal its children's sum and every leaf has a valid method. */
export async function activateYear(db: Db, actor: Actor, id: number): Promise<TYear> {
  const before = await yearRow(db, id);
  if (before.status !== 'draft') throw new AppError('INVALID_STATE', { zh: '只有草稿状态的考核年度可以生效', en: 'Only a draft year can be put in force' });
  const nodes = (await repo.listIndicators(db, id)).map(presentIndicator);
  const [first] = treeProblems(nodes, before.gradeRule, checkFormula);
  if (first) {
    const field = first.code ? `indicators.${first.code}.${first.field}` : first.field;
    throw new AppError('INVALID_STATE', { field, zh: `不能生效：${first.zh}`, en: `Cannot put in force: ${first.en}` });
  }
  return setYearStatus(db, actor, before, 'in_force', 'year.activate');
}

/** in_force → closed: the year's configuration and plans become read-only. */
export async function closeYear(db: Db, actor: Actor, id: number): Promise<TYear> {
  const before = await yearRow(db, id);
  if (before.status !== 'in_force') throw new AppError('INVALID_STATE', { zh: '只有已生效的考核年度可以结束', en: 'Only a year in force can be closed' });
  return setYearStatus(db, actor, before, 'closed', 'year.close');
}

async function setYearStatus(db: Db, actor: Actor, before: repo.YearRow, status: repo.YearRow['status'], action: string): Promise<TYear> {
  return db.transaction(async (tx) => {
    const row = await repo.updateYear(tx, before.id, { status });
    await recordAudit(tx, actor, { action, entityType: 'assessment_year', entityId: before.id, before: { status: before.status }, after: { status } });
    await bumpScoreVersion(tx, before.id);
    return presentYear(row, (await repo.yearCounts(tx)).get(before.id));
  });
}

/** What a copied year's other configuration needs: the two years and each indicator's new id. */
export type YearCopy = { actor: Actor; fromYearId: number; toYearId: number; indicatorIds: ReadonlyMap<number, number> };

declare module '../../platform/module.js' {
  interface ModuleListeners {
    /**
     * Work done in the transaction that copies a year, after the tree is copied: modules that keep
     * configuration per year or per indicator (reporting: forms, deadlines, settings) copy theirs,
     * without this module depending on them.
     */
    onYearCopy: (tx: Db, copy: YearCopy) => Promise<void>;
  }
}

/**
 * Copies a year forward: a new draft year with the same grade rule, deadline and whole tree (new ids,
 * same codes), and what other modules copy with it (their manifests' onYearCopy listeners).
 */
export async function copyYear(db: Db, actor: Actor, id: number, input: TYearCopy): Promise<TYear> {
  const source = await yearRow(db, id);
  if (await repo.findYearByYear(db, input.year)) throw new AppError('DUPLICATE', { field: 'year', zh: `${input.year}年度已存在`, en: `Year ${input.year} exists` });
  const nodes = await repo.listIndicators(db, id);
  return db.transaction(async (tx) => {
    const row = await repo.insertYear(tx, {
      year: input.year,
      name: input.name ?? `${input.year}年度绩效考核`,
      gradeRule: source.gradeRule,
      deadlineDay: source.deadlineDay,
    });
    const indicatorIds = await copyTree(tx, nodes, row.id);
    for (const listener of listenersOf('onYearCopy')) await listener(tx, { actor, fromYearId: id, toYearId: row.id, indicatorIds });
    const year = presentYear(row, { indicators: nodes.length, leaves: nodes.filter((n) => !nodes.some((c) => c.parentId === n.id)).length });
    await recordAudit(tx, actor, { action: 'year.copy', entityType: 'assessment_year', entityId: row.id, before: { fromYearId: id, fromYear: source.year }, after: year });
    return year;
  });
}

/** Inserts a copy of the nodes into another year, level by level so parents get their new ids first. */
export async function copyTree(tx: Db, nodes: readonly repo.IndicatorRow[], yearId: number): Promise<Map<number, number>> {
  const newId = new Map<number, number>();
  const levels = [...new Set(nodes.map((n) => n.level))].sort((a, b) => a - b);
  for (const level of levels) {
    for (const n of nodes.filter((x) => x.level === level)) {
      const { id: _id, yearId: _y, parentId, ...rest } = n;
      const inserted = await repo.insertIndicator(tx, { ...rest, yearId, parentId: parentId === null ? null : (newId.get(parentId) ?? null) });
      newId.set(n.id, inserted.id);
    }
  }
  return newId;
}

// ---------- indicators ----------

/** The year's indicators as a flat list (parentId links), ordered by level, sort, id. */
export async function listIndicators(db: Db, yearId: number): Promise<TIndicator[]> {
  return (await repo.listIndicators(db, yearId)).map(presentIndicator);
}

async function checkIndicatorRefs(db: Db, v: { appliesTo?: TIndicator['appliesTo']; assessingUnitId?: number | null }) {
  if (v.appliesTo?.categoryIds.length || v.appliesTo?.unitIds.length || v.assessingUnitId) {
    const [cats, units] = await Promise.all([listCategories(db), listUnits(db)]);
    const catIds = new Set(cats.map((c) => c.id));
    const unitIds = new Set(units.map((u) => u.id));
    v.appliesTo?.categoryIds.forEach((c, i) => {
      if (!catIds.has(c)) throw invalid(`appliesTo.categoryIds.${i}`, '考评类别不存在', 'Category does not exist');
    });
    v.appliesTo?.unitIds.forEach((u, i) => {
      if (!unitIds.has(u)) throw invalid(`appliesTo.unitIds.${i}`, '单位不存在', 'Unit does not exist');
    });
    if (v.assessingUnitId && !unitIds.has(v.assessingUnitId)) throw invalid('assessingUnitId', '考评主体单位不存在', 'Assessing unit does not exist');
  }
}

/** Semantic checks of a method beyond its shape (grade labels, band order, formula syntax); throws the first as a 400. */
function checkMethod(node: { id: number; code: string; name: string; method: TIndicator['method'] }, gradeRule: TGradeRule) {
  if (!node.method) return;
  const problem = methodProblems({ ...node, dataSource: 'self_report', caseMetric: null }, gradeRule, checkFormula)[0];
  if (problem) throw invalid(problem.field, problem.zh, problem.en);
}

function checkCaseMetric(v: { dataSource: string; caseMetric: string | null }) {
  if (v.dataSource === 'case_platform' && !v.caseMetric) throw invalid('caseMetric', '数据来源为12345平台时须选择统计指标', 'A case-platform indicator needs a case metric');
}

/** Adds a node (a new leaf) under `parentId` or at the top; a parent that had a method loses it (inner nodes are not scored). */
export async function createIndicator(db: Db, actor: Actor, yearId: number, input: TIndicatorCreate): Promise<TIndicator> {
  const year = await yearRow(db, yearId);
  assertDraft(year);
  const parent = input.parentId === null ? null : await repo.findIndicator(db, input.parentId);
  if (input.parentId !== null && (!parent || parent.yearId !== yearId)) throw invalid('parentId', '上级指标不存在', 'Parent indicator does not exist');
  if (await repo.findIndicatorByCode(db, yearId, input.code)) throw new AppError('DUPLICATE', { field: 'code', zh: `指标编码 ${input.code} 已存在`, en: `Code ${input.code} exists` });
  await checkIndicatorRefs(db, input);
  checkCaseMetric(input);
  checkMethod({ id: 0, code: input.code, name: input.name, method: input.method }, year.gradeRule);
  const siblings = (await repo.listIndicators(db, yearId)).filter((n) => n.parentId === input.parentId);
  const sort = input.sort ?? Math.max(0, ...siblings.map((n) => n.sort)) + 10;
  return db.transaction(async (tx) => {
    const row = await repo.insertIndicator(tx, {
      ...input,
      sort,
      yearId,
      level: parent ? parent.level + 1 : 1,
      caseMetric: input.dataSource === 'case_platform' ? input.caseMetric : null,
    });
    const events: AuditEvent[] = [{ action: 'indicator.create', entityType: 'indicator', entityId: row.id, after: presentIndicator(row) }];
    if (parent?.method) {
      const p = await repo.updateIndicator(tx, parent.id, { method: null });
      events.push({ action: 'indicator.update', entityType: 'indicator', entityId: parent.id, after: presentIndicator(p) });
    }
    await recordAudit(tx, actor, events);
    await bumpScoreVersion(tx, yearId);
    return presentIndicator(row);
  });
}

/** Fields that may still change once a year is in force (wording and order, nothing that affects scores). */
const EDITABLE_IN_FORCE = new Set<keyof TIndicatorUpdate>(['name', 'description', 'unitOfMeasure', 'sort']);

/** JSON with sorted keys, so equal values compare equal whatever the key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );
}

/** Changes a node; `parentId` moves it with its subtree (no cycles; levels follow). */
export async function updateIndicator(db: Db, actor: Actor, id: number, input: TIndicatorUpdate): Promise<TIndicator> {
  const before = await repo.findIndicator(db, id);
  if (!before) throw notFound();
  const year = await yearRow(db, before.yearId);
  assertNotClosed(year);
  if (year.status === 'in_force') {
    const current = presentIndicator(before) as Record<string, unknown>;
    for (const [k, v] of Object.entries(input)) {
      if (v === undefined || EDITABLE_IN_FORCE.has(k as keyof TIndicatorUpdate)) continue;
      if (canonical(current[k]) !== canonical(v)) {
        throw new AppError('INVALID_STATE', { field: k, zh: `${year.name}已生效，只能修改指标名称、说明、计量单位和排序`, en: `${year.name} is in force; only name, description, unit of measure and sort can change` });
      }
    }
  }
  const all = await repo.listIndicators(db, before.yearId);
  const hasChildren = all.some((n) => n.parentId === id);
  const merged = { ...presentIndicator(before), ...input };
  let newParent: repo.IndicatorRow | null = null;
  const moving = input.parentId !== undefined && input.parentId !== before.parentId;
  if (moving && input.parentId !== null) {
    newParent = all.find((n) => n.id === input.parentId) ?? null;
    if (!newParent) throw invalid('parentId', '上级指标不存在', 'Parent indicator does not exist');
    if (wouldCycle(all, id, input.parentId!)) throw invalid('parentId', '不能把指标移动到其自身或下级指标之下', 'An indicator cannot be moved under itself or its descendants');
  }
  if (input.code !== undefined && input.code !== before.code && all.some((n) => n.code === input.code)) {
    throw new AppError('DUPLICATE', { field: 'code', zh: `指标编码 ${input.code} 已存在`, en: `Code ${input.code} exists` });
  }
  if (input.method && hasChildren) throw invalid('method', '有下级指标的节点不设置计分方法（按下级指标得分汇总）', 'A node with children is not scored by a method');
  await checkIndicatorRefs(db, input);
  checkCaseMetric(merged);
  if (input.method !== undefined) checkMethod({ id, code: merged.code, name: merged.name, method: input.method }, year.gradeRule);

  return db.transaction(async (tx) => {
    const patch: Partial<repo.IndicatorRow> = { ...input };
    if (merged.dataSource !== 'case_platform') patch.caseMetric = null;
    const events: AuditEvent[] = [];
    if (moving) {
      const base = newParent ? newParent.level + 1 : 1;
      const delta = base - before.level;
      if (delta !== 0) {
        const sub = subtreeIds(all, id);
        await repo.setLevels(
          tx,
          all.filter((n) => sub.has(n.id) && n.id !== id).map((n) => ({ id: n.id, level: n.level + delta })),
        );
        patch.level = base;
      }
      if (newParent?.method) {
        const p = await repo.updateIndicator(tx, newParent.id, { method: null });
        events.push({ action: 'indicator.update', entityType: 'indicator', entityId: newParent.id, before: presentIndicator(newParent), after: presentIndicator(p) });
      }
    }
    const row = await repo.updateIndicator(tx, id, patch);
    events.unshift({ action: moving ? 'indicator.move' : 'indicator.update', entityType: 'indicator', entityId: id, before: presentIndicator(before), after: presentIndicator(row) });
    await recordAudit(tx, actor, events);
    await bumpScoreVersion(tx, before.yearId);
    return presentIndicator(row);
  });
}

/** Deletes a node with its whole subtree (draft years only). */
export async function deleteIndicator(db: Db, actor: Actor, id: number): Promise<void> {
  const before = await repo.findIndicator(db, id);
  if (!before) throw notFound();
  assertDraft(await yearRow(db, before.yearId));
  const all = await repo.listIndicators(db, before.yearId);
  const sub = subtreeIds(all, id);
  await db.transaction(async (tx) => {
    await repo.deleteIndicator(tx, id); // children go with it (ON DELETE CASCADE)
    await recordAudit(tx, actor, {
      action: 'indicator.delete',
      entityType: 'indicator',
      entityId: id,
      before: all.filter((n) => sub.has(n.id)).map(presentIndicator),
    });
    await bumpScoreVersion(tx, before.yearId);
  });
}

/**
 * Sets the weights of a node's children (e.g. from AHP) and shares the node's points among them in
 * proportion, rounded to 2 decimals so they add up exactly. `weights` must name every child once.
 */
export async function setChildWeights(db: Db, actor: Actor, id: number, input: TChildWeights): Promise<TIndicator[]> {
  const parent = await repo.findIndicator(db, id);
  if (!parent) throw notFound();
  assertDraft(await yearRow(db, parent.yearId));
  const children = (await repo.listIndicators(db, parent.yearId)).filter((n) => n.parentId === id);
  if (!children.length) throw invalid('weights', '该指标没有下级指标', 'The indicator has no children');
  const given = new Map(input.weights.map((w) => [w.id, w.weight]));
  if (given.size !== input.weights.length || given.size !== children.length || !children.every((c) => given.has(c.id))) {
    throw invalid('weights', '权重须覆盖全部下级指标且每个指标一次', 'Weights must name every child exactly once');
  }
  const sumW = input.weights.reduce((s, w) => s + w.weight, 0);
  if (sumW <= 0) throw invalid('weights', '权重之和须大于 0', 'Weights must add up to more than 0');
  const points = distributePoints(Number(parent.points), children.map((c) => given.get(c.id)!));
  return db.transaction(async (tx) => {
    const out: TIndicator[] = [];
    for (const [i, c] of children.entries()) {
      const weight = Math.round((given.get(c.id)! / sumW) * 1e6) / 1e6;
      out.push(presentIndicator(await repo.updateIndicator(tx, c.id, { weight, points: points[i] })));
    }
    await recordAudit(tx, actor, {
      action: 'indicator.weights',
      entityType: 'indicator',
      entityId: id,
      before: children.map((c) => ({ id: c.id, code: c.code, weight: c.weight, points: c.points })),
      after: out.map((c) => ({ id: c.id, code: c.code, weight: c.weight, points: c.points })),
    });
    await bumpScoreVersion(tx, parent.yearId);
    return out;
  });
}

// ---------- plans ----------

type Target = { target: number; challenge: number | null };

/** Approved targets of a year: unitId → indicatorId → { target, challenge } (only plans with status approved). */
export async function approvedTargets(db: Db, yearId: number): Promise<Map<number, Map<number, Target>>> {
  const out = new Map<number, Map<number, Target>>();
  for (const r of await repo.yearTargets(db, yearId, 'approved')) {
    let m = out.get(r.unitId);
    if (!m) out.set(r.unitId, (m = new Map()));
    m.set(r.indicatorId, { target: Number(r.target), challenge: r.challenge === null ? null : Number(r.challenge) });
  }
  return out;
}

type PlanContext = { year: repo.YearRow; unit: TUnit; indicators: TIndicator[]; leaves: TIndicator[] };

async function planContext(ctx: Ctx, yearId: number, unitId: number): Promise<PlanContext> {
  const year = await yearRow(ctx.db, yearId);
  await assertUnitInScope(ctx, unitId);
  const unit = await getUnit(ctx.db, unitId);
  const indicators = await listIndicators(ctx.db, yearId);
  return { year, unit, indicators, leaves: sortTreeOrder(indicators, leavesFor(unit, indicators)) };
}

/** Leaves in tree order (depth-first by sort), for plans and the responsibility book. */
function sortTreeOrder(all: readonly TIndicator[], leaves: readonly TIndicator[]): TIndicator[] {
  const byId = new Map(all.map((n) => [n.id, n]));
  const key = (n: TIndicator) =>
    [...ancestorsOf(byId, n).reverse(), n].map((x) => `${String(x.sort).padStart(6, '0')}.${String(x.id).padStart(9, '0')}`).join('/');
  return [...leaves].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function planItems(pc: Pick<PlanContext, 'indicators' | 'leaves'>, targets: repo.TargetRow[]): TPlanItem[] {
  const byId = new Map(pc.indicators.map((n) => [n.id, n]));
  const t = new Map(targets.map((r) => [r.indicatorId, r]));
  return pc.leaves.map((leaf) => {
    const row = t.get(leaf.id);
    return {
      indicatorId: leaf.id,
      code: leaf.code,
      name: leaf.name,
      path: ancestorsOf(byId, leaf)
        .reverse()
        .map((a) => a.name),
      points: leaf.points,
      unitOfMeasure: leaf.unitOfMeasure,
      direction: leaf.direction,
      methodKind: leaf.method?.kind ?? null,
      dataSource: leaf.dataSource,
      assessingUnitId: leaf.assessingUnitId,
      needsTarget: methodNeedsTarget(leaf.method),
      target: row ? Number(row.target) : null,
      challenge: row && row.challenge !== null ? Number(row.challenge) : null,
      note: row?.note ?? '',
    };
  });
}

function summarize(
  yearId: number,
  unit: TUnit,
  plan: repo.PlanRow | null,
  items: Pick<TPlanItem, 'needsTarget' | 'target'>[],
  pending: number,
): TPlanSummary {
  return {
    id: plan?.id ?? null,
    yearId,
    unitId: unit.id,
    unitCode: unit.code,
    unitName: unit.name,
    categoryId: unit.categoryId,
    status: plan?.status ?? 'draft',
    leafCount: items.length,
    targetCount: items.filter((i) => i.target !== null).length,
    missingTargets: items.filter((i) => i.needsTarget && i.target === null).length,
    pendingAdjustments: pending,
    submittedAt: iso(plan?.submittedAt ?? null),
    reviewedAt: iso(plan?.reviewedAt ?? null),
    reviewComment: plan?.reviewComment ?? null,
  };
}

/** The plans of a year for the units in the caller's scope that have applicable leaves (or a saved plan). */
export async function listPlans(ctx: Ctx, yearId: number): Promise<TPlanSummary[]> {
  await yearRow(ctx.db, yearId);
  const scope = await ctx.scope();
  const [units, indicators, plans, targets] = await Promise.all([
    listUnits(ctx.db),
    listIndicators(ctx.db, yearId),
    repo.listPlans(ctx.db, yearId),
    repo.yearTargets(ctx.db, yearId),
  ]);
  const planByUnit = new Map(plans.map((p) => [p.unitId, p]));
  const targetsByUnit = new Map<number, Map<number, number>>();
  for (const t of targets) {
    let m = targetsByUnit.get(t.unitId);
    if (!m) targetsByUnit.set(t.unitId, (m = new Map()));
    m.set(t.indicatorId, Number(t.target));
  }
  const pending = await repo.listAdjustmentsOfPlans(ctx.db, plans.map((p) => p.id), 'requested');
  const pendingByPlan = new Map<number, number>();
  for (const a of pending) pendingByPlan.set(a.planId, (pendingByPlan.get(a.planId) ?? 0) + 1);
  const out: TPlanSummary[] = [];
  for (const unit of units) {
    if (!inScope(scope, unit.id)) continue;
    const plan = planByUnit.get(unit.id) ?? null;
    if (!unit.active && !plan) continue;
    const leaves = leavesFor(unit, indicators);
    if (!leaves.length && !plan) continue;
    const tm = targetsByUnit.get(unit.id);
    const items = leaves.map((l) => ({ needsTarget: methodNeedsTarget(l.method), target: tm?.get(l.id) ?? null }));
    out.push(summarize(yearId, unit, plan, items, plan ? (pendingByPlan.get(plan.id) ?? 0) : 0));
  }
  return out;
}

/** A unit's plan for the year: its applicable leaves with targets, and the adjustment history. Outsiders get 404. */
export async function getPlan(ctx: Ctx, yearId: number, unitId: number): Promise<TPlan> {
  const pc = await planContext(ctx, yearId, unitId);
  return presentPlan(ctx.db, pc, await repo.findPlan(ctx.db, yearId, unitId));
}

async function presentPlan(db: Db, pc: PlanContext, plan: repo.PlanRow | null): Promise<TPlan> {
  const targets = plan ? await repo.listTargets(db, plan.id) : [];
  const items = planItems(pc, targets);
  const adjustments = plan ? await repo.listAdjustmentsOfPlans(db, [plan.id]) : [];
  const byId = new Map(pc.indicators.map((n) => [n.id, n]));
  return {
    ...summarize(pc.year.id, pc.unit, plan, items, adjustments.filter((a) => a.status === 'requested').length),
    yearStatus: pc.year.status,
    submittedBy: plan?.submittedBy ?? null,
    reviewedBy: plan?.reviewedBy ?? null,
    items,
    adjustments: adjustments.map((a) => presentAdjustment(a, { yearId: pc.year.id, unitId: pc.unit.id }, byId.get(a.indicatorId))),
  };
}

function assertPlanEditable(plan: repo.PlanRow | null) {
  if (plan?.status === 'approved') {
    throw new AppError('IMMUTABLE', { zh: '绩效计划已批准，目标值不能直接修改，请提出调整申请', en: 'The plan is approved; request an adjustment instead' });
  }
  if (plan?.status === 'submitted') throw new AppError('INVALID_STATE', { zh: '绩效计划已提交审核，不能修改', en: 'The plan is under review' });
}

/** Checks one target row against its leaf: the challenge value lies beyond the target in the indicator's direction. */
function checkChallenge(leaf: TIndicator, target: number, challenge: number | null, field: string) {
  if (challenge === null) return;
  const ok = leaf.direction === 'negative' ? challenge <= target : challenge >= target;
  if (!ok) {
    throw invalid(
      field,
      leaf.direction === 'negative' ? `「${leaf.name}」为逆向指标，挑战值不能高于目标值` : `「${leaf.name}」的挑战值不能低于目标值`,
      leaf.direction === 'negative' ? `${leaf.code}: the challenge of a negative indicator cannot exceed the target` : `${leaf.code}: the challenge cannot be below the target`,
    );
  }
}

/** Replaces a unit's targets while its plan is a draft or returned (approved: 409 IMMUTABLE; under review: 409 INVALID_STATE). */
export async function saveTargets(ctx: Ctx, yearId: number, unitId: number, input: TPlanTargets): Promise<TPlan> {
  const pc = await planContext(ctx, yearId, unitId);
  assertNotClosed(pc.year);
  const leafById = new Map(pc.leaves.map((l) => [l.id, l]));
  const seen = new Set<number>();
  input.targets.forEach((t, i) => {
    const leaf = leafById.get(t.indicatorId);
    if (!leaf) throw invalid(`targets.${i}.indicatorId`, '该指标不适用于本单位', 'The indicator does not apply to this unit');
    if (seen.has(t.indicatorId)) throw invalid(`targets.${i}.indicatorId`, `指标「${leaf.name}」重复`, `Indicator ${leaf.code} appears twice`);
    seen.add(t.indicatorId);
    checkChallenge(leaf, t.target, t.challenge, `targets.${i}.challenge`);
  });
  assertPlanEditable(await repo.findPlan(ctx.db, yearId, unitId));
  const plan = await ctx.db.transaction(async (tx) => {
    const row = await repo.ensurePlan(tx, yearId, unitId);
    assertPlanEditable(row); // re-checked inside the transaction: a concurrent submit wins
    const before = await repo.listTargets(tx, row.id);
    await repo.replaceTargets(
      tx,
      row.id,
      input.targets.map((t) => ({ indicatorId: t.indicatorId, target: t.target, challenge: t.challenge, note: t.note })),
    );
    const updated = await repo.updatePlan(tx, row.id, {});
    await recordAudit(tx, ctx.actor, {
      action: 'plan.targets',
      entityType: 'performance_plan',
      entityId: row.id,
      unitId,
      before: before.map((t) => ({ indicatorId: t.indicatorId, target: t.target, challenge: t.challenge, note: t.note })),
      after: input.targets,
    });
    return updated;
  });
  return presentPlan(ctx.db, pc, plan);
}

/** Unit leader submits a draft or returned plan; every leaf whose method needs a target must have one. */
export async function submitPlan(ctx: Ctx, yearId: number, unitId: number): Promise<TPlan> {
  const pc = await planContext(ctx, yearId, unitId);
  assertNotClosed(pc.year);
  const existing = await repo.findPlan(ctx.db, yearId, unitId);
  assertPlanEditable(existing);
  if (!pc.leaves.length) throw new AppError('INVALID_STATE', { zh: '本单位在该年度没有适用的考核指标', en: 'No indicators apply to this unit this year' });
  const items = planItems(pc, existing ? await repo.listTargets(ctx.db, existing.id) : []);
  const missing = items.find((i) => i.needsTarget && i.target === null);
  if (missing) throw invalid(`targets.${missing.indicatorId}`, `请填写「${missing.name}」的目标值`, `Enter the target of ${missing.code}`);
  const plan = await ctx.db.transaction(async (tx) => {
    const row = await repo.ensurePlan(tx, yearId, unitId);
    assertPlanEditable(row);
    const updated = await repo.updatePlan(tx, row.id, { status: 'submitted', submittedBy: ctx.actor.id, submittedAt: new Date() });
    await recordAudit(tx, ctx.actor, { action: 'plan.submit', entityType: 'performance_plan', entityId: row.id, unitId, before: { status: row.status }, after: { status: 'submitted' } });
    return updated;
  });
  return presentPlan(ctx.db, pc, plan);
}

/** Office returns a submitted plan with a comment (协商), or approves it; approved targets lock. */
export async function reviewPlan(ctx: Ctx, yearId: number, unitId: number, decision: { approve: boolean; comment: string | null }): Promise<TPlan> {
  const pc = await planContext(ctx, yearId, unitId);
  assertNotClosed(pc.year);
  const plan = await ctx.db.transaction(async (tx) => {
    const row = await repo.findPlan(tx, yearId, unitId);
    if (!row || row.status !== 'submitted') throw new AppError('INVALID_STATE', { zh: '只能审核已提交的绩效计划', en: 'Only a submitted plan can be reviewed' });
    const status = decision.approve ? 'approved' : 'returned';
    const updated = await repo.updatePlan(tx, row.id, { status, reviewedBy: ctx.actor.id, reviewedAt: new Date(), reviewComment: decision.comment });
    await recordAudit(tx, ctx.actor, {
      action: decision.approve ? 'plan.approve' : 'plan.return',
      entityType: 'performance_plan',
      entityId: row.id,
      unitId,
      before: { status: row.status },
      after: { status, comment: decision.comment },
    });
    if (decision.approve) await bumpScoreVersion(tx, yearId);
    return updated;
  });
  return presentPlan(ctx.db, pc, plan);
}

/** A unit asks to change an approved target; needs a reason, waits for the office. One open request per indicator. */
export async function requestAdjustment(ctx: Ctx, yearId: number, unitId: number, input: TAdjustmentRequest): Promise<TAdjustment> {
  const pc = await planContext(ctx, yearId, unitId);
  assertNotClosed(pc.year);
  const plan = await repo.findPlan(ctx.db, yearId, unitId);
  if (plan?.status !== 'approved') throw new AppError('INVALID_STATE', { zh: '绩效计划尚未批准，可直接修改目标值', en: 'The plan is not approved; edit the targets directly' });
  const leaf = pc.leaves.find((l) => l.id === input.indicatorId);
  if (!leaf) throw invalid('indicatorId', '该指标不适用于本单位', 'The indicator does not apply to this unit');
  checkChallenge(leaf, input.newTarget, input.newChallenge, 'newChallenge');
  const current = (await repo.listTargets(ctx.db, plan.id)).find((t) => t.indicatorId === leaf.id);
  const oldTarget = current ? Number(current.target) : null;
  const oldChallenge = current?.challenge === null || current === undefined ? null : Number(current.challenge);
  if (oldTarget === input.newTarget && oldChallenge === input.newChallenge) throw invalid('newTarget', '调整后的目标值与现有目标值相同', 'The new values equal the current ones');
  if (await repo.findOpenAdjustment(ctx.db, plan.id, leaf.id)) {
    throw new AppError('CONFLICT', { field: 'indicatorId', zh: `「${leaf.name}」已有待审核的调整申请`, en: `${leaf.code} already has an open adjustment request` });
  }
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertAdjustment(tx, {
      planId: plan.id,
      indicatorId: leaf.id,
      oldTarget,
      newTarget: input.newTarget,
      oldChallenge,
      newChallenge: input.newChallenge,
      reason: input.reason,
      requestedBy: ctx.actor.id,
    });
    const adj = presentAdjustment(row, { yearId, unitId }, leaf);
    await recordAudit(tx, ctx.actor, { action: 'adjustment.request', entityType: 'plan_adjustment', entityId: row.id, unitId, after: adj });
    return adj;
  });
}

/** Adjustment requests of a year for units in the caller's scope, newest first. */
export async function listAdjustments(ctx: Ctx, yearId: number, status?: AdjustmentStatus): Promise<TAdjustment[]> {
  await yearRow(ctx.db, yearId);
  const scope = await ctx.scope();
  const plans = (await repo.listPlans(ctx.db, yearId)).filter((p) => inScope(scope, p.unitId));
  const planById = new Map(plans.map((p) => [p.id, p]));
  const byId = new Map((await listIndicators(ctx.db, yearId)).map((n) => [n.id, n]));
  return (await repo.listAdjustmentsOfPlans(ctx.db, plans.map((p) => p.id), status)).map((a) => presentAdjustment(a, planById.get(a.planId)!, byId.get(a.indicatorId)));
}

/** Office approves (the target changes; the request stays as history) or rejects an adjustment request. */
export async function decideAdjustment(ctx: Ctx, id: number, decision: { approve: boolean; comment: string | null }): Promise<TAdjustment> {
  const adj = await repo.findAdjustment(ctx.db, id);
  if (!adj) throw notFound();
  const plan = (await repo.findPlanById(ctx.db, adj.planId))!;
  await assertUnitInScope(ctx, plan.unitId);
  assertNotClosed(await yearRow(ctx.db, plan.yearId));
  const ind = await repo.findIndicator(ctx.db, adj.indicatorId);
  return ctx.db.transaction(async (tx) => {
    const current = await repo.findAdjustment(tx, id);
    if (current?.status !== 'requested') throw new AppError('INVALID_STATE', { zh: '该调整申请已处理', en: 'The request was already decided' });
    const status = decision.approve ? 'approved' : 'rejected';
    const row = await repo.updateAdjustment(tx, id, { status, decidedBy: ctx.actor.id, decidedAt: new Date(), decisionComment: decision.comment });
    const events: AuditEvent[] = [
      { action: decision.approve ? 'adjustment.approve' : 'adjustment.reject', entityType: 'plan_adjustment', entityId: id, unitId: plan.unitId, before: { status: 'requested' }, after: { status, comment: decision.comment } },
    ];
    if (decision.approve) {
      await repo.upsertTarget(tx, { planId: plan.id, indicatorId: adj.indicatorId, target: Number(adj.newTarget), challenge: adj.newChallenge === null ? null : Number(adj.newChallenge), note: '' });
      events.push({
        action: 'plan.target_adjusted',
        entityType: 'performance_plan',
        entityId: plan.id,
        unitId: plan.unitId,
        before: { indicatorId: adj.indicatorId, target: adj.oldTarget, challenge: adj.oldChallenge },
        after: { indicatorId: adj.indicatorId, target: adj.newTarget, challenge: adj.newChallenge },
      });
      await bumpScoreVersion(tx, plan.yearId);
    }
    await recordAudit(tx, ctx.actor, events);
    return presentAdjustment(row, plan, ind ?? undefined);
  });
}

// ---------- responsibility book ----------

export type BookSection = {
  unit: TUnit;
  status: TPlanSummary['status'];
  rows: (TPlanItem & { assessingUnitName: string | null })[];
};
export type BookData = { year: TYear; districtName: string; sections: BookSection[] };

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
  };
}

/** The whole district's book: one section per unit (in the caller's scope) whose plan is approved. */
export async function districtBookData(ctx: Ctx, yearId: number): Promise<BookData> {
  const year = await yearRow(ctx.db, yearId);
  const scope = await ctx.scope();
  const [units, indicators, plans, targets] = await Promise.all([listUnits(ctx.db), listIndicators(ctx.db, yearId), repo.listPlans(ctx.db, yearId), repo.yearTargets(ctx.db, yearId, 'approved')]);
  const approved = new Set(plans.filter((p) => p.status === 'approved').map((p) => p.unitId));
  const sections: BookSection[] = [];
  for (const unit of units) {
    if (!approved.has(unit.id) || !inScope(scope, unit.id)) continue;
    const leaves = sortTreeOrder(indicators, leavesFor(unit, indicators));
    const rows = targets.filter((t) => t.unitId === unit.id).map((t) => ({ ...t, planId: 0 }));
    sections.push({ unit, status: 'approved', rows: withAssessors(planItems({ indicators, leaves }, rows), units) });
  }
  return { year: presentYear(year), districtName: districtNameOf(units), sections };
}

function districtNameOf(units: TUnit[]): string {
  return units.find((u) => u.kind === 'district' && u.parentId === null)?.name ?? '区人民政府';
}

function withAssessors(items: TPlanItem[], units: TUnit[]): BookSection['rows'] {
  const names = new Map(units.map((u) => [u.id, u.name]));
  return items.map((i) => ({ ...i, assessingUnitName: i.assessingUnitId ? (names.get(i.assessingUnitId) ?? null) : null }));
}
