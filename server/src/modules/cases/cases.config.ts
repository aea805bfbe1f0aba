/** Configuration of the platform: the category tree, routing rules and duplicate-detection settings. */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { listUnits } from '../units/index.js';
import { forgetCategories } from './cases.cache.js';
import { DEFAULT_DUPLICATE_SETTINGS } from './cases.duplicates.js';
import * as repo from './cases.repo.js';
import { categoryPublication, typeRules } from './cases.publication.js';
import { categoryChain, defaultUnitOf } from './cases.routing.js';
import {
  ZCaseSettings,
  type TCaseCategory,
  type TCaseSettings,
  type TCaseSettingsUpdate,
  type TCategoryCreate,
  type TCategoryUpdate,
  type TPublicCategory,
  type TRoutingRule,
  type TRoutingRuleCreate,
  type TRoutingRuleUpdate,
} from './cases.schema.js';

export type UnitInfo = { name: string; active: boolean };

/** Unit id → name and active flag (through the units service). */
export async function unitDirectory(db: Db): Promise<Map<number, UnitInfo>> {
  return new Map((await listUnits(db)).map((u) => [u.id, { name: u.name, active: u.active }]));
}

/** The category's path of names from the root, e.g. 市容环卫 / 占道经营. */
export function categoryPath(categories: readonly repo.CategoryRow[], id: number): string {
  return categoryChain(categories, id)
    .reverse()
    .map((c) => c.name)
    .join(' / ');
}

function presentCategory(
  c: repo.CategoryRow,
  all: readonly repo.CategoryRow[],
  units: Map<number, UnitInfo>,
): TCaseCategory {
  const effective = defaultUnitOf(all, c.id);
  return {
    id: c.id,
    parentId: c.parentId,
    code: c.code,
    name: c.name,
    path: categoryPath(all, c.id),
    defaultUnitId: c.defaultUnitId,
    effectiveUnitId: effective,
    effectiveUnitName: effective === null ? null : (units.get(effective)?.name ?? null),
    timeLimitDays: c.timeLimitDays,
    signHours: c.signHours,
    open311Code: c.open311Code,
    description: c.description,
    active: c.active,
    sort: c.sort,
    publication: c.publication,
    effectivePublication: categoryPublication(all, c.id),
    urbanClass: c.urbanClass,
    urbanCode: c.urbanCode,
  };
}

export async function listCategories(db: Db): Promise<TCaseCategory[]> {
  const [rows, units] = await Promise.all([repo.listCategories(db), unitDirectory(db)]);
  return rows.map((c) => presentCategory(c, rows, units));
}

/** Active categories for the citizen's form (a category is hidden when it or an ancestor is inactive). */
export async function listPublicCategories(db: Db): Promise<TPublicCategory[]> {
  const rows = await repo.listCategories(db);
  return rows
    .filter((c) => categoryChain(rows, c.id).every((x) => x.active))
    .map((c) => ({ id: c.id, parentId: c.parentId, name: c.name, timeLimitDays: c.timeLimitDays }));
}

/** The category and all its sub-categories. */
export function subtreeIds(rows: readonly { id: number; parentId: number | null }[], rootId: number): number[] {
  const out = [rootId];
  for (let i = 0; i < out.length; i++)
    for (const r of rows) if (r.parentId === out[i] && !out.includes(r.id)) out.push(r.id);
  return out;
}

async function checkCategoryRefs(
  db: Db,
  v: { parentId?: number | null; defaultUnitId?: number | null },
  selfId?: number,
) {
  if (v.parentId != null) {
    const rows = await repo.listCategories(db);
    if (!rows.some((r) => r.id === v.parentId))
      throw invalid('parentId', '上级分类不存在', 'The parent category does not exist');
    if (selfId !== undefined && subtreeIds(rows, selfId).includes(v.parentId)) {
      throw invalid(
        'parentId',
        '不能把分类移动到其自身或下级分类之下',
        'A category cannot be moved under itself or its sub-categories',
      );
    }
  }
  if (v.defaultUnitId != null) {
    const unit = (await unitDirectory(db)).get(v.defaultUnitId);
    if (!unit) throw invalid('defaultUnitId', '默认承办单位不存在', 'The default department does not exist');
  }
}

export async function createCategory(db: Db, actor: Actor, input: TCategoryCreate): Promise<TCaseCategory> {
  await checkCategoryRefs(db, input);
  const row = await db.transaction(async (tx) => {
    const created = await repo.insertCategory(tx, input);
    await recordAudit(tx, actor, {
      action: 'case_category.create',
      entityType: 'case_category',
      entityId: created.id,
      after: created,
    });
    return created;
  });
  forgetCategories(db);
  return (await listCategories(db)).find((c) => c.id === row.id)!;
}

export async function updateCategory(db: Db, actor: Actor, id: number, input: TCategoryUpdate): Promise<TCaseCategory> {
  const before = await repo.findCategory(db, id);
  if (!before) throw notFound();
  await checkCategoryRefs(db, input, id);
  await db.transaction(async (tx) => {
    const after = await repo.updateCategory(tx, id, input);
    if (!after) throw notFound();
    await recordAudit(tx, actor, {
      action: 'case_category.update',
      entityType: 'case_category',
      entityId: id,
      before,
      after,
    });
  });
  forgetCategories(db);
  return (await listCategories(db)).find((c) => c.id === id)!;
}

/** Deletes an unused category; one with cases or sub-categories must be deactivated instead (409 IN_USE). */
export async function deleteCategory(db: Db, actor: Actor, id: number): Promise<void> {
  const before = await repo.findCategory(db, id);
  if (!before) throw notFound();
  if (await repo.categoryInUse(db, id)) {
    throw new AppError('IN_USE', {
      zh: '该分类下已有诉求或子分类，不能删除，请改为停用',
      en: 'The category has cases or sub-categories; deactivate it instead',
    });
  }
  await db.transaction(async (tx) => {
    await repo.deleteCategory(tx, id);
    await recordAudit(tx, actor, { action: 'case_category.delete', entityType: 'case_category', entityId: id, before });
  });
  forgetCategories(db);
}

// ---------- routing rules ----------

async function presentRules(db: Db, rows: repo.RuleRow[]): Promise<TRoutingRule[]> {
  const [cats, units] = await Promise.all([repo.listCategories(db), unitDirectory(db)]);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    pattern: r.pattern,
    categoryId: r.categoryId,
    categoryName: r.categoryId === null ? null : categoryPath(cats, r.categoryId) || null,
    unitId: r.unitId,
    unitName: units.get(r.unitId)?.name ?? '',
    priority: r.priority,
    note: r.note,
    active: r.active,
  }));
}

export async function listRules(db: Db): Promise<TRoutingRule[]> {
  return presentRules(db, await repo.listRules(db));
}

async function checkRuleRefs(db: Db, v: { categoryId?: number | null; unitId?: number }) {
  if (v.categoryId != null && !(await repo.findCategory(db, v.categoryId)))
    throw invalid('categoryId', '诉求分类不存在', 'The category does not exist');
  if (v.unitId !== undefined) {
    const unit = (await unitDirectory(db)).get(v.unitId);
    if (!unit) throw invalid('unitId', '承办单位不存在', 'The department does not exist');
  }
}

export async function createRule(db: Db, actor: Actor, input: TRoutingRuleCreate): Promise<TRoutingRule> {
  await checkRuleRefs(db, input);
  const row = await db.transaction(async (tx) => {
    const created = await repo.insertRule(tx, input);
    await recordAudit(tx, actor, {
      action: 'routing_rule.create',
      entityType: 'routing_rule',
      entityId: created.id,
      unitId: created.unitId,
      after: created,
    });
    return created;
  });
  return (await presentRules(db, [row]))[0];
}

export async function updateRule(db: Db, actor: Actor, id: number, input: TRoutingRuleUpdate): Promise<TRoutingRule> {
  const before = await repo.findRule(db, id);
  if (!before) throw notFound();
  await checkRuleRefs(db, input);
  const row = await db.transaction(async (tx) => {
    const after = await repo.updateRule(tx, id, input);
    if (!after) throw notFound();
    await recordAudit(tx, actor, {
      action: 'routing_rule.update',
      entityType: 'routing_rule',
      entityId: id,
      unitId: after.unitId,
      before,
      after,
    });
    return after;
  });
  return (await presentRules(db, [row]))[0];
}

export async function deleteRule(db: Db, actor: Actor, id: number): Promise<void> {
  const before = await repo.findRule(db, id);
  if (!before) throw notFound();
  await db.transaction(async (tx) => {
    await repo.deleteRule(tx, id);
    await recordAudit(tx, actor, {
      action: 'routing_rule.delete',
      entityType: 'routing_rule',
      entityId: id,
      unitId: before.unitId,
      before,
    });
  });
}

// ---------- settings ----------

const SETTINGS_KEY = 'platform';

/** The platform settings, with defaults for anything not stored. */
export async function getSettings(db: Db): Promise<TCaseSettings> {
  const stored = await repo.getSetting(db, SETTINGS_KEY);
  const defaults: TCaseSettings = {
    duplicateRadiusM: DEFAULT_DUPLICATE_SETTINGS.radiusM,
    duplicateDays: DEFAULT_DUPLICATE_SETTINGS.days,
    typePublication: typeRules(undefined),
  };
  const parsed = ZCaseSettings.partial().safeParse(stored ?? {});
  const merged = { ...defaults, ...(parsed.success ? parsed.data : {}) };
  return { ...merged, typePublication: typeRules(merged.typePublication) };
}

/** Stores the settings; what the update leaves out stays as it was. */
export async function putSettings(db: Db, actor: Actor, input: TCaseSettingsUpdate): Promise<TCaseSettings> {
  const before = await getSettings(db);
  const after: TCaseSettings = {
    ...before,
    ...input,
    typePublication: typeRules(input.typePublication ?? before.typePublication),
  };
  await db.transaction(async (tx) => {
    await repo.putSetting(tx, SETTINGS_KEY, after);
    await recordAudit(tx, actor, {
      action: 'case_settings.update',
      entityType: 'case_settings',
      entityId: SETTINGS_KEY,
      before,
      after,
    });
  });
  return after;
}
