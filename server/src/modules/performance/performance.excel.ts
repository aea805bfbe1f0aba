/**
 * The indicator tree of a scheme to and from Excel: the office drafts next year's tree in Excel. One row
 * per node in tree order (parent before children): code, parent code, name, points, unit, direction,
 * data source, how months add up, the scoring method as JSON, the case metric, the categories it
 * applies to, the assessing unit, sort and description. The export imports back unchanged.
 *
 * An import (draft schemes only) matches nodes by code: new codes are created, existing ones updated,
 * nodes missing from the file are left alone. Every row goes through the same checks as the tree
 * editor (createIndicator / updateIndicator, including the method's own checks) inside one transaction;
 * any problem refuses the whole file with its rows and columns, and nothing is saved.
 */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { canonicalJson } from '../../lib/canonical.js';
import { AppError } from '../../lib/errors.js';
import {
  ImportRefused,
  letterOf,
  listWorkbook,
  readListSheet,
  type ListColumn,
  type TImportError,
  type TImportResult,
} from '../../lib/xlsx-lists.js';
import { AGGREGATE_NAMES, DATA_SOURCE_NAMES, DATA_SOURCES, AGGREGATES } from '../../../../common/performance.js';
import { listCategories, listUnits } from '../units/index.js';
import { createIndicator, listIndicators, updateIndicator } from './performance.indicators.js';
import { ZIndicatorCreate, type TIndicator, type TIndicatorCreate } from './performance.schema.js';
import { DIRECTIONS } from './performance.table.js';
import { assertDraft, yearRow } from './performance.years.js';

type Key =
  | 'code'
  | 'parentCode'
  | 'name'
  | 'points'
  | 'unitOfMeasure'
  | 'direction'
  | 'dataSource'
  | 'aggregate'
  | 'method'
  | 'caseMetric'
  | 'categories'
  | 'units'
  | 'assessingUnit'
  | 'sort'
  | 'description';

const DIRECTION_ZH: Record<(typeof DIRECTIONS)[number], string> = { positive: '正向', negative: '反向' };

export const INDICATOR_COLUMNS: readonly ListColumn<Key>[] = [
  {
    key: 'code',
    header: '指标编码',
    required: true,
    note: '字母开头，字母、数字和 _，最多 32 位（公式中用它引用指标）。已有编码的指标会被更新',
  },
  { key: 'parentCode', header: '上级指标编码', note: '一级指标留空；否则为系统中或本表中（在它之前）的指标编码' },
  { key: 'name', header: '指标名称', required: true, width: 30, note: '最多 100 字' },
  { key: 'points', header: '分值', required: true, width: 8, note: '0–10000 的数' },
  { key: 'unitOfMeasure', header: '计量单位', width: 10, note: '如 %、件、万元；可空' },
  { key: 'direction', header: '方向', width: 8, note: '正向（越大越好）或 反向（越小越好）；空为正向' },
  {
    key: 'dataSource',
    header: '数据来源',
    width: 14,
    note: `${DATA_SOURCES.map((s) => DATA_SOURCE_NAMES[s].zh).join('、')}（或 ${DATA_SOURCES.join(', ')}）；空为单位自报`,
  },
  {
    key: 'aggregate',
    header: '汇总方式',
    width: 16,
    note: `${AGGREGATES.map((a) => AGGREGATE_NAMES[a].zh).join('、')}（或 ${AGGREGATES.join(', ')}）；空为逐月累加`,
  },
  {
    key: 'method',
    header: '评分方法（JSON）',
    width: 40,
    note: '末级指标的评分方法，JSON 格式，与「指标体系」页面导出的一致，例如 {"kind":"ratio","cap":1.2}；上级指标留空',
  },
  { key: 'caseMetric', header: '12345统计指标', width: 14, note: '数据来源为12345平台时必填，如 onTimeRate' },
  {
    key: 'categories',
    header: '适用考评类别',
    width: 20,
    note: '考评类别的编码或名称，多个用 、或 , 分隔；空为全部单位',
  },
  { key: 'units', header: '适用单位', width: 16, note: '另外适用的单位编码，多个用 、或 , 分隔；可空' },
  { key: 'assessingUnit', header: '考评主体单位', width: 14, note: '考评主体的单位编码；可空' },
  { key: 'sort', header: '排序', width: 8, note: '整数，越小越靠前；空为排在同级最后' },
  { key: 'description', header: '说明', width: 30, note: '最多 2000 字；可空' },
];

const enumOf = <T extends string>(values: readonly T[], zh: Record<T, string>, v: string): T | undefined =>
  values.find((x) => x === v || zh[x] === v);

/** The template: the columns, two example rows and the instructions. */
export async function indicatorsTemplate(): Promise<Buffer> {
  return listWorkbook({
    title: '指标体系',
    columns: INDICATOR_COLUMNS,
    rows: [
      {
        code: 'A',
        parentCode: '',
        name: '经济发展',
        points: 30,
        unitOfMeasure: '',
        direction: '正向',
        dataSource: '单位自报',
        aggregate: AGGREGATE_NAMES.sum.zh,
        method: '',
        caseMetric: '',
        categories: '',
        units: '',
        assessingUnit: '',
        sort: 10,
        description: '',
      },
      {
        code: 'A1',
        parentCode: 'A',
        name: '固定资产投资完成率',
        points: 10,
        unitOfMeasure: '%',
        direction: '正向',
        dataSource: '单位自报',
        aggregate: AGGREGATE_NAMES.last.zh,
        method: JSON.stringify({ kind: 'ratio', cap: 1.2 }),
        caseMetric: '',
        categories: '',
        units: '',
        assessingUnit: '',
        sort: 10,
        description: '完成值 ÷ 目标值 × 分值，最高 1.2 倍',
      },
    ],
  });
}

/** Parents before children, siblings by sort. */
function treeOrder(nodes: readonly TIndicator[]): TIndicator[] {
  const kids = new Map<number | null, TIndicator[]>();
  for (const n of nodes) kids.set(n.parentId, [...(kids.get(n.parentId) ?? []), n]);
  const out: TIndicator[] = [];
  const walk = (p: number | null) => {
    for (const n of (kids.get(p) ?? []).sort((a, b) => a.sort - b.sort || a.id - b.id)) {
      out.push(n);
      walk(n.id);
    }
  };
  walk(null);
  return out;
}

/** The scheme's tree in the template's columns. */
export async function indicatorsExport(db: Db, yearId: number): Promise<Buffer> {
  const [nodes, categories, units] = await Promise.all([listIndicators(db, yearId), listCategories(db), listUnits(db)]);
  const codeOf = new Map(nodes.map((n) => [n.id, n.code]));
  const catCode = new Map(categories.map((c) => [c.id, c.code]));
  const unitCode = new Map(units.map((u) => [u.id, u.code]));
  return listWorkbook({
    title: '指标体系',
    columns: INDICATOR_COLUMNS,
    rows: treeOrder(nodes).map((n) => ({
      code: n.code,
      parentCode: n.parentId ? (codeOf.get(n.parentId) ?? '') : '',
      name: n.name,
      points: n.points,
      unitOfMeasure: n.unitOfMeasure,
      direction: DIRECTION_ZH[n.direction],
      dataSource: DATA_SOURCE_NAMES[n.dataSource].zh,
      aggregate: AGGREGATE_NAMES[n.aggregate].zh,
      method: n.method ? JSON.stringify(n.method) : '',
      caseMetric: n.caseMetric ?? '',
      categories: n.appliesTo.categoryIds.map((id) => catCode.get(id) ?? String(id)).join('、'),
      units: n.appliesTo.unitIds.map((id) => unitCode.get(id) ?? String(id)).join('、'),
      assessingUnit: n.assessingUnitId ? (unitCode.get(n.assessingUnitId) ?? '') : '',
      sort: n.sort,
      description: n.description,
    })),
  });
}

/** The zod path of a create/update field → the column it came from. */
const COLUMN_OF_FIELD: Record<string, Key> = {
  code: 'code',
  parentId: 'parentCode',
  name: 'name',
  points: 'points',
  unitOfMeasure: 'unitOfMeasure',
  direction: 'direction',
  dataSource: 'dataSource',
  aggregate: 'aggregate',
  method: 'method',
  caseMetric: 'caseMetric',
  appliesTo: 'categories',
  assessingUnitId: 'assessingUnit',
  sort: 'sort',
  description: 'description',
  specialSchemeId: 'dataSource',
};

type Planned = { row: number; parentCode: string | null; input: Omit<TIndicatorCreate, 'parentId'> };

/** Imports a filled tree into a draft scheme, all or nothing; throws ImportRefused with every problem found. */
export async function importIndicators(db: Db, actor: Actor, yearId: number, data: Buffer): Promise<TImportResult> {
  assertDraft(await yearRow(db, yearId));
  const { rows, errors } = await readListSheet(data, INDICATOR_COLUMNS);
  if (errors.length) throw new ImportRefused(errors);
  const [existing, categories, units] = await Promise.all([
    listIndicators(db, yearId),
    listCategories(db),
    listUnits(db),
  ]);
  const byCode = new Map(existing.map((n) => [n.code, n]));
  const catBy = new Map<string, number>();
  for (const c of categories) {
    catBy.set(c.code, c.id);
    catBy.set(c.name, c.id);
  }
  const unitBy = new Map(units.map((u) => [u.code, u.id]));
  const err = (row: number, key: Key, message: string) =>
    errors.push({ row, column: letterOf(INDICATOR_COLUMNS, key), message });
  const planned = new Map<string, Planned>();
  for (const { row, values: v } of rows) {
    let ok = true;
    const bad = (key: Key, message: string) => {
      err(row, key, message);
      ok = false;
    };
    if (planned.has(v.code)) bad('code', `指标编码「${v.code}」在表中重复（第 ${planned.get(v.code)!.row} 行）`);
    if (v.parentCode && v.parentCode === v.code) bad('parentCode', '指标不能是自己的上级');
    if (v.parentCode && !planned.has(v.parentCode) && !byCode.has(v.parentCode))
      bad('parentCode', `上级指标编码「${v.parentCode}」不存在（须在系统中或本表之前的行中）`);
    const direction = v.direction ? enumOf(DIRECTIONS, DIRECTION_ZH, v.direction) : 'positive';
    if (!direction) bad('direction', `方向「${v.direction}」应为 正向 或 反向`);
    const dataSource = v.dataSource
      ? DATA_SOURCES.find((s) => s === v.dataSource || DATA_SOURCE_NAMES[s].zh === v.dataSource)
      : 'self_report';
    if (!dataSource) bad('dataSource', `数据来源「${v.dataSource}」无效`);
    const aggregate = v.aggregate
      ? AGGREGATES.find((a) => a === v.aggregate || AGGREGATE_NAMES[a].zh === v.aggregate)
      : 'sum';
    if (!aggregate) bad('aggregate', `汇总方式「${v.aggregate}」无效`);
    let method: unknown = null;
    if (v.method) {
      try {
        method = JSON.parse(v.method);
      } catch {
        bad('method', '评分方法不是有效的 JSON');
      }
    }
    const categoryIds: number[] = [];
    for (const c of v.categories
      .split(/[、,，;；]/)
      .map((x) => x.trim())
      .filter(Boolean)) {
      const id = catBy.get(c);
      if (id === undefined) bad('categories', `考评类别「${c}」不存在`);
      else categoryIds.push(id);
    }
    const unitIds: number[] = [];
    for (const c of v.units
      .split(/[、,，;；]/)
      .map((x) => x.trim())
      .filter(Boolean)) {
      const id = unitBy.get(c);
      if (id === undefined) bad('units', `单位编码「${c}」不存在`);
      else unitIds.push(id);
    }
    let assessingUnitId: number | null = null;
    if (v.assessingUnit) {
      assessingUnitId = unitBy.get(v.assessingUnit) ?? null;
      if (assessingUnitId === null) bad('assessingUnit', `单位编码「${v.assessingUnit}」不存在`);
    }
    const parsed = ZIndicatorCreate.safeParse({
      parentId: null,
      code: v.code,
      name: v.name,
      points: v.points === '' ? Number.NaN : Number(v.points),
      unitOfMeasure: v.unitOfMeasure,
      direction,
      dataSource,
      aggregate,
      method,
      caseMetric: v.caseMetric || null,
      appliesTo: { categoryIds, unitIds },
      assessingUnitId,
      // A leaf taking in a special scheme keeps the scheme it names (chosen in the tree editor).
      specialSchemeId: dataSource === 'special_assessment' ? (byCode.get(v.code)?.specialSchemeId ?? null) : null,
      ...(v.sort === '' ? {} : { sort: Number(v.sort) }),
      description: v.description,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 3)) {
        const key = COLUMN_OF_FIELD[String(issue.path[0])] ?? 'code';
        const detail = issue.path.length > 1 ? `（${issue.path.slice(1).join('.')}）` : '';
        bad(key, `「${INDICATOR_COLUMNS.find((c) => c.key === key)!.header}」${detail}不正确：${issue.message}`);
      }
    }
    if (ok && parsed.success) {
      const { parentId: _p, ...input } = parsed.data;
      planned.set(v.code, { row, parentCode: v.parentCode || null, input });
    }
  }
  if (errors.length) throw new ImportRefused(sortErrors(errors));

  // Every row through the tree editor's own checks, in file order (parents come first), in one transaction.
  const result = { created: 0, updated: 0, unchanged: 0 };
  const rowErrors: TImportError[] = [];
  try {
    await db.transaction(async (tx) => {
      const idOf = new Map(existing.map((n) => [n.code, n.id]));
      for (const [code, p] of planned) {
        const parentId = p.parentCode ? (idOf.get(p.parentCode) ?? null) : null;
        try {
          const before = byCode.get(code);
          if (!before) {
            const made = await createIndicator(tx, actor, yearId, { ...p.input, parentId });
            idOf.set(code, made.id);
            result.created++;
            continue;
          }
          const patch = changedFields(before, { ...p.input, parentId });
          if (!Object.keys(patch).length) {
            result.unchanged++;
            continue;
          }
          await updateIndicator(tx, actor, before.id, patch);
          result.updated++;
        } catch (e) {
          if (!(e instanceof AppError) || e.status >= 500) throw e;
          const key = COLUMN_OF_FIELD[e.field ?? ''] ?? 'code';
          rowErrors.push({ row: p.row, column: letterOf(INDICATOR_COLUMNS, key), message: e.message_('zh') });
        }
      }
      if (rowErrors.length) throw new ImportRefused(rowErrors);
    });
  } catch (e) {
    if (e instanceof ImportRefused) throw new ImportRefused(sortErrors(e.errors));
    throw e;
  }
  return result;
}

/** The fields of an update that differ from the stored node (JSON values compared by content). */
function changedFields(before: TIndicator, after: TIndicatorCreate): Partial<TIndicatorCreate> {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after)) {
    if (k === 'sort' && v === undefined) continue;
    if (canonicalJson((before as Record<string, unknown>)[k] ?? null) !== canonicalJson(v ?? null)) patch[k] = v;
  }
  return patch as Partial<TIndicatorCreate>;
}

const sortErrors = (e: TImportError[]) => [...e].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
