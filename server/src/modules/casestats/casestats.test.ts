/**
 * Case statistics end to end: a seeded random walk of case operations through the cases API (over
 * three months), then the incrementally kept counters must equal a rebuild from the timeline; the
 * statistics API (scope, validation, formulas); and the sync into case-platform score inputs.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { readTable } from '../../lib/xlsx-table.js';
import { buildCaseCategory } from '../cases/cases.testkit.js';
import { rng } from '../../engine/random.js';
import { beijingMonth } from './casestats.counters.js';
import * as repo from './casestats.repo.js';
import type { TMonthStats } from './casestats.schema.js';
import { rebuildCaseStats, rebuildCaseStatsByMonth, syncCaseScoreInputs } from './casestats.service.js';

let env: TestEnv;
let agent: Client;
let supervisor: Client;
let office: Client;
const handlers = new Map<number, Client>();
const units: number[] = [];
let outsiderUnit = 0;
let categoryId = 0;
let yearId = 0;
let leafSatisfaction = 0;
let leafOnTime = 0;
let leafReturns = 0;
const caseIds: number[] = [];
const REAL_NOW = new Date();
const thisMonth = beijingMonth(REAL_NOW);
const year = Number(thisMonth.slice(0, 4));

/** The actions the viewer may take on the case (the UI's buttons). */
async function actionsOf(
  client: Client,
  id: number,
): Promise<{ actions: string[]; escalations: { id: number; status: string }[]; dispatches: { unitId: number }[] }> {
  const res = await client.get(`/api/cases/${id}`);
  if (res.statusCode !== 200) return { actions: [], escalations: [], dispatches: [] };
  return res.json();
}

beforeAll(async () => {
  env = await createTestEnv();
  const q = env.database.query.bind(env.database);
  const unitCategory = await env.buildCategory();
  for (let i = 0; i < 4; i++) units.push(await env.buildUnit({ name: `部门${i}`, categoryId: unitCategory }));
  outsiderUnit = await env.buildUnit({ name: '无关街道' });
  for (const u of units) handlers.set(u, await env.userClient({ roles: ['handler'], unitId: u }));
  agent = await env.userClient({ roles: ['agent'] });
  supervisor = await env.userClient({ roles: ['supervisor'] });
  office = await env.userClient({ roles: ['office'] });
  const parent = await buildCaseCategory(env, { name: '市容环卫' });
  categoryId = await buildCaseCategory(env, { name: '占道经营', parentId: parent, timeLimitDays: 5 });

  const [y] = await q<{ id: number }>(
    `INSERT INTO assessment_years(year, name, status, grade_rule, deadline_day) VALUES ($1, $2, 'in_force', $3, 15) RETURNING id`,
    [
      year,
      `${year}年度`,
      JSON.stringify({
        by: 'threshold',
        grades: [
          { label: '优秀', threshold: 90 },
          { label: '不达标', threshold: 0 },
        ],
      }),
    ],
  );
  yearId = y.id;
  const applies = JSON.stringify({ categoryIds: [unitCategory], unitIds: [] });
  const ind = async (code: string, parentId: number | null, source: string, metric: string | null) =>
    (
      await q<{ id: number }>(
        `INSERT INTO indicators(year_id, parent_id, code, name, level, points, applies_to, data_source, aggregate, case_metric)
         VALUES ($1,$2,$3,$3,$4,10,$5,$6,'avg',$7) RETURNING id`,
        [yearId, parentId, code, parentId === null ? 1 : 2, applies, source, metric],
      )
    )[0].id;
  const group = await ind('S', null, 'self_report', null);
  leafSatisfaction = await ind('S1', group, 'case_platform', 'satisfactionRate');
  leafOnTime = await ind('S2', group, 'case_platform', 'onTimeRate');
  leafReturns = await ind('S3', group, 'case_platform', 'returnCount');
  await ind('S4', group, 'self_report', null);
}, 120_000);

afterAll(async () => {
  vi.useRealTimers();
  await env?.close();
});

describe('incremental statistics', () => {
  it('equal a rebuild from the timeline after a random series of case operations over three months', async () => {
    const r = rng(20260311);
    const q = env.database.query.bind(env.database);
    const months = [0, 1, 2].map((k) => new Date(REAL_NOW.getTime() - k * 31 * 86_400_000));
    vi.useFakeTimers({ toFake: ['Date'] });
    const moveClock = () => {
      const base = r.pick(months);
      vi.setSystemTime(new Date(base.getTime() - r.int(0, 3) * 3_600_000));
    };
    const done = new Map<string, number>();
    const ok = (res: { statusCode: number; body: string }, what: string) => {
      expect(res.statusCode, `${what}: ${res.body}`).toBe(200);
      done.set(what, (done.get(what) ?? 0) + 1);
    };
    try {
      for (let i = 0; i < 16; i++) {
        moveClock();
        const lead = r.pick(units);
        const assist = r.chance(0.3) ? units.filter((u) => u !== lead).slice(0, 1) : [];
        const res = await agent.post('/api/cases', {
          channel: 'hotline',
          type: 'complaint',
          categoryId,
          requester: { name: '市民', phone: '13800000000' },
          description: `随机诉求第${i}号：路边占道经营`,
          address: `解放大道${i}号`,
          ...(r.chance(0.85) ? { dispatch: { leadUnitId: lead, assistUnitIds: assist } } : {}),
        });
        expect(res.statusCode, res.body).toBe(201);
        caseIds.push(res.json().id);
      }
      for (let step = 0; step < 300; step++) {
        moveClock();
        const id = r.pick(caseIds);
        // Every (user, action) the UI would offer on this case, progress weighted over side actions.
        const agentView = await actionsOf(agent, id);
        const views: { client: Client; detail: Awaited<ReturnType<typeof actionsOf>> }[] = [
          { client: agent, detail: agentView },
          { client: supervisor, detail: await actionsOf(supervisor, id) },
        ];
        for (const u of new Set(agentView.dispatches.map((d) => d.unitId))) {
          const h = handlers.get(u);
          if (h) views.push({ client: h, detail: await actionsOf(h, id) });
        }
        const weight: Record<string, number> = {
          upload: 0,
          merge: 0,
          reject: 0.1,
          return: 0.4,
          remind: 0.5,
          escalate: 0.5,
          follow_escalation: 0.5,
          extension: 0.7,
        };
        const candidates = views
          .flatMap((v) => v.detail.actions.map((a) => ({ ...v, action: a, w: weight[a] ?? 3 })))
          .filter((c) => c.w > 0);
        if (!candidates.length) continue;
        let roll = r.next() * candidates.reduce((sum, c) => sum + c.w, 0);
        const chosen = candidates.find((c) => (roll -= c.w) < 0) ?? candidates[candidates.length - 1];
        const { client, detail, action } = chosen;
        const url = `/api/cases/${id}`;
        const fakeNow = new Date();
        switch (action) {
          case 'dispatch': {
            const lead = r.pick(units);
            ok(
              await client.post(`${url}/dispatch`, {
                leadUnitId: lead,
                assistUnitIds: r.chance(0.3) ? units.filter((u) => u !== lead).slice(0, 2) : [],
              }),
              action,
            );
            break;
          }
          case 'reject':
            ok(await client.post(`${url}/reject`, { reason: '不属于受理范围' }), action);
            break;
          case 'sign':
            if (r.chance(0.4))
              await q(`UPDATE case_dispatches SET sign_due = $2 WHERE case_id = $1 AND status = 'pending'`, [
                id,
                new Date(fakeNow.getTime() - 3_600_000),
              ]);
            ok(await client.post(`${url}/sign`), action);
            break;
          case 'start':
            ok(await client.post(`${url}/start`), action);
            break;
          case 'extension':
            ok(await client.post(`${url}/extension`, { days: 2, reason: '需要协调其他部门' }), action);
            break;
          case 'return':
            ok(await client.post(`${url}/return`, { reason: '不属于本单位职责' }), action);
            break;
          case 'report':
            if (r.chance(0.4)) {
              await q(
                `UPDATE case_dispatches SET deadline = $2 WHERE case_id = $1 AND status IN ('signed','in_progress')`,
                [id, new Date(fakeNow.getTime() - 3_600_000)],
              );
            }
            ok(await client.post(`${url}/report`, { result: '已现场处置完毕' }), action);
            break;
          case 'verify':
            ok(await client.post(`${url}/verify`, { ok: r.chance(0.8), note: '现场核查情况不符' }), action);
            break;
          case 'close':
            ok(await client.post(`${url}/close`, { note: '多次回访无法联系' }), action);
            break;
          case 'feedback':
            ok(
              await client.post(`${url}/feedback`, {
                rating: r.pick(['satisfied', 'satisfied', 'basic', 'unsatisfied', 'unsatisfied']),
              }),
              action,
            );
            break;
          case 'review':
            ok(await client.post(`${url}/review`, { qualified: r.chance(0.5), note: '专业评价意见' }), action);
            break;
          case 'escalate':
            ok(await client.post(`${url}/escalate`, { reason: '久拖未决' }), action);
            break;
          case 'remind':
            ok(await client.post(`${url}/remind`, { note: '请加快办理' }), action);
            break;
          case 'decide_extension':
            ok(await client.post(`${url}/extension/decide`, { approve: r.chance(0.7), note: '' }), action);
            break;
          case 'decide_escalation': {
            const e = detail.escalations.find((x) => x.status === 'pending');
            if (e)
              ok(await client.post(`/api/escalations/${e.id}/decide`, { approve: r.chance(0.7), note: '' }), action);
            break;
          }
          case 'follow_escalation': {
            const e = detail.escalations.find((x) => x.status === 'approved');
            if (e) ok(await client.post(`/api/escalations/${e.id}/follow`, { note: '督办意见' }), action);
            break;
          }
          default:
            break;
        }
      }
    } finally {
      vi.useRealTimers();
    }
    const incremental = await repo.allRows(env.app.xn.db);
    const incrementalCats = await repo.allCategoryRows(env.app.xn.db);
    // The walk went through the interesting paths.
    for (const a of ['dispatch', 'sign', 'report', 'verify', 'feedback'])
      expect(done.get(a) ?? 0, a).toBeGreaterThan(0);
    const sum = (k: keyof (typeof incremental)[number]) => incremental.reduce((s, x) => s + Number(x[k]), 0);
    for (const k of [
      'dispatched',
      'signedOnTime',
      'signedLate',
      'completedOnTime',
      'completedLate',
      'closed',
      'satisfied',
    ] as const)
      expect(sum(k), k).toBeGreaterThan(0);
    expect(new Set(incremental.map((x) => x.month)).size).toBeGreaterThan(1);

    await rebuildCaseStats(env.app.xn.db, SYSTEM_ACTOR);
    expect(await repo.allRows(env.app.xn.db)).toEqual(incremental);
    expect(await repo.allCategoryRows(env.app.xn.db)).toEqual(incrementalCats);
    // The job's rebuild, month by month with progress (and a stray row of a month without events removed): the same rows.
    await env.database.query(
      `INSERT INTO case_stats_category_monthly (category_id, month, created, closed) SELECT category_id, '2001-01', 1, 1 FROM case_stats_category_monthly LIMIT 1`,
    );
    const steps: number[] = [];
    const byMonth = await rebuildCaseStatsByMonth(env.app.xn.db, SYSTEM_ACTOR, {
      progress: async (f) => void steps.push(f),
    });
    expect(byMonth.months).toBeGreaterThan(1);
    expect(steps.length).toBe(byMonth.months);
    expect(steps[steps.length - 1]).toBe(1);
    expect(await repo.allRows(env.app.xn.db)).toEqual(incremental);
    expect(await repo.allCategoryRows(env.app.xn.db)).toEqual(incrementalCats);
  }, 240_000);
});

describe('GET /api/case-stats', () => {
  it('rejects anonymous callers and bad months', async () => {
    expect((await env.anon.get(`/api/case-stats?month=${thisMonth}`)).statusCode).toBe(401);
    const bad = await office.get('/api/case-stats?month=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('month');
    expect((await office.get('/api/case-stats')).json().error.field).toBe('month');
    const evaluator = await env.userClient({ roles: ['evaluator'] });
    expect((await evaluator.get(`/api/case-stats?month=${thisMonth}`)).statusCode).toBe(403);
  });

  it('shows the office every department with totals and categories', async () => {
    const res = await office.get(`/api/case-stats?month=${thisMonth}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as TMonthStats;
    expect(body.rows.length).toBeGreaterThan(0);
    const sum = body.rows.reduce((s, x) => s + x.counters.dispatched, 0);
    expect(body.totals.counters.dispatched).toBe(sum);
    expect(body.categories.map((c) => c.categoryId)).toContain(categoryId);
    const row = body.rows[0];
    const rated = row.counters.satisfied + row.counters.basic + row.counters.unsatisfied;
    expect(row.rates.satisfactionRate).toBe(
      rated ? Math.round(((row.counters.satisfied + row.counters.basic * 0.8) / rated) * 10000) / 100 : null,
    );
  });

  it('limits a handler to their own unit and answers 404 for another unit', async () => {
    const own = units[0];
    const h = handlers.get(own)!;
    const res = await h.get(`/api/case-stats?month=${thisMonth}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as TMonthStats;
    expect(body.rows.every((x) => x.unitId === own)).toBe(true);
    expect(body.categories).toEqual([]);
    expect((await h.get(`/api/case-stats?month=${thisMonth}&unitId=${units[1]}`)).statusCode).toBe(404);
    expect((await h.get(`/api/case-stats/trend?from=${thisMonth}&to=${thisMonth}&unitId=${units[1]}`)).statusCode).toBe(
      404,
    );
  });

  it('exports the month to Excel: exactly the rows the page shows, the total line, and only the handler’s own unit', async () => {
    const page = (await office.get(`/api/case-stats?month=${thisMonth}`)).json() as TMonthStats;
    const res = await office.get(`/api/case-stats/export?month=${thisMonth}`);
    expect(res.statusCode).toBe(200);
    const x = await readTable(res.rawPayload);
    expect(x.headers.slice(0, 3)).toEqual(['单位编码', '单位', '派单量']);
    expect(x.headers).toContain('按时办结率 %');
    expect(x.rows.map((r) => r[1])).toEqual([...page.rows.map((r) => r.unitName), '合计']);
    const col = x.headers.indexOf('派单量');
    expect(x.rows.map((r) => r[col])).toEqual([
      ...page.rows.map((r) => r.counters.dispatched),
      page.totals.counters.dispatched,
    ]);
    const rate = x.headers.indexOf('按时办结率 %');
    expect(x.rows.at(-1)![rate]).toBe(page.totals.rates.onTimeRate);
    const own = units[0];
    const mine = await readTable(
      (await handlers.get(own)!.get(`/api/case-stats/export?month=${thisMonth}`)).rawPayload,
    );
    const ownName = page.rows.find((r) => r.unitId === own)!.unitName;
    expect(mine.rows.map((r) => r[1])).toEqual([ownName, '合计']);
    expect(
      (await handlers.get(own)!.get(`/api/case-stats/export?month=${thisMonth}&unitId=${units[1]}`)).statusCode,
    ).toBe(404);
    const en = await office.get(`/api/case-stats/export?month=${thisMonth}`, { 'accept-language': 'en' });
    expect((await readTable(en.rawPayload)).headers[1]).toBe('Unit');
  });

  it('gives a monthly trend with every month filled in', async () => {
    const from = `${year - 1}-11`;
    const res = await office.get(`/api/case-stats/trend?from=${from}&to=${thisMonth}&unitId=${units[0]}`);
    expect(res.statusCode, res.body).toBe(200);
    const points = res.json().points as { month: string }[];
    expect(points[0].month).toBe(from);
    expect(points.at(-1)!.month).toBe(thisMonth);
    const bad = await office.get(`/api/case-stats/trend?from=${thisMonth}&to=${year - 1}-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('to');
  });
});

describe('formulas', () => {
  it('lists the formulas with their defaults to any statistics viewer', async () => {
    const res = await handlers.get(units[0])!.get('/api/case-stats/formulas');
    expect(res.statusCode).toBe(200);
    expect(res.json().rates.map((x: { key: string }) => x.key)).toContain('satisfactionRate');
  });

  it('refuses changes from non-office users and bad formulas, naming the rate', async () => {
    const before = (await office.get('/api/case-stats/formulas')).json();
    expect(
      (await handlers.get(units[0])!.put('/api/case-stats/formulas', { formulas: { onTimeRate: 'completedOnTime' } }))
        .statusCode,
    ).toBe(403);
    const bad = await office.put('/api/case-stats/formulas', {
      formulas: { onTimeRate: 'completedOnTime / nosuch * 100' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('formulas.onTimeRate');
    const unknownKey = await office.put('/api/case-stats/formulas', { formulas: { fooRate: '1' } });
    expect(unknownKey.statusCode).toBe(400);
    expect((await office.get('/api/case-stats/formulas')).json()).toEqual(before);
  });
});

describe('score inputs of case-platform indicators', () => {
  it('are written for every department and month with changes, once', async () => {
    const first = await syncCaseScoreInputs(env.app.xn.db);
    expect(first.inputs).toBeGreaterThan(0);
    const inputs = await env.database.query<{
      indicator_id: number;
      unit_id: number;
      period: string;
      value: string | number | null;
      source: string;
      source_ref: string;
      entered_by_name: string;
    }>(
      `SELECT indicator_id, unit_id, period, value, source, source_ref, entered_by_name FROM score_inputs WHERE year_id = $1 ORDER BY unit_id, period, indicator_id`,
      [yearId],
    );
    expect(inputs.length).toBe(first.inputs);
    expect(new Set(inputs.map((i) => i.indicator_id))).toEqual(new Set([leafSatisfaction, leafOnTime, leafReturns]));
    expect(inputs.every((i) => i.source === 'case_platform' && i.entered_by_name === '公共服务平台')).toBe(true);
    expect(
      inputs.every((i) => i.source_ref === `casestats:${i.unit_id}:${i.period}` && i.period.startsWith(String(year))),
    ).toBe(true);
    expect(inputs.some((i) => i.unit_id === outsiderUnit)).toBe(false);
    // The value is the statistic the page shows.
    const stats = (await office.get(`/api/case-stats?month=${thisMonth}`)).json() as TMonthStats;
    for (const row of stats.rows) {
      const input = inputs.find(
        (i) => i.unit_id === row.unitId && i.period === thisMonth && i.indicator_id === leafReturns,
      );
      expect(Number(input?.value)).toBe(row.counters.returns);
      const sat = inputs.find(
        (i) => i.unit_id === row.unitId && i.period === thisMonth && i.indicator_id === leafSatisfaction,
      );
      expect(sat?.value === null ? null : Number(sat?.value)).toBe(row.rates.satisfactionRate);
    }
    expect(await syncCaseScoreInputs(env.app.xn.db)).toEqual({ rows: 0, inputs: 0 });
  });

  it('picks up a new event, and rewrites the year after a formula change', async () => {
    const res = await agent.post('/api/cases', {
      channel: 'hotline',
      type: 'help',
      categoryId,
      description: '新的诉求：路灯不亮',
      dispatch: { leadUnitId: units[2], assistUnitIds: [] },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await syncCaseScoreInputs(env.app.xn.db)).toEqual({ rows: 1, inputs: 3 });

    const put = await office.put('/api/case-stats/formulas', {
      formulas: { satisfactionRate: '(satisfied + basic) / (satisfied + basic + unsatisfied) * 100' },
    });
    expect(put.statusCode, put.body).toBe(200);
    const audit = await env.database.query(`SELECT 1 FROM audit_entries WHERE action = 'casestats.formulas'`);
    expect(audit.length).toBe(1);
    const again = await syncCaseScoreInputs(env.app.xn.db);
    const rowsThisYear = (await repo.allRows(env.app.xn.db)).filter((x) => x.month.startsWith(String(year))).length;
    expect(again.rows).toBe(rowsThisYear);

    const sync = await office.post('/api/case-stats/sync', { rebuild: true });
    expect(sync.statusCode, sync.body).toBe(200);
    expect(sync.json().rebuiltRows).toBeGreaterThan(0);
    expect((await handlers.get(units[0])!.post('/api/case-stats/sync', {})).statusCode).toBe(403);
    const badBody = await office.post('/api/case-stats/sync', { rebuild: 'yes' });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().error.field).toBe('rebuild');
  });
});
