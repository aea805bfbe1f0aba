// The demo seed of the supervision module: every status and light, and the 督办完成率 leaf fed by the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/helpers.js';
import { performanceModule } from '../performance/index.js';
import { seedFoundation } from '../users/index.js';
import { seedSupervision } from './supervision.seed.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await seedFoundation(env.database);
  for (const s of performanceModule.seeds) await s.run(env.database);
  await seedSupervision(env.database);
}, 300_000);
afterAll(async () => env?.close());

const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);

describe('supervision demo seed', () => {
  it('has about 180 tasks in every status, 30 instructions and a year of reports', async () => {
    const rows = await q<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM supervision_tasks GROUP BY status',
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    const total = Object.values(by).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(150);
    for (const s of ['proposed', 'declined', 'merged', 'assigned', 'in_progress', 'completed'])
      expect(by[s] ?? 0, s).toBeGreaterThan(0);
    expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM supervision_instructions'))[0].n).toBe(30);
    expect(
      (await q<{ n: number }>(`SELECT count(*)::int AS n FROM supervision_events WHERE kind = 'report'`))[0].n,
    ).toBeGreaterThan(500);
  });
  it('shows every light', async () => {
    const lights = (await q<{ light: string }>('SELECT DISTINCT light FROM supervision_tasks WHERE light IS NOT NULL'))
      .map((r) => r.light)
      .sort();
    expect(lights).toEqual(['green', 'red', 'yellow']);
  });
  it('feeds the 督办完成率 leaf from the ledger', async () => {
    const rows = await q<{ n: number; sources: string[] }>(
      `SELECT count(*)::int AS n, array_agg(DISTINCT s.source) AS sources FROM score_inputs s JOIN indicators i ON i.id = s.indicator_id WHERE i.data_source = 'supervision'`,
    );
    expect(rows[0].n).toBeGreaterThan(50);
    expect(rows[0].sources).toEqual(['supervision']);
  });
  it('has field checks (one task checked twice, a point still open) and two rounds (Q1 closed, mid-year open)', async () => {
    const twice = await q<{ task_id: number; n: number }>(
      'SELECT task_id, count(*)::int AS n FROM supervision_checks GROUP BY task_id HAVING count(*) > 1',
    );
    expect(twice.length).toBeGreaterThan(0);
    const points = await q<{ status: string }>('SELECT status FROM supervision_check_points WHERE task_id = $1', [
      twice[0].task_id,
    ]);
    expect(points.map((p) => p.status)).toContain('accepted');
    expect(points.map((p) => p.status)).toContain('open');
    const rounds = await q<{ kind: string; status: string; differs: number; unresolved: number; pending: number }>(
      `SELECT r.kind, r.status,
         (SELECT count(*)::int FROM supervision_round_rows x WHERE x.round_id = r.id AND x.state = 'differs') AS differs,
         (SELECT count(*)::int FROM supervision_round_rows x WHERE x.round_id = r.id AND x.state = 'differs' AND x.resolution IS NULL) AS unresolved,
         (SELECT count(*)::int FROM supervision_round_rows x WHERE x.round_id = r.id AND x.state = 'pending') AS pending
       FROM supervision_rounds r ORDER BY r.as_of`,
    );
    expect(rounds.map((r) => [r.kind, r.status])).toEqual([
      ['quarterly', 'closed'],
      ['midyear', 'open'],
    ]);
    expect(rounds[0]).toMatchObject({ differs: 2, unresolved: 0, pending: 0 });
    expect(rounds[1].pending).toBeGreaterThan(0);
  });
});
