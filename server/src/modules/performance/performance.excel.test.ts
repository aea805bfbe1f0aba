/** The indicator tree of a draft scheme from and to Excel: export that imports back unchanged, all-or-nothing import with the tree editor's checks. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';

let env: TestEnv;
let office: Client;
let reporter: Client;
let yearId: number;

beforeAll(async () => {
  env = await createTestEnv();
  office = await env.userClient({ roles: ['office'] });
  await env.buildCategory({ code: 'JD', name: '街道类' });
  await env.buildUnit({ code: 'KPB', name: '考评办' });
  reporter = await env.userClient({ roles: ['reporter'], unitId: await env.buildUnit({ code: 'REP' }) });
  const y = await office.post('/api/years', { year: 2031 });
  expect(y.statusCode, y.body).toBe(201);
  yearId = y.json().id;
  const a = await office.post(`/api/years/${yearId}/indicators`, { code: 'A', name: '经济发展', points: 30 });
  await office.post(`/api/years/${yearId}/indicators`, {
    code: 'A1',
    name: '投资完成率',
    points: 30,
    parentId: a.json().id,
    unitOfMeasure: '%',
    aggregate: 'last',
    method: { kind: 'ratio', cap: 1.2 },
  });
});
afterAll(async () => env?.close());

function form(data: Buffer) {
  const boundary = '----xnindicators';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tree.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const upload = (c: Client, data: Buffer, id = yearId) =>
  c.request({ method: 'POST', url: `/api/years/${id}/indicators/excel/import`, ...form(data) });

/** The export as rows of cells (header first), and a workbook of such rows. */
async function rowsOf(data: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const out: unknown[][] = [];
  ws.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
  return out;
}
async function book(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('指标体系');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const tree = async () =>
  env.database.query<{ code: string; parent: string | null; points: number; method: unknown }>(
    `SELECT i.code, p.code AS parent, i.points::float AS points, i.method
       FROM indicators i LEFT JOIN indicators p ON p.id = i.parent_id WHERE i.year_id = $1 ORDER BY i.code`,
    [yearId],
  );

describe('the indicator tree in Excel', () => {
  it('exports the tree in order with the method as JSON, and the export imports back unchanged', async () => {
    const res = await office.get(`/api/years/${yearId}/indicators/excel/export`);
    expect(res.statusCode).toBe(200);
    const rows = await rowsOf(res.rawPayload);
    expect(rows[0].slice(0, 4)).toEqual(['指标编码', '上级指标编码', '指标名称', '分值']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['A', 'A1']);
    const method = rows[0].indexOf('评分方法（JSON）');
    expect(JSON.parse(String(rows[2][method]))).toMatchObject({ kind: 'ratio', cap: 1.2 });
    const before = await tree();
    const again = await upload(office, res.rawPayload);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(await tree()).toEqual(before);
  });

  it('creates new nodes under parents from the file and updates existing ones by code, audited', async () => {
    const rows = await rowsOf((await office.get(`/api/years/${yearId}/indicators/excel/export`)).rawPayload);
    const h = rows[0] as string[];
    const col = (name: string) => h.indexOf(name);
    const line = (v: Record<string, unknown>) => h.map((name) => v[name] ?? null);
    rows[1][col('分值')] = 50; // A: 30 → 50
    rows.push(
      line({ 指标编码: 'B', 指标名称: '社会治理', 分值: 50, 数据来源: '单位自报', 适用考评类别: '街道类' }),
      line({
        指标编码: 'B1',
        上级指标编码: 'B',
        指标名称: '按时办结率',
        分值: 50,
        计量单位: '%',
        数据来源: '12345平台统计',
        '12345统计指标': 'onTimeRate',
        汇总方式: 'avg',
        '评分方法（JSON）': JSON.stringify({ kind: 'ratio', cap: 1 }),
        考评主体单位: 'KPB',
      }),
    );
    const res = await upload(office, await book(rows));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 2, updated: 1, unchanged: 1 });
    const t = await tree();
    expect(t.map((n) => [n.code, n.parent, n.points])).toEqual([
      ['A', null, 50],
      ['A1', 'A', 30],
      ['B', null, 50],
      ['B1', 'B', 50],
    ]);
    const [b1] = await env.database.query<{ data_source: string; case_metric: string; applies: unknown }>(
      `SELECT data_source, case_metric, applies_to AS applies FROM indicators WHERE year_id = $1 AND code = 'B1'`,
      [yearId],
    );
    expect(b1).toMatchObject({ data_source: 'case_platform', case_metric: 'onTimeRate' });
    const audits = await env.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action IN ('indicator.create', 'indicator.update') AND entity_id IN (SELECT id::text FROM indicators WHERE year_id = $1 AND code IN ('A', 'B', 'B1'))`,
      [yearId],
    );
    expect(audits[0].n).toBeGreaterThanOrEqual(3);
  });

  it('refuses a file with problems, naming rows and columns (also the method checks), and saves nothing', async () => {
    const rows = await rowsOf((await office.get(`/api/years/${yearId}/indicators/excel/export`)).rawPayload);
    const h = rows[0] as string[];
    const line = (v: Record<string, unknown>) => h.map((name) => v[name] ?? null);
    const before = await tree();
    const audits = (await env.database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries'))[0].n;
    const res = await upload(
      office,
      await book([
        h,
        line({ 指标编码: 'C', 指标名称: '新指标', 分值: 10 }),
        line({ 指标编码: 'C1', 上级指标编码: 'NOPE', 指标名称: '孤儿', 分值: 5 }),
        line({ 指标编码: 'C2', 上级指标编码: 'C', 指标名称: '坏方法', 分值: 5, '评分方法（JSON）': '{kind:' }),
        line({ 指标编码: 'C3', 上级指标编码: 'C', 指标名称: '方向', 分值: 5, 方向: '斜向' }),
        line({ 指标编码: 'C', 指标名称: '重复', 分值: 1 }),
        line({ 指标编码: '9X', 指标名称: '编码', 分值: 1 }),
      ]),
    );
    expect(res.statusCode).toBe(400);
    const errs = res.json().errors as { row: number; column: string }[];
    const at = (row: number) => errs.filter((e) => e.row === row).map((e) => e.column);
    expect(at(3)).toContain('B'); // parent
    expect(at(4).length).toBeGreaterThan(0); // JSON
    expect(at(5)).toContain('F'); // direction
    expect(at(6)).toContain('A'); // duplicate code
    expect(at(7)).toContain('A'); // code format
    expect(await tree()).toEqual(before);
    expect((await env.database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries'))[0].n).toBe(audits);

    // A method that parses but fails the editor's own checks refuses the file in the second pass, rolled back.
    const semantic = await upload(
      office,
      await book([
        h,
        line({ 指标编码: 'D', 指标名称: '新一级', 分值: 10 }),
        line({
          指标编码: 'D1',
          上级指标编码: 'D',
          指标名称: '公式',
          分值: 10,
          '评分方法（JSON）': JSON.stringify({ kind: 'formula', expression: 'value +* 2' }),
        }),
      ]),
    );
    expect(semantic.statusCode, semantic.body).toBe(400);
    expect((semantic.json().errors as { row: number }[]).map((e) => e.row)).toContain(3);
    expect(await tree()).toEqual(before);
  });

  it('imports only into a draft scheme, for the office; others get 403 and an unknown scheme 404', async () => {
    const data = (await office.get(`/api/years/${yearId}/indicators/excel/export`)).rawPayload;
    expect((await upload(reporter, data)).statusCode).toBe(403);
    // No file, or a file that is not Excel: 400 naming the file.
    const before0 = await tree();
    const none = await office.post(`/api/years/${yearId}/indicators/excel/import`, {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error.field).toBe('file');
    const junk = await upload(office, Buffer.from('not a zip at all'));
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.field).toBe('file');
    expect(await tree()).toEqual(before0);
    expect((await upload(office, data, 999999)).statusCode).toBe(404);
    await env.database.query(`UPDATE assessment_years SET status = 'in_force' WHERE id = $1`, [yearId]);
    const before = await tree();
    const r = await upload(office, data);
    expect(r.statusCode).toBe(409);
    expect(await tree()).toEqual(before);
    await env.database.query(`UPDATE assessment_years SET status = 'draft' WHERE id = $1`, [yearId]);
  });
});
