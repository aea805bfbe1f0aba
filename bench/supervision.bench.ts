/**
 * Supervision ledger at scale (issue 13) on a fresh PGlite: 100 units, 10 district leaders, 20,000 tasks
 * of 2026 (every status, light, source and priority; a co-unit on every third task; 3 milestones each),
 * 12 monthly progress reports per task (240,000 'report' events) and 200,000 other timeline events
 * (entry, signing, plan, reminders), and an assessment year whose 督办完成率 leaf applies to every unit.
 * Through the real app (buildApp, app.inject), median of 10 after 2 warm-ups:
 *   BENCH supervision.ledger_first_page       the office's ledger, year 2026, first page of 50 with the light counts, ms — target < 100
 *   BENCH supervision.ledger_filtered         source + unit + leader + priority + light filters, first page, ms — target < 100
 *   BENCH supervision.ledger_unit_mine        a unit's 我的督办 (lead or co-unit), first page, ms (not in the targets)
 *   BENCH supervision.reminders_unit          a unit's 催办 list (last 30 days), ms
 *   BENCH supervision.stats_month             per-unit statistics of one month for all units (GET /api/supervision/stats), ms — target < 500
 *   BENCH supervision.stats_sync_month        the job's recompute of one month for all units, written to the score inputs (one transaction), ms — target < 500
 *   BENCH supervision.targets                 1 when the office's ledger pages (first, filtered) are under 100 ms and the statistics under 500 ms
 * Sizes: BENCH_SUPERVISION_TASKS (default 20,000), BENCH_SUPERVISION_EVENTS (other events, default 200,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { openPglite, type Database } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { hashPassword } from '../server/src/lib/passwords.js';
import { syncSupervisionScoreInputs } from '../server/src/modules/supervision/index.js';
import { benchConfig, benchLine as line, quantile } from './config.js';

const PASSWORD = 'Bench@2026xx';
/** The data are generated once; each figure is already a median of 10. */
export const repeats = true;
const UNITS = 100;
const LEADERS = 10;

/** Units, users, the assessment year, then tasks, co-units, milestones and events by SQL. */
export async function generate(database: Database, n: number, other: number, log: (s: string) => void): Promise<void> {
  const q = database.query.bind(database);
  const t0 = performance.now();
  await q(`INSERT INTO unit_categories (code, name) VALUES ('BENCH', '职能部门')`);
  await q(`INSERT INTO units (code, name, kind, sort) VALUES ('DISTRICT', '区政府', 'district', 0)`);
  await q(
    `INSERT INTO units (code, name, kind, parent_id, category_id, sort)
     SELECT 'U' || g, '单位' || g, 'department', (SELECT id FROM units WHERE code = 'DISTRICT'), (SELECT id FROM unit_categories WHERE code = 'BENCH'), g
       FROM generate_series(1, ${UNITS}) g`,
  );
  const hash = await hashPassword(PASSWORD);
  const users: [string, string, string][] = [
    ['bench_office', 'supervisor', 'DISTRICT'],
    ['bench_reporter', 'reporter', 'U7'],
    ...Array.from({ length: LEADERS }, (_, k): [string, string, string] => [
      `bench_leader${k + 1}`,
      'district_leader',
      'DISTRICT',
    ]),
  ];
  for (const [u, role, unit] of users) {
    const [row] = await q<{ id: number }>(
      `INSERT INTO users (username, display_name, password_hash, unit_id, phone) VALUES ($1, $1, $2, (SELECT id FROM units WHERE code = $3), '13800000000') RETURNING id`,
      [u, hash, unit],
    );
    await q(`INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, [row.id, role]);
  }
  const [y] = await q<{ id: number }>(
    `INSERT INTO assessment_years (year, name, status, grade_rule, deadline_day) VALUES (2026, '2026年度', 'in_force', $1, 15) RETURNING id`,
    [JSON.stringify({ by: 'threshold', grades: [{ label: '达标', threshold: 0 }] })],
  );
  const applies = JSON.stringify({
    categoryIds: [(await q<{ id: number }>(`SELECT id FROM unit_categories WHERE code = 'BENCH'`))[0].id],
    unitIds: [],
  });
  const [root] = await q<{ id: number }>(
    `INSERT INTO indicators (year_id, parent_id, code, name, level, points, unit_of_measure, applies_to, data_source, aggregate)
     VALUES ($1, NULL, 'A', '履职', 1, 10, '%', $2, 'self_report', 'last') RETURNING id`,
    [y.id, applies],
  );
  await q(
    `INSERT INTO indicators (year_id, parent_id, code, name, level, points, unit_of_measure, applies_to, data_source, aggregate)
     VALUES ($1, $2, 'A1', '督办完成率', 2, 10, '%', $3, 'supervision', 'last')`,
    [y.id, root.id, applies],
  );
  // Tasks: lead unit and leader by id; deadlines over the year; 30 % completed and rated, 50 % in progress.
  await q(
    `INSERT INTO supervision_tasks (id, year, source, title, content, leader_id, lead_unit_id, start_date, deadline, cadence, priority,
        status, progress, last_report_on, plan_approved_on, completion, quality, reviewed_at, light, light_reasons, light_on, created_at)
     SELECT g, 2026,
            (ARRAY['work_report','executive_meeting','instruction','higher_level','npc_proposal','cppcc_proposal','investment','annual_target','lagging_indicator'])[1 + g % 9],
            '督办事项' || g, '内容' || g,
            l.ids[1 + g % ${LEADERS}], u.ids[1 + g % ${UNITS}],
            date '2026-01-05', date '2026-01-31' + ((g * 7) % 330),
            (ARRAY['monthly','weekly','monthly','daily'])[1 + g % 4],
            (ARRAY['normal','normal','high','urgent'])[1 + g % 4],
            s.status,
            CASE WHEN s.status = 'completed' THEN 100 WHEN s.status = 'in_progress' THEN g % 90 ELSE 0 END,
            CASE WHEN s.status IN ('in_progress','completed') THEN date '2026-06-15' END,
            CASE WHEN s.status IN ('in_progress','completed') THEN date '2026-02-01' END,
            CASE WHEN s.status = 'completed' THEN (ARRAY['on_time','on_time','overdue','not_done'])[1 + g % 4] END,
            CASE WHEN s.status = 'completed' THEN (ARRAY['excellent','good','fair','poor'])[1 + g % 4] END,
            CASE WHEN s.status = 'completed' THEN timestamptz '2026-01-20 10:00+08' + ((g * 7) % 320) * interval '1 day' END,
            CASE WHEN s.status IN ('proposed','completed') THEN NULL WHEN g % 11 = 0 THEN 'red' WHEN g % 5 = 0 THEN 'yellow' ELSE 'green' END,
            CASE WHEN s.status NOT IN ('proposed','completed') AND g % 11 = 0 THEN '["milestone_overdue"]'::jsonb ELSE '[]'::jsonb END,
            date '2026-06-15', timestamptz '2026-01-05 09:00+08'
       FROM generate_series(1, ${n}) g
       CROSS JOIN (SELECT array_agg(id ORDER BY sort) AS ids FROM units WHERE kind = 'department') u
       CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE username LIKE 'bench_leader%') l
       CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 < 3 THEN 'completed' WHEN g % 10 < 8 THEN 'in_progress' WHEN g % 10 = 8 THEN 'assigned'
                                       WHEN g % 20 = 9 THEN 'signed' ELSE 'proposed' END AS status) s`,
  );
  await q(`SELECT setval('supervision_tasks_id_seq', ${n})`);
  await q(
    `INSERT INTO supervision_co_units (task_id, unit_id, contact)
     SELECT g, u.ids[1 + (g + 37) % ${UNITS}], '联系人' FROM generate_series(3, ${n}, 3) g
       CROSS JOIN (SELECT array_agg(id ORDER BY sort) AS ids FROM units WHERE kind = 'department') u`,
  );
  await q(
    `INSERT INTO supervision_milestones (task_id, title, due_on, done_on)
     SELECT t.id, '节点' || k, t.start_date + ((t.deadline - t.start_date) * k / 3), CASE WHEN t.status = 'completed' OR k = 1 THEN t.start_date + ((t.deadline - t.start_date) * k / 3) - (t.id % 3) END
       FROM supervision_tasks t CROSS JOIN generate_series(1, 3) k`,
  );
  log(`tasks, co-units, milestones: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = performance.now();
  // 12 monthly reports per task.
  await q(
    `INSERT INTO supervision_events (task_id, kind, from_status, to_status, actor_name, unit_id, note, progress, at)
     SELECT t.id, 'report', 'in_progress', 'in_progress', '填报员', t.lead_unit_id, '第' || m || '月进展', LEAST(100, m * 8),
            timestamptz '2026-01-25 10:00+08' + (m - 1) * interval '1 month'
       FROM supervision_tasks t CROSS JOIN generate_series(1, 12) m`,
  );
  log(`report events: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  const t2 = performance.now();
  // Other timeline events: entry, signing, plan steps, and reminders (催办) on the red ones.
  await q(
    `INSERT INTO supervision_events (task_id, kind, from_status, to_status, actor_name, unit_id, note, at)
     SELECT t.id, k.kind, NULL, NULL, '系统', t.lead_unit_id, '',
            timestamptz '2026-01-05 09:00+08' + (g % 340) * interval '1 day'
       FROM generate_series(1, ${other}) g
       JOIN supervision_tasks t ON t.id = 1 + g % ${n}
       CROSS JOIN LATERAL (SELECT (ARRAY['create','sign','submitPlan','approvePlan','remind'])[1 + (g / ${n}) % 5] AS kind) k`,
  );
  log(`other events: ${((performance.now() - t2) / 1000).toFixed(1)} s`);
  await q('ANALYZE');
  line('supervision.generate', (performance.now() - t0) / 1000, 's');
}

type Session = { cookie: string };
async function login(app: FastifyInstance, username: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return { cookie: String(res.headers['set-cookie']).split(';')[0] };
}

async function median10(f: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 2; i++) await f();
  const ms: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return quantile(ms, 0.5);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'xn-bench-supervision-'));
  const database = await openPglite({ dataDir: path.join(dir, 'db') });
  const log = (s: string) => console.log(`# supervision: ${s}`);
  try {
    await migrate(database);
    const n = Number(process.env.BENCH_SUPERVISION_TASKS ?? 20_000);
    await generate(database, n, Number(process.env.BENCH_SUPERVISION_EVENTS ?? 200_000), log);
    const app = await buildApp({ config: benchConfig(dir, 'pglite'), database, logger: false });
    await app.ready();
    try {
      const office = await login(app, 'bench_office');
      const reporter = await login(app, 'bench_reporter');
      const get = (s: Session, url: string) => async () => {
        const r = await app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
        if (r.statusCode !== 200) throw new Error(`GET ${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      };
      const [unit] = await database.query<{ id: number }>(`SELECT id FROM units WHERE code = 'U12'`);
      const [leader] = await database.query<{ id: number }>(`SELECT id FROM users WHERE username = 'bench_leader3'`);
      const first = await median10(get(office, '/api/supervision/tasks?year=2026&page=1&pageSize=50'));
      line('supervision.ledger_first_page', first, 'ms');
      const filtered = await median10(
        get(
          office,
          `/api/supervision/tasks?year=2026&source=work_report&unitId=${unit.id}&leaderId=${leader.id}&priority=high&light=green&page=1&pageSize=50`,
        ),
      );
      line('supervision.ledger_filtered', filtered, 'ms');
      const mine = await median10(get(reporter, '/api/supervision/tasks?mine=1&page=1&pageSize=50'));
      line('supervision.ledger_unit_mine', mine, 'ms');
      line('supervision.reminders_unit', await median10(get(reporter, '/api/supervision/reminders')), 'ms');
      const stats = await median10(get(office, '/api/supervision/stats?year=2026&month=6'));
      line('supervision.stats_month', stats, 'ms');
      const sync = await median10(async () => {
        const r = await database.db.transaction((tx) =>
          syncSupervisionScoreInputs(tx, { year: 2026, on: '2026-12-07', months: ['2026-06'] }),
        );
        if (r.inputs < UNITS / 2) throw new Error(`stats sync wrote ${r.inputs} inputs`);
      });
      line('supervision.stats_sync_month', sync, 'ms');
      line('supervision.targets', Math.max(first, filtered) < 100 && Math.max(stats, sync) < 500 ? 1 : 0, 'bool');
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: npx tsx bench/supervision.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) await run();
