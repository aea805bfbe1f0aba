/** Units and users from Excel: template, all-or-nothing import with a row/column report, export that imports back unchanged. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';

let env: TestEnv;
let admin: Client;
let reporter: Client;
let categoryCode = '';

beforeAll(async () => {
  env = await createTestEnv();
  admin = await env.userClient({ username: 'xl_admin', roles: ['admin'] });
  const cat = await env.buildCategory({ code: 'STREET', name: '街道类' });
  categoryCode = (
    await env.database.query<{ code: string }>('SELECT code FROM unit_categories WHERE id = $1', [cat])
  )[0].code;
  reporter = await env.userClient({
    username: 'xl_rep',
    roles: ['reporter'],
    unitId: await env.buildUnit({ code: 'XLREP' }),
  });
});
afterAll(async () => env?.close());

async function book(headers: string[], rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('表');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function form(data: Buffer) {
  const boundary = '----xnimport';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="list.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (c: Client, what: 'units' | 'users', data: Buffer) =>
  c.request({ method: 'POST', url: `/api/${what}/excel/import`, ...form(data) });
const count = async (table: string) =>
  (await env.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

async function sheetOf(res: { rawPayload: Buffer }) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb.worksheets[0];
}

const UNIT_HEADERS = ['单位编码', '单位名称', '单位类型', '上级单位编码', '考评类别', '排序', '状态'];
const USER_HEADERS = ['账号', '姓名', '所属单位编码', '角色', '手机号', '分管单位编码', '状态'];

describe('units from Excel', () => {
  it('downloads a template with the columns and instructions; unit users may not import', async () => {
    const res = await admin.get('/api/units/excel/template');
    expect(res.statusCode).toBe(200);
    const ws = await sheetOf(res);
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(UNIT_HEADERS);
    expect((await reporter.get('/api/units/excel/template')).statusCode).toBe(403);
    expect((await upload(reporter, 'units', await book(UNIT_HEADERS, []))).statusCode).toBe(403);
  });

  it('refuses a list with row errors, naming each row and column, and saves nothing', async () => {
    const before = await count('units');
    const audits = await count('audit_entries');
    const res = await upload(
      admin,
      'units',
      await book(UNIT_HEADERS, [
        ['SJ1', '街道一', '街道', 'ROOT', categoryCode, 1, '启用'],
        ['bad code!', '坏编码', '部门', 'ROOT', '', '', ''],
        ['SJ2', '街道二', '星球', 'ROOT', '', '', ''],
        ['SJ3', '街道三', '街道', 'NOPE', '', '', ''],
        ['SJ1', '重复', '街道', 'ROOT', '', '', ''],
        ['SJ4', '街道四', '街道', 'ROOT', '不存在的类别', 'x', '也许'],
      ]),
    );
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', field: 'file' });
    const errors = res.json().errors as { row: number; column: string; message: string }[];
    expect(errors.map((e) => `${e.row}${e.column}`)).toEqual(['3A', '4C', '5D', '6A', '7E', '7F', '7G']);
    expect(errors.find((e) => e.row === 5)!.message).toMatch(/NOPE.*不存在/);
    expect(await count('units')).toBe(before);
    expect(await count('audit_entries')).toBe(audits);
  });

  it('refuses unknown columns and a missing required column', async () => {
    const res = await upload(admin, 'units', await book(['单位编码', '名字'], [['A', 'b']]));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { message: string }) => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/未知的列「名字」/),
        expect.stringMatching(/缺少必需的列「单位名称」/),
      ]),
    );
  });

  it('imports a tree (children before their parents in the file too), audited, and an export imports back unchanged', async () => {
    const res = await upload(
      admin,
      'units',
      await book(UNIT_HEADERS, [
        ['SQ1', '一社区', '社区', 'JD1', '', 2, ''],
        ['JD1', '一街道', '街道', 'ROOT', categoryCode, 1, '启用'],
        ['JD2', '二街道', 'street', 'ROOT', '街道类', '', '停用'],
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 3, updated: 0, unchanged: 0 });
    const rows = await env.database.query<{
      code: string;
      parent: string;
      kind: string;
      active: boolean;
      cat: string | null;
    }>(
      `SELECT u.code, p.code AS parent, u.kind, u.active, c.code AS cat FROM units u JOIN units p ON p.id = u.parent_id LEFT JOIN unit_categories c ON c.id = u.category_id WHERE u.code IN ('SQ1','JD1','JD2') ORDER BY u.code`,
    );
    expect(rows).toEqual([
      { code: 'JD1', parent: 'ROOT', kind: 'street', active: true, cat: categoryCode },
      { code: 'JD2', parent: 'ROOT', kind: 'street', active: false, cat: categoryCode },
      { code: 'SQ1', parent: 'JD1', kind: 'community', active: true, cat: null },
    ]);
    expect(
      await env.database.query(`SELECT 1 FROM audit_entries WHERE action = 'unit.create' AND after->>'via' = 'excel'`),
    ).toHaveLength(3);
    // Round trip: the export imports back with nothing to change.
    const exported = await admin.get('/api/units/excel/export');
    expect(exported.statusCode).toBe(200);
    const total = await count('units');
    const again = await upload(admin, 'units', exported.rawPayload);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ created: 0, updated: 0, unchanged: total });
    // A changed name updates that unit only.
    const ws = await sheetOf(exported);
    for (let r = 2; r <= ws.rowCount; r++)
      if (ws.getRow(r).getCell(1).value === 'JD1') ws.getRow(r).getCell(2).value = '一街道（更名）';
    const changed = await upload(admin, 'units', Buffer.from(await ws.workbook.xlsx.writeBuffer()));
    expect(changed.json()).toEqual({ created: 0, updated: 1, unchanged: total - 1 });
  });

  it('refuses a move that would put a unit under its own descendant', async () => {
    const res = await upload(admin, 'units', await book(UNIT_HEADERS, [['JD1', '一街道', '街道', 'SQ1', '', '', '']]));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ row: 2, column: 'D' });
  });
});

describe('users from Excel', () => {
  /** Importing roles needs roles.grant (三员分立); these tests check the import itself with an account that has both powers. */
  let granting: Client;
  beforeAll(async () => {
    granting = await env.userClient({ username: 'xl_grant', roles: ['admin', 'security_admin'] });
  });

  it('lets the system admin import accounts but not give or change roles (三员分立)', async () => {
    const before = await count('users');
    const refused = await upload(
      admin,
      'users',
      await book(USER_HEADERS, [['xl_norole_x', '有角色', 'JD1', '单位填报员', '', '', '']]),
    );
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ row: 2, column: 'D' });
    expect(await count('users')).toBe(before);
    const ok = await upload(admin, 'users', await book(USER_HEADERS, [['xl_norole', '无角色', 'JD1', '', '', '', '']]));
    expect(ok.statusCode, ok.body).toBe(200);
    const users = (await admin.get('/api/users')).json() as { username: string; roles: string[] }[];
    expect(users.find((u) => u.username === 'xl_norole')!.roles).toEqual([]);
  });

  it('refuses a list with row errors and saves nothing', async () => {
    const before = await count('users');
    const res = await upload(
      granting,
      'users',
      await book(USER_HEADERS, [
        ['xl_ok', '好人', 'JD1', '单位填报员', '13800000001', '', ''],
        ['x', '短账号', 'JD1', 'reporter', '', '', ''],
        ['xl_u2', '无单位', 'NOUNIT', 'reporter', '', '', ''],
        ['xl_u3', '怪角色', 'JD1', '填报员、国王', '', '', ''],
        ['xl_u4', '坏手机', 'JD1', 'reporter', '12345', '', ''],
        ['xl_u5', '非领导', 'JD1', 'reporter', '', 'JD2', ''],
      ]),
    );
    expect(res.statusCode, res.body).toBe(400);
    expect((res.json().errors as { row: number; column: string }[]).map((e) => `${e.row}${e.column}`)).toEqual([
      '3A',
      '4C',
      '5D',
      '6E',
      '7F',
    ]);
    expect(await count('users')).toBe(before);
  });

  it('creates accounts with roles and units in charge, no password returned or usable, and an export imports back unchanged', async () => {
    const res = await upload(
      granting,
      'users',
      await book(USER_HEADERS, [
        ['xl_rep2', '李填报', 'JD1', '单位填报员、单位领导', '13800000002', '', ''],
        ['xl_lead', '王区长', 'ROOT', '区分管领导', '', 'JD1、JD2', '启用'],
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(res.body).not.toMatch(/password/i);
    const users = (await admin.get('/api/users')).json() as {
      username: string;
      roles: string[];
      leaderUnitIds: number[];
      phone: string | null;
    }[];
    const rep = users.find((u) => u.username === 'xl_rep2')!;
    expect(rep.roles.sort()).toEqual(['reporter', 'unit_leader']);
    expect(rep.phone).toBe('13800000002');
    expect(users.find((u) => u.username === 'xl_lead')!.leaderUnitIds).toHaveLength(2);
    // Nobody knows the random password: signing in fails until the admin sets one.
    const login = await env.anon.post('/api/auth/login', { username: 'xl_rep2', password: 'Test@12345' });
    expect(login.statusCode).toBe(401);
    // …and whatever first password they get, they must change it at the first sign-in.
    const fresh = await env.database.query<{ must: boolean }>(
      `SELECT must_change_password AS must FROM users WHERE username IN ('xl_rep2', 'xl_lead')`,
    );
    expect(fresh.map((r) => r.must)).toEqual([true, true]);
    const exported = await admin.get('/api/users/excel/export');
    expect(exported.statusCode).toBe(200);
    const total = await count('users');
    const again = await upload(granting, 'users', exported.rawPayload);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ created: 0, updated: 0, unchanged: total });
  });

  it('refuses to demote or deactivate the importing admin', async () => {
    const res = await upload(
      admin,
      'users',
      await book(USER_HEADERS, [['xl_admin', '管理员', 'ROOT', '绩效办', '', '', '']]),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ row: 2, column: 'D' });
  });
});
