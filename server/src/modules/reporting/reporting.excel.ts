/**
 * Excel (exceljs) for data collection: a per-unit, per-period template (one row per form field,
 * prefilled with codes and current values, choice lists, header and code columns protected),
 * uploading it back all-or-nothing with a row-level error report, and the matrix export.
 *
 * Layout decision: forms differ per leaf, so the template has one row per (leaf, field) rather
 * than one column per field; a leaf with a single-value form is one row.
 */
import ExcelJS from 'exceljs';
import type { Ctx } from '../../lib/context.js';
import { AppError, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import type { TIndicator } from '../performance/index.js';
import { getUnit, type TUnit } from '../units/index.js';
import { sameValues, type FormValues, type TFormField } from './reporting.forms.js';
import { canAccept, canFill } from './reporting.policy.js';
import * as repo from './reporting.repo.js';
import type { TExcelError, TExcelResult, TMatrix } from './reporting.schema.js';
import {
  assertPeriod,
  assertYearInForce,
  checkEntry,
  collectedLeavesFor,
  flagEntries,
  formOf,
  loadYearCtx,
  reportingClock,
  resolveYearId,
  viewerOf,
} from './reporting.service.js';
import { readXlsxSafely, sheetCells, type XlsxBook, type XlsxSheet } from '../../lib/xlsx-safe.js';

export const HEADERS = [
  '指标编码',
  '指标名称',
  '字段编码',
  '字段名称',
  '填报值',
  '计量单位',
  '当前值',
  '状态',
  '备注',
] as const;
type Header = (typeof HEADERS)[number];
const REQUIRED: Header[] = ['指标编码', '字段编码', '填报值'];
export const MAX_IMPORT_ROWS = 20000;
const KEYWORD_PREFIX = 'xiaoneng:reporting:';

const STATUS_ZH = { draft: '草稿', submitted: '已提交', leader_approved: '单位已审核', accepted: '已归档' } as const;

const colLetter = (n: number): string => {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

function fieldHint(f: TFormField): string {
  const parts: string[] = [];
  parts.push(
    {
      integer: '整数',
      decimal: '数值',
      percent: '百分数（填数字，如 95.5）',
      money: '金额（最多两位小数）',
      date: '日期 YYYY-MM-DD',
      text: '文本',
      single_choice: '单选',
      multi_choice: '多选（用顿号分隔）',
      file: '附件',
    }[f.type],
  );
  if (f.required) parts.push('必填');
  if (f.min !== null) parts.push(`≥ ${f.min}`);
  if (f.max !== null) parts.push(`≤ ${f.max}`);
  if (f.options.length) parts.push(`可选：${f.options.map((o) => o.label).join('、')}`);
  if (f.cumulative) parts.push('累计值，不应低于上月');
  if (f.help) parts.push(f.help);
  return parts.join('；');
}

/** How a stored value is written into a cell (choices as their labels). */
function cellOf(f: TFormField, v: FormValues[string] | undefined): string | number | null {
  if (v === null || v === undefined) return null;
  if (f.type === 'single_choice') return f.options.find((o) => o.value === v)?.label ?? String(v);
  if (f.type === 'multi_choice' && Array.isArray(v))
    return (v as string[]).map((x) => f.options.find((o) => o.value === x)?.label ?? x).join('、');
  if (Array.isArray(v)) return v.join(',');
  return v;
}

async function excelTarget(ctx: Ctx, unitId: number, period: string, write: boolean) {
  const v = await viewerOf(ctx);
  const yc = await loadYearCtx(ctx.db, await resolveYearId(ctx.db));
  const probe = { assessingUnitId: null, dataSource: 'self_report' };
  const allowed = write ? canFill(v, unitId, probe) : canFill(v, unitId, probe) || canAccept(v, { unitId });
  if (!allowed) throw notFound();
  const unit: TUnit = await getUnit(ctx.db, unitId);
  const leaves = collectedLeavesFor(yc, unit).filter((l) => l.dataSource === 'self_report');
  return { v, yc, unit, leaves };
}

/** The template for a unit and period, prefilled with the current values. */
export async function excelTemplate(
  ctx: Ctx,
  unitId: number,
  period: string,
): Promise<{ buffer: Buffer; filename: string }> {
  const { yc, unit, leaves } = await excelTarget(ctx, unitId, period, false);
  assertPeriod(yc, period, reportingClock.now());
  const current = new Map(
    (
      await repo.findForUnitPeriod(
        ctx.db,
        unit.id,
        period,
        leaves.map((l) => l.id),
      )
    ).map((r) => [r.indicatorId, r]),
  );
  const wb = new ExcelJS.Workbook();
  wb.creator = '效能';
  wb.keywords = `${KEYWORD_PREFIX}${unit.code}:${period}`;
  wb.title = `${unit.name} ${period} 数据填报`;
  const ws = wb.addWorksheet(`${period}数据填报`, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '指标编码', width: 14 },
    { header: '指标名称', width: 36 },
    { header: '字段编码', width: 16 },
    { header: '字段名称', width: 24 },
    { header: '填报值', width: 18 },
    { header: '计量单位', width: 10 },
    { header: '当前值', width: 16 },
    { header: '状态', width: 12 },
    { header: '备注', width: 48 },
  ];
  const header = ws.getRow(1);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF8E1414' } };
  header.alignment = { vertical: 'middle' };
  for (const leaf of leaves) {
    const { definition } = formOf(yc, leaf);
    const sub = current.get(leaf.id);
    const editable = !sub || sub.status === 'draft';
    for (const f of definition.fields) {
      if (f.type === 'file') continue; // files are uploaded in the system, not through Excel
      const cur = cellOf(f, sub?.fields?.[f.key]);
      const row = ws.addRow([
        leaf.code,
        leaf.name,
        f.key,
        f.label,
        cur,
        f.unit || leaf.unitOfMeasure,
        cur,
        sub ? STATUS_ZH[sub.status] + (sub.status === 'draft' && sub.returnReason ? '（已退回）' : '') : '未填报',
        editable ? fieldHint(f) : `${fieldHint(f)}；已提交或归档，不能通过导入修改`,
      ]);
      const cell = row.getCell(5);
      if (editable) {
        cell.protection = { locked: false };
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF7E6' } };
      }
      if (f.type === 'single_choice' || f.type === 'multi_choice') {
        const list = f.options.map((o) => o.label.replace(/[",]/g, ' ')).join(',');
        if (f.type === 'single_choice' && list.length <= 250) {
          cell.dataValidation = {
            type: 'list',
            allowBlank: !f.required,
            formulae: [`"${list}"`],
            showErrorMessage: true,
            errorTitle: '取值无效',
            error: `请选择：${list}`,
          };
        }
      } else if (f.type === 'integer' || f.type === 'decimal' || f.type === 'percent' || f.type === 'money') {
        cell.dataValidation = {
          type: f.type === 'integer' ? 'whole' : 'decimal',
          operator: 'between',
          allowBlank: !f.required,
          formulae: [f.min ?? -1e12, f.max ?? 1e12],
          showErrorMessage: true,
          errorTitle: '数值无效',
          error: fieldHint(f),
        };
      }
    }
  }
  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, autoFilter: true });
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer, filename: `${unit.code}-${period}-数据填报.xlsx` };
}

type ParsedRow = { row: number; code: string; key: string; raw: unknown; valueCol: string };

const text = (x: unknown) => (x === null || x === undefined ? '' : String(x).trim());

/** Parses the sheet (plain cells from lib/xlsx-safe): header check, formula check, and one entry per non-empty row. */
function parseSheet(sheet: XlsxSheet, errors: TExcelError[]): ParsedRow[] {
  const ws = sheetCells(sheet);
  const valueAt = (r: number, c: number): unknown => {
    const x = ws.cell(r, c);
    return x && 'value' in x ? x.value : null;
  };
  const col = new Map<Header, number>();
  for (let c = 1; c <= ws.maxColumn; c++) {
    const h = text(valueAt(1, c));
    if (!h) continue;
    if (!(HEADERS as readonly string[]).includes(h)) {
      errors.push({ row: 1, column: colLetter(c), message: `未知的列「${h}」，请使用系统下载的模板` });
      continue;
    }
    if (col.has(h as Header)) errors.push({ row: 1, column: colLetter(c), message: `列「${h}」重复` });
    col.set(h as Header, c);
  }
  for (const h of REQUIRED)
    if (!col.has(h)) errors.push({ row: 1, column: '', message: `缺少必需的列「${h}」，请使用系统下载的模板` });
  if (errors.length) return [];
  const out: ParsedRow[] = [];
  const dataRows = sheet.rows.filter(([r]) => r >= 2);
  if (dataRows.length > MAX_IMPORT_ROWS) {
    errors.push({
      row: 0,
      column: '',
      message: `行数过多（${dataRows.length} 行），一次最多导入 ${MAX_IMPORT_ROWS} 行`,
    });
    return [];
  }
  const valueC = col.get('填报值')!;
  for (const [r, cells] of dataRows) {
    let bad = false;
    for (const [c, x] of cells) {
      if ('error' in x) {
        errors.push({ row: r, column: colLetter(c), message: x.error });
        bad = true;
      }
    }
    if (bad) continue;
    const code = text(valueAt(r, col.get('指标编码')!));
    const key = text(valueAt(r, col.get('字段编码')!));
    const raw = valueAt(r, valueC);
    if (!code && !key && (raw === null || text(raw) === '')) continue;
    if (!code) {
      errors.push({ row: r, column: colLetter(col.get('指标编码')!), message: '指标编码为空' });
      continue;
    }
    if (!key) {
      errors.push({ row: r, column: colLetter(col.get('字段编码')!), message: '字段编码为空' });
      continue;
    }
    out.push({ row: r, code, key, raw: typeof raw === 'string' ? raw.trim() : raw, valueCol: colLetter(valueC) });
  }
  return out;
}

/** The outcome of an upload: saved, or refused with every problem found (nothing saved). */
export type ImportOutcome = { ok: true; result: TExcelResult } | { ok: false; errors: TExcelError[] };

/**
 * Imports a filled template for a unit and period, all-or-nothing: every row is checked (columns,
 * formulas, types, ranges, rules, leaves not applicable, protected data) and either all changed
 * leaves are saved as drafts in one transaction, or nothing is and the errors are returned.
 */
export async function importExcel(ctx: Ctx, unitId: number, period: string, data: Buffer): Promise<ImportOutcome> {
  const t0 = Date.now();
  const { v, yc, unit, leaves } = await excelTarget(ctx, unitId, period, true);
  assertYearInForce(yc);
  const now = reportingClock.now();
  assertPeriod(yc, period, now);
  const errors: TExcelError[] = [];
  const fail = (message: string): ImportOutcome => ({ ok: false, errors: [{ row: 0, column: '', message }] });
  if (data.length < 4 || data[0] !== 0x50 || data[1] !== 0x4b)
    return fail('文件不是有效的 Excel（.xlsx）文件，请使用系统下载的模板');
  let wb: XlsxBook;
  try {
    // Sizes, rows and cells checked before loading, in a worker thread (a zip bomb gets a quick 413).
    wb = await readXlsxSafely(data, { maxRows: MAX_IMPORT_ROWS + 1 });
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION') return fail(err.zh);
    throw err;
  }
  const kw = wb.keywords;
  if (kw.startsWith(KEYWORD_PREFIX) && kw !== `${KEYWORD_PREFIX}${unit.code}:${period}`) {
    const [code, p] = kw.slice(KEYWORD_PREFIX.length).split(':');
    return fail(`该模板属于单位 ${code} 的 ${p} 填报期，与当前选择（${unit.code} ${period}）不一致`);
  }
  const ws = wb.sheets[0];
  if (!ws) return fail('文件中没有工作表');
  const rows = parseSheet(ws, errors);
  const tParse = Date.now();

  const applicable = new Map(leaves.map((l) => [l.code, l]));
  const allByCode = new Map(yc.indicators.map((i) => [i.code, i]));
  const groups = new Map<number, { ind: TIndicator; rows: ParsedRow[]; raw: Record<string, unknown> }>();
  for (const r of rows) {
    const ind = applicable.get(r.code);
    if (!ind) {
      const other = allByCode.get(r.code);
      errors.push({
        row: r.row,
        column: 'A',
        message: !other
          ? `指标编码「${r.code}」不存在`
          : other.dataSource !== 'self_report' && yc.leafIds.has(other.id)
            ? `指标「${r.code}」的数据由考评主体或系统提供，不能在此填报`
            : `指标「${r.code} ${other.name}」不适用于${unit.name}`,
      });
      continue;
    }
    const form = formOf(yc, ind).definition;
    const field = form.fields.find((f) => f.key === r.key);
    if (!field || field.type === 'file') {
      errors.push({ row: r.row, column: 'C', message: `指标「${r.code}」的表单中没有字段「${r.key}」` });
      continue;
    }
    const g = groups.get(ind.id) ?? { ind, rows: [], raw: {} };
    if (r.key in g.raw) {
      errors.push({ row: r.row, column: 'C', message: `指标「${r.code}」的字段「${r.key}」重复出现` });
      continue;
    }
    g.raw[r.key] = r.raw;
    g.rows.push(r);
    groups.set(ind.id, g);
  }
  const existing = new Map(
    (await repo.findForUnitPeriod(ctx.db, unit.id, period, [...groups.keys()])).map((s) => [s.indicatorId, s]),
  );
  type Change = {
    ind: TIndicator;
    values: FormValues;
    scoreValue: number | null;
    version: number;
    existing: repo.SubmissionRow | null;
  };
  const changes: Change[] = [];
  let unchanged = 0;
  let skipped = 0;
  for (const g of groups.values()) {
    const form = formOf(yc, g.ind).definition;
    const ex = existing.get(g.ind.id) ?? null;
    const filled = Object.values(g.raw).some((x) => x !== null && text(x) !== '');
    if (!filled && !ex) {
      skipped++;
      continue;
    }
    // File fields are not in the sheet: keep what the submission has.
    const raw: Record<string, unknown> = { ...g.raw };
    for (const f of form.fields) if (f.type === 'file') raw[f.key] = ex?.fields?.[f.key] ?? null;
    const c = checkEntry(yc, g.ind, raw);
    if (c.errors.length) {
      for (const e of c.errors) {
        const key = e.field.startsWith('values.') ? e.field.slice(7) : null;
        const at = g.rows.find((r) => r.key === key) ?? g.rows[0];
        errors.push({ row: at.row, column: at.valueCol, message: `指标「${g.ind.code}」${e.zh}` });
      }
      continue;
    }
    if (ex && sameValues(ex.fields ?? {}, c.values)) {
      unchanged++;
      continue;
    }
    if (ex && ex.status !== 'draft') {
      errors.push({
        row: g.rows[0].row,
        column: g.rows[0].valueCol,
        message:
          ex.status === 'accepted'
            ? `指标「${g.ind.code}」${period} 的数据已审核归档，受保护不能通过导入修改；如需更正请提出修订申请`
            : `指标「${g.ind.code}」${period} 的数据已提交审核，不能通过导入修改`,
      });
      continue;
    }
    changes.push({ ind: g.ind, values: c.values, scoreValue: c.scoreValue, version: c.version, existing: ex });
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.row - b.row).slice(0, 1000) };
  const tValidate = Date.now();

  const who = { name: ctx.user?.displayName ?? ctx.actor.name, at: now };
  const flags = await flagEntries(
    ctx.db,
    yc,
    unit,
    period,
    changes.map((c) => ({
      ind: c.ind,
      values: c.values,
      scoreValue: c.scoreValue,
      existing: c.existing,
      confirmations: [],
    })),
    who,
  );
  await ctx.db.transaction(async (tx) => {
    const saved = await repo.upsertDrafts(
      tx,
      changes.map((c, i) => ({
        yearId: yc.year.id,
        indicatorId: c.ind.id,
        unitId: unit.id,
        period,
        source: 'self_report' as const,
        value: c.scoreValue,
        fields: c.values,
        flags: flags[i],
        formVersion: c.version,
        enteredBy: v.user.id,
        enteredByName: who.name,
      })),
      now,
    );
    // A row that turned non-draft meanwhile was not updated: refuse the whole file.
    if (saved.length !== changes.length)
      throw new AppError('INVALID_STATE', {
        zh: '部分数据在导入期间已被提交，请重新下载模板',
        en: 'Some data were submitted meanwhile; download the template again',
      });
    await repo.insertEvents(
      tx,
      saved.map((s) => ({
        submissionId: s.id,
        action: 'import',
        fromStatus: 'draft',
        toStatus: 'draft',
        comment: null,
        actorId: v.user.id,
        actorName: who.name,
      })),
    );
    await recordAudit(tx, ctx.actor, {
      action: 'submission.import',
      entityType: 'submission',
      entityId: null,
      unitId: unit.id,
      after: { period, rows: rows.length, saved: changes.map((c) => [c.ind.id, c.scoreValue]) },
    });
  });
  const tSave = Date.now();
  return {
    ok: true,
    result: {
      saved: changes.length,
      unchanged,
      skipped,
      flagged: flags.filter((f) => f.length).length,
      rows: rows.length,
      ms: { parse: tParse - t0, validate: tValidate - tParse, save: tSave - tValidate },
    },
  };
}

const MATRIX_LABELS: Record<string, { zh: string; argb: string | null }> = {
  '.': { zh: '', argb: 'FFF0F0F0' },
  '-': { zh: '未到期', argb: null },
  o: { zh: '逾期未报', argb: 'FFFFA39E' },
  d: { zh: '草稿', argb: 'FFFFF1B8' },
  r: { zh: '已退回', argb: 'FFFFD591' },
  R: { zh: '已退回(迟报)', argb: 'FFFFD591' },
  s: { zh: '已提交', argb: 'FFBAE0FF' },
  S: { zh: '已提交(迟报)', argb: 'FFBAE0FF' },
  l: { zh: '单位已审', argb: 'FFADC6FF' },
  L: { zh: '单位已审(迟报)', argb: 'FFADC6FF' },
  a: { zh: '已归档', argb: 'FFB7EB8F' },
  A: { zh: '已归档(迟报)', argb: 'FFB7EB8F' },
};

/** The matrix as a workbook: units down, leaves across, a status label per cell. */
export async function matrixWorkbook(m: TMatrix, categories: Map<number, string>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '效能';
  const ws = wb.addWorksheet(`${m.period}填报情况`, { views: [{ state: 'frozen', xSplit: 3, ySplit: 1 }] });
  ws.addRow(['单位编码', '单位名称', '考评类别', ...m.indicators.map((i) => `${i.code} ${i.name}`)]);
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { wrapText: true, vertical: 'top' };
  ws.getColumn(1).width = 10;
  ws.getColumn(2).width = 26;
  ws.getColumn(3).width = 14;
  for (let c = 0; c < m.indicators.length; c++) ws.getColumn(4 + c).width = 12;
  const flagged = new Set(m.flagged.map(([u, i]) => `${u}:${i}`));
  m.units.forEach((u, ui) => {
    const cells = [...m.cells[ui]];
    const row = ws.addRow([
      u.code,
      u.name,
      u.categoryId === null ? '' : (categories.get(u.categoryId) ?? ''),
      ...cells.map((ch, i) => (MATRIX_LABELS[ch]?.zh ?? ch) + (flagged.has(`${ui}:${i}`) ? '⚑' : '')),
    ]);
    cells.forEach((ch, i) => {
      const argb = MATRIX_LABELS[ch]?.argb;
      if (argb) row.getCell(4 + i).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb } };
    });
  });
  const legend = wb.addWorksheet('图例');
  legend.addRow(['标记', '含义']);
  for (const [k, x] of Object.entries(MATRIX_LABELS)) if (x.zh) legend.addRow([k, x.zh]);
  legend.addRow(['⚑', '有异常提示']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
