import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { buildWorld, multipart, setNow, TINY_PDF, type World } from './reporting.testkit.js';

let env: TestEnv;
let w: World;
let reporterA: Client;
let leaderA: Client;
let reporterB: Client;
let office: Client;
let assessor: Client;
let otherAssessor: Client;
let restore: () => void = () => undefined;

beforeAll(async () => {
  // Uploads up to 20 MB here, so 10 MB of junk reaches the Excel parser.
  env = await createTestEnv({ maxUploadMb: 20 });
  w = await buildWorld(env);
  reporterA = await env.userClient({ username: 'io_rep_a', roles: ['reporter'], unitId: w.unitA });
  leaderA = await env.userClient({ username: 'io_lead_a', roles: ['unit_leader'], unitId: w.unitA });
  reporterB = await env.userClient({ username: 'io_rep_b', roles: ['reporter'], unitId: w.unitB });
  office = await env.userClient({ username: 'io_office', roles: ['office'] });
  assessor = await env.userClient({ username: 'io_assessor', roles: ['assessor'], unitId: w.assessorUnit });
  otherAssessor = await env.userClient({ username: 'io_assessor2', roles: ['assessor'], unitId: w.unitB });
});
afterAll(async () => env?.close());
afterEach(() => restore());

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);
const snapshot = () => q('SELECT id, status, value::text, fields, flags FROM submissions ORDER BY id');

async function upload(c: Client, period: string, data: Buffer, unitId = w.unitA) {
  return c.request({
    method: 'POST',
    url: `/api/reporting/excel/upload?unitId=${unitId}&period=${period}`,
    ...multipart('数据.xlsx', data),
  });
}

async function template(period: string): Promise<ExcelJS.Workbook> {
  const res = await reporterA.get(`/api/reporting/excel/template?unitId=${w.unitA}&period=${period}`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

const toBuffer = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());

/** Sets the 填报值 of the row with this indicator code and field key. */
function fill(wb: ExcelJS.Workbook, code: string, key: string, value: ExcelJS.CellValue) {
  const ws = wb.worksheets[0];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(1).value === code && row.getCell(3).value === key) {
      row.getCell(5).value = value;
      return;
    }
  }
  throw new Error(`no row ${code}/${key}`);
}

describe('Excel template and upload', () => {
  it('downloads a template with Chinese headers, codes, fields and a protected sheet', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const wb = await template('2026-10');
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([
      undefined,
      '指标编码',
      '指标名称',
      '字段编码',
      '字段名称',
      '填报值',
      '计量单位',
      '当前值',
      '状态',
      '备注',
    ]);
    const rows = [];
    for (let r = 2; r <= ws.rowCount; r++) rows.push([ws.getRow(r).getCell(1).value, ws.getRow(r).getCell(3).value]);
    // Self-reported leaves only (not the third-party, case-platform or other-category ones).
    expect(rows).toEqual([
      ['A1', 'value'],
      ['A2', 'cases'],
      ['A2', 'closed'],
    ]);
    expect(ws.getRow(2).getCell(5).protection?.locked).toBe(false);
    expect(wb.keywords).toContain(':2026-10');
  });

  it('saves a filled template as drafts, all at once, and is idempotent', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const wb = await template('2026-10');
    fill(wb, 'A1', 'value', 11);
    fill(wb, 'A2', 'cases', 60);
    fill(wb, 'A2', 'closed', '55');
    const res = await upload(reporterA, '2026-10', await toBuffer(wb));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ saved: 2, unchanged: 0, rows: 3 });
    const rows = await q<{ indicator_id: number; status: string; value: string; fields: Record<string, number> }>(
      `SELECT indicator_id, status, value::text AS value, fields FROM submissions WHERE unit_id = $1 AND period = '2026-10' ORDER BY indicator_id`,
      [w.unitA],
    );
    expect(rows.map((r) => [r.indicator_id, r.status, r.value])).toEqual([
      [w.leafValue, 'draft', '11'],
      [w.leafForm, 'draft', '55'],
    ]);
    expect(rows[1].fields).toEqual({ cases: 60, closed: 55 });
    // Uploading the freshly downloaded (prefilled) template changes nothing.
    const again = await upload(reporterA, '2026-10', await toBuffer(await template('2026-10')));
    expect(again.json()).toMatchObject({ saved: 0, unchanged: 2 });
  });

  it('refuses bad files with a row-level report and changes nothing', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const before = await snapshot();

    const wrongCols = new ExcelJS.Workbook();
    wrongCols.addWorksheet('x').addRow(['编码', '数值']);
    let res = await upload(reporterA, '2026-10', await toBuffer(wrongCols));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', field: 'file' });
    expect(
      res
        .json()
        .errors.map((e: { message: string }) => e.message)
        .join('；'),
    ).toMatch(/未知的列「编码」.*缺少必需的列「指标编码」/);

    const badTypes = await template('2026-10');
    fill(badTypes, 'A1', 'value', 'twelve');
    fill(badTypes, 'A2', 'cases', 3.5);
    fill(badTypes, 'A2', 'closed', 2);
    res = await upload(reporterA, '2026-10', await toBuffer(badTypes));
    expect(res.statusCode).toBe(400);
    const errs = res.json().errors as { row: number; column: string; message: string }[];
    expect(errs).toEqual([
      { row: 2, column: 'E', message: expect.stringContaining('应为数字') },
      { row: 3, column: 'E', message: expect.stringContaining('应为整数') },
    ]);

    const formula = await template('2026-10');
    fill(formula, 'A1', 'value', { formula: '1+1', result: 2 } as ExcelJS.CellFormulaValue);
    res = await upload(reporterA, '2026-10', await toBuffer(formula));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toEqual({ row: 2, column: 'E', message: expect.stringContaining('公式') });

    const notApplicable = await template('2026-10');
    notApplicable.worksheets[0].addRow(['A5', '街道专项', 'value', '完成值', 3]);
    notApplicable.worksheets[0].addRow(['A3', '依法行政考核', 'value', '完成值', 3]);
    notApplicable.worksheets[0].addRow(['ZZ9', '不存在', 'value', '完成值', 3]);
    res = await upload(reporterA, '2026-10', await toBuffer(notApplicable));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringContaining('不适用于'),
      expect.stringContaining('考评主体'),
      expect.stringContaining('不存在'),
    ]);

    const junk = randomBytes(10 * 1024 * 1024);
    res = await upload(reporterA, '2026-10', junk);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toContain('不是有效的 Excel');
    const zipJunk = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(4096)]);
    res = await upload(reporterA, '2026-10', zipJunk);
    expect(res.statusCode).toBe(400);

    const otherUnit = await template('2026-10');
    res = await upload(reporterA, '2026-09', await toBuffer(otherUnit));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toContain('不一致');

    expect(
      (await reporterA.post(`/api/reporting/excel/upload?unitId=${w.unitA}&period=2026-10`, { x: 1 })).json().error
        .field,
    ).toBe('file');
    expect(
      (
        await reporterB.request({
          method: 'POST',
          url: `/api/reporting/excel/upload?unitId=${w.unitA}&period=2026-10`,
          ...multipart('a.xlsx', await toBuffer(otherUnit)),
        })
      ).statusCode,
    ).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});

describe('evidence', () => {
  it('uploads, lists, downloads within scope and removes from drafts only', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const d = (
      await reporterA.post('/api/reporting/submissions', {
        indicatorId: w.leafValue,
        unitId: w.unitA,
        period: '2026-11',
        values: { value: 3 },
      })
    ).json();
    const url = `/api/reporting/submissions/${d.id}/evidence`;
    const up = await reporterA.request({
      method: 'POST',
      url,
      ...multipart('验收报告.pdf', TINY_PDF, 'application/pdf'),
    });
    expect(up.statusCode, up.body).toBe(201);
    const ev = up.json();
    expect(ev).toMatchObject({
      name: '验收报告.pdf',
      mime: 'application/pdf',
      size: TINY_PDF.length,
      uploadedByName: 'io_rep_a',
    });
    expect(ev.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await reporterA.get(`/api/reporting/submissions/${d.id}`)).json().evidence).toHaveLength(1);

    const dl = await leaderA.get(`/api/reporting/evidence/${ev.id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(TINY_PDF)).toBe(true);
    expect(dl.headers['content-disposition']).toContain(encodeURIComponent('验收报告.pdf'));
    expect((await reporterB.get(`/api/reporting/evidence/${ev.id}`)).statusCode).toBe(404);
    expect((await env.anon.get(`/api/reporting/evidence/${ev.id}`)).statusCode).toBe(401);
    expect(
      (await reporterB.request({ method: 'POST', url, ...multipart('x.pdf', TINY_PDF, 'application/pdf') })).statusCode,
    ).toBe(404);

    const exe = await reporterA.request({ method: 'POST', url, ...multipart('tool.exe', Buffer.from('MZ...')) });
    expect(exe.statusCode).toBe(400);
    expect(exe.json().error.field).toBe('file');
    const fake = await reporterA.request({ method: 'POST', url, ...multipart('fake.pdf', Buffer.from('not a pdf')) });
    expect(fake.json().error.message).toContain('不符');
    expect((await reporterA.post(url, { file: 'x' })).json().error.field).toBe('file');

    expect((await reporterB.delete(`/api/reporting/evidence/${ev.id}`)).statusCode).toBe(404);
    expect((await reporterA.delete(`/api/reporting/evidence/${ev.id}`)).statusCode).toBe(204);
    expect((await reporterA.get(`/api/reporting/submissions/${d.id}`)).json().evidence).toEqual([]);
  });
});

describe('third-party entry', () => {
  it('lets the assessing body enter data for the units it assesses, straight to the office', async () => {
    restore = setNow('2026-11-05T02:00:00Z');
    const grid = (await assessor.get('/api/reporting/third-party?period=2026-10')).json();
    expect(grid.indicators.map((i: { id: number }) => i.id)).toEqual([w.leafThird]);
    expect(grid.indicators[0].unitIds.sort()).toEqual([w.unitA, w.unitB, ...w.peers].sort());
    expect((await otherAssessor.get('/api/reporting/third-party?period=2026-10')).json().indicators).toEqual([]);

    const bad = await assessor.put('/api/reporting/third-party', {
      period: '2026-10',
      entries: [{ indicatorId: w.leafThird, unitId: w.unitA, values: { value: 'x' } }],
    });
    expect(bad.json().error.field).toBe('entries.0.values.value');
    const wrongLeaf = await assessor.put('/api/reporting/third-party', {
      period: '2026-10',
      entries: [{ indicatorId: w.leafValue, unitId: w.unitA, values: { value: 1 } }],
    });
    expect(wrongLeaf.statusCode).toBe(404);
    expect(
      (
        await otherAssessor.put('/api/reporting/third-party', {
          period: '2026-10',
          entries: [{ indicatorId: w.leafThird, unitId: w.unitA, values: { value: 1 } }],
        })
      ).statusCode,
    ).toBe(404);

    const saved = await assessor.put('/api/reporting/third-party', {
      period: '2026-10',
      entries: [
        { indicatorId: w.leafThird, unitId: w.unitA, values: { value: 92 } },
        { indicatorId: w.leafThird, unitId: w.unitB, values: { value: 88 } },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ saved: 2, unchanged: 0 });
    const [idA, idB] = saved.json().submissionIds as number[];

    // The assessed unit sees it, cannot change it, and its leader does not approve it.
    const seen = await reporterA.get(`/api/reporting/submissions/${idA}`);
    expect(seen.json()).toMatchObject({ source: 'third_party', status: 'submitted', value: 92 });
    expect(seen.json().abilities).toMatchObject({ edit: false, approve: false });
    expect((await reporterA.put(`/api/reporting/submissions/${idA}`, { values: { value: 100 } })).statusCode).toBe(403);
    expect((await leaderA.post(`/api/reporting/submissions/${idA}/approve`)).statusCode).toBe(403);
    expect(
      (await leaderA.get('/api/reporting/submissions?queue=leader')).json().map((s: { id: number }) => s.id),
    ).not.toContain(idA);
    expect((await reporterB.get(`/api/reporting/submissions/${idA}`)).statusCode).toBe(404);

    // Corrected before acceptance, then accepted by the office into score_inputs as third-party data.
    const fix = await assessor.put('/api/reporting/third-party', {
      period: '2026-10',
      entries: [{ indicatorId: w.leafThird, unitId: w.unitA, values: { value: 93 } }],
    });
    expect(fix.json()).toMatchObject({ saved: 1 });
    const queue = (await office.get('/api/reporting/submissions?queue=office')).json().map((s: { id: number }) => s.id);
    expect(queue).toEqual(expect.arrayContaining([idA, idB]));
    expect((await office.post(`/api/reporting/submissions/${idA}/accept`)).json()).toMatchObject({
      status: 'accepted',
      value: 93,
    });
    const [si] = await q<{ source: string; source_ref: string; entered_by_name: string }>(
      'SELECT source, source_ref, entered_by_name FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2',
      [w.leafThird, w.unitA],
    );
    expect(si).toEqual({ source: 'third_party', source_ref: `submission:${idA}#r0`, entered_by_name: 'io_assessor' });
    // Accepted third-party data are protected like any other.
    const again = await assessor.put('/api/reporting/third-party', {
      period: '2026-10',
      entries: [{ indicatorId: w.leafThird, unitId: w.unitA, values: { value: 50 } }],
    });
    expect(again.statusCode).toBe(409);
    expect(
      (await q<{ value: string }>('SELECT value::text AS value FROM submissions WHERE id = $1', [idA]))[0].value,
    ).toBe('93');
  });
});

describe('form designer', () => {
  it('saves a form with validation of keys, rules and the score field, and tests a rule', async () => {
    const bad = await office.put(`/api/reporting/forms/${w.leafValue}`, {
      fields: [{ key: 'a', label: 'A', type: 'decimal' }],
      rules: [{ expression: 'a >', message: 'x' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('rules.0.expression');
    expect(
      (
        await office.put(`/api/reporting/forms/${w.leafValue}`, {
          fields: [{ key: 'A!', label: 'A', type: 'decimal' }],
        })
      ).json().error.field,
    ).toBe('fields.0.key');
    expect(
      (
        await office.put(`/api/reporting/forms/${w.leafCases}`, { fields: [{ key: 'a', label: 'A', type: 'decimal' }] })
      ).json().error.field,
    ).toBe('indicatorId');
    const def = {
      fields: [
        { key: 'plan', label: '计划数', type: 'integer', required: true },
        { key: 'done', label: '完成数', type: 'integer', required: true },
      ],
      rules: [{ expression: 'done <= plan * 2', message: '完成数异常' }],
      scoreFormula: 'done / plan * 100',
    };
    const ok = await office.put(`/api/reporting/forms/${w.leafValue}`, def);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ designed: true, version: 1 });
    const t = await office.post('/api/reporting/forms/test-rule', {
      definition: def,
      expression: 'done <= plan * 2',
      values: { plan: 10, done: 25 },
    });
    expect(t.json()).toMatchObject({ ok: true, passed: false });
    const list = (await reporterA.get('/api/reporting/forms')).json() as { indicatorId: number; designed: boolean }[];
    expect(list.find((f) => f.indicatorId === w.leafValue)?.designed).toBe(true);
    const reset = await office.delete(`/api/reporting/forms/${w.leafValue}`);
    expect(reset.json()).toMatchObject({ designed: false });
  });
});

describe('year copy', () => {
  it('copies the forms, deadline overrides and settings of data collection with the year', async () => {
    const def = {
      fields: [{ key: 'done', label: '完成数', type: 'integer', required: true }],
      rules: [{ expression: 'done >= 0', message: '不能为负' }],
      scoreFormula: 'done',
    };
    expect((await office.put(`/api/reporting/forms/${w.leafValue}`, def)).statusCode).toBe(200);
    expect(
      (await office.put(`/api/reporting/deadlines/${w.leafValue}`, { mode: 'working_days', workingDays: 7 }))
        .statusCode,
    ).toBe(200);
    const before = (await office.get(`/api/reporting/settings?yearId=${w.yearId}`)).json() as {
      reminderDaysBefore: number;
    };
    expect((await office.put(`/api/reporting/settings/${w.yearId}`, { reminderDaysBefore: 6 })).statusCode).toBe(200);
    try {
      const copy = await office.post(`/api/years/${w.yearId}/copy`, { year: 2031 });
      expect(copy.statusCode, copy.body).toBe(201);
      const newYearId = copy.json().id as number;
      const [{ id: newLeaf }] = await q<{ id: number }>(
        'SELECT n.id FROM indicators n JOIN indicators o ON o.code = n.code WHERE o.id = $1 AND n.year_id = $2',
        [w.leafValue, newYearId],
      );
      expect(newLeaf).not.toBe(w.leafValue);
      const form = (await office.get(`/api/reporting/forms/${newLeaf}`)).json();
      expect(form).toMatchObject({
        designed: true,
        version: 1,
        deadline: { mode: 'working_days', workingDays: 7 },
        deadlineOverridden: true,
      });
      expect(form.definition).toMatchObject(def);
      expect((await office.get(`/api/reporting/settings?yearId=${newYearId}`)).json()).toMatchObject({
        yearId: newYearId,
        reminderDaysBefore: 6,
      });
      const [audit] = await q<{ after: Record<string, number> }>(
        `SELECT after FROM audit_entries WHERE action = 'reporting.year_copy' AND entity_id = $1`,
        [String(newYearId)],
      );
      expect(audit.after).toMatchObject({ deadlines: 1, settings: 1 });
      expect(audit.after.forms).toBeGreaterThanOrEqual(1);
      // The copy is its own: changing the new year's form leaves the old one as it was.
      await office.delete(`/api/reporting/forms/${newLeaf}`);
      expect((await office.get(`/api/reporting/forms/${w.leafValue}`)).json()).toMatchObject({ designed: true });
    } finally {
      await office.delete(`/api/reporting/forms/${w.leafValue}`);
      await office.delete(`/api/reporting/deadlines/${w.leafValue}`);
      await office.put(`/api/reporting/settings/${w.yearId}`, { reminderDaysBefore: before.reminderDaysBefore });
    }
  });
});
