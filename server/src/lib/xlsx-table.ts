/**
 * Excel exports of the tables users see (rankings, a unit's scores, publications, the review queue,
 * cases, the audit log, …): one sheet with a title line, Chinese headers, number formats, frozen
 * header and auto filter. Each export route takes the same filters as its list and writes exactly
 * the rows those filters show (no paging), then sends the file with sendXlsx (lib/xlsx-http).
 */
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { sendXlsx } from './xlsx-http.js';

export type TableColumn<R> = {
  header: string;
  /** The cell value: numbers stay numbers (formatted by `format`), dates as text 'YYYY-MM-DD HH:mm'. */
  value: (row: R) => string | number | boolean | null | undefined;
  width?: number;
  /** Excel number format: 'int' → 0, 'score' → 0.00, 'pct' → 0.0% (values 0–1), or a format code. */
  format?: 'int' | 'score' | 'pct' | string;
};

const FORMATS: Record<string, string> = { int: '0', score: '0.00', pct: '0.0%' };

/** Rows an export writes at most (a filter narrows bigger lists). */
export const MAX_EXPORT_ROWS = 100_000;

/** A workbook of one table: line 1 the title (and what the filters were), line 2 the headers, then the rows. */
export async function tableWorkbook<R>(opts: {
  sheet: string;
  title: string;
  columns: readonly TableColumn<R>[];
  rows: readonly R[];
}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Xiaoneng 效能';
  // Sheet names: at most 31 characters, none of : \ / ? * [ ].
  const ws = wb.addWorksheet(opts.sheet.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1');
  const n = opts.columns.length;
  ws.columns = opts.columns.map((c) => ({ width: c.width ?? 16 }));
  const title = ws.addRow([opts.title]);
  title.font = { bold: true, size: 13 };
  if (n > 1) ws.mergeCells(1, 1, 1, n);
  const head = ws.addRow(opts.columns.map((c) => c.header));
  head.font = { bold: true };
  head.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F0F0' } };
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
  for (const r of opts.rows.slice(0, MAX_EXPORT_ROWS))
    ws.addRow(
      opts.columns.map((c) => {
        const v = c.value(r);
        return v === undefined ? null : v;
      }),
    );
  opts.columns.forEach((c, k) => {
    if (c.format) ws.getColumn(k + 1).numFmt = FORMATS[c.format] ?? c.format;
  });
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  if (n) ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: n } };
  ws.pageSetup = {
    paperSize: 9,
    orientation: n > 8 ? 'landscape' : 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
  };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Builds and sends a table export: `name` the Chinese file name, `fallback` an ASCII one. */
export async function sendTable<R>(
  reply: FastifyReply,
  file: { name: string; fallback: string },
  opts: Parameters<typeof tableWorkbook<R>>[0],
) {
  return sendXlsx(reply, await tableWorkbook(opts), file.name, file.fallback);
}

/** 'YYYY-MM-DD HH:mm' in Beijing time (the one date format of exports). */
export function exportTime(iso: string | Date | null | undefined): string {
  if (!iso) return '';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return '';
  const b = new Date(d.getTime() + 8 * 3600_000);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${b.getUTCFullYear()}-${p(b.getUTCMonth() + 1)}-${p(b.getUTCDate())} ${p(b.getUTCHours())}:${p(b.getUTCMinutes())}`;
}

/** Reads an exported table back (tests): the title, the headers and the rows as plain values. */
export async function readTable(
  data: Buffer | Uint8Array,
): Promise<{ title: string; headers: string[]; rows: unknown[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0];
  const values = (r: number) => {
    const row = ws.getRow(r).values as unknown[];
    return row.slice(1).map((v) => (v === undefined ? null : v));
  };
  const rows: unknown[][] = [];
  for (let r = 3; r <= ws.rowCount; r++) rows.push(values(r));
  return { title: String(ws.getCell(1, 1).value ?? ''), headers: values(2).map(String), rows };
}
