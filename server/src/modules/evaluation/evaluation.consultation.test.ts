import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { expectOk } from '../cases/cases.testkit.js';
import { setPublicSurveyLimit } from './index.js';

let env: TestEnv;
let q: TestEnv['database']['query'];
let office: Client;
let reporter: Client;
let leader: Client;
let evaluator: Client;
let unit: number;
let id: number;

const QUESTIONS = [
  { key: 'support', type: 'single', title: '您对方案的态度', required: true, options: ['支持', '基本支持', '不支持'] },
  {
    key: 'concerns',
    type: 'multi',
    title: '您关心的问题',
    required: false,
    options: ['补偿', '施工', '维保'],
  },
  { key: 'work', type: 'satisfaction5', title: '对征求意见工作的满意度', required: true },
  { key: 'score', type: 'scale10', title: '方案打分', required: true },
  { key: 'memo', type: 'text', title: '其他意见', required: false },
];
const ANSWERS = [
  { support: 0, concerns: [0, 2], work: 0, score: 9, memo: '尽快实施' },
  { support: 0, concerns: [2], work: 1, score: 8 },
  { support: 1, concerns: [0, 1, 2], work: 1, score: 6, memo: '一楼住户的补偿要说清楚' },
  { support: 2, concerns: [], work: 3, score: 2 },
  { support: 1, work: 2, score: 7 },
];
const SUMMARY = {
  heard: '共收到意见 6 份，多数支持方案。\n主要关切：维保费用分摊、低层住户补偿。',
  adopted: '1. 补贴标准提高到每台 25 万元；\n2. 明确低层住户补偿的协商程序。',
  notAdopted: '“维保费用全部由政府承担”：属业主共同管理事项，未采纳。',
};

const count = async (sql: string, params: unknown[]) => Number((await q<{ n: number }>(sql, params))[0].n);
const audits = (action: string) =>
  q<{ before: unknown; after: unknown; actor_id: number | null }>(
    `SELECT before, after, actor_id FROM audit_entries WHERE action = $1 AND entity_id = $2 ORDER BY id`,
    [action, String(id)],
  );

beforeAll(async () => {
  env = await createTestEnv();
  q = env.database.query.bind(env.database);
  unit = await env.buildUnit({ name: '住建局' });
  office = await env.userClient({ roles: ['office'] });
  reporter = await env.userClient({ roles: ['reporter'], unitId: unit });
  leader = await env.userClient({ roles: ['unit_leader'], unitId: unit });
  evaluator = await env.userClient({ roles: ['evaluator'] });
});
afterAll(async () => env?.close());

describe('a consultation: topic → public and invited answers → close → summary → publish → public page', () => {
  it('the office creates a consultation (no indicator) with its topic background; drafts are not public', async () => {
    const qn = expectOk(
      await office.post('/api/evaluation/questionnaires', { title: '加装电梯征求意见表', questions: QUESTIONS }),
      201,
    );
    const body = {
      year: 2026,
      kind: 'consultation',
      title: '老旧小区加装电梯补贴方案征求意见',
      questionnaireId: qn.id,
      targetUnitIds: [unit],
      periodFrom: '2026-03-01',
      periodTo: '2026-03-31',
      panelUserIds: [evaluator.userId],
      quality: { maxPerIp: 100, maxPerDevice: 100, minSeconds: 0, straightLineMin: 5 },
    };
    // A consultation feeds no indicator: a mapping is refused, naming the field.
    const mapped = await office.post('/api/evaluation/campaigns', { ...body, mapping: { indicatorIds: [1] } });
    expect(mapped.statusCode).toBe(400);
    expect(mapped.json().error.field).toBe('mapping.indicatorIds');
    const c = expectOk(await office.post('/api/evaluation/campaigns', body), 201);
    id = c.id;
    expect(c).toMatchObject({ kind: 'consultation', status: 'draft', indicators: [] });

    const background = '符合条件的加装项目每台补贴 20 万元。';
    const t = expectOk(await office.put(`/api/evaluation/campaigns/${id}/consultation/topic`, { background }));
    expect(t).toMatchObject({ background, status: 'draft', participants: 0 });
    const [a] = await audits('evaluation.consultation.topic');
    expect(a.after).toEqual({ background });

    expect((await env.anon.get(`/api/public/consultations/${id}`)).statusCode).toBe(404);
    expect(expectOk(await env.anon.get('/api/public/consultations'))).toEqual([]);
  });

  it('only evaluation managers write or read the office side; a refused write changes nothing', async () => {
    const before = await q(`SELECT * FROM evaluation_consultations WHERE campaign_id = $1`, [id]);
    for (const c of [reporter, leader, evaluator]) {
      expect((await c.put(`/api/evaluation/campaigns/${id}/consultation/topic`, { background: '改' })).statusCode).toBe(
        403,
      );
      expect((await c.put(`/api/evaluation/campaigns/${id}/consultation/summary`, SUMMARY)).statusCode).toBe(403);
      expect((await c.post(`/api/evaluation/campaigns/${id}/consultation/publish`)).statusCode).toBe(403);
      expect((await c.get(`/api/evaluation/campaigns/${id}/consultation`)).statusCode).toBe(403);
    }
    expect(
      (await env.anon.put(`/api/evaluation/campaigns/${id}/consultation/topic`, { background: '改' })).statusCode,
    ).toBe(401);
    expect(await q(`SELECT * FROM evaluation_consultations WHERE campaign_id = $1`, [id])).toEqual(before);
  });

  it('opens; the public answers through the open QR link and sees the background; an invited participant in the app', async () => {
    expectOk(await office.post(`/api/evaluation/campaigns/${id}/send`));
    const qr = expectOk(await office.get(`/api/evaluation/campaigns/${id}/qr?unitId=${unit}`));
    const code = /\/public\/survey\/qr\/(.+)$/.exec(qr.url as string)![1];
    for (const [i, answers] of ANSWERS.slice(0, 4).entries()) {
      const s = await env.app.inject({
        method: 'POST',
        url: `/api/public/surveys/qr/${code}`,
        remoteAddress: `10.9.0.${i + 1}`,
      });
      expect(s.statusCode, s.body).toBe(201);
      const t = s.json().token as string;
      const form = expectOk(await env.anon.get(`/api/public/surveys/${t}`));
      expect(form).toMatchObject({
        kind: 'consultation',
        title: '老旧小区加装电梯补贴方案征求意见',
        background: '符合条件的加装项目每台补贴 20 万元。',
        open: true,
      });
      expectOk(await env.anon.post(`/api/public/surveys/${t}`, { answers }), 201);
    }
    // A bad answer is refused with its field and stores nothing.
    const s = await env.anon.post(`/api/public/surveys/qr/${code}`);
    const bad = await env.anon.post(`/api/public/surveys/${s.json().token}`, {
      answers: { support: 7, work: 0, score: 1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('answers.support');
    // The invited participant answers from the inbox.
    expectOk(await evaluator.post(`/api/evaluation/inbox/${id}`, { answers: ANSWERS[4] }), 201);
    expect(await count(`SELECT count(*) AS n FROM evaluation_responses WHERE campaign_id = $1`, [id])).toBe(5);
  });

  it('no summary before closing, and nothing public while open', async () => {
    const early = await office.put(`/api/evaluation/campaigns/${id}/consultation/summary`, SUMMARY);
    expect(early.statusCode).toBe(409);
    expect((await env.anon.get(`/api/public/consultations/${id}`)).statusCode).toBe(404);
    const live = expectOk(await office.get(`/api/evaluation/campaigns/${id}/consultation`));
    expect(live.participants).toBe(5);
  });

  it('closing writes no score input; publishing needs the summary; the generic publish refuses', async () => {
    // One response excluded as a duplicate (with a reason): not counted.
    const [dup] = await q<{ id: number }>(
      `SELECT id FROM evaluation_responses WHERE campaign_id = $1 AND answers->>'support' = '2'`,
      [id],
    );
    expectOk(
      await office.post(`/api/evaluation/responses/${dup.id}/exclusion`, { excluded: true, reason: '重复提交' }),
    );
    const closed = expectOk(await office.post(`/api/evaluation/campaigns/${id}/close`));
    expect(closed).toMatchObject({ inputs: 0, status: 'closed' });
    expect(await count(`SELECT count(*) AS n FROM score_inputs WHERE source_ref LIKE $1`, [`evaluation:${id}:%`])).toBe(
      0,
    );

    const noSummary = await office.post(`/api/evaluation/campaigns/${id}/consultation/publish`);
    expect(noSummary.statusCode).toBe(400);
    expect(noSummary.json().error.field).toBe('heard');
    expect((await office.post(`/api/evaluation/campaigns/${id}/publish`)).statusCode).toBe(409);
    expect((await env.anon.get(`/api/public/consultations/${id}`)).statusCode).toBe(404);
  });

  it('the office writes the summary (audited with what it replaced) and publishes it', async () => {
    const first = { heard: '草稿', adopted: '', notAdopted: '' };
    expectOk(await office.put(`/api/evaluation/campaigns/${id}/consultation/summary`, first));
    const saved = expectOk(await office.put(`/api/evaluation/campaigns/${id}/consultation/summary`, SUMMARY));
    expect(saved.summary).toMatchObject({ ...SUMMARY, by: expect.any(String) });
    const written = await audits('evaluation.consultation.summary');
    expect(written.map((a) => a.after)).toEqual([first, SUMMARY]);
    expect(written[1].before).toEqual(first);
    expect(written[1].actor_id).toBe(office.userId);

    const p = expectOk(await office.post(`/api/evaluation/campaigns/${id}/consultation/publish`));
    expect(p).toMatchObject({ status: 'published', participants: 4 });
    const [pub] = await audits('evaluation.consultation.publish');
    expect(pub.after).toMatchObject({ status: 'published', participants: 4, summary: SUMMARY });
    expect((await office.post(`/api/evaluation/campaigns/${id}/consultation/publish`)).statusCode).toBe(409);
  });

  it('the public page shows the summary as written and counts equal to the raw answers; frozen afterwards', async () => {
    const list = expectOk(await env.anon.get('/api/public/consultations'));
    expect(list).toEqual([
      expect.objectContaining({ id, title: '老旧小区加装电梯补贴方案征求意见', units: ['住建局'], participants: 4 }),
    ]);
    const page = expectOk(await env.anon.get(`/api/public/consultations/${id}`));
    expect(page.summary).toEqual(SUMMARY);
    expect(page.background).toBe('符合条件的加装项目每台补贴 20 万元。');
    expect(page).toMatchObject({ periodFrom: '2026-03-01', periodTo: '2026-03-31', participants: 4 });
    // Closed questions only: no free text is ever public.
    type Tally = {
      key: string;
      labels: string[];
      counts: number[];
      answered: number;
      mean?: number;
      satisfiedPct?: number;
    };
    const tallies = page.tallies as Tally[];
    expect(tallies.map((t) => t.key)).toEqual(['support', 'concerns', 'work', 'score']);
    expect(JSON.stringify(page)).not.toContain('一楼住户');

    const valid = `FROM evaluation_responses WHERE campaign_id = $1 AND NOT excluded`;
    expect(await count(`SELECT count(*) AS n ${valid}`, [id])).toBe(page.participants);
    const byValue = async (sql: string) =>
      new Map((await q<{ v: number; n: number }>(sql, [id])).map((r) => [Number(r.v), Number(r.n)]));
    for (const key of ['support', 'work', 'score']) {
      const raw = await byValue(`SELECT (answers->>'${key}')::int AS v, count(*) AS n ${valid} GROUP BY 1`);
      const t = tallies.find((x) => x.key === key)!;
      expect(t.counts).toEqual(t.labels.map((_, i) => raw.get(i) ?? 0));
      expect(t.answered).toBe([...raw.values()].reduce((a, b) => a + b, 0));
    }
    const multi = await byValue(
      `SELECT x::int AS v, count(*) AS n FROM evaluation_responses, jsonb_array_elements_text(answers->'concerns') x
        WHERE campaign_id = $1 AND NOT excluded GROUP BY 1`,
    );
    expect(tallies.find((x) => x.key === 'concerns')!.counts).toEqual([0, 1, 2].map((i) => multi.get(i) ?? 0));
    const [mean] = await q<{ m: number }>(`SELECT round(avg((answers->>'score')::int), 1)::float8 AS m ${valid}`, [id]);
    expect(tallies.find((x) => x.key === 'score')!.mean).toBe(mean.m);
    // work: 非常满意 1, 满意 2, 基本满意 1 of 4 → 100% satisfied.
    expect(tallies.find((x) => x.key === 'work')).toMatchObject({ counts: [1, 2, 1, 0, 0], satisfiedPct: 100 });

    // Frozen: no more changes to the summary, the topic or the responses.
    const again = await office.put(`/api/evaluation/campaigns/${id}/consultation/summary`, { heard: '改写' });
    expect(again.statusCode).toBe(409);
    expect(
      (await office.put(`/api/evaluation/campaigns/${id}/consultation/topic`, { background: '改' })).statusCode,
    ).toBe(409);
    expect(expectOk(await env.anon.get(`/api/public/consultations/${id}`)).summary).toEqual(SUMMARY);
  });

  it('other campaigns are never public consultations; the public routes are rate-limited per address', async () => {
    const [other] = await q<{ id: number }>(
      `INSERT INTO evaluation_campaigns(year, kind, title, status, questionnaire_id, period_from, period_to, salt)
       SELECT 2026, 'public_survey', '已发布的满意度调查', 'published', questionnaire_id, period_from, period_to, 's'
         FROM evaluation_campaigns WHERE id = $1 RETURNING id`,
      [id],
    );
    expect((await env.anon.get(`/api/public/consultations/${other.id}`)).statusCode).toBe(404);
    expect((await office.get(`/api/evaluation/campaigns/${other.id}/consultation`)).statusCode).toBe(404);
    const before = setPublicSurveyLimit(2);
    try {
      const hit = () =>
        env.app.inject({ method: 'GET', url: `/api/public/consultations/${id}`, remoteAddress: '10.8.0.1' });
      expect([(await hit()).statusCode, (await hit()).statusCode, (await hit()).statusCode]).toEqual([200, 200, 429]);
    } finally {
      setPublicSurveyLimit(before);
    }
  });
});
