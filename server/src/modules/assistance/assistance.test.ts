import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../engine/workdays.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { countRequests, dueState, type StatRequest } from './assistance.stats.js';

let env: TestEnv;
let unitB: number;
let unitC: number;
let leafId: number;
let desk: Client;
let handlerB: Client;
let leaderB: Client;
let handlerC: Client;
const TODAY = beijingDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const q = <T = Record<string, unknown>>(s: string, p: unknown[] = []) => env.database.query<T>(s, p);

beforeAll(async () => {
  env = await createTestEnv();
  const cat = await env.buildCategory();
  const unitA = await env.buildUnit({ name: '政务服务中心', categoryId: cat });
  unitB = await env.buildUnit({ name: '人社局', categoryId: cat });
  unitC = await env.buildUnit({ name: '民政局', categoryId: cat });
  ({ leafId } = await env.buildSourceLeaf({
    year: YEAR,
    categoryId: cat,
    root: { code: 'C', name: '服务' },
    leaf: { code: 'C1', name: '求助转办按时答复率', dataSource: 'assistance' },
  }));
  desk = await env.userClient({ roles: ['mediator'], unitId: unitA });
  handlerB = await env.userClient({ roles: ['handler'], unitId: unitB });
  leaderB = await env.userClient({ roles: ['unit_leader'], unitId: unitB });
  handlerC = await env.userClient({ roles: ['handler'], unitId: unitC });
  await q(`UPDATE users SET phone = '13700000002' WHERE id = $1`, [handlerB.userId]);
  await q(`UPDATE users SET phone = '13700000003' WHERE id = $1`, [handlerC.userId]);
});
const smsTo = (template: string) =>
  q<{ phone: string; body: string }>('SELECT phone, body FROM sms_outbox WHERE template = $1 ORDER BY id', [template]);
afterAll(async () => env?.close());

const request = (over: Record<string, unknown> = {}) => ({
  kind: 'wage',
  requesterName: '李四',
  requesterPhone: '13900000000',
  description: '工地拖欠3人工资两个月',
  people: 3,
  amountClaimed: 30000,
  receivedOn: TODAY,
  ...over,
});
const snapshot = async (id: number) => ({
  r: await q('SELECT * FROM assistance_requests WHERE id = $1', [id]),
  e: await q('SELECT * FROM assistance_events WHERE request_id = $1 ORDER BY id', [id]),
});

describe('an assistance request: registration, referral, supervision, answer, feedback', () => {
  it('goes from the desk to the unit and back, with the unit scope held', async () => {
    const reg = await desk.post('/api/assistance/requests', request());
    expect(reg.statusCode, reg.body).toBe(201);
    const id = reg.json().id;
    expect(reg.json()).toMatchObject({ status: 'registered', unitId: null, actions: ['refer'] });
    expect(reg.json().number).toBe(`QZ${YEAR}-${String(id).padStart(5, '0')}`);
    // Not referred yet: no unit sees it.
    expect((await handlerB.get(`/api/assistance/requests/${id}`)).statusCode).toBe(404);

    const ref = await desk.post(`/api/assistance/requests/${id}/refer`, {
      unitId: unitB,
      dueDays: 5,
      note: '请核实并督促支付',
    });
    expect(ref.statusCode, ref.body).toBe(200);
    expect(ref.json()).toMatchObject({ status: 'referred', unitId: unitB, referredOn: TODAY });
    expect(ref.json().dueOn > TODAY).toBe(true);
    // The unit's handler (not C's) and the requester get an SMS.
    const staff = await smsTo('assistance_staff');
    expect(staff.map((m) => m.phone)).toEqual(['13700000002']);
    expect(staff[0].body).toContain(reg.json().number);
    expect(staff[0].body).toContain(ref.json().dueOn);
    const citizen = await smsTo('assistance_referred');
    expect(citizen).toEqual([{ phone: '13900000000', body: expect.stringContaining('人社局') }]);

    // C neither sees nor acts on B's referral; the rows stay as they were.
    const before = await snapshot(id);
    expect((await handlerC.get(`/api/assistance/requests/${id}`)).statusCode).toBe(404);
    expect((await handlerC.post(`/api/assistance/requests/${id}/sign`, {})).statusCode).toBe(404);
    expect((await handlerC.post(`/api/assistance/requests/${id}/answer`, { answer: '丙代答' })).statusCode).toBe(404);
    // The unit does not refer, urge or call back; the desk does not sign or answer for it.
    expect((await handlerB.post(`/api/assistance/requests/${id}/refer`, { unitId: unitC })).statusCode).toBe(403);
    expect(
      (await handlerB.post(`/api/assistance/requests/${id}/feedback`, { satisfaction: 'satisfied' })).statusCode,
    ).toBe(403);
    expect((await desk.post(`/api/assistance/requests/${id}/answer`, { answer: '中心代答' })).statusCode).toBe(403);
    expect(await snapshot(id)).toEqual(before);
    // Feedback before an answer is out of order.
    expect((await desk.post(`/api/assistance/requests/${id}/feedback`, { satisfaction: 'satisfied' })).statusCode).toBe(
      409,
    );

    const seen = (await handlerB.get(`/api/assistance/requests/${id}`)).json();
    expect(seen.actions).toEqual(['sign', 'answer']);
    expect((await handlerB.post(`/api/assistance/requests/${id}/sign`, { note: '已签收' })).json().status).toBe(
      'signed',
    );
    const urged = await desk.post(`/api/assistance/requests/${id}/urge`, { note: '请加快办理' });
    expect(urged.json()).toMatchObject({ urgeCount: 1 });
    expect(
      (await smsTo('assistance_staff')).map((m) => m.body.includes('督办：请') || m.body.includes('督办：求助')),
    ).toEqual([false, true]);
    const ans = await leaderB.post(`/api/assistance/requests/${id}/answer`, {
      answer: '已督促用人单位支付工资',
      amountRecovered: 28000,
    });
    expect(ans.statusCode, ans.body).toBe(200);
    expect(ans.json()).toMatchObject({ status: 'answered', answeredOn: TODAY, overdue: false, amountRecovered: 28000 });
    expect((await desk.post(`/api/assistance/requests/${id}/urge`, { note: '再催' })).statusCode).toBe(409);

    const fb = await desk.post(`/api/assistance/requests/${id}/feedback`, {
      satisfaction: 'satisfied',
      note: '工资已到账',
    });
    expect(fb.statusCode, fb.body).toBe(200);
    expect(fb.json()).toMatchObject({ status: 'closed', satisfaction: 'satisfied', closedOn: TODAY, actions: [] });
    expect(fb.json().events.map((e: { kind: string }) => e.kind)).toEqual([
      'register',
      'refer',
      'sign',
      'urge',
      'answer',
      'feedback',
    ]);
    const audit = await q<{ action: string }>(
      `SELECT action FROM audit_entries WHERE entity_type = 'assistance_request' AND entity_id = $1 ORDER BY id`,
      [String(id)],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'assistance.register',
      'assistance.refer',
      'assistance.sign',
      'assistance.urge',
      'assistance.answer',
      'assistance.feedback',
    ]);

    // B's list shows it; C's does not.
    expect((await handlerB.get('/api/assistance/requests')).json().rows.map((r: { id: number }) => r.id)).toContain(id);
    expect((await handlerC.get('/api/assistance/requests')).json().total).toBe(0);
  });

  it('registers and refers in one step, and re-refers to another unit', async () => {
    const r = await desk.post('/api/assistance/requests', request({ kind: 'relief', refer: { unitId: unitB } }));
    expect(r.json()).toMatchObject({ status: 'referred', unitId: unitB });
    const re = await desk.post(`/api/assistance/requests/${r.json().id}/refer`, { unitId: unitC });
    expect(re.json()).toMatchObject({ status: 'referred', unitId: unitC });
    expect((await handlerB.get(`/api/assistance/requests/${r.json().id}`)).statusCode).toBe(404);
    expect((await handlerC.get(`/api/assistance/requests/${r.json().id}`)).statusCode).toBe(200);
  });
});

describe('statistics and score inputs', () => {
  it('equal counts from the raw rows; the referred unit gets its on-time rate', async () => {
    // An overdue answer: referred long ago (set back in the rows), answered today.
    const r = await desk.post('/api/assistance/requests', request({ refer: { unitId: unitB, dueDays: 1 } }));
    const id = r.json().id;
    await q(`UPDATE assistance_requests SET referred_on = $2, due_on = $2 WHERE id = $1`, [id, `${YEAR}-01-02`]);
    await handlerB.post(`/api/assistance/requests/${id}/answer`, { answer: '已办理' });
    const s = (await desk.get(`/api/assistance/stats?year=${YEAR}`)).json();
    const [raw] = await q<{
      n: number;
      referred: number;
      answered: number;
      ontime: number;
      closed: number;
      satisfied: number;
    }>(
      `SELECT count(*)::int AS n, count(unit_id)::int AS referred, count(answered_on)::int AS answered,
              count(*) FILTER (WHERE answered_on <= due_on)::int AS ontime, count(*) FILTER (WHERE status = 'closed')::int AS closed,
              count(*) FILTER (WHERE satisfaction = 'satisfied')::int AS satisfied
         FROM assistance_requests WHERE year = $1`,
      [YEAR],
    );
    expect(s.total).toMatchObject({
      requests: raw.n,
      referred: raw.referred,
      answered: raw.answered,
      onTime: raw.ontime,
      closed: raw.closed,
      satisfied: raw.satisfied,
    });
    const byKind = await q<{ k: string; n: number }>(
      'SELECT kind AS k, count(*)::int AS n FROM assistance_requests WHERE year = $1 GROUP BY 1',
      [YEAR],
    );
    expect(Object.fromEntries(s.byKind.map((x: { kind: string; requests: number }) => [x.kind, x.requests]))).toEqual(
      Object.fromEntries(byKind.map((x) => [x.k, x.n])),
    );
    const [b] = await q<{ due: number; ontime: number }>(
      `SELECT count(*) FILTER (WHERE answered_on IS NOT NULL OR due_on < $3)::int AS due,
              count(*) FILTER (WHERE answered_on <= due_on)::int AS ontime
         FROM assistance_requests WHERE year = $1 AND unit_id = $2`,
      [YEAR, unitB, TODAY],
    );
    const [input] = await q<{ value: string; source: string; fields: { due: number; onTime: number } }>(
      'SELECT value::text, source, fields FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
      [leafId, unitB, TODAY.slice(0, 7)],
    );
    expect(input.source).toBe('assistance');
    expect(input.fields).toMatchObject({ due: b.due, onTime: b.ontime });
    expect(Number(input.value)).toBeCloseTo(Math.round((b.ontime / b.due) * 1000) / 10, 5);
    expect(b.ontime).toBeLessThan(b.due); // the overdue answer counts against B
    // A unit sees only its own referrals' figures.
    const sc = (await handlerC.get(`/api/assistance/stats?year=${YEAR}`)).json();
    expect(sc.byUnit.every((u: { unitId: number }) => u.unitId === unitC)).toBe(true);
    // The export has a row per request.
    const x = await desk.get(`/api/assistance/requests.xlsx?year=${YEAR}`);
    expect(x.statusCode).toBe(200);
    expect((await desk.get(`/api/assistance/stats.xlsx?year=${YEAR}`)).statusCode).toBe(200);
    // The overdue filter finds the late one.
    const od = (await desk.get(`/api/assistance/requests?overdue=1&year=${YEAR}`)).json();
    expect(od.rows.map((x2: { id: number }) => x2.id)).toContain(id);
    expect(od.rows.every((x2: { overdue: boolean }) => x2.overdue)).toBe(true);
  });
});

describe('the statistics functions', () => {
  const r = (o: Partial<StatRequest>): StatRequest => ({
    id: 1,
    kind: 'wage',
    unitId: 1,
    receivedOn: '2026-03-01',
    status: 'referred',
    dueOn: '2026-03-08',
    answeredOn: null,
    satisfaction: null,
    people: 1,
    amountClaimed: 0,
    amountRecovered: 0,
    ...o,
  });
  it('counts a referral as due once answered or past its due day', () => {
    expect(dueState(r({}), '2026-03-08')).toEqual({ due: false, onTime: false, overdueOpen: false });
    expect(dueState(r({}), '2026-03-09')).toEqual({ due: true, onTime: false, overdueOpen: true });
    expect(dueState(r({ answeredOn: '2026-03-05' }), '2026-03-06')).toEqual({
      due: true,
      onTime: true,
      overdueOpen: false,
    });
    expect(dueState(r({ answeredOn: '2026-03-10' }), '2026-03-31')).toMatchObject({ due: true, onTime: false });
    expect(dueState(r({ dueOn: null, unitId: null, status: 'registered' }), '2026-12-31').due).toBe(false);
  });
  it('gives on-time and satisfaction rates, null when nothing is due or rated', () => {
    expect(countRequests([r({})], '2026-03-01')).toMatchObject({ onTimeRate: null, satisfactionRate: null });
    const c = countRequests(
      [
        r({ answeredOn: '2026-03-02', status: 'closed', satisfaction: 'satisfied' }),
        r({ answeredOn: '2026-03-20', status: 'closed', satisfaction: 'unsatisfied' }),
        r({ status: 'signed' }),
      ],
      '2026-03-31',
    );
    expect(c).toMatchObject({ due: 3, onTime: 1, overdueOpen: 1, onTimeRate: 33.3, satisfactionRate: 50 });
  });
});
