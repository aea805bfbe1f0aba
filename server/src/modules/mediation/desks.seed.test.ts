// The demo seeds of the desks: 300 mediation cases with every outcome and joint ones, 500 assistance
// requests in every state with overdue ones, and the 2026 leaf C2_01 fed by the desk's referrals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/helpers.js';
import { assistanceModule } from '../assistance/index.js';
import { performanceModule } from '../performance/index.js';
import { seedFoundation } from '../users/index.js';
import { seedMediation } from './mediation.seed.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await seedFoundation(env.database);
  for (const s of performanceModule.seeds) await s.run(env.database);
  await seedMediation(env.database);
  for (const s of assistanceModule.seeds) await s.run(env.database);
}, 300_000);
afterAll(async () => env?.close());

const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);

describe('desks demo seeds', () => {
  it('has 300 disputes of 2026 with every outcome, joint ones, sessions and wage recoveries', async () => {
    const rows = await q<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM mediation_cases GROUP BY 1',
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    expect(Object.values(by).reduce((a, b) => a + b, 0)).toBe(300);
    for (const s of ['open', 'agreed', 'failed', 'arbitration', 'court']) expect(by[s] ?? 0, s).toBeGreaterThan(0);
    const [j] = await q<{ n: number }>('SELECT count(DISTINCT case_id)::int AS n FROM mediation_units');
    expect(j.n).toBeGreaterThan(15);
    const [bad] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM mediation_cases m WHERE status <> 'open' AND NOT EXISTS (SELECT 1 FROM mediation_sessions s WHERE s.case_id = m.id AND s.held_on <= m.outcome_on)`,
    );
    expect(bad.n).toBe(0); // every outcome follows a session
    const [w] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM mediation_cases WHERE dispute_type = 'labour' AND status = 'agreed' AND amount_recovered > 0`,
    );
    expect(w.n).toBeGreaterThan(30);
  });

  it('has 500 requests, referred, answered mostly on time, some overdue and urged, called back', async () => {
    const rows = await q<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM assistance_requests GROUP BY 1',
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    expect(Object.values(by).reduce((a, b) => a + b, 0)).toBe(500);
    for (const s of ['signed', 'closed']) expect(by[s] ?? 0, s).toBeGreaterThan(0);
    const [o] = await q<{ late: number; urged: number; dissatisfied: number }>(
      `SELECT count(*) FILTER (WHERE answered_on > due_on OR (answered_on IS NULL AND due_on < CURRENT_DATE))::int AS late,
              count(*) FILTER (WHERE urge_count > 0)::int AS urged, count(*) FILTER (WHERE satisfaction = 'unsatisfied')::int AS dissatisfied
         FROM assistance_requests`,
    );
    expect(o.late).toBeGreaterThan(10);
    expect(o.urged).toBeGreaterThan(5);
    expect(o.dissatisfied).toBeGreaterThan(0);
  });

  it('feeds the 2026 leaf C2_01 from the referrals', async () => {
    const [leaf] = await q<{ id: number; data_source: string }>(
      `SELECT i.id, i.data_source FROM indicators i JOIN assessment_years y ON y.id = i.year_id WHERE y.year = 2026 AND i.code = 'C2_01'`,
    );
    expect(leaf.data_source).toBe('assistance');
    const inputs = await q<{ unit_id: number; n: number }>(
      `SELECT unit_id, count(*)::int AS n FROM score_inputs WHERE indicator_id = $1 AND source = 'assistance' GROUP BY 1`,
      [leaf.id],
    );
    expect(inputs.length).toBeGreaterThan(3);
  });
});
