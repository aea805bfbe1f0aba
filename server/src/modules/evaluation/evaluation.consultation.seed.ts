/**
 * The demo's 协商中心 (Haicang's 社会事务协商中心: "重大决策出台前的听证会、问卷调查、座谈会等公众参与和民主
 * 协商平台"): two consultations answered by residents through the open QR link.
 * - 老旧小区加装电梯补贴方案征求意见 (区住房和城乡建设局, March 2026): closed by the real closing code, with
 *   the office's summary (figures taken from the answers) and published — on the public page.
 * - 中心城区路内停车收费调整听证 (区发展和改革委员会): open, answers coming in; not public.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { insertMany } from '../../db/bulk.js';
import { rng, type Rng } from '../../engine/random.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { DEFAULT_QUALITY, levelScore } from './evaluation.logic.js';
import { closeCampaign } from './evaluation.service.js';
import {
  evaluationCampaigns,
  evaluationConsultations,
  evaluationInvitations,
  evaluationQuestionnaires,
  evaluationResponses,
  evaluationScores,
  type Question,
} from './evaluation.table.js';
import { tallyAnswers } from './evaluation.tally.js';

const ELEVATOR: Question[] = [
  {
    key: 'role',
    type: 'single',
    title: '您的身份',
    required: true,
    options: ['拟加装电梯楼栋的三层及以上住户', '拟加装电梯楼栋的一、二层住户', '其他小区居民', '物业、企业或其他'],
  },
  {
    key: 'support',
    type: 'single',
    title: '您对补贴方案的总体态度',
    required: true,
    options: ['支持', '基本支持，建议修改', '不支持'],
  },
  {
    key: 'standard',
    type: 'single',
    title: '每台电梯补贴 20 万元的标准',
    required: true,
    options: ['偏低', '适中', '偏高'],
  },
  {
    key: 'concerns',
    type: 'multi',
    title: '您最关心的问题',
    required: false,
    options: ['低层住户的补偿', '施工期间的出行和安全', '后期维保费用分摊', '审批手续和时限', '采光、噪音影响'],
  },
  { key: 'work', type: 'satisfaction5', title: '您对本次征求意见工作的满意度', required: true },
  { key: 'memo', type: 'text', title: '其他意见和建议', required: false },
];

const PARKING: Question[] = [
  {
    key: 'role',
    type: 'single',
    title: '您的身份',
    required: true,
    options: ['中心城区居民', '驾车通勤人员', '沿街商户', '其他'],
  },
  {
    key: 'plan',
    type: 'single',
    title: '路内停车首小时由 3 元调整为 5 元、此后每小时 2 元的方案',
    required: true,
    options: ['同意', '基本同意', '不同意'],
  },
  {
    key: 'night',
    type: 'single',
    title: '夜间 20:00 至次日 8:00 免费停放',
    required: true,
    options: ['同意', '建议提前至 19:00 起免费', '不需要夜间免费'],
  },
  { key: 'hard', type: 'scale10', title: '您觉得中心城区停车难的程度（0 不难 — 10 非常难）', required: true },
  { key: 'memo', type: 'text', title: '其他意见和建议', required: false },
];

const MEMOS = [
  '希望补贴尽快到位，老人上下楼太难了',
  '一楼住户的采光要考虑进去',
  '维保费用要提前说清楚怎么分',
  '施工期间请注意安全，做好围挡',
  '审批能不能再简化一些',
  '',
  '',
  '',
];

/** Picks an index by weights. */
const weighted = (g: Rng, w: number[]) => {
  let x = g.next() * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < w.length; i++) if ((x -= w[i]) < 0) return i;
  return w.length - 1;
};

type Answers = Record<string, unknown>;

function elevatorAnswer(g: Rng): Answers {
  const role = weighted(g, [55, 18, 20, 7]);
  const low = role === 1;
  const a: Answers = {
    role,
    support: low ? weighted(g, [25, 40, 35]) : weighted(g, [68, 26, 6]),
    standard: weighted(g, [46, 47, 7]),
    concerns: [0, 1, 2, 3, 4].filter((i) => g.chance([0.42, 0.35, 0.58, 0.3, low ? 0.7 : 0.15][i])),
    work: weighted(g, [38, 40, 15, 5, 2]),
  };
  const memo = g.pick(MEMOS);
  if (memo) a.memo = memo;
  return a;
}

function parkingAnswer(g: Rng): Answers {
  const role = weighted(g, [40, 35, 15, 10]);
  return {
    role,
    plan: role === 1 ? weighted(g, [15, 35, 50]) : weighted(g, [35, 40, 25]),
    night: weighted(g, [55, 38, 7]),
    hard: Math.min(10, Math.max(0, Math.round(7 + (g.next() - 0.5) * 5))),
  };
}

const day = (from: string, spanDays: number, g: Rng) => {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + Math.floor(g.next() * spanDays));
  return d.toISOString().slice(0, 10);
};

export async function seedConsultations(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const db = database.db;
  const units = await q<{ id: number; code: string }>(`SELECT id, code FROM units WHERE code IN ('ZJJ', 'FGW')`);
  const zjj = units.find((u) => u.code === 'ZJJ')?.id;
  const fgw = units.find((u) => u.code === 'FGW')?.id;
  if (!zjj || !fgw) return;
  const [office] = await q<{ id: number }>(`SELECT id FROM users WHERE username = 'office'`);
  const by = office?.id ?? null;
  const g = rng(20260301);

  async function consultation(c: {
    title: string;
    questionnaire: string;
    intro: string;
    questions: Question[];
    unitId: number;
    from: string;
    to: string;
    n: number;
    answer: (g: Rng) => Answers;
    background: string;
    openedAt: string;
  }) {
    const [qn] = await insertMany(
      db,
      evaluationQuestionnaires,
      [{ title: c.questionnaire, intro: c.intro, questions: c.questions, createdBy: by }],
      ['id'],
    );
    await q(`UPDATE evaluation_questionnaires SET family_id = id WHERE id = $1`, [qn.id]);
    const [camp] = await insertMany(
      db,
      evaluationCampaigns,
      [
        {
          year: 2026,
          kind: 'consultation' as const,
          title: c.title,
          status: 'open' as const,
          questionnaireId: qn.id,
          targetUnitIds: [c.unitId],
          periodFrom: c.from,
          periodTo: c.to,
          anonymous: true,
          mapping: { schemeId: null, indicatorIds: [], mode: 'mean', levelWeights: [1, 1, 1, 0, 0], formula: null },
          quality: DEFAULT_QUALITY,
          salt: randomBytes(24).toString('base64url'),
          createdBy: by,
          openedAt: new Date(c.openedAt),
        },
      ],
      ['id'],
    );
    await insertMany(db, evaluationConsultations, [{ campaignId: camp.id, background: c.background }]);
    // Each answer came through a scan of the open QR code: a fresh invitation that keeps nothing personal.
    const answers = Array.from({ length: c.n }, () => ({ on: day(c.from, 25, g), a: c.answer(g) }));
    const invs = await insertMany(
      db,
      evaluationInvitations,
      answers.map((x) => ({
        campaignId: camp.id,
        channel: 'qr' as const,
        unitId: c.unitId,
        sentAt: new Date(`${x.on}T01:00:00Z`),
        respondedOn: x.on,
      })),
      ['id'],
    );
    const responses = await insertMany(
      db,
      evaluationResponses,
      answers.map((x, i) => ({
        campaignId: camp.id,
        unitId: c.unitId,
        answers: x.a,
        submittedOn: x.on,
        durationS: 60 + Math.floor(g.next() * 300),
        ipHash: createHash('sha256').update(`${camp.id}|${invs[i].id}`).digest('hex').slice(0, 32),
        flags: [],
      })),
      ['id'],
    );
    const scored = c.questions.filter((x) => x.type === 'satisfaction5' || x.type === 'scale10');
    await insertMany(
      db,
      evaluationScores,
      answers.flatMap((x, i) =>
        scored.map((s) => {
          const v = x.a[s.key] as number;
          return {
            responseId: responses[i].id,
            campaignId: camp.id,
            unitId: c.unitId,
            questionKey: s.key,
            score: s.type === 'satisfaction5' ? levelScore(v) : v * 10,
            level: s.type === 'satisfaction5' ? v : null,
          };
        }),
      ),
    );
    return { id: camp.id, questions: c.questions, answers: answers.map((x) => x.a) };
  }

  const elevator = await consultation({
    title: '老旧小区加装电梯补贴方案征求意见',
    questionnaire: '老旧小区加装电梯补贴方案征求意见表',
    intro: '请您阅读方案要点后填写，约 3 分钟。问卷匿名，您的意见将作为完善方案的参考，汇总与采纳情况将向社会公开。',
    questions: ELEVATOR,
    unitId: zjj,
    from: '2026-03-01',
    to: '2026-03-31',
    n: 286,
    answer: elevatorAnswer,
    openedAt: '2026-03-01T01:00:00Z',
    background:
      '全区 2000 年以前建成的无电梯多层住宅约 1,100 栋，60 岁以上居民占比超过三成，上下楼难是群众反映集中的问题。' +
      '区住房和城乡建设局会同财政局起草了《老旧小区既有住宅加装电梯财政补贴实施方案（征求意见稿）》：' +
      '符合条件的加装项目每台补贴 20 万元，由业主自愿申请、街道初审、住建局复核，竣工验收后拨付。' +
      '方案出台前，区社会事务协商中心通过问卷调查、社区座谈会和听证会广泛听取意见。',
  });
  await closeCampaign(db, SYSTEM_ACTOR, elevator.id);
  const tallies = tallyAnswers(elevator.questions, elevator.answers);
  const n = elevator.answers.length;
  const pct = (k: string, i: number) => {
    const t = tallies.find((x) => x.key === k)!;
    return Math.round((100 * t.counts[i]) / (t.answered || 1));
  };
  const supportPct = pct('support', 0) + pct('support', 1);
  await q(
    `UPDATE evaluation_consultations SET heard = $2, adopted = $3, not_adopted = $4, summary_by = $5,
            summary_at = '2026-04-15T02:00:00Z', participants = $6, tallies = $7 WHERE campaign_id = $1`,
    [
      elevator.id,
      `征求意见期间（3 月 1 日至 31 日）共收回有效问卷 ${n} 份，另在 6 个社区召开座谈会 2 场、听证会 1 场。` +
        `支持和基本支持方案的占 ${supportPct}%；认为补贴标准偏低的占 ${pct('standard', 0)}%。` +
        `意见主要集中在：后期维保费用分摊（${pct('concerns', 2)}% 的参与者关心）、低层住户的补偿（${pct('concerns', 0)}%）、` +
        `施工期间的出行和安全（${pct('concerns', 1)}%）。一、二层住户的支持率明显低于高层住户。`,
      '1. 补贴标准由每台 20 万元提高到 25 万元，7 层及以上楼栋每台再增加 3 万元。\n' +
        '2. 明确低层住户的补偿由楼栋业主协商确定，协商不成的由社区、街道调解中心组织调解。\n' +
        '3. 加装审批实行联合审查、并联办理，办理时限由 45 个工作日压缩到 20 个工作日。\n' +
        '4. 竣工后前 3 年的维保费用由财政补助 50%。',
      '1. “维保费用全部由政府承担”：电梯维保属于业主共同管理事项，财政长期全额负担不可持续，未采纳（改为前 3 年补助 50%）。\n' +
        '2. “未加装电梯的小区给予同等现金补贴”：补贴资金限定用于加装电梯，未采纳。',
      by,
      n,
      JSON.stringify(tallies),
    ],
  );
  await q(
    `UPDATE evaluation_campaigns SET closed_at = '2026-04-02T02:00:00Z', status = 'published', published_at = '2026-04-20T02:00:00Z' WHERE id = $1`,
    [elevator.id],
  );

  const parking = await consultation({
    title: '中心城区路内停车收费调整听证',
    questionnaire: '路内停车收费调整意见征询表',
    intro: '听证会前，欢迎市民、商户通过扫码发表意见。问卷匿名，约 2 分钟。',
    questions: PARKING,
    unitId: fgw,
    from: '2026-11-25',
    to: '2026-12-25',
    n: 137,
    answer: parkingAnswer,
    openedAt: '2026-11-25T01:00:00Z',
    background:
      '中心城区路内泊位周转率低，“停车难、停车乱”反映较多。区发展和改革委员会拟调整路内停车收费：' +
      '首小时由 3 元调整为 5 元，此后每小时 2 元；夜间 20:00 至次日 8:00 免费。' +
      '依照价格听证规定，听证会定于 12 月 28 日举行，会前公开征求意见。',
  });
  // Still open: the answers so far are counted live; nothing is public yet.
  await db.transaction(async (tx) =>
    recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.evaluation_consult',
      entityType: 'seed',
      entityId: 'evaluation-consult',
      after: { published: elevator.id, open: parking.id, responses: n + parking.answers.length },
    }),
  );
}
