// Concurrent intake: requests that arrive together are written by one group commit (cases.intake.ts).
// Whatever the batching, each request must get its own case, password and error, and the cases, their
// timelines, work orders, notices, SMS, statistics and audit chain must be what one-by-one intake writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { verifyChain } from '../audit/index.js';
import { buildCaseCategory, count } from './cases.testkit.js';

let env: TestEnv;
let deptA: number;
let deptB: number;
let closedDept: number;
let cat: number;
let agents: Client[];

beforeAll(async () => {
  env = await createTestEnv();
  deptA = await env.buildUnit({ name: '城管局' });
  deptB = await env.buildUnit({ name: '交通局' });
  closedDept = await env.buildUnit({ name: '已撤销局' });
  await env.database.query('UPDATE units SET active = false WHERE id = $1', [closedDept]);
  cat = await buildCaseCategory(env, { name: '占道经营', defaultUnitId: deptA, timeLimitDays: 5 });
  agents = [await env.userClient({ roles: ['agent'] }), await env.userClient({ roles: ['agent'] })];
});
afterAll(async () => env?.close());

const body = (i: number, dispatch?: { leadUnitId: number; assistUnitIds: number[] }) => ({
  channel: 'hotline',
  type: 'complaint',
  categoryId: cat,
  requester: { name: `市民${i}`, phone: `1390000${String(1000 + i)}` },
  description: `第${i}号：小区门口有人长期占道摆摊，影响通行`,
  address: `汉江区解放大道${100 + i}号`,
  ...(dispatch ? { dispatch } : {}),
});

describe('concurrent intake', () => {
  it('gives each of 40 simultaneous requests its own case, and refuses only the one with an inactive department', async () => {
    const casesBefore = await count(env, 'cases');
    const auditBefore = await count(env, 'audit_entries');
    const [createdBefore] = await env.database.query<{ n: number }>(
      `SELECT COALESCE(sum(created), 0)::int AS n FROM case_stats_category_monthly WHERE category_id = $1`,
      [cat],
    );
    const [dispatchedBefore] = await env.database.query<{ n: number }>(
      `SELECT COALESCE(sum(dispatched), 0)::int AS n FROM case_stats_monthly WHERE unit_id = $1`,
      [deptA],
    );

    const plan = Array.from({ length: 40 }, (_, i) =>
      i === 17
        ? { leadUnitId: closedDept, assistUnitIds: [] }
        : i % 2 === 0
          ? { leadUnitId: deptA, assistUnitIds: i % 4 === 0 ? [deptB] : [] }
          : undefined,
    );
    const responses = await Promise.all(plan.map((d, i) => agents[i % 2].post('/api/cases', body(i, d))));

    expect(responses[17].statusCode).toBe(400);
    expect(responses[17].json().error.field).toBe('leadUnitId');
    const ok = responses
      .filter((_, i) => i !== 17)
      .map((r) => {
        expect(r.statusCode, r.body).toBe(201);
        return r.json() as { id: number; number: string; password: string; status: string };
      });
    expect(new Set(ok.map((c) => c.number)).size).toBe(39);
    expect(new Set(ok.map((c) => c.id)).size).toBe(39);
    // The refused case rolled its batch back, numbers included: the 39 numbers follow each other, no gap.
    const seqs = ok.map((c) => Number(c.number.slice(-5))).sort((a, b) => a - b);
    expect(seqs[38] - seqs[0]).toBe(38);
    expect(await count(env, 'cases')).toBe(casesBefore + 39);
    const auditAfter = await count(env, 'audit_entries');
    // They were written together: cases of one group commit share its time.
    const [{ n: batches }] = await env.database.query<{ n: number }>(
      'SELECT count(DISTINCT created_at)::int AS n FROM cases WHERE id = ANY($1)',
      [ok.map((c) => c.id)],
    );
    expect(batches).toBeLessThan(20);

    const dispatched = plan.map((d, i) => (i !== 17 && d ? i : -1)).filter((i) => i >= 0);
    for (const [k, res] of ok.entries()) {
      const i = k < 17 ? k : k + 1;
      const d = plan[i];
      expect(res.status).toBe(d ? 'dispatched' : 'accepted');
      const [row] = await env.database.query<{ description: string; lead_unit_id: number | null; status: string }>(
        'SELECT description, lead_unit_id, status FROM cases WHERE id = $1',
        [res.id],
      );
      expect(row).toEqual({ description: body(i).description, lead_unit_id: d ? deptA : null, status: res.status });
      const events = await env.database.query<{
        type: string;
        from_status: string | null;
        to_status: string;
        dispatch_id: number | null;
      }>('SELECT type, from_status, to_status, dispatch_id FROM case_events WHERE case_id = $1 ORDER BY id', [res.id]);
      expect(events.map((e) => [e.type, e.from_status, e.to_status])).toEqual(
        d
          ? [
              ['created', null, 'accepted'],
              ['dispatched', 'accepted', 'dispatched'],
            ]
          : [['created', null, 'accepted']],
      );
      const orders = await env.database.query<{ id: number; unit_id: number; role: string }>(
        'SELECT id, unit_id, role FROM case_dispatches WHERE case_id = $1 ORDER BY id',
        [res.id],
      );
      expect(orders.map((o) => [o.unit_id, o.role])).toEqual(
        d ? [[deptA, 'lead'], ...d.assistUnitIds.map((u) => [u, 'assist'])] : [],
      );
      if (d) expect(events[1].dispatch_id).toBe(orders[0].id);
      expect(await count(env, 'case_notices', 'case_id = $1', [res.id])).toBe(d ? 1 + d.assistUnitIds.length : 0);
      // The acceptance SMS carries this case's own password, which tracks this case and no other.
      const [sms] = await env.database.query<{ phone: string; params: { number: string; password: string } }>(
        `SELECT phone, params FROM sms_outbox WHERE case_id = $1`,
        [res.id],
      );
      expect(sms.phone).toBe(body(i).requester.phone);
      expect(sms.params).toMatchObject({ number: res.number, password: res.password });
    }
    const track = (number: string, password: string) =>
      env.anon.request({
        method: 'POST',
        url: '/api/public/cases/track',
        payload: { number, password },
        headers: { 'x-forwarded-for': '10.9.8.7' },
      });
    expect((await track(ok[3].number, ok[3].password)).statusCode).toBe(200);
    expect((await track(ok[4].number, ok[3].password)).statusCode).toBe(400); // wrong password

    // Audit: one entry per event, by the agent who took the call, and the chain still verifies.
    const created = await env.database.query<{ actor_id: number; entity_id: string }>(
      `SELECT actor_id, entity_id FROM audit_entries WHERE id > 0 AND action = 'case.created' ORDER BY id DESC LIMIT 39`,
    );
    expect(new Set(created.map((a) => Number(a.entity_id)))).toEqual(new Set(ok.map((c) => c.id)));
    expect(auditAfter).toBe(auditBefore + 39 + dispatched.length);
    expect((await verifyChain(env.database.db)).broken).toBeNull();

    // Statistics moved by exactly the cases written.
    const [createdAfter] = await env.database.query<{ n: number }>(
      `SELECT COALESCE(sum(created), 0)::int AS n FROM case_stats_category_monthly WHERE category_id = $1`,
      [cat],
    );
    const [dispatchedAfter] = await env.database.query<{ n: number }>(
      `SELECT COALESCE(sum(dispatched), 0)::int AS n FROM case_stats_monthly WHERE unit_id = $1`,
      [deptA],
    );
    expect(createdAfter.n - createdBefore.n).toBe(39);
    expect(dispatchedAfter.n - dispatchedBefore.n).toBe(dispatched.length);
  });

  it('answers 400 for text the database cannot store (a NUL character), and writes the rest of the batch', async () => {
    const before = await count(env, 'cases');
    const responses = await Promise.all(
      [0, 1, 2].map((i) =>
        agents[0].post('/api/cases', {
          ...body(200 + i),
          description: i === 1 ? '路灯坏了\u0000很久没人修' : body(200 + i).description,
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([201, 400, 201]);
    expect(responses[1].json().error.field).toBe('description'); // refused before it joined a batch
    expect(await count(env, 'cases')).toBe(before + 2);
  });

  it('writes the other cases of a batch when one of them fails in the database', async () => {
    const before = await count(env, 'cases');
    // A description the schema accepts but the column refuses would be a bug; simulate a database-side
    // failure instead: a trigger that refuses one requester name, for the length of this test.
    await env.database.exec(`
      CREATE FUNCTION xn_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.requester_name = '拒绝' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER xn_test_refuse BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION xn_test_refuse();`);
    try {
      const bodies = Array.from({ length: 8 }, (_, i) => ({
        ...body(100 + i),
        requester: { name: i === 5 ? '拒绝' : `市民${i}`, phone: '13900002222' },
      }));
      const responses = await Promise.all(bodies.map((b) => agents[0].post('/api/cases', b)));
      expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 500, 201, 201]);
      expect(await count(env, 'cases')).toBe(before + 7);
      expect((await verifyChain(env.database.db)).broken).toBeNull();
    } finally {
      await env.database.exec('DROP TRIGGER xn_test_refuse ON cases; DROP FUNCTION xn_test_refuse();');
    }
  });
});
