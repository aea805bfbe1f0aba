/**
 * Demo evaluation campaigns of 2026 (bulk inserts, then the real closing code): the public survey
 * (≈2,000 sampled residents of the 20 streets, ≈65 % answered) → 第三方群众满意度调查 (C3_01); the
 * enterprise survey of the departments serving enterprises → C1_01; the mutual evaluation of the
 * departments → C2_02; the main and district leaders' evaluations → C4_01 / C4_02; the expert review of
 * innovation → D1_01; special supervisors' visits (closed, results only); and the NPC/CPPCC deputies'
 * evaluation of all departments (40 deputies), still open, waiting for the demo's `evaluator`.
 * Closed campaigns end in October, the month the generic demo inputs end, so their values are the
 * latest ('last' aggregate) of the mapped leaves.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { insertMany } from '../../db/bulk.js';
import { rng, type Rng } from '../../engine/random.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { hashPassword } from '../../lib/passwords.js';
import { recordAudit } from '../audit/index.js';
import { DEMO_PASSWORD } from '../users/index.js';
import { allocate, drawSample, levelScore, ownFlags, DEFAULT_QUALITY } from './evaluation.logic.js';
import { closeCampaign } from './evaluation.service.js';
import {
  evaluationCampaigns,
  evaluationFrame,
  evaluationInvitations,
  evaluationPanel,
  evaluationQuestionnaires,
  evaluationResponses,
  evaluationScores,
  type CampaignKind,
  type Mapping,
  type Question,
} from './evaluation.table.js';

const YEAR = 2026;
const GRADE = 'if(mean >= 85, 0, if(mean >= 75, 1, if(mean >= 60, 2, 3)))';
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const COMMENTS = [
  '办事效率明显提高，点赞！',
  '窗口工作人员态度很好。',
  '希望进一步缩短办理时间。',
  '社区环境改善很大。',
  '停车难问题希望尽快解决。',
  '反映的问题解决得很及时。',
  '希望多听取居民意见。',
  '老旧小区改造进度偏慢。',
  '网上办事很方便，不用跑腿。',
  '夜间噪音问题仍然存在。',
];

const sat = (key: string, title: string): Question => ({ key, type: 'satisfaction5', title, required: true });
const Q_PUBLIC: Question[] = [
  sat('overall', '您对本街道工作的总体满意度'),
  {
    key: 'aspects',
    type: 'matrix',
    title: '请对以下方面评价',
    required: true,
    rows: ['办事效率', '服务态度', '环境整治', '问题解决'],
    scale: 'satisfaction5',
  },
  {
    key: 'channel',
    type: 'single',
    title: '您最常用的办事渠道',
    required: false,
    options: ['窗口', '网上', '12345热线', '社区'],
  },
  {
    key: 'improve',
    type: 'multi',
    title: '您最希望改进的方面（可多选）',
    required: false,
    options: ['效率', '态度', '公开透明', '环境', '便民设施'],
  },
  { key: 'memo', type: 'text', title: '意见和建议', required: false },
];
const Q_ENTERPRISE: Question[] = [
  sat('overall', '贵企业对该部门服务的总体满意度'),
  { key: 'env', type: 'scale10', title: '营商环境打分（0–10 分）', required: true },
  { key: 'memo', type: 'text', title: '意见和建议', required: false },
];
const matrix = (title: string, scale: 'satisfaction5' | 'scale10' = 'satisfaction5'): Question[] => [
  { key: 'rate', type: 'matrix', title, required: true, rowsAreTargets: true, scale },
  { key: 'memo', type: 'text', title: '意见和建议', required: false },
];

type Unit = { id: number; code: string; name: string; category: string | null; kind: string };

export async function seedEvaluation(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const db = database.db;
  const units = await q<Unit>(
    `SELECT u.id, u.code, u.name, c.code AS category, u.kind FROM units u LEFT JOIN unit_categories c ON c.id = u.category_id WHERE u.active ORDER BY u.sort, u.id`,
  );
  const [year] = await q<{ id: number }>(`SELECT id FROM assessment_years WHERE year = $1`, [YEAR]);
  if (!year || !units.length) return;
  const leaf = new Map(
    (await q<{ id: number; code: string }>(`SELECT id, code FROM indicators WHERE year_id = $1`, [year.id])).map(
      (r) => [r.code, r.id],
    ),
  );
  const [office] = await q<{ id: number }>(`SELECT id FROM users WHERE username = 'office'`);
  const officeId = office?.id ?? null;
  const streets = units.filter((u) => u.category === 'STR');
  const departments = units.filter((u) => u.kind === 'department' && u.category !== null);
  const enterprise = departments.filter((u) => u.category === 'ENT');
  const gen = rng(20261206);
  // Each unit's steady "true" satisfaction (0.55 … 0.95); 汉正街 is the demo's laggard (the e2e lifts it).
  const quality = new Map(units.map((u) => [u.id, u.code === 'ST01' ? 0.5 : 0.6 + gen.next() * 0.35]));

  const questionnaire = async (title: string, questions: Question[], intro = '') => {
    const [r] = await insertMany(
      db,
      evaluationQuestionnaires,
      [{ title, intro, questions, createdBy: officeId }],
      ['id'],
    );
    await q(`UPDATE evaluation_questionnaires SET family_id = id WHERE id = $1`, [r.id]);
    return r.id;
  };
  const qPublic = await questionnaire(
    '群众满意度调查问卷（2026版）',
    Q_PUBLIC,
    '感谢您参与汉江区群众满意度调查，问卷匿名填写，约需 3 分钟。',
  );
  const qEnterprise = await questionnaire(
    '企业满意度调查问卷',
    Q_ENTERPRISE,
    '本问卷由区绩效办委托第三方机构开展，结果仅用于改进服务。',
  );
  const qDeputies = await questionnaire('人大代表、政协委员评议表', matrix('请对各部门的工作作风和服务质量评价'));
  const qVisits = await questionnaire(
    '特约监察员明察暗访评价表',
    matrix('明察暗访情况评价（按窗口服务、工作纪律综合评定）'),
  );
  const qMutual = await questionnaire('部门协调配合互评表', matrix('请评价各部门在协调配合工作中的表现'));
  const qLeaders = await questionnaire('领导评价表', matrix('请对各单位年度工作评价'));
  const qExperts = await questionnaire(
    '创新成果专家评审表',
    matrix('请对各单位申报的创新项目打分（0–10 分）', 'scale10'),
  );

  // Users: 40 deputies/members (evaluators), 3 experts, and a leader for each department that has none (mutual evaluation).
  const hash = await hashPassword(DEMO_PASSWORD);
  const [district] = await q<{ id: number }>(`SELECT id FROM units WHERE code = 'DISTRICT'`);
  const newUser = async (username: string, name: string, unitId: number, role: string) => {
    const existing = await q<{ id: number }>(`SELECT id FROM users WHERE username = $1`, [username]);
    if (existing.length) return existing[0].id;
    const [u] = await q<{ id: number }>(
      `INSERT INTO users(username, display_name, password_hash, unit_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [username, name, hash, unitId],
    );
    await q(`INSERT INTO user_roles(user_id, role) VALUES ($1, $2)`, [u.id, role]);
    return u.id;
  };
  const deputies: number[] = [];
  const [demoEvaluator] = await q<{ id: number }>(`SELECT id FROM users WHERE username = 'evaluator'`);
  if (demoEvaluator) deputies.push(demoEvaluator.id);
  for (let i = deputies.length; i < 40; i++) {
    const title = i % 3 === 2 ? '区政协委员' : '区人大代表';
    const name = `${SURNAMES[(i * 7) % SURNAMES.length]}${i % 2 ? '委员' : '代表'}（${title}）`;
    deputies.push(await newUser(`deputy${String(i + 1).padStart(2, '0')}`, name, district.id, 'evaluator'));
  }
  const experts: number[] = [];
  for (let i = 0; i < 3; i++)
    experts.push(await newUser(`expert${i + 1}`, `${['钱', '孔', '白'][i]}教授（评审专家）`, district.id, 'evaluator'));
  const leaders = await q<{ id: number; unit_id: number }>(
    `SELECT u.id, u.unit_id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'unit_leader' WHERE u.active`,
  );
  const mutualPanel: number[] = [];
  for (const d of departments) {
    const l = leaders.find((x) => x.unit_id === d.id);
    mutualPanel.push(l ? l.id : await newUser(`${d.code.toLowerCase()}_head`, `${d.name}负责人`, d.id, 'unit_leader'));
  }
  const main = await q<{ id: number }>(
    `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'main_leader'`,
  );
  const inCharge = await q<{ id: number }>(
    `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'district_leader'`,
  );

  const campaign = async (v: {
    kind: CampaignKind;
    title: string;
    questionnaireId: number;
    targets: Unit[];
    from: string;
    to: string;
    anonymous: boolean;
    mapping?: Partial<Mapping> & { codes?: string[] };
    panel?: number[];
  }) => {
    const mapping: Mapping = {
      indicatorIds: (v.mapping?.codes ?? []).flatMap((c) => (leaf.has(c) ? [leaf.get(c)!] : [])),
      mode: v.mapping?.mode ?? 'mean',
      levelWeights: v.mapping?.levelWeights ?? [1, 1, 1, 0, 0],
      formula: v.mapping?.formula ?? null,
    };
    const [r] = await insertMany(
      db,
      evaluationCampaigns,
      [
        {
          year: YEAR,
          kind: v.kind,
          title: v.title,
          status: 'open' as const,
          questionnaireId: v.questionnaireId,
          targetUnitIds: v.targets.map((t) => t.id).sort((a, b) => a - b),
          periodFrom: v.from,
          periodTo: v.to,
          anonymous: v.anonymous,
          mapping,
          quality: DEFAULT_QUALITY,
          salt: randomBytes(24).toString('base64url'),
          createdBy: officeId,
          openedAt: new Date(`${v.to}T01:00:00Z`),
        },
      ],
      ['id'],
    );
    if (v.panel?.length)
      await insertMany(
        db,
        evaluationPanel,
        v.panel.map((userId) => ({ campaignId: r.id, userId })),
      );
    return r.id;
  };
  /** A level around the unit's quality (0 = 非常满意). */
  const levelOf = (g: Rng, qu: number) => Math.max(0, Math.min(4, Math.round((1 - qu) * 6 + (g.next() - 0.5) * 2.2)));
  const day = (g: Rng, to: string) => `${to.slice(0, 8)}${String(1 + Math.floor(g.next() * 25)).padStart(2, '0')}`;

  type Resp = typeof evaluationResponses.$inferInsert & {
    scores: { unitId: number; key: string; score: number; level: number | null }[];
  };
  const writeResponses = async (campaignId: number, list: Resp[]) => {
    const ids = await insertMany(
      db,
      evaluationResponses,
      list.map(({ scores: _s, ...r }) => r),
      ['id'],
    );
    const scores = list.flatMap((r, i) =>
      r.scores.map((s) => ({
        responseId: ids[i].id,
        campaignId,
        unitId: s.unitId,
        questionKey: s.key,
        score: s.score,
        level: s.level,
      })),
    );
    for (let i = 0; i < scores.length; i += 5000) await insertMany(db, evaluationScores, scores.slice(i, i + 5000));
  };
  const flagsOf = (scores: Resp['scores'], g: Rng) =>
    ownFlags(scores, g.next() < 0.03 ? 12 : 60 + Math.floor(g.next() * 400), DEFAULT_QUALITY);

  // ---- sampled surveys: a frame (residents / enterprises imported), a stratified sample, SMS invitations, responses.
  const sampled = async (v: {
    id: number;
    targets: Unit[];
    perUnitFrame: number;
    total: number;
    to: string;
    questions: 'public' | 'enterprise';
    seed: number;
  }) => {
    const g = rng(v.seed);
    const frame: (typeof evaluationFrame.$inferInsert)[] = [];
    for (const t of v.targets)
      for (let i = 0; i < v.perUnitFrame; i++)
        frame.push({
          campaignId: v.id,
          unitId: t.id,
          name:
            v.questions === 'public'
              ? `${SURNAMES[Math.floor(g.next() * SURNAMES.length)]}先生/女士`
              : `${t.name.replace(/^区/, '')}服务企业${i + 1}`,
          phone: `13${String(Math.floor(g.next() * 1e9)).padStart(9, '0')}`,
          source: 'import',
        });
    const frameRows = await insertMany(db, evaluationFrame, frame, ['id', 'unitId', 'phone', 'name']);
    const counts = new Map<number, number>();
    for (const r of frameRows) counts.set(r.unitId, (counts.get(r.unitId) ?? 0) + 1);
    const sizes = allocate(counts, v.total);
    const drawn = drawSample(frameRows, sizes, v.seed);
    const sentAt = new Date(`${v.to.slice(0, 8)}01T02:00:00Z`);
    const invs = await insertMany(
      db,
      evaluationInvitations,
      drawn.map((r) => ({
        campaignId: v.id,
        channel: 'sms' as const,
        unitId: r.unitId,
        phone: r.phone,
        name: r.name,
        sentAt,
        reminders: g.next() < 0.4 ? 1 : 0,
      })),
      ['id', 'unitId'],
    );
    const answered = invs.filter(() => g.next() < 0.65);
    const responses: Resp[] = [];
    const usedOn: { id: number; on: string }[] = [];
    for (const { id: invId, unitId: u } of answered) {
      const inv = { id: invId, unitId: u! };
      const qu = quality.get(inv.unitId)!;
      const on = day(g, v.to);
      usedOn.push({ id: inv.id, on });
      const scores: Resp['scores'] = [];
      let answers: Record<string, unknown>;
      if (v.questions === 'public') {
        const overall = levelOf(g, qu);
        const aspects: Record<string, number> = {};
        for (let k = 0; k < 4; k++) aspects[String(k)] = levelOf(g, qu);
        answers = { overall, aspects, channel: Math.floor(g.next() * 4), improve: [Math.floor(g.next() * 5)] };
        if (g.next() < 0.12) answers.memo = COMMENTS[Math.floor(g.next() * COMMENTS.length)];
        scores.push({ unitId: inv.unitId, key: 'overall', score: levelScore(overall), level: overall });
        for (const [k, l] of Object.entries(aspects))
          scores.push({ unitId: inv.unitId, key: `aspects.${k}`, score: levelScore(l), level: l });
      } else {
        const overall = levelOf(g, qu);
        const env = Math.max(0, Math.min(10, Math.round(qu * 10 + (g.next() - 0.5) * 3)));
        answers = { overall, env };
        if (g.next() < 0.15) answers.memo = COMMENTS[Math.floor(g.next() * COMMENTS.length)];
        scores.push(
          { unitId: inv.unitId, key: 'overall', score: levelScore(overall), level: overall },
          { unitId: inv.unitId, key: 'env', score: env * 10, level: null },
        );
      }
      const ip = g.next() < 0.02 ? 'shared' : String(inv.id);
      responses.push({
        campaignId: v.id,
        unitId: inv.unitId,
        answers,
        submittedOn: on,
        durationS: g.next() < 0.03 ? 12 : 60 + Math.floor(g.next() * 400),
        ipHash: createHash('sha256').update(`${v.id}|${ip}`).digest('hex').slice(0, 32),
        flags: flagsOf(scores, g),
        scores,
      });
    }
    // Anonymous: the responses are written in a shuffled order, and the invitations keep only the day.
    for (let i = responses.length - 1; i > 0; i--) {
      const j = Math.floor(g.next() * (i + 1));
      [responses[i], responses[j]] = [responses[j], responses[i]];
    }
    await writeResponses(v.id, responses);
    if (usedOn.length)
      await q(
        `UPDATE evaluation_invitations i SET responded_on = x.on::date FROM json_to_recordset($1::json) AS x(id bigint, "on" text) WHERE i.id = x.id`,
        [JSON.stringify(usedOn)],
      );
    const strata = [...counts]
      .sort((a, b) => a[0] - b[0])
      .map(([unitId, n]) => ({ unitId, frame: n, size: sizes.get(unitId) ?? 0 }));
    await q(`UPDATE evaluation_campaigns SET sampling = $2 WHERE id = $1`, [
      v.id,
      JSON.stringify({ source: 'import', seed: v.seed, at: `${v.to.slice(0, 8)}01T01:00:00.000Z`, strata }),
    ]);
  };

  // ---- panels: each evaluator rates every target (never their own unit) on the matrix.
  const panel = async (v: {
    id: number;
    targets: Unit[];
    panel: number[];
    to: string;
    share: number;
    scale10?: boolean;
    anonymous: boolean;
    seed: number;
    skip?: number[];
  }) => {
    const g = rng(v.seed);
    const owner = new Map(
      (await q<{ id: number; unit_id: number }>(`SELECT id, unit_id FROM users WHERE id = ANY($1)`, [v.panel])).map(
        (u) => [u.id, u.unit_id],
      ),
    );
    const invs = await insertMany(
      db,
      evaluationInvitations,
      v.panel.map((userId) => ({
        campaignId: v.id,
        channel: 'app' as const,
        userId,
        sentAt: new Date(`${v.to.slice(0, 8)}01T02:00:00Z`),
      })),
      ['id', 'userId'],
    );
    const responses: Resp[] = [];
    const usedOn: { id: number; on: string }[] = [];
    for (const inv of invs) {
      if (v.skip?.includes(inv.userId!) || g.next() > v.share) continue;
      const own = owner.get(inv.userId!);
      const rate: Record<string, number> = {};
      const scores: Resp['scores'] = [];
      for (const t of v.targets) {
        if (t.id === own) continue;
        const qu = quality.get(t.id)!;
        if (v.scale10) {
          const x = Math.max(0, Math.min(10, Math.round(qu * 10 + (g.next() - 0.5) * 3)));
          rate[String(t.id)] = x;
          scores.push({ unitId: t.id, key: 'rate', score: x * 10, level: null });
        } else {
          const l = levelOf(g, qu);
          rate[String(t.id)] = l;
          scores.push({ unitId: t.id, key: 'rate', score: levelScore(l), level: l });
        }
      }
      const on = day(g, v.to);
      usedOn.push({ id: inv.id, on });
      responses.push({
        campaignId: v.id,
        invitationId: v.anonymous ? null : inv.id,
        respondentId: v.anonymous ? null : inv.userId,
        unitId: null,
        answers: { rate },
        submittedOn: on,
        durationS: 120 + Math.floor(g.next() * 900),
        ipHash: createHash('sha256').update(`${v.id}|${inv.id}`).digest('hex').slice(0, 32),
        flags: flagsOf(scores, g),
        scores,
      });
    }
    await writeResponses(v.id, responses);
    if (usedOn.length)
      await q(
        `UPDATE evaluation_invitations i SET responded_on = x.on::date FROM json_to_recordset($1::json) AS x(id bigint, "on" text) WHERE i.id = x.id`,
        [JSON.stringify(usedOn)],
      );
  };

  const close = async (id: number, publish: boolean) => {
    await closeCampaign(db, SYSTEM_ACTOR, id);
    const at = '2026-11-05T02:00:00Z';
    await q(
      `UPDATE evaluation_campaigns SET closed_at = $2${publish ? `, status = 'published', published_at = $2` : ''} WHERE id = $1`,
      [id, at],
    );
  };

  const pub = await campaign({
    kind: 'public_survey',
    title: '2026年度街道群众满意度调查',
    questionnaireId: qPublic,
    targets: streets,
    from: '2026-01-01',
    to: '2026-10-31',
    anonymous: true,
    mapping: { codes: ['C3_01'], mode: 'mean' },
  });
  await sampled({
    id: pub,
    targets: streets,
    perUnitFrame: 400,
    total: 2000,
    to: '2026-10-31',
    questions: 'public',
    seed: 20260901,
  });
  await close(pub, true);

  const ent = await campaign({
    kind: 'enterprise_survey',
    title: '2026年度企业满意度调查',
    questionnaireId: qEnterprise,
    targets: enterprise,
    from: '2026-01-01',
    to: '2026-10-31',
    anonymous: true,
    mapping: { codes: ['C1_01'], mode: 'formula', formula: GRADE },
  });
  await sampled({
    id: ent,
    targets: enterprise,
    perUnitFrame: 60,
    total: 30 * enterprise.length,
    to: '2026-10-31',
    questions: 'enterprise',
    seed: 20260902,
  });
  await close(ent, true);

  const mutual = await campaign({
    kind: 'mutual',
    title: '2026年度部门协调配合互评',
    questionnaireId: qMutual,
    targets: departments,
    from: '2026-01-01',
    to: '2026-10-31',
    anonymous: true,
    mapping: { codes: ['C2_02'], mode: 'formula', formula: GRADE },
    panel: mutualPanel,
  });
  await panel({
    id: mutual,
    targets: departments,
    panel: mutualPanel,
    to: '2026-10-31',
    share: 0.9,
    anonymous: true,
    seed: 20260903,
  });
  await close(mutual, true);

  const everyone = units.filter((u) => u.category !== null);
  for (const [i, v] of [
    { title: '2026年度区主要领导评价', panel: main.map((m) => m.id), code: 'C4_01' },
    { title: '2026年度区分管领导评价', panel: inCharge.map((m) => m.id), code: 'C4_02' },
  ].entries()) {
    if (!v.panel.length) continue;
    const id = await campaign({
      kind: 'leaders',
      title: v.title,
      questionnaireId: qLeaders,
      targets: everyone,
      from: '2026-01-01',
      to: '2026-10-31',
      anonymous: false,
      mapping: { codes: [v.code], mode: 'formula', formula: GRADE },
      panel: v.panel,
    });
    await panel({
      id,
      targets: everyone,
      panel: v.panel,
      to: '2026-10-31',
      share: 1,
      anonymous: false,
      seed: 20260904 + i,
    });
    await close(id, false);
  }

  const expertsId = await campaign({
    kind: 'expert_review',
    title: '2026年度工作创新成果专家评审',
    questionnaireId: qExperts,
    targets: everyone,
    from: '2026-01-01',
    to: '2026-10-31',
    anonymous: false,
    mapping: { codes: ['D1_01'], mode: 'mean' },
    panel: experts,
  });
  await panel({
    id: expertsId,
    targets: everyone,
    panel: experts,
    to: '2026-10-31',
    share: 1,
    scale10: true,
    anonymous: false,
    seed: 20260906,
  });
  await close(expertsId, false);

  const supervisors = deputies.slice(30, 40);
  const visits = await campaign({
    kind: 'special_supervisors',
    title: '2026年特约监察员年中集中明察暗访',
    questionnaireId: qVisits,
    targets: departments.filter((d) => d.category === 'PUB' || d.category === 'ENT'),
    from: '2026-06-01',
    to: '2026-07-31',
    anonymous: false,
    panel: supervisors,
  });
  await panel({
    id: visits,
    targets: departments.filter((d) => d.category === 'PUB' || d.category === 'ENT'),
    panel: supervisors,
    to: '2026-07-31',
    share: 1,
    anonymous: false,
    seed: 20260907,
  });
  await close(visits, true);

  // Still open: the deputies' evaluation of all departments; the demo's 郑代表 has not answered yet.
  const dep = await campaign({
    kind: 'deputies',
    title: '2026年度人大代表、政协委员评议部门',
    questionnaireId: qDeputies,
    targets: departments,
    from: '2026-01-01',
    to: '2026-12-31',
    anonymous: false,
    panel: deputies,
  });
  await panel({
    id: dep,
    targets: departments,
    panel: deputies,
    to: '2026-11-30',
    share: 0.75,
    anonymous: false,
    seed: 20260908,
    skip: demoEvaluator ? [demoEvaluator.id] : [],
  });

  await db.transaction(async (tx) =>
    recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.evaluation',
      entityType: 'seed',
      entityId: 'evaluation',
      after: { campaigns: 9 },
    }),
  );
}
