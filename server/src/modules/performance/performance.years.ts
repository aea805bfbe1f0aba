/**
 * Performance configuration: assessment years — reading, creating, editing, checking, activating, closing and copying.
 */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { listenersOf } from '../../platform/module.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { bumpScoreVersion } from '../inputs/index.js';
import { checkFormula } from './performance.formula.js';
import * as repo from './performance.repo.js';
import type {
  TScheme,
  TSchemeCreate,
  TSchemeUpdate,
  TYear,
  TYearCopy,
  TYearCreate,
  TYearProblem,
  TYearUpdate,
} from './performance.schema.js';
import { treeProblems } from './performance.tree.js';
import { listCategories, listUnits } from '../units/index.js';
import { presentIndicator, presentYear } from './performance.present.js';

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

/** The annual scheme of this calendar year (e.g. 2026), or with `code` that special scheme; null when none. */
export async function getYearByYear(db: Db, year: number, code = 'annual'): Promise<TYear | null> {
  const row = await repo.findYearByYear(db, year, code);
  return row ? presentYear(row, (await repo.yearCounts(db)).get(row.id)) : null;
}

/** The latest year in force (several can be in force while last year is still being scored), or null. */
export async function getYearInForce(db: Db): Promise<TYear | null> {
  const row = await repo.latestYearInForce(db);
  return row ? presentYear(row, (await repo.yearCounts(db)).get(row.id)) : null;
}

export async function yearRow(db: Db, id: number): Promise<repo.YearRow> {
  const row = await repo.findYear(db, id);
  if (!row) throw notFound();
  return row;
}

export function assertNotClosed(year: repo.YearRow) {
  if (year.status === 'closed')
    throw new AppError('IMMUTABLE', {
      zh: `${year.name}已结束，数据不能修改`,
      en: `${year.name} is closed and cannot change`,
    });
}

export function assertDraft(year: repo.YearRow) {
  assertNotClosed(year);
  if (year.status !== 'draft') {
    throw new AppError('INVALID_STATE', {
      zh: `${year.name}已生效，指标体系不能再修改（仅可修改名称、说明、计量单位和排序）`,
      en: `${year.name} is in force; the indicator tree is frozen`,
    });
  }
}

/** Creates a draft year. */
export async function createYear(db: Db, actor: Actor, input: TYearCreate): Promise<TYear> {
  if (await repo.findYearByYear(db, input.year))
    throw new AppError('DUPLICATE', { field: 'year', zh: `${input.year}年度已存在`, en: `Year ${input.year} exists` });
  return db.transaction(async (tx) => {
    const row = await repo.insertYear(tx, {
      year: input.year,
      name: input.name ?? `${input.year}年度绩效考核`,
      gradeRule: input.gradeRule,
      deadlineDay: input.deadlineDay,
      unitsAssessed: { categoryIds: [], unitIds: [] },
    });
    const year = presentYear(row);
    await recordAudit(tx, actor, {
      action: 'year.create',
      entityType: 'assessment_year',
      entityId: row.id,
      after: year,
    });
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
        throw invalid(
          'gradeRule',
          `指标「${ind.code} ${ind.name}」的一票否决引用了等次「${m.capGrade}」，不能删除该等次`,
          `Veto of ${ind.code} refers to grade ${m.capGrade}`,
        );
      }
    }
  }
  return db.transaction(async (tx) => {
    const row = await repo.updateYear(tx, id, input);
    await recordAudit(tx, actor, {
      action: 'year.update',
      entityType: 'assessment_year',
      entityId: id,
      before: presentYear(before),
      after: presentYear(row),
    });
    await bumpScoreVersion(tx, id);
    return presentYear(row, (await repo.yearCounts(tx)).get(id));
  });
}

/** Deletes a draft year with its tree and plans (a mistaken copy, say). */
export async function deleteYear(db: Db, actor: Actor, id: number): Promise<void> {
  const before = await yearRow(db, id);
  if (before.status !== 'draft')
    throw new AppError('INVALID_STATE', { zh: '只能删除草稿状态的考核年度', en: 'Only a draft year can be deleted' });
  const includedBy = await repo.indicatorsTakingIn(db, id);
  if (includedBy.length)
    throw new AppError('INVALID_STATE', {
      zh: `该专项考核已纳入指标「${includedBy[0].code} ${includedBy[0].name}」，请先修改该指标`,
      en: `The scheme is taken in by indicator ${includedBy[0].code}`,
    });
  await db.transaction(async (tx) => {
    await repo.deleteYear(tx, id);
    await recordAudit(tx, actor, {
      action: 'year.delete',
      entityType: 'assessment_year',
      entityId: id,
      before: presentYear(before),
    });
  });
}

/** What keeps the year from going into force (empty when it can). */
export async function checkYear(db: Db, id: number, lang: 'zh' | 'en' = 'zh'): Promise<TYearProblem[]> {
  const year = await yearRow(db, id);
  const nodes = (await repo.listIndicators(db, id)).map(presentIndicator);
  return treeProblems(nodes, year.gradeRule, checkFormula).map((p) => ({
    indicatorId: p.indicatorId,
    code: p.code,
    field: p.field,
    message: lang === 'en' ? p.en : p.zh,
  }));
}

/** draft → in_force, when every inner node's points equal its children's sum and every leaf has a valid method. */
export async function activateYear(db: Db, actor: Actor, id: number): Promise<TYear> {
  const before = await yearRow(db, id);
  if (before.status !== 'draft')
    throw new AppError('INVALID_STATE', {
      zh: '只有草稿状态的考核年度可以生效',
      en: 'Only a draft year can be put in force',
    });
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
  if (before.status !== 'in_force')
    throw new AppError('INVALID_STATE', {
      zh: '只有已生效的考核年度可以结束',
      en: 'Only a year in force can be closed',
    });
  return setYearStatus(db, actor, before, 'closed', 'year.close');
}

async function setYearStatus(
  db: Db,
  actor: Actor,
  before: repo.YearRow,
  status: repo.YearRow['status'],
  action: string,
): Promise<TYear> {
  return db.transaction(async (tx) => {
    const row = await repo.updateYear(tx, before.id, { status });
    await recordAudit(tx, actor, {
      action,
      entityType: 'assessment_year',
      entityId: before.id,
      before: { status: before.status },
      after: { status },
    });
    await bumpScoreVersion(tx, before.id);
    return presentYear(row, (await repo.yearCounts(tx)).get(before.id));
  });
}

/** What a copied year's other configuration needs: the two years and each indicator's new id. */
export type YearCopy = {
  actor: Actor;
  fromYearId: number;
  toYearId: number;
  indicatorIds: ReadonlyMap<number, number>;
};

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
  if (await repo.findYearByYear(db, input.year, source.code))
    throw new AppError('DUPLICATE', {
      field: 'year',
      zh: source.kind === 'annual' ? `${input.year}年度已存在` : `${input.year}年度已有该专项考核（${source.code}）`,
      en: `Year ${input.year} exists`,
    });
  const nodes = await repo.listIndicators(db, id);
  return db.transaction(async (tx) => {
    const row = await repo.insertYear(tx, {
      year: input.year,
      name:
        input.name ??
        (source.kind === 'annual' ? `${input.year}年度绩效考核` : source.name.replace(String(source.year), String(input.year))),
      gradeRule: source.gradeRule,
      deadlineDay: source.deadlineDay,
      kind: source.kind,
      code: source.code,
      assessingUnitId: source.assessingUnitId,
      periods: source.periods,
      unitsAssessed: source.unitsAssessed,
      methods: source.methods,
    });
    const indicatorIds = await copyTree(tx, nodes, row.id);
    for (const listener of listenersOf('onYearCopy'))
      await listener(tx, { actor, fromYearId: id, toYearId: row.id, indicatorIds });
    const year = presentYear(row, {
      indicators: nodes.length,
      leaves: nodes.filter((n) => !nodes.some((c) => c.parentId === n.id)).length,
    });
    await recordAudit(tx, actor, {
      action: 'year.copy',
      entityType: 'assessment_year',
      entityId: row.id,
      before: { fromYearId: id, fromYear: source.year },
      after: year,
    });
    return year;
  });
}

// ---------- special schemes ----------

/** The schemes (annual and special), optionally of one calendar year or kind; the annual one first in each year. */
export async function listSchemes(db: Db, q: { year?: number; kind?: TScheme['kind'] } = {}): Promise<TScheme[]> {
  return (await listYears(db)).filter(
    (s) => (q.year === undefined || s.year === q.year) && (q.kind === undefined || s.kind === q.kind),
  );
}

async function checkSchemeRefs(db: Db, v: { assessingUnitId?: number | null; unitsAssessed?: TScheme['unitsAssessed'] }) {
  const [cats, units] = await Promise.all([listCategories(db), listUnits(db)]);
  const catIds = new Set(cats.map((c) => c.id));
  const unitIds = new Set(units.map((u) => u.id));
  if (v.assessingUnitId && !unitIds.has(v.assessingUnitId))
    throw invalid('assessingUnitId', '考评主体单位不存在', 'The assessing unit does not exist');
  v.unitsAssessed?.categoryIds.forEach((c, i) => {
    if (!catIds.has(c)) throw invalid(`unitsAssessed.categoryIds.${i}`, '考评类别不存在', 'Category does not exist');
  });
  v.unitsAssessed?.unitIds.forEach((u, i) => {
    if (!unitIds.has(u)) throw invalid(`unitsAssessed.unitIds.${i}`, '单位不存在', 'Unit does not exist');
  });
}

/** Creates a draft special scheme (专项考核) beside the year's annual one. */
export async function createScheme(db: Db, actor: Actor, input: TSchemeCreate): Promise<TScheme> {
  if (await repo.findYearByYear(db, input.year, input.code))
    throw new AppError('DUPLICATE', {
      field: 'code',
      zh: `${input.year}年度已有编码为 ${input.code} 的考核方案`,
      en: `Year ${input.year} has a scheme ${input.code}`,
    });
  await checkSchemeRefs(db, input);
  return db.transaction(async (tx) => {
    const row = await repo.insertYear(tx, { ...input, kind: 'special' });
    const scheme = presentYear(row);
    await recordAudit(tx, actor, {
      action: 'scheme.create',
      entityType: 'assessment_year',
      entityId: row.id,
      unitId: row.assessingUnitId,
      after: scheme,
    });
    return scheme;
  });
}

/** Changes a special scheme's settings (name, assessing body, periods, units assessed, methods). */
export async function updateScheme(db: Db, actor: Actor, id: number, input: TSchemeUpdate): Promise<TScheme> {
  const before = await yearRow(db, id);
  assertNotClosed(before);
  if (before.kind !== 'special')
    throw new AppError('INVALID_STATE', {
      zh: '年度综合考核的设置在「考核年度」中修改',
      en: 'The annual scheme is edited as a year',
    });
  await checkSchemeRefs(db, input);
  return db.transaction(async (tx) => {
    const row = await repo.updateYear(tx, id, input);
    await recordAudit(tx, actor, {
      action: 'scheme.update',
      entityType: 'assessment_year',
      entityId: id,
      unitId: row.assessingUnitId,
      before: presentYear(before),
      after: presentYear(row),
    });
    await bumpScoreVersion(tx, id);
    return presentYear(row, (await repo.yearCounts(tx)).get(id));
  });
}

/**
 * Inserts a copy of the nodes into another year, level by level so parents get their new ids first.
 * A leaf taking in a special scheme points to the scheme with the same code in the target year; when
 * there is none it becomes a third-party leaf for the office to point again.
 */
export async function copyTree(
  tx: Db,
  nodes: readonly repo.IndicatorRow[],
  yearId: number,
): Promise<Map<number, number>> {
  const newId = new Map<number, number>();
  const target = await repo.findYear(tx, yearId);
  const specialOf = new Map<number, number | null>();
  for (const n of nodes) {
    if (n.specialSchemeId === null || specialOf.has(n.specialSchemeId)) continue;
    const from = await repo.findYear(tx, n.specialSchemeId);
    const to = from && target ? await repo.findYearByYear(tx, target.year, from.code) : null;
    if (from && target && from.year === target.year) specialOf.set(n.specialSchemeId, from.id);
    else specialOf.set(n.specialSchemeId, to && to.kind === 'special' ? to.id : null);
  }
  const levels = [...new Set(nodes.map((n) => n.level))].sort((a, b) => a - b);
  for (const level of levels) {
    for (const n of nodes.filter((x) => x.level === level)) {
      const { id: _id, yearId: _y, parentId, ...rest } = n;
      if (n.specialSchemeId !== null) {
        rest.specialSchemeId = specialOf.get(n.specialSchemeId) ?? null;
        if (rest.specialSchemeId === null) rest.dataSource = 'third_party';
      }
      const inserted = await repo.insertIndicator(tx, {
        ...rest,
        yearId,
        parentId: parentId === null ? null : (newId.get(parentId) ?? null),
      });
      newId.set(n.id, inserted.id);
    }
  }
  return newId;
}
