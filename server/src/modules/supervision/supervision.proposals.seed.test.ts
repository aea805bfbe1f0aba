// The demo seed of proposals and issued documents: every state, re-handled ones, figures in the inputs, documents kept.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/helpers.js';
import { performanceModule } from '../performance/index.js';
import { seedFoundation } from '../users/index.js';
import { seedSupervision } from './supervision.seed.js';
import { seedProposals } from './supervision.proposals.seed.js';

let env: TestEnv;
const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);
beforeAll(async () => {
  env = await createTestEnv();
  await seedFoundation(env.database);
  for (const s of performanceModule.seeds) await s.run(env.database);
  await seedSupervision(env.database);
  // The evaluation seed's deputies and members, in short.
  const [district] = await q<{ id: number }>(`SELECT id FROM units WHERE code = 'DISTRICT'`);
  for (let i = 1; i <= 6; i++) {
    const [u] = await q<{ id: number }>(
      `INSERT INTO users(username, display_name, password_hash, unit_id) VALUES ($1, $2, 'x', $3) RETURNING id`,
      [`deputy0${i}`, i % 3 === 0 ? `委员${i}（区政协委员）` : `代表${i}（区人大代表）`, district.id],
    );
    await q(`INSERT INTO user_roles(user_id, role) VALUES ($1, 'evaluator')`, [u.id]);
  }
  await seedProposals(env.database);
}, 300_000);
afterAll(async () => env?.close());

describe('proposals demo seed', () => {
  it('has 40 proposals in every state, some rated 不满意 and handled again', async () => {
    const rows = await q<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM supervision_proposals GROUP BY status',
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    expect(Object.values(by).reduce((a, b) => a + b, 0)).toBe(40);
    for (const s of ['assigned', 'replied', 'closed']) expect(by[s] ?? 0, s).toBeGreaterThan(0);
    const redo = await q<{ n: number }>(`SELECT count(*)::int AS n FROM supervision_proposals WHERE round = 2`);
    expect(Number(redo[0].n)).toBeGreaterThanOrEqual(4);
    // Every proposal's deputy holds the matching profile.
    const wrong = await q(
      `SELECT p.id FROM supervision_proposals p JOIN reviewer_profiles r ON r.user_id = p.deputy_id
        WHERE (p.kind = 'npc_motion') <> (r.kind = 'npc_deputy')`,
    );
    expect(wrong).toEqual([]);
  });
  it('writes the proposal figures into the supervision inputs', async () => {
    const [r] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM score_inputs s JOIN indicators i ON i.id = s.indicator_id
        WHERE i.data_source = 'supervision' AND s.fields ? 'proposalReplyRate'`,
    );
    expect(Number(r.n)).toBeGreaterThan(10);
  });
  it('issues numbered 专报 and 通报 with their .docx', async () => {
    const docs = await q<{ kind: string; seq: number; number: string; docx: Uint8Array }>(
      'SELECT kind, seq, number, docx FROM supervision_documents ORDER BY kind, seq',
    );
    expect(docs.map((d) => d.kind)).toContain('report');
    expect(docs.map((d) => d.kind)).toContain('bulletin');
    const zip = await JSZip.loadAsync(Buffer.from(docs[0].docx));
    expect(await zip.file('word/document.xml')!.async('string')).toContain(docs[0].number);
  });
  it('has 12 investment projects at every stage', async () => {
    const rows = await q<{ stage: string | null }>('SELECT stage FROM supervision_investments');
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.stage))).toEqual(new Set([null, 'signed', 'registered', 'started', 'producing']));
  });
});
