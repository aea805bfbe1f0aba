// The office review queue's filters, sorting and export (issue 15), on a world of its own.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { readTable } from '../../lib/xlsx-table.js';
import { buildWorld, setNow, type World } from './reporting.testkit.js';

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

async function draft(c: Client, body: Record<string, unknown>) {
  const res = await c.post('/api/reporting/submissions', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: number };
}

describe('office review queue: filters, sorting and export (issue 15)', () => {
  it('filters by unit, category, status and text, sorts, and exports exactly those rows', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const submit = async (c: Client, unitId: number, period: string, value: number) => {
      const d = await draft(c, { indicatorId: w.leafValue, unitId, period, values: { value } });
      const r = await c.post(`/api/reporting/submissions/${d.id}/submit`, {});
      expect(r.statusCode, r.body).toBe(200);
      return d.id;
    };
    // Months where neither unit has this leaf's data yet (earlier tests used some); the office sees
    // what the units' leaders approved.
    const [p1, p2, pb] = ['2026-05', '2026-06', '2026-05'];
    const a5 = await submit(reporterA, w.unitA, p1, 5);
    const a6 = await submit(reporterA, w.unitA, p2, 6);
    const b5 = await submit(reporterB, w.unitB, pb, 7);
    for (const [c, id] of [
      [leaderA, a5],
      [leaderA, a6],
      [leaderB, b5],
    ] as const)
      expect((await c.post(`/api/reporting/submissions/${id}/approve`)).statusCode).toBe(200);
    const ids = (url: string) =>
      office.get(url).then((r) => {
        expect(r.statusCode, r.body).toBe(200);
        return (r.json() as { id: number }[]).map((s) => s.id);
      });
    const mine = [a5, a6, b5];
    const all = (await ids('/api/reporting/submissions?queue=office')).filter((id) => mine.includes(id));
    expect(all.sort()).toEqual([...mine].sort());
    const onlyA = await ids(`/api/reporting/submissions?queue=office&unitId=${w.unitA}`);
    expect(onlyA).toContain(a5);
    expect(onlyA).not.toContain(b5);
    expect(await ids(`/api/reporting/submissions?queue=office&q=乙局&period=${pb}`)).toEqual([b5]);
    expect(await ids(`/api/reporting/submissions?queue=office&period=${p2}&unitId=${w.unitA}`)).toEqual([a6]);
    const approved = await ids(`/api/reporting/submissions?queue=office&status=leader_approved&unitId=${w.unitA}`);
    expect(approved).toEqual(expect.arrayContaining([a5, a6]));
    // A status outside the queue finds nothing.
    expect(await ids('/api/reporting/submissions?queue=office&status=accepted')).toEqual([]);
    const other = await ids(`/api/reporting/submissions?queue=office&categoryId=${w.otherCategoryId}`);
    expect(other.some((id) => mine.includes(id))).toBe(false);
    const newest = await ids(`/api/reporting/submissions?queue=office&unitId=${w.unitA}&sort=submitted_desc`);
    expect(newest.indexOf(a6)).toBeLessThan(newest.indexOf(a5));
    // The export holds exactly the filtered rows, in the same order.
    const filter = `queue=office&unitId=${w.unitA}&sort=submitted_desc`;
    const shown = (await office.get(`/api/reporting/submissions?${filter}`)).json() as {
      unitName: string;
      indicatorCode: string;
      period: string;
    }[];
    const res = await office.get(`/api/reporting/submissions/export?${filter}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const x = await readTable(res.rawPayload);
    expect(x.headers.slice(0, 4)).toEqual(['单位', '指标编码', '指标', '填报期']);
    expect(x.rows.map((r) => `${r[0]}|${r[1]}|${r[3]}`)).toEqual(
      shown.map((s) => `${s.unitName}|${s.indicatorCode}|${s.period}`),
    );
    expect(x.rows.every((r) => r[0] === '甲局')).toBe(true);
    // A reporter's export is limited to its own unit, whatever it asks.
    const rep = await readTable(
      (await reporterA.get(`/api/reporting/submissions/export?unitId=${w.unitB}`)).rawPayload,
    );
    expect(rep.rows).toEqual([]);
    const bad = await office.get('/api/reporting/submissions/export?sort=value');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('sort');
  });

  it('exports the warning lights overview as the page lists it', async () => {
    const shown = (await office.get('/api/reporting/lights-overview')).json() as { unitName: string }[];
    const x = await readTable((await office.get('/api/reporting/lights-overview/export')).rawPayload);
    expect(x.headers.slice(0, 3)).toEqual(['单位', '考评类别', '红灯']);
    expect(x.rows.map((r) => r[0]).sort()).toEqual(shown.map((s) => s.unitName).sort());
    expect((await reporterA.get('/api/reporting/lights-overview/export')).statusCode).toBe(403);
  });
});
