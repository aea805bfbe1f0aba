import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createTestEnv, testConfig, type Client, type TestEnv } from '../../test/helpers.js';
import { expectOk } from '../cases/cases.testkit.js';
import { setQrScanLimit } from './evaluation.qr.js';
import { setPublicSurveyLimit } from './index.js';

let env: TestEnv;
let q: TestEnv['database']['query'];
let office: Client;
let unitA: number;
let unitB: number;
let unitC: number;
let leafId: number;
let yearId: number;
const YEAR = 2026;

const QUESTIONS = [
  { key: 'overall', type: 'satisfaction5', title: '您对该单位的总体满意度', required: true },
  { key: 'speed', type: 'scale10', title: '办事效率打分', required: true },
  { key: 'memo', type: 'text', title: '意见建议', required: false },
];

async function closedCase(unitId: number, phone: string, closedAt: string, n: number) {
  const [cat] = await q<{ id: number }>(`SELECT id FROM case_categories LIMIT 1`);
  await q(
    `INSERT INTO cases(number, password_hash, channel, type, category_id, status, requester_name, requester_phone, description, lead_unit_id, closed_at)
     VALUES ($1, 'x', 'hotline', 'complaint', $2, 'closed', '市民', $3, '诉求', $4, $5)`,
    [`T${n}`, cat.id, phone, unitId, closedAt],
  );
}

beforeAll(async () => {
  env = await createTestEnv();
  q = env.database.query.bind(env.database);
  const cat = await env.buildCategory();
  unitA = await env.buildUnit({ name: '甲街道', categoryId: cat });
  unitB = await env.buildUnit({ name: '乙街道', categoryId: cat });
  unitC = await env.buildUnit({ name: '丙局' });
  const [y] = await q<{ id: number }>(
    `INSERT INTO assessment_years(year, name, status, grade_rule, deadline_day) VALUES ($1, '年度', 'in_force', $2, 15) RETURNING id`,
    [
      YEAR,
      JSON.stringify({
        by: 'threshold',
        grades: [
          { label: '优秀', threshold: 90 },
          { label: '不达标', threshold: 0 },
        ],
      }),
    ],
  );
  yearId = y.id;
  const applies = JSON.stringify({ categoryIds: [cat], unitIds: [] });
  const [root] = await q<{ id: number }>(
    `INSERT INTO indicators(year_id, parent_id, code, name, level, points, applies_to, data_source, aggregate) VALUES ($1, NULL, 'C', '公众评价', 1, 20, $2, 'self_report', 'last') RETURNING id`,
    [yearId, applies],
  );
  const [leaf] = await q<{ id: number }>(
    `INSERT INTO indicators(year_id, parent_id, code, name, level, points, applies_to, data_source, aggregate) VALUES ($1, $2, 'C1', '群众满意度', 2, 20, $3, 'evaluation', 'last') RETURNING id`,
    [yearId, root.id, applies],
  );
  leafId = leaf.id;
  await q(`INSERT INTO case_categories(code, name) VALUES ('X', '测试')`);
  // The frame: 30 closed cases of A (one phone twice), 10 of B, in the period; one of A after it, one anonymous.
  let n = 0;
  for (let i = 0; i < 30; i++)
    await closedCase(unitA, `1390000${String(i).padStart(4, '0')}`, '2026-03-10T02:00:00Z', ++n);
  await closedCase(unitA, '13900000000', '2026-03-11T02:00:00Z', ++n);
  for (let i = 0; i < 10; i++)
    await closedCase(unitB, `1380000${String(i).padStart(4, '0')}`, '2026-04-10T02:00:00Z', ++n);
  await closedCase(unitA, '13700000000', '2026-08-10T02:00:00Z', ++n);
  office = await env.userClient({ roles: ['office'] });
});
afterAll(async () => env?.close());

async function questionnaire(questions: unknown[] = QUESTIONS) {
  const r = await office.post('/api/evaluation/questionnaires', { title: '满意度问卷', questions });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}
const tokens = async () =>
  (await q<{ body: string }>(`SELECT body FROM sms_outbox WHERE template = 'evaluation_invitation' ORDER BY id`)).map(
    (r) => /\/public\/survey\/([0-9a-z]+-[A-Za-z0-9_-]{16})/.exec(r.body)![1],
  );
const count = async (sql: string, p: unknown[] = []) => Number((await q<{ n: number }>(sql, p))[0].n);

describe('a public survey: questionnaire → campaign → sample → invite → respond → close → score input', () => {
  let campaignId: number;
  let links: string[];
  let draft: Record<string, unknown>;
  /** Editing once the campaign is open or closed: 409 with the reason, and the row unchanged. */
  const refusedEdit = async () => {
    const before = await q('SELECT * FROM evaluation_campaigns WHERE id = $1', [campaignId]);
    const r = await office.put(`/api/evaluation/campaigns/${campaignId}`, { ...draft, title: '改名' });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toBe('评议活动已开始，不能修改');
    expect(await q('SELECT * FROM evaluation_campaigns WHERE id = $1', [campaignId])).toEqual(before);
  };

  it('questionnaires are versioned: a new version keeps the family', async () => {
    const id = await questionnaire();
    const v2 = await office.post(`/api/evaluation/questionnaires/${id}/versions`, {
      title: '满意度问卷（修订）',
      questions: QUESTIONS,
    });
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json()).toMatchObject({ familyId: id, version: 2, latest: true });
    const list = (await office.get('/api/evaluation/questionnaires')).json() as { id: number; latest: boolean }[];
    expect(list.find((x) => x.id === id)?.latest).toBe(false);
  });

  it('the office creates the campaign (targets by category) mapped to the evaluation leaf', async () => {
    const cat = (await q<{ category_id: number }>(`SELECT category_id FROM units WHERE id = $1`, [unitA]))[0]
      .category_id;
    draft = {
      year: YEAR,
      kind: 'public_survey',
      title: '2026年群众满意度调查',
      questionnaireId: await questionnaire(),
      targetCategoryIds: [cat],
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
      mapping: { indicatorIds: [leafId], mode: 'mean' },
      quality: { maxPerIp: 3, maxPerDevice: 1, minSeconds: 0, straightLineMin: 5 },
    };
    const r = await office.post('/api/evaluation/campaigns', {
      ...draft,
      title: '群众满意度调查（草稿）',
      anonymous: false,
    });
    expect(r.statusCode, r.body).toBe(201);
    campaignId = r.json().id;
    expect(r.json().targetUnits.map((u: { id: number }) => u.id)).toEqual([unitA, unitB]);
    expect(r.json().status).toBe('draft');
  });

  it('edits the draft: the saved values come back, audited; bad input names the field and changes nothing', async () => {
    const bad = await office.put(`/api/evaluation/campaigns/${campaignId}`, { ...draft, periodTo: '2025-01-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('periodTo');
    const r = await office.put(`/api/evaluation/campaigns/${campaignId}`, draft);
    expect(r.statusCode, r.body).toBe(200);
    const c = (await office.get(`/api/evaluation/campaigns/${campaignId}`)).json();
    expect(c).toMatchObject({ title: '2026年群众满意度调查', anonymous: true, status: 'draft' });
    expect(c.mapping.indicatorIds).toEqual([leafId]);
    const reporter = await env.userClient({ roles: ['reporter'], unitId: unitA });
    expect((await reporter.put(`/api/evaluation/campaigns/${campaignId}`, draft)).statusCode).toBe(403);
    const [a] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'evaluation.campaign.update' AND entity_id = $1`,
      [String(campaignId)],
    );
    expect(a.n).toBe(1);
  });

  it('refuses a mapping to a leaf of another data source, and a bad formula, naming the field', async () => {
    const base = {
      year: YEAR,
      kind: 'public_survey',
      title: 'x',
      questionnaireId: await questionnaire(),
      targetUnitIds: [unitA],
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
    };
    const [root] = await q<{ id: number }>(`SELECT id FROM indicators WHERE code = 'C' AND year_id = $1`, [yearId]);
    const r1 = await office.post('/api/evaluation/campaigns', { ...base, mapping: { indicatorIds: [root.id] } });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.field).toBe('mapping.indicatorIds.0');
    const r2 = await office.post('/api/evaluation/campaigns', {
      ...base,
      mapping: { mode: 'formula', formula: 'mean + bogus' },
    });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.field).toBe('mapping.formula');
    const r3 = await office.post('/api/evaluation/campaigns', { ...base, periodTo: '2025-01-01' });
    expect(r3.json().error.field).toBe('periodTo');
  });

  it('samples closed cases of the period stratified by unit, reproducibly from the seed', async () => {
    const s = await office.post(`/api/evaluation/campaigns/${campaignId}/sample`, {
      source: 'cases',
      total: 20,
      seed: 12345,
    });
    expect(s.statusCode, s.body).toBe(200);
    // 30 distinct phones for A (the repeated phone once, the August case outside the period), 10 for B.
    expect(s.json()).toEqual({ invitations: 20, frame: 40, seed: 12345 });
    const first = await q<{ phone: string; unit_id: number }>(
      `SELECT phone, unit_id FROM evaluation_invitations WHERE campaign_id = $1 ORDER BY phone`,
      [campaignId],
    );
    expect(first.filter((r) => r.unit_id === unitA)).toHaveLength(15);
    expect(first.filter((r) => r.unit_id === unitB)).toHaveLength(5);
    await office.post(`/api/evaluation/campaigns/${campaignId}/sample`, { source: 'cases', total: 20, seed: 12345 });
    const again = await q(`SELECT phone, unit_id FROM evaluation_invitations WHERE campaign_id = $1 ORDER BY phone`, [
      campaignId,
    ]);
    expect(again).toEqual(first);
    const c = (await office.get(`/api/evaluation/campaigns/${campaignId}`)).json();
    expect(c.sampling.strata).toEqual([
      { unitId: unitA, unitName: '甲街道', frame: 30, size: 15 },
      { unitId: unitB, unitName: '乙街道', frame: 10, size: 5 },
    ]);
  });

  it('sending opens the campaign and queues one SMS with a one-time link per sampled person', async () => {
    const r = await office.post(`/api/evaluation/campaigns/${campaignId}/send`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().sent).toBe(20);
    links = await tokens();
    expect(links).toHaveLength(20);
    await refusedEdit(); // open
    expect(
      (await office.post(`/api/evaluation/campaigns/${campaignId}/sample`, { source: 'cases', total: 5 })).statusCode,
    ).toBe(409);
  });

  it('the respondent opens the page and answers once; a second attempt is refused and stores nothing', async () => {
    const form = await env.anon.get(`/api/public/surveys/${links[0]}`);
    expect(form.statusCode, form.body).toBe(200);
    expect(form.json()).toMatchObject({ open: true, answered: false, anonymous: true });
    expect(['甲街道', '乙街道']).toContain(form.json().unitName);
    const ok = await env.anon.post(`/api/public/surveys/${links[0]}`, {
      answers: { overall: 0, speed: 9, memo: '办事很快' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const before = await count(`SELECT count(*) AS n FROM evaluation_responses`);
    const again = await env.anon.post(`/api/public/surveys/${links[0]}`, { answers: { overall: 4, speed: 0 } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/只能作答一次/);
    expect(await count(`SELECT count(*) AS n FROM evaluation_responses`)).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM evaluation_scores`)).toBe(2);
  });

  it('limits an address per minute in the shared counters, whichever instance answers', async () => {
    const before = setPublicSurveyLimit(3);
    const second = await buildApp({ config: testConfig(), database: env.database, logger: false });
    await second.ready();
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const app = i % 2 === 0 ? env.app : second;
        const url = `/api/public/surveys/${links[1]}`;
        codes.push((await app.inject({ method: 'GET', url, remoteAddress: '10.9.8.7' })).statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      // Another address is not affected.
      // (Its own address: the default one answered the test above within the same minute window.)
      const other = { method: 'GET' as const, url: `/api/public/surveys/${links[1]}`, remoteAddress: '10.9.8.8' };
      expect((await env.app.inject(other)).statusCode).toBe(200);
    } finally {
      setPublicSurveyLimit(before);
      await second.close();
    }
  });

  it('refuses a forged or malformed token, and bad answers with the field', async () => {
    const forged = links[1].replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await env.anon.get(`/api/public/surveys/${forged}`)).statusCode).toBe(404);
    expect((await env.anon.get(`/api/public/surveys/nonsense`)).statusCode).toBe(400);
    const bad = await env.anon.post(`/api/public/surveys/${links[1]}`, { answers: { overall: 7, speed: 5 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('answers.overall');
    const missing = await env.anon.post(`/api/public/surveys/${links[1]}`, { answers: { speed: 5 } });
    expect(missing.json().error.field).toBe('answers.overall');
    expect(await count(`SELECT count(*) AS n FROM evaluation_responses`)).toBe(1);
  });

  it('anonymity: no path from an anonymous response back to its invitation or person', async () => {
    const cols = (
      await q<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'evaluation_responses'`,
      )
    ).map((c) => c.column_name);
    expect(cols).not.toContain('phone');
    expect(cols.filter((c) => /at$/.test(c) && c !== 'excluded_at')).toEqual([]);
    const [r] = await q<{ invitation_id: number | null; respondent_id: number | null; submitted_on: string }>(
      `SELECT invitation_id, respondent_id, submitted_on::text FROM evaluation_responses`,
    );
    expect(r.invitation_id).toBeNull();
    expect(r.respondent_id).toBeNull();
    // The invitation keeps only the day it was used, the same for everyone who answered that day.
    const inv = await q<{ responded_on: string }>(
      `SELECT responded_on::text FROM evaluation_invitations WHERE responded_on IS NOT NULL`,
    );
    expect(inv).toEqual([{ responded_on: r.submitted_on }]);
    const audit = await q<{ after: unknown }>(
      `SELECT after FROM audit_entries WHERE entity_type = 'evaluation_response'`,
    );
    expect(audit).toEqual([]);
  });

  it('flags many responses from one address and straight-lining; the office excludes with a reason (audited)', async () => {
    // Same test client address: maxPerIp 3 → the 4th and later responses are flagged.
    for (const t of links.slice(1, 5)) {
      const r = await env.anon.post(`/api/public/surveys/${t}`, { answers: { overall: 1, speed: 7 } });
      expect(r.statusCode, r.body).toBe(201);
    }
    const flagged = await q<{ id: number; flags: string[] }>(
      `SELECT id, flags FROM evaluation_responses WHERE cardinality(flags) > 0 ORDER BY id`,
    );
    expect(flagged.map((f) => f.flags)).toEqual([['same_ip'], ['same_ip']]);
    const list = await office.get(`/api/evaluation/campaigns/${campaignId}/responses?flagged=1`);
    expect(list.json().total).toBe(2);
    expect(
      (await office.post(`/api/evaluation/responses/${flagged[1].id}/exclusion`, { excluded: true, reason: '' }))
        .statusCode,
    ).toBe(400);
    const ex = await office.post(`/api/evaluation/responses/${flagged[1].id}/exclusion`, {
      excluded: true,
      reason: '同一地址批量提交',
    });
    expect(ex.statusCode, ex.body).toBe(200);
    expect(
      await count(
        `SELECT count(*) AS n FROM audit_entries WHERE action = 'evaluation.response.exclude' AND entity_id = $1`,
        [String(flagged[1].id)],
      ),
    ).toBe(1);
  });

  it('the dashboard shows live response rates per stratum', async () => {
    const d = (await office.get(`/api/evaluation/campaigns/${campaignId}/dashboard`)).json();
    expect(d).toMatchObject({ invited: 20, sent: 20, responded: 5, responseRate: 25, flagged: 2, excluded: 1 });
    expect(d.strata.reduce((a: number, s: { responded: number }) => a + s.responded, 0)).toBe(5);
  });

  it('reminders go to the non-respondents only', async () => {
    const r = await office.post(`/api/evaluation/campaigns/${campaignId}/remind`);
    expect(r.json().sent).toBe(15);
    expect(await count(`SELECT count(*) AS n FROM sms_outbox WHERE template = 'evaluation_reminder'`)).toBe(15);
  });

  it('closing writes per-unit results and the score inputs of the mapped leaf, with the explanation', async () => {
    const r = await office.post(`/api/evaluation/campaigns/${campaignId}/close`);
    expect(r.statusCode, r.body).toBe(200);
    // Hand-computed from the valid responses per unit (score answers: overall level → (4-l)*25, speed × 10).
    const valid = await q<{ unit_id: number; answers: { overall: number; speed: number } }>(
      `SELECT unit_id, answers FROM evaluation_responses WHERE NOT excluded`,
    );
    const res = (await office.get(`/api/evaluation/campaigns/${campaignId}/results`)).json();
    for (const u of [unitA, unitB]) {
      const mine = valid.filter((v) => v.unit_id === u);
      const scores = mine.flatMap((v) => [(4 - v.answers.overall) * 25, v.answers.speed * 10]);
      const mean = scores.length ? Math.round((100 * scores.reduce((a, b) => a + b, 0)) / scores.length) / 100 : null;
      const row = res.rows.find((x: { unitId: number }) => x.unitId === u);
      expect(row.valid).toBe(mine.length);
      expect(row.mean).toBe(mean);
      const [input] = await q<{ value: number; source: string; fields: { explanation: string } }>(
        `SELECT value::float8 AS value, source, fields FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = '2026-06'`,
        [leafId, u],
      );
      if (mean === null) expect(input).toBeUndefined();
      else {
        expect(input.value).toBeCloseTo(mean, 5);
        expect(input.source).toBe('evaluation');
        expect(input.fields.explanation).toMatch(new RegExp(`有效问卷 ${mine.length} 份`));
      }
    }
    expect(res.comments).toEqual([{ unitName: expect.any(String), question: '意见建议', text: '办事很快' }]);
    await refusedEdit(); // closed
  });

  it('units see their own published results only; published results are frozen', async () => {
    const reporterA = await env.userClient({ roles: ['reporter'], unitId: unitA });
    const reporterC = await env.userClient({ roles: ['reporter'], unitId: unitC });
    expect((await reporterA.get(`/api/evaluation/campaigns/${campaignId}/results`)).statusCode).toBe(404);
    expect((await reporterA.get(`/api/evaluation/campaigns/${campaignId}`)).statusCode).toBe(403);
    expect((await office.post(`/api/evaluation/campaigns/${campaignId}/publish`)).statusCode).toBe(200);
    const mine = await reporterA.get(`/api/evaluation/campaigns/${campaignId}/results`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().rows.map((r: { unitId: number }) => r.unitId)).toEqual([unitA]);
    expect((await reporterC.get(`/api/evaluation/campaigns/${campaignId}/results`)).statusCode).toBe(404);
    expect((await reporterA.get('/api/evaluation/campaigns')).json().map((c: { id: number }) => c.id)).toContain(
      campaignId,
    );
    expect((await reporterC.get('/api/evaluation/campaigns')).json()).toEqual([]);
    const [resp] = await q<{ id: number }>(`SELECT id FROM evaluation_responses LIMIT 1`);
    const before = await q(`SELECT * FROM evaluation_results ORDER BY unit_id`);
    expect(
      (await office.post(`/api/evaluation/responses/${resp.id}/exclusion`, { excluded: true, reason: '迟到的剔除' }))
        .statusCode,
    ).toBe(409);
    expect((await office.post(`/api/evaluation/campaigns/${campaignId}/close`)).statusCode).toBe(409);
    expect(await q(`SELECT * FROM evaluation_results ORDER BY unit_id`)).toEqual(before);
    expect(
      (await env.anon.post(`/api/public/surveys/${links[10]}`, { answers: { overall: 0, speed: 10 } })).statusCode,
    ).toBe(409);
  });

  it('exports the results as .xlsx', async () => {
    const r = await office.get(`/api/evaluation/campaigns/${campaignId}/results.xlsx`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/spreadsheetml/);
  });
});

describe('panels: deputies answer in the app; mutual evaluation never rates its own unit', () => {
  const MATRIX = [
    {
      key: 'rate',
      type: 'matrix',
      title: '对各单位的评价',
      required: true,
      rowsAreTargets: true,
      scale: 'satisfaction5',
    },
    { key: 'memo', type: 'text', title: '意见', required: false },
  ];

  it('a deputies’ evaluation: evaluators answer from their inbox, once', async () => {
    const d1 = await env.userClient({ roles: ['evaluator'] });
    const d2 = await env.userClient({ roles: ['evaluator'] });
    const reporter = await env.userClient({ roles: ['reporter'], unitId: unitA });
    const bad = await office.post('/api/evaluation/campaigns', {
      year: YEAR,
      kind: 'deputies',
      title: '人大代表评议',
      questionnaireId: await questionnaire(MATRIX),
      targetUnitIds: [unitA, unitB],
      periodFrom: '2026-01-01',
      periodTo: '2026-12-31',
      anonymous: false,
      panelUserIds: [reporter.userId],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('panelUserIds.0');
    const c = await office.post('/api/evaluation/campaigns', {
      year: YEAR,
      kind: 'deputies',
      title: '人大代表评议',
      questionnaireId: await questionnaire(MATRIX),
      targetUnitIds: [unitA, unitB],
      periodFrom: '2026-01-01',
      periodTo: '2026-12-31',
      anonymous: false,
      panelUserIds: [d1.userId, d2.userId],
      mapping: { indicatorIds: [leafId], mode: 'satisfaction', levelWeights: [1, 0.8, 0.6, 0, 0] },
    });
    expect(c.statusCode, c.body).toBe(201);
    const id = c.json().id;
    expect((await d1.get('/api/evaluation/inbox')).json()).toEqual([]);
    expect((await office.post(`/api/evaluation/campaigns/${id}/send`)).json().sent).toBe(0);
    const inbox = (await d1.get('/api/evaluation/inbox')).json();
    expect(inbox).toMatchObject([{ campaignId: id, respondedOn: null, targets: 2 }]);
    expect((await d1.get(`/api/evaluation/inbox/${id}`)).json().targets).toHaveLength(2);
    expect((await reporter.get(`/api/evaluation/inbox/${id}`)).statusCode).toBe(403);
    expect(
      (await d1.post(`/api/evaluation/inbox/${id}`, { answers: { rate: { [unitA]: 0, [unitB]: 1 } } })).statusCode,
    ).toBe(201);
    expect(
      (await d1.post(`/api/evaluation/inbox/${id}`, { answers: { rate: { [unitA]: 4, [unitB]: 4 } } })).statusCode,
    ).toBe(409);
    expect(
      (await d2.post(`/api/evaluation/inbox/${id}`, { answers: { rate: { [unitA]: 2 } } })).json().error.field,
    ).toBe(`answers.rate.${unitB}`);
    expect(
      (await d2.post(`/api/evaluation/inbox/${id}`, { answers: { rate: { [unitA]: 2, [unitB]: 3 } } })).statusCode,
    ).toBe(201);
    const [r] = await q<{ respondent_id: number }>(
      `SELECT respondent_id FROM evaluation_responses WHERE campaign_id = $1 ORDER BY id LIMIT 1`,
      [id],
    );
    expect(r.respondent_id).toBe(d1.userId); // named, not anonymous
    await office.post(`/api/evaluation/campaigns/${id}/close`);
    const rows = (await office.get(`/api/evaluation/campaigns/${id}/results`)).json().rows;
    // A: 非常满意 + 基本满意 → (1 + 0.6)/2 = 80 %; B: 满意 + 不满意 → (0.8 + 0)/2 = 40 %.
    expect(
      rows.map((x: { unitId: number; mapped: number; invited: number; valid: number }) => [
        x.unitId,
        x.mapped,
        x.invited,
        x.valid,
      ]),
    ).toEqual([
      [unitA, 80, 2, 2],
      [unitB, 40, 2, 2],
    ]);
  });

  it('mutual evaluation: a unit leader rates the other units, never their own', async () => {
    const la = await env.userClient({ roles: ['unit_leader'], unitId: unitA });
    const lb = await env.userClient({ roles: ['unit_leader'], unitId: unitB });
    const c = await office.post('/api/evaluation/campaigns', {
      year: YEAR,
      kind: 'mutual',
      title: '部门互评',
      questionnaireId: await questionnaire(MATRIX),
      targetUnitIds: [unitA, unitB, unitC],
      periodFrom: '2026-01-01',
      periodTo: '2026-12-31',
      panelUserIds: [la.userId, lb.userId],
    });
    expect(c.statusCode, c.body).toBe(201);
    const id = c.json().id;
    await office.post(`/api/evaluation/campaigns/${id}/send`);
    const form = (await la.get(`/api/evaluation/inbox/${id}`)).json();
    expect(form.targets.map((t: { id: number }) => t.id)).toEqual([unitB, unitC]);
    const self = await la.post(`/api/evaluation/inbox/${id}`, {
      answers: { rate: { [unitA]: 0, [unitB]: 0, [unitC]: 0 } },
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.field).toBe(`answers.rate.${unitA}`);
    expect(await count(`SELECT count(*) AS n FROM evaluation_responses WHERE campaign_id = $1`, [id])).toBe(0);
    expect(
      (await la.post(`/api/evaluation/inbox/${id}`, { answers: { rate: { [unitB]: 0, [unitC]: 1 } } })).statusCode,
    ).toBe(201);
    expect(
      (await lb.post(`/api/evaluation/inbox/${id}`, { answers: { rate: { [unitA]: 1, [unitC]: 1 } } })).statusCode,
    ).toBe(201);
    await office.post(`/api/evaluation/campaigns/${id}/close`);
    const rows = (await office.get(`/api/evaluation/campaigns/${id}/results`)).json().rows;
    const byUnit = Object.fromEntries(
      rows.map((x: { unitId: number; invited: number; mean: number }) => [x.unitId, [x.invited, x.mean]]),
    );
    expect(byUnit[unitA]).toEqual([1, 75]);
    expect(byUnit[unitB]).toEqual([1, 100]);
    expect(byUnit[unitC]).toEqual([2, 75]);
  });

  it('only the office manages campaigns', async () => {
    const ev = await env.userClient({ roles: ['evaluator'] });
    expect((await ev.get('/api/evaluation/questionnaires')).statusCode).toBe(403);
    expect((await ev.post('/api/evaluation/questionnaires', { title: 'x', questions: QUESTIONS })).statusCode).toBe(
      403,
    );
    const leader = await env.userClient({ roles: ['unit_leader'], unitId: unitA });
    expect((await leader.post('/api/evaluation/campaigns/1/close')).statusCode).toBe(403);
  });
});

describe('a frame imported from Excel', () => {
  it('imports all-or-nothing, then samples in proportion to the strata', async () => {
    const { listWorkbook } = await import('../../lib/xlsx-lists.js');
    const { FRAME_COLUMNS } = await import('./evaluation.service.js');
    const c = await office.post('/api/evaluation/campaigns', {
      year: YEAR,
      kind: 'enterprise_survey',
      title: '企业满意度调查',
      questionnaireId: await questionnaire(),
      targetUnitIds: [unitA, unitB],
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
    });
    const id = c.json().id;
    const upload = async (rows: Record<string, unknown>[]) => {
      const buf = await listWorkbook({ title: '名单', columns: FRAME_COLUMNS, rows });
      const b = '----xnev';
      const payload = Buffer.concat([
        Buffer.from(
          `--${b}\r\nContent-Disposition: form-data; name="file"; filename="f.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
        ),
        buf,
        Buffer.from(`\r\n--${b}--\r\n`),
      ]);
      return office.request({
        method: 'POST',
        url: `/api/evaluation/campaigns/${id}/frame`,
        payload,
        headers: { 'content-type': `multipart/form-data; boundary=${b}` },
      });
    };
    const bad = await upload([
      { unit: '甲街道', name: '企业1', phone: '13800000001' },
      { unit: '不存在的单位', name: '企业2', phone: '13800000002' },
      { unit: '乙街道', name: '企业3', phone: '12345' },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [3, 'A'],
      [4, 'C'],
    ]);
    expect(await count(`SELECT count(*) AS n FROM evaluation_frame WHERE campaign_id = $1`, [id])).toBe(0);
    const rows = [
      ...Array.from({ length: 30 }, (_, i) => ({
        unit: '甲街道',
        name: `甲企业${i}`,
        phone: `1380000${String(i).padStart(4, '0')}`,
      })),
      ...Array.from({ length: 10 }, (_, i) => ({
        unit: '乙街道',
        name: `乙企业${i}`,
        phone: `1370000${String(i).padStart(4, '0')}`,
      })),
    ];
    const ok = await upload(rows);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().imported).toBe(40);
    const s = await office.post(`/api/evaluation/campaigns/${id}/sample`, { source: 'import', total: 8, seed: 7 });
    expect(s.json()).toEqual({ invitations: 8, frame: 40, seed: 7 });
    const per = await q<{ unit_id: number; n: number }>(
      `SELECT unit_id, count(*)::int AS n FROM evaluation_invitations WHERE campaign_id = $1 GROUP BY unit_id ORDER BY unit_id`,
      [id],
    );
    expect(per.map((p) => [p.unit_id, p.n])).toEqual([
      [unitA, 6],
      [unitB, 2],
    ]);
  });
});

describe('on-site QR surveys', () => {
  it('each scan makes its own one-time invitation with no personal data; both answers count; closed refuses', async () => {
    const reporterA = await env.userClient({ roles: ['reporter'], unitId: unitA });
    const r = await office.post('/api/evaluation/campaigns', {
      year: YEAR,
      kind: 'service_recipients',
      title: '窗口服务现场评价',
      questionnaireId: await questionnaire(),
      targetUnitIds: [unitA, unitB],
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
      quality: { maxPerIp: 100, maxPerDevice: 100, minSeconds: 0, straightLineMin: 5 },
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id as number;
    // The office's code for unit A (the page shows and prints it); a unit's user gets nothing.
    const qr = await office.get(`/api/evaluation/campaigns/${id}/qr?unitId=${unitA}`);
    expect(qr.statusCode, qr.body).toBe(200);
    expect(qr.json()).toMatchObject({ unitId: unitA, unitName: '甲街道', open: false });
    expect(qr.json().svg).toMatch(/^<svg[^>]*>/);
    const code = /\/public\/survey\/qr\/(.+)$/.exec(qr.json().url)![1];
    expect((await reporterA.get(`/api/evaluation/campaigns/${id}/qr?unitId=${unitA}`)).statusCode).toBe(403);
    const notTarget = await office.get(`/api/evaluation/campaigns/${id}/qr?unitId=${unitC}`);
    expect(notTarget.statusCode).toBe(400);
    expect(notTarget.json().error.field).toBe('unitId');

    // Not open yet: a scan is refused and makes nothing.
    const invitations = () => count(`SELECT count(*) AS n FROM evaluation_invitations WHERE campaign_id = $1`, [id]);
    const early = await env.anon.post(`/api/public/surveys/qr/${code}`);
    expect(early.statusCode).toBe(409);
    expect(await invitations()).toBe(0);
    expectOk(await office.post(`/api/evaluation/campaigns/${id}/sample`, { source: 'cases', total: 2, seed: 7 }));
    expectOk(await office.post(`/api/evaluation/campaigns/${id}/send`));
    const sampled = await invitations();

    // Two scans from the hall: two fresh invitations of unit A, holding no phone, name or address.
    const scan = (ip: string) =>
      env.app.inject({ method: 'POST', url: `/api/public/surveys/qr/${code}`, remoteAddress: ip });
    const s1 = await scan('10.1.1.1');
    const s2 = await scan('10.1.1.1');
    expect([s1.statusCode, s2.statusCode]).toEqual([201, 201]);
    const [t1, t2] = [s1.json().token as string, s2.json().token as string];
    expect(t1).not.toBe(t2);
    const qrRows = await q<{ unit_id: number; phone: string | null; name: string; case_id: number | null }>(
      `SELECT unit_id, phone, name, case_id FROM evaluation_invitations WHERE campaign_id = $1 AND channel = 'qr'`,
      [id],
    );
    expect(qrRows).toEqual([
      { unit_id: unitA, phone: null, name: '', case_id: null },
      { unit_id: unitA, phone: null, name: '', case_id: null },
    ]);
    expect(await invitations()).toBe(sampled + 2);
    const [audit] = await q<{ n: number; ips: number }>(
      `SELECT count(*)::int AS n, count(ip)::int AS ips FROM audit_entries WHERE action = 'evaluation.qr.scan' AND entity_id = $1`,
      [String(id)],
    );
    expect(audit).toEqual({ n: 2, ips: 0 });

    // Each answers once on the normal page; a second answer on the same invitation is refused.
    for (const t of [t1, t2]) {
      const form = await env.anon.get(`/api/public/surveys/${t}`);
      expect(form.json()).toMatchObject({ open: true, answered: false, unitName: '甲街道' });
      expect((await env.anon.post(`/api/public/surveys/${t}`, { answers: { overall: 1, speed: 8 } })).statusCode).toBe(
        201,
      );
    }
    expect((await env.anon.post(`/api/public/surveys/${t1}`, { answers: { overall: 0, speed: 9 } })).statusCode).toBe(
      409,
    );
    expect(await count(`SELECT count(*) AS n FROM evaluation_responses WHERE campaign_id = $1`, [id])).toBe(2);
    const dash = expectOk(await office.get(`/api/evaluation/campaigns/${id}/dashboard`));
    const rowA = (dash.strata as { unitId: number; invited: number; responded: number }[]).find(
      (s) => s.unitId === unitA,
    )!;
    expect(rowA.responded).toBe(2);

    // A forged code, and an address past its hourly allowance, are refused.
    const forged = `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`;
    expect((await env.anon.post(`/api/public/surveys/qr/${forged}`)).statusCode).toBe(404);
    const before = setQrScanLimit(3);
    try {
      expect((await scan('10.1.1.9')).statusCode).toBe(201);
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await scan('10.1.1.8')).statusCode);
      expect(codes).toEqual([201, 201, 201]);
      expect((await scan('10.1.1.8')).statusCode).toBe(429);
    } finally {
      setQrScanLimit(before);
    }

    // Closed: scans are refused and make nothing; the two answers are in the unit's result.
    expectOk(await office.post(`/api/evaluation/campaigns/${id}/close`));
    const n = await invitations();
    const late = await scan('10.1.1.3');
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('该评议活动未在进行中，暂不能扫码评价');
    expect(await invitations()).toBe(n);
    const res = expectOk(await office.get(`/api/evaluation/campaigns/${id}/results`));
    expect((res.rows as { unitId: number; valid: number }[]).find((x) => x.unitId === unitA)?.valid).toBe(2);
  });
});
