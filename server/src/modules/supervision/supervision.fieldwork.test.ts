// Field checks (实地督查) and reconciliation rounds (对账) through HTTP: each role's steps, unit scope, bad input, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { beijingDate } from '../../engine/workdays.js';

let env: TestEnv;
let unitA: number;
let unitB: number;
let unitC: number;
let office: Client;
let leaderA: Client;
let reporterA: Client;
let reporterB: Client;
let reporterC: Client;
let taskA: number;
let taskB: number;
let proposed: number;
const TODAY = beijingDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function form(name: string, data: Buffer, type = 'image/png') {
  const b = '----xnfield';
  const payload = Buffer.concat([
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}
const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);
const audits = async (action: string) =>
  (await q<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries WHERE action = $1', [action]))[0].n;

async function upload(c: Client, taskId: number, name = '现场.png'): Promise<number> {
  const r = await c.request({ method: 'POST', url: `/api/supervision/tasks/${taskId}/files`, ...form(name, PNG) });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

beforeAll(async () => {
  env = await createTestEnv();
  const cat = await env.buildCategory();
  unitA = await env.buildUnit({ name: '甲局', categoryId: cat });
  unitB = await env.buildUnit({ name: '乙局', categoryId: cat });
  unitC = await env.buildUnit({ name: '丙局', categoryId: cat });
  office = await env.userClient({ roles: ['supervisor'] });
  leaderA = await env.userClient({ roles: ['district_leader'], leaderOf: [unitA] });
  reporterA = await env.userClient({ roles: ['reporter'], unitId: unitA });
  reporterB = await env.userClient({ roles: ['reporter'], unitId: unitB });
  reporterC = await env.userClient({ roles: ['reporter'], unitId: unitC });
  const start = `${YEAR}-01-02` <= TODAY ? `${YEAR}-01-02` : TODAY;
  const mk = async (title: string, leadUnitId: number, coUnits: { unitId: number }[] = []) => {
    const r = await office.post('/api/supervision/tasks', {
      source: 'work_report',
      title,
      leadUnitId,
      coUnits,
      startDate: start,
      deadline: `${YEAR}-12-31`,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as number;
  };
  taskA = await mk('甲局老旧小区改造', unitA, [{ unitId: unitC }]);
  taskB = await mk('乙局背街小巷整治', unitB);
  const ins = await leaderA.post('/api/supervision/instructions', {
    targetKind: 'free',
    title: '待立项批示',
    content: '请研究',
  });
  proposed = ins.json().id;
});
afterAll(async () => env?.close());

describe('field checks (实地督查, 反复督查)', () => {
  let photo: number;
  let p1: number;
  let p2: number;
  const check = () => ({
    checkedOn: TODAY,
    people: '督查室 王五、赵六',
    methods: ['look', 'ask', 'look'],
    mode: 'covert',
    findings: '现场施工围挡不规范，居民反映噪声扰民。',
    photoIds: [photo],
    points: [
      { requirement: '规范施工围挡', dueOn: addDays(TODAY, 10) },
      { requirement: '公示施工时间并回访居民', dueOn: null },
    ],
  });

  it('the office records check no. 1 with a photo and two rectification points; it is on the timeline and audited', async () => {
    photo = await upload(office, taskA);
    const before = await audits('supervision.check');
    const r = await office.post(`/api/supervision/tasks/${taskA}/checks`, check());
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(body.checks).toHaveLength(1);
    const c = body.checks[0];
    expect(c.seq).toBe(1);
    expect(c.label).toBe('第1次督查');
    expect(c.methods).toEqual(['look', 'ask']); // a method named twice counts once
    expect(c.photos).toEqual([{ id: photo, name: '现场.png' }]);
    expect(c.points.map((p: { seq: number; status: string }) => [p.seq, p.status])).toEqual([
      [1, 'open'],
      [2, 'open'],
    ]);
    [p1, p2] = c.points.map((p: { id: number }) => p.id);
    expect(await audits('supervision.check')).toBe(before + 1);
    const task = (await office.get(`/api/supervision/tasks/${taskA}`)).json();
    const ev = task.events.find((e: { kind: string }) => e.kind === 'fieldCheck');
    expect(ev.note).toContain('第1次督查');
    expect(ev.note).toContain('暗访');
  });

  it('refuses bad input with the field, and a check by a unit or on a task not in the ledger', async () => {
    const bad = async (body: unknown, field: string) => {
      const r = await office.post(`/api/supervision/tasks/${taskA}/checks`, body);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.field).toBe(field);
    };
    await bad({ ...check(), checkedOn: addDays(TODAY, 1) }, 'checkedOn');
    await bad({ ...check(), checkedOn: '2026-02-30' }, 'checkedOn');
    await bad({ ...check(), methods: [] }, 'methods');
    await bad({ ...check(), methods: ['smell'] }, 'methods.0');
    await bad({ ...check(), mode: 'loud' }, 'mode');
    await bad({ ...check(), findings: '  ' }, 'findings');
    await bad({ ...check(), points: [{ requirement: '整改', dueOn: addDays(TODAY, -400) }] }, 'points.0.dueOn');
    await bad({ ...check(), points: [{ dueOn: null }] }, 'points.0.requirement');
    const photoOfB = await upload(office, taskB);
    await bad({ ...check(), photoIds: [photoOfB] }, 'photoIds');
    expect((await reporterA.post(`/api/supervision/tasks/${taskA}/checks`, check())).statusCode).toBe(403);
    const r = await office.post(`/api/supervision/tasks/${proposed}/checks`, { ...check(), photoIds: [] });
    expect(r.statusCode).toBe(409);
    expect((await office.post(`/api/supervision/tasks/999999/checks`, check())).statusCode).toBe(404);
    expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM supervision_checks'))[0].n).toBe(1);
  });

  it('unit B cannot see or answer A’s checks, and A’s points stay unchanged; the co-unit sees but cannot answer', async () => {
    const snap = () => q('SELECT * FROM supervision_check_points WHERE task_id = $1 ORDER BY id', [taskA]);
    const before = await snap();
    expect((await reporterB.get(`/api/supervision/tasks/${taskA}/checks`)).statusCode).toBe(404);
    expect(
      (await reporterB.post(`/api/supervision/check-points/${p1}/answer`, { answer: '乙局代答' })).statusCode,
    ).toBe(404);
    const listB = (await reporterB.get('/api/supervision/checks')).json();
    expect(listB.rows.map((r: { taskId: number }) => r.taskId)).not.toContain(taskA);
    const inboxB = (await reporterB.get('/api/supervision/check-points?state=to_answer')).json();
    expect(inboxB).toEqual([]);
    const seenByC = (await reporterC.get(`/api/supervision/tasks/${taskA}/checks`)).json();
    expect(seenByC.checks[0].points[0].actions).toEqual([]);
    expect(
      (await reporterC.post(`/api/supervision/check-points/${p1}/answer`, { answer: '丙局代答' })).statusCode,
    ).toBe(403);
    expect((await reporterC.get('/api/supervision/check-points?state=to_answer')).json()).toEqual([]);
    expect(await snap()).toEqual(before);
  });

  it('the lead unit answers with a file, the office returns it with a reason, the unit answers again, the office accepts', async () => {
    const inbox = (await reporterA.get('/api/supervision/check-points?state=to_answer')).json();
    expect(inbox.map((p: { id: number }) => p.id)).toEqual([p1, p2]);
    const seen = (await reporterA.get(`/api/supervision/tasks/${taskA}/checks`)).json();
    expect(seen.canCheck).toBe(false);
    expect(seen.checks[0].points[0].actions).toEqual(['answer']);
    // The office cannot decide an unanswered point; a reply needs text; a file must belong to the task.
    expect((await office.post(`/api/supervision/check-points/${p1}/accept`, {})).statusCode).toBe(409);
    const noText = await reporterA.post(`/api/supervision/check-points/${p1}/answer`, { answer: '' });
    expect(noText.json().error.field).toBe('answer');
    const foreign = await reporterA.post(`/api/supervision/check-points/${p1}/answer`, {
      answer: '已整改',
      fileId: photo + 1000,
    });
    expect(foreign.json().error.field).toBe('fileId');
    const file = await upload(reporterA, taskA, '整改照片.png');
    const a1 = await reporterA.post(`/api/supervision/check-points/${p1}/answer`, {
      answer: '围挡已更换',
      fileId: file,
    });
    expect(a1.statusCode, a1.body).toBe(200);
    expect(a1.json().checks[0].points[0].status).toBe('answered');
    // A second answer before the office decides is refused.
    expect((await reporterA.post(`/api/supervision/check-points/${p1}/answer`, { answer: '再答' })).statusCode).toBe(
      409,
    );
    expect((await reporterA.post(`/api/supervision/check-points/${p1}/accept`, {})).statusCode).toBe(403);
    const toDecide = (await office.get('/api/supervision/check-points?state=to_decide')).json();
    expect(toDecide.map((p: { id: number }) => p.id)).toEqual([p1]);
    const noReason = await office.post(`/api/supervision/check-points/${p1}/return`, { reason: ' ' });
    expect(noReason.json().error.field).toBe('reason');
    const ret = await office.post(`/api/supervision/check-points/${p1}/return`, { reason: '东侧围挡仍未更换' });
    expect(ret.json().checks[0].points[0]).toMatchObject({ status: 'returned', returnReason: '东侧围挡仍未更换' });
    await reporterA.post(`/api/supervision/check-points/${p1}/answer`, { answer: '东侧围挡已全部更换' });
    const acc = await office.post(`/api/supervision/check-points/${p1}/accept`, { note: '复核通过' });
    const point = acc.json().checks[0].points[0];
    expect(point.status).toBe('accepted');
    expect(point.history.map((h: { kind: string }) => h.kind)).toEqual(['answer', 'return', 'answer', 'accept']);
    expect(point.history[0].fileId).toBe(file);
    expect(await audits('supervision.check.answer')).toBe(2);
    expect(await audits('supervision.check.return')).toBe(1);
    expect(await audits('supervision.check.accept')).toBe(1);
    const kinds = (await reporterA.get(`/api/supervision/tasks/${taskA}`))
      .json()
      .events.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k.startsWith('check'))).toEqual([
      'checkAnswer',
      'checkReturn',
      'checkAnswer',
      'checkAccept',
    ]);
  });

  it('a hard task is checked again: check no. 2 joins the history, and the inbox shows what is still open', async () => {
    const r = await office.post(`/api/supervision/tasks/${taskA}/checks`, {
      ...check(),
      mode: 'open',
      photoIds: [],
      points: [{ requirement: '建立长效管理机制', dueOn: null }],
    });
    expect(r.json().checks.map((c: { seq: number; label: string }) => c.label)).toEqual(['第1次督查', '第2次督查']);
    const inbox = (await reporterA.get('/api/supervision/check-points?state=to_answer')).json();
    expect(inbox.map((p: { requirement: string; checkSeq: number }) => [p.checkSeq, p.requirement])).toEqual([
      [1, '公示施工时间并回访居民'],
      [2, '建立长效管理机制'],
    ]);
    const list = (await office.get('/api/supervision/checks?pending=unit')).json();
    expect(list.total).toBe(2);
    const all = (await office.get(`/api/supervision/checks?unitId=${unitA}`)).json();
    expect(all.rows.map((x: { seq: number }) => x.seq)).toEqual([2, 1]);
    expect(all.rows[1]).toMatchObject({ points: 2, open: 1, accepted: 1 });
    const x = await office.get('/api/supervision/checks.xlsx');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect((await office.get('/api/supervision/checks?from=someday')).json().error.field).toBe('from');
  });
});

describe('reconciliation rounds (季度对账 / 年中查账 / 年底收账)', () => {
  let roundId: number;
  let rowA: number;
  let rowB: number;

  it('the office opens a round: the live tasks of the year are snapshotted per lead unit; units cannot open one', async () => {
    await q('UPDATE supervision_tasks SET progress = 30 WHERE id = $1', [taskA]);
    expect((await reporterA.post('/api/supervision/rounds', { kind: 'quarterly', asOf: TODAY })).statusCode).toBe(403);
    const future = await office.post('/api/supervision/rounds', { kind: 'quarterly', asOf: addDays(TODAY, 1) });
    expect(future.json().error.field).toBe('asOf');
    expect((await office.post('/api/supervision/rounds', { kind: 'monthly', asOf: TODAY })).json().error.field).toBe(
      'kind',
    );
    expect(
      (await office.post('/api/supervision/rounds', { kind: 'midyear', asOf: TODAY, unitIds: [999999] })).json().error
        .field,
    ).toBe('unitIds');
    const none = await office.post('/api/supervision/rounds', { kind: 'midyear', asOf: TODAY, unitIds: [unitC] });
    expect(none.json().error.field).toBe('unitIds');
    const r = await office.post('/api/supervision/rounds', { kind: 'quarterly', asOf: TODAY });
    expect(r.statusCode, r.body).toBe(201);
    const d = r.json();
    roundId = d.id;
    expect(d.title).toMatch(/季度对账$/);
    expect(d.rows.map((x: { taskId: number }) => x.taskId).sort()).toEqual([taskA, taskB].sort());
    rowA = d.rows.find((x: { taskId: number }) => x.taskId === taskA).id;
    rowB = d.rows.find((x: { taskId: number }) => x.taskId === taskB).id;
    expect(d.rows.find((x: { id: number }) => x.id === rowA)).toMatchObject({ snapProgress: 30, state: 'pending' });
    expect(d.counts).toMatchObject({ units: 2, tasks: 2, pending: 2 });
    expect(await audits('supervision.round.open')).toBe(1);
  });

  it('a unit sees only its own rows; a unit without rows gets 404', async () => {
    const a = (await reporterA.get(`/api/supervision/rounds/${roundId}`)).json();
    expect(a.rows.map((x: { id: number }) => x.id)).toEqual([rowA]);
    expect(a.units.map((u: { unitId: number }) => u.unitId)).toEqual([unitA]);
    expect(a.canConfirm).toBe(true);
    expect(a.canManage).toBe(false);
    expect((await reporterC.get(`/api/supervision/rounds/${roundId}`)).statusCode).toBe(404);
    expect((await reporterC.get('/api/supervision/rounds')).json()).toEqual([]);
    expect((await reporterB.get('/api/supervision/rounds')).json()[0].counts.tasks).toBe(1);
  });

  it('unit A states a difference; unit B cannot confirm A’s row and A’s row stays unchanged', async () => {
    const bad = async (body: unknown, field: string) => {
      const r = await reporterA.post(`/api/supervision/round-rows/${rowA}/confirm`, body);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.field).toBe(field);
    };
    await bad({}, 'agrees');
    await bad({ agrees: false, note: '有差异' }, 'claimedProgress');
    await bad({ agrees: false, claimedProgress: 30, note: '一致' }, 'claimedProgress');
    await bad({ agrees: false, claimedProgress: 101, note: '超' }, 'claimedProgress');
    await bad({ agrees: false, claimedStatus: 'finished', note: '完' }, 'claimedStatus');
    await bad({ agrees: false, claimedProgress: 60 }, 'note');
    const ok = await reporterA.post(`/api/supervision/round-rows/${rowA}/confirm`, {
      agrees: false,
      claimedStatus: 'in_progress',
      claimedProgress: 60,
      note: '6 月已完成第二批 12 个小区，台账未及时更新',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const row = ok.json().rows[0];
    expect(row).toMatchObject({ state: 'differs', claimedProgress: 60, actions: ['confirm'] });
    expect(row.differences).toEqual(['status', 'progress']); // the task is still 待签收 in the ledger
    const snap = () => q('SELECT * FROM supervision_round_rows WHERE id = $1', [rowA]);
    const before = await snap();
    expect((await reporterB.post(`/api/supervision/round-rows/${rowA}/confirm`, { agrees: true })).statusCode).toBe(
      404,
    );
    expect((await office.post(`/api/supervision/round-rows/${rowA}/confirm`, { agrees: true })).statusCode).toBe(403);
    await reporterB.post(`/api/supervision/rounds/${roundId}/confirm-all`, {});
    expect(await snap()).toEqual(before);
    const b = (await reporterB.get(`/api/supervision/rounds/${roundId}`)).json();
    expect(b.rows.map((x: { state: string }) => x.state)).toEqual(['confirmed']);
    expect(await audits('supervision.round.confirm')).toBe(1);
    expect(await audits('supervision.round.confirmAll')).toBe(1);
    // Nothing left to confirm: no change, no audit entry.
    await reporterB.post(`/api/supervision/rounds/${roundId}/confirm-all`, {});
    expect(await audits('supervision.round.confirmAll')).toBe(1);
    // The leader in charge of A sees A's rows only, and may not confirm them (not a reporter of the unit).
    const led = (await leaderA.get(`/api/supervision/rounds/${roundId}`)).json();
    expect(led.rows.map((x: { id: number }) => x.id)).toEqual([rowA]);
    expect(led.canConfirm).toBe(false);
    expect((await leaderA.post(`/api/supervision/round-rows/${rowA}/confirm`, { agrees: true })).statusCode).toBe(403);
  });

  it('the office sees the difference, cannot close before resolving it, accepts it and the task’s progress follows', async () => {
    const d = (await office.get(`/api/supervision/rounds/${roundId}`)).json();
    expect(d.units.map((u: { differs: number; unresolved: number }) => [u.differs, u.unresolved])).toEqual([
      [1, 1],
      [0, 0],
    ]);
    const early = await office.post(`/api/supervision/rounds/${roundId}/close`, {});
    expect(early.statusCode).toBe(409);
    expect(
      (await office.post(`/api/supervision/round-rows/${rowB}/resolve`, { decision: 'accepted' })).statusCode,
    ).toBe(409);
    const keep = await office.post(`/api/supervision/round-rows/${rowA}/resolve`, { decision: 'kept' });
    expect(keep.json().error.field).toBe('reason');
    expect(
      (await office.post(`/api/supervision/round-rows/${rowA}/resolve`, { decision: 'maybe' })).json().error.field,
    ).toBe('decision');
    expect(
      (await reporterA.post(`/api/supervision/round-rows/${rowA}/resolve`, { decision: 'accepted' })).statusCode,
    ).toBe(403);
    const acc = await office.post(`/api/supervision/round-rows/${rowA}/resolve`, {
      decision: 'accepted',
      applyProgress: true,
      reason: '现场核实属实',
    });
    expect(acc.statusCode, acc.body).toBe(200);
    expect(acc.json().rows.find((x: { id: number }) => x.id === rowA)).toMatchObject({
      resolution: 'accepted',
      progressApplied: true,
      actions: [],
    });
    expect(
      (await q<{ progress: number }>('SELECT progress FROM supervision_tasks WHERE id = $1', [taskA]))[0].progress,
    ).toBe(60);
    const ev = (await office.get(`/api/supervision/tasks/${taskA}`)).json().events.at(-1);
    expect(ev).toMatchObject({ kind: 'reconcile', progress: 60 });
    // A resolved row can no longer be changed by the unit.
    expect((await reporterA.post(`/api/supervision/round-rows/${rowA}/confirm`, { agrees: true })).statusCode).toBe(
      409,
    );
  });

  it('the office closes the round with its record; closed rounds refuse changes; the record exports to Excel', async () => {
    const c = await office.post(`/api/supervision/rounds/${roundId}/close`, { note: '一季度对账完成' });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ status: 'closed', closeNote: '一季度对账完成', canManage: false });
    expect(c.json().counts).toMatchObject({
      units: 2,
      tasks: 2,
      confirmed: 1,
      differs: 1,
      accepted: 1,
      kept: 0,
      pending: 0,
    });
    expect(c.json().closedByName).toBeTruthy();
    const [stored] = await q<{ record: { accepted: number } }>('SELECT record FROM supervision_rounds WHERE id = $1', [
      roundId,
    ]);
    expect(stored.record.accepted).toBe(1);
    expect((await office.post(`/api/supervision/rounds/${roundId}/close`, {})).statusCode).toBe(409);
    expect((await reporterB.post(`/api/supervision/rounds/${roundId}/confirm-all`, {})).statusCode).toBe(409);
    expect(await audits('supervision.round.close')).toBe(1);
    const x = await office.get(`/api/supervision/rounds/${roundId}/record.xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect((await reporterC.get(`/api/supervision/rounds/${roundId}/record.xlsx`)).statusCode).toBe(404);
    expect((await office.get('/api/supervision/rounds/999999')).statusCode).toBe(404);
  });
});
