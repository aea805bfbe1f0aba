/** An uploaded Excel file cannot freeze the server: a zip bomb gets a quick 413, and a large parse runs off the event loop. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellBomb } from '../../test/xlsx-bombs.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { buildWorld, multipart, setNow, type World } from './reporting.testkit.js';

let env: TestEnv;
let w: World;
let reporter: Client;
let restore: () => void = () => undefined;

beforeAll(async () => {
  env = await createTestEnv({ maxUploadMb: 20 });
  w = await buildWorld(env);
  reporter = await env.userClient({ username: 'bomb_rep', roles: ['reporter'], unitId: w.unitA });
  restore = setNow('2026-11-20T02:00:00Z');
});
afterAll(async () => {
  restore();
  await env?.close();
});

const upload = (data: Buffer) =>
  reporter.request({
    method: 'POST',
    url: `/api/reporting/excel/upload?unitId=${w.unitA}&period=2026-10`,
    ...multipart('数据.xlsx', data),
  });

describe('Excel upload limits', () => {
  it('answers a zip bomb (1,000,000 cells in a few hundred KB) with 413 in well under the seconds it used to freeze', async () => {
    const bomb = cellBomb();
    const t0 = Date.now();
    const res = await upload(bomb);
    const took = Date.now() - t0;
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'file' });
    expect(res.json().error.message).toMatch(/单元格过多|行数过多/);
    expect(took).toBeLessThan(5000);
  });

  it('keeps answering /api/health fast while a large legitimate upload is parsed', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    ws.addRow(['指标编码', '指标名称', '字段编码', '字段名称', '填报值', '计量单位', '当前值', '状态', '备注']);
    for (let r = 0; r < 19_000; r++) ws.addRow([`X${r}`, `名称${r}`, 'value', '字段', r * 1.5, '个', '', '', '']);
    const big = Buffer.from(await wb.xlsx.writeBuffer());
    const t0 = Date.now();
    let finished = 0;
    const parse = upload(big).then((res) => {
      finished = Date.now();
      return res;
    });
    // A health check every 20 ms: the longest gap between two answers is how long the server stalled.
    const answered: number[] = [Date.now()];
    while (!finished) {
      const h = await env.anon.get('/api/health');
      expect(h.statusCode).toBe(200);
      answered.push(Date.now());
      await new Promise((r) => setTimeout(r, 20));
    }
    const gaps = answered.slice(1).map((t, i) => t - answered[i]);
    const res = await parse;
    // Unknown codes: refused row by row, but only after the whole file was read.
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.length).toBeGreaterThan(100);
    const took = finished - t0;
    const worst = Math.max(...gaps);
    expect(gaps.length).toBeGreaterThan(10);
    expect(worst, `the server stalled ${worst} ms during a ${took} ms upload`).toBeLessThan(600);
  }, 90_000);
});
