// The demo's 协商中心: one consultation published with its summary, one open (not public).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/helpers.js';
import { seedFoundation } from '../users/index.js';
import { seedConsultations } from './evaluation.consultation.seed.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await seedFoundation(env.database);
  await seedConsultations(env.database);
}, 300_000);
afterAll(async () => env?.close());

const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);

describe('consultation demo seed', () => {
  it('publishes the elevator consultation with its summary; its figures are those of the raw answers', async () => {
    const list = env.anon.get('/api/public/consultations');
    const rows = (await list).json() as { id: number; title: string; units: string[]; participants: number }[];
    expect(rows).toEqual([
      expect.objectContaining({ title: '老旧小区加装电梯补贴方案征求意见', units: ['区住房和城乡建设局'] }),
    ]);
    const page = (await env.anon.get(`/api/public/consultations/${rows[0].id}`)).json();
    const [raw] = await q<{ n: number; support0: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE answers->>'support' = '0')::int AS support0
         FROM evaluation_responses WHERE campaign_id = $1 AND NOT excluded`,
      [rows[0].id],
    );
    expect(page.participants).toBe(raw.n);
    expect(page.tallies.find((t: { key: string }) => t.key === 'support').counts[0]).toBe(raw.support0);
    expect(page.summary.heard).toContain(`共收回有效问卷 ${raw.n} 份`);
    expect(page.summary.adopted).not.toBe('');
    expect(page.summary.notAdopted).not.toBe('');
    // It fed no indicator.
    const [inputs] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM score_inputs WHERE source_ref LIKE $1`, [
      `evaluation:${rows[0].id}:%`,
    ]);
    expect(inputs.n).toBe(0);
  });

  it('the parking hearing is open with answers, and not public', async () => {
    const [c] = await q<{ id: number; status: string; n: number }>(
      `SELECT c.id, c.status, (SELECT count(*)::int FROM evaluation_responses r WHERE r.campaign_id = c.id) AS n
         FROM evaluation_campaigns c WHERE c.kind = 'consultation' AND c.title = '中心城区路内停车收费调整听证'`,
    );
    expect(c).toMatchObject({ status: 'open', n: 137 });
    expect((await env.anon.get(`/api/public/consultations/${c.id}`)).statusCode).toBe(404);
  });
});
