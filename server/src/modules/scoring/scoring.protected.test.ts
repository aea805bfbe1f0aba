/**
 * Protected history: where a unit's submission was accepted, the office's manual entry (「录入」,
 * POST /api/scores/inputs) cannot set a different value; it goes through the revision path, and the
 * score input and the unit's own record always agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { buildWorld, setNow, type World } from '../reporting/reporting.testkit.js';

let env: TestEnv;
let w: World;
let reporterA: Client;
let leaderA: Client;
let office: Client;
let restore: () => void = () => undefined;

beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
  reporterA = await env.userClient({ username: 'prot_rep', roles: ['reporter'], unitId: w.unitA });
  leaderA = await env.userClient({ username: 'prot_lead', roles: ['unit_leader'], unitId: w.unitA });
  office = await env.userClient({ username: 'prot_office', roles: ['office'] });
  restore = setNow('2026-10-10T02:00:00Z');
});
afterAll(async () => {
  restore();
  await env?.close();
});

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);
/** The value the score uses and the value on the unit's own (accepted) record. */
async function bothPlaces(submissionId: number) {
  const [si] = await q<{ value: string; source: string }>(
    'SELECT value::text AS value, source FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
    [w.leafValue, w.unitA, '2026-09'],
  );
  const [sub] = await q<{ value: string; status: string }>(
    'SELECT value::text AS value, status FROM submissions WHERE id = $1',
    [submissionId],
  );
  return { score: Number(si.value), source: si.source, unit: Number(sub.value), status: sub.status };
}

describe('manual entry over accepted data', () => {
  let id = 0;
  it('refuses a different value where an accepted submission exists, changing nothing', async () => {
    const d = await reporterA.post('/api/reporting/submissions', {
      indicatorId: w.leafValue,
      unitId: w.unitA,
      period: '2026-09',
      values: { value: 59.6 },
    });
    expect(d.statusCode, d.body).toBe(200);
    id = d.json().id;
    expect((await reporterA.post(`/api/reporting/submissions/${id}/submit`, {})).statusCode).toBe(200);
    expect((await leaderA.post(`/api/reporting/submissions/${id}/approve`)).statusCode).toBe(200);
    expect((await office.post(`/api/reporting/submissions/${id}/accept`)).statusCode).toBe(200);
    expect(await bothPlaces(id)).toEqual({ score: 59.6, source: 'self_report', unit: 59.6, status: 'accepted' });

    const auditBefore = (await q<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries'))[0].n;
    const res = await office.post('/api/scores/inputs', {
      yearId: w.yearId,
      indicatorId: w.leafValue,
      unitId: w.unitA,
      period: '2026-09',
      value: 40,
      reason: '绩效办核定',
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'IMMUTABLE', field: 'value' });
    expect(res.json().error.message).toMatch(/更正申请/);
    expect(await bothPlaces(id)).toEqual({ score: 59.6, source: 'self_report', unit: 59.6, status: 'accepted' });
    expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries'))[0].n).toBe(auditBefore);
    // The same value changes nothing either (the provenance stays the submission).
    const same = await office.post('/api/scores/inputs', {
      yearId: w.yearId,
      indicatorId: w.leafValue,
      unitId: w.unitA,
      period: '2026-09',
      value: 59.6,
      reason: '核对',
    });
    expect(same.statusCode).toBe(200);
    expect(await bothPlaces(id)).toMatchObject({ score: 59.6, source: 'self_report' });
  });

  it('a different value comes through the revision path, and both places agree', async () => {
    const req = await reporterA.post(`/api/reporting/submissions/${id}/revisions`, {
      reason: '绩效办核定为 40',
      values: { value: 40 },
    });
    expect(req.statusCode, req.body).toBe(200);
    const pending = (req.json().revisions as { id: number; status: string }[]).find((r) => r.status === 'requested')!;
    expect(await bothPlaces(id)).toMatchObject({ score: 59.6, unit: 59.6 });
    const ok = await office.post(`/api/reporting/revisions/${pending.id}/approve`, { comment: '同意' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await bothPlaces(id)).toMatchObject({ score: 40, unit: 40, status: 'accepted' });
    // The unit sees the history of its record.
    const detail = (await reporterA.get(`/api/reporting/submissions/${id}`)).json();
    expect(detail.revisions.map((r: { value: number; status: string }) => [r.value, r.status])).toEqual(
      expect.arrayContaining([
        [59.6, 'approved'],
        [40, 'approved'],
      ]),
    );
  });

  it('still takes manual entries where no submission was accepted', async () => {
    const res = await office.post('/api/scores/inputs', {
      yearId: w.yearId,
      indicatorId: w.leafValue,
      unitId: w.unitB,
      period: '2026-09',
      value: 40,
      reason: '绩效办核定',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ value: 40, provenance: { source: 'manual' } });
  });
});
