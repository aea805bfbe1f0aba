// The urban demo's grid cases for units without 12345 work: whole timelines of a unit of the same kind,
// put in the unit's place, and the case statistics rebuilt from them (so the scheme's rates are counted,
// not set).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { buildCaseCategory } from '../cases/cases.testkit.js';
import { seedGridCases, type SeedUnit } from './schemes.seed.js';

let env: TestEnv;
let q: TestEnv['database']['query'];
let agent: Client;
const U: Record<string, number> = {};

beforeAll(async () => {
  env = await createTestEnv();
  q = env.database.query.bind(env.database);
  U.S1 = await env.buildUnit({ code: 'S1', name: '甲街道', kind: 'street' });
  U.T1 = await env.buildUnit({ code: 'T1', name: '乙镇', kind: 'town' });
  U.T2 = await env.buildUnit({ code: 'T2', name: '丙镇', kind: 'town' });
  U.D1 = await env.buildUnit({ code: 'D1', name: '丁局', kind: 'department' });
  agent = await env.userClient({ roles: ['agent'] });
  const cat = await buildCaseCategory(env, { name: '井盖缺失', timeLimitDays: 3 });
  for (let i = 0; i < 9; i++) {
    const r = await agent.post('/api/cases', {
      channel: 'grid',
      type: 'report',
      categoryId: cat,
      description: `网格员巡查发现井盖缺失 ${i}`,
      address: '甲街道长堤街',
      foundByUnitId: U.S1,
      dispatch: { leadUnitId: U.S1 },
    });
    expect(r.statusCode, r.body).toBe(201);
  }
  // The demo's cases are of 2026.
  await q(`UPDATE cases SET created_at = created_at + (2026 - extract(year FROM created_at))::int * interval '1 year'`);
});
afterAll(async () => env?.close());

const units = async () =>
  q<SeedUnit>(`SELECT id, code, kind, category_id FROM units WHERE code IN ('S1', 'T1', 'T2', 'D1') ORDER BY id`);

describe('seedGridCases', () => {
  it('gives each unit without work a third of a same-kind unit’s timelines, in its own name', async () => {
    const source = await q<{ id: number; events: number }>(
      `SELECT c.id, (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id) AS events FROM cases c ORDER BY c.id`,
    );
    await seedGridCases(env.database, await units());
    for (const t of [U.T1, U.T2]) {
      const mine = await q<{
        id: number;
        number: string;
        address: string;
        events: number;
        own: number;
        dispatches: number;
      }>(
        `SELECT c.id, c.number, c.address,
                (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id) AS events,
                (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id AND e.type = 'dispatched' AND e.unit_id = $1) AS own,
                (SELECT count(*)::int FROM case_dispatches d WHERE d.case_id = c.id AND d.unit_id = $1) AS dispatches
         FROM cases c WHERE c.lead_unit_id = $1 ORDER BY c.id`,
        [t],
      );
      // The source cases whose id falls in the unit's third, each whole.
      const wanted = source.filter((s) => s.id % 3 === t % 3);
      expect(wanted.length).toBeGreaterThan(0);
      expect(mine.length).toBe(wanted.length);
      expect(mine.map((m) => m.events)).toEqual(wanted.map((w) => w.events));
      for (const m of mine) {
        expect(m.own).toBe(1);
        expect(m.dispatches).toBe(1);
        expect(m.address).toContain('镇辖区');
        expect(m.number).toMatch(/^HJ\d{8}9\d{4}$/);
      }
      // The statistics are the timeline's: the unit's dispatched count is its cases' dispatch events.
      const [stats] = await q<{ n: number }>(
        `SELECT coalesce(sum(dispatched), 0)::int AS n FROM case_stats_monthly WHERE unit_id = $1`,
        [t],
      );
      expect(stats.n).toBe(mine.length);
    }
    // The source keeps its cases; a department has no department to take from.
    expect((await q(`SELECT 1 FROM cases WHERE lead_unit_id = $1`, [U.S1])).length).toBe(9);
    expect((await q(`SELECT 1 FROM cases WHERE lead_unit_id = $1`, [U.D1])).length).toBe(0);
  });
});
