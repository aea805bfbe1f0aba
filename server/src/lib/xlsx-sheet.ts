/**
 * Plain workbooks of lists and figures (a desk's ledger, its statistics by kind, unit and month): each
 * sheet a bold header row, one row per item, and a bold total row where there is one. Exports of a
 * page's table with a title line and filters use tableWorkbook (xlsx-table.ts) instead.
 */
import ExcelJS from 'exceljs';

export type SheetColumn<R> = { header: string; width: number; value: (row: R) => ExcelJS.CellValue };

export type Sheet<R> = {
  name: string;
  columns: readonly SheetColumn<R>[];
  rows: readonly R[];
  /** A last row in bold (合计). */
  total?: R;
};

/** Columns that show a field of the row as it is: `[header, key, width]`. */
export function fieldColumns<R>(spec: readonly (readonly [string, keyof R & string, number])[]): SheetColumn<R>[] {
  return spec.map(([header, key, width]) => ({ header, width, value: (r) => r[key] as ExcelJS.CellValue }));
}

/** The workbook's bytes: `build` adds the sheets, in order. */
export async function sheetsWorkbook(build: (add: <R>(sheet: Sheet<R>) => void) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build((s) => {
    const ws = wb.addWorksheet(s.name);
    ws.columns = s.columns.map((c) => ({ header: c.header, width: c.width }));
    ws.getRow(1).font = { bold: true };
    for (const r of s.rows) ws.addRow(s.columns.map((c) => c.value(r)));
    if (s.total !== undefined) ws.addRow(s.columns.map((c) => c.value(s.total!))).font = { bold: true };
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A sheet of figures by one dimension (kind, unit, month): the label column first, then the figures;
 * with `total`, a last row 合计 in bold.
 */
export function figuresSheet<C>(o: {
  name: string;
  label: { header: string; width: number };
  columns: readonly SheetColumn<C>[];
  rows: readonly { label: string; figures: C }[];
  total?: C;
}): Sheet<{ label: string; figures: C }> {
  return {
    name: o.name,
    columns: [
      { ...o.label, value: (r) => r.label },
      ...o.columns.map((c) => ({ ...c, value: (r: { figures: C }) => c.value(r.figures) })),
    ],
    rows: o.rows,
    total: o.total === undefined ? undefined : { label: '合计', figures: o.total },
  };
}
