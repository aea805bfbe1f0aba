/**
 * The audit log list on the shared list helper (platform/lists, issue 19): the same rows as the query
 * before it (kept below as the reference: the filters, newest first, LIMIT/OFFSET and an exact count),
 * pages that say whether another follows, and a total counted only up to 10,000.
 *
 * The database gets 10,100 extra entries (inserted directly, placeholder hashes: nothing here verifies the chain).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNT_CAP } from '../../platform/lists.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';

let env: TestEnv;
let auditor: Client;
let unitId: number;

type Filter = {
  actorName?: string;
  unitId?: number;
  entityType?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
};

/** The list query before the helper: every matching row, newest first, one page of it, and count(*). */
async function reference(f: Filter, limit: number, offset: number) {
  const conds: string[] = [];
  const params: unknown[] = [];
  const add = (cond: string, v: unknown) => {
    params.push(v);
    conds.push(cond.replace('?', `$${params.length}`));
  };
  if (f.actorName) add('actor_name = ?', f.actorName);
  if (f.unitId !== undefined) add('unit_id = ?', f.unitId);
  if (f.entityType) add('entity_type = ?', f.entityType);
  if (f.entityId) add('entity_id = ?', f.entityId);
  if (f.action) add('action = ?', f.action);
  if (f.from) add('at >= ?', new Date(`${f.from}T00:00:00+08:00`).toISOString());
  if (f.to) add('at <= ?', new Date(`${f.to}T23:59:59.999+08:00`).toISOString());
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const rows = await env.database.query<{ id: number | string }>(
    `SELECT id FROM audit_entries ${where} ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  const [{ n }] = await env.database.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_entries ${where}`,
    params,
  );
  return { ids: rows.map((r) => Number(r.id)), total: Number(n) };
}

const query = (f: Filter, limit: number, offset: number) =>
  new URLSearchParams(
    Object.entries({ ...f, limit, offset }).map(([k, v]) => [k, String(v)] as [string, string]),
  ).toString();

beforeAll(async () => {
  env = await createTestEnv();
  auditor = await env.userClient({ username: 'list_auditor', roles: ['admin', 'audit_admin'] });
  unitId = (
    await auditor.post('/api/units', { code: 'AL1', name: '列表单位', kind: 'department', parentId: env.rootUnitId })
  ).json().id;
  await auditor.patch(`/api/units/${unitId}`, { name: '列表单位（改）' });
  // 10,100 entries over the last 60 days: three actions, three actors, every fifth for the unit.
  await env.database.exec(`
    INSERT INTO audit_entries (at, actor_id, actor_name, ip, action, entity_type, entity_id, unit_id, before, after, prev_hash, hash)
    SELECT now() - (g % 60) * interval '1 day' - (g % 997) * interval '1 second', NULL,
           (ARRAY['张三','李四','system'])[1 + g % 3], NULL,
           (ARRAY['case.dispatch','case.sign','unit.update'])[1 + g % 3],
           CASE WHEN g % 3 = 2 THEN 'unit' ELSE 'case' END, (g % 50)::text,
           CASE WHEN g % 5 = 0 THEN ${unitId} END, NULL, jsonb_build_object('n', g),
           md5(g::text), md5((g + 1)::text)
    FROM generate_series(1, 10100) g`);
});
afterAll(async () => env?.close());

describe('GET /api/audit on the list helper', () => {
  const day = (offsetDays: number) =>
    new Date(Date.now() + 8 * 3600_000 + offsetDays * 86400_000).toISOString().slice(0, 10);

  it('returns the same rows as the query before it, for every filter and page, with hasMore and a capped total', async () => {
    const filters: Filter[] = [
      {},
      { action: 'case.dispatch' },
      { action: 'unit.update', entityType: 'unit' },
      { entityType: 'case', entityId: '7' },
      { unitId },
      { actorName: '李四', action: 'case.sign' },
      { from: day(-10), to: day(0) },
      { action: 'case.sign', from: day(-30), to: day(-20) },
      { action: 'no.such.action' },
    ];
    let capped = 0;
    let exact = 0;
    for (const f of filters) {
      const first = await reference(f, 50, 0);
      const lastOffset = Math.max(0, Math.min(first.total, 12_000) - 20);
      for (const [limit, offset] of [
        [50, 0],
        [50, 50],
        [20, lastOffset],
        [100, first.total + 100], // beyond the end
      ]) {
        const ref = await reference(f, limit, offset);
        const res = await auditor.get(`/api/audit?${query(f, limit, offset)}`);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as { total: number; totalCapped: boolean; hasMore: boolean; items: { id: number }[] };
        const what = `${JSON.stringify(f)} ${limit}@${offset}`;
        expect(
          page.items.map((e) => e.id),
          what,
        ).toEqual(ref.ids);
        expect(page.hasMore, what).toBe(offset + limit < ref.total);
        // The last page tells the exact total; otherwise it is counted, up to the cap.
        const lastPage = offset + limit >= ref.total && (ref.ids.length > 0 || offset === 0);
        if (ref.total > COUNT_CAP && !lastPage) {
          expect(page, what).toMatchObject({ total: COUNT_CAP, totalCapped: true });
          capped++;
        } else {
          expect(page, what).toMatchObject({ total: ref.total, totalCapped: false });
          exact++;
        }
      }
    }
    expect(capped).toBeGreaterThan(0);
    expect(exact).toBeGreaterThan(10);
  });

  it('pages through a filter: consecutive pages join into the whole list, newest first, without gaps or repeats', async () => {
    const f: Filter = { unitId };
    const all = await reference(f, 100_000, 0);
    const seen: number[] = [];
    for (let offset = 0, more = true; more; offset += 500) {
      const page = (await auditor.get(`/api/audit?${query(f, 500, offset)}`)).json();
      seen.push(...page.items.map((e: { id: number }) => e.id));
      more = page.hasMore;
    }
    expect(seen).toEqual(all.ids);
    expect(all.ids.length).toBeGreaterThan(2000);
  });

  it('exports the filtered entries (rows only) as before', async () => {
    const res = await auditor.get(`/api/audit/export?entityType=case&entityId=7`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
  });
});
