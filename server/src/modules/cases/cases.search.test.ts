// The list helper and the search paths of issue 19 against the queries they replaced: the same rows, in
// the same order, with the same totals, on a few hundred cases (2-character Chinese words, escapes,
// case numbers, phone formats), and the SQL functions of migration 0018 against their TypeScript mirrors.
import { and, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cappedCount, readPage } from '../../platform/lists.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { listCases } from './cases.repo.js';
import { bigrams, DEFAULT_SEARCH_DAYS, normalisePhone, planSearch } from './cases.search.js';
import { cases } from './cases.table.js';
import { buildCaseCategory } from './cases.testkit.js';
import { readTable } from '../../lib/xlsx-table.js';

let env: TestEnv;
let agent: Client;
let handler: Client;

const PROBLEMS = [
  '施工工地夜间噪音扰民',
  '路灯不亮，夜间出行不便',
  '垃圾清运不及时，异味严重',
  '小区门口流动摊贩占道经营',
  '噪声扰民：广场舞音响太响',
  '井盖缺失 存在安全隐患',
  '100%_折扣\\虚假宣传',
  "O'Brien 反映 Noise 问题",
];
const STREETS = ['解放大道', '中山大道', '京汉大道', '建设大道'];
const PHONES = [
  '13800138000',
  '138-0013-8000',
  '+86 138 0013 8000',
  '008613800138000',
  '１３８００１３８０００',
  '027-83777777',
  '13912345678',
  '',
];
const N = 240;

beforeAll(async () => {
  env = await createTestEnv();
  const unit = await env.buildUnit({ name: '城管局' });
  const cat = await buildCaseCategory(env, { name: '市容', defaultUnitId: unit });
  agent = await env.userClient({ roles: ['agent'] });
  handler = await env.userClient({ roles: ['handler'], unitId: unit });
  // Cases spread over 200 days (some outside the default search window), every 7th dispatched to the unit.
  await env.database.query(
    `INSERT INTO cases (number, password_hash, channel, type, category_id, status, requester_name, requester_phone, description, address, created_at, lead_unit_id)
     SELECT 'HJ' || to_char(date '2026-01-01' + (i % 300), 'YYYYMMDD') || lpad(i::text, 5, '0'), 'x', 'hotline', 'complaint', $1,
       CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'accepted' END, '市民' || i,
       ($2::text[])[1 + i % array_length($2::text[], 1)],
       ($3::text[])[1 + i % array_length($3::text[], 1)] || '（第' || i || '号）',
       '汉江区' || ($4::text[])[1 + i % array_length($4::text[], 1)] || (100 + i) || '号',
       now() - make_interval(days => (i * 200 / $5)::int, secs => i), CASE WHEN i % 7 = 0 THEN $6::int END
     FROM generate_series(1, $5::int) AS i`,
    [cat, PHONES, PROBLEMS, STREETS, N, unit],
  );
  await env.database.query(
    `INSERT INTO case_dispatches (case_id, unit_id, role, time_limit_days, sign_due, deadline, due_soon_at)
     SELECT id, lead_unit_id, 'lead', 5, now(), now() + interval '5 days', now() + interval '4 days' FROM cases WHERE lead_unit_id IS NOT NULL`,
  );
});
afterAll(async () => env?.close());

/** The list query before issue 19: ILIKE over number, description and address (+ exact phone), exact count. */
async function oldList(q: string, phone: boolean, from?: Date) {
  const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const parts: SQL[] = [ilike(cases.number, like), ilike(cases.description, like), ilike(cases.address, like)];
  if (phone) parts.push(eq(cases.requesterPhone, q));
  const where = and(or(...parts), from ? sql`${cases.createdAt} >= ${from.toISOString()}::timestamptz` : undefined);
  const db = env.database.db;
  const rows = await db
    .select({ id: cases.id })
    .from(cases)
    .where(where)
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(20);
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cases)
    .where(where);
  return { ids: rows.map((r) => r.id), total: Number(n) };
}
async function newList(q: string, phone: boolean, from?: Date) {
  const page = await listCases(env.database.db, { search: planSearch(q, phone), from }, { limit: 20, offset: 0 });
  return { ids: page.rows.map((r) => r.id), total: page.total, capped: page.totalCapped };
}

describe('SQL functions match their TypeScript mirrors', () => {
  it('xn_bigrams = bigrams and xn_phone_norm = normalisePhone', async () => {
    for (const s of [...PROBLEMS, '噪音', 'a', '', 'AbC  dE\tf', "it's \\ ok"]) {
      const [row] = await env.database.query<{ l: string[] | null }>(`SELECT tsvector_to_array(xn_bigrams($1)) AS l`, [
        s,
      ]);
      expect([...(row.l ?? [])].sort(), s).toEqual(bigrams(s).sort());
    }
    for (const p of [...PHONES, '+8613800138000', '(027) 8377-7777', '8613800138000', '86123']) {
      const [row] = await env.database.query<{ p: string }>(`SELECT xn_phone_norm($1) AS p`, [p]);
      expect(row.p, p).toBe(normalisePhone(p));
    }
    expect(normalisePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalisePhone('１３８００１３８０００')).toBe('13800138000');
  });
});

describe('search returns the rows of the old ILIKE query', () => {
  const since = () => new Date(Date.now() - 1000 * 86_400_000);
  it.each([
    '噪音',
    '夜间',
    '路灯',
    '扰民',
    '解放',
    '大道',
    '噪',
    '第12',
    '汉江区中山大道',
    '100%',
    '_折',
    '\\虚',
    "o'brien",
    'NOISE',
    '不亮，夜',
    '井盖缺失 存在',
    '无此词语',
  ])('text %s', async (q) => {
    const before = await oldList(q, true, since());
    expect(planSearch(q, true).kind).toBe('text');
    const after = await newList(q, true, since());
    expect(after).toEqual({ ...before, capped: false });
    // The row-by-row path of a frequent word (no index condition, the count walking the list's order): same rows.
    const plan = planSearch(q, true);
    const rowByRow = await listCases(
      env.database.db,
      { search: plan.kind === 'text' ? { ...plan, bigrams: [] } : plan, from: since() },
      { limit: 20, offset: 0 },
    );
    expect({ ids: rowByRow.rows.map((r) => r.id), total: rowByRow.total }).toEqual(before);
  });
  it('a case number takes the exact path and finds the case', async () => {
    const [{ number }] = await env.database.query<{ number: string }>(
      `SELECT number FROM cases ORDER BY id LIMIT 1 OFFSET 17`,
    );
    expect(planSearch(number.toLowerCase(), false)).toEqual({ kind: 'number', number });
    const before = await oldList(number, false);
    expect(before.total).toBe(1);
    expect(await newList(number.toLowerCase(), false)).toEqual({ ...before, capped: false });
  });
  it('a phone in any format finds every case of that phone, whatever format it was stored in', async () => {
    // The old query matched the stored text exactly: the union over the stored formats is what it could find.
    const formats = PHONES.slice(0, 5);
    const expected = await allOldPhone(formats);
    expect(expected.size).toBeGreaterThan(100);
    for (const f of [...formats, '+86-138 0013 8000']) {
      const page = await listCases(env.database.db, { search: planSearch(f, true) }, { limit: 500, offset: 0 });
      expect(new Set(page.rows.map((r) => r.id)), f).toEqual(expected);
      expect(page.total).toBe(expected.size);
    }
    // Landlines too, and the exact stored text still matches.
    expect((await newList('027-83777777', true)).ids).toEqual((await oldList('027-83777777', true)).ids);
    // Viewers who may not search by phone get the text path: no phone match.
    expect(planSearch('13800138000', false).kind).toBe('text');
  });
  it('combines with the other filters (scope of a handler: same rows as before)', async () => {
    const res = await handler.get(`/api/cases?q=${encodeURIComponent('噪音')}&searchAll=true`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      items: { id: number }[];
      total: number;
      totalCapped: boolean;
      searchFrom: string | null;
    };
    const [{ n }] = await env.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases c WHERE (c.description ILIKE '%噪音%' OR c.address ILIKE '%噪音%' OR c.number ILIKE '%噪音%')
         AND EXISTS (SELECT 1 FROM case_dispatches d WHERE d.case_id = c.id)`,
    );
    expect(n).toBeGreaterThan(0);
    expect(body.total).toBe(n);
    expect(body.searchFrom).toBeNull();
  });
  it('counts the handler\'s "all" tab from the work orders: each case once, even with a second order', async () => {
    // A redo: a second work order of the unit on a few of its cases (the count must not double them).
    await env.database.query(
      `INSERT INTO case_dispatches (case_id, unit_id, role, round, kind, time_limit_days, sign_due, deadline, due_soon_at)
       SELECT case_id, unit_id, 'lead', 2, 'redo', 5, now(), now() + interval '5 days', now() + interval '4 days'
         FROM case_dispatches WHERE case_id % 2 = 0`,
    );
    const res = await handler.get('/api/cases?pageSize=5&searchAll=true');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: { id: number }[]; total: number; totalCapped: boolean };
    const [{ n }] = await env.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases c WHERE EXISTS (SELECT 1 FROM case_dispatches d WHERE d.case_id = c.id)`,
    );
    expect(n).toBeGreaterThan(5); // more than a page: the total is counted, not read off the page
    expect(body).toMatchObject({ total: n, totalCapped: false });
    expect(body.items).toHaveLength(5);
  });
});

/** Every case whose stored phone is one of the formats (the old exact-match query, all rows). */
async function allOldPhone(formats: string[]): Promise<Set<number>> {
  const rows = await env.database.query<{ id: number }>(
    `SELECT id FROM cases WHERE requester_phone = ANY($1::text[])`,
    [formats],
  );
  return new Set(rows.map((r) => r.id));
}

describe('the default search window', () => {
  it('a text search looks back 90 days unless widened; number and phone searches look at all time', async () => {
    const q = encodeURIComponent('噪音');
    const windowed = (await agent.get(`/api/cases?q=${q}&pageSize=200`)).json() as {
      items: { createdAt: string }[];
      total: number;
      searchFrom: string;
    };
    const all = (await agent.get(`/api/cases?q=${q}&pageSize=200&searchAll=true`)).json() as {
      items: unknown[];
      total: number;
      searchFrom: string | null;
    };
    expect(windowed.searchFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(all.searchFrom).toBeNull();
    expect(all.total).toBeGreaterThan(windowed.total);
    const limit = Date.now() - (DEFAULT_SEARCH_DAYS + 1) * 86_400_000;
    expect(windowed.items.every((i) => Date.parse(i.createdAt) >= limit)).toBe(true);
    const phone = (await agent.get(`/api/cases?q=${encodeURIComponent('138 0013 8000')}&pageSize=200`)).json() as {
      total: number;
      searchFrom: string | null;
    };
    expect(phone.searchFrom).toBeNull();
    expect(phone.total).toBe((await allOldPhone(PHONES.slice(0, 5))).size);
  });
});

describe('the list helper', () => {
  it('pages with one extra row and caps the count', async () => {
    const db = env.database.db;
    const from = sql`${cases}`;
    const [{ n }] = await env.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
    expect(n).toBe(N);
    const rows = (limit: number, offset: number) =>
      env.database.query<{ id: number }>(`SELECT id FROM cases ORDER BY id LIMIT $1 OFFSET $2`, [limit, offset]);
    let counted = 0;
    const count = async (cap: number) => {
      counted++;
      return cappedCount(db, from, cap);
    };
    // Under the cap: exact.
    expect(await readPage({ limit: 20, offset: 0 }, rows, count, 1000)).toMatchObject({
      total: N,
      totalCapped: false,
      hasMore: true,
    });
    // Over the cap: capped; the count stops at cap + 1.
    expect(await readPage({ limit: 20, offset: 40 }, rows, count, 100)).toMatchObject({
      total: 100,
      totalCapped: true,
      hasMore: true,
    });
    expect(await cappedCount(db, from, 101)).toBe(101);
    // A short page tells the total without counting.
    counted = 0;
    const last = await readPage({ limit: 20, offset: N - 5 }, rows, count, 100);
    expect(last).toMatchObject({ total: N, totalCapped: false, hasMore: false });
    expect(last.rows).toHaveLength(5);
    expect(counted).toBe(0);
    // A page past the end still counts.
    expect(await readPage({ limit: 20, offset: N + 20 }, rows, count, 1000)).toMatchObject({
      rows: [],
      total: N,
      hasMore: false,
    });
  });
});

describe('case list filters in combination, sorting and the export (issue 15)', () => {
  const q = 'place=中山大道&status=accepted&channel=hotline&sort=oldest&searchAll=1';

  it('combines place, status and channel, sorted oldest first', async () => {
    const res = await agent.get(`/api/cases?${encodeURI(q)}&pageSize=200`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { number: string; address: string; status: string; createdAt: string }[];
    // 240 cases: every 4th on 中山大道 (60), two thirds of them open.
    expect(items.length).toBe(40);
    expect(items.every((c) => c.address.includes('中山大道') && c.status === 'accepted')).toBe(true);
    const times = items.map((c) => c.createdAt);
    expect(times).toEqual([...times].sort());
    const newest = (await agent.get(`/api/cases?${encodeURI('place=中山大道&status=accepted')}&pageSize=200`)).json();
    expect(newest.items.map((c: { number: string }) => c.number)).toEqual(items.map((c) => c.number).reverse());
    const bad = await agent.get('/api/cases?sort=random');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('sort');
    // A place with LIKE wildcards matches them literally.
    expect((await agent.get(`/api/cases?place=${encodeURIComponent('%')}`)).json().total).toBe(0);
  });

  it('exports exactly the rows the filters show, in the same order, with Chinese headers', async () => {
    const list = (await agent.get(`/api/cases?${encodeURI(q)}&pageSize=200`)).json();
    const res = await agent.get(`/api/cases/export?${encodeURI(q)}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const x = await readTable(res.rawPayload);
    expect(x.headers.slice(0, 6)).toEqual(['工单编号', '受理时间', '渠道', '类型', '诉求分类', '状态']);
    expect(x.rows.map((r) => r[0])).toEqual(list.items.map((c: { number: string }) => c.number));
    expect(new Set(x.rows.map((r) => r[5]))).toEqual(new Set(['已受理待派单']));
    // The handler's export holds only the cases dispatched to its unit.
    const mine = (await handler.get('/api/cases?pageSize=200&searchAll=1')).json();
    const hx = await readTable((await handler.get('/api/cases/export?searchAll=1')).rawPayload);
    expect(hx.rows.map((r) => r[0])).toEqual(mine.items.map((c: { number: string }) => c.number));
    expect(hx.rows.length).toBe(Math.floor(N / 7));
  });
});

describe('the agent console counts (issue 19: grouped by status)', () => {
  it('equal the counts of the earlier query over every open status, deadline and sign-for time', async () => {
    const statuses = ['accepted', 'dispatched', 'signed', 'in_progress', 'reported', 'verified', 'review', 'returned'];
    // Spread the cases over the open states, with deadlines past, near and far, and sign-for times past and future.
    await env.database.query(
      `UPDATE cases SET status = ($1::text[])[1 + id % 8],
         deadline = now() + make_interval(hours => (id % 5 - 2) * 20),
         due_soon_at = now() + make_interval(hours => (id % 5 - 2) * 20 - 30),
         sign_due = now() + make_interval(hours => (id % 3 - 1) * 5)
       WHERE id % 9 <> 0`,
      [statuses],
    );
    const [old] = await env.database.query<Record<string, number>>(`SELECT
      count(*) FILTER (WHERE status IN ('accepted','returned'))::int AS "awaitingDispatch",
      count(*) FILTER (WHERE status = 'reported')::int AS "awaitingVerify",
      count(*) FILTER (WHERE status = 'verified')::int AS "awaitingFeedback",
      count(*) FILTER (WHERE status = 'review')::int AS "awaitingReview",
      count(*) FILTER (WHERE status IN ('dispatched','signed','in_progress') AND deadline < now())::int AS "overdue",
      count(*) FILTER (WHERE status IN ('dispatched','signed','in_progress') AND due_soon_at <= now() AND deadline >= now())::int AS "dueSoon",
      count(*) FILTER (WHERE status = 'dispatched' AND sign_due < now())::int AS "signOverdue"
      FROM cases WHERE status IN ('accepted','dispatched','signed','in_progress','reported','verified','review','returned')`);
    for (const k of ['overdue', 'dueSoon', 'signOverdue', 'awaitingVerify']) expect(old[k], k).toBeGreaterThan(0);
    const res = await agent.get('/api/cases/counts');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject(old);
  });
});
