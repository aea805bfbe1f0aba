/**
 * The catalogue in Excel (export, and an import that checks every row and saves all or nothing, matched
 * by item code), and the figures table. Steps travel in one cell: stages separated by「；」, parallel steps
 * of a stage by「|」, each step as 名称@单位编码:工作日 (e.g. 受理@ZWFW:0；审查@SJJ:3|审查@GSJ:3；决定@SJJ:2；送达@ZWFW:1);
 * the first stage is the acceptance, the last the delivery, a name with「决定」a decision step.
 */
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
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
import { recordAudit } from '../audit/index.js';
import * as repo from './services.repo.js';
import { ZItemInput, type TFigure, type TItemInput } from './services.schema.js';
import { ITEM_KINDS, serviceItems, type ItemKind, type ItemStep } from './services.table.js';

type Key =
  | 'code'
  | 'name'
  | 'kind'
  | 'department'
  | 'legalDays'
  | 'committedDays'
  | 'materials'
  | 'fees'
  | 'channel'
  | 'steps'
  | 'guide'
  | 'active';

export const KIND_LABELS: Record<ItemKind, string> = {
  license: '行政许可',
  payment: '行政给付',
  confirmation: '行政确认',
  public_service: '公共服务',
  other: '其他行政权力',
};
const CHANNEL_LABELS = { online: '网上办理', window: '窗口办理', both: '网上和窗口' } as const;

export const ITEM_COLUMNS: readonly ListColumn<Key>[] = [
  {
    key: 'code',
    header: '事项编码',
    required: true,
    note: '唯一编码：字母、数字、_ 和 -，最多 32 位；已有编码的事项会被更新',
  },
  { key: 'name', header: '事项名称', required: true, width: 30, note: '最多 100 字' },
  { key: 'kind', header: '事项类型', required: true, note: Object.values(KIND_LABELS).join('、') },
  { key: 'department', header: '责任部门编码', required: true, note: '系统中已有的单位编码' },
  { key: 'legalDays', header: '法定时限（工作日）', required: true, note: '整数，0–365' },
  { key: 'committedDays', header: '承诺时限（工作日）', required: true, note: '整数，不超过法定时限；0 为即办件' },
  { key: 'materials', header: '申请材料', width: 40, note: '用「；」分隔；名称后加「（选）」为非必需材料' },
  { key: 'fees', header: '收费标准', note: '最多 200 字；不收费写「不收费」' },
  { key: 'channel', header: '办理方式', note: Object.values(CHANNEL_LABELS).join('、') },
  {
    key: 'steps',
    header: '审批环节',
    required: true,
    width: 60,
    note: '阶段用「；」分隔，同一阶段的并联环节用「|」分隔，每个环节写 名称@单位编码:工作日。第一阶段为受理，最后阶段为送达',
  },
  { key: 'guide', header: '办事指南', width: 40, note: '最多 5000 字' },
  { key: 'active', header: '状态', width: 8, note: '启用 或 停用；空为启用' },
];

async function unitCodes(db: Db) {
  const r = await repo.rows<{ id: number; code: string }>(db, sql`SELECT id, code FROM units`);
  return { byCode: new Map(r.map((u) => [u.code, u.id])), byId: new Map(r.map((u) => [u.id, u.code])) };
}

export function stepsText(steps: readonly ItemStep[], codeOf: Map<number, string>): string {
  const seqs = [...new Set(steps.map((s) => s.seq))].sort((a, b) => a - b);
  return seqs
    .map((q) =>
      steps
        .filter((s) => s.seq === q)
        .map((s) => `${s.name}@${codeOf.get(s.departmentId) ?? s.departmentId}:${s.days}`)
        .join('|'),
    )
    .join('；');
}

/** Parses the steps cell; throws a message on a malformed one. */
export function parseSteps(text: string, idOf: Map<string, number>): ItemStep[] {
  const stages = text
    .split(/[；;]/)
    .map((x) => x.trim())
    .filter(Boolean);
  const out: ItemStep[] = [];
  stages.forEach((stage, i) => {
    for (const part of stage.split('|').map((x) => x.trim())) {
      const m = /^(.+?)@([A-Za-z0-9_-]+)[:：](\d+)$/.exec(part);
      if (!m) throw new Error(`环节「${part}」应写成 名称@单位编码:工作日`);
      const departmentId = idOf.get(m[2]);
      if (!departmentId) throw new Error(`单位编码「${m[2]}」不存在`);
      const phase =
        i === 0 ? 'accept' : i === stages.length - 1 ? 'deliver' : m[1].includes('决定') ? 'decide' : 'review';
      out.push({ seq: i + 1, phase, name: m[1].trim(), departmentId, days: Number(m[3]) });
    }
  });
  return out;
}

export async function itemsWorkbook(db: Db): Promise<Buffer> {
  const [items, codes] = await Promise.all([db.select().from(serviceItems).orderBy(serviceItems.code), unitCodes(db)]);
  return listWorkbook({
    title: '事项目录',
    columns: ITEM_COLUMNS,
    rows: items.map((i) => ({
      code: i.code,
      name: i.name,
      kind: KIND_LABELS[i.kind],
      department: codes.byId.get(i.departmentId) ?? '',
      legalDays: i.legalDays,
      committedDays: i.committedDays,
      materials: i.materials.map((x) => (x.required ? x.name : `${x.name}（选）`)).join('；'),
      fees: i.fees,
      channel: CHANNEL_LABELS[i.channel],
      steps: stepsText(i.steps, codes.byId),
      guide: i.guide,
      active: i.active ? '启用' : '停用',
    })),
  });
}

/** Imports the catalogue: every row checked first (nothing saved on any error), matched by code. */
export async function importItems(db: Db, actor: Actor, data: Buffer): Promise<TImportResult> {
  const { rows, errors } = await readListSheet(data, ITEM_COLUMNS);
  const codes = await unitCodes(db);
  const parsed: { row: number; v: TItemInput }[] = [];
  const err = (row: number, key: Key, message: string): TImportError => ({
    row,
    column: letterOf(ITEM_COLUMNS, key),
    message,
  });
  const kindOf = new Map<string, ItemKind>([
    ...ITEM_KINDS.map((k) => [k, k] as [string, ItemKind]),
    ...Object.entries(KIND_LABELS).map(([k, v]) => [v, k as ItemKind] as [string, ItemKind]),
  ]);
  const channelOf = new Map<string, 'online' | 'window' | 'both'>(
    Object.entries(CHANNEL_LABELS).flatMap(([k, v]) => [
      [k, k as 'online'],
      [v, k as 'online'],
    ]),
  );
  const seen = new Set<string>();
  for (const r of rows) {
    const x = r.values;
    const kind = kindOf.get(x.kind);
    if (!kind) errors.push(err(r.row, 'kind', `未知的事项类型「${x.kind}」`));
    const departmentId = codes.byCode.get(x.department);
    if (!departmentId) errors.push(err(r.row, 'department', `单位编码「${x.department}」不存在`));
    let steps: ItemStep[] = [];
    try {
      steps = parseSteps(x.steps, codes.byCode);
    } catch (e) {
      errors.push(err(r.row, 'steps', (e as Error).message));
    }
    if (seen.has(x.code)) errors.push(err(r.row, 'code', `事项编码「${x.code}」在表中重复`));
    seen.add(x.code);
    const candidate = {
      code: x.code,
      name: x.name,
      kind,
      departmentId,
      legalDays: Number(x.legalDays),
      committedDays: Number(x.committedDays),
      materials: x.materials
        .split(/[；;]/)
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => ({ name: s.replace(/[（(]选[）)]$/, ''), required: !/[（(]选[）)]$/.test(s) })),
      fees: x.fees,
      channel: x.channel ? channelOf.get(x.channel) : 'both',
      guide: x.guide,
      steps,
      active: x.active !== '停用',
    };
    if (!kind || !departmentId || !steps.length) continue;
    const p = ZItemInput.safeParse(candidate);
    if (!p.success) {
      const issue = p.error.issues[0];
      const key = (ITEM_COLUMNS.find((c) => c.key === issue.path[0])?.key ?? 'steps') as Key;
      errors.push(err(r.row, key, `「${ITEM_COLUMNS.find((c) => c.key === key)!.header}」不正确：${issue.message}`));
      continue;
    }
    parsed.push({ row: r.row, v: p.data });
  }
  if (errors.length) throw new ImportRefused(errors);
  const result = { created: 0, updated: 0, unchanged: 0 };
  await db.transaction(async (tx) => {
    for (const { v } of parsed) {
      const parallel = v.steps.some((s) => v.steps.filter((t) => t.seq === s.seq).length > 1);
      const [old] = await tx.select().from(serviceItems).where(eq(serviceItems.code, v.code)).for('update');
      if (old) {
        const same =
          JSON.stringify({ ...v }) ===
          JSON.stringify({
            code: old.code,
            name: old.name,
            kind: old.kind,
            departmentId: old.departmentId,
            legalDays: old.legalDays,
            committedDays: old.committedDays,
            materials: old.materials,
            fees: old.fees,
            channel: old.channel,
            guide: old.guide,
            steps: old.steps,
            active: old.active,
          });
        if (same) {
          result.unchanged++;
          continue;
        }
        await tx
          .update(serviceItems)
          .set({ ...v, parallel, updatedAt: new Date() })
          .where(eq(serviceItems.id, old.id));
        result.updated++;
      } else {
        await tx.insert(serviceItems).values({ ...v, parallel });
        result.created++;
      }
    }
    await recordAudit(tx, actor, {
      action: 'services.items_import',
      entityType: 'service_item',
      entityId: null,
      after: result,
    });
  });
  return result;
}

export async function figuresWorkbook(rows: readonly TFigure[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Xiaoneng 效能';
  const ws = wb.addWorksheet('办件统计');
  ws.columns = [
    { header: '部门', key: 'departmentName', width: 24 },
    { header: '申请', key: 'applications', width: 10 },
    { header: '办结', key: 'completed', width: 10 },
    { header: '提前办结', key: 'early', width: 10 },
    { header: '提前办结率%', key: 'earlyRate', width: 12 },
    { header: '按时办结', key: 'onTime', width: 10 },
    { header: '按时办结率%', key: 'onTimeRate', width: 12 },
    { header: '超时', key: 'overdue', width: 8 },
    { header: '不予许可', key: 'refused', width: 10 },
    { header: '平均用时（工作日）', key: 'avgDaysUsed', width: 16 },
    { header: '平均承诺时限', key: 'avgDaysCommitted', width: 14 },
    { header: '补正', key: 'corrections', width: 8 },
    { header: '投诉', key: 'complaints', width: 8 },
    { header: '好差评（条）', key: 'rated', width: 12 },
    { header: '好评率%', key: 'satisfaction', width: 10 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
