import type { Database } from '../../db/client.js';
import { rng } from '../../engine/random.js';
import { beijingDate } from '../../engine/workdays.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { seedFieldwork } from './supervision.fieldwork.seed.js';
import { refreshLights, syncScoreInputs } from './supervision.upkeep.js';
import { seedReminderHistory } from './supervision.reminders.js';

/** Tasks of 汉江区's 2026 government work report (政府工作报告重点任务), by lead unit code. */
const WORK_REPORT: [unit: string, title: string][] = [
  ['FGW', '推进重大项目建设，全年完成固定资产投资增长 6%'],
  ['FGW', '谋划储备专项债项目 30 个以上'],
  ['TZC', '新引进亿元以上项目 40 个，实际到位外资增长 5%'],
  ['TZC', '举办楼宇经济专场招商活动 12 场'],
  ['SWJ', '社会消费品零售总额增长 7%，打造汉正街夜间消费集聚区'],
  ['SWJ', '新培育限上商贸企业 60 家'],
  ['SJJ', '新增市场主体 1.5 万户，开展食品安全放心工程'],
  ['SJJ', '完成 200 家餐饮单位“明厨亮灶”改造'],
  ['KXW', '新认定高新技术企业 80 家，建设科创孵化载体 3 个'],
  ['ZWJ', '“高效办成一件事”事项扩展到 30 项，企业开办 0.5 天办结'],
  ['ZWJ', '政务服务事项全程网办率达到 90%'],
  ['JRB', '新增上市后备企业 10 家'],
  ['WLJ', '打造江汉路步行街文旅消费新场景，接待游客增长 10%'],
  ['ZJJ', '完成老旧小区改造 45 个，加装电梯 120 部'],
  ['ZJJ', '新开工保障性租赁住房 3000 套'],
  ['GHJ', '完成城市更新单元规划 5 个'],
  ['FGJ', '推进物业服务“红色物业”全覆盖'],
  ['CGJ', '整治背街小巷 60 条，新建口袋公园 8 个'],
  ['CGJ', '生活垃圾分类示范片区覆盖率达到 80%'],
  ['CGJ', '整治占道经营和违规户外广告'],
  ['JTJ', '新增公共停车泊位 5000 个，打通断头路 6 条'],
  ['JTJ', '优化公交线网，新辟微循环公交线路 4 条'],
  ['SWUJ', '完成 12 处渍水点改造，建设海绵城市示范区'],
  ['STHJ', 'PM2.5 平均浓度下降 3%，空气优良天数比例达到 80%'],
  ['STHJ', '完成中央环保督察反馈问题整改'],
  ['JYJ', '新建改扩建中小学和幼儿园 8 所，新增学位 6000 个'],
  ['JYJ', '推进“双减”和课后服务全覆盖'],
  ['WJW', '建设社区医院 4 家，家庭医生签约率达到 45%'],
  ['WJW', '新增普惠托位 800 个'],
  ['MZJ', '新建社区养老服务综合体 6 个，开展老年助餐服务'],
  ['RSJ', '城镇新增就业 2.6 万人，帮扶困难人员就业 2000 人'],
  ['RSJ', '开展根治欠薪专项行动'],
  ['YJJ', '开展安全生产治本攻坚三年行动，完成隐患整改销号'],
  ['YBJ', '推进医保支付方式改革'],
  ['TYJ', '建设退役军人服务站标准化'],
  ['SFJ', '推进法治政府建设示范创建'],
  ['XFJ', '推进信访工作法治化，初信初访一次化解率达到 90%'],
  ['CZJ', '严控一般性支出，推进预算绩效管理全覆盖'],
  ['SJJU', '开展重大政策落实跟踪审计'],
  ['GZW', '推进区属国企改革深化提升行动'],
  ['NYJ', '建设高标准农田 2000 亩'],
  ['TJJ', '开展第五次全国经济普查数据质量核查'],
  ['JGJ', '推进公共机构节能降耗'],
  ['RXZX', '12345 热线诉求按时办结率达到 98%'],
];
const STREET_TASKS = [
  '推进社区网格化治理，做实“微网格”',
  '完成辖区老旧小区改造居民协调',
  '创建“美丽街巷”示范路段',
  '辖区安全隐患排查整治',
  '建设“15 分钟便民生活圈”',
];
const INSTRUCTIONS: [unit: string, kind: 'case' | 'indicator' | 'free', ref: string | null, title: string][] = [
  ['CGJ', 'case', 'A2026031500012', '汉正街夜市油烟扰民反复投诉，请城管局牵头彻底解决'],
  ['CGJ', 'indicator', 'C1_01', '诉求按时办结率连续亮红灯，请督查室跟踪督办'],
  ['ZJJ', 'free', null, '加装电梯进度滞后，请住建局拿出倒排工期计划'],
  ['JTJ', 'case', 'A2026050200087', '学校周边上下学拥堵，请交通局会同公安分局研究'],
  ['SWUJ', 'free', null, '汛前完成渍水点改造，确保安全度汛'],
  ['STHJ', 'indicator', 'A1_02', '环保督察整改进度偏慢，请限期销号'],
  ['RSJ', 'case', 'A2026061100033', '农民工欠薪投诉，请人社局依法督促清偿'],
  ['JYJ', 'free', null, '秋季开学前完成新建学校验收'],
  ['WJW', 'free', null, '社区医院建设要赶在年底前投入使用'],
  ['MZJ', 'case', 'A2026072000145', '老年助餐点就餐难，请民政局研究扩点'],
  ['SJJ', 'indicator', 'B2_03', '食品安全抽检合格率下滑，请查明原因'],
  ['FGW', 'free', null, '重大项目开工率偏低，请发改委逐个过堂'],
  ['TZC', 'free', null, '签约项目注册落地率不高，请投促局跟踪'],
  ['ZWJ', 'case', 'A2026081800021', '企业反映办事“来回跑”，请政务服务局核查'],
  ['CGJ', 'free', null, '垃圾分类示范片区要形成可复制经验'],
  ['FGJ', 'case', 'A2026090300066', '小区物业弃管，请房管局指导业委会选聘'],
  ['XFJ', 'free', null, '重复信访积案化解要落实包案领导'],
  ['YJJ', 'free', null, '燃气安全专项整治要全覆盖'],
  ['JTJ', 'indicator', 'A1_02', '停车泊位建设进度滞后，请专题研究'],
  ['ZJJ', 'case', 'A2026100900008', '工地夜间施工噪声扰民，请住建局严格管控'],
  ['SWJ', 'free', null, '年末消费季活动方案请报区政府'],
  ['KXW', 'free', null, '科创孵化载体招商要加快'],
  ['WLJ', 'free', null, '江汉路步行街节假日客流安全预案'],
  ['GHJ', 'free', null, '城市更新规划要征求居民意见'],
  ['CGJ', 'case', 'A2026110100019', '共享单车乱停放，请城管局约谈企业'],
  ['STHJ', 'free', null, '秋冬季大气污染防治攻坚'],
  ['RSJ', 'free', null, '高校毕业生就业见习岗位要扩容'],
  ['JYJ', 'case', 'A2026111500052', '课后服务收费不规范，请教育局核查'],
  ['MZJ', 'free', null, '冬季困难群众救助要提前准备'],
  ['WJW', 'indicator', 'B1_04', '家庭医生签约服务质量不高，请限期整改'],
];

const DEPUTY_LEADER_UNITS = ['CGJ', 'ZJJ', 'JTJ', 'SWUJ', 'STHJ'];
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const minD = (a: string, b: string) => (a < b ? a : b);

type Ev = {
  task_id: number;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: number | null;
  actor_name: string;
  unit_id: number | null;
  note: string;
  progress: number | null;
  at: string;
};

/**
 * 汉江区's 2026 supervision ledger: the government work report's tasks (and sub-tasks of the streets) entered
 * at the start of the year, 30 leader instructions in every state of 立项, a year of monthly progress reports,
 * completion reviews, in every status and light; then the lights and the 督办完成率 score inputs.
 */
export async function seedSupervision(database: Database): Promise<void> {
  const db = database.db;
  const q = database.query.bind(database);
  const today = beijingDate(new Date());
  const year = 2026;
  const units = new Map(
    (await q<{ id: number; code: string; kind: string }>('SELECT id, code, kind FROM units WHERE active')).map((u) => [
      u.code,
      u,
    ]),
  );
  const streets = [...units.values()].filter((u) => u.kind === 'street');
  const users = new Map(
    (
      await q<{ id: number; username: string; display_name: string }>('SELECT id, username, display_name FROM users')
    ).map((u) => [u.username, u]),
  );
  const main = users.get('leader');
  const deputy = users.get('leader2');
  const office = users.get('supervisor');
  if (!main || !deputy || !office || !units.size) return;
  const gen = rng(20260105);
  const rnd = () => gen.next();
  const events: Ev[] = [];
  const ev = (
    e: Omit<Ev, 'actor_id' | 'actor_name' | 'unit_id' | 'from_status' | 'to_status' | 'note' | 'progress'> &
      Partial<Ev>,
  ) =>
    events.push({
      actor_id: null,
      actor_name: '',
      unit_id: null,
      from_status: null,
      to_status: null,
      note: '',
      progress: null,
      ...e,
    } as Ev);
  const milestoneRows: { task_id: number; title: string; due_on: string; done_on: string | null }[] = [];

  /** Plays one task forward from its start to today: sign, plan, approval, monthly reports, completion, review. */
  const play = async (v: {
    title: string;
    unit: { id: number };
    leader: { id: number; display_name: string };
    source: string;
    start: string;
    deadline: string;
    instructionId: number | null;
    parentId: number | null;
    content: string;
  }) => {
    const r = rnd();
    const late = rnd() < 0.15; // a unit that reports late or lags
    const [task] = await q<{ id: number }>(
      `INSERT INTO supervision_tasks(year, source, title, content, standard, leader_id, lead_unit_id, lead_contact, parent_id, instruction_id, start_date, deadline, cadence, priority, status, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,'assigned',$15) RETURNING id`,
      [
        year,
        v.source,
        v.title,
        v.content,
        '按时间节点完成既定目标，佐证材料齐全',
        v.leader.id,
        v.unit.id,
        '办公室 027-8' + String(1000000 + Math.floor(rnd() * 8999999)),
        v.parentId,
        v.instructionId,
        v.start,
        v.deadline,
        rnd() < 0.15 ? 'weekly' : 'monthly',
        rnd() < 0.2 ? 'high' : 'normal',
        office.id,
      ],
    );
    const id = task.id;
    ev({
      task_id: id,
      kind: v.instructionId ? 'accept' : 'create',
      to_status: 'assigned',
      actor_id: office.id,
      actor_name: office.display_name,
      unit_id: v.unit.id,
      at: `${v.start}T02:00:00Z`,
    });
    const span = (Date.parse(v.deadline) - Date.parse(v.start)) / 86_400_000;
    const ms = [0.33, 0.66].map((f, i) => ({
      title: i === 0 ? '完成阶段目标' : '完成主体工作',
      due: addDays(v.start, Math.round(span * f)),
    }));
    // How far the task got: some never signed, some stuck at the plan, most running or done.
    const stage = r < 0.04 ? 0 : r < 0.08 ? 1 : r < 0.12 ? 2 : 3;
    const set: Record<string, unknown> = {};
    let status = 'assigned';
    const signOn = addDays(v.start, 2);
    if (stage >= 1 && signOn <= today) {
      status = 'signed';
      ev({
        task_id: id,
        kind: 'sign',
        from_status: 'assigned',
        to_status: 'signed',
        actor_name: '单位联络员',
        unit_id: v.unit.id,
        at: `${signOn}T03:00:00Z`,
      });
    }
    const planOn = addDays(v.start, 7);
    if (stage >= 2 && status === 'signed' && planOn <= today) {
      status = 'plan_submitted';
      set.plan =
        '一、成立工作专班，主要领导亲自抓；二、细化任务清单，明确时间节点和责任人；三、每月调度，按期报送进展。';
      ev({
        task_id: id,
        kind: 'submitPlan',
        from_status: 'signed',
        to_status: 'plan_submitted',
        actor_name: '单位联络员',
        unit_id: v.unit.id,
        note: String(set.plan),
        at: `${planOn}T03:00:00Z`,
      });
    }
    const approveOn = addDays(v.start, 10);
    let progress = 0;
    let lastReport: string | null = null;
    if (stage >= 3 && status === 'plan_submitted' && approveOn <= today) {
      if (rnd() < 0.15) {
        ev({
          task_id: id,
          kind: 'returnPlan',
          from_status: 'plan_submitted',
          to_status: 'signed',
          actor_id: v.leader.id,
          actor_name: v.leader.display_name,
          note: '措施不够具体，请细化节点',
          at: `${addDays(approveOn, -2)}T03:00:00Z`,
        });
        ev({
          task_id: id,
          kind: 'submitPlan',
          from_status: 'signed',
          to_status: 'plan_submitted',
          actor_name: '单位联络员',
          unit_id: v.unit.id,
          note: '已按领导意见细化节点和责任人',
          at: `${addDays(approveOn, -1)}T03:00:00Z`,
        });
      }
      status = 'in_progress';
      set.plan_approved_on = approveOn;
      ev({
        task_id: id,
        kind: 'approvePlan',
        from_status: 'plan_submitted',
        to_status: 'in_progress',
        actor_id: v.leader.id,
        actor_name: v.leader.display_name,
        note: '同意',
        at: `${approveOn}T06:00:00Z`,
      });
      // Monthly reports up to the deadline or today (a lagging unit stops reporting some months early).
      const stopAt = minD(late ? addDays(today, -70) : today, v.deadline);
      const speed = late ? 0.6 + rnd() * 0.2 : 0.95 + rnd() * 0.15;
      for (let d = addDays(approveOn, 25); d <= stopAt; d = addDays(d, 30)) {
        const share = Math.min(1, (Date.parse(d) - Date.parse(v.start)) / (span * 86_400_000));
        progress = Math.min(late ? 85 : 95, Math.max(progress + 3, Math.round(share * 100 * speed)));
        lastReport = d;
        ev({
          task_id: id,
          kind: 'report',
          from_status: 'in_progress',
          to_status: 'in_progress',
          actor_name: '单位联络员',
          unit_id: v.unit.id,
          progress,
          note: `本月推进情况：完成计划任务的 ${progress}%，已上报佐证材料。`,
          at: `${d}T07:00:00Z`,
        });
      }
      // Past its deadline (or nearly done): apply for completion and, mostly, get rated.
      const applyOn = late
        ? addDays(v.deadline, 8 + Math.floor(rnd() * 20))
        : addDays(v.deadline, -Math.floor(rnd() * 10));
      if (applyOn <= today && !(late && rnd() < 0.4)) {
        status = 'completion_applied';
        progress = 100;
        lastReport = applyOn;
        set.applied_on = applyOn;
        ev({
          task_id: id,
          kind: 'applyCompletion',
          from_status: 'in_progress',
          to_status: 'completion_applied',
          actor_name: '单位联络员',
          unit_id: v.unit.id,
          progress: 100,
          note: '任务已全部完成，申请办结。',
          at: `${applyOn}T07:00:00Z`,
        });
        const reviewOn = addDays(applyOn, 3 + Math.floor(rnd() * 5));
        if (reviewOn <= today) {
          if (rnd() < 0.08) {
            ev({
              task_id: id,
              kind: 'rejectCompletion',
              from_status: 'completion_applied',
              to_status: 'in_progress',
              actor_id: office.id,
              actor_name: office.display_name,
              note: '佐证材料不全，请补充后重新申请',
              at: `${reviewOn}T03:00:00Z`,
            });
            ev({
              task_id: id,
              kind: 'applyCompletion',
              from_status: 'in_progress',
              to_status: 'completion_applied',
              actor_name: '单位联络员',
              unit_id: v.unit.id,
              progress: 100,
              note: '已补充材料。',
              at: `${reviewOn}T08:00:00Z`,
            });
          }
          const completion = late ? 'overdue' : 'on_time';
          const quality = late ? (rnd() < 0.5 ? 'fair' : 'poor') : rnd() < 0.5 ? 'excellent' : 'good';
          status = 'completed';
          Object.assign(set, { completion, quality, reviewed_at: `${reviewOn}T06:00:00Z` });
          ev({
            task_id: id,
            kind: 'review',
            from_status: 'completion_applied',
            to_status: 'completed',
            actor_id: office.id,
            actor_name: office.display_name,
            note: completion === 'on_time' ? '按节点完成，成效明显' : '完成时间超过时限',
            at: `${reviewOn}T06:00:00Z`,
          });
        }
      }
    }
    for (const m of ms) {
      const done =
        status === 'completed' ||
        ((status === 'in_progress' || status === 'completion_applied') &&
          progress >= (m.title === '完成阶段目标' ? 33 : 66) &&
          m.due <= today);
      milestoneRows.push({
        task_id: id,
        title: m.title,
        due_on: m.due,
        done_on: done ? (late ? addDays(m.due, 9) : addDays(m.due, -3)) : null,
      });
    }
    await q(
      `UPDATE supervision_tasks SET status = $2, progress = $3, last_report_on = $4, plan = coalesce($5, plan), plan_approved_on = $6, applied_on = $7, completion = $8, quality = $9, reviewed_at = $10 WHERE id = $1`,
      [
        id,
        status,
        progress,
        lastReport,
        (set.plan as string) ?? null,
        set.plan_approved_on ?? null,
        set.applied_on ?? null,
        set.completion ?? null,
        set.quality ?? null,
        set.reviewed_at ?? null,
      ],
    );
    return id;
  };

  const leaderOf = (code: string) => (DEPUTY_LEADER_UNITS.includes(code) ? deputy : main);
  const deadlines = ['03-31', '05-29', '06-30', '08-31', '09-30', '10-30', '11-30', '12-18', '12-31'];
  let n = 0;
  // 年初建账: the work report's tasks, each unit's several, 150 in all with the streets' sub-tasks.
  for (let round = 0; n < 125; round++) {
    for (const [code, title] of WORK_REPORT) {
      const unit = units.get(code);
      if (!unit || n >= 125) continue;
      const t = round === 0 ? title : `${title}（第${round + 1}阶段）`;
      await play({
        title: t,
        unit,
        leader: leaderOf(code),
        source: 'work_report',
        start: '2026-01-05',
        deadline: `${year}-${deadlines[(n * 7) % deadlines.length]}`,
        instructionId: null,
        parentId: null,
        content: `2026 年区政府工作报告确定的重点任务：${title}。`,
      });
      n++;
    }
  }
  // One task split into sub-tasks per street (任务分解).
  const parentUnit = units.get('ZFB') ?? [...units.values()][0];
  const [parent] = await q<{ id: number }>(
    `INSERT INTO supervision_tasks(year, source, title, content, leader_id, lead_unit_id, start_date, deadline, status, progress, created_by, plan_approved_on, last_report_on)
     VALUES ($1, 'work_report', '推进基层治理“五个一”工程（全区）', '由各街道分别落实，区政府办公室汇总', $2, $3, '2026-01-05', '2026-12-31', 'in_progress', 70, $4, '2026-01-15', $5) RETURNING id`,
    [year, main.id, parentUnit.id, office.id, minD(today, '2026-12-01')],
  );
  for (const [i, s] of streets.slice(0, 20).entries()) {
    await play({
      title: `${STREET_TASKS[i % STREET_TASKS.length]}`,
      unit: s,
      leader: main,
      source: 'work_report',
      start: '2026-01-05',
      deadline: `${year}-${deadlines[(i * 5) % deadlines.length]}`,
      instructionId: null,
      parentId: parent.id,
      content: '全区基层治理任务分解到街道。',
    });
  }
  // 30 leader instructions: most accepted as tasks, some awaiting 立项, two declined, two merged.
  for (const [i, [code, kind, ref, title]] of INSTRUCTIONS.entries()) {
    const unit = units.get(code);
    if (!unit) continue;
    const leader = leaderOf(code);
    const month = 2 + Math.floor((i / INSTRUCTIONS.length) * 10);
    const at = `${year}-${String(month).padStart(2, '0')}-${String(3 + (i % 20)).padStart(2, '0')}`;
    const on = at <= today ? at : addDays(today, -3);
    const [ins] = await q<{ id: number }>(
      'INSERT INTO supervision_instructions(author_id, target_kind, target_ref, unit_id, content, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
      [leader.id, kind, ref, unit.id, `${title}。请督查室立项督办，按周报送进展。`, `${on}T01:00:00Z`],
    );
    const source = kind === 'indicator' ? 'lagging_indicator' : 'instruction';
    const fate = i >= 22 ? (i < 26 ? 'proposed' : i < 28 ? 'declined' : 'merged') : 'accepted';
    if (fate === 'accepted') {
      await play({
        title,
        unit,
        leader,
        source,
        start: on,
        deadline: minD(addDays(on, 40 + (i % 5) * 20), `${year}-12-31`),
        instructionId: ins.id,
        parentId: null,
        content: `${leader.display_name}批示：${title}。`,
      });
      continue;
    }
    const [task] = await q<{ id: number }>(
      `INSERT INTO supervision_tasks(year, source, title, content, leader_id, instruction_id, start_date, deadline, status, merged_into_id, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$5) RETURNING id`,
      [
        year,
        source,
        title,
        `${leader.display_name}批示：${title}。`,
        leader.id,
        ins.id,
        on,
        minD(addDays(on, 30), `${year}-12-31`),
        fate,
        fate === 'merged' ? parent.id : null,
      ],
    );
    ev({
      task_id: task.id,
      kind: 'instruct',
      to_status: 'proposed',
      actor_id: leader.id,
      actor_name: leader.display_name,
      note: `${title}。`,
      at: `${on}T01:00:00Z`,
    });
    if (fate !== 'proposed') {
      ev({
        task_id: task.id,
        kind: fate === 'declined' ? 'decline' : 'merge',
        from_status: 'proposed',
        to_status: fate,
        actor_id: office.id,
        actor_name: office.display_name,
        note: fate === 'declined' ? '已由信访渠道依法处理，不再重复立项' : '与已立项事项内容重复，合并办理',
        at: `${on}T06:00:00Z`,
      });
    }
  }
  await q(
    `INSERT INTO supervision_events(task_id, kind, from_status, to_status, actor_id, actor_name, unit_id, note, progress, at)
     SELECT task_id, kind, from_status, to_status, actor_id, actor_name, unit_id, note, progress, at FROM json_populate_recordset(null::supervision_events, $1)`,
    [JSON.stringify(events)],
  );
  await q(
    `INSERT INTO supervision_milestones(task_id, title, due_on, done_on) SELECT task_id, title, due_on, done_on FROM json_populate_recordset(null::supervision_milestones, $1)`,
    [JSON.stringify(milestoneRows)],
  );
  const cal = await loadCalendar(db);
  await db.transaction(async (tx) => {
    const lights = await refreshLights(tx, today, cal);
    // A few days of 催办 on the red tasks, so the units' inboxes and the leaders show reminders.
    const reminders = await seedReminderHistory(tx, today);
    const inputs = await syncScoreInputs(tx, { year, on: today });
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.supervision',
      entityType: 'seed',
      entityId: 'supervision',
      after: {
        ledgerTasks: n + 21 + INSTRUCTIONS.length,
        events: events.length,
        lights: lights.tasks,
        red: lights.red,
        reminders,
        inputs: inputs.inputs,
      },
    });
  });
  // Field checks and reconciliation rounds on the ledger just built.
  await seedFieldwork(database);
}
