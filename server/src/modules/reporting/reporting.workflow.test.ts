import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { buildWorld, multipart, setNow, type World } from './reporting.testkit.js';

let env: TestEnv;
let w: World;
let reporterA: Client;
let leaderA: Client;
let reporterB: Client;
let leaderB: Client;
let office: Client;
let restore: () => void = () => undefined;

beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
  reporterA = await env.userClient({ username: 'rep_a', roles: ['reporter'], unitId: w.unitA });
  leaderA = await env.userClient({ username: 'lead_a', roles: ['unit_leader'], unitId: w.unitA });
  reporterB = await env.userClient({ username: 'rep_b', roles: ['reporter'], unitId: w.unitB });
  leaderB = await env.userClient({ username: 'lead_b', roles: ['unit_leader'], unitId: w.unitB });
  office = await env.userClient({ username: 'office1', roles: ['office'] });
});
afterAll(async () => env?.close());
afterEach(() => restore());

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);
const stored = async (id: number) =>
  (
    await q<{ value: string | null; status: string; fields: unknown }>(
      'SELECT value::text AS value, status, fields FROM submissions WHERE id = $1',
      [id],
    )
  )[0];

async function draft(c: Client, body: Record<string, unknown>) {
  const res = await c.post('/api/reporting/submissions', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: number; status: string; flags: { key: string }[] };
}

/** Draft → submitted → leader approved → accepted, for unit A. */
async function acceptedSubmission(period: string, value: number, leaf = w.leafValue): Promise<number> {
  const d = await draft(reporterA, { indicatorId: leaf, unitId: w.unitA, period, values: { value } });
  expect((await reporterA.post(`/api/reporting/submissions/${d.id}/submit`, {})).statusCode).toBe(200);
  expect((await leaderA.post(`/api/reporting/submissions/${d.id}/approve`)).statusCode).toBe(200);
  const acc = await office.post(`/api/reporting/submissions/${d.id}/accept`);
  expect(acc.statusCode, acc.body).toBe(200);
  return d.id;
}

describe('access', () => {
  it('rejects anonymous requests', async () => {
    for (const [m, url] of [
      ['GET', '/api/reporting/todo'],
      ['GET', '/api/reporting/submissions'],
      ['POST', '/api/reporting/submissions'],
      ['GET', '/api/reporting/matrix?period=2026-10'],
    ] as const) {
      const res = await env.anon.request({ method: m, url, payload: m === 'POST' ? {} : undefined });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('refuses roles without the permission', async () => {
    expect((await reporterA.get('/api/reporting/matrix?period=2026-10')).statusCode).toBe(403);
    expect((await reporterA.post('/api/reporting/submissions/bulk-accept', { ids: [1] })).statusCode).toBe(403);
    expect(
      (
        await leaderA.put(`/api/reporting/forms/${w.leafValue}`, {
          fields: [{ key: 'v', label: 'v', type: 'decimal' }],
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('bad input on every write route', () => {
  const BAD: [
    who: 'reporter' | 'leader' | 'office',
    method: 'POST' | 'PUT',
    url: string,
    body: unknown,
    field: string,
  ][] = [
    [
      'reporter',
      'POST',
      '/api/reporting/submissions',
      { indicatorId: 1, unitId: 1, period: '2026-11', values: 'x' },
      'values',
    ],
    ['reporter', 'PUT', '/api/reporting/submissions/1', { values: [] }, 'values'],
    [
      'reporter',
      'POST',
      '/api/reporting/submissions/1/submit',
      { confirmations: [{ key: 'k' }] },
      'confirmations.0.comment',
    ],
    ['leader', 'POST', '/api/reporting/submissions/1/return', { reason: '' }, 'reason'],
    ['leader', 'POST', '/api/reporting/submissions/bulk-approve', { ids: [] }, 'ids'],
    ['office', 'POST', '/api/reporting/submissions/bulk-accept', { ids: ['a'] }, 'ids.0'],
    ['reporter', 'POST', '/api/reporting/submissions/1/revisions', { reason: 'x', values: 5 }, 'values'],
    ['office', 'POST', '/api/reporting/revisions/1/approve', { comment: 5 }, 'comment'],
    ['office', 'POST', '/api/reporting/revisions/1/reject', {}, 'comment'],
    ['office', 'PUT', '/api/reporting/settings/1', { jumpThresholdPct: -5 }, 'jumpThresholdPct'],
    ['office', 'PUT', '/api/reporting/forms/1', { fields: [] }, 'fields'],
    [
      'office',
      'POST',
      '/api/reporting/forms/test-rule',
      { definition: { fields: [{ key: 'a', label: 'A', type: 'decimal' }] } },
      'expression',
    ],
    ['office', 'PUT', '/api/reporting/deadlines/1', { mode: 'day', day: 40 }, 'day'],
  ];
  it.each(BAD)('%s %s %s answers 400 naming the field', async (who, method, url, body, field) => {
    const c = who === 'reporter' ? reporterA : who === 'leader' ? leaderA : office;
    const res = await c.request({ method, url, payload: body as object });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.field).toBe(field);
    const broken = await c.request({ method, url, payload: '{"x": ', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
  });

  it('answers 404 for unknown ids and 400 for malformed ones', async () => {
    for (const [c, method, url] of [
      [reporterA, 'GET', '/api/reporting/submissions/:id'],
      [reporterA, 'PUT', '/api/reporting/submissions/:id'],
      [reporterA, 'DELETE', '/api/reporting/submissions/:id'],
      [reporterA, 'POST', '/api/reporting/submissions/:id/submit'],
      [leaderA, 'POST', '/api/reporting/submissions/:id/approve'],
      [office, 'POST', '/api/reporting/submissions/:id/accept'],
      [office, 'POST', '/api/reporting/revisions/:id/approve'],
      [reporterA, 'GET', '/api/reporting/evidence/:id'],
      [reporterA, 'DELETE', '/api/reporting/evidence/:id'],
      [office, 'GET', '/api/reporting/forms/:id'],
      [office, 'PUT', '/api/reporting/settings/:id'],
      [reporterA, 'POST', '/api/reporting/notifications/:id/read'],
    ] as const) {
      const body =
        method === 'PUT' && url.includes('submissions')
          ? { values: { value: 1 } }
          : method === 'GET' || method === 'DELETE'
            ? undefined
            : {};
      const res = await c.request({ method, url: url.replace(':id', '999999'), payload: body });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      const bad = await c.request({ method, url: url.replace(':id', 'abc'), payload: body });
      expect(bad.statusCode, `${method} ${url} abc`).toBe(400);
    }
  });
});

describe('entering values', () => {
  it('answers bad input with 400 naming the field', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const cases: [Record<string, unknown>, string][] = [
      [{ indicatorId: w.leafValue, unitId: w.unitA, period: '2026-11', values: { value: 'abc' } }, 'values.value'],
      [{ indicatorId: w.leafValue, unitId: w.unitA, period: '2026-11', values: {} }, 'values.value'],
      [{ indicatorId: w.leafValue, unitId: w.unitA, period: '2026-13', values: { value: 1 } }, 'period'],
      [{ indicatorId: w.leafValue, unitId: w.unitA, period: '2026-12', values: { value: 1 } }, 'period'],
      [{ indicatorId: w.leafValue, unitId: w.unitA, period: '2027-01', values: { value: 1 } }, 'period'],
      [{ indicatorId: w.leafForm, unitId: w.unitA, period: '2026-11', values: { cases: 3, closed: 5 } }, 'rules.0'],
      [
        { indicatorId: w.leafForm, unitId: w.unitA, period: '2026-11', values: { cases: 3.5, closed: 1 } },
        'values.cases',
      ],
      [{ indicatorId: w.leafCases, unitId: w.unitA, period: '2026-11', values: { value: 1 } }, 'indicatorId'],
      [{ indicatorId: w.leafOther, unitId: w.unitA, period: '2026-11', values: { value: 1 } }, 'indicatorId'],
      [{ indicatorId: 'x', unitId: w.unitA, period: '2026-11', values: {} }, 'indicatorId'],
      [{ unitId: w.unitA, period: '2026-11', values: {} }, 'indicatorId'],
    ];
    for (const [body, field] of cases) {
      const res = await reporterA.post('/api/reporting/submissions', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.field, JSON.stringify(body)).toBe(field);
    }
    expect((await q('SELECT 1 FROM submissions')).length).toBe(0);
  });

  it('lets a reporter save a draft of a third-party leaf only through the assessing body', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const res = await reporterA.post('/api/reporting/submissions', {
      indicatorId: w.leafThird,
      unitId: w.unitA,
      period: '2026-11',
      values: { value: 90 },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('workflow', () => {
  it('goes draft → submitted → leader approved → accepted, with returns at both steps, audited, into score_inputs', async () => {
    restore = setNow('2026-10-10T02:00:00Z');
    const d = await draft(reporterA, {
      indicatorId: w.leafValue,
      unitId: w.unitA,
      period: '2026-09',
      values: { value: 12 },
    });
    expect(d.status).toBe('draft');
    // Leader cannot approve a draft; office cannot accept a submitted one.
    expect((await leaderA.post(`/api/reporting/submissions/${d.id}/approve`)).statusCode).toBe(409);
    expect((await reporterA.post(`/api/reporting/submissions/${d.id}/submit`, {})).json().status).toBe('submitted');
    expect((await office.post(`/api/reporting/submissions/${d.id}/accept`)).statusCode).toBe(409);

    // Returned by the leader: back to draft with the reason shown.
    const ret1 = await leaderA.post(`/api/reporting/submissions/${d.id}/return`, { reason: '数值与台账不符' });
    expect(ret1.statusCode).toBe(200);
    expect(ret1.json()).toMatchObject({
      status: 'draft',
      returned: true,
      returnReason: '数值与台账不符',
      returnedStage: 'leader',
    });
    expect((await leaderA.post(`/api/reporting/submissions/${d.id}/return`, {})).json().error.field).toBe('reason');
    const upd = await reporterA.put(`/api/reporting/submissions/${d.id}`, { values: { value: 11 } });
    expect(upd.statusCode).toBe(200);
    expect((await reporterA.post(`/api/reporting/submissions/${d.id}/submit`, {})).json().status).toBe('submitted');
    expect((await leaderA.post(`/api/reporting/submissions/${d.id}/approve`)).json().status).toBe('leader_approved');

    // Returned by the office.
    const ret2 = await office.post(`/api/reporting/submissions/${d.id}/return`, { reason: '请补充台账材料' });
    expect(ret2.json()).toMatchObject({ status: 'draft', returnedStage: 'office', returnReason: '请补充台账材料' });
    expect((await reporterA.post(`/api/reporting/submissions/${d.id}/submit`, {})).statusCode).toBe(200);
    expect((await leaderA.post(`/api/reporting/submissions/${d.id}/approve`)).statusCode).toBe(200);
    const acc = await office.post(`/api/reporting/submissions/${d.id}/accept`);
    expect(acc.statusCode).toBe(200);
    const detail = acc.json();
    expect(detail).toMatchObject({ status: 'accepted', value: 11, late: false, returned: false });
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual([
      'save',
      'submit',
      'return',
      'save',
      'submit',
      'leader_approve',
      'return',
      'submit',
      'leader_approve',
      'accept',
    ]);
    expect(detail.revisions).toHaveLength(1);
    expect(detail.revisions[0]).toMatchObject({ revision: 0, status: 'approved', value: 11, requestedByName: 'rep_a' });

    const [si] = await q<{
      value: string;
      source: string;
      source_ref: string;
      entered_by_name: string;
      entered_by: number;
    }>(
      'SELECT value::text AS value, source, source_ref, entered_by_name, entered_by FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
      [w.leafValue, w.unitA, '2026-09'],
    );
    expect(si).toMatchObject({
      value: '11',
      source: 'self_report',
      source_ref: `submission:${d.id}#r0`,
      entered_by_name: 'rep_a',
      entered_by: reporterA.userId,
    });
    const audit = await q<{ action: string }>(
      `SELECT action FROM audit_entries WHERE entity_type = 'submission' AND entity_id = $1 ORDER BY id`,
      [String(d.id)],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'submission.save',
        'submission.submit',
        'submission.return',
        'submission.leader_approve',
        'submission.accept',
      ]),
    );
  });

  it('approves and accepts in bulk, listing what could not be done', async () => {
    restore = setNow('2026-10-10T02:00:00Z');
    const ids: number[] = [];
    for (const period of ['2026-06', '2026-07', '2026-08']) {
      const d = await draft(reporterA, { indicatorId: w.leafValue, unitId: w.unitA, period, values: { value: 10 } });
      await reporterA.post(`/api/reporting/submissions/${d.id}/submit`, {});
      ids.push(d.id);
    }
    const draftOnly = await draft(reporterA, {
      indicatorId: w.leafValue,
      unitId: w.unitA,
      period: '2026-05',
      values: { value: 10 },
    });
    const queue = (await leaderA.get('/api/reporting/submissions?queue=leader')).json() as { id: number }[];
    expect(queue.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect((await leaderB.get('/api/reporting/submissions?queue=leader')).json()).toEqual([]);
    const byB = (await leaderB.post('/api/reporting/submissions/bulk-approve', { ids })).json();
    expect(byB.done).toEqual([]);
    expect(byB.failed).toHaveLength(3);
    const res = (await leaderA.post('/api/reporting/submissions/bulk-approve', { ids: [...ids, draftOnly.id] })).json();
    expect(res.done.sort()).toEqual([...ids].sort());
    expect(res.failed.map((f: { id: number }) => f.id)).toEqual([draftOnly.id]);
    const acc = (await office.post('/api/reporting/submissions/bulk-accept', { ids })).json();
    expect(acc.done.sort()).toEqual([...ids].sort());
    const n = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM score_inputs WHERE unit_id = $1 AND period IN ('2026-06','2026-07','2026-08')`,
      [w.unitA],
    );
    expect(n[0].n).toBe(3);
  });
});

describe('protected history', () => {
  it('refuses every way of editing or deleting an accepted submission and keeps the value', async () => {
    restore = setNow('2026-09-10T02:00:00Z');
    const id = await acceptedSubmission('2026-04', 42);
    const before = await stored(id);
    const period = (await q<{ period: string }>('SELECT period FROM submissions WHERE id = $1', [id]))[0].period;
    const attempts = [
      await reporterA.put(`/api/reporting/submissions/${id}`, { values: { value: 1 } }),
      await reporterA.patch(`/api/reporting/submissions/${id}`, { values: { value: 1 } }),
      await reporterA.delete(`/api/reporting/submissions/${id}`),
      await office.delete(`/api/reporting/submissions/${id}`),
      await reporterA.post('/api/reporting/submissions', {
        indicatorId: w.leafValue,
        unitId: w.unitA,
        period,
        values: { value: 1 },
      }),
      await reporterA.post(`/api/reporting/submissions/${id}/submit`, {}),
      await leaderA.post(`/api/reporting/submissions/${id}/approve`),
      await office.post(`/api/reporting/submissions/${id}/accept`),
      await office.post(`/api/reporting/submissions/${id}/return`, { reason: '想改' }),
      await leaderA.post(`/api/reporting/submissions/${id}/return`, { reason: '想改' }),
      await reporterA.put(`/api/reporting/submissions/${id}/fields`, { value: 1 }),
      await reporterA.delete(`/api/reporting/submissions/${id}/evidence`),
    ];
    for (const res of attempts) expect(res.statusCode, res.body).not.toBe(200);
    expect(attempts[0].json().error.code).toBe('IMMUTABLE');
    expect(attempts[4].json().error.code).toBe('IMMUTABLE');
    // Bulk endpoints answer per item: nothing done.
    for (const res of [
      await leaderA.post('/api/reporting/submissions/bulk-approve', { ids: [id] }),
      await office.post('/api/reporting/submissions/bulk-accept', { ids: [id] }),
    ]) {
      expect(res.json()).toMatchObject({ done: [], failed: [{ id }] });
    }
    expect((await reporterA.post('/api/reporting/submissions/bulk-approve', { ids: [id] })).statusCode).toBe(403);
    // Evidence: adding is allowed (year-end certificates), removing is not — through the API and the database.
    const add = await reporterA.request({
      method: 'POST',
      url: `/api/reporting/submissions/${id}/evidence`,
      ...multipart('证明.pdf', Buffer.from('%PDF-1.4 test'), 'application/pdf'),
    });
    expect(add.statusCode, add.body).toBe(201);
    const del = await reporterA.delete(`/api/reporting/evidence/${add.json().id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('IMMUTABLE');
    await expect(q('DELETE FROM submission_evidence WHERE id = $1', [add.json().id])).rejects.toThrow(/protected/);
    // Excel upload for that period cannot change it either.
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(['指标编码', '字段编码', '填报值']);
    ws.addRow(['A1', 'value', 1]);
    const up = await reporterA.request({
      method: 'POST',
      url: `/api/reporting/excel/upload?unitId=${w.unitA}&period=${period}`,
      ...multipart('t.xlsx', Buffer.from(await wb.xlsx.writeBuffer())),
    });
    expect(up.statusCode).toBe(400);
    expect(up.json().errors[0].message).toContain('受保护');
    expect(await stored(id)).toEqual(before);
  });

  it('is enforced by the database: no UPDATE of the values, no DELETE of accepted rows or revisions', async () => {
    restore = setNow('2026-04-10T02:00:00Z');
    const id = await acceptedSubmission('2026-03', 7);
    await expect(q('UPDATE submissions SET value = 999 WHERE id = $1', [id])).rejects.toThrow(/approved revision/);
    await expect(q(`UPDATE submissions SET fields = '{"value": 999}' WHERE id = $1`, [id])).rejects.toThrow(
      /approved revision/,
    );
    await expect(q(`UPDATE submissions SET status = 'draft' WHERE id = $1`, [id])).rejects.toThrow(/protected/);
    await expect(q('UPDATE submissions SET revision = 5, value = 999 WHERE id = $1', [id])).rejects.toThrow(
      /approved revision/,
    );
    await expect(q('DELETE FROM submissions WHERE id = $1', [id])).rejects.toThrow(/cannot be deleted/);
    await expect(q('UPDATE submission_revisions SET value = 999 WHERE submission_id = $1', [id])).rejects.toThrow(
      /protected/,
    );
    await expect(q('DELETE FROM submission_revisions WHERE submission_id = $1', [id])).rejects.toThrow(/history/);
    expect((await stored(id)).value).toBe('7');
    // Other columns (e.g. bookkeeping) still update.
    await q('UPDATE submissions SET updated_at = now() WHERE id = $1', [id]);
  });
});

describe('revisions', () => {
  it('keeps every revision with who/when/why and moves the score input to the approved one', async () => {
    restore = setNow('2026-03-10T02:00:00Z');
    const id = await acceptedSubmission('2026-02', 20);
    expect(
      (await reporterA.post(`/api/reporting/submissions/${id}/revisions`, { values: { value: 25 } })).json().error
        .field,
    ).toBe('reason');
    expect(
      (
        await reporterA.post(`/api/reporting/submissions/${id}/revisions`, { reason: '无变化', values: { value: 20 } })
      ).json().error.field,
    ).toBe('values');
    expect(
      (await reporterB.post(`/api/reporting/submissions/${id}/revisions`, { reason: '越权', values: { value: 1 } }))
        .statusCode,
    ).toBe(404);
    const req1 = await reporterA.post(`/api/reporting/submissions/${id}/revisions`, {
      reason: '统计口径调整，补录漏报项目',
      values: { value: 25 },
    });
    expect(req1.statusCode, req1.body).toBe(200);
    expect(req1.json()).toMatchObject({ value: 20, pendingRevision: true });
    expect(
      (await reporterA.post(`/api/reporting/submissions/${id}/revisions`, { reason: '再改', values: { value: 26 } }))
        .statusCode,
    ).toBe(409);
    const pending = (await office.get('/api/reporting/revisions')).json() as {
      id: number;
      submissionId: number;
      currentValue: number;
      value: number;
    }[];
    const mine = pending.find((p) => p.submissionId === id)!;
    expect(mine).toMatchObject({ currentValue: 20, value: 25 });
    expect((await leaderA.post(`/api/reporting/revisions/${mine.id}/approve`, {})).statusCode).toBe(403);
    const ok = await office.post(`/api/reporting/revisions/${mine.id}/approve`, { comment: '同意' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ value: 25, revision: 1, pendingRevision: false });
    const [si] = await q<{ value: string; source_ref: string }>(
      'SELECT value::text AS value, source_ref FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
      [w.leafValue, w.unitA, '2026-02'],
    );
    expect(si).toEqual({ value: '25', source_ref: `submission:${id}#r1` });

    // A second request is rejected: the value stays 25, both requests stay in the history.
    const req2 = await reporterA.post(`/api/reporting/submissions/${id}/revisions`, {
      reason: '误报',
      values: { value: 30 },
    });
    const rev2 = (req2.json().revisions as { id: number; status: string }[]).find((r) => r.status === 'requested')!;
    expect((await office.post(`/api/reporting/revisions/${rev2.id}/reject`, {})).json().error.field).toBe('comment');
    const rej = await office.post(`/api/reporting/revisions/${rev2.id}/reject`, { comment: '依据不足' });
    expect(rej.json().value).toBe(25);
    const history = rej.json().revisions as {
      revision: number;
      value: number;
      status: string;
      reason: string | null;
      requestedByName: string;
      decidedByName: string;
      decisionComment: string | null;
    }[];
    expect(history.map((r) => [r.revision, r.value, r.status])).toEqual([
      [0, 20, 'approved'],
      [1, 25, 'approved'],
      [2, 30, 'rejected'],
    ]);
    expect(history[1]).toMatchObject({
      reason: '统计口径调整，补录漏报项目',
      requestedByName: 'rep_a',
      decidedByName: 'office1',
      decisionComment: '同意',
    });
    expect((await stored(id)).value).toBe('25');
  });
});

describe('unit scope', () => {
  it("a reporter of unit B can neither see nor write unit A's data", async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const d = await draft(reporterA, {
      indicatorId: w.leafValue,
      unitId: w.unitA,
      period: '2026-11',
      values: { value: 5 },
    });
    const before = await stored(d.id);
    expect((await reporterB.get(`/api/reporting/submissions/${d.id}`)).statusCode).toBe(404);
    expect((await reporterB.put(`/api/reporting/submissions/${d.id}`, { values: { value: 9 } })).statusCode).toBe(404);
    expect((await reporterB.post(`/api/reporting/submissions/${d.id}/submit`, {})).statusCode).toBe(404);
    expect((await reporterB.delete(`/api/reporting/submissions/${d.id}`)).statusCode).toBe(404);
    expect(
      (
        await reporterB.post('/api/reporting/submissions', {
          indicatorId: w.leafValue,
          unitId: w.unitA,
          period: '2026-11',
          values: { value: 9 },
        })
      ).statusCode,
    ).toBe(404);
    expect((await reporterB.get(`/api/reporting/todo?unitId=${w.unitA}`)).statusCode).toBe(404);
    expect((await reporterB.get(`/api/reporting/excel/template?unitId=${w.unitA}&period=2026-11`)).statusCode).toBe(
      404,
    );
    expect((await leaderB.post(`/api/reporting/submissions/${d.id}/return`, { reason: 'x' })).statusCode).toBe(404);
    const list = (await reporterB.get('/api/reporting/submissions')).json() as { unitId: number }[];
    expect(list.every((s) => s.unitId !== w.unitA)).toBe(true);
    expect(await stored(d.id)).toEqual(before);
    // Unknown ids answer the same.
    expect((await reporterB.get('/api/reporting/submissions/999999')).statusCode).toBe(404);
  });
});

describe('deadlines, late and missing', () => {
  it('marks a submission after the deadline as late and counts it; counts missing ones once due', async () => {
    // October is due on day 15 (the default); 11-15 is a Sunday, so it moves to Monday 11-16 (法定节假日顺延, on by default).
    restore = setNow('2026-11-17T01:00:00Z');
    const d = await draft(reporterA, {
      indicatorId: w.leafValue,
      unitId: w.unitA,
      period: '2026-10',
      values: { value: 10 },
    });
    const sub = await reporterA.post(`/api/reporting/submissions/${d.id}/submit`, {});
    expect(sub.json()).toMatchObject({ late: true, deadline: '2026-11-16' });
    const todo = (await reporterA.get('/api/reporting/todo')).json();
    const oct = todo.items.find(
      (i: { indicatorId: number; period: string }) => i.indicatorId === w.leafForm && i.period === '2026-10',
    );
    expect(oct).toMatchObject({ status: 'missing', overdue: true, deadline: '2026-11-16' });
    const counts = (await office.get('/api/reporting/late-counts')).json() as {
      unitId: number;
      period: string;
      late: number;
      missing: number;
    }[];
    expect(counts.find((c) => c.unitId === w.unitA && c.period === '2026-10')).toMatchObject({ late: 1, missing: 1 });
    const od = (await office.get('/api/reporting/overdue?period=2026-10')).json();
    expect(
      od.items.some(
        (i: { unitId: number; indicatorId: number }) => i.unitId === w.unitA && i.indicatorId === w.leafForm,
      ),
    ).toBe(true);
    expect(
      od.items.some(
        (i: { unitId: number; indicatorId: number }) => i.unitId === w.unitA && i.indicatorId === w.leafValue,
      ),
    ).toBe(false);
  });

  it('follows a working-day deadline set by the office, across the National Day holiday', async () => {
    restore = setNow('2026-10-12T02:00:00Z');
    await q(`INSERT INTO calendar_days(day, kind, name) VALUES
      ('2026-10-01','holiday','国庆节'),('2026-10-02','holiday','国庆节'),('2026-10-05','holiday','国庆节'),
      ('2026-10-06','holiday','国庆节'),('2026-10-07','holiday','国庆节'),('2026-10-08','holiday','国庆节'),
      ('2026-10-10','workday','国庆节调休') ON CONFLICT (day) DO NOTHING`);
    const bad = await office.put(`/api/reporting/settings/${w.yearId}`, { deadlineMode: 'hours' });
    expect(bad.json().error.field).toBe('deadlineMode');
    const set = await office.put(`/api/reporting/settings/${w.yearId}`, {
      deadlineMode: 'working_days',
      deadlineWorkingDays: 3,
    });
    expect(set.statusCode, set.body).toBe(200);
    try {
      const todo = (await reporterA.get('/api/reporting/todo')).json();
      const sep = todo.items.find(
        (i: { indicatorId: number; period: string }) => i.indicatorId === w.leafForm && i.period === '2026-09',
      );
      // Sep 30 + 3 working days: Oct 9 (Fri), Oct 10 (make-up Sat), Oct 12 (Mon).
      expect(sep).toMatchObject({ deadline: '2026-10-12', overdue: false, workingDaysLeft: 0 });
      // A per-leaf override wins over the year's rule.
      const o = await office.put(`/api/reporting/deadlines/${w.leafForm}`, { mode: 'day', day: 5 });
      expect(o.json().deadline).toEqual({ mode: 'day', day: 5, workingDays: null });
      const todo2 = (await reporterA.get('/api/reporting/todo')).json();
      expect(
        todo2.items.find(
          (i: { indicatorId: number; period: string }) => i.indicatorId === w.leafForm && i.period === '2026-09',
        ),
      ).toMatchObject({
        deadline: '2026-10-09', // Oct 5 is a holiday: the first working day after it
        overdue: true,
      });
      // Without 顺延 the deadline stays on the holiday.
      const off = await office.put(`/api/reporting/settings/${w.yearId}`, { deadlineRollsOver: false });
      expect(off.json().deadlineRollsOver).toBe(false);
      const todoOff = (await reporterA.get('/api/reporting/todo')).json();
      expect(
        todoOff.items.find(
          (i: { indicatorId: number; period: string }) => i.indicatorId === w.leafForm && i.period === '2026-09',
        ).deadline,
      ).toBe('2026-10-05');
      await office.put(`/api/reporting/settings/${w.yearId}`, { deadlineRollsOver: true });
      // December's deadline is in January of the next year.
      const restore2 = setNow('2026-12-20T02:00:00Z');
      const todo3 = (await reporterA.get('/api/reporting/todo')).json();
      expect(
        todo3.items.find(
          (i: { indicatorId: number; period: string }) => i.indicatorId === w.leafValue && i.period === '2026-12',
        ).deadline,
      ).toBe('2027-01-05');
      restore2();
    } finally {
      await office.delete(`/api/reporting/deadlines/${w.leafForm}`);
      await office.put(`/api/reporting/settings/${w.yearId}`, { deadlineMode: 'day' });
    }
  });

  it('reminds reporters once before and on the deadline (idempotent job), in the app and by SMS through the sender', async () => {
    const { runReminders } = await import('./reporting.jobs.js');
    await env.database.query(`UPDATE users SET phone = '13900001234' WHERE username = 'rep_a'`);
    await env.database.query('DELETE FROM sms_outbox');
    const r1 = await runReminders(env.app.xn.db, new Date('2026-12-13T01:00:00Z'));
    expect(r1.reminders).toBeGreaterThan(0);
    expect(r1.notifications).toBeGreaterThan(0);
    expect(r1.outbox).toBeGreaterThan(0);
    // The SMS are in the district's outbox, and its sender delivers them.
    const queued = await env.database.query<{ phone: string; template: string; body: string; case_id: number | null }>(
      `SELECT phone, template, body, case_id FROM sms_outbox ORDER BY id`,
    );
    expect(queued).toHaveLength(r1.outbox);
    expect(queued[0]).toMatchObject({ phone: '13900001234', template: 'reporting_reminder', case_id: null });
    expect(queued[0].body).toMatch(/^【效能】.*未提交，请在 \d{4}-\d{2}-\d{2} 前完成填报。$/);
    const delivered: string[] = [];
    const { runSmsBatch } = await import('../../platform/sms/index.js');
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const sent = await runSmsBatch(
      env.app.xn.db,
      { name: 'test', send: async (m) => void delivered.push(`${m.phone} ${m.body}`) },
      quiet,
    );
    expect(sent.sent).toBe(r1.outbox);
    expect(delivered[0]).toBe(`13900001234 ${queued[0].body}`);
    const again = await runReminders(env.app.xn.db, new Date('2026-12-13T05:00:00Z'));
    expect(again).toEqual({ reminders: 0, notifications: 0, outbox: 0 });
    const due = await runReminders(env.app.xn.db, new Date('2026-12-15T01:00:00Z'));
    expect(due.reminders).toBeGreaterThan(0);
    const notes = (await reporterA.get('/api/reporting/notifications')).json();
    expect(notes.unread).toBeGreaterThanOrEqual(2);
    expect(notes.items[0].title).toContain('2026-11');
    expect((await reporterB.post(`/api/reporting/notifications/${notes.items[0].id}/read`)).statusCode).toBe(404);
    expect((await reporterA.post(`/api/reporting/notifications/${notes.items[0].id}/read`)).statusCode).toBe(204);
  });
});

describe('anomaly flags', () => {
  it('requires the reporter to confirm a flagged value with a comment before submitting, and shows it to the office', async () => {
    restore = setNow('2026-06-10T02:00:00Z');
    // Peers of the category report 95–105 for May.
    const peerUsers = [];
    for (const [i, u] of w.peers.entries()) {
      const c = await env.userClient({ roles: ['reporter'], unitId: u });
      const d = await draft(c, {
        indicatorId: w.leafValue,
        unitId: u,
        period: '2026-05',
        values: { value: 95 + i * 2 },
      });
      expect((await c.post(`/api/reporting/submissions/${d.id}/submit`, {})).statusCode).toBe(200);
      peerUsers.push(c);
    }
    const d = await draft(reporterB, {
      indicatorId: w.leafValue,
      unitId: w.unitB,
      period: '2026-05',
      values: { value: 900 },
    });
    expect(d.flags.map((f) => f.key)).toEqual(['peer_outlier:score']);
    const refused = await reporterB.post(`/api/reporting/submissions/${d.id}/submit`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.field).toBe('confirmations.peer_outlier:score');
    expect((await stored(d.id)).status).toBe('draft');
    const ok = await reporterB.post(`/api/reporting/submissions/${d.id}/submit`, {
      confirmations: [{ key: 'peer_outlier:score', comment: '本月集中验收了 900 个小项目' }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().flags[0]).toMatchObject({ comment: '本月集中验收了 900 个小项目', confirmedBy: 'rep_b' });
    expect(ok.json().value).toBe(900); // never changed silently
    const list = (await office.get('/api/reporting/anomalies?period=2026-05')).json() as { submissionId: number }[];
    expect(list.map((x) => x.submissionId)).toContain(d.id);
  });

  it('flags a cumulative field going down', async () => {
    restore = setNow('2026-08-10T02:00:00Z');
    const june = await draft(reporterA, {
      indicatorId: w.leafForm,
      unitId: w.unitA,
      period: '2026-06',
      values: { cases: 50, closed: 40 },
    });
    await reporterA.post(`/api/reporting/submissions/${june.id}/submit`, {});
    const july = await draft(reporterA, {
      indicatorId: w.leafForm,
      unitId: w.unitA,
      period: '2026-07',
      values: { cases: 45, closed: 44 },
    });
    expect(july.flags.map((f) => f.key)).toContain('cumulative_down:cases');
  });
});

describe('office views', () => {
  it('serves the matrix with status codes and filters', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const m = (await office.get('/api/reporting/matrix?period=2026-10')).json();
    const col = m.indicators.findIndex((i: { id: number }) => i.id === w.leafValue);
    const a = m.units.findIndex((u: { id: number }) => u.id === w.unitA);
    expect(m.cells[a][col]).toBe('S'); // submitted late (see the deadline test)
    const out = m.units.findIndex((u: { id: number }) => u.id === w.outsider);
    expect(m.cells[out][col]).toBe('.');
    expect(m.indicators.some((i: { id: number }) => i.id === w.leafCases)).toBe(false);
    const late = (await office.get('/api/reporting/matrix?period=2026-10&status=late')).json();
    expect(late.units.map((u: { id: number }) => u.id)).toEqual([w.unitA]);
    const cat = (await office.get(`/api/reporting/matrix?period=2026-10&categoryId=${w.otherCategoryId}`)).json();
    expect(cat.units.map((u: { id: number }) => u.id)).toEqual([w.outsider]);
    expect((await office.get('/api/reporting/matrix?period=2026-1')).json().error.field).toBe('period');
    const x = await office.get('/api/reporting/matrix/export?period=2026-10');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
  });

  it('gives home counters per role', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const rep = (await reporterA.get('/api/reporting/home')).json();
    expect(rep.reporter.todo).toBeGreaterThan(0);
    expect(rep.office).toBeNull();
    const off = (await office.get('/api/reporting/home')).json();
    expect(off.office.overdue).toBeGreaterThan(0);
    // The summary's count (per leaf, without listing cells) is the overdue list's total.
    const list = (await office.get('/api/reporting/overdue')).json() as { total: number; items: unknown[] };
    expect(off.office.overdue).toBe(list.total);
    expect(list.items.length).toBe(list.total);
    expect(off.reporter).toBeNull();
  });
});
