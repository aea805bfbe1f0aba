/**
 * Demo seed of the proposals (议案提案) and the issued documents: deputies' and members' reviewer profiles
 * for the evaluation seed's deputy accounts, 40 proposals of 2026 in every state (some rated 不满意 and
 * handled again), their figures in the supervision score inputs, and a few issued 专报/通报.
 */
import type { Database } from '../../db/client.js';
import { rng } from '../../engine/random.js';
import { addWorkingDays, beijingDate } from '../../engine/workdays.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { issueWith } from './supervision.docs.js';
import { syncScoreInputs } from './supervision.upkeep.js';

/** 2026 议案 (NPC) and 提案 (CPPCC), by lead unit code. */
const PROPOSALS: [kind: 'npc_motion' | 'cppcc_proposal', unit: string, title: string][] = [
  ['npc_motion', 'MZJ', '关于加快社区嵌入式养老服务设施建设的议案'],
  ['npc_motion', 'JYJ', '关于缓解城区中小学学位紧张的议案'],
  ['npc_motion', 'WJW', '关于推进社区医院标准化建设的议案'],
  ['npc_motion', 'ZJJ', '关于加快老旧小区加装电梯的议案'],
  ['npc_motion', 'CGJ', '关于整治背街小巷环境卫生的议案'],
  ['npc_motion', 'JTJ', '关于缓解学校医院周边停车难的议案'],
  ['npc_motion', 'STHJ', '关于加强餐饮油烟污染治理的议案'],
  ['npc_motion', 'RSJ', '关于加强灵活就业人员权益保障的议案'],
  ['npc_motion', 'SWUJ', '关于彻底解决汛期渍水点问题的议案'],
  ['npc_motion', 'SJJ', '关于加强校园周边食品安全监管的议案'],
  ['npc_motion', 'ZWJ', '关于推进“高效办成一件事”向街道延伸的议案'],
  ['npc_motion', 'WLJ', '关于提升历史文化街区保护利用水平的议案'],
  ['npc_motion', 'GHJ', '关于统筹推进城市更新片区规划的议案'],
  ['npc_motion', 'FGJ', '关于规范物业服务收费的议案'],
  ['npc_motion', 'YJJ', '关于加强高层建筑消防安全管理的议案'],
  ['npc_motion', 'JYJ', '关于规范校外培训机构管理的议案'],
  ['npc_motion', 'MZJ', '关于完善老年助餐服务网络的议案'],
  ['npc_motion', 'CGJ', '关于推进生活垃圾分类常态化的议案'],
  ['cppcc_proposal', 'TZC', '关于优化楼宇经济招商服务的提案'],
  ['cppcc_proposal', 'SWJ', '关于打造夜间消费集聚区的提案'],
  ['cppcc_proposal', 'KXW', '关于支持科技型中小企业融资的提案'],
  ['cppcc_proposal', 'FGW', '关于加快重大项目前期工作的提案'],
  ['cppcc_proposal', 'JRB', '关于扶持上市后备企业的提案'],
  ['cppcc_proposal', 'WJW', '关于增加普惠托育服务供给的提案'],
  ['cppcc_proposal', 'JTJ', '关于优化微循环公交线路的提案'],
  ['cppcc_proposal', 'ZJJ', '关于加大保障性租赁住房供给的提案'],
  ['cppcc_proposal', 'RSJ', '关于根治农民工欠薪问题的提案'],
  ['cppcc_proposal', 'STHJ', '关于建设口袋公园和绿道的提案'],
  ['cppcc_proposal', 'WLJ', '关于擦亮江汉路文旅品牌的提案'],
  ['cppcc_proposal', 'SJJ', '关于推进“明厨亮灶”全覆盖的提案'],
  ['cppcc_proposal', 'ZWJ', '关于提升政务服务网办深度的提案'],
  ['cppcc_proposal', 'TYJ', '关于完善退役军人服务保障体系的提案'],
  ['cppcc_proposal', 'SFJ', '关于加强社区法律顾问作用的提案'],
  ['cppcc_proposal', 'XFJ', '关于推进信访矛盾源头化解的提案'],
  ['cppcc_proposal', 'YBJ', '关于扩大门诊慢特病保障范围的提案'],
  ['cppcc_proposal', 'GZW', '关于盘活区属国企闲置资产的提案'],
  ['cppcc_proposal', 'CZJ', '关于加强财政资金绩效管理的提案'],
  ['cppcc_proposal', 'KXW', '关于建设科创孵化载体的提案'],
  ['cppcc_proposal', 'SWJ', '关于培育限上商贸企业的提案'],
  ['cppcc_proposal', 'MZJ', '关于加强困境儿童关爱保护的提案'],
];

const STAGES = ['signed', 'registered', 'started', 'producing'] as const;
/** 招商引资 projects: responsible unit code, name, investor, industry, contract amount (万元). */
const INVESTMENTS: [string, string, string, string, number][] = [
  ['TZC', '华中智能制造产业园', '华中智造集团', '先进制造', 120000],
  ['TZC', '汉江数字经济总部基地', '云帆科技股份', '数字经济', 80000],
  ['SWJ', '汉正街国际商贸中心', '远洋商业管理', '商贸', 60000],
  ['KXW', '生物医药中试平台', '楚天生物医药', '生物医药', 45000],
  ['FGW', '城市更新片区综合开发', '中建城发', '城市更新', 300000],
  ['WLJ', '江汉路文旅消费综合体', '长江文旅集团', '文旅', 50000],
  ['TZC', '新能源汽车零部件基地', '东风零部件', '汽车', 150000],
  ['JRB', '区域金融服务中心', '汉口银行', '金融', 30000],
  ['SWJ', '冷链物流配送中心', '九州通物流', '物流', 40000],
  ['KXW', '人工智能创新中心', '星辰智能', '人工智能', 70000],
  ['ZJJ', '装配式建筑产业基地', '华建科技', '建筑', 55000],
  ['WJW', '国际医学康复中心', '泰康健康', '健康', 90000],
];

const REPLIES = [
  '经认真研究，已将该事项纳入本年度重点工作，制定了专项实施方案，明确了责任科室和完成时限，目前已完成阶段性目标。',
  '我单位高度重视，主要负责同志专题研究，会同相关部门实地调研，已落实资金和项目，预计年内完成。',
  '该建议已部分采纳：近期可解决的事项已办结，涉及规划调整的事项已列入下一年度计划，并将持续向代表通报进展。',
];

/** Which state each proposal ends in (index → plan), so every state shows. */
type Plan = 'open' | 'open_late' | 'replied' | 'satisfied' | 'basically' | 'redo_open' | 'redo_replied' | 'redo_closed';
const PLANS: Plan[] = [
  'satisfied',
  'basically',
  'satisfied',
  'redo_closed',
  'replied',
  'open',
  'satisfied',
  'open_late',
  'basically',
  'redo_open',
  'satisfied',
  'replied',
  'satisfied',
  'basically',
  'redo_replied',
  'open',
  'satisfied',
  'satisfied',
  'basically',
  'satisfied',
  'replied',
  'open_late',
  'redo_closed',
  'satisfied',
  'basically',
  'satisfied',
  'redo_open',
  'open',
  'satisfied',
  'replied',
  'satisfied',
  'basically',
  'satisfied',
  'open_late',
  'satisfied',
  'redo_replied',
  'basically',
  'satisfied',
  'replied',
  'satisfied',
];

export async function seedProposals(database: Database): Promise<void> {
  const db = database.db;
  const q = database.query.bind(database);
  const today = beijingDate(new Date());
  const year = 2026;
  const units = new Map(
    (await q<{ id: number; code: string }>('SELECT id, code FROM units WHERE active')).map((u) => [
      u.code,
      Number(u.id),
    ]),
  );
  // The evaluation seed's deputies and members: a profile for each one without (the 10 special supervisors aside).
  await q(
    `INSERT INTO reviewer_profiles (user_id, kind, title)
     SELECT u.id, CASE WHEN u.display_name LIKE '%政协%' THEN 'cppcc_member' ELSE 'npc_deputy' END,
            CASE WHEN u.display_name LIKE '%政协%' THEN '区政协委员' ELSE '区人大代表' END
       FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'evaluator'
      WHERE u.username ~ '^deputy(0[1-9]|[12][0-9]|30)$'
     ON CONFLICT (user_id) DO NOTHING`,
  );
  const profiles = await q<{ user_id: number; kind: string }>(
    `SELECT p.user_id, p.kind FROM reviewer_profiles p JOIN users u ON u.id = p.user_id
      WHERE p.kind IN ('npc_deputy', 'cppcc_member') AND u.active ORDER BY u.username`,
  );
  const npc = profiles.filter((p) => p.kind === 'npc_deputy').map((p) => Number(p.user_id));
  const cppcc = profiles.filter((p) => p.kind === 'cppcc_member').map((p) => Number(p.user_id));
  const [office] = await q<{ id: number; display_name: string }>(
    `SELECT id, display_name FROM users WHERE username = 'supervisor'`,
  );
  if (!npc.length || !cppcc.length || !office || today < `${year}-03-01`) return;
  const cal = await loadCalendar(db);
  const gen = rng(20260310);
  const rnd = () => gen.next();
  // Working days forward; backwards (addWorkingDays only counts forward) as calendar days, 7 per 5 working days.
  const day = (from: string, wd: number) =>
    wd >= 0
      ? addWorkingDays(cal, from, wd)
      : new Date(Date.parse(`${from}T00:00:00Z`) + Math.round((wd * 7) / 5) * 86_400_000).toISOString().slice(0, 10);
  const cap = (d: string) => (d > today ? today : d);
  const unitName = new Map(
    (await q<{ id: number; name: string }>('SELECT id, name FROM units')).map((u) => [Number(u.id), u.name]),
  );
  const counters = { npc_motion: 0, cppcc_proposal: 0 };
  let made = 0;
  for (const [i, [kind, code, title]] of PROPOSALS.entries()) {
    const lead = units.get(code);
    if (!lead) continue;
    const co = [...units.entries()].filter(([c]) => c !== code && ['FGW', 'CZJ', 'GHJ', 'ZJJ'].includes(c))[i % 4]?.[1];
    const deputies = kind === 'npc_motion' ? npc : cppcc;
    const deputyId = deputies[i % deputies.length];
    const number = `第${String(++counters[kind]).padStart(3, '0')}号`;
    const plan = PLANS[i % PLANS.length];
    const assigned = `${year}-03-${String(10 + (i % 15)).padStart(2, '0')}`;
    // Ordinary deadline: three months from assignment; the open and late ones fall due recently.
    let deadline =
      plan === 'open'
        ? day(today, 10 + (i % 20))
        : plan === 'open_late'
          ? day(today, -5 - (i % 10))
          : day(assigned, 60);
    const content = `${title.replace(/^关于|的(议案|提案)$/g, '')}，群众反映强烈，建议区政府统筹资源、明确责任单位、制定时间表，切实加以解决。`;
    const [p] = await q<{ id: number }>(
      `INSERT INTO supervision_proposals (year, kind, number, title, content, deputy_id, lead_unit_id, deadline, status, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'assigned', $9, $10) RETURNING id`,
      [year, kind, number, title, content, deputyId, lead, deadline, office.id, `${assigned}T09:00:00+08:00`],
    );
    const id = Number(p.id);
    if (co && i % 3 === 0)
      await q(`INSERT INTO supervision_proposal_co_units (proposal_id, unit_id) VALUES ($1, $2)`, [id, co]);
    let round = 1;
    let status: 'assigned' | 'replied' | 'closed' = 'assigned';
    let satisfaction: string | null = null;
    const reply = (r: number) => `${unitName.get(lead) ?? ''}答复（第${r}轮）：${REPLIES[(i + r) % REPLIES.length]}`;
    const addRound = async (v: {
      deadline: string;
      repliedOn?: string;
      rating?: string;
      ratedOn?: string;
      note?: string;
    }) => {
      await q(
        `INSERT INTO supervision_proposal_rounds (proposal_id, round, deadline, unit_id, reply, replied_by_name, replied_on, satisfaction, rating_note, rated_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          id,
          round,
          v.deadline,
          lead,
          v.repliedOn ? reply(round) : null,
          v.repliedOn ? `${unitName.get(lead) ?? ''}办公室` : null,
          v.repliedOn ?? null,
          v.rating ?? null,
          v.note ?? '',
          v.ratedOn ?? null,
        ],
      );
    };
    if (plan === 'open' || plan === 'open_late') await addRound({ deadline });
    else {
      // Most reply on time; one in five a few days late.
      const late = rnd() < 0.2;
      const repliedOn = cap(day(deadline, late ? 3 + Math.floor(rnd() * 8) : -(5 + Math.floor(rnd() * 20))));
      if (plan === 'replied') {
        await addRound({ deadline, repliedOn });
        status = 'replied';
      } else if (plan === 'satisfied' || plan === 'basically') {
        await addRound({ deadline, repliedOn, rating: plan, ratedOn: cap(day(repliedOn, 8)) });
        status = 'closed';
        satisfaction = plan;
      } else {
        const ratedOn = cap(day(repliedOn, 6));
        await addRound({
          deadline,
          repliedOn,
          rating: 'unsatisfied',
          ratedOn,
          note: '答复内容较原则，缺少具体措施和完成时限，请重新办理。',
        });
        round = 2;
        satisfaction = 'unsatisfied';
        deadline = plan === 'redo_open' ? day(today, 5 + (i % 10)) : day(ratedOn, 20);
        if (plan === 'redo_open') await addRound({ deadline });
        else {
          const again = cap(day(deadline, -(3 + Math.floor(rnd() * 8))));
          if (plan === 'redo_replied') {
            await addRound({ deadline, repliedOn: again });
            status = 'replied';
          } else {
            await addRound({ deadline, repliedOn: again, rating: 'basically', ratedOn: cap(day(again, 5)) });
            status = 'closed';
            satisfaction = 'basically';
          }
        }
      }
    }
    await q(
      `UPDATE supervision_proposals SET status = $2, round = $3, satisfaction = $4, deadline = $5 WHERE id = $1`,
      [id, status, round, satisfaction, deadline],
    );
    made++;
  }

  // A few issued documents: 专报 of the work report's red and of all its tasks, 通报 of red and overdue tasks.
  const ids = async (where: string) =>
    (
      await q<{ id: number }>(
        `SELECT id FROM supervision_tasks WHERE year = ${year} AND lead_unit_id IS NOT NULL AND status NOT IN ('proposed','declined','merged') AND ${where} ORDER BY id LIMIT 120`,
      )
    ).map((r) => Number(r.id));
  const issuer = { id: Number(office.id), name: office.display_name };
  const docs: { kind: 'report' | 'bulletin'; title: string; where: string }[] = [
    { kind: 'report', title: `关于${year}年政府工作报告重点任务推进情况的专报`, where: `source = 'work_report'` },
    { kind: 'report', title: '关于红灯督办事项的专报', where: `light = 'red'` },
    {
      kind: 'bulletin',
      title: '关于部分单位督办事项节点逾期情况的通报',
      where: `light = 'red' AND source = 'work_report'`,
    },
    {
      kind: 'bulletin',
      title: '关于领导批示事项办理情况的通报',
      where: `source IN ('instruction','lagging_indicator')`,
    },
  ];
  let issued = 0;
  for (const d of docs) {
    const list = await ids(d.where);
    if (!list.length) continue;
    await issueWith(db, SYSTEM_ACTOR, issuer, list, { kind: d.kind, title: d.title }, today);
    issued++;
  }
  // 12 investment projects of 2026 at every stage, some behind their plan.
  const leaders = (
    await q<{ id: number }>(
      `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'district_leader' ORDER BY u.id`,
    )
  ).map((r) => Number(r.id));
  let projects = 0;
  for (const [i, [code, name, investor, industry, amount]] of INVESTMENTS.entries()) {
    const unit = units.get(code);
    if (!unit) continue;
    const signed = `${year}-${String(1 + (i % 9)).padStart(2, '0')}-15`;
    const planned = [signed, day(signed, 25), day(signed, 90), day(signed, 260)];
    // How far it got: i % 5 stages (0 = not signed yet, 4 = producing), each done a little early or late.
    const reached = Math.min(4, i % 5);
    const [p] = await q<{ id: number }>(
      `INSERT INTO supervision_investments (year, name, investor, industry, contract_amount, paid_in_amount, unit_id, leader_id, stage, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        year,
        name,
        investor,
        industry,
        amount,
        Math.round(amount * [0, 0.1, 0.3, 0.6, 0.9][reached]),
        unit,
        leaders.length ? leaders[i % leaders.length] : null,
        reached ? STAGES[reached - 1] : null,
        office.id,
      ],
    );
    for (const [k, stage] of STAGES.entries()) {
      const done = k < reached ? cap(day(planned[k], k % 2 ? 5 : 0)) : null;
      await q(
        `INSERT INTO supervision_investment_stages (project_id, stage, planned_on, done_on, note) VALUES ($1, $2, $3, $4, $5)`,
        [
          Number(p.id),
          stage,
          planned[k],
          done,
          done ? `${['签订投资协议', '完成工商注册', '举行开工仪式', '首条产线投产'][k]}` : '',
        ],
      );
    }
    projects++;
  }

  await db.transaction(async (tx) => {
    const inputs = await syncScoreInputs(tx, { year, on: today });
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.supervision.proposals',
      entityType: 'seed',
      entityId: 'supervision.proposals',
      after: { proposals: made, documents: issued, investments: projects, inputs: inputs.inputs },
    });
  });
}
