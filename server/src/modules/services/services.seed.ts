/**
 * Demo government services: ~150 catalogue items of ~40 departments (10 parallel ones such as 企业开办 and
 * 建设工程施工许可), ~30,000 applications of 2026 played through the state machine day by day (so every
 * date, pause and light follows the same rules as the live flow) and written in bulk, with 补正, refusals
 * with reasons, warnings, complaints, a few legacy anomalies, the window clerk's account, an `approvals`
 * leaf in the 2026 tree and its score inputs.
 */
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { rng, type Rng } from '../../engine/random.js';
import { addWorkingDays, beijingDate, isWorkingDay, type CalendarData } from '../../engine/workdays.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { hashPassword } from '../../lib/passwords.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { passwordPepper } from '../cases/index.js';
import { syncApprovalsScoreInputs } from './services.figures.js';
import * as m from './services.machine.js';
import { rebuildStats } from './services.repo.js';
import type { ItemKind, ItemStep } from './services.table.js';

export const DEMO_CLERK = { username: 'window', name: '黄窗口（政务服务中心综合窗口）', unit: 'ZWJ' };
/** The demo applicant's application (tracking in the README): number and password fixed. */
export const DEMO_TRACK = { password: '260601' };

type Spec = { name: string; kind: ItemKind; dept: string; review: string[]; days: number; instant?: boolean };

/** Parallel items (并联审批): several departments review at once. */
const PARALLEL: Spec[] = [
  {
    name: '企业开办（营业执照、公章刻制、税务登记、社保登记）',
    kind: 'license',
    dept: 'SJJ',
    review: ['SJJ', 'GAJ', 'SWJJ', 'RSJ'],
    days: 1,
  },
  { name: '建设工程施工许可', kind: 'license', dept: 'ZJJ', review: ['ZJJ', 'GHJ', 'XFJY', 'STHJ'], days: 5 },
  {
    name: '餐饮店开办（食品经营许可、门头招牌）',
    kind: 'license',
    dept: 'SJJ',
    review: ['SJJ', 'CGJ'],
    days: 4,
  },
  { name: '医疗机构设置审批', kind: 'license', dept: 'WJW', review: ['WJW', 'GHJ', 'XFJY'], days: 8 },
  { name: '娱乐场所经营许可', kind: 'license', dept: 'WLJ', review: ['WLJ', 'GAJ', 'XFJY'], days: 6 },
  { name: '民办学校设立审批', kind: 'license', dept: 'JYJ', review: ['JYJ', 'MZJ', 'XFJY'], days: 10 },
  { name: '道路货物运输经营许可', kind: 'license', dept: 'JTJ', review: ['JTJ', 'GAJ'], days: 5 },
  { name: '户外广告设施设置许可', kind: 'license', dept: 'CGJ', review: ['CGJ', 'GHJ', 'JTJ'], days: 4 },
  { name: '建设项目环境影响评价与用地预审', kind: 'license', dept: 'STHJ', review: ['STHJ', 'GHJ'], days: 12 },
  {
    name: '养老机构开办（备案、消防、食品）',
    kind: 'public_service',
    dept: 'MZJ',
    review: ['MZJ', 'XFJY', 'SJJ'],
    days: 6,
  },
];

/** Serial items per department: [name, kind, review days (0 = 即办件)]. */
const SERIAL: Record<string, [string, ItemKind, number][]> = {
  FGW: [
    ['企业投资项目备案', 'confirmation', 2],
    ['固定资产投资项目节能审查', 'license', 8],
    ['政府投资项目可行性研究报告审批', 'license', 10],
  ],
  KXW: [
    ['科技型中小企业评价入库', 'confirmation', 5],
    ['高新技术企业认定推荐', 'public_service', 8],
    ['技术合同认定登记', 'confirmation', 3],
  ],
  SWJ: [
    ['对外贸易经营者备案登记', 'confirmation', 0],
    ['单用途商业预付卡备案', 'confirmation', 2],
    ['成品油零售经营资格初审', 'license', 10],
    ['拍卖企业设立初审', 'license', 8],
  ],
  SJJ: [
    ['个体工商户登记', 'license', 0],
    ['食品小作坊登记', 'license', 5],
    ['特种设备使用登记', 'license', 3],
    ['药品零售企业许可', 'license', 10],
    ['广告发布登记', 'license', 5],
  ],
  TJJ: [
    ['统计调查项目审批', 'license', 10],
    ['统计执法证申领', 'public_service', 5],
  ],
  GZW: [
    ['国有产权登记', 'confirmation', 5],
    ['国有资产评估项目备案', 'confirmation', 8],
  ],
  JRB: [
    ['小额贷款公司设立初审', 'license', 10],
    ['融资担保公司变更初审', 'license', 8],
  ],
  WLJ: [
    ['营业性演出许可', 'license', 3],
    ['网吧经营许可', 'license', 8],
    ['旅行社设立许可', 'license', 8],
    ['出版物零售单位设立', 'license', 5],
  ],
  ZWJ: [
    ['政务数据共享申请', 'public_service', 3],
    ['电子证照调用授权', 'public_service', 0],
  ],
  NYJ: [
    ['动物防疫条件合格证核发', 'license', 8],
    ['农药经营许可', 'license', 10],
    ['种子生产经营许可', 'license', 10],
  ],
  ZJJ: [
    ['建筑业企业资质核准', 'license', 10],
    ['商品房预售许可', 'license', 5],
    ['建设工程竣工验收备案', 'confirmation', 3],
    ['城镇污水排入排水管网许可', 'license', 8],
  ],
  GHJ: [
    ['建设用地规划许可', 'license', 10],
    ['建设工程规划许可', 'license', 10],
    ['不动产登记（首次登记）', 'confirmation', 5],
    ['不动产抵押登记', 'confirmation', 1],
  ],
  TZC: [
    ['外商投资企业信息报告', 'confirmation', 0],
    ['招商引资项目落地服务', 'public_service', 5],
  ],
  SWJJ: [
    ['发票领用', 'public_service', 0],
    ['纳税信用修复', 'confirmation', 5],
    ['税收完税证明开具', 'public_service', 0],
  ],
  JYJ: [
    ['教师资格认定', 'license', 10],
    ['校外培训机构审批', 'license', 10],
    ['义务教育入学登记', 'public_service', 3],
  ],
  WJW: [
    ['医师执业注册', 'license', 5],
    ['公共场所卫生许可', 'license', 5],
    ['出生医学证明补发', 'public_service', 3],
    ['母婴保健技术服务许可', 'license', 10],
  ],
  MZJ: [
    ['婚姻登记', 'confirmation', 0],
    ['社会团体成立登记', 'license', 10],
    ['最低生活保障审核', 'payment', 10],
    ['临时救助审批', 'payment', 5],
    ['高龄津贴发放', 'payment', 8],
  ],
  RSJ: [
    ['失业保险金申领', 'payment', 5],
    ['就业创业证申领', 'public_service', 0],
    ['劳务派遣经营许可', 'license', 10],
    ['职业技能等级认定', 'confirmation', 8],
    ['创业担保贷款申请', 'payment', 8],
  ],
  CGJ: [
    ['城市建筑垃圾处置核准', 'license', 5],
    ['临时占用城市道路审批', 'license', 3],
    ['城市绿化树木迁移审批', 'license', 5],
  ],
  JTJ: [
    ['出租汽车驾驶员从业资格证', 'license', 5],
    ['道路挖掘许可', 'license', 5],
    ['机动车维修经营备案', 'confirmation', 2],
  ],
  SWUJ: [
    ['取水许可', 'license', 10],
    ['河道管理范围内建设项目审批', 'license', 10],
    ['排水许可证核发', 'license', 8],
  ],
  STHJ: [
    ['排污许可', 'license', 10],
    ['危险废物经营许可', 'license', 10],
    ['辐射安全许可', 'license', 10],
  ],
  YJJ: [
    ['危险化学品经营许可', 'license', 10],
    ['烟花爆竹零售许可', 'license', 5],
    ['安全生产培训机构备案', 'confirmation', 3],
  ],
  TYJ: [
    ['退役军人优待证申领', 'public_service', 5],
    ['伤残抚恤金发放', 'payment', 10],
  ],
  YBJ: [
    ['医保关系转移接续', 'public_service', 3],
    ['门诊慢特病待遇认定', 'confirmation', 5],
    ['异地就医备案', 'public_service', 0],
  ],
  SFJ: [
    ['法律援助申请', 'public_service', 3],
    ['人民调解员资格认定', 'confirmation', 5],
    ['基层法律服务工作者执业核准', 'license', 10],
  ],
  XFJ: [['信访事项复查申请', 'public_service', 10]],
  FGJ: [
    ['房屋租赁登记备案', 'confirmation', 0],
    ['公租房资格审核', 'payment', 10],
    ['物业服务企业备案', 'confirmation', 3],
    ['房屋安全鉴定', 'public_service', 8],
  ],
  ZFB: [['政府信息公开申请', 'public_service', 10]],
  CZJ: [
    ['政府采购进口产品审核', 'license', 8],
    ['会计代理记账许可', 'license', 10],
  ],
  JGJ: [['公务用车标识申领', 'public_service', 3]],
  DAJ: [
    ['档案查阅利用', 'public_service', 0],
    ['档案证明出具', 'public_service', 2],
  ],
  GAJ: [
    ['户口迁移', 'confirmation', 3],
    ['居住证签发', 'public_service', 5],
    ['公章刻制备案', 'confirmation', 0],
    ['大型群众性活动安全许可', 'license', 8],
  ],
  XFJY: [
    ['公众聚集场所投入使用前消防安全检查', 'license', 8],
    ['建设工程消防验收', 'license', 10],
  ],
  SJJU: [['审计报告查阅申请', 'public_service', 5]],
  DCS: [['政务服务“好差评”差评复核', 'public_service', 5]],
  RXZX: [['12345热线工单复核申请', 'public_service', 3]],
  ST01: [
    ['居民身份证明开具', 'public_service', 0],
    ['困难群众临时救助初审', 'payment', 3],
  ],
  ST02: [
    ['计划生育证明开具', 'public_service', 0],
    ['残疾人两项补贴初审', 'payment', 5],
  ],
  JCY: [['效能投诉受理', 'public_service', 5]],
};

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅志强晓东海燕文斌玉兰春雷宏伟亚楠';
const name2 = (r: Rng) =>
  SURNAMES[r.int(0, SURNAMES.length - 1)] +
  GIVEN[r.int(0, GIVEN.length - 1)] +
  (r.next() < 0.6 ? GIVEN[r.int(0, GIVEN.length - 1)] : '');
const ORGS = [
  '汉江云帆科技有限公司',
  '楚汇商贸有限公司',
  '江城建设工程有限公司',
  '汉正街服饰有限公司',
  '长江餐饮管理有限公司',
  '晴川医疗投资有限公司',
  '知音文化传媒有限公司',
  '琴台教育咨询有限公司',
];
const REFUSALS = [
  '申请人不符合法定条件：经营场所与规划用途不符',
  '申请材料存在虚假内容，依法不予许可',
  '现场核查消防安全条件不达标',
  '不属于本部门职权范围，已告知向有权机关申请',
  '项目不符合产业政策要求',
];
const NOT_ACCEPTED = [
  '申请事项依法不需要取得行政许可',
  '申请人不具备申请主体资格',
  '该事项不属于本中心受理范围，已告知向区公安分局申请',
];
const CORRECTIONS = [
  '营业场所产权证明复印件',
  '法定代表人身份证明',
  '消防设计审查意见书',
  '经办人授权委托书',
  '环评批复文件',
  '施工图审查合格书',
];

function stepsOf(s: Spec, ids: Map<string, number>, parallel: boolean): { steps: ItemStep[]; committed: number } {
  const zwj = ids.get('ZWJ')!;
  const lead = ids.get(s.dept)!;
  const steps: ItemStep[] = [{ seq: 1, phase: 'accept', name: '受理', departmentId: zwj, days: 0 }];
  if (s.days === 0) {
    steps.push({ seq: 2, phase: 'decide', name: '审核决定', departmentId: lead, days: 0 });
    steps.push({ seq: 3, phase: 'deliver', name: '送达', departmentId: zwj, days: 0 });
    return { steps, committed: 0 };
  }
  if (parallel) {
    for (const d of s.review)
      steps.push({ seq: 2, phase: 'review', name: '并联审查', departmentId: ids.get(d)!, days: s.days });
  } else steps.push({ seq: 2, phase: 'review', name: '审查', departmentId: lead, days: s.days });
  const decideDays = s.days >= 5 ? 2 : 1;
  steps.push({ seq: 3, phase: 'decide', name: '决定', departmentId: lead, days: decideDays });
  steps.push({ seq: 4, phase: 'deliver', name: '送达', departmentId: zwj, days: 1 });
  return { steps, committed: s.days + decideDays + 1 };
}

const at = (day: string, minutes: number) =>
  new Date(Date.parse(`${day}T09:00:00+08:00`) + minutes * 60_000).toISOString();

/** The demo seed; `opts.applications` plays fewer applications (tests, e2e). */
export async function seedServices(database: Database, opts: { applications?: number } = {}): Promise<void> {
  const q = database.query.bind(database);
  const db = database.db;
  const r = rng(2026_17);
  const units = await q<{ id: number; code: string }>('SELECT id, code FROM units');
  const ids = new Map(units.map((u) => [u.code, u.id]));
  if (!ids.has('ZWJ')) return; // not the demo district
  const cal: CalendarData = await loadCalendar(db);
  const today = beijingDate(new Date());

  // The window clerk.
  const [clerk] = await q<{ id: number }>(
    'INSERT INTO users(username, display_name, password_hash, unit_id, phone) VALUES ($1,$2,$3,$4,$5) RETURNING id',
    [
      DEMO_CLERK.username,
      DEMO_CLERK.name,
      await hashPassword('Xiaoneng@2026'),
      ids.get(DEMO_CLERK.unit),
      '13800009001',
    ],
  );
  await q("INSERT INTO user_roles(user_id, role) VALUES ($1, 'window_clerk')", [clerk.id]);

  // Officials per department: the demo's handlers and leaders where they exist, generated names elsewhere.
  const staff = await q<{ id: number; display_name: string; unit_id: number }>(
    `SELECT u.id, u.display_name, u.unit_id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role IN ('handler','unit_leader')`,
  );
  const officials = new Map<number, { id: number | null; name: string }[]>();
  for (const u of units) {
    const own = staff.filter((s) => s.unit_id === u.id).map((s) => ({ id: s.id, name: s.display_name }));
    officials.set(
      u.id,
      own.length
        ? own
        : [
            { id: null, name: name2(r) },
            { id: null, name: name2(r) },
          ],
    );
  }
  officials.set(ids.get('ZWJ')!, [
    { id: clerk.id, name: DEMO_CLERK.name },
    { id: null, name: name2(r) },
  ]);

  // ---- catalogue ----
  type Item = {
    id: number;
    name: string;
    dept: number;
    committed: number;
    steps: ItemStep[];
    parallel: boolean;
    online: boolean;
  };
  const items: Item[] = [];
  const itemRows: Record<string, unknown>[] = [];
  const add = (s: Spec, parallel: boolean) => {
    if (!ids.has(s.dept) || s.review.some((d) => !ids.has(d))) return;
    const { steps, committed } = stepsOf(s, ids, parallel);
    const code = `${s.dept}-${String(items.length + 1).padStart(3, '0')}`;
    // The parallel items (企业开办, 施工许可 …) are all offered online; the others mostly.
    const online = r.next() < 0.8 || parallel;
    const id = items.length + 1;
    items.push({ id, name: s.name, dept: ids.get(s.dept)!, committed, steps, parallel, online });
    const materials = [
      { name: '申请表', required: true },
      { name: '申请人身份证明', required: true },
      ...(s.kind === 'license' ? [{ name: '营业执照或主体资格证明', required: true }] : []),
      { name: '其他相关材料', required: false },
    ];
    itemRows.push({
      id,
      code,
      name: s.name,
      kind: s.kind,
      department_id: ids.get(s.dept),
      legal_days: committed === 0 ? 1 : committed * 2 + 5,
      committed_days: committed,
      materials,
      fees: s.kind === 'license' && r.next() < 0.2 ? '按省定标准收取工本费' : '不收费',
      channel: online ? 'both' : 'window',
      guide: `【办理对象】自然人、法人或其他组织。\n【办理条件】符合《${s.name}》相关法律法规规定的条件。\n【办理流程】${parallel ? '综合窗口一窗受理，相关部门并联审查，' : '窗口受理，'}审查、决定后送达。\n【承诺时限】${committed === 0 ? '即办件，当场办结' : `${committed} 个工作日（法定 ${committed * 2 + 5} 个工作日）`}。\n【咨询电话】027-12345。`,
      steps,
      parallel,
      active: true,
    });
  };
  for (const s of PARALLEL) add(s, true);
  for (const [dept, list] of Object.entries(SERIAL))
    for (const [name, kind, days] of list) add({ name, kind, dept, review: [], days }, false);
  // Top up to ~150 with the departments' common certificates (证明/备案).
  const depts = Object.keys(SERIAL).filter((d) => ids.has(d));
  for (let i = 0; items.length < 150; i++) {
    const d = depts[i % depts.length];
    add(
      {
        name: `${['信息变更备案', '证明事项开具', '资格复核', '年度报告公示'][Math.floor(i / depts.length) % 4]}（${d}）`,
        kind: 'confirmation',
        dept: d,
        review: [],
        days: i % 3 === 0 ? 0 : 3,
      },
      false,
    );
  }
  await q(
    `INSERT INTO service_items (id, code, name, kind, department_id, legal_days, committed_days, materials, fees, channel, guide, steps, parallel, active)
     SELECT id, code, name, kind, department_id, legal_days, committed_days, materials, fees, channel, guide, steps, parallel, active
       FROM json_populate_recordset(NULL::service_items, $1)`,
    [JSON.stringify(itemRows)],
  );
  await q(`SELECT setval('service_items_id_seq', ${items.length})`);

  // ---- applications: played through the machine ----
  // The demo applications trackable from the README use the inner HMAC form (`hmac-sha256$`, which the
  // query-password check accepts): seeds run without the outer key, which only the app sets.
  const pepper = await passwordPepper(db);
  const demoHash = (number: string) =>
    'hmac-sha256$' +
    createHmac('sha256', pepper).update(`${number}:${DEMO_TRACK.password}`, 'utf8').digest('base64url');
  const apps: Record<string, unknown>[] = [];
  const steps: Record<string, unknown>[] = [];
  const corrections: Record<string, unknown>[] = [];
  const warnings: Record<string, unknown>[] = [];
  const complaints: Record<string, unknown>[] = [];
  let stepId = 0;
  // The demo's 30,000 applications of the year (SERVICES_DEMO_APPLICATIONS sets another number: the e2e
  // server plays 12,000 to start sooner).
  const N = opts.applications ?? (Number(process.env.SERVICES_DEMO_APPLICATIONS) || 30000);
  const t0 = Date.now();
  const start = '2026-01-05';
  const span = Math.max(1, Math.round((Date.parse(today) - Date.parse(start)) / 86_400_000));
  // Weight recent dates a little, and the parallel items get more applications.
  const weights = items.map((i) => (i.parallel ? 6 : i.committed === 0 ? 3 : 1));
  const totalW = weights.reduce((a, b) => a + b, 0);
  const pickItem = () => {
    let x = r.next() * totalW;
    for (let i = 0; i < items.length; i++) if ((x -= weights[i]) < 0) return items[i];
    return items[items.length - 1];
  };
  // Working-day arithmetic of the simulation, memoised (the same few hundred dates come up 30,000 times).
  const memo = new Map<string, string>();
  const awd = (d: string, n: number) => {
    const k = `${d}+${n}`;
    let v = memo.get(k);
    if (v === undefined) memo.set(k, (v = addWorkingDays(cal, d, n)));
    return v;
  };
  const nextWd = (d: string) => awd(d, 1);
  for (let n = 1; n <= N; n++) {
    const item = pickItem();
    let filed = new Date(Date.parse(start) + Math.floor(Math.pow(r.next(), 0.85) * span) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    if (!isWorkingDay(cal, filed)) filed = nextWd(filed);
    if (filed > today) filed = today;
    const number = `SP${filed.replace(/-/g, '')}${String(n).padStart(7, '0')}`;
    const channel = item.online && r.next() < 0.45 ? 'online' : 'window';
    const app: m.MApp = {
      status: 'submitted',
      stage: 0,
      committedDays: item.committed,
      acceptedOn: null,
      dueOn: null,
      yellowOn: null,
      pausedSince: null,
      pausedDays: 0,
      result: null,
      reason: null,
      completedOn: null,
      daysUsed: null,
    };
    const ms: m.MStep[] = item.steps.map((s) => ({
      id: ++stepId,
      seq: s.seq,
      phase: s.phase,
      departmentId: s.departmentId,
      days: s.days,
      status: s.seq === 1 ? 'pending' : 'waiting',
      decision: null,
      reason: null,
      startedOn: s.seq === 1 ? filed : null,
      dueOn: null,
      yellowOn: null,
      pausedSince: null,
      pausedDays: 0,
    }));
    const times = new Map<
      number,
      { started?: string; signed?: string; ended?: string; official?: { id: number | null; name: string } }
    >();
    for (const s of ms) times.set(s.id, s.seq === 1 ? { started: at(filed, r.int(0, 400)) } : {});
    const stamp = (before: m.MStep[], on: string, who?: (s: m.MStep) => { id: number | null; name: string }) => {
      ms.forEach((s, i) => {
        const t = times.get(s.id)!;
        const was = before[i].status;
        if (was === 'waiting' && s.status === 'pending') t.started = at(on, r.int(0, 420));
        const notBefore = (x: string) => (t.started && x < t.started ? t.started : x);
        if (was === 'pending' && s.status === 'signed') t.signed = notBefore(at(on, r.int(10, 440)));
        if ((s.status === 'done' || s.status === 'cancelled') && was !== s.status) {
          t.ended = notBefore(at(on, r.int(60, 470)));
          if (s.status === 'done' && !t.official) t.official = who?.(s);
        }
      });
      // A stage starts when the one before it has ended (the electronic supervision checks the order).
      ms.forEach((s, i) => {
        if (!(before[i].status === 'waiting' && s.status === 'pending')) return;
        const prior = ms
          .filter((p) => p.seq < s.seq)
          .map((p) => times.get(p.id)!.ended)
          .filter((e): e is string => !!e)
          .sort();
        const t = times.get(s.id)!;
        const last = prior[prior.length - 1];
        if (last && last > t.started!) t.started = last;
      });
    };
    const snapshot = () => ms.map((s) => ({ ...s }));
    const officialOf = (s: m.MStep) => {
      const list = officials.get(s.departmentId)!;
      return list[s.id % list.length];
    };
    let correctionOpen: { stepId: number | null; on: string; dept: number } | null = null;
    let corrected = false;
    let anomalies: string[] = [];
    const extra: Record<string, unknown> = {};
    let acceptedBy: number | null = null;
    // Acceptance.
    const acceptOn = r.next() < 0.7 ? filed : nextWd(filed);
    const roll = r.next();
    if (acceptOn > today || (roll < 0.01 && filed >= awd(today, -3))) {
      // still waiting at the window
    } else if (roll < 0.025) {
      m.refuseAcceptance(app, ms, NOT_ACCEPTED[n % NOT_ACCEPTED.length], acceptOn);
      for (const s of ms) times.get(s.id)!.ended = at(acceptOn, 200);
      acceptedBy = clerk.id;
    } else {
      const b = snapshot();
      m.accept(cal, app, ms, acceptOn);
      stamp(b, acceptOn, () => officials.get(ids.get('ZWJ')!)![n % 2]);
      if (officials.get(ids.get('ZWJ')!)![n % 2].id === clerk.id) acceptedBy = clerk.id;
      // Steps, stage by stage, day by day.
      let on = acceptOn;
      const willCorrect = r.next() < 0.1;
      const willRefuse = r.next() < 0.04;
      const slow = r.next() < 0.12; // the departments take longer than committed
      for (let guard = 0; guard < 200 && app.status === 'in_progress'; guard++) {
        const open = ms.filter(
          (s) => s.seq === app.stage && (s.status === 'pending' || s.status === 'signed' || s.status === 'correction'),
        );
        if (!open.length) break;
        // Each open step finishes after some working days.
        for (const s of open) {
          if (app.status !== 'in_progress' || s.seq !== app.stage) break;
          const finishIn = s.days === 0 ? 0 : slow ? s.days + r.int(0, 3) : r.int(Math.max(0, s.days - 3), s.days);
          const due = awd(s.startedOn!, finishIn + s.pausedDays);
          if (s.status === 'pending') {
            const b = snapshot();
            m.sign(s);
            stamp(b, on, officialOf);
            times.get(s.id)!.official = officialOf(s);
          }
          if (s.status === 'signed' && willCorrect && !correctionOpen && s.phase === 'review' && !corrected) {
            corrected = true;
            const b = snapshot();
            m.requestCorrection(app, s, on);
            stamp(b, on);
            correctionOpen = { stepId: s.id, on, dept: s.departmentId };
            corrections.push({
              application_id: n,
              step_id: s.id,
              department_id: s.departmentId,
              materials: CORRECTIONS[n % CORRECTIONS.length],
              requested_on: on,
              requested_at: at(on, 120),
              resolved_at: null,
              paused_days: null,
            });
            continue;
          }
          if (s.status === 'correction') continue;
          if (s.status === 'signed' && due <= on) {
            const b = snapshot();
            const refuse = willRefuse && s.phase === 'decide';
            m.decide(cal, app, ms, s, refuse ? 'refuse' : 'approve', refuse ? REFUSALS[n % REFUSALS.length] : null, on);
            stamp(b, on, officialOf);
          }
        }
        if (correctionOpen && on >= awd(correctionOpen.on, 2 + (n % 4))) {
          const b = snapshot();
          const res = m.supplement(cal, app, ms, on);
          stamp(b, on);
          const c = corrections[corrections.length - 1];
          c.resolved_at = at(on, 300);
          c.paused_days = res.pausedDays;
          correctionOpen = null;
        }
        const next = nextWd(on);
        if (next > today) break;
        on = next;
      }
      if (app.status === 'delivering') {
        const deliverOn = r.next() < 0.7 ? on : nextWd(on);
        if (deliverOn <= today && !(on === today && r.next() < 0.5)) {
          const b = snapshot();
          m.deliver(cal, app, ms, deliverOn);
          stamp(b, deliverOn, () => officials.get(ids.get('ZWJ')!)![0]);
        }
      }
    }
    // A few legacy records (imported from the old window system) break the rules: the monitor flags them.
    if (n % 1500 === 7 && app.result === 'refused' && app.status !== 'not_accepted') {
      anomalies = ['refusal_no_reason'];
      app.reason = null;
      for (const s of ms) if (s.decision === 'refuse') s.reason = null;
    }
    if (n % 2000 === 11 && app.status === 'completed') anomalies = [...anomalies, 'out_of_order'];
    const lit = m.applicationLight(app, ms, today);
    const filedAt = times.get(ms[0].id)!.started!;
    const completedAt = app.completedOn ? at(app.completedOn, 400) : null;
    if (lit.light === 'yellow' || lit.light === 'red') {
      warnings.push({ application_id: n, level: lit.light, department_id: item.dept, at: at(today, 0), notified: 2 });
      extra.warned = lit.light;
    }
    if (app.status === 'completed' && app.daysUsed! > app.committedDays)
      warnings.push({
        application_id: n,
        level: 'red',
        department_id: item.dept,
        at: at(app.dueOn!, 480),
        notified: 2,
      });
    if (r.next() < 0.007 && app.status !== 'submitted')
      complaints.push({
        application_id: n,
        department_id: item.dept,
        channel: r.next() < 0.5 ? 'public' : 'hotline',
        kind:
          app.status === 'not_accepted'
            ? 'refused_complete'
            : lit.light === 'red' || (app.daysUsed ?? 0) > app.committedDays
              ? 'delay'
              : 'attitude',
        content: app.status === 'not_accepted' ? '材料齐全但窗口不予受理' : '办理时间过长，多次催问无答复',
        filed_at: completedAt ?? at(today, -600),
        decide_by: awd((completedAt ?? at(today, -600)).slice(0, 10), 5),
        status: r.next() < 0.3 ? 'pending' : r.next() < 0.6 ? 'resolved' : r.next() < 0.5 ? 'declined' : 'accepted',
        decision_note: null,
      });
    apps.push({
      id: n,
      number,
      password_hash: n <= 3 ? demoHash(number) : 'hmac-sha256$seed',
      item_id: item.id,
      department_id: item.dept,
      channel,
      filed_by: channel === 'window' && n % 3 === 0 ? clerk.id : null,
      accepted_by: acceptedBy,
      source_ip: null,
      applicant_name: name2(r),
      applicant_phone: `1${r.int(30, 89)}${String(r.int(0, 99999999)).padStart(8, '0')}`,
      applicant_org: r.next() < 0.5 ? ORGS[n % ORGS.length] : '',
      note: '',
      status: app.status,
      committed_days: app.committedDays,
      filed_at: filedAt,
      accepted_on: app.acceptedOn,
      due_on: app.dueOn,
      yellow_on: app.yellowOn,
      paused_since: app.pausedSince,
      paused_days: app.pausedDays,
      stage: app.stage,
      result: app.result,
      reason: app.reason,
      decided_at: app.result ? completedAt : null,
      completed_at: completedAt,
      completed_on: app.completedOn,
      days_used: app.daysUsed,
      light: lit.light,
      light_reasons: lit.reasons,
      warned: extra.warned ?? null,
      anomalies,
    });
    for (const s of ms) {
      const t = times.get(s.id)!;
      const open = s.status === 'pending' || s.status === 'signed' || s.status === 'correction';
      steps.push({
        id: s.id,
        application_id: n,
        seq: s.seq,
        phase: s.phase,
        name: item.steps.find((x) => x.seq === s.seq && x.departmentId === s.departmentId)!.name,
        department_id: s.departmentId,
        days: s.days,
        status: s.status,
        decision: s.decision,
        reason: s.reason,
        started_at: t.started ?? null,
        signed_at: t.signed && t.started && t.signed < t.started ? t.started : (t.signed ?? null),
        ended_at: t.ended && t.started && t.ended < t.started ? t.started : (t.ended ?? null),
        started_on: s.startedOn,
        due_on: s.dueOn,
        yellow_on: s.yellowOn,
        paused_since: s.pausedSince,
        paused_days: s.pausedDays,
        official_id: t.official?.id ?? null,
        official_name: t.official?.name ?? null,
        light: open ? m.clockLight(s, today) : null,
      });
    }
  }

  const t1 = Date.now();
  const bulk = async (table: string, cols: string, data: Record<string, unknown>[], chunk = 5000) => {
    for (let i = 0; i < data.length; i += chunk)
      await q(`INSERT INTO ${table} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${table}, $1)`, [
        JSON.stringify(data.slice(i, i + chunk)),
      ]);
  };
  await bulk(
    'service_applications',
    'id, number, password_hash, item_id, department_id, channel, filed_by, accepted_by, source_ip, applicant_name, applicant_phone, applicant_org, note, status, committed_days, filed_at, accepted_on, due_on, yellow_on, paused_since, paused_days, stage, result, reason, decided_at, completed_at, completed_on, days_used, light, light_reasons, warned, anomalies',
    apps,
  );
  await bulk(
    'service_steps',
    'id, application_id, seq, phase, name, department_id, days, status, decision, reason, started_at, signed_at, ended_at, started_on, due_on, yellow_on, paused_since, paused_days, official_id, official_name, light',
    steps,
    10000,
  );
  await bulk(
    'service_corrections',
    'application_id, step_id, department_id, materials, requested_on, requested_at, resolved_at, paused_days',
    corrections,
  );
  await bulk('service_warnings', 'application_id, level, department_id, at, notified', warnings);
  await bulk(
    'service_complaints',
    'application_id, department_id, channel, kind, content, filed_at, decide_by, status, decision_note',
    complaints,
  );
  await q(
    `UPDATE service_complaints SET decision_note = CASE status WHEN 'declined' THEN '经核查办件在承诺时限内办结，投诉不成立' WHEN 'resolved' THEN '已责成责任部门整改并回访申请人' WHEN 'accepted' THEN '已受理，正在调查核实' END, decided_at = filed_at + interval '2 days' WHERE status <> 'pending'`,
  );
  await q(`SELECT setval('service_applications_id_seq', ${N}), setval('service_steps_id_seq', ${stepId})`);
  const t2 = Date.now();
  await rebuildStats(db);
  const t3 = Date.now();

  // The `approvals` leaf of the 2026 tree: B2_06 行政审批按期办结率（电子监察）, 1 point taken from B2_01.
  const [year] = await q<{ id: number }>("SELECT id FROM assessment_years WHERE year = 2026 AND kind = 'annual'");
  let inputs = 0;
  if (year) {
    const [b2] = await q<{ id: number; applies_to: unknown }>(
      "SELECT id, applies_to FROM indicators WHERE year_id = $1 AND code = 'B2'",
      [year.id],
    );
    const [b21] = await q<{ id: number }>("SELECT id FROM indicators WHERE year_id = $1 AND code = 'B2_01'", [year.id]);
    if (b2 && b21) {
      const cats = await q<{ id: number }>("SELECT id FROM unit_categories WHERE code IN ('ENT','PUB')");
      await q('UPDATE indicators SET points = points - 1 WHERE id = $1', [b21.id]);
      const [leaf] = await q<{ id: number }>(
        `INSERT INTO indicators (year_id, parent_id, code, name, level, points, sort, unit_of_measure, description, applies_to, assessing_unit_id, data_source, direction, method, aggregate)
         VALUES ($1, $2, 'B2_06', '政务服务事项按期办结率（电子监察）', 3, 1, 60, '%', '电子监察系统统计的本部门承诺件按期办结的比例（黄牌 90%、红牌超时）', $3, $4, 'approvals', 'positive', $5, 'last') RETURNING id`,
        [
          year.id,
          b2.id,
          JSON.stringify({ categoryIds: cats.map((c) => c.id), unitIds: [] }),
          ids.get('JCY') ?? null,
          JSON.stringify({ kind: 'ratio', cap: 1, floor: 0 }),
        ],
      );
      await q(
        `INSERT INTO plan_targets (plan_id, indicator_id, target, challenge, note)
         SELECT p.id, $1, 95, 100, '' FROM performance_plans p JOIN units u ON u.id = p.unit_id
          WHERE p.year_id = $2 AND u.category_id IN (SELECT id FROM unit_categories WHERE code IN ('ENT','PUB'))`,
        [leaf.id, year.id],
      );
    }
  }
  await db.transaction(async (tx) => {
    inputs = (await syncApprovalsScoreInputs(tx, { year: 2026, on: today })).inputs;
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.services',
      entityType: 'seed',
      entityId: 'services',
      after: {
        items: items.length,
        applications: apps.length,
        steps: steps.length,
        corrections: corrections.length,
        warnings: warnings.length,
        complaints: complaints.length,
        inputs,
      },
    });
  });
  await db.execute(sql`ANALYZE service_applications`);
  if (process.env.SERVICES_SEED_TIMING)
    console.log(
      `services seed: simulate ${t1 - t0} ms, insert ${t2 - t1} ms, stats ${t3 - t2} ms, rest ${Date.now() - t3} ms`,
    );
}
