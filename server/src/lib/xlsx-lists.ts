/**
 * Excel import and export of reference lists (units, users): a template with Chinese headers and an
 * instructions sheet, an export in the same columns (so an export imports back unchanged), and an
 * upload read safely (lib/xlsx-safe: sizes checked first, parsed in a worker) into rows of plain values
 * with a row/column error report, as the monthly data upload does. The module checks the rows and saves
 * all or nothing.
 */
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { AppError } from './errors.js';
import { readXlsxSafely, sheetCells } from './xlsx-safe.js';

export const ZImportError = z.object({ row: z.number(), column: z.string(), message: z.string() });
export type TImportError = z.infer<typeof ZImportError>;
export const ZImportResult = z.object({ created: z.number(), updated: z.number(), unchanged: z.number() });
export type TImportResult = z.infer<typeof ZImportResult>;

export type ListColumn<K extends string = string> = {
  key: K;
  header: string;
  required?: boolean;
  width?: number;
  note: string;
};

/** Rows most list imports take at once. */
export const MAX_LIST_ROWS = 5000;

export const colLetter = (c: number): string =>
  c <= 26
    ? String.fromCharCode(64 + c)
    : colLetter(Math.floor((c - 1) / 26)) + String.fromCharCode(65 + ((c - 1) % 26));

/** A workbook of one list: the header row, the rows, and a 说明 sheet describing each column. */
export async function listWorkbook<K extends string>(opts: {
  title: string;
  columns: readonly ListColumn<K>[];
  rows: Record<K, unknown>[];
}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Xiaoneng 效能';
  const ws = wb.addWorksheet(opts.title);
  ws.columns = opts.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 18 }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of opts.rows) ws.addRow(Object.fromEntries(opts.columns.map((c) => [c.key, r[c.key] ?? null])));
  const help = wb.addWorksheet('说明');
  help.columns = [
    { header: '列', key: 'h', width: 18 },
    { header: '必填', key: 'r', width: 8 },
    { header: '说明', key: 'n', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of opts.columns) help.addRow({ h: c.header, r: c.required ? '是' : '', n: c.note });
  help.addRow({});
  help.addRow({
    h: '导入规则',
    n: '全部行校验通过才会保存；有任何错误时不保存任何数据，并列出出错的行和列。按编码（账号）匹配已有记录：已有的更新，没有的新建。',
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export type ListRow<K extends string> = { row: number; values: Record<K, string> };

/**
 * Reads the first sheet of an uploaded list: headers matched to the columns by name, every cell as
 * trimmed text (numbers as written), formulas and error values refused per cell, empty rows skipped.
 * Problems with the file itself are thrown (AppError 400/413); problems with cells are in `errors`.
 */
export async function readListSheet<K extends string>(
  data: Buffer,
  columns: readonly ListColumn<K>[],
): Promise<{ rows: ListRow<K>[]; errors: TImportError[]; letters: Partial<Record<K, string>> }> {
  const book = await readXlsxSafely(data, { maxRows: MAX_LIST_ROWS + 1, maxCells: (MAX_LIST_ROWS + 1) * 40 });
  const sheet = book.sheets[0];
  if (!sheet)
    throw new AppError('VALIDATION', { field: 'file', zh: '文件中没有工作表', en: 'The file has no worksheet' });
  const cells = sheetCells(sheet);
  const errors: TImportError[] = [];
  const colOf = new Map<K, number>();
  for (let c = 1; c <= cells.maxColumn; c++) {
    const x = cells.cell(1, c);
    const h = x && 'value' in x && x.value !== null ? String(x.value).trim() : '';
    if (!h) continue;
    const col = columns.find((k) => k.header === h);
    if (!col) errors.push({ row: 1, column: colLetter(c), message: `未知的列「${h}」，请使用系统下载的模板` });
    else if (colOf.has(col.key)) errors.push({ row: 1, column: colLetter(c), message: `列「${h}」重复` });
    else colOf.set(col.key, c);
  }
  for (const c of columns)
    if (c.required && !colOf.has(c.key))
      errors.push({ row: 1, column: '', message: `缺少必需的列「${c.header}」，请使用系统下载的模板` });
  // Where each column is in this file (a file may order or omit the template's optional columns).
  const letters: Partial<Record<K, string>> = {};
  for (const [k, c] of colOf) letters[k] = colLetter(c);
  if (errors.length) return { rows: [], errors, letters };
  const rows: ListRow<K>[] = [];
  for (const [r, rowCells] of sheet.rows) {
    if (r < 2) continue;
    let bad = false;
    for (const [c, x] of rowCells) {
      if ('error' in x && [...colOf.values()].includes(c)) {
        errors.push({ row: r, column: colLetter(c), message: x.error });
        bad = true;
      }
    }
    if (bad) continue;
    const values = {} as Record<K, string>;
    let any = false;
    for (const c of columns) {
      const at = colOf.get(c.key);
      const x = at === undefined ? undefined : cells.cell(r, at);
      const v = x && 'value' in x && x.value !== null && x.value !== undefined ? String(x.value).trim() : '';
      values[c.key] = v;
      if (v) any = true;
    }
    if (any) rows.push({ row: r, values });
  }
  if (rows.length > MAX_LIST_ROWS)
    return {
      rows: [],
      errors: [{ row: 0, column: '', message: `行数过多（${rows.length} 行），一次最多导入 ${MAX_LIST_ROWS} 行` }],
      letters,
    };
  return { rows, errors, letters };
}

/** The column letter of a column key, for error reports (columns in template order). */
export function letterOf<K extends string>(columns: readonly ListColumn<K>[], key: K): string {
  return colLetter(columns.findIndex((c) => c.key === key) + 1);
}

/** Thrown by a list import that found problems: a 400 with the row/column report (nothing was saved). */
export class ImportRefused extends Error {
  constructor(readonly errors: TImportError[]) {
    super(`import refused: ${errors.length} problem(s)`);
  }
}
