// 年初建账 from Excel (all or nothing, row/column errors), the ledger's priority and leader filters (and the
// export following them), and the in-app reminders (催办) of red tasks: through HTTP on a fresh database.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../engine/workdays.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { LEDGER_COLUMNS } from './supervision.import.js';
import { lightsAndReminders } from './supervision.upkeep.js';

let env: TestEnv;
let unitA: number;
let unitB: number;
let office: Client;
let leader: Client;
let leader2: Client;
let reporterA: Client;
let reporterB: Client;
let dleaderPlain: Client;
const TODAY = beijingDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));

const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);
const count = async (sql: string, params: unknown[] = []) => Number((await q<{ n: number }>(sql, params))[0].n);

/** A workbook in the template's columns (headers by name), one object per row. */
async function book(rows: Record<string, string>[], headers = LEDGER_COLUMNS.map((c) => c.header)): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('督查督办台账');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(headers.map((h) => r[h] ?? ''));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(c: Client, data: Buffer) {
  const b = '----xnledger';
  const payload = Buffer.concat([
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="ledger.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return c.request({
    method: 'POST',
    url: '/api/supervision/ledger/import',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${b}` },
  });
}

async function sheetRows(data: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0].eachRow((r) => out.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return out;
}

const ledgerState = async () => ({
  tasks: await count('SELECT count(*)::int AS n FROM supervision_tasks'),
  milestones: await count('SELECT count(*)::int AS n FROM supervision_milestones'),
  coUnits: await count('SELECT count(*)::int AS n FROM supervision_co_units'),
  events: await count('SELECT count(*)::int AS n FROM supervision_events'),
  audit: await count('SELECT count(*)::int AS n FROM audit_entries'),
});

beforeAll(async () => {
  env = await createTestEnv();
  unitA = await env.buildUnit({ code: 'ZJJ', name: '住建局' });
  unitB = await env.buildUnit({ code: 'CZJ', name: '财政局' });
  await env.buildUnit({ code: 'CGJ', name: '城管局' });
  await env.buildUnit({ code: 'ST01', name: '汉正街街道', kind: 'street' });
  office = await env.userClient({ roles: ['supervisor'] });
  leader = await env.userClient({ roles: ['district_leader'], leaderOf: [unitA] });
  leader2 = await env.userClient({ roles: ['district_leader'], leaderOf: [unitB] });
  dleaderPlain = await env.userClient({ roles: ['district_leader'] });
  await q(`UPDATE users SET display_name = '李区长' WHERE id = $1`, [leader.userId]);
  await q(`UPDATE users SET display_name = '王副区长（分管财政）' WHERE id = $1`, [leader2.userId]);
  reporterA = await env.userClient({ roles: ['reporter'], unitId: unitA });
  reporterB = await env.userClient({ roles: ['reporter'], unitId: unitB });
  await q(`UPDATE users SET phone = '13800000011' WHERE id = $1`, [reporterA.userId]);
  await q(`UPDATE users SET phone = '13800000022' WHERE id = $1`, [reporterB.userId]);
});
afterAll(async () => env?.close());

describe('Excel ledger import (年初建账)', () => {
  it("the template has the Chinese headers and example rows naming the district's units; only the office may download it", async () => {
    const res = await office.get('/api/supervision/ledger/template.xlsx');
    expect(res.statusCode).toBe(200);
    const rows = await sheetRows(res.rawPayload);
    expect(rows[0]).toEqual(LEDGER_COLUMNS.map((c) => c.header));
    expect(rows[0]).toContain('节点');
    expect(rows.length).toBe(3);
    expect(rows[1]).toEqual(expect.arrayContaining(['住建局', '李区长', '财政局：王五 13800000002']));
    expect(rows[2]).toEqual(expect.arrayContaining(['汉正街街道', '新建改建城市道路10公里']));
    expect((await reporterA.get('/api/supervision/ledger/template.xlsx')).statusCode).toBe(403);
  });

  it('the filled template imports: tasks assigned to their units, co-units, milestones, sub-task, each audited', async () => {
    const before = await ledgerState();
    const template = (await office.get('/api/supervision/ledger/template.xlsx')).rawPayload;
    const res = await upload(office, template);
    expect(res.statusCode, res.body).toBe(201);
    const { created, taskIds } = res.json() as { created: number; taskIds: number[] };
    expect(created).toBe(2);
    const tasks = await q<{
      id: number;
      title: string;
      status: string;
      lead_unit_id: number;
      leader_id: number | null;
      parent_id: number | null;
      priority: string;
      cadence: string;
      deadline: string;
      year: number;
      created_by: number;
    }>(
      `SELECT id, title, status, lead_unit_id, leader_id, parent_id, priority, cadence, deadline::text AS deadline, year, created_by
         FROM supervision_tasks WHERE id = ANY($1::int[]) ORDER BY id`,
      [taskIds],
    );
    expect(tasks.map((t) => t.status)).toEqual(['assigned', 'assigned']);
    expect(tasks[0]).toMatchObject({
      title: '新建改建城市道路10公里',
      lead_unit_id: unitA,
      leader_id: leader.userId,
      parent_id: null,
      priority: 'high',
      cadence: 'monthly',
      deadline: `${YEAR}-12-31`,
      year: YEAR,
      created_by: office.userId,
    });
    expect(tasks[1]).toMatchObject({ title: '汉正街街道背街小巷改造', parent_id: tasks[0].id, priority: 'normal' });
    const co = await q<{ unit_id: number; contact: string }>(
      'SELECT unit_id, contact FROM supervision_co_units WHERE task_id = $1 ORDER BY unit_id',
      [tasks[0].id],
    );
    expect(co).toEqual([{ unit_id: unitB, contact: '王五 13800000002' }]);
    const ms = await q<{ title: string; due_on: string }>(
      'SELECT title, due_on::text AS due_on FROM supervision_milestones WHERE task_id = $1 ORDER BY due_on',
      [tasks[0].id],
    );
    expect(ms).toEqual([
      { title: '完成方案', due_on: `${YEAR}-03-31` },
      { title: '开工建设', due_on: `${YEAR}-06-30` },
      { title: '完工通车', due_on: `${YEAR}-12-15` },
    ]);
    const audit = await q<{ entity_id: string }>(
      `SELECT entity_id FROM audit_entries WHERE action = 'supervision.create' AND entity_id = ANY($1::text[]) ORDER BY id`,
      [taskIds.map(String)],
    );
    expect(audit.map((a) => Number(a.entity_id))).toEqual(taskIds);
    const after = await ledgerState();
    expect(after.tasks - before.tasks).toBe(2);
    expect(after.milestones - before.milestones).toBe(3);
    // The unit sees its new task in 我的督办, awaiting 签收.
    const mine = (await reporterA.get('/api/supervision/tasks?mine=1')).json();
    expect(mine.rows.map((r: { id: number }) => r.id)).toContain(taskIds[0]);
  });

  it('accepts codes, dates as Excel dates and other spellings; a sub-task may name a task already in the ledger', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(LEDGER_COLUMNS.map((c) => c.header));
    const row = Object.fromEntries(LEDGER_COLUMNS.map((c) => [c.key, '' as unknown]));
    Object.assign(row, {
      source: 'npc_proposal',
      title: '财政局分解任务',
      leader: '王副区长',
      leadUnit: 'CZJ',
      startDate: new Date(Date.UTC(YEAR, 0, 5)),
      deadline: `${YEAR}/11/30`,
      milestones: `初稿@${YEAR}年6月30日`,
      cadence: 'weekly',
      priority: '紧急',
      parentTitle: '新建改建城市道路10公里',
    });
    ws.addRow(LEDGER_COLUMNS.map((c) => row[c.key]));
    const res = await upload(office, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode, res.body).toBe(201);
    const [t] = await q<{ source: string; leader_id: number; start_date: string; deadline: string; parent_id: number }>(
      `SELECT source, leader_id, start_date::text AS start_date, deadline::text AS deadline, parent_id FROM supervision_tasks WHERE id = $1`,
      [res.json().taskIds[0]],
    );
    const [parent] = await q<{ id: number }>(`SELECT id FROM supervision_tasks WHERE title = '新建改建城市道路10公里'`);
    expect(t).toEqual({
      source: 'npc_proposal',
      leader_id: leader2.userId,
      start_date: `${YEAR}-01-05`,
      deadline: `${YEAR}-11-30`,
      parent_id: parent.id,
    });
  });

  it('a file with errors names each row and column in both languages and saves nothing', async () => {
    const before = await ledgerState();
    const ok = {
      事项来源: '政府工作报告',
      事项名称: '正确的一行',
      牵头单位: '住建局',
      完成时限: `${YEAR}-12-31`,
    };
    const res = await upload(
      office,
      await book([
        ok,
        { ...ok, 事项名称: '单位不存在', 牵头单位: '不存在局' },
        // Read fine, refused by the create path's own check (a milestone after the deadline).
        { ...ok, 事项名称: '节点晚于时限', 节点: `验收@${YEAR + 1}-01-15`, 完成时限: `${YEAR}-12-31` },
        { ...ok, 事项名称: '日期错误', 完成时限: `${YEAR}-02-30`, 报送频次: '每小时' },
        { ...ok, 事项名称: '配合单位与牵头单位相同', 配合单位及联系人: '住建局：张三' },
        { ...ok, 事项名称: '上级不存在', 上级事项: '没有这个事项' },
        { ...ok, 事项名称: '', 责任领导: '不存在的领导' },
      ]),
    );
    expect(res.statusCode).toBe(400);
    const body = res.json() as {
      error: { code: string; field: string };
      errors: { row: number; column: string; zh: string; en: string; message: string }[];
    };
    expect(body.error).toMatchObject({ code: 'VALIDATION', field: 'file' });
    const at = (row: number) => body.errors.filter((e) => e.row === row).map((e) => e.column);
    const letter = (header: string) => String.fromCharCode(65 + LEDGER_COLUMNS.findIndex((c) => c.header === header));
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual([letter('牵头单位')]);
    expect(at(4)).toEqual([letter('节点')]);
    expect(at(5).sort()).toEqual([letter('完成时限'), letter('报送频次')].sort());
    expect(at(6)).toEqual([letter('配合单位及联系人')]);
    expect(at(7)).toEqual([letter('上级事项')]);
    expect(at(8).sort()).toEqual([letter('事项名称'), letter('责任领导')].sort());
    const unknownUnit = body.errors.find((e) => e.row === 3)!;
    expect(unknownUnit.zh).toContain('不存在局');
    expect(unknownUnit.en).toMatch(/lead unit: no unit "不存在局"/);
    expect(unknownUnit.message).toBe(unknownUnit.zh);
    expect(body.errors.find((e) => e.row === 4)!.zh).toBe('节点时间不能晚于完成时限');
    // Nothing saved: not even the correct first row, nor any timeline event or audit entry.
    expect(await ledgerState()).toEqual(before);
    expect(await count(`SELECT count(*)::int AS n FROM supervision_tasks WHERE title = '正确的一行'`)).toBe(0);
    // English messages with Accept-Language: en.
    const en = await office.request({
      method: 'POST',
      url: '/api/supervision/ledger/import',
      ...(await (async () => {
        const data = await book([{ ...ok, 牵头单位: '不存在局' }]);
        const b = '----xnen';
        return {
          payload: Buffer.concat([
            Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="l.xlsx"\r\n\r\n`),
            data,
            Buffer.from(`\r\n--${b}--\r\n`),
          ]),
          headers: { 'content-type': `multipart/form-data; boundary=${b}`, 'accept-language': 'en' },
        };
      })()),
    });
    expect(en.statusCode).toBe(400);
    expect(en.json().errors[0].message).toMatch(/^lead unit: no unit/);
  });

  it("names the column where it is in the file, when the file leaves out or reorders the template's columns", async () => {
    const before = await ledgerState();
    const res = await upload(
      office,
      await book(
        [{ 完成时限: `${YEAR}-12-31`, 牵头单位: '不存在局', 事项名称: '少列的文件', 事项来源: '政府工作报告' }],
        ['完成时限', '牵头单位', '事项名称', '事项来源'],
      ),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ row: 2, column: 'B' })]);
    expect(await ledgerState()).toEqual(before);
  });

  it('an unknown column, a missing required column or an empty file is refused with row 1 / 0', async () => {
    const before = await ledgerState();
    const headers = LEDGER_COLUMNS.map((c) => c.header).filter((h) => h !== '牵头单位');
    const r1 = await upload(office, await book([{ 事项名称: 'x' }], [...headers, '备注']));
    expect(r1.statusCode).toBe(400);
    const errs = r1.json().errors as { row: number; column: string; en: string }[];
    expect(errs.some((e) => e.row === 1 && e.en.includes('"备注"'))).toBe(true);
    expect(errs.some((e) => e.row === 1 && e.en.includes('"牵头单位" is missing'))).toBe(true);
    const r2 = await upload(office, await book([]));
    expect(r2.statusCode).toBe(400);
    expect(r2.json().errors[0]).toMatchObject({ row: 0, en: 'The file holds no task' });
    expect(await ledgerState()).toEqual(before);
  });

  it('a unit reporter or a district leader gets 403 and nothing changes', async () => {
    const before = await ledgerState();
    const data = await book([
      { 事项来源: '政府工作报告', 事项名称: '越权导入', 牵头单位: '住建局', 完成时限: `${YEAR}-12-31` },
    ]);
    expect((await upload(reporterA, data)).statusCode).toBe(403);
    expect((await upload(leader, data)).statusCode).toBe(403);
    expect((await upload(env.anon, data)).statusCode).toBe(401);
    expect(await ledgerState()).toEqual(before);
    // The same file by the office is accepted (the refusal was the role, not the file).
    expect((await upload(office, data)).statusCode).toBe(201);
  });
});

describe('ledger filters: priority and leader in charge, the export following them', () => {
  it('filters by priority and by leader, alone and together, and the .xlsx holds the same rows', async () => {
    const make = async (title: string, priority: string, leaderId: number | null) => {
      const r = await office.post('/api/supervision/tasks', {
        source: 'annual_target',
        title,
        leadUnitId: unitB,
        leaderId,
        priority,
        startDate: `${YEAR}-01-05`,
        deadline: `${YEAR}-12-31`,
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as number;
    };
    const u1 = await make('筛选-紧急-李', 'urgent', leader.userId);
    const u2 = await make('筛选-紧急-王', 'urgent', leader2.userId);
    const n1 = await make('筛选-一般-李', 'normal', leader.userId);
    const ids = (r: { json(): { rows: { id: number }[] } }) => r.json().rows.map((x) => x.id);
    const urgent = await office.get('/api/supervision/tasks?priority=urgent&pageSize=500');
    expect(ids(urgent)).toEqual(expect.arrayContaining([u1, u2]));
    expect(ids(urgent)).not.toContain(n1);
    expect(urgent.json().rows.every((r: { priority: string }) => r.priority === 'urgent')).toBe(true);
    const li = await office.get(`/api/supervision/tasks?leaderId=${leader.userId}&pageSize=500`);
    expect(ids(li)).toEqual(expect.arrayContaining([u1, n1]));
    expect(li.json().rows.every((r: { leaderId: number }) => r.leaderId === leader.userId)).toBe(true);
    const both = await office.get(`/api/supervision/tasks?priority=urgent&leaderId=${leader.userId}&q=筛选`);
    expect(ids(both)).toEqual([u1]);
    expect((await office.get('/api/supervision/tasks?priority=asap')).json().error.field).toBe('priority');
    // The export follows the filters.
    const x = await office.get(`/api/supervision/tasks.xlsx?priority=urgent&leaderId=${leader.userId}&q=筛选`);
    expect(x.statusCode).toBe(200);
    const rows = await sheetRows(x.rawPayload);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual([u1]);
    expect(rows[0]).toContain('优先级');
    expect(rows[1]).toContain('紧急');
    // The leaders of the filter: district and main leaders only.
    const leaders = (await reporterA.get('/api/supervision/leaders')).json() as { id: number; name: string }[];
    expect(leaders.map((l) => l.id)).toEqual(
      expect.arrayContaining([leader.userId, leader2.userId, dleaderPlain.userId]),
    );
    expect(leaders.map((l) => l.id)).not.toContain(office.userId);
  });
});

describe('in-app reminders (催办) of red tasks', () => {
  let redA: number;
  let redB: number;
  it('the lights job reminds red tasks by SMS and in the app, once a day', async () => {
    const make = async (title: string, unit: number, leaderId: number) => {
      const r = await office.post('/api/supervision/tasks', {
        source: 'work_report',
        title,
        leadUnitId: unit,
        leaderId,
        startDate: `${YEAR - 1}-01-05`,
        deadline: `${YEAR - 1}-06-30`,
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as number;
    };
    redA = await make('甲的逾期事项', unitA, leader.userId);
    redB = await make('乙的逾期事项', unitB, leader2.userId);
    const r = await lightsAndReminders(env.database.db);
    expect(r.reminders).toBeGreaterThanOrEqual(2);
    const ev = await q<{ task_id: number; unit_id: number; note: string }>(
      `SELECT task_id, unit_id, note FROM supervision_events WHERE kind = 'remind' AND task_id = ANY($1::int[]) ORDER BY task_id`,
      [[redA, redB]],
    );
    expect(ev).toEqual([
      { task_id: redA, unit_id: unitA, note: '超过完成时限' },
      { task_id: redB, unit_id: unitB, note: '超过完成时限' },
    ]);
    const sms = await q<{ phone: string; params: { text: string } }>(
      `SELECT phone, params FROM sms_outbox WHERE template = 'supervision_reminder' AND phone = '13800000011' AND params->>'text' LIKE '%甲的逾期事项%'`,
    );
    expect(sms.length).toBe(1);
    expect(sms[0].params.text).toContain('超过完成时限');
    // A second pass the same day adds nothing.
    await lightsAndReminders(env.database.db);
    expect(
      await count(`SELECT count(*)::int AS n FROM supervision_events WHERE kind = 'remind' AND task_id = $1`, [redA]),
    ).toBe(1);
    // The reminder is on the task's timeline.
    const t = (await reporterA.get(`/api/supervision/tasks/${redA}`)).json();
    expect(t.events.at(-1)).toMatchObject({ kind: 'remind', note: '超过完成时限', unitName: '住建局' });
  });

  it("unit A's inbox shows A's reminders with date and reasons, never B's; and the other way round", async () => {
    // (The tasks imported above for 住建局 are red too: their first milestones are past.)
    const a = (await reporterA.get('/api/supervision/reminders')).json();
    const aIds = a.rows.map((r: { taskId: number }) => r.taskId);
    expect(aIds).toContain(redA);
    expect(aIds).not.toContain(redB);
    expect(a.rows.every((r: { unitId: number; as: string }) => r.unitId === unitA && r.as === 'unit')).toBe(true);
    expect(a.rows.find((r: { taskId: number }) => r.taskId === redA)).toMatchObject({
      title: '甲的逾期事项',
      on: TODAY,
      reasons: ['deadline_overdue'],
      unitId: unitA,
      light: 'red',
      as: 'unit',
    });
    const redOfA = await count(
      `SELECT count(DISTINCT e.task_id)::int AS n FROM supervision_events e JOIN supervision_tasks t ON t.id = e.task_id
        WHERE e.kind = 'remind' AND e.unit_id = $1 AND t.light = 'red'`,
      [unitA],
    );
    expect(a.open).toBe(redOfA);
    const b = (await reporterB.get('/api/supervision/reminders')).json();
    const bIds = b.rows.map((r: { taskId: number }) => r.taskId);
    expect(bIds).toContain(redB);
    expect(bIds).not.toContain(redA);
    expect(b.rows.every((r: { unitId: number }) => r.unitId === unitB)).toBe(true);
    // B cannot open A's task through the reminder either.
    expect((await reporterB.get(`/api/supervision/tasks/${redA}`)).statusCode).toBe(404);
  });

  it('the leader in charge sees the reminders of their red tasks only; the office has no inbox of its own', async () => {
    const mineOf = async (id: number) =>
      (await q<{ id: number }>(`SELECT id FROM supervision_tasks WHERE leader_id = $1`, [id])).map((r) => r.id);
    const l = (await leader.get('/api/supervision/reminders')).json();
    const lIds = l.rows.map((r: { taskId: number }) => r.taskId);
    expect(lIds).toContain(redA);
    expect(lIds).not.toContain(redB);
    const ofLeader = await mineOf(leader.userId);
    expect(lIds.every((id: number) => ofLeader.includes(id))).toBe(true);
    expect(l.rows.every((r: { as: string }) => r.as === 'leader')).toBe(true);
    const l2 = (await leader2.get('/api/supervision/reminders')).json();
    expect(l2.rows.map((r: { taskId: number }) => r.taskId)).toContain(redB);
    expect(l2.rows.map((r: { taskId: number }) => r.taskId)).not.toContain(redA);
    expect((await dleaderPlain.get('/api/supervision/reminders')).json().rows).toEqual([]);
    expect((await office.get('/api/supervision/reminders')).json().rows).toEqual([]);
    // Their red tasks through the ledger filters.
    const red = (await leader.get(`/api/supervision/tasks?leaderId=${leader.userId}&light=red`)).json();
    expect(red.rows.map((r: { id: number }) => r.id)).toContain(redA);
    expect(red.rows.map((r: { id: number }) => r.id)).not.toContain(redB);
    expect((await env.anon.get('/api/supervision/reminders')).statusCode).toBe(401);
    expect((await reporterA.get('/api/supervision/reminders?days=0')).json().error.field).toBe('days');
  });
});
