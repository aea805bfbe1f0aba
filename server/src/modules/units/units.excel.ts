/**
 * Units from and to Excel: the office keeps its unit list (tree, assessment categories) in Excel. The
 * export and the template share the columns, so an export imports back unchanged. An import matches
 * units by code (existing ones are updated, new ones created), checks every row first — codes, kinds,
 * parents (in the database or earlier/later in the file), categories, cycles — and saves all or nothing,
 * each change audited.
 */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import {
  ImportRefused,
  letterOf,
  listWorkbook,
  readListSheet,
  type ListColumn,
  type TImportError,
  type TImportResult,
} from '../../lib/xlsx-lists.js';
import { recordAudit, type AuditEvent } from '../audit/index.js';
import * as repo from './units.repo.js';
import { presentUnit } from './units.service.js';
import { UNIT_KINDS } from './units.table.js';

type Key = 'code' | 'name' | 'kind' | 'parentCode' | 'category' | 'sort' | 'active';

const KIND_LABELS: Record<(typeof UNIT_KINDS)[number], string> = {
  district: '区',
  department: '部门',
  street: '街道',
  town: '镇',
  community: '社区',
};

export const UNIT_COLUMNS: readonly ListColumn<Key>[] = [
  {
    key: 'code',
    header: '单位编码',
    required: true,
    note: '唯一编码：字母、数字、_ 和 -，最多 32 位。已有编码的单位会被更新',
  },
  { key: 'name', header: '单位名称', required: true, width: 28, note: '最多 100 字' },
  {
    key: 'kind',
    header: '单位类型',
    required: true,
    note: `${Object.values(KIND_LABELS).join('、')}（或 ${UNIT_KINDS.join(', ')}）；只有「区」没有上级单位`,
  },
  { key: 'parentCode', header: '上级单位编码', note: '上级单位的编码：系统中已有的，或本表中的' },
  { key: 'category', header: '考评类别', note: '考评类别的编码或名称（须已在「考评类别」中建立）；可空' },
  { key: 'sort', header: '排序', width: 8, note: '整数，越小越靠前；空为 0' },
  { key: 'active', header: '状态', width: 8, note: '启用 或 停用；空为启用' },
];

const CODE_RE = /^[A-Za-z0-9_-]{1,32}$/;

/** The template: the columns, an example row and the instructions. */
export async function unitsTemplate(): Promise<Buffer> {
  return listWorkbook({
    title: '单位',
    columns: UNIT_COLUMNS,
    rows: [
      { code: 'CGJ', name: '区城市管理局', kind: '部门', parentCode: 'ROOT', category: '', sort: 10, active: '启用' },
    ],
  });
}

/** Every unit in the template's columns. */
export async function unitsExport(db: Db): Promise<Buffer> {
  const [units, categories] = await Promise.all([repo.listUnits(db), repo.listCategories(db)]);
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  const catOf = new Map(categories.map((c) => [c.id, c.code]));
  return listWorkbook({
    title: '单位',
    columns: UNIT_COLUMNS,
    rows: units.map((u) => ({
      code: u.code,
      name: u.name,
      kind: KIND_LABELS[u.kind],
      parentCode: u.parentId ? (codeOf.get(u.parentId) ?? '') : '',
      category: u.categoryId ? (catOf.get(u.categoryId) ?? '') : '',
      sort: u.sort,
      active: u.active ? '启用' : '停用',
    })),
  });
}

type Planned = {
  row: number;
  code: string;
  name: string;
  kind: (typeof UNIT_KINDS)[number];
  parentCode: string | null;
  categoryId: number | null;
  sort: number;
  active: boolean;
};

/** Imports a filled list, all or nothing; throws ImportRefused with every problem found. */
export async function importUnits(db: Db, actor: Actor, data: Buffer): Promise<TImportResult> {
  const { rows, errors } = await readListSheet(data, UNIT_COLUMNS);
  if (errors.length) throw new ImportRefused(errors);
  const [existing, categories] = await Promise.all([repo.listUnits(db), repo.listCategories(db)]);
  const byCode = new Map(existing.map((u) => [u.code, u]));
  const catBy = new Map<string, number>();
  for (const c of categories) {
    catBy.set(c.code, c.id);
    catBy.set(c.name, c.id);
  }
  const err = (row: number, key: Key, message: string) =>
    errors.push({ row, column: letterOf(UNIT_COLUMNS, key), message });
  const planned = new Map<string, Planned>();
  for (const { row, values: v } of rows) {
    let ok = true;
    const bad = (key: Key, message: string) => {
      err(row, key, message);
      ok = false;
    };
    if (!CODE_RE.test(v.code))
      bad('code', v.code ? `单位编码「${v.code}」格式不正确（字母、数字、_ 和 -，最多 32 位）` : '单位编码为空');
    else if (planned.has(v.code)) bad('code', `单位编码「${v.code}」在表中重复（第 ${planned.get(v.code)!.row} 行）`);
    if (!v.name) bad('name', '单位名称为空');
    else if (v.name.length > 100) bad('name', '单位名称最多 100 字');
    const kind = UNIT_KINDS.find((k) => k === v.kind || KIND_LABELS[k] === v.kind);
    if (!kind) bad('kind', `单位类型「${v.kind}」无效，可选：${Object.values(KIND_LABELS).join('、')}`);
    let categoryId: number | null = null;
    if (v.category) {
      categoryId = catBy.get(v.category) ?? null;
      if (categoryId === null) bad('category', `考评类别「${v.category}」不存在`);
    }
    const sort = v.sort === '' ? 0 : Number(v.sort);
    if (!Number.isInteger(sort) || sort < 0 || sort > 100000) bad('sort', `排序「${v.sort}」应为 0–100000 的整数`);
    if (v.active && v.active !== '启用' && v.active !== '停用') bad('active', `状态「${v.active}」应为 启用 或 停用`);
    if (kind === 'district' && v.parentCode) bad('parentCode', '「区」没有上级单位');
    if (kind && kind !== 'district' && !v.parentCode) bad('parentCode', '上级单位编码为空');
    if (ok)
      planned.set(v.code, {
        row,
        code: v.code,
        name: v.name,
        kind: kind!,
        parentCode: v.parentCode || null,
        categoryId,
        sort,
        active: v.active !== '停用',
      });
  }
  // Parents: in the database or in the file; and no unit may end up under itself.
  const parentOf = new Map<string, string | null>(
    existing.map((u) => [u.code, u.parentId ? (existing.find((p) => p.id === u.parentId)?.code ?? null) : null]),
  );
  for (const p of planned.values()) parentOf.set(p.code, p.parentCode);
  for (const p of planned.values()) {
    if (p.parentCode && !planned.has(p.parentCode) && !byCode.has(p.parentCode)) {
      err(p.row, 'parentCode', `上级单位编码「${p.parentCode}」不存在（系统和本表中都没有）`);
      continue;
    }
    const seen = new Set<string>([p.code]);
    for (let up = p.parentCode; up; up = parentOf.get(up) ?? null) {
      if (seen.has(up)) {
        err(p.row, 'parentCode', `上级单位「${p.parentCode}」会使单位成为其自身的下级`);
        break;
      }
      seen.add(up);
    }
  }
  if (errors.length) throw new ImportRefused(sortErrors(errors));

  // Parents before children: a unit is written once its parent (if in the file) has an id.
  const order: Planned[] = [];
  const placed = new Set<string>();
  const place = (p: Planned) => {
    if (placed.has(p.code)) return;
    placed.add(p.code);
    const parent = p.parentCode ? planned.get(p.parentCode) : undefined;
    if (parent) place(parent);
    order.push(p);
  };
  for (const p of planned.values()) place(p);

  return db.transaction(async (tx) => {
    const idOf = new Map(existing.map((u) => [u.code, u.id]));
    const audits: AuditEvent[] = [];
    const result = { created: 0, updated: 0, unchanged: 0 };
    for (const p of order) {
      const values = {
        code: p.code,
        name: p.name,
        kind: p.kind,
        parentId: p.parentCode ? idOf.get(p.parentCode)! : null,
        categoryId: p.categoryId,
        sort: p.sort,
        active: p.active,
      };
      const before = byCode.get(p.code);
      if (!before) {
        const row = await repo.insertUnit(tx, values);
        idOf.set(p.code, row.id);
        audits.push({
          action: 'unit.create',
          entityType: 'unit',
          entityId: row.id,
          unitId: row.id,
          after: { ...presentUnit(row), via: 'excel' },
        });
        result.created++;
        continue;
      }
      const same =
        before.name === values.name &&
        before.kind === values.kind &&
        before.parentId === values.parentId &&
        before.categoryId === values.categoryId &&
        before.sort === values.sort &&
        before.active === values.active;
      if (same) {
        result.unchanged++;
        continue;
      }
      const row = (await repo.updateUnit(tx, before.id, values))!;
      audits.push({
        action: 'unit.update',
        entityType: 'unit',
        entityId: before.id,
        unitId: before.id,
        before: presentUnit(before),
        after: { ...presentUnit(row), via: 'excel' },
      });
      result.updated++;
    }
    if (audits.length) await recordAudit(tx, actor, audits);
    return result;
  });
}

const sortErrors = (e: TImportError[]) => [...e].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
