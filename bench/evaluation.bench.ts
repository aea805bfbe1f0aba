/**
 * Evaluation benchmark, on a fresh migrated PGlite through the HTTP API (app.inject, in process):
 * a campaign over 1,000 units with 100,000 invitations and 60,000 responses (120,000 scored answers),
 * one `evaluation` leaf mapped.
 *
 * - evaluation.close_100k_60k          closing: aggregation per unit, results, 1,000 score inputs and the
 *   audit entry, in ms (median of 3; the later runs recompute a closed campaign). Target < 3,000 ms.
 * - evaluation.dashboard_100k          the live dashboard query (per-stratum response rates), in ms
 *   (median of 7 after a warm-up). Target < 200 ms.
 * - evaluation.public_p99_at_200rps    the public page accepting responses at 200 per second for 10 s
 *   (open loop: requests start on schedule whether or not earlier ones finished), p99 latency in ms.
 *   Target < 200 ms. Also printed: the achieved rate (evaluation.public_accepted_per_s).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { type Config } from '../server/src/config.js';
import { openPglite, type Database } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { hashPassword } from '../server/src/lib/passwords.js';
import { invitationToken, setPublicSurveyLimit } from '../server/src/modules/evaluation/index.js';
import { BENCH_SECRETS } from './config.js';

const PASSWORD = 'Bench@2026pw';
const UNITS = 1000;
const INVITATIONS = 100_000;
const RESPONSES = 60_000;

const config: Config = {
  port: 0,
  host: '127.0.0.1',
  dataDir: '.tmp/bench-evaluation',
  dbKind: 'pglite',
  seedDemo: false,
  ...BENCH_SECRETS,
  sessionTtlHours: 12,
  logLevel: 'silent',
  smsProvider: 'log',
  maxUploadMb: 50,
  blobStore: 'fs',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pctl = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

async function world(database: Database) {
  const q = database.query.bind(database);
  const [root] = await q<{ id: number }>(
    `INSERT INTO units(code, name, kind) VALUES ('ROOT', '区', 'district') RETURNING id`,
  );
  await q(
    `INSERT INTO units(code, name, kind, parent_id) SELECT 'U' || g, '单位' || g, 'department', $1 FROM generate_series(1, ${UNITS}) g`,
    [root.id],
  );
  const unitIds = (await q<{ id: number }>(`SELECT id FROM units WHERE kind = 'department' ORDER BY id`)).map(
    (r) => r.id,
  );
  const [y] = await q<{ id: number }>(
    `INSERT INTO assessment_years(year, name, status, grade_rule, deadline_day) VALUES (2026, '2026', 'in_force', $1, 15) RETURNING id`,
    [
      JSON.stringify({
        by: 'threshold',
        grades: [
          { label: '优秀', threshold: 90 },
          { label: '其他', threshold: 0 },
        ],
      }),
    ],
  );
  const [top] = await q<{ id: number }>(
    `INSERT INTO indicators(year_id, code, name, level, points, data_source, aggregate) VALUES ($1, 'C', '公众评价', 1, 20, 'self_report', 'last') RETURNING id`,
    [y.id],
  );
  const [leaf] = await q<{ id: number }>(
    `INSERT INTO indicators(year_id, parent_id, code, name, level, points, data_source, aggregate) VALUES ($1, $2, 'C1', '群众满意度', 2, 20, 'evaluation', 'last') RETURNING id`,
    [y.id, top.id],
  );
  const [u] = await q<{ id: number }>(
    'INSERT INTO users(username, display_name, password_hash, unit_id) VALUES ($1,$1,$2,$3) RETURNING id',
    ['bench_office', await hashPassword(PASSWORD), root.id],
  );
  await q(`INSERT INTO user_roles(user_id, role) VALUES ($1, 'office')`, [u.id]);
  const [qn] = await q<{ id: number }>(
    `INSERT INTO evaluation_questionnaires(title, questions) VALUES ('问卷', $1) RETURNING id`,
    [
      JSON.stringify([
        { key: 'overall', type: 'satisfaction5', title: '总体满意度', required: true },
        { key: 'speed', type: 'scale10', title: '效率', required: true },
        { key: 'memo', type: 'text', title: '意见', required: false },
      ]),
    ],
  );
  const salt = 'bench-salt-0123456789';
  const [c] = await q<{ id: number }>(
    `INSERT INTO evaluation_campaigns(year, kind, title, status, questionnaire_id, target_unit_ids, period_from, period_to, anonymous, mapping, quality, salt)
     VALUES (2026, 'public_survey', '基准调查', 'open', $1, $2, '2026-01-01', '2026-06-30', true, $3, $4, $5) RETURNING id`,
    [
      qn.id,
      JSON.stringify(unitIds),
      JSON.stringify({ indicatorIds: [leaf.id], mode: 'satisfaction', levelWeights: [1, 1, 0.6, 0, 0], formula: null }),
      JSON.stringify({ maxPerIp: 1_000_000, maxPerDevice: 1, minSeconds: 0, straightLineMin: 5 }),
      salt,
    ],
  );
  const first = unitIds[0];
  // 100 invitations per unit; the first 60 of each unit answered (the rest stay open for the public-page run).
  await q(
    `INSERT INTO evaluation_invitations(campaign_id, channel, unit_id, phone, sent_at, responded_on)
     SELECT $1, 'sms', $2 + (g - 1) / 100, '139' || lpad(g::text, 8, '0'), now(), CASE WHEN (g - 1) % 100 < 60 THEN date '2026-06-15' END
       FROM generate_series(1, ${INVITATIONS}) g`,
    [c.id, first],
  );
  await q(
    `INSERT INTO evaluation_responses(campaign_id, unit_id, answers, submitted_on, duration_s, ip_hash, flags)
     SELECT $1, $2 + (g - 1) / 60, jsonb_build_object('overall', g % 5, 'speed', g % 11), date '2026-06-15', 90, md5(g::text), '{}'
       FROM generate_series(1, ${RESPONSES}) g`,
    [c.id, first],
  );
  await q(
    `INSERT INTO evaluation_scores(response_id, campaign_id, unit_id, question_key, score, level)
     SELECT id, campaign_id, unit_id, 'overall', (4 - (answers->>'overall')::int) * 25, (answers->>'overall')::int FROM evaluation_responses
     UNION ALL
     SELECT id, campaign_id, unit_id, 'speed', (answers->>'speed')::int * 10, NULL FROM evaluation_responses`,
  );
  await q('ANALYZE');
  const open = (
    await q<{ id: number }>(
      `SELECT id FROM evaluation_invitations WHERE campaign_id = $1 AND responded_on IS NULL ORDER BY id LIMIT 3000`,
      [c.id],
    )
  ).map((r) => Number(r.id));
  return { campaignId: c.id, salt, open };
}

async function login(app: FastifyInstance) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'bench_office', password: PASSWORD },
  });
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  return { cookie, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
}

export const repeats = true;

export async function run(): Promise<void> {
  const database = await openPglite({});
  await migrate(database);
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  try {
    const w = await world(database);
    const headers = await login(app);

    // Dashboard.
    const dash = async () => {
      const t0 = performance.now();
      const r = await app.inject({
        method: 'GET',
        url: `/api/evaluation/campaigns/${w.campaignId}/dashboard`,
        headers,
      });
      if (r.statusCode !== 200) throw new Error(`dashboard ${r.statusCode} ${r.body}`);
      return performance.now() - t0;
    };
    await dash();
    const dashTimes: number[] = [];
    for (let i = 0; i < 7; i++) dashTimes.push(await dash());
    console.log(`BENCH evaluation.dashboard_100k ${median(dashTimes).toFixed(1)} ms`);

    // Public page at 200 responses per second, open loop, for 10 s.
    const before = setPublicSurveyLimit(1_000_000_000);
    const rate = 200;
    const total = rate * 10;
    const latencies: number[] = [];
    let failures = 0;
    const started = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const token = invitationToken(w.salt, w.open[i]);
      const t0 = performance.now();
      inflight.push(
        app
          .inject({
            method: 'POST',
            url: `/api/public/surveys/${token}`,
            payload: { answers: { overall: i % 5, speed: i % 11 }, device: `d${i}` },
            remoteAddress: `10.0.${i % 250}.${i % 200}`,
          })
          .then((r) => {
            if (r.statusCode !== 201) failures++;
            latencies.push(performance.now() - t0);
          }),
      );
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - started) / 1000;
    setPublicSurveyLimit(before);
    if (failures) throw new Error(`${failures} public responses failed`);
    console.log(`BENCH evaluation.public_p99_at_200rps ${pctl(latencies, 99).toFixed(1)} ms`);
    console.log(`BENCH evaluation.public_accepted_per_s ${(total / elapsed).toFixed(1)} req/s`);

    // Close (aggregation + results + score inputs), then recompute twice.
    const closeTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await app.inject({ method: 'POST', url: `/api/evaluation/campaigns/${w.campaignId}/close`, headers });
      closeTimes.push(performance.now() - t0);
      if (r.statusCode !== 200) throw new Error(`close ${r.statusCode} ${r.body}`);
      if ((r.json() as { inputs: number }).inputs !== UNITS) throw new Error(`close wrote ${r.body}`);
    }
    console.log(`BENCH evaluation.close_100k_60k ${median(closeTimes).toFixed(1)} ms`);
  } finally {
    await app.close();
    await database.close();
  }
}
