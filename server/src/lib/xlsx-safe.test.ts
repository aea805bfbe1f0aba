import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { cellBomb, sheetXml, zip } from '../test/xlsx-bombs.js';
import { readXlsxSafely, zipEntries } from './xlsx-safe.js';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('readXlsxSafely', () => {
  it('refuses a cell bomb quickly with 413, without loading it', async () => {
    const bomb = cellBomb();
    expect(bomb.length).toBeLessThan(600_000);
    const t0 = Date.now();
    const err = await refusal(readXlsxSafely(bomb));
    expect(err.status).toBe(413);
    expect(err.zh).toMatch(/单元格过多|行数过多/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('refuses a file whose declared unpacked size is too big at once, from the central directory', async () => {
    const honest = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(70 * 1024 * 1024, 0x20) }]);
    expect(() => zipEntries(honest)).toThrow(/unpacks to more than 60 MB/);
    expect((await refusal(readXlsxSafely(honest))).status).toBe(413);
  });

  it('refuses a file that lies about its sizes when inflating it goes over the limit', async () => {
    const liar = zip([
      { name: 'xl/sharedStrings.xml', data: Buffer.alloc(70 * 1024 * 1024, 0x20), declaredSize: 1000 },
    ]);
    expect(() => zipEntries(liar)).not.toThrow();
    const err = await refusal(readXlsxSafely(liar));
    expect(err.status).toBe(413);
    expect(err.en).toMatch(/unpacks to more than 60 MB/);
  });

  it('refuses what is not a zip, or a broken one, with 400', async () => {
    expect((await refusal(readXlsxSafely(Buffer.from('hello world, not a zip at all')))).status).toBe(400);
    const broken = zip([{ name: 'xl/worksheets/sheet1.xml', data: sheetXml(3, 3) }]);
    broken.writeUInt32LE(0xdeadbeef, 0);
    broken[0] = 0x50;
    broken[1] = 0x4b;
    expect((await refusal(readXlsxSafely(broken))).status).toBe(400);
  });

  it('reads a legitimate workbook into plain cells (formulas and booleans reported per cell)', async () => {
    const wb = new ExcelJS.Workbook();
    wb.keywords = 'xn:test';
    const ws = wb.addWorksheet('数据');
    ws.addRow(['编码', '名称', '值']);
    ws.addRow(['A1', '指标', 12.5]);
    ws.addRow(['A2', { formula: '1+1', result: 2 }, true]);
    const book = await readXlsxSafely(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(book.keywords).toBe('xn:test');
    expect(book.sheets[0].name).toBe('数据');
    expect(book.sheets[0].rows[1]).toEqual([
      2,
      [
        [1, { value: 'A1' }],
        [2, { value: '指标' }],
        [3, { value: 12.5 }],
      ],
    ]);
    expect(book.sheets[0].rows[2][1][1][1]).toMatchObject({ error: expect.stringMatching(/公式/) });
    expect(book.sheets[0].rows[2][1][2][1]).toMatchObject({ error: expect.stringMatching(/逻辑值/) });
  });

  it('parses a large legitimate workbook off the event loop: timers keep firing meanwhile', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    for (let r = 0; r < 20_000; r++) ws.addRow([`C${r}`, `名称${r}`, 'value', '字段', r * 1.5, '个', '', '', '']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    let worst = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 10);
    const t0 = Date.now();
    const book = await readXlsxSafely(buf);
    const took = Date.now() - t0;
    clearInterval(timer);
    expect(book.sheets[0].rows).toHaveLength(20_000);
    // The parse takes seconds on this machine; the event loop is never blocked for more than a fraction of it.
    expect(took).toBeGreaterThan(500);
    expect(worst, `event loop blocked ${worst} ms during a ${took} ms parse`).toBeLessThan(Math.max(300, took / 4));
  }, 60_000);
});
