// The demo seed of the evaluation module: the campaigns of 2026 and the `evaluation` leaves fed by the closed ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/helpers.js';
import { performanceModule } from '../performance/index.js';
import { seedFoundation } from '../users/index.js';
import { seedEvaluation } from './evaluation.seed.js';

let env: TestEnv;
let ms = 0;
beforeAll(async () => {
  env = await createTestEnv();
  await seedFoundation(env.database);
  for (const s of performanceModule.seeds) await s.run(env.database);
  const t0 = performance.now();
  await seedEvaluation(env.database);
  ms = performance.now() - t0;
}, 300_000);
afterAll(async () => env?.close());

const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);

describe('evaluation demo seed', () => {
  it('has the public survey: about 2,000 sampled residents of 20 streets, most of them answered', async () => {
    console.log(`evaluation seed: ${Math.round(ms)} ms`);
    const [c] = await q<{ id: number; status: string; n: number; answered: number; strata: number }>(
      `SELECT c.id, c.status, (SELECT count(*)::int FROM evaluation_invitations i WHERE i.campaign_id = c.id) AS n,
              (SELECT count(*)::int FROM evaluation_responses r WHERE r.campaign_id = c.id) AS answered,
              jsonb_array_length(c.sampling->'strata') AS strata
         FROM evaluation_campaigns c WHERE c.kind = 'public_survey'`,
    );
    expect(c.status).toBe('published');
    expect(c.n).toBe(2000);
    expect(c.strata).toBe(20);
    expect(c.answered).toBeGreaterThan(1100);
    // Anonymous: no response points to an invitation.
    expect(
      (
        await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM evaluation_responses WHERE campaign_id = $1 AND invitation_id IS NOT NULL`,
          [c.id],
        )
      )[0].n,
    ).toBe(0);
  });
  it('has every kind of campaign the demo shows, one still open', async () => {
    const rows = await q<{ kind: string; status: string }>(`SELECT kind, status FROM evaluation_campaigns ORDER BY id`);
    const kinds = new Set(rows.map((r) => r.kind));
    for (const k of [
      'public_survey',
      'enterprise_survey',
      'deputies',
      'special_supervisors',
      'mutual',
      'leaders',
      'expert_review',
    ])
      expect(kinds.has(k), k).toBe(true);
    expect(rows.find((r) => r.kind === 'deputies')?.status).toBe('open');
    expect(
      (
        await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM evaluation_panel p JOIN evaluation_campaigns c ON c.id = p.campaign_id WHERE c.kind = 'deputies'`,
        )
      )[0].n,
    ).toBe(40);
  });
  it('feeds every `evaluation` leaf of 2026 from closed campaigns', async () => {
    const rows = await q<{ code: string; n: number }>(
      `SELECT i.code, count(s.*)::int AS n FROM indicators i JOIN assessment_years y ON y.id = i.year_id AND y.year = 2026
         LEFT JOIN score_inputs s ON s.indicator_id = i.id AND s.source = 'evaluation' AND s.source_ref LIKE 'evaluation:%'
        WHERE i.data_source = 'evaluation' GROUP BY i.code ORDER BY i.code`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.n, r.code).toBeGreaterThan(0);
    const [c3] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM score_inputs s JOIN indicators i ON i.id = s.indicator_id WHERE i.code = 'C3_01' AND s.source_ref LIKE 'evaluation:%' AND s.period = '2026-10'`,
    );
    expect(c3.n).toBe(20);
  });
});
