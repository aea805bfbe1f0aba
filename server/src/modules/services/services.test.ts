import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../engine/workdays.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { lightsAndWarnings, syncApprovalsScoreInputs } from './index.js';

let env: TestEnv;
let centre: number;
let unitA: number;
let unitB: number;
let unitC: number;
let office: Client;
let supervisor: Client;
let clerk: Client;
let otherClerk: Client;
let handlerA: Client;
let handlerB: Client;
let handlerC: Client;
let itemId: number;
const TODAY = beijingDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function form(fields: Record<string, string>, file?: { name: string; data: Buffer }) {
  const b = '----xnsvc';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${b}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

const q = <T>(sql: string, p: unknown[] = []) => env.database.query<T>(sql, p);

beforeAll(async () => {
  env = await createTestEnv();
  const cat = await env.buildCategory();
  centre = await env.buildUnit({ name: '政务服务中心' });
  unitA = await env.buildUnit({ name: '市场监管局', categoryId: cat });
  unitB = await env.buildUnit({ name: '消防大队', categoryId: cat });
  unitC = await env.buildUnit({ name: '文旅局', categoryId: cat });
  office = await env.userClient({ roles: ['office'] });
  supervisor = await env.userClient({ roles: ['supervisor'] });
  clerk = await env.userClient({ username: 'clerk1', roles: ['window_clerk'], unitId: centre });
  otherClerk = await env.userClient({ username: 'clerk2', roles: ['window_clerk'], unitId: centre });
  handlerA = await env.userClient({ username: 'ha', roles: ['handler'], unitId: unitA });
  handlerB = await env.userClient({ username: 'hb', roles: ['handler'], unitId: unitB });
  handlerC = await env.userClient({ username: 'hc', roles: ['handler'], unitId: unitC });
  await q("UPDATE users SET phone = '13900000001', display_name = '甲审查员' WHERE username = 'ha'");
  await q("UPDATE users SET display_name = '乙审查员' WHERE username = 'hb'");
  const it = await office.post('/api/services/items', {
    code: 'QYKB-01',
    name: '餐饮店开办',
    kind: 'license',
    departmentId: unitA,
    legalDays: 20,
    committedDays: 6,
    materials: [{ name: '申请表', required: true }],
    channel: 'both',
    steps: [
      { seq: 1, phase: 'accept', name: '受理', departmentId: centre, days: 0 },
      { seq: 2, phase: 'review', name: '食品经营审查', departmentId: unitA, days: 3 },
      { seq: 2, phase: 'review', name: '消防审查', departmentId: unitB, days: 3 },
      { seq: 3, phase: 'decide', name: '决定', departmentId: unitA, days: 2 },
      { seq: 4, phase: 'deliver', name: '送达', departmentId: centre, days: 1 },
    ],
  });
  expect(it.statusCode, it.body).toBe(201);
  expect(it.json().parallel).toBe(true);
  itemId = it.json().id;
});
afterAll(async () => env?.close());

describe('an online application through parallel steps with 补正', () => {
  let id: number;
  let number: string;
  let password: string;
  let stepA: number;
  let stepB: number;

  it('files online (public, no login) with a material file and lists the item publicly', async () => {
    const items = await env.anon.get('/api/public/services/items');
    expect(items.statusCode).toBe(200);
    expect(items.json().map((i: { code: string }) => i.code)).toContain('QYKB-01');
    const res = await env.anon.request({
      method: 'POST',
      url: '/api/public/services/applications',
      ...form(
        { itemId: String(itemId), applicantName: '王老板', applicantPhone: '13812345678', applicantOrg: '楚味餐饮' },
        { name: '申请表.png', data: PNG },
      ),
    });
    expect(res.statusCode, res.body).toBe(201);
    ({ id, number, password } = res.json());
    expect(password).toMatch(/^\d{6}$/);
    const [row] = await q<{ status: string; password_hash: string; channel: string }>(
      'SELECT status, password_hash, channel FROM service_applications WHERE id = $1',
      [id],
    );
    expect(row).toMatchObject({ status: 'submitted', channel: 'online' });
    expect(row.password_hash).not.toContain(password);
    expect((await q('SELECT 1 FROM service_files WHERE application_id = $1', [id])).length).toBe(1);
  });

  it('lets a window clerk accept it; the two departments get their steps at once', async () => {
    const list = await clerk.get('/api/services/applications?status=submitted');
    expect(list.json().rows.map((r: { id: number }) => r.id)).toContain(id);
    const res = await clerk.post(`/api/services/applications/${id}/accept`, { note: '内部备注：材料原件已核验' });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.status).toBe('in_progress');
    const open = d.steps.filter((s: { status: string }) => s.status === 'pending');
    expect(open.map((s: { departmentId: number }) => s.departmentId).sort()).toEqual([unitA, unitB].sort());
    stepA = open.find((s: { departmentId: number }) => s.departmentId === unitA).id;
    stepB = open.find((s: { departmentId: number }) => s.departmentId === unitB).id;
  });

  it('keeps other departments and other clerks out', async () => {
    const before = await q('SELECT * FROM service_steps WHERE application_id = $1 ORDER BY id', [id]);
    expect((await handlerC.get(`/api/services/applications/${id}`)).statusCode).toBe(404);
    expect((await handlerC.post(`/api/services/steps/${stepB}/sign`, {})).statusCode).toBe(404);
    // A's handler may not act on B's step even though it sees the application.
    expect((await handlerA.get(`/api/services/applications/${id}`)).statusCode).toBe(200);
    expect((await handlerA.post(`/api/services/steps/${stepB}/sign`, {})).statusCode).toBe(404);
    // The other clerk neither filed nor accepted it.
    expect((await otherClerk.get(`/api/services/applications/${id}`)).statusCode).toBe(404);
    expect(
      (await handlerC.get('/api/services/applications')).json().rows.map((r: { id: number }) => r.id),
    ).not.toContain(id);
    expect((await handlerA.get('/api/services/monitor')).statusCode).toBe(403);
    expect(await q('SELECT * FROM service_steps WHERE application_id = $1 ORDER BY id', [id])).toEqual(before);
  });

  it('runs 补正 on one parallel step while the other approves; the clock stops', async () => {
    expect((await handlerA.post(`/api/services/steps/${stepA}/sign`, {})).statusCode).toBe(200);
    expect((await handlerB.post(`/api/services/steps/${stepB}/sign`, {})).statusCode).toBe(200);
    const c = await handlerB.post(`/api/services/applications/${id}/correction`, {
      stepId: stepB,
      materials: '消防设计审查意见书',
    });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().paused).toBe(true);
    // A refusal needs its reason.
    const noReason = await handlerA.post(`/api/services/steps/${stepA}/decide`, { decision: 'refuse' });
    expect(noReason.statusCode).toBe(400);
    const a = await handlerA.post(`/api/services/steps/${stepA}/decide`, { decision: 'approve' });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().steps.find((s: { phase: string }) => s.phase === 'decide').status).toBe('waiting');
    const t = await env.anon.post('/api/public/services/track', { number, password });
    expect(t.json()).toMatchObject({ paused: true, openCorrection: '消防设计审查意见书', rating: null });
    // Not completed: nothing to rate yet.
    const early = await env.anon.post('/api/public/services/rate', { number, password, level: 'satisfied' });
    expect(early.statusCode).toBe(409);
    expect(await q('SELECT 1 FROM service_ratings WHERE subject_id = $1', [id])).toEqual([]);
  });

  it('takes the missing material online with the password, and the clock runs again', async () => {
    const res = await env.anon.request({
      method: 'POST',
      url: '/api/public/services/supplement',
      ...form({ number, password }, { name: '消防意见书.png', data: PNG }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().paused).toBe(false);
    const [c] = await q<{ resolved_at: unknown }>(
      'SELECT resolved_at FROM service_corrections WHERE application_id = $1',
      [id],
    );
    expect(c.resolved_at).not.toBeNull();
  });

  it('decides and delivers; the applicant tracks every step with names and times and nothing internal', async () => {
    expect((await handlerB.post(`/api/services/steps/${stepB}/decide`, { decision: 'approve' })).statusCode).toBe(200);
    const d = (await handlerA.get(`/api/services/applications/${id}`)).json();
    const decide = d.steps.find((s: { phase: string }) => s.phase === 'decide');
    expect(decide.status).toBe('pending');
    await handlerA.post(`/api/services/steps/${decide.id}/sign`, {});
    const done = await handlerA.post(`/api/services/steps/${decide.id}/decide`, { decision: 'approve' });
    expect(done.json()).toMatchObject({ status: 'delivering', result: 'approved' });
    const del = await clerk.post(`/api/services/applications/${id}/deliver`, {});
    expect(del.json().status).toBe('completed');
    // 好差评: the applicant is invited to rate it (ratings module), by SMS.
    const invites = await q<{ subject_ref: string; phone: string }>(
      "SELECT subject_ref, phone FROM service_ratings WHERE subject_kind = 'application' AND subject_id = $1",
      [id],
    );
    expect(invites).toEqual([{ subject_ref: number, phone: '13812345678' }]);
    const t = await env.anon.post('/api/public/services/track', { number, password });
    expect(t.statusCode).toBe(200);
    const v = t.json();
    expect(v.status).toBe('completed');
    expect(v.steps).toHaveLength(5);
    for (const s of v.steps) {
      expect(s.official).toBeTruthy();
      expect(s.startedAt).toBeTruthy();
      expect(s.endedAt).toBeTruthy();
      expect(typeof s.daysUsed).toBe('number');
    }
    expect(v.steps.map((s: { official: string }) => s.official)).toEqual(
      expect.arrayContaining(['甲审查员', '乙审查员']),
    );
    const text = JSON.stringify(v);
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('内部备注');
    expect(text).not.toContain('王老板');
    expect(text).not.toContain('password');
    // Staff numbers instead of names, per setting.
    expect(
      (await office.request({ method: 'PUT', url: '/api/services/settings', payload: { trackOfficial: 'staff_no' } }))
        .statusCode,
    ).toBe(200);
    const t2 = (await env.anon.post('/api/public/services/track', { number, password })).json();
    expect(t2.steps.some((s: { official: string }) => s.official.startsWith('工号'))).toBe(true);
    expect(JSON.stringify(t2)).not.toContain('甲审查员');
  });

  it('refuses a wrong password (and stores the failure, not the application)', async () => {
    const before = await q('SELECT * FROM service_applications WHERE id = $1', [id]);
    const bad = await env.anon.post('/api/public/services/track', {
      number,
      password: password === '000000' ? '111111' : '000000',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('password');
    expect(await q('SELECT * FROM service_applications WHERE id = $1', [id])).toEqual(before);
    expect((await q('SELECT 1 FROM service_track_failures WHERE number = $1', [number])).length).toBe(1);
  });

  it('takes the 好差评 on the tracking page with number + password: once, a 差评 with its reason opens a rectification', async () => {
    expect((await env.anon.post('/api/public/services/track', { number, password })).json().rating).toEqual({
      status: 'invited',
      level: null,
    });
    const ratingRow = () =>
      q<{ status: string; level: string | null }>(
        "SELECT status, level FROM service_ratings WHERE subject_kind = 'application' AND subject_id = $1",
        [id],
      );
    const wrong = await env.anon.post('/api/public/services/rate', {
      number,
      password: password === '000000' ? '111111' : '000000',
      level: 'very_satisfied',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('password');
    const noReason = await env.anon.post('/api/public/services/rate', { number, password, level: 'unsatisfied' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('comment');
    expect(await ratingRow()).toEqual([{ status: 'invited', level: null }]);
    const rated = await env.anon.post('/api/public/services/rate', {
      number,
      password,
      level: 'unsatisfied',
      aspects: { efficiency: 'very_unsatisfied' },
      comment: '消防审查等了很久',
    });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json().rating).toEqual({ status: 'rated', level: 'unsatisfied' });
    expect(await ratingRow()).toEqual([{ status: 'rated', level: 'unsatisfied' }]);
    const rect = await q<{ unit_id: number }>(
      'SELECT x.unit_id FROM rating_rectifications x JOIN service_ratings r ON r.id = x.rating_id WHERE r.subject_id = $1',
      [id],
    );
    expect(rect).toEqual([{ unit_id: unitA }]);
    const again = await env.anon.post('/api/public/services/rate', { number, password, level: 'very_satisfied' });
    expect(again.statusCode).toBe(409);
    expect(await ratingRow()).toEqual([{ status: 'rated', level: 'unsatisfied' }]);
  });

  it('takes a complaint from the public page; the 监察 body accepts it within 5 working days', async () => {
    const c = await env.anon.post('/api/public/services/complaints', {
      number,
      password,
      kind: 'delay',
      content: '消防审查太慢',
    });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().decideBy > TODAY).toBe(true);
    const list = (await supervisor.get('/api/services/complaints?status=pending')).json();
    expect(list.rows[0]).toMatchObject({ number, status: 'pending' });
    const d = await supervisor.post(`/api/services/complaints/${c.json().id}/decide`, {
      decision: 'accept',
      note: '受理调查',
    });
    expect(d.statusCode, d.body).toBe(200);
    const again = await supervisor.post(`/api/services/complaints/${c.json().id}/decide`, {
      decision: 'decline',
      note: '不受理',
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('window refusals and electronic supervision', () => {
  async function fileAndAccept(): Promise<{
    id: number;
    steps: { id: number; departmentId: number; status: string; phase: string }[];
  }> {
    const f = await clerk.post('/api/services/applications', {
      itemId,
      applicantName: '李四',
      applicantPhone: '13800002222',
    });
    expect(f.statusCode, f.body).toBe(201);
    const a = await clerk.post(`/api/services/applications/${f.json().id}/accept`, {});
    return { id: f.json().id, steps: a.json().steps };
  }

  it('refuses acceptance only with a reason', async () => {
    const f = await clerk.post('/api/services/applications', {
      itemId,
      applicantName: '赵五',
      applicantPhone: '13800003333',
    });
    const id = f.json().id;
    expect((await clerk.post(`/api/services/applications/${id}/refuse`, {})).statusCode).toBe(400);
    const r = await clerk.post(`/api/services/applications/${id}/refuse`, { reason: '不属于本中心受理范围' });
    expect(r.json()).toMatchObject({ status: 'not_accepted', reason: '不属于本中心受理范围' });
    expect((await clerk.post(`/api/services/applications/${id}/accept`, {})).statusCode).toBe(409);
  });

  it('flags steps run out of order (a later stage started before an earlier one ended) in the job pass, once', async () => {
    const ok = await fileAndAccept();
    const bad = await fileAndAccept();
    // A record reaching the table another way: the decision step started while a review step is open.
    const decide = bad.steps.find((s) => s.phase === 'decide')!;
    await q(`UPDATE service_steps SET started_at = now(), status = 'pending' WHERE id = $1`, [decide.id]);
    const r = await lightsAndWarnings(env.database.db, TODAY);
    expect(r.outOfOrder).toBe(1);
    const flags = await q<{ id: number; anomalies: string[] }>(
      'SELECT id::int AS id, anomalies FROM service_applications WHERE id = ANY($1::int[]) ORDER BY id',
      [[ok.id, bad.id]],
    );
    expect(flags).toEqual([
      { id: ok.id, anomalies: [] },
      { id: bad.id, anomalies: ['out_of_order'] },
    ]);
    // The application completed through the API earlier (stages in order) is not flagged.
    expect(await q(`SELECT id::int AS id FROM service_applications WHERE anomalies ? 'out_of_order'`)).toEqual([
      { id: bad.id },
    ]);
    const m = (await supervisor.get('/api/services/monitor?anomaly=out_of_order')).json();
    expect(m.rows.map((x: { id: number }) => x.id)).toContain(bad.id);
    expect(m.rows.map((x: { id: number }) => x.id)).not.toContain(ok.id);
    expect((await lightsAndWarnings(env.database.db, TODAY)).outOfOrder).toBe(0);
    await q(`UPDATE service_steps SET status = 'cancelled' WHERE application_id = $1`, [bad.id]);
    await q(`UPDATE service_applications SET status = 'not_accepted' WHERE id = $1`, [bad.id]);
  });

  it('lights yellow at 90 % and red when overdue, per step too, and warns the official by SMS once per level', async () => {
    const { id, steps } = await fileAndAccept();
    const sA = steps.find((s) => s.departmentId === unitA && s.status === 'pending')!;
    await handlerA.post(`/api/services/steps/${sA.id}/sign`, {});
    // Move the clock via data: the application's yellow date is today, its due date later.
    await q(`UPDATE service_applications SET yellow_on = $2, due_on = $3 WHERE id = $1`, [id, TODAY, '2999-01-01']);
    let r = await lightsAndWarnings(env.database.db, TODAY);
    expect(r.yellow).toBeGreaterThanOrEqual(1);
    let m = (await supervisor.get('/api/services/monitor?light=yellow')).json();
    expect(m.rows.map((x: { id: number }) => x.id)).toContain(id);
    expect(m.counts.yellow).toBeGreaterThanOrEqual(1);
    // A step overdue makes the application red.
    await q(`UPDATE service_steps SET due_on = '2020-01-01' WHERE id = $1`, [sA.id]);
    r = await lightsAndWarnings(env.database.db, TODAY);
    expect(r.red).toBeGreaterThanOrEqual(1);
    const [row] = await q<{ light: string; light_reasons: string[]; warned: string }>(
      'SELECT light, light_reasons, warned FROM service_applications WHERE id = $1',
      [id],
    );
    expect(row).toMatchObject({ light: 'red', warned: 'red' });
    expect(row.light_reasons).toEqual(expect.arrayContaining(['near_due', 'step_overdue']));
    const sms = await q<{ phone: string; body: string }>(
      "SELECT phone, body FROM sms_outbox WHERE template = 'services_warning'",
    );
    expect(sms.some((s) => s.phone === '13900000001' && s.body.includes('红牌'))).toBe(true);
    const warnings = await q('SELECT level FROM service_warnings WHERE application_id = $1 ORDER BY id', [id]);
    expect(warnings).toEqual([{ level: 'yellow' }, { level: 'red' }]);
    // Once per level.
    await lightsAndWarnings(env.database.db, TODAY);
    expect(await q('SELECT level FROM service_warnings WHERE application_id = $1', [id])).toHaveLength(2);
    m = (await supervisor.get('/api/services/monitor?light=red')).json();
    expect(m.rows[0].openSteps.some((s: { light: string }) => s.light === 'red')).toBe(true);
    // A red one lets the 监察 body issue a 监察建议书 to the department (notices module), once.
    expect(
      (
        await handlerA.post(`/api/services/applications/${id}/notice`, {
          findings: '超时',
          actions: '整改',
          deadline: '2026-12-31',
        })
      ).statusCode,
    ).toBe(403);
    const n = await supervisor.post(`/api/services/applications/${id}/notice`, {
      findings: '审查环节超过承诺时限',
      actions: '说明原因并限期办结',
      deadline: '2026-12-31',
    });
    expect(n.statusCode, n.body).toBe(200);
    const ref = n.json().warnings.find((w: { level: string }) => w.level === 'red').noticeRef;
    expect(ref).toBeTruthy();
    const [notice] = await q<{ unit_id: number; kind: string }>('SELECT unit_id, kind FROM notices WHERE number = $1', [
      ref,
    ]);
    expect(notice).toEqual({ unit_id: unitA, kind: 'supervision_advice' });
    expect(
      (
        await supervisor.post(`/api/services/applications/${id}/notice`, {
          findings: 'x',
          actions: 'y',
          deadline: '2026-12-31',
        })
      ).statusCode,
    ).toBe(409);
  });
});

describe('figures', () => {
  it('equal a count from the raw applications, per department and month, and feed the approvals inputs', async () => {
    const month = Number(TODAY.slice(5, 7));
    // Two more 好差评 for unit A this month (one rated earlier, a 差评), one for a case (not an application), one last year.
    await q(
      `INSERT INTO service_ratings(subject_kind, subject_id, unit_id, round, phone, token_hash, status, level, rated_at)
       VALUES ('application', 900001, $1, 1, '1', 'h1', 'rated', 'satisfied', now()),
              ('application', 900002, $1, 1, '1', 'h2', 'rated', 'basic', now()),
              ('case', 900003, $1, 1, '1', 'h3', 'rated', 'very_unsatisfied', now()),
              ('application', 900004, $1, 1, '1', 'h4', 'rated', 'very_unsatisfied', now() - interval '400 days')`,
      [unitA],
    );
    const res = await supervisor.get(`/api/services/figures?year=${YEAR}&month=${month}`);
    expect(res.statusCode, res.body).toBe(200);
    const raw = await q<{ department_id: number; n: number; completed: number; on_time: number }>(
      `SELECT department_id, count(*)::int AS n,
              count(*) FILTER (WHERE status = 'completed' AND to_char(completed_on, 'YYYY-MM') = $1)::int AS completed,
              count(*) FILTER (WHERE status = 'completed' AND days_used <= committed_days AND to_char(completed_on, 'YYYY-MM') = $1)::int AS on_time
         FROM service_applications WHERE to_char(filed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $1 GROUP BY 1`,
      [TODAY.slice(0, 7)],
    );
    const byDept = new Map(res.json().map((f: { departmentId: number }) => [f.departmentId, f]));
    expect(raw.length).toBeGreaterThan(0);
    for (const r of raw)
      expect(byDept.get(r.department_id)).toMatchObject({
        applications: r.n,
        completed: r.completed,
        onTime: r.on_time,
      });
    // 好评率 from the raw ratings of applications rated this month.
    const rated = await q<{ unit_id: number; n: number; good: number }>(
      `SELECT unit_id, count(*)::int AS n, count(*) FILTER (WHERE level NOT IN ('unsatisfied', 'very_unsatisfied'))::int AS good
         FROM service_ratings WHERE subject_kind = 'application' AND status = 'rated'
          AND to_char(rated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $1 GROUP BY 1`,
      [TODAY.slice(0, 7)],
    );
    expect(rated).toContainEqual({ unit_id: unitA, n: 3, good: 2 });
    for (const r of rated)
      expect(byDept.get(r.unit_id)).toMatchObject({ rated: r.n, satisfaction: Math.round((r.good / r.n) * 1000) / 10 });
    const [corr] = await q<{ n: number }>('SELECT count(*)::int AS n FROM service_corrections');
    expect(res.json().reduce((s: number, f: { corrections: number }) => s + f.corrections, 0)).toBe(corr.n);
    // A unit's own leader sees only their department.
    const leaderB = await env.userClient({ roles: ['unit_leader'], unitId: unitB });
    const own = (await leaderB.get(`/api/services/figures?year=${YEAR}&month=${month}`)).json();
    expect(own.every((f: { departmentId: number }) => f.departmentId === unitB)).toBe(true);
    expect((await clerk.get(`/api/services/figures?year=${YEAR}`)).statusCode).toBe(403);

    // The approvals leaf gets the on-time rate.
    const [y] = await q<{ id: number }>(
      `INSERT INTO assessment_years(year, name, status, grade_rule, deadline_day) VALUES ($1, '年度', 'in_force', $2, 15) RETURNING id`,
      [YEAR, JSON.stringify({ by: 'threshold', grades: [{ label: '优秀', threshold: 0 }] })],
    );
    const [cat] = await q<{ category_id: number }>('SELECT category_id FROM units WHERE id = $1', [unitA]);
    await q(
      `INSERT INTO indicators(year_id, code, name, level, points, unit_of_measure, applies_to, data_source, aggregate) VALUES ($1, 'S1', '按期办结率', 1, 10, '%', $2, 'approvals', 'last')`,
      [y.id, JSON.stringify({ categoryIds: [cat.category_id], unitIds: [] })],
    );
    const r = await env.database.db.transaction((tx) => syncApprovalsScoreInputs(tx, { year: YEAR, on: TODAY }));
    expect(r.inputs).toBeGreaterThan(0);
    const [input] = await q<{ value: string; source: string }>(
      `SELECT value::text, source FROM score_inputs WHERE unit_id = $1 AND period = $2`,
      [unitA, TODAY.slice(0, 7)],
    );
    const fA = byDept.get(unitA) as { onTimeRate: number };
    expect(input.source).toBe('approvals');
    expect(Number(input.value)).toBe(fA.onTimeRate);
  });

  it('exports the catalogue and the figures to Excel', async () => {
    const x = await office.get('/api/services/items.xlsx');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const f = await supervisor.get(`/api/services/figures.xlsx?year=${YEAR}`);
    expect(f.statusCode).toBe(200);
  });
});
