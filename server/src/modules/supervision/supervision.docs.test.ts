import JSZip from 'jszip';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../engine/workdays.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';

let env: TestEnv;
let unitA: number;
let unitB: number;
let unitC: number;
let leafId: number;
let office: Client;
let mainLeader: Client;
let reporterA: Client;
let reporterB: Client;
let reporterC: Client;
let deputy1: Client;
let deputy2: Client;
let plainEvaluator: number;
const YEAR = Number(beijingDate(new Date()).slice(0, 4));
const TODAY = beijingDate(new Date());
const PERIOD = TODAY.slice(0, 7);
const taskIds: Record<'a1' | 'a2' | 'b1', number> = { a1: 0, a2: 0, b1: 0 };

const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function docxText(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  // The text of the runs, joined (a phrase may be split across runs only at our own run boundaries).
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

beforeAll(async () => {
  env = await createTestEnv();
  const cat = await env.buildCategory();
  unitA = await env.buildUnit({ name: '甲局', categoryId: cat });
  unitB = await env.buildUnit({ name: '乙局', categoryId: cat });
  unitC = await env.buildUnit({ name: '丙局', categoryId: cat });
  ({ leafId } = await env.buildSourceLeaf({
    year: YEAR,
    categoryId: cat,
    gradeRule: { by: 'threshold', grades: [{ label: '达标', threshold: 0 }] },
    root: { code: 'A', name: '履职' },
    leaf: { code: 'A1', name: '督办完成率', dataSource: 'supervision' },
  }));
  office = await env.userClient({ roles: ['supervisor'] });
  mainLeader = await env.userClient({ roles: ['main_leader'] });
  reporterA = await env.userClient({ roles: ['reporter'], unitId: unitA });
  reporterB = await env.userClient({ roles: ['reporter'], unitId: unitB });
  reporterC = await env.userClient({ roles: ['reporter'], unitId: unitC });
  deputy1 = await env.userClient({ roles: ['evaluator'] });
  deputy2 = await env.userClient({ roles: ['evaluator'] });
  plainEvaluator = await env.buildUser({ roles: ['evaluator'] });
  await q(
    `INSERT INTO reviewer_profiles (user_id, kind, title) VALUES ($1, 'npc_deputy', '区人大代表'), ($2, 'cppcc_member', '区政协委员')`,
    [deputy1.userId, deputy2.userId],
  );

  const task = async (title: string, unitId: number, milestoneDue?: string) => {
    const r = await office.post('/api/supervision/tasks', {
      source: 'work_report',
      title,
      leadUnitId: unitId,
      startDate: `${YEAR}-01-05`,
      deadline: `${YEAR}-12-31`,
      milestones: milestoneDue ? [{ title: '完成选址论证', dueOn: milestoneDue }] : [],
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as number;
  };
  taskIds.a1 = await task('新建城东养老服务中心', unitA, `${YEAR}-01-20`);
  taskIds.a2 = await task('老旧小区加装电梯', unitA);
  taskIds.b1 = await task('背街小巷整治', unitB);
  // A1 goes to work and gets a progress report.
  expect((await reporterA.post(`/api/supervision/tasks/${taskIds.a1}/sign`, {})).statusCode).toBe(200);
  expect((await reporterA.post(`/api/supervision/tasks/${taskIds.a1}/plan`, { plan: '成立专班' })).statusCode).toBe(
    200,
  );
  expect((await mainLeader.post(`/api/supervision/tasks/${taskIds.a1}/plan/approve`, {})).statusCode).toBe(200);
  const rep = await reporterA.post(`/api/supervision/tasks/${taskIds.a1}/reports`, {
    progress: 40,
    note: '已完成项目立项审批',
  });
  expect(rep.statusCode, rep.body).toBe(200);
});
afterAll(async () => env?.close());

describe('issued documents (督查专报 / 督查通报)', () => {
  let bulletinA: number;
  let bulletinAB: number;

  it('previews the text from the tasks: no number yet, per unit figures, proposed problems', async () => {
    expect(
      (await reporterA.post('/api/supervision/documents/preview', { kind: 'bulletin', taskIds: [taskIds.a1] }))
        .statusCode,
    ).toBe(403);
    const r = await office.post('/api/supervision/documents/preview', {
      kind: 'bulletin',
      taskIds: [taskIds.a1, taskIds.a2, taskIds.b1],
    });
    expect(r.statusCode, r.body).toBe(200);
    const c = r.json();
    expect(c.number).toBeNull();
    expect(c.units.map((u: { unitName: string }) => u.unitName)).toEqual(['甲局', '乙局']);
    const a = c.units[0];
    expect(a.tasks).toHaveLength(2);
    expect(a.overdueMilestones).toBe(1);
    expect(a.tasks.find((t: { id: number }) => t.id === taskIds.a1).latestReport).toEqual({
      on: TODAY,
      note: '已完成项目立项审批',
    });
    expect(a.averageProgress).toBe(20);
    expect(c.problems.join('')).toContain('节点逾期');
    expect(c.recipients).toBe('甲局、乙局');
  });

  it('issues a 通报 as a .docx holding its number, the edited problems and the unit figures', async () => {
    const r = await office.post('/api/supervision/documents', {
      kind: 'bulletin',
      taskIds: [taskIds.a1, taskIds.a2],
      problems: ['甲局城东养老服务中心选址论证节点逾期。'],
      suggestions: ['请甲局于月底前完成选址。'],
    });
    expect(r.statusCode, r.body).toBe(201);
    const d = r.json();
    bulletinA = d.id;
    expect(d.number).toBe(`汉督通〔${YEAR}〕1号`);
    expect(d.unitNames).toEqual(['甲局']);
    const file = await office.get(`/api/supervision/documents/${d.id}/docx`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('wordprocessingml');
    expect(sha(file.rawPayload)).toBe(d.docxSha256);
    const text = await docxText(file.rawPayload);
    expect(text).toContain(`汉督通〔${YEAR}〕1号`);
    expect(text).toContain('甲局城东养老服务中心选址论证节点逾期。');
    expect(text).toContain('请甲局于月底前完成选址。');
    expect(text).toContain('共 2 项督办事项，已办结 0 项，平均进度 20%');
    expect(text).toContain('已完成项目立项审批');
    expect(text).toContain('完成选址论证');
    expect(text).not.toContain('乙局');
    // The audit entry names the number.
    const [audit] = await q<{ after: { number: string } }>(
      `SELECT after FROM audit_entries WHERE action = 'supervision.document.issue' AND entity_id = $1`,
      [String(d.id)],
    );
    expect(audit.after.number).toBe(d.number);
  });

  it('numbers have no gaps: two issues at once take the next two numbers, a refused issue takes none', async () => {
    const bad = await office.post('/api/supervision/documents', { kind: 'report', taskIds: [999999] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('taskIds');
    const [x, y] = await Promise.all([
      office.post('/api/supervision/documents', { kind: 'report', taskIds: [taskIds.a1, taskIds.b1] }),
      office.post('/api/supervision/documents', { kind: 'report', filter: { year: YEAR } }),
    ]);
    expect(x.statusCode, x.body).toBe(201);
    expect(y.statusCode, y.body).toBe(201);
    expect([x.json().seq, y.json().seq].sort()).toEqual([1, 2]);
    expect(y.json().taskCount).toBe(3);
    const z = await office.post('/api/supervision/documents', { kind: 'bulletin', taskIds: [taskIds.a1, taskIds.b1] });
    bulletinAB = z.json().id;
    expect(z.json().number).toBe(`汉督通〔${YEAR}〕2号`);
    const seqs = await q<{ kind: string; seq: number }>(
      'SELECT kind, seq FROM supervision_documents ORDER BY kind, seq',
    );
    expect(seqs.map((s) => `${s.kind}${s.seq}`)).toEqual(['bulletin1', 'bulletin2', 'report1', 'report2']);
  });

  it('a unit sees only the 通报 naming it; leaders read the 专报; units never do', async () => {
    const listB = (await reporterB.get('/api/supervision/documents')).json();
    expect(listB.map((d: { id: number }) => d.id)).toEqual([bulletinAB]);
    expect((await reporterB.get(`/api/supervision/documents/${bulletinA}`)).statusCode).toBe(404);
    expect((await reporterB.get(`/api/supervision/documents/${bulletinA}/docx`)).statusCode).toBe(404);
    const listA = (await reporterA.get('/api/supervision/documents')).json();
    expect(listA.map((d: { id: number }) => d.id).sort()).toEqual([bulletinA, bulletinAB].sort());
    expect(listA.every((d: { kind: string }) => d.kind === 'bulletin')).toBe(true);
    expect((await reporterC.get('/api/supervision/documents')).json()).toEqual([]);
    const leaderList = (await mainLeader.get('/api/supervision/documents?kind=report')).json();
    expect(leaderList).toHaveLength(2);
    expect((await deputy1.get('/api/supervision/documents')).statusCode).toBe(403);
  });
});

describe('proposals (议案提案办理)', () => {
  let p1: number;
  let p2: number;
  const base = () => ({
    kind: 'npc_motion',
    year: YEAR,
    title: '关于加快城东养老服务设施建设的议案',
    deputyId: deputy1.userId,
    leadUnitId: unitA,
    coUnitIds: [unitC],
    deadline: `${YEAR}-12-31`,
  });

  it('the office assigns proposals; bad input is refused with its field', async () => {
    const bad = async (body: unknown, field: string) => {
      const r = await office.post('/api/supervision/proposals', body);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.field).toBe(field);
    };
    await bad({ ...base(), number: '第1号', deputyId: plainEvaluator }, 'deputyId');
    await bad({ ...base(), number: '第1号', kind: 'cppcc_proposal' }, 'deputyId');
    await bad({ ...base(), number: '第1号', coUnitIds: [unitA] }, 'coUnitIds');
    await bad({ ...base(), number: '第1号', deadline: '2026-02-30' }, 'deadline');
    expect((await reporterA.post('/api/supervision/proposals', { ...base(), number: '第1号' })).statusCode).toBe(403);
    const r = await office.post('/api/supervision/proposals', { ...base(), number: '第1号' });
    expect(r.statusCode, r.body).toBe(201);
    p1 = r.json().id;
    expect(r.json()).toMatchObject({ status: 'assigned', round: 1, coUnitNames: ['丙局'] });
    await bad({ ...base(), number: '第1号' }, 'number');
    const r2 = await office.post('/api/supervision/proposals', {
      ...base(),
      number: '第2号',
      title: '关于背街小巷整治的议案',
      leadUnitId: unitB,
      coUnitIds: [],
      deadline: `${YEAR}-01-31`,
    });
    expect(r2.statusCode, r2.body).toBe(201);
    p2 = r2.json().id;
    const deputies = (await office.get('/api/supervision/proposals/deputies')).json();
    expect(deputies.map((d: { userId: number }) => d.userId).sort()).toEqual([deputy1.userId, deputy2.userId].sort());
  });

  it('another unit cannot reply to it (404) and a co-unit may not (403); B unchanged', async () => {
    const before = await q('SELECT * FROM supervision_proposal_rounds WHERE proposal_id = $1', [p1]);
    expect((await reporterB.get(`/api/supervision/proposals/${p1}`)).statusCode).toBe(404);
    expect((await reporterB.post(`/api/supervision/proposals/${p1}/reply`, { reply: '乙的答复' })).statusCode).toBe(
      404,
    );
    expect((await reporterC.get(`/api/supervision/proposals/${p1}`)).statusCode).toBe(200);
    expect((await reporterC.post(`/api/supervision/proposals/${p1}/reply`, { reply: '丙的答复' })).statusCode).toBe(
      403,
    );
    expect(await q('SELECT * FROM supervision_proposal_rounds WHERE proposal_id = $1', [p1])).toEqual(before);
    // A's inbox holds p1, not p2; B's holds p2.
    const inbox = (await reporterA.get('/api/supervision/proposals?mine=1')).json();
    expect(inbox.rows.map((r: { id: number }) => r.id)).toEqual([p1]);
    expect(
      (await reporterB.get('/api/supervision/proposals?mine=1')).json().rows.map((r: { id: number }) => r.id),
    ).toEqual([p2]);
  });

  it('the lead unit replies; only the proposal’s own deputy rates; 不满意 needs a reason and sends it back', async () => {
    const rep = await reporterA.post(`/api/supervision/proposals/${p1}/reply`, { reply: '已纳入年度建设计划。' });
    expect(rep.statusCode, rep.body).toBe(200);
    expect(rep.json().status).toBe('replied');
    expect((await reporterA.post(`/api/supervision/proposals/${p1}/reply`, { reply: '再答' })).statusCode).toBe(409);
    // Deputy 2 neither sees nor rates deputy 1's proposal; the unit cannot rate.
    expect(
      (await deputy2.post(`/api/supervision/proposals/${p1}/rate`, { satisfaction: 'satisfied' })).statusCode,
    ).toBe(404);
    expect(
      (await reporterA.post(`/api/supervision/proposals/${p1}/rate`, { satisfaction: 'satisfied' })).statusCode,
    ).toBe(403);
    const noReason = await deputy1.post(`/api/supervision/proposals/${p1}/rate`, { satisfaction: 'unsatisfied' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('note');
    const un = await deputy1.post(`/api/supervision/proposals/${p1}/rate`, {
      satisfaction: 'unsatisfied',
      note: '没有明确建设时间表',
    });
    expect(un.statusCode, un.body).toBe(200);
    expect(un.json()).toMatchObject({ status: 'assigned', round: 2, satisfaction: 'unsatisfied' });
    expect(un.json().deadline > TODAY).toBe(true);
    expect((await deputy1.get('/api/supervision/proposals?mine=1')).json().total).toBe(2);
    expect((await deputy2.get('/api/supervision/proposals?mine=1')).json().total).toBe(0);
    expect((await deputy2.get('/api/supervision/proposals')).json().total).toBe(0);
    await reporterA.post(`/api/supervision/proposals/${p1}/reply`, { reply: `计划于${YEAR + 1}年6月前建成。` });
    const ok = await deputy1.post(`/api/supervision/proposals/${p1}/rate`, { satisfaction: 'basically' });
    expect(ok.json().status).toBe('closed');
    expect(ok.json().rounds.map((r: { satisfaction: string; onTime: boolean }) => [r.satisfaction, r.onTime])).toEqual([
      ['unsatisfied', true],
      ['basically', true],
    ]);
    // B replies late to its own proposal (deadline in January).
    const late = await reporterB.post(`/api/supervision/proposals/${p2}/reply`, { reply: '已整治完毕。' });
    expect(late.json().rounds[0].onTime).toBe(TODAY <= `${YEAR}-01-31`);
  });

  it("writes the on-time reply and satisfaction figures into the units' supervision inputs, equal to a count of the rounds", async () => {
    const rounds = await q<{
      proposal_id: number;
      unit_id: number;
      round: number;
      deadline: string;
      replied_on: string | null;
      satisfaction: string | null;
    }>(
      `SELECT proposal_id, unit_id, round, deadline::text AS deadline, replied_on::text AS replied_on, satisfaction
         FROM supervision_proposal_rounds ORDER BY proposal_id, round`,
    );
    for (const unit of [unitA, unitB]) {
      const mine = rounds.filter((r) => Number(r.unit_id) === unit);
      const due = mine.filter((r) => r.deadline <= TODAY || r.replied_on !== null);
      const onTime = due.filter((r) => r.replied_on !== null && r.replied_on <= r.deadline);
      const latest = new Map<number, string>();
      for (const r of mine) if (r.satisfaction) latest.set(Number(r.proposal_id), r.satisfaction);
      const satisfied = [...latest.values()].filter((s) => s !== 'unsatisfied').length;
      const [input] = await q<{ value: number | null; fields: Record<string, unknown> }>(
        'SELECT value, fields FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
        [leafId, unit, PERIOD],
      );
      expect(input, `input of unit ${unit}`).toBeDefined();
      expect(input.fields.proposalRepliesDue).toBe(due.length);
      expect(input.fields.proposalRepliesOnTime).toBe(onTime.length);
      expect(input.fields.proposalsRated).toBe(latest.size);
      expect(input.fields.proposalsSatisfied).toBe(satisfied);
      expect(input.fields.proposalReplyRate).toBe(Math.round((onTime.length / due.length) * 1000) / 10);
    }
    // B has no task due yet: its input carries the proposal figures and no 督办完成率 value.
    const [b] = await q<{ value: number | null }>(
      'SELECT value FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
      [leafId, unitB, PERIOD],
    );
    expect(b.value).toBeNull();
    const stats = (
      await office.get(`/api/supervision/proposals/stats?year=${YEAR}&month=${Number(PERIOD.slice(5))}`)
    ).json();
    expect(stats.find((s: { unitId: number }) => s.unitId === unitA)).toMatchObject({
      rated: 1,
      satisfied: 1,
      satisfactionRate: 100,
    });
  });

  it('exports the office list to Excel and filters it', async () => {
    const x = await office.get(`/api/supervision/proposals.xlsx?year=${YEAR}`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const closed = (await office.get('/api/supervision/proposals?status=closed')).json();
    expect(closed.rows.map((r: { id: number }) => r.id)).toEqual([p1]);
    expect((await reporterA.get(`/api/supervision/proposals.xlsx`)).statusCode).toBe(200);
  });
});

describe('investment projects (招商引资督办)', () => {
  let id: number;
  const project = () => ({
    year: YEAR,
    name: '城东智能制造产业园',
    investor: '华中智造集团',
    industry: '先进制造',
    contractAmount: 120000,
    unitId: unitA,
    leaderId: mainLeader.userId,
    planned: {
      signed: `${YEAR}-02-01`,
      registered: `${YEAR}-03-01`,
      started: `${YEAR}-05-01`,
      producing: `${YEAR + 1}-06-30`,
    },
  });

  it('the office enters a project with its planned stages; stages out of order are refused', async () => {
    const bad = await office.post('/api/supervision/investments', {
      ...project(),
      planned: { ...project().planned, started: `${YEAR}-01-01` },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('planned.started');
    expect((await reporterA.post('/api/supervision/investments', project())).statusCode).toBe(403);
    const r = await office.post('/api/supervision/investments', project());
    expect(r.statusCode, r.body).toBe(201);
    id = r.json().id;
    expect(r.json()).toMatchObject({ stage: null, unitName: '甲局', canRecord: true });
    // Every stage planned before today and not done is overdue.
    const planned = project().planned;
    expect(r.json().overdueStages).toEqual(
      (['signed', 'registered', 'started', 'producing'] as const).filter((k) => planned[k] < TODAY),
    );
  });

  it('the unit records stages in order with dates and the paid-in amount; another unit cannot (B unchanged)', async () => {
    const before = await q('SELECT * FROM supervision_investment_stages WHERE project_id = $1 ORDER BY stage', [id]);
    expect((await reporterB.get(`/api/supervision/investments/${id}`)).statusCode).toBe(404);
    expect(
      (await reporterB.post(`/api/supervision/investments/${id}/stages`, { stage: 'signed', doneOn: `${YEAR}-02-03` }))
        .statusCode,
    ).toBe(404);
    expect(await q('SELECT * FROM supervision_investment_stages WHERE project_id = $1 ORDER BY stage', [id])).toEqual(
      before,
    );
    const skip = await reporterA.post(`/api/supervision/investments/${id}/stages`, {
      stage: 'started',
      doneOn: `${YEAR}-02-03`,
    });
    expect(skip.statusCode).toBe(400);
    expect(skip.json().error.field).toBe('stage');
    const s1 = await reporterA.post(`/api/supervision/investments/${id}/stages`, {
      stage: 'signed',
      doneOn: `${YEAR}-02-03`,
      note: '正式签约',
    });
    expect(s1.statusCode, s1.body).toBe(200);
    const early = await reporterA.post(`/api/supervision/investments/${id}/stages`, {
      stage: 'registered',
      doneOn: `${YEAR}-01-15`,
    });
    expect(early.json().error.field).toBe('doneOn');
    const s2 = await reporterA.post(`/api/supervision/investments/${id}/stages`, {
      stage: 'registered',
      doneOn: `${YEAR}-03-10`,
      paidInAmount: 30000,
    });
    expect(s2.json()).toMatchObject({ stage: 'registered', paidInAmount: 30000 });
    expect(s2.json().stages.map((s: { doneOn: string | null }) => s.doneOn)).toEqual([
      `${YEAR}-02-03`,
      `${YEAR}-03-10`,
      null,
      null,
    ]);
    expect(s2.json().overdueStages).not.toContain('signed');
    // The leader in charge sees it; the list filters by stage and exports.
    expect(
      (await mainLeader.get(`/api/supervision/investments?stage=registered`)).json().map((p: { id: number }) => p.id),
    ).toEqual([id]);
    expect((await reporterB.get('/api/supervision/investments')).json()).toEqual([]);
    const x = await office.get('/api/supervision/investments.xlsx');
    expect(x.headers['content-type']).toContain('spreadsheetml');
  });
});
