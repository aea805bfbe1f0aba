/**
 * Performance configuration: the indicator tree — creating, editing and deleting indicators, child weights.
 */
import { inTransaction, type Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { type AuditEvent, recordAudit } from '../audit/index.js';
import type { TGradeRule } from '../../engine/methods.schema.js';
import { bumpScoreVersion } from '../inputs/index.js';
import { listCategories, listUnits } from '../units/index.js';
import { checkFormula } from './performance.formula.js';
import * as repo from './performance.repo.js';
import type { TChildWeights, TIndicator, TIndicatorCreate, TIndicatorUpdate } from './performance.schema.js';
import { distributePoints, methodProblems, subtreeIds, wouldCycle } from './performance.tree.js';
import { presentIndicator } from './performance.present.js';
import { assertDraft, assertNotClosed, yearRow } from './performance.years.js';

// ---------- indicators ----------

/** The year's indicators as a flat list (parentId links), ordered by level, sort, id. */
export async function listIndicators(db: Db, yearId: number): Promise<TIndicator[]> {
  return (await repo.listIndicators(db, yearId)).map(presentIndicator);
}

/** The indicators (of any scheme) that take in this special scheme's result (data source 'special_assessment'). */
export async function leavesTakingIn(db: Db, schemeId: number): Promise<TIndicator[]> {
  return (await repo.indicatorsTakingIn(db, schemeId)).map(presentIndicator);
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
    if (v.assessingUnitId && !unitIds.has(v.assessingUnitId))
      throw invalid('assessingUnitId', '考评主体单位不存在', 'Assessing unit does not exist');
  }
}

/** Semantic checks of a method beyond its shape (grade labels, band order, formula syntax); throws the first as a 400. */
function checkMethod(
  node: { id: number; code: string; name: string; method: TIndicator['method'] },
  gradeRule: TGradeRule,
) {
  if (!node.method) return;
  const problem = methodProblems({ ...node, dataSource: 'self_report', caseMetric: null }, gradeRule, checkFormula)[0];
  if (problem) throw invalid(problem.field, problem.zh, problem.en);
}

function checkCaseMetric(v: { dataSource: string; caseMetric: string | null }) {
  if (v.dataSource === 'case_platform' && !v.caseMetric)
    throw invalid('caseMetric', '数据来源为12345平台时须选择统计指标', 'A case-platform indicator needs a case metric');
}

/**
 * A leaf taking in a special scheme's result (data source 'special_assessment', 纳入年度考核) names a
 * special scheme of the same calendar year other than its own; other leaves name none.
 */
async function checkSpecialScheme(
  db: Db,
  year: repo.YearRow,
  v: { dataSource: string; specialSchemeId?: number | null },
) {
  if (v.dataSource !== 'special_assessment') return;
  if (!v.specialSchemeId)
    throw invalid(
      'specialSchemeId',
      '数据来源为专项考核结果时须选择专项考核方案',
      'A special-assessment leaf names the special scheme',
    );
  const s = await repo.findYear(db, v.specialSchemeId);
  if (!s || s.kind !== 'special' || s.id === year.id || s.year !== year.year)
    throw invalid('specialSchemeId', `须选择${year.year}年度的专项考核方案`, `Choose a special scheme of ${year.year}`);
}

/** Adds a node (a new leaf) under `parentId` or at the top; a parent that had a method loses it (inner nodes are not scored). */
export async function createIndicator(
  db: Db,
  actor: Actor,
  yearId: number,
  input: TIndicatorCreate,
): Promise<TIndicator> {
  const year = await yearRow(db, yearId);
  assertDraft(year);
  const parent = input.parentId === null ? null : await repo.findIndicator(db, input.parentId);
  if (input.parentId !== null && (!parent || parent.yearId !== yearId))
    throw invalid('parentId', '上级指标不存在', 'Parent indicator does not exist');
  if (await repo.findIndicatorByCode(db, yearId, input.code))
    throw new AppError('DUPLICATE', {
      field: 'code',
      zh: `指标编码 ${input.code} 已存在`,
      en: `Code ${input.code} exists`,
    });
  await checkIndicatorRefs(db, input);
  checkCaseMetric(input);
  await checkSpecialScheme(db, year, input);
  checkMethod({ id: 0, code: input.code, name: input.name, method: input.method }, year.gradeRule);
  const siblings = (await repo.listIndicators(db, yearId)).filter((n) => n.parentId === input.parentId);
  const sort = input.sort ?? Math.max(0, ...siblings.map((n) => n.sort)) + 10;
  return inTransaction(db, async (tx) => {
    const row = await repo.insertIndicator(tx, {
      ...input,
      sort,
      yearId,
      level: parent ? parent.level + 1 : 1,
      caseMetric: input.dataSource === 'case_platform' ? input.caseMetric : null,
      specialSchemeId: input.dataSource === 'special_assessment' ? input.specialSchemeId : null,
    });
    const events: AuditEvent[] = [
      { action: 'indicator.create', entityType: 'indicator', entityId: row.id, after: presentIndicator(row) },
    ];
    if (parent?.method) {
      const p = await repo.updateIndicator(tx, parent.id, { method: null });
      events.push({
        action: 'indicator.update',
        entityType: 'indicator',
        entityId: parent.id,
        after: presentIndicator(p),
      });
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
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
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
        throw new AppError('INVALID_STATE', {
          field: k,
          zh: `${year.name}已生效，只能修改指标名称、说明、计量单位和排序`,
          en: `${year.name} is in force; only name, description, unit of measure and sort can change`,
        });
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
    if (wouldCycle(all, id, input.parentId!))
      throw invalid(
        'parentId',
        '不能把指标移动到其自身或下级指标之下',
        'An indicator cannot be moved under itself or its descendants',
      );
  }
  if (input.code !== undefined && input.code !== before.code && all.some((n) => n.code === input.code)) {
    throw new AppError('DUPLICATE', {
      field: 'code',
      zh: `指标编码 ${input.code} 已存在`,
      en: `Code ${input.code} exists`,
    });
  }
  if (input.method && hasChildren)
    throw invalid(
      'method',
      '有下级指标的节点不设置计分方法（按下级指标得分汇总）',
      'A node with children is not scored by a method',
    );
  await checkIndicatorRefs(db, input);
  checkCaseMetric(merged);
  await checkSpecialScheme(db, year, merged);
  if (input.method !== undefined)
    checkMethod({ id, code: merged.code, name: merged.name, method: input.method }, year.gradeRule);

  return inTransaction(db, async (tx) => {
    const patch: Partial<repo.IndicatorRow> = { ...input };
    if (merged.dataSource !== 'case_platform') patch.caseMetric = null;
    if (merged.dataSource !== 'special_assessment') patch.specialSchemeId = null;
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
        events.push({
          action: 'indicator.update',
          entityType: 'indicator',
          entityId: newParent.id,
          before: presentIndicator(newParent),
          after: presentIndicator(p),
        });
      }
    }
    const row = await repo.updateIndicator(tx, id, patch);
    events.unshift({
      action: moving ? 'indicator.move' : 'indicator.update',
      entityType: 'indicator',
      entityId: id,
      before: presentIndicator(before),
      after: presentIndicator(row),
    });
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
  if (
    given.size !== input.weights.length ||
    given.size !== children.length ||
    !children.every((c) => given.has(c.id))
  ) {
    throw invalid('weights', '权重须覆盖全部下级指标且每个指标一次', 'Weights must name every child exactly once');
  }
  const sumW = input.weights.reduce((s, w) => s + w.weight, 0);
  if (sumW <= 0) throw invalid('weights', '权重之和须大于 0', 'Weights must add up to more than 0');
  const points = distributePoints(
    Number(parent.points),
    children.map((c) => given.get(c.id)!),
  );
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
