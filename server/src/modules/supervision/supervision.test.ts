import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { beijingDate } from '../../engine/workdays.js';

let env: TestEnv;
let unitA: number;
let unitB: number;
let unitC: number;
let leafId: number;
let office: Client;
let leader: Client;
let reporterA: Client;
let reporterB: Client;
let reporterC: Client;
let leaderOther: Client;
const YEAR = Number(beijingDate(new Date()).slice(0, 4));
const TODAY = beijingDate(new Date());
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function form(name: string, data: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const b = '----xnsup';
  const payload = Buffer.concat([
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
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
    gradeRule: {
      by: 'threshold',
      grades: [
        { label: '优秀', threshold: 90 },
        { label: '不达标', threshold: 0 },
      ],
    },
    root: { code: 'A', name: '履职' },
    leaf: { code: 'A1', name: '督办完成率', dataSource: 'supervision' },
  }));
  office = await env.userClient({ roles: ['supervisor'] });
  leader = await env.userClient({ roles: ['district_leader'], leaderOf: [unitA] });
  leaderOther = await env.userClient({ roles: ['district_leader'], leaderOf: [unitB] });
  reporterA = await env.userClient({ roles: ['reporter'], unitId: unitA });
  reporterB = await env.userClient({ roles: ['reporter'], unitId: unitB });
  reporterC = await env.userClient({ roles: ['reporter'], unitId: unitC });
});
afterAll(async () => env?.close());

async function row(id: number) {
  const [r] = await env.database.query<{ status: string; progress: number; plan: string; completion: string | null }>(
    'SELECT status, progress, plan, completion FROM supervision_tasks WHERE id = $1',
    [id],
  );
  return r;
}

describe('supervision flow: instruction → 立项 → 签收 → 方案 → 进展 → 办结 → 评定', () => {
  let taskId: number;
  it('a leader writes an instruction: a task awaiting 立项, visible to the office and the leader, not to units', async () => {
    const res = await leader.post('/api/supervision/instructions', {
      targetKind: 'indicator',
      targetRef: 'A1',
      unitId: unitA,
      title: '督办完成率偏低，请甲局限期整改',
      content: '请督查室立项督办。',
    });
    expect(res.statusCode).toBe(201);
    const t = res.json();
    taskId = t.id;
    expect(t.status).toBe('proposed');
    expect(t.source).toBe('lagging_indicator');
    expect(t.instruction.content).toBe('请督查室立项督办。');
    expect((await office.get(`/api/supervision/tasks/${taskId}`)).statusCode).toBe(200);
    expect((await reporterA.get(`/api/supervision/tasks/${taskId}`)).statusCode).toBe(404);
    expect(
      (await leader.post(`/api/supervision/tasks/${taskId}/accept`, { leadUnitId: unitA, deadline: `${YEAR}-12-31` }))
        .statusCode,
    ).toBe(403);
  });

  it('the office accepts it with a lead unit, a co-unit and a milestone; declining needs a reason', async () => {
    expect((await office.post(`/api/supervision/tasks/${taskId}/decline`, { reason: '' })).statusCode).toBe(400);
    const res = await office.post(`/api/supervision/tasks/${taskId}/accept`, {
      leadUnitId: unitA,
      leadContact: '张三 13800000001',
      coUnits: [{ unitId: unitC, contact: '李四' }],
      deadline: `${YEAR}-12-31`,
      milestones: [{ title: '完成整改方案', dueOn: `${YEAR}-12-20` }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('assigned');
    expect(res.json().light).not.toBeNull();
    // A second 立项 is refused by the state machine.
    expect(
      (
        await office.post(`/api/supervision/tasks/${taskId}/accept`, { leadUnitId: unitA, deadline: `${YEAR}-12-31` })
      ).json().error.code,
    ).toBe('INVALID_STATE');
  });

  it("unit B cannot see or sign unit A's task, and the task is unchanged", async () => {
    const before = await row(taskId);
    expect((await reporterB.get(`/api/supervision/tasks/${taskId}`)).statusCode).toBe(404);
    expect((await reporterB.post(`/api/supervision/tasks/${taskId}/sign`, {})).statusCode).toBe(404);
    const ledger = (await reporterB.get('/api/supervision/tasks')).json();
    expect(ledger.rows.map((r: { id: number }) => r.id)).not.toContain(taskId);
    expect(await row(taskId)).toEqual(before);
    // The other district leader does not see it either.
    expect((await leaderOther.get(`/api/supervision/tasks/${taskId}`)).statusCode).toBe(404);
  });

  it('the co-unit sees it but cannot sign; the lead unit signs and submits its plan', async () => {
    expect((await reporterC.get(`/api/supervision/tasks/${taskId}`)).statusCode).toBe(200);
    expect((await reporterC.post(`/api/supervision/tasks/${taskId}/sign`, {})).statusCode).toBe(403);
    expect((await reporterA.post(`/api/supervision/tasks/${taskId}/sign`, {})).json().status).toBe('signed');
    expect(
      (await reporterA.post(`/api/supervision/tasks/${taskId}/plan`, { plan: '一、成立专班；二、逐项整改。' })).json()
        .status,
    ).toBe('plan_submitted');
  });

  it('the leader in charge returns the plan with a reason, then approves the new one', async () => {
    expect((await reporterA.post(`/api/supervision/tasks/${taskId}/plan/approve`, {})).statusCode).toBe(403);
    expect((await leader.post(`/api/supervision/tasks/${taskId}/plan/return`, {})).json().error.field).toBe('reason');
    const ret = await leader.post(`/api/supervision/tasks/${taskId}/plan/return`, {
      reason: '措施不具体，请明确责任人',
    });
    expect(ret.json().status).toBe('signed');
    expect(ret.json().events.at(-1)).toMatchObject({ kind: 'returnPlan', note: '措施不具体，请明确责任人' });
    await reporterA.post(`/api/supervision/tasks/${taskId}/plan`, { plan: '一、成立专班（王局长）；二、逐项整改。' });
    expect((await leader.post(`/api/supervision/tasks/${taskId}/plan/approve`, { note: '同意' })).json().status).toBe(
      'in_progress',
    );
  });

  it('the lead unit reports progress with a file; a co-unit reports its part without changing the progress', async () => {
    const up = await reporterA.request({
      method: 'POST',
      url: `/api/supervision/tasks/${taskId}/files`,
      ...form('现场.png', PNG),
    });
    expect(up.statusCode).toBe(201);
    const fileId = up.json().id;
    // Unit B can neither upload nor download.
    expect(
      (
        await reporterB.request({
          method: 'POST',
          url: `/api/supervision/tasks/${taskId}/files`,
          ...form('x.png', PNG),
        })
      ).statusCode,
    ).toBe(404);
    expect((await reporterB.get(`/api/supervision/files/${fileId}`)).statusCode).toBe(404);
    expect((await reporterA.get(`/api/supervision/files/${fileId}`)).rawPayload.equals(PNG)).toBe(true);
    const ms = (await reporterA.get(`/api/supervision/tasks/${taskId}`)).json().milestones;
    const r = await reporterA.post(`/api/supervision/tasks/${taskId}/reports`, {
      progress: 60,
      note: '专班已成立，整改过半',
      fileIds: [fileId],
      milestoneIdsDone: [ms[0].id],
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().progress).toBe(60);
    expect(r.json().milestones[0].doneOn).toBe(TODAY);
    const c = await reporterC.post(`/api/supervision/tasks/${taskId}/reports`, { progress: 10, note: '配合提供数据' });
    expect(c.json().progress).toBe(60);
    expect(c.json().events.at(-1)).toMatchObject({ kind: 'report', unitName: '丙局', progress: 10 });
  });

  it("the unit applies for completion; the office rates it on time, and the unit's 督办完成率 input is written", async () => {
    expect(
      (await reporterA.post(`/api/supervision/tasks/${taskId}/completion`, { note: '已全部整改' })).json().status,
    ).toBe('completion_applied');
    expect(
      (
        await office.post(`/api/supervision/tasks/${taskId}/review`, { completion: 'on_time', quality: 'excellent' })
      ).json().error.field,
    ).toBe('reason');
    expect(
      (
        await reporterA.post(`/api/supervision/tasks/${taskId}/review`, {
          completion: 'on_time',
          quality: 'excellent',
          reason: '自评',
        })
      ).statusCode,
    ).toBe(403);
    const done = await office.post(`/api/supervision/tasks/${taskId}/review`, {
      completion: 'on_time',
      quality: 'excellent',
      reason: '按节点完成，整改到位',
    });
    expect(done.json()).toMatchObject({
      status: 'completed',
      completion: 'on_time',
      quality: 'excellent',
      light: null,
      actions: [],
    });
    const period = TODAY.slice(0, 7);
    const [input] = await env.database.query<{ value: number; source: string; fields: { onTimeTaskIds: number[] } }>(
      'SELECT value, source, fields FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
      [leafId, unitA, period],
    );
    expect({ value: Number(input.value), source: input.source }).toEqual({ value: 100, source: 'supervision' });
    expect(input.fields.onTimeTaskIds).toEqual([taskId]);
  });

  it('every state change is on the timeline and audited', async () => {
    const t = (await office.get(`/api/supervision/tasks/${taskId}`)).json();
    expect(t.events.map((e: { kind: string }) => e.kind)).toEqual([
      'instruct',
      'accept',
      'sign',
      'submitPlan',
      'returnPlan',
      'submitPlan',
      'approvePlan',
      'report',
      'report',
      'applyCompletion',
      'review',
    ]);
    const audit = await env.database.query<{ action: string }>(
      `SELECT action FROM audit_entries WHERE entity_type = 'supervision_task' AND entity_id = $1 ORDER BY id`,
      [String(taskId)],
    );
    expect(audit.map((a) => a.action).filter((a) => a !== 'supervision.file')).toEqual(
      t.events.map((e: { kind: string }) => `supervision.${e.kind}`),
    );
  });
});

describe('supervision score inputs equal a count from the raw tasks', () => {
  it('on-time completions / tasks due per month, for unit B', async () => {
    const make = async (deadline: string) =>
      (
        await office.post('/api/supervision/tasks', {
          source: 'work_report',
          title: `任务${deadline}`,
          leadUnitId: unitB,
          leaderId: leaderOther.userId,
          startDate: `${YEAR}-01-05`,
          deadline,
        })
      ).json().id as number;
    const ids = [
      await make(`${YEAR}-02-27`),
      await make(`${YEAR}-03-31`),
      await make(`${YEAR}-05-29`),
      await make(`${YEAR}-11-30`),
      await make(`${YEAR}-12-31`),
    ];
    const finish = async (id: number, completion: string) => {
      await reporterB.post(`/api/supervision/tasks/${id}/sign`, {});
      await reporterB.post(`/api/supervision/tasks/${id}/plan`, { plan: '方案' });
      await leaderOther.post(`/api/supervision/tasks/${id}/plan/approve`, {});
      await reporterB.post(`/api/supervision/tasks/${id}/completion`, { note: '完成' });
      const r = await office.post(`/api/supervision/tasks/${id}/review`, {
        completion,
        quality: 'good',
        reason: '评定',
      });
      expect(r.statusCode).toBe(200);
    };
    await finish(ids[0], 'on_time');
    await finish(ids[1], 'overdue');
    await finish(ids[4], 'on_time'); // rated now, before its deadline: counts as due and on time this month
    const inputs = await env.database.query<{ period: string; value: number }>(
      'SELECT period, value FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 ORDER BY period',
      [leafId, unitB],
    );
    expect(inputs.length).toBeGreaterThan(0);
    for (const i of inputs) {
      const asOf =
        i.period === TODAY.slice(0, 7)
          ? TODAY
          : new Date(Date.UTC(Number(i.period.slice(0, 4)), Number(i.period.slice(5, 7)), 0))
              .toISOString()
              .slice(0, 10);
      const [c] = await env.database.query<{ due: number; ontime: number }>(
        `SELECT count(*) FILTER (WHERE deadline <= $2::date OR (reviewed_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date)::int AS due,
                count(*) FILTER (WHERE completion = 'on_time' AND (reviewed_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date)::int AS ontime
           FROM supervision_tasks WHERE lead_unit_id = $1 AND year = $3 AND status NOT IN ('proposed','declined','merged')`,
        [unitB, asOf, YEAR],
      );
      expect(c.due).toBeGreaterThan(0);
      expect(Number(i.value)).toBeCloseTo(Math.round((c.ontime / c.due) * 1000) / 10, 5);
    }
    // The current month: 5 tasks due (all deadlines passed or rated) of which 2 on time, if the year's end is near.
    const stats = (await office.get(`/api/supervision/stats?year=${YEAR}&month=${Number(TODAY.slice(5, 7))}`)).json();
    const b = stats.find((s: { unitId: number }) => s.unitId === unitB);
    expect(b.onTimeTaskIds.sort()).toEqual([ids[0], ids[4]].sort());
  });
});
