/**
 * Public service platform benchmark, on a fresh PGlite data folder and — when BENCH_DATABASE_URL is
 * set — on a fresh PostgreSQL database (created and dropped here).
 *
 * Figures (suffix .pglite or .postgres):
 * - cases.intake_rps / cases.intake_p99   HTTP case intake: the real app (buildApp) listening on a
 *   loopback port; 10 agents signed in; 50 concurrent clients (node:http with kept-alive connections, in
 *   a worker thread with its own event loop — clients do not share the server's thread, as in real
 *   life, and take as little of the machine's CPU as a client can) POSTing realistic bodies to
 *   /api/cases; half of them dispatch at once (受理即派). The clients warm up for 2 s and go on without
 *   a pause into the 10 s measured (requests started and answered within it). Cases/s and p99 ms.
 * - cases.raw_insert_rps                   the floor: single-row INSERTs of the same case row through the
 *   same driver, 50 concurrent loops, warmed up for 2 s at that concurrency too, then 10 s measured
 *   (PGlite serialises them on its one connection; PostgreSQL spreads them over its pool of 10).
 * - cases.intake_vs_raw                    intake ÷ raw, in %. Target ≥ 40 %.
 * - cases.stats_rebuild_1m                 rebuilding the department statistics from the timeline of
 *   1,000,000 cases (≈4.9 M events, generated with generate_series), ms.
 * - cases.stats_month_1m                   GET /api/case-stats?month=… with those 1,000,000 cases in the
 *   database, ms (median of 9 after a warm-up). Target < 200 ms.
 * - cases.targets                          1 when intake ≥ 40 % of raw, p99 < 100 ms and statistics < 200 ms.
 *
 * For profiling: BENCH_CASES_BIG=0 measures intake only, BENCH_CASES_ON=postgres skips PGlite,
 * BENCH_CASES_SECONDS sets the measured time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { openPglite, openPostgres, type Database } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { SYSTEM_ACTOR } from '../server/src/lib/context.js';
import { hashPassword } from '../server/src/lib/passwords.js';
import { rebuildCaseStats } from '../server/src/modules/casestats/index.js';
import { intakeBody, type ClientJob, type ClientResult, type Session, type World } from './cases.client.js';
import { benchConfig, benchLine as line, median, quantile } from './config.js';

const PASSWORD = 'Bench@2026pw';
const CONCURRENCY = 50;
const DURATION_MS = Number(process.env.BENCH_CASES_SECONDS ?? 10) * 1000;
const BIG = Number(process.env.BENCH_CASES_BIG ?? 1_000_000);

const AGENTS = 10;

/** 20 departments, 10 leaf case categories with default departments, 10 agents. */
export async function world(database: Database): Promise<World> {
  const q = database.query.bind(database);
  const [root] = await q<{ id: number }>(
    `INSERT INTO units(code, name, kind) VALUES ('ROOT', '基准区', 'district') RETURNING id`,
  );
  const units: number[] = [];
  for (let i = 0; i < 20; i++)
    units.push(
      (
        await q<{ id: number }>(
          `INSERT INTO units(code, name, kind, parent_id) VALUES ($1, $2, 'department', $3) RETURNING id`,
          [`D${i}`, `部门${i}`, root.id],
        )
      )[0].id,
    );
  const [parent] = await q<{ id: number }>(
    `INSERT INTO case_categories(code, name) VALUES ('P', '市容环卫') RETURNING id`,
  );
  const categories: number[] = [];
  for (let i = 0; i < 10; i++) {
    categories.push(
      (
        await q<{ id: number }>(
          `INSERT INTO case_categories(parent_id, code, name, default_unit_id, time_limit_days) VALUES ($1, $2, $3, $4, 5) RETURNING id`,
          [parent.id, `C${i}`, `分类${i}`, units[i % units.length]],
        )
      )[0].id,
    );
  }
  const hash = await hashPassword(PASSWORD);
  const agentIds: number[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const [agent] = await q<{ id: number }>(
      `INSERT INTO users(username, display_name, password_hash, unit_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [`bench_agent${i}`, `基准受理员${i}`, hash, root.id],
    );
    await q(`INSERT INTO user_roles(user_id, role) VALUES ($1, 'agent')`, [agent.id]);
    agentIds.push(agent.id);
  }
  return { units, categories, agentIds };
}

/** Runs `worker` in `n` concurrent loops until the deadline; returns completed counts and latencies. */
async function load(
  n: number,
  ms: number,
  worker: (i: number) => Promise<boolean>,
): Promise<{ ok: number; failed: number; latencies: number[]; seconds: number }> {
  let seq = 0;
  let ok = 0;
  let failed = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const good = await worker(seq++);
        latencies.push(performance.now() - t0);
        if (good) ok++;
        else failed++;
      }
    }),
  );
  return { ok, failed, latencies, seconds: (performance.now() - started) / 1000 };
}

/** Runs the clients in a worker thread and waits for their figures. */
function clients(job: ClientJob): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    // The worker loads the TypeScript client through tsx's API (a plain worker cannot load .ts).
    const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => m.tsImport(${JSON.stringify(new URL('./cases.client.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`;
    const worker = new Worker(code, { eval: true, workerData: job });
    worker.once('message', (m: ClientResult | { error: string }) => {
      void worker.terminate();
      if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

async function intake(app: FastifyInstance, w: World, tag: string): Promise<{ rps: number; p99: number }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${addr.port}`;
  const sessions: Session[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `bench_agent${i}`, password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    sessions.push({
      cookie: (login.headers.get('set-cookie') ?? '').split(';')[0],
      csrf: ((await login.json()) as { csrfToken: string }).csrfToken,
    });
  }
  const r = await clients({
    base,
    sessions,
    world: w,
    concurrency: CONCURRENCY,
    warmupMs: 2000,
    ms: DURATION_MS,
    seqStart: 0,
  });
  if (r.failed) throw new Error(`${r.failed} intake requests failed, first: ${r.firstError}`);
  const [{ n }] = await app.xn.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
  if (n < r.ok) throw new Error(`only ${n} cases stored for ${r.ok} answered intakes`);
  const rps = r.ok / r.seconds;
  const p99 = quantile(r.latencies, 0.99);
  line(`cases.intake_rps.${tag}`, rps, 'cases/s');
  line(`cases.intake_p50.${tag}`, quantile(r.latencies, 0.5), 'ms');
  line(`cases.intake_p99.${tag}`, p99, 'ms');
  return { rps, p99 };
}

async function rawInserts(database: Database, w: World, tag: string): Promise<number> {
  const hash = await hashPassword('123456');
  const sql = `INSERT INTO cases (number, password_hash, channel, type, category_id, status, requester_name, requester_phone, description, address, address_norm, created_by, time_limit_days, created_at, updated_at)
    VALUES ($1, $2, 'hotline', 'complaint', $3, 'accepted', $4, $5, $6, $7, $8, $9, 5, $10, $10)`;
  const insert = async (i: number) => {
    const b = intakeBody(w, i);
    await database.query(sql, [
      `RAW${String(i).padStart(10, '0')}`,
      hash,
      b.categoryId,
      b.requester.name,
      b.requester.phone,
      b.description,
      b.address,
      b.address,
      w.agentIds[0],
      new Date(),
    ]);
    return true;
  };
  await load(CONCURRENCY, 2000, (i) => insert(1e9 + i)); // warm-up, at the same concurrency as the intake's
  const r = await load(CONCURRENCY, DURATION_MS, insert);
  const rps = r.ok / r.seconds;
  line(`cases.raw_insert_rps.${tag}`, rps, 'rows/s');
  return rps;
}

/** 1,000,000 cases over 24 months with their timeline (created, dispatched, signed, reported, rated and closed). */
async function bigLoad(database: Database, w: World): Promise<void> {
  const units = `ARRAY[${w.units.join(',')}]`;
  const cats = `ARRAY[${w.categories.join(',')}]`;
  const chunk = 100_000;
  const span = (730 * 86_400) / BIG; // seconds between cases: two years in all
  for (let lo = 1; lo <= BIG; lo += chunk) {
    const hi = Math.min(BIG, lo + chunk - 1);
    await database.exec(`
      INSERT INTO cases (number, password_hash, channel, type, category_id, status, description, address, lead_unit_id, time_limit_days, created_at, updated_at, closed_at, feedback_rating)
      SELECT 'BIG' || lpad(g::text, 9, '0'), 'x', 'hotline', 'complaint', (${cats})[1 + g % 10],
             CASE WHEN g % 10 = 0 THEN 'in_progress' ELSE 'closed' END,
             '基准诉求' || g, '汉江区解放大道' || (g % 900) || '号', (${units})[1 + (g * 7) % 20], 5,
             timestamptz '2024-12-01 00:00:00+08' + g * interval '${span} seconds',
             timestamptz '2024-12-01 00:00:00+08' + g * interval '${span} seconds' + interval '3 days',
             CASE WHEN g % 10 = 0 THEN NULL ELSE timestamptz '2024-12-01 00:00:00+08' + g * interval '${span} seconds' + interval '4 days' END,
             CASE WHEN g % 10 = 0 THEN NULL WHEN g % 13 = 0 THEN 'unsatisfied' WHEN g % 5 = 0 THEN 'basic' ELSE 'satisfied' END
      FROM generate_series(${lo}, ${hi}) AS g;`);
  }
  const [{ lo, hi }] = await database.query<{ lo: number; hi: number }>(
    `SELECT min(id)::int AS lo, max(id)::int AS hi FROM cases WHERE number LIKE 'BIG%'`,
  );
  const ev = (
    type: string,
    from: string | null,
    to: string | null,
    unit: string,
    at: string,
    payload: string,
    where = 'true',
  ) => `
      INSERT INTO case_events (case_id, type, from_status, to_status, actor_name, actor_role, unit_id, at, payload)
      SELECT c.id, '${type}', ${from ? `'${from}'` : 'NULL'}, ${to ? `'${to}'` : 'NULL'}, '基准', 'agent', ${unit}, ${at}, ${payload}
      FROM cases c WHERE c.id BETWEEN $1 AND $2 AND ${where}`;
  const steps = [
    ev('created', null, 'accepted', 'NULL', 'c.created_at', `jsonb_build_object('categoryId', c.category_id)`),
    ev(
      'dispatched',
      'accepted',
      'dispatched',
      'c.lead_unit_id',
      `c.created_at + interval '10 minutes'`,
      `'{"assistUnitIds":[]}'::jsonb`,
    ),
    ev(
      'signed',
      'dispatched',
      'signed',
      'c.lead_unit_id',
      `c.created_at + interval '2 hours'`,
      `jsonb_build_object('late', c.id % 12 = 0)`,
    ),
    ev(
      'reported',
      'in_progress',
      'reported',
      'c.lead_unit_id',
      `c.created_at + interval '3 days'`,
      `jsonb_build_object('late', c.id % 9 = 0)`,
      `c.status = 'closed'`,
    ),
    ev(
      'feedback',
      'verified',
      'closed',
      'NULL',
      'c.closed_at',
      `jsonb_build_object('rating', c.feedback_rating)`,
      `c.status = 'closed'`,
    ),
  ];
  for (const sql of steps)
    for (let a = lo; a <= hi; a += chunk) await database.query(sql, [a, Math.min(hi, a + chunk - 1)]);
  await database.exec('ANALYZE');
}

async function stats(app: FastifyInstance, database: Database, tag: string): Promise<number> {
  const t0 = performance.now();
  const r = await rebuildCaseStats(database.db, SYSTEM_ACTOR);
  line(`cases.stats_rebuild_1m.${tag}`, performance.now() - t0, 'ms');
  if (r.rows < 20) throw new Error(`rebuild produced only ${r.rows} rows`);
  const [office] = await database.query<{ id: number }>(
    `INSERT INTO users(username, display_name, password_hash, unit_id) VALUES ('bench_office', '绩效办', $1, (SELECT id FROM units WHERE code = 'ROOT')) RETURNING id`,
    [await hashPassword(PASSWORD)],
  );
  await database.query(`INSERT INTO user_roles(user_id, role) VALUES ($1, 'office')`, [office.id]);
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'bench_office', password: PASSWORD },
  });
  const cookie = String(login.headers['set-cookie']).split(';')[0];
  const url = '/api/case-stats?month=2025-06';
  const get = async () => {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`stats failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
    const body = res.json() as { rows: unknown[]; totals: { counters: { dispatched: number } } };
    if (body.rows.length !== 20 || body.totals.counters.dispatched < 20) throw new Error('unexpected statistics');
    return performance.now() - t;
  };
  await get();
  const times: number[] = [];
  for (let i = 0; i < 9; i++) times.push(await get());
  const ms = median(times);
  line(`cases.stats_month_1m.${tag}`, ms, 'ms');
  return ms;
}

async function runOn(
  tag: string,
  open: () => Promise<{ database: Database; dispose: () => Promise<void> }>,
): Promise<void> {
  const { database, dispose } = await open();
  let app: FastifyInstance | null = null;
  try {
    await migrate(database);
    const w = await world(database);
    app = await buildApp({ config: benchConfig(path.join(tmpdir(), 'xn-bench-cases')), database, logger: false });
    await app.ready();
    const { rps, p99 } = await intake(app, w, tag);
    const raw = await rawInserts(database, w, tag);
    line(`cases.intake_vs_raw.${tag}`, (rps / raw) * 100, '%');
    if (BIG <= 0) return; // BENCH_CASES_BIG=0: intake only (profiling)
    const t0 = performance.now();
    await bigLoad(database, w);
    line(`cases.load_1m.${tag}`, performance.now() - t0, 'ms');
    const statsMs = await stats(app, database, tag);
    line(`cases.targets.${tag}`, rps >= 0.4 * raw && p99 < 100 && statsMs < 200 ? 1 : 0, 'bool');
  } finally {
    await app?.close();
    await dispose();
  }
}

export async function run(): Promise<void> {
  if (process.env.BENCH_CASES_ON !== 'postgres')
    await runOn('pglite', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'xn-bench-cases-'));
      const database = await openPglite({ dataDir: path.join(dir, 'pglite') });
      return {
        database,
        dispose: async () => {
          await database.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    });
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const name = `xn_bench_cases_${process.pid}`;
    const admin = await openPostgres(url, { max: 1 });
    await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
    await admin.exec(`CREATE DATABASE ${name}`);
    try {
      await runOn('postgres', async () => {
        const u = new URL(url);
        u.pathname = `/${name}`;
        const database = await openPostgres(u.toString(), { max: 10 });
        return { database, dispose: () => database.close() };
      });
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    }
  }
}

// Run directly: npx tsx bench/cases.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) await run();
