// The demo seed of the cases module: consistent with the life cycle, usable through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/helpers.js';
import { DEMO_CASE_PASSWORD, seedCases } from './cases.seed.js';
import { seedFoundation } from '../users/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await seedFoundation(env.database);
  // How long seeding takes is measured by the start-up figures, not asserted here (no timed tests).
  await seedCases(env.database);
}, 120_000);
afterAll(async () => env?.close());

const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);

describe('cases demo seed', () => {
  it('seeds a year of cases in every state', async () => {
    const rows = await q<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM cases GROUP BY status');
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    const total = Object.values(by).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(3000);
    expect(total).toBeLessThan(6000);
    for (const s of [
      'accepted',
      'rejected',
      'merged',
      'dispatched',
      'signed',
      'in_progress',
      'reported',
      'verified',
      'review',
      'returned',
      'closed',
    ]) {
      expect(by[s] ?? 0, s).toBeGreaterThan(0);
    }
    const [x] = await q<Record<string, number>>(`SELECT
      count(*) FILTER (WHERE status IN ('dispatched','signed','in_progress') AND deadline < now())::int AS overdue,
      count(*) FILTER (WHERE escalated)::int AS escalated, count(*) FILTER (WHERE redo_count > 0)::int AS redone,
      count(*) FILTER (WHERE extension_count > 0)::int AS extended, count(*) FILTER (WHERE return_count > 0)::int AS returned,
      count(DISTINCT channel)::int AS channels FROM cases`);
    expect(x).toMatchObject({ channels: 8 });
    for (const k of ['overdue', 'escalated', 'redone', 'extended', 'returned'])
      expect(Number(x[k]), k).toBeGreaterThan(0);
  });

  it('keeps the data consistent: numbers, counters, dispatches, nothing in the future', async () => {
    const [bad] = await q<Record<string, number>>(`SELECT
      (SELECT count(*)::int FROM case_events WHERE at > now()) AS future_events,
      (SELECT count(*)::int FROM case_events e WHERE dispatch_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_dispatches d WHERE d.id = e.dispatch_id)) AS orphan_events,
      (SELECT count(*)::int FROM cases c WHERE status IN ('dispatched','signed','in_progress') AND NOT EXISTS (SELECT 1 FROM case_dispatches d WHERE d.case_id = c.id AND d.role = 'lead' AND d.status IN ('pending','signed','in_progress'))) AS handling_without_order,
      (SELECT count(*)::int FROM cases WHERE status = 'closed' AND closed_at IS NULL) AS closed_without_time,
      (SELECT count(*)::int FROM cases WHERE status = 'merged' AND main_case_id IS NULL) AS merged_without_main,
      (SELECT count(*)::int FROM case_number_counters k WHERE k.last <> (SELECT count(*) FROM cases c WHERE c.number LIKE 'HJ' || to_char(k.day, 'YYYYMMDD') || '%')) AS counter_mismatch`);
    expect(bad).toEqual({
      future_events: 0,
      orphan_events: 0,
      handling_without_order: 0,
      closed_without_time: 0,
      merged_without_main: 0,
      counter_mismatch: 0,
    });
  });

  it('gives cgj_handler and hzj_handler an inbox, and tracking works with the demo password', async () => {
    for (const username of ['cgj_handler', 'hzj_handler']) {
      const c = await env.login(username, 'Xiaoneng@2026');
      const inbox = await c.get('/api/cases?mine=1');
      expect(inbox.statusCode).toBe(200);
      expect(inbox.json().total, username).toBeGreaterThan(0);
    }
    const [one] = await q<{ number: string }>(`SELECT number FROM cases WHERE status = 'closed' ORDER BY id LIMIT 1`);
    const res = await env.anon.post('/api/public/cases/track', { number: one.number, password: DEMO_CASE_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().timeline.length).toBeGreaterThan(3);
  });

  it('new intakes continue the day’s numbering', async () => {
    const agent = await env.login('agent', 'Xiaoneng@2026');
    const [cat] = await q<{ id: number }>(`SELECT id FROM case_categories WHERE code = 'SRHW01'`);
    const res = await agent.post('/api/cases', {
      channel: 'hotline',
      type: 'complaint',
      categoryId: cat.id,
      description: '测试续号：门口占道经营',
      address: '汉正街1号',
    });
    expect(res.statusCode, res.body).toBe(201);
    const number = res.json().number as string;
    const [{ n }] = await q<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE number = $1', [number]);
    expect(Number(n)).toBe(1);
  });
});
