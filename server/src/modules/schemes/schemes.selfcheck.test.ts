// 自查 per the scheme's periods: a half-year special scheme collects its self-check reports for the
// months closing each half (06, 12), while the annual scheme of the same year still collects monthly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { readTable } from '../../lib/xlsx-table.js';
import { setNow } from '../reporting/reporting.testkit.js';

let env: TestEnv;
let q: TestEnv['database']['query'];
let office: Client;
let reporter: Client;
let S1 = 0;
let annual = 0;
let urban = 0;
let selfCheck = 0;
let annualLeaf = 0;
let restore: () => void = () => undefined;

async function leaf(yearId: number, code: string) {
  const r = await office.post(`/api/years/${yearId}/indicators`, {
    code,
    name: code === 'WB1' ? '自查' : '年度目标',
    points: 100,
    dataSource: 'self_report',
    aggregate: 'last',
    method: { kind: 'benchmark', baseline: 0, benchmark: 100 },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}

beforeAll(async () => {
  env = await createTestEnv();
  q = env.database.query.bind(env.database);
  const cat = await env.buildCategory({ name: '街道' });
  S1 = await env.buildUnit({ code: 'S1', name: '甲街道', categoryId: cat });
  office = await env.userClient({ roles: ['office'] });
  reporter = await env.userClient({ roles: ['reporter'], unitId: S1 });
  annual = (await office.post('/api/years', { year: 2026 })).json().id;
  const s = await office.post('/api/schemes', {
    year: 2026,
    code: 'urban',
    name: '2026年城市管理考核',
    periods: 'half',
    unitsAssessed: { categoryIds: [cat], unitIds: [] },
  });
  expect(s.statusCode, s.body).toBe(201);
  urban = s.json().id;
  selfCheck = await leaf(urban, 'WB1');
  annualLeaf = await leaf(annual, 'A1');
  await q(`UPDATE assessment_years SET status = 'in_force' WHERE id = ANY($1::int[])`, [[annual, urban]]);
  restore = setNow('2026-12-20T02:00:00Z');
});
afterAll(async () => {
  restore();
  await env?.close();
});

describe('self-checks follow the scheme’s periods', () => {
  it('the unit’s to-do list of the half-year scheme has the two half-years, the annual one twelve months', async () => {
    const t = await reporter.get(`/api/reporting/todo?yearId=${urban}`);
    expect(t.statusCode, t.body).toBe(200);
    const items = (t.json().items as { indicatorId: number; period: string; periodLabel: string; status: string }[])
      .filter((i) => i.indicatorId === selfCheck)
      .map((i) => [i.period, i.periodLabel, i.status]);
    expect(items.sort()).toEqual([
      ['2026-06', '2026年上半年', 'missing'],
      ['2026-12', '2026年下半年', 'missing'],
    ]);
    const a = (await reporter.get(`/api/reporting/todo?yearId=${annual}`)).json().items as {
      indicatorId: number;
      period: string;
      periodLabel: string;
    }[];
    const months = a.filter((i) => i.indicatorId === annualLeaf).map((i) => i.period);
    expect(months).toHaveLength(12);
    expect(a.find((i) => i.period === '2026-05')?.periodLabel).toBe('2026-05');
  });

  it('refuses a self-check for a month inside a half, naming the field, and writes nothing', async () => {
    const bad = await reporter.post('/api/reporting/submissions', {
      indicatorId: selfCheck,
      unitId: S1,
      period: '2026-05',
      values: { value: 90 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('period');
    expect(bad.json().error.message).toContain('按半年填报');
    expect(Number((await q<{ n: number }>(`SELECT count(*)::int AS n FROM submissions`))[0].n)).toBe(0);
    // The annual scheme still takes May.
    const may = await reporter.post('/api/reporting/submissions', {
      indicatorId: annualLeaf,
      unitId: S1,
      period: '2026-05',
      values: { value: 90 },
    });
    expect(may.statusCode, may.body).toBe(200);
  });

  it('takes the first half-year’s report (period 2026-06)', async () => {
    const ok = await reporter.post('/api/reporting/submissions', {
      indicatorId: selfCheck,
      unitId: S1,
      period: '2026-06',
      values: { value: 92 },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ period: '2026-06', status: 'draft' });
  });
});

describe('the self-check reports’ Excel', () => {
  it('lists the scheme’s self-check reports with their half-year', async () => {
    const res = await office.get(`/api/schemes/${urban}/self-checks/export?indicatorId=${selfCheck}&period=2026-06`);
    expect(res.statusCode, res.body).toBe(200);
    const sheet = await readTable(res.rawPayload);
    expect(sheet.title).toContain('2026年上半年自查报告');
    expect(sheet.rows.map((r) => [r[0], r[1], r[2]])).toEqual([['甲街道', '2026年上半年', 92]]);
    const none = await readTable(
      (await office.get(`/api/schemes/${urban}/self-checks/export?indicatorId=${selfCheck}&period=2026-12`)).rawPayload,
    );
    expect(none.rows).toEqual([]);
  });
});
