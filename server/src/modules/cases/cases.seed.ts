/**
 * Demo data of the public service platform: a category tree for a Chinese district, routing rules,
 * and about a year of cases (2026-01 until today) simulated step by step through the real life cycle
 * — every channel and every state, late sign-fors, overdue work, extensions, returns, joint handling,
 * unsatisfied feedback with redo, escalations and merged duplicates. Raw multi-row SQL for speed.
 * All demo cases share the query password DEMO_CASE_PASSWORD.
 */
import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { addWorkingHours, type CalendarData, isWorkingDay } from '../../engine/workdays.js';
import { loadCalendar } from '../calendar/index.js';
import { beijingDate, handlingDeadline, extendDeadline } from './cases.deadlines.js';
import { normalizeAddress } from './cases.duplicates.js';
import { hashQueryPassword, passwordPepper } from './cases.password.js';
import { CHANNEL_LABELS, RATING_LABELS } from './cases.present.js';
import { suggestUnits, type RuleNode } from './cases.routing.js';
import { formatCaseNumber } from './cases.intake.js';
import { scrubbed } from '../../platform/sms/index.js';
import type { CaseStatus } from './cases.machine.js';
import type { CaseType, Channel, Rating } from './cases.table.js';

export const DEMO_CASE_PASSWORD = '123456';

// ---------- categories ----------

type Leaf = { code: string; name: string; unit: string | null; days: number; sign?: number; texts: string[] };
type Top = { code: string; name: string; unit: string | null; days: number; results: string[]; children: Leaf[] };

const TREE: Top[] = [
  {
    code: 'SRHW',
    name: '市容环卫',
    unit: 'CGJ',
    days: 7,
    results: [
      '已安排执法队员现场处置，责令当事人立即整改，并纳入日常巡查重点',
      '经现场核查情况属实，已依法处理并恢复原状',
      '已联系环卫作业单位清理完毕，并加密清扫频次',
    ],
    children: [
      {
        code: 'SRHW01',
        name: '占道经营',
        unit: 'CGJ',
        days: 5,
        texts: [
          '{addr}附近每天{time}有流动摊贩占道经营，堵塞人行道，行人只能走机动车道，存在安全隐患。',
          '{addr}{shop}长期把商品和桌椅摆到店外，占用人行道约{n}米，多次劝说无效。',
          '{addr}路口夜市摊点油烟大、垃圾多，影响周边居民生活。',
        ],
      },
      {
        code: 'SRHW02',
        name: '违章搭建',
        unit: 'CGJ',
        days: 10,
        texts: [
          '{addr}有住户在楼顶违规搭建彩钢板房，约{n}平方米，存在安全隐患。',
          '{addr}一楼商户私自扩建门面，侵占小区公共绿地。',
          '{addr}小区内有人私搭乱建棚子堆放杂物，影响消防通道。',
        ],
      },
      {
        code: 'SRHW03',
        name: '垃圾清运',
        unit: null,
        days: 3,
        texts: [
          '{addr}垃圾桶满溢已有{n}天无人清运，气味难闻，蚊蝇滋生。',
          '{addr}旁建筑垃圾长期堆放，无人清理，下雨后污水横流。',
          '{addr}垃圾中转点清运不及时，周边居民意见很大。',
        ],
      },
      {
        code: 'SRHW04',
        name: '餐饮油烟',
        unit: 'CGJ',
        days: 5,
        texts: [
          '{addr}{shop}油烟直排，楼上住户窗户不敢开，请督促安装油烟净化设施。',
          '{addr}烧烤店每晚露天烧烤，油烟呛人，影响休息。',
        ],
      },
      {
        code: 'SRHW05',
        name: '户外广告',
        unit: 'CGJ',
        days: 7,
        texts: ['{addr}有破损的户外广告牌摇摇欲坠，大风天存在坠落风险。', '{addr}电线杆和墙面被乱贴小广告，影响市容。'],
      },
    ],
  },
  {
    code: 'DLJT',
    name: '道路交通',
    unit: 'JTJ',
    days: 10,
    results: ['已安排养护单位完成修复', '已协调交警部门加强管理，增设警示标志', '已将意见纳入线路优化方案，近期调整'],
    children: [
      {
        code: 'DLJT01',
        name: '道路破损',
        unit: 'JTJ',
        days: 7,
        texts: [
          '{addr}路面出现一个直径约{n}厘米的坑洞，电动车经过很危险。',
          '{addr}人行道地砖松动破损多处，老人容易绊倒。',
          '{addr}窨井盖缺失，只用树枝围着，夜间极易发生事故。',
        ],
      },
      {
        code: 'DLJT02',
        name: '违章停车',
        unit: 'GAJ',
        days: 3,
        texts: ['{addr}每天{time}大量车辆违停占用消防通道。', '{addr}小区出入口被车辆长期堵塞，居民出行困难。'],
      },
      {
        code: 'DLJT03',
        name: '公交线路',
        unit: 'JTJ',
        days: 10,
        texts: [
          '建议在{addr}附近增设公交站点，居民出行需步行{n}分钟以上。',
          '{addr}公交车早高峰班次太少，经常等车半小时以上。',
        ],
      },
      {
        code: 'DLJT04',
        name: '交通信号',
        unit: 'GAJ',
        days: 5,
        texts: [
          '{addr}路口红绿灯故障{n}天了，车辆通行混乱。',
          '{addr}学校门口缺少人行横道和减速标志，学生过马路不安全。',
        ],
      },
    ],
  },
  {
    code: 'GSGD',
    name: '供水供电',
    unit: 'SWUJ',
    days: 3,
    results: [
      '已通知供水公司抢修，现已恢复正常供水',
      '已组织疏通排水管网，积水已排除',
      '已协调供电部门排查线路，恢复供电',
    ],
    children: [
      {
        code: 'GSGD01',
        name: '停水',
        unit: 'SWUJ',
        days: 2,
        texts: [
          '{addr}从{time}开始停水，没有任何通知，家里有老人小孩很不方便。',
          '{addr}水压太低，{n}楼以上基本没水。',
        ],
      },
      {
        code: 'GSGD02',
        name: '水质问题',
        unit: 'SWUJ',
        days: 3,
        texts: ['{addr}自来水发黄有异味，烧开后有沉淀。', '{addr}二次供水水箱长期未清洗，水质堪忧。'],
      },
      {
        code: 'GSGD03',
        name: '排水不畅',
        unit: 'SWUJ',
        days: 5,
        texts: ['{addr}下水道堵塞，一下雨就积水，最深处约{n}厘米。', '{addr}化粪池满溢，污水流到路面上。'],
      },
      {
        code: 'GSGD04',
        name: '停电',
        unit: 'FGW',
        days: 2,
        texts: ['{addr}频繁停电，{time}又停了，冰箱里的东西都坏了。', '{addr}小区路灯线路老化，整排路灯不亮。'],
      },
    ],
  },
  {
    code: 'ZYRM',
    name: '噪音扰民',
    unit: 'STHJ',
    days: 5,
    results: [
      '已现场检查并责令停止夜间施工，对施工单位依法查处',
      '已约谈商户，要求控制音量并调整营业时间',
      '经社区工作人员上门调解，双方达成谅解',
    ],
    children: [
      {
        code: 'ZYRM01',
        name: '施工噪音',
        unit: 'STHJ',
        days: 3,
        texts: [
          '{addr}工地每天晚上{time}以后还在施工，噪音很大，严重影响休息。',
          '{addr}工地凌晨打桩，周边居民无法入睡。',
        ],
      },
      {
        code: 'ZYRM02',
        name: '商业噪音',
        unit: 'STHJ',
        days: 5,
        texts: ['{addr}{shop}用大音箱播放促销广告，从早到晚不停。', '{addr}酒吧营业到凌晨，音乐声很大。'],
      },
      {
        code: 'ZYRM03',
        name: '社会生活噪音',
        unit: null,
        days: 5,
        texts: ['{addr}广场舞音响声音太大，每天{time}以后还在跳。', '{addr}楼上住户装修超时作业，周末也不停。'],
      },
    ],
  },
  {
    code: 'WYGL',
    name: '物业管理',
    unit: 'FGJ',
    days: 10,
    results: [
      '已约谈物业公司，责令限期整改，街道跟踪落实',
      '已组织特种设备检验机构检查，电梯已恢复运行',
      '已向业主解释维修资金使用流程并协助申请',
    ],
    children: [
      {
        code: 'WYGL01',
        name: '物业服务',
        unit: 'FGJ',
        days: 10,
        texts: ['{addr}物业公司收费不作为，楼道{n}个月没打扫过。', '{addr}物业擅自提高停车费，业主不同意。'],
      },
      {
        code: 'WYGL02',
        name: '电梯故障',
        unit: 'SJJ',
        days: 2,
        sign: 2,
        texts: ['{addr}{n}栋电梯经常困人，物业维修不及时。', '{addr}电梯运行时异响晃动，老人不敢乘坐。'],
      },
      {
        code: 'WYGL03',
        name: '维修资金',
        unit: 'FGJ',
        days: 15,
        texts: ['{addr}屋面漏水，申请使用维修资金迟迟办不下来。', '{addr}外墙脱落，想了解维修资金使用流程。'],
      },
      {
        code: 'WYGL04',
        name: '小区环境',
        unit: null,
        days: 7,
        texts: ['{addr}小区绿化带被改成菜地，杂乱不堪。', '{addr}小区内化粪池和下水道多处破损。'],
      },
    ],
  },
  {
    code: 'LDBZ',
    name: '劳动保障',
    unit: 'RSJ',
    days: 10,
    results: [
      '已立案调查，督促用人单位足额支付拖欠工资',
      '已为来电人详细解答政策并协助办理',
      '已推荐合适岗位并安排参加招聘会',
    ],
    children: [
      {
        code: 'LDBZ01',
        name: '拖欠工资',
        unit: 'RSJ',
        days: 7,
        texts: [
          '我在{addr}一家公司工作，被拖欠{n}个月工资，老板一直推脱。',
          '{addr}工地拖欠农民工工资约{n}万元，包工头失联。',
        ],
      },
      {
        code: 'LDBZ02',
        name: '社保医保',
        unit: 'RSJ',
        days: 10,
        texts: ['咨询灵活就业人员社保缴费基数和办理流程。', '异地就医备案后报销比例为什么这么低？'],
      },
      {
        code: 'LDBZ03',
        name: '就业服务',
        unit: 'RSJ',
        days: 10,
        texts: ['本人失业{n}个月，想了解区里有没有就业培训。', '咨询高校毕业生就业补贴申领条件。'],
      },
    ],
  },
  {
    code: 'SCJG',
    name: '市场监管',
    unit: 'SJJ',
    days: 7,
    results: ['已现场检查，对经营者立案处罚并责令整改', '经调解，商家同意为消费者退款', '已依法取缔无证经营行为'],
    children: [
      {
        code: 'SCJG01',
        name: '食品安全',
        unit: 'SJJ',
        days: 5,
        texts: ['在{addr}{shop}买到过期食品，商家拒绝退换。', '{addr}小吃店后厨卫生很差，吃完后拉肚子。'],
      },
      {
        code: 'SCJG02',
        name: '消费纠纷',
        unit: 'SJJ',
        days: 7,
        texts: [
          '在{addr}{shop}办的健身卡，门店关门跑路，剩余{n}次课无法退费。',
          '网购家电送货到{addr}后发现质量问题，商家不予退换。',
        ],
      },
      {
        code: 'SCJG03',
        name: '价格投诉',
        unit: 'SJJ',
        days: 7,
        texts: ['{addr}{shop}商品明码标价与结账价格不一致。', '{addr}停车场收费标准未公示，乱收费。'],
      },
      {
        code: 'SCJG04',
        name: '无证经营',
        unit: 'SJJ',
        days: 10,
        texts: ['{addr}有一家黑作坊无证生产食品。', '{addr}有人无证开办托管班，安全隐患大。'],
      },
    ],
  },
  {
    code: 'QYFW',
    name: '企业服务',
    unit: 'TZC',
    days: 10,
    results: [
      '已组织相关部门现场办公，协调解决企业诉求',
      '已为企业提供政策解读并指导申报',
      '已协调金融机构对接，提供融资方案',
    ],
    children: [
      {
        code: 'QYFW01',
        name: '项目审批',
        unit: 'ZWJ',
        days: 10,
        texts: [
          '我公司在{addr}的项目施工许可办理进度缓慢，已超过承诺时限。',
          '企业变更登记需要跑多个窗口，希望一次办好。',
        ],
      },
      {
        code: 'QYFW02',
        name: '融资服务',
        unit: 'JRB',
        days: 10,
        texts: ['小微企业流动资金紧张，希望了解区里的贷款贴息政策。', '申请的应急转贷资金一直没有回复。'],
      },
      {
        code: 'QYFW03',
        name: '政策咨询',
        unit: 'SWJ',
        days: 5,
        texts: ['咨询外贸企业出口信用保险补贴申报条件。', '咨询商贸企业上规入统奖励政策。'],
      },
      {
        code: 'QYFW04',
        name: '招商落地',
        unit: 'TZC',
        days: 10,
        texts: ['签约项目落地{addr}后，水电配套迟迟不到位。', '企业新厂房周边道路未通，影响投产。'],
      },
    ],
  },
  {
    code: 'SQSW',
    name: '社区事务',
    unit: null,
    days: 7,
    results: [
      '社区已上门了解情况并协调解决',
      '经街道人民调解委员会调解，双方达成协议',
      '已将老旧设施纳入社区微改造计划',
    ],
    children: [
      {
        code: 'SQSW01',
        name: '邻里纠纷',
        unit: null,
        days: 7,
        texts: ['{addr}楼上住户长期漏水到我家，协商不成。', '{addr}邻居在楼道堆放杂物，劝说无效。'],
      },
      {
        code: 'SQSW02',
        name: '社区设施',
        unit: null,
        days: 10,
        texts: ['{addr}社区健身器材损坏{n}件，存在安全隐患。', '{addr}社区活动室长期关闭，希望开放给居民使用。'],
      },
      {
        code: 'SQSW03',
        name: '养老服务',
        unit: 'MZJ',
        days: 10,
        texts: ['咨询{addr}附近社区养老服务中心的助餐服务如何申请。', '家中老人独居，希望申请居家养老上门服务。'],
      },
    ],
  },
];

// Streets of the demo district with their roads and a centre point (WGS-84) for coordinates.
const STREETS: { code: string; roads: string[]; lat: number; lng: number }[] = [
  { code: 'ST01', roads: ['汉正街', '大夹街', '长堤街', '三曙街'], lat: 30.5725, lng: 114.2705 },
  { code: 'ST02', roads: ['中山大道', '利济北路', '复兴路'], lat: 30.5771, lng: 114.2642 },
  { code: 'ST03', roads: ['宝丰一路', '宝丰二路', '解放大道'], lat: 30.5838, lng: 114.2581 },
  { code: 'ST04', roads: ['荣华街', '荣东路'], lat: 30.5802, lng: 114.2493 },
  { code: 'ST05', roads: ['古田一路', '古田二路', '古田四路'], lat: 30.5869, lng: 114.2242 },
  { code: 'ST06', roads: ['韩家墩路', '韩西一路'], lat: 30.5903, lng: 114.2355 },
  { code: 'ST07', roads: ['宗关路', '汉西一路'], lat: 30.5843, lng: 114.2401 },
  { code: 'ST08', roads: ['汉水桥路', '武胜路'], lat: 30.5748, lng: 114.2589 },
  { code: 'ST09', roads: ['易家墩路', '简易路'], lat: 30.5951, lng: 114.2288 },
  { code: 'ST10', roads: ['长丰大道', '长风路'], lat: 30.6012, lng: 114.2301 },
];
const PLACES = ['小区', '社区', '菜市场', '小学', '公交站', '商业街', '花园', '大厦', '工地', '广场'];
const SHOPS = ['一家餐馆', '水果店', '超市', '理发店', '烧烤店', '便利店', '五金店', '早餐店'];
const TIMES = ['晚上十点', '凌晨', '傍晚', '早上七点', '中午', '深夜十一点'];
const SURNAMES = '王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢宋唐许邓冯韩曹彭'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀英华平刚桂兰玲红霞建国志强文斌晓燕'.split('');
const ENTERPRISES = [
  '武汉汉江商贸有限公司',
  '武汉宝丰科技有限公司',
  '汉正街服装有限公司',
  '武汉古田机械制造有限公司',
  '武汉荣华物流有限公司',
  '武汉宗关食品有限公司',
];

const REJECT_REASONS = [
  '诉求内容不属于政府职能范围，已告知通过司法途径解决',
  '重复来电，已告知原办件办理进度',
  '信息不全无法核实，已告知补充后再次反映',
];
const RETURN_REASONS = ['该事项不属于本单位职责，建议转交相关部门', '地址不在本辖区，请重新派单'];
const UNSATISFIED = ['问题没有真正解决', '处理太慢，敷衍了事', '回复与实际情况不符'];

// Weighted picks.
const CHANNEL_W: [Channel, number][] = [
  ['hotline', 50],
  ['web', 18],
  ['community', 8],
  ['city_transfer', 10],
  ['grid', 8],
  ['deputy', 3],
  ['petition', 2],
  ['open311', 1],
];
const TYPE_W: [CaseType, number][] = [
  ['complaint', 40],
  ['help', 25],
  ['consultation', 15],
  ['suggestion', 8],
  ['report', 7],
  ['mediation', 5],
];
const TOP_W: Record<string, number> = {
  SRHW: 24,
  DLJT: 12,
  GSGD: 10,
  ZYRM: 12,
  WYGL: 14,
  LDBZ: 8,
  SCJG: 10,
  QYFW: 4,
  SQSW: 6,
};

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Ev = {
  caseId: number;
  type: string;
  from: CaseStatus | null;
  to: CaseStatus | null;
  actorId: number | null;
  actorName: string;
  actorRole: string;
  unitId: number | null;
  dispatchId: number | null;
  at: Date;
  note: string;
  publicText: string;
  payload: Record<string, unknown>;
};

type Disp = {
  id: number;
  caseId: number;
  unitId: number;
  role: 'lead' | 'assist';
  round: number;
  kind: 'dispatch' | 'redo';
  status: string;
  limit: number;
  dispatchedAt: Date;
  signDue: Date;
  signedAt: Date | null;
  startedAt: Date | null;
  deadline: Date;
  dueSoonAt: Date;
  reportedAt: Date | null;
  result: string;
  extCount: number;
  extDays: number;
  extReq: { days: number; reason: string; at: Date } | null;
  returned: boolean;
  returnedAt: Date | null;
  returnReason: string;
  endedAt: Date | null;
};

/** Seeds the platform's categories, rules and a year of simulated cases. */
export async function seedCases(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const started = Date.now();
  const rand = mulberry32(20260101);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const weighted = <T>(xs: [T, number][]): T => {
    const total = xs.reduce((s, x) => s + x[1], 0);
    let r = rand() * total;
    for (const [v, w] of xs) if ((r -= w) < 0) return v;
    return xs[xs.length - 1][0];
  };
  const between = (a: number, b: number) => a + rand() * (b - a);

  const unitRows = await q<{ id: number; code: string; name: string }>('SELECT id, code, name FROM units');
  const unitId = new Map(unitRows.map((u) => [u.code, u.id]));
  const unitName = new Map(unitRows.map((u) => [u.id, u.name]));
  const U = (code: string) => {
    const id = unitId.get(code);
    if (id === undefined) throw new Error(`seed cases: unit ${code} missing`);
    return id;
  };
  const users = new Map(
    (
      await q<{ id: number; username: string; display_name: string }>('SELECT id, username, display_name FROM users')
    ).map((u) => [u.username, u]),
  );
  const agentUser = users.get('agent');
  const supUser = users.get('supervisor');
  const handlerByUnit = new Map<number, { id: number | null; name: string }>();
  for (const [username, code] of [
    ['cgj_handler', 'CGJ'],
    ['sjj_handler', 'SJJ'],
    ['hzj_handler', 'ST01'],
    ['fgj_handler', 'FGJ'],
    ['rsj_handler', 'RSJ'],
  ] as const) {
    const u = users.get(username);
    if (u && unitId.has(code)) handlerByUnit.set(U(code), { id: u.id, name: u.display_name });
  }
  const handlerOf = (unit: number) =>
    handlerByUnit.get(unit) ?? { id: null, name: `${(unitName.get(unit) ?? '').replace(/^区/, '')}承办员` };
  const AGENT = { id: agentUser?.id ?? null, name: agentUser?.display_name ?? '受理员' };
  const SUP = { id: supUser?.id ?? null, name: supUser?.display_name ?? '督办员' };

  // Categories. Publication on the public interface: cases that identify people (wages, social
  // insurance, jobs, neighbour disputes) or businesses go out without text; elderly care at home and
  // enterprise financing not at all (migration 0014 sets the same on databases seeded before it).
  const PUBLICATION: Record<string, 'limited' | 'private'> = {
    LDBZ: 'limited',
    SQSW01: 'limited',
    QYFW: 'limited',
    QYFW02: 'private',
    SQSW03: 'private',
  };
  type CatInfo = {
    id: number;
    code: string;
    name: string;
    unit: number | null;
    days: number;
    sign: number;
    top: Top;
    leaf: Leaf | null;
  };
  const cats: CatInfo[] = [];
  for (const [i, top] of TREE.entries()) {
    const [row] = await q<{ id: number }>(
      `INSERT INTO case_categories(code, name, default_unit_id, time_limit_days, sign_hours, open311_code, sort, publication) VALUES ($1,$2,$3,$4,4,$5,$6,$7) RETURNING id`,
      [
        top.code,
        top.name,
        top.unit ? U(top.unit) : null,
        top.days,
        top.code.toLowerCase(),
        i,
        PUBLICATION[top.code] ?? 'public',
      ],
    );
    cats.push({
      id: row.id,
      code: top.code,
      name: top.name,
      unit: top.unit ? U(top.unit) : null,
      days: top.days,
      sign: 4,
      top,
      leaf: null,
    });
    for (const [j, leaf] of top.children.entries()) {
      const [child] = await q<{ id: number }>(
        `INSERT INTO case_categories(parent_id, code, name, default_unit_id, time_limit_days, sign_hours, open311_code, sort, publication) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
        [
          row.id,
          leaf.code,
          leaf.name,
          leaf.unit ? U(leaf.unit) : null,
          leaf.days,
          leaf.sign ?? 4,
          leaf.code.toLowerCase(),
          j,
          PUBLICATION[leaf.code] ?? 'public',
        ],
      );
      cats.push({
        id: child.id,
        code: leaf.code,
        name: leaf.name,
        unit: leaf.unit ? U(leaf.unit) : null,
        days: leaf.days,
        sign: leaf.sign ?? 4,
        top,
        leaf,
      });
    }
  }
  const leaves = cats.filter((c) => c.leaf);

  // Routing rules: neighbourhood issues go to the street of the road; keywords to the competent department.
  const ruleRows: unknown[][] = [];
  const neighbourhood = cats.filter((c) => ['SRHW03', 'ZYRM03', 'WYGL04', 'SQSW'].includes(c.code)).map((c) => c.id);
  for (const s of STREETS)
    for (const cat of neighbourhood)
      ruleRows.push(['address', s.roads.join('|'), cat, U(s.code), 1, `${s.roads[0]}一带属${unitName.get(U(s.code))}`]);
  const keywordRules: [string, string, number][] = [
    ['电梯', 'SJJ', 8],
    ['欠薪|拖欠工资|农民工工资', 'RSJ', 8],
    ['医保|异地就医', 'YBJ', 6],
    ['过期食品|食品安全|黑作坊', 'SJJ', 6],
    ['工地|打桩|夜间施工', 'STHJ', 5],
    ['窨井盖|坑洞|路面', 'JTJ', 4],
    ['违停|乱停车|消防通道', 'GAJ', 4],
    ['油烟', 'CGJ', 3],
    ['托管班|学校', 'JYJ', 2],
  ];
  for (const [pattern, code, priority] of keywordRules)
    ruleRows.push(['keyword', pattern, null, U(code), priority, '']);
  // 汉正街 is the district's busiest market street: its street office handles city-appearance matters there.
  const srhw = cats.find((c) => c.code === 'SRHW')!;
  ruleRows.push(['address', STREETS[0].roads.join('|'), srhw.id, U('ST01'), 2, '汉正街商圈市容由街道综合执法中队处置']);
  const rules: RuleNode[] = (
    await q<{
      id: number;
      kind: 'keyword' | 'address';
      pattern: string;
      category_id: number | null;
      unit_id: number;
      priority: number;
    }>(
      `INSERT INTO routing_rules(kind, pattern, category_id, unit_id, priority, note) VALUES ${ruleRows.map((_, i) => `($${i * 6 + 1},$${i * 6 + 2},$${i * 6 + 3},$${i * 6 + 4},$${i * 6 + 5},$${i * 6 + 6})`).join(',')} RETURNING *`,
      ruleRows.flat(),
    )
  ).map((r) => ({
    id: r.id,
    kind: r.kind,
    pattern: r.pattern,
    categoryId: r.category_id,
    unitId: r.unit_id,
    priority: r.priority,
    active: true,
  }));
  const catNodes = cats.map((c) => ({
    id: c.id,
    parentId: c.leaf ? cats.find((x) => x.top === c.top && !x.leaf)!.id : null,
    defaultUnitId: c.unit,
    active: true,
  }));

  const cal: CalendarData = await loadCalendar(database.db);
  const NOW = new Date();
  const wh = (t: Date, hours: number) => addWorkingHours(cal, t, Math.max(0, hours));
  // Query passwords in the same form as intake (HMAC with the shared pepper, created here if needed).
  const pepper = await passwordPepper(database.db);

  // Creation times: busier on working days and in summer.
  const createdTimes: { at: Date; channel: Channel }[] = [];
  for (let day = Date.parse('2026-01-01T00:00:00+08:00'); day <= NOW.getTime(); day += 86_400_000) {
    const date = beijingDate(new Date(day));
    const month = Number(date.slice(5, 7));
    const working = isWorkingDay(cal, date);
    const base = (working ? 16 : 6) * (month >= 6 && month <= 8 ? 1.25 : 1);
    const n = Math.round(base * between(0.75, 1.25));
    for (let i = 0; i < n; i++) {
      const channel = weighted(CHANNEL_W);
      const open24 = channel === 'web' || channel === 'open311' || channel === 'city_transfer';
      const minute = open24 ? between(0, 24 * 60) : between(8 * 60, 20 * 60);
      const at = new Date(day + minute * 60_000);
      if (at < NOW) createdTimes.push({ at, channel });
    }
  }
  createdTimes.sort((a, b) => a.at.getTime() - b.at.getTime());

  // A few fixed scenarios on recent cases, so every state and warning shows whatever the hour the
  // seed runs: inboxes of cgj_handler (城管局) and hzj_handler (汉正街街道), sign-for overdue,
  // a pending extension, returned cases awaiting re-dispatch, overdue and escalated work.
  type Force = {
    cat: string;
    street: string;
    sign?: 'never';
    start?: 'never';
    ext?: 'pending';
    stall?: boolean;
    misroute?: 'waiting';
    escalate?: 'pending' | 'approved';
  };
  const recentScenarios: Force[] = [
    { cat: 'SRHW01', street: 'ST02', sign: 'never' },
    { cat: 'SQSW01', street: 'ST01', sign: 'never' },
    { cat: 'SRHW04', street: 'ST05', ext: 'pending' },
    { cat: 'DLJT01', street: 'ST06', misroute: 'waiting' },
    { cat: 'SRHW03', street: 'ST01', stall: true },
    { cat: 'SRHW02', street: 'ST03', sign: 'never' },
    { cat: 'GSGD03', street: 'ST07', misroute: 'waiting' },
    { cat: 'SRHW01', street: 'ST01', stall: true, escalate: 'pending' },
    { cat: 'SQSW02', street: 'ST05', start: 'never' }, // signed for within the hour, not yet started
  ];
  const olderScenarios: Force[] = [
    { cat: 'SRHW01', street: 'ST02', stall: true, escalate: 'approved' },
    { cat: 'SQSW02', street: 'ST01', stall: true },
    { cat: 'SRHW05', street: 'ST08', stall: true },
    { cat: 'WYGL01', street: 'ST04', stall: true, escalate: 'pending' },
  ];
  const forced = new Map<number, Force>();
  const assign = (list: Force[], fromDays: number, toDays: number) => {
    // Hotline cases whose scenario's first steps (within 8 working hours of the call: decision,
    // dispatch, a return) have happened by now — on a Monday morning, say, a call of Saturday has not
    // had them — the youngest first: those up to toDays old, or more when the calendar leaves too few.
    const eligible = createdTimes
      .map((c, i) => ({ i, at: c.at, age: (NOW.getTime() - c.at.getTime()) / 86_400_000, channel: c.channel }))
      .filter((c) => c.age >= fromDays && c.channel === 'hotline' && wh(c.at, 8) <= NOW)
      .sort((a, b) => a.age - b.age);
    const within = eligible.filter((c) => c.age <= toDays);
    const idx = (within.length >= 3 * list.length ? within : eligible.slice(0, 3 * list.length))
      .map((c) => c.i)
      .filter((i) => !forced.has(i)) // a long holiday can make both lists reach the same calls
      .sort((a, b) => a - b);
    list.forEach((f, k) => {
      const i = idx[Math.floor(((k + 0.5) * idx.length) / list.length)];
      if (i !== undefined) forced.set(i, f);
    });
  };
  assign(recentScenarios, 1.2, 3);
  assign(olderScenarios, 9, 13);
  // The two youngest calls still wait for level 2's decision (受理 only), whatever the hour the seed
  // runs: at 16:40 on a Monday the chance alone can have decided every call of the day already.
  const awaiting = new Set(
    createdTimes
      .map((_, i) => i)
      .filter((i) => !forced.has(i))
      .slice(-2),
  );
  const FAR = new Date(NOW.getTime() + 365 * 86_400_000);

  const [{ max: maxCase }] = await q<{ max: number | null }>('SELECT max(id)::int AS max FROM cases');
  const [{ max: maxDisp }] = await q<{ max: number | null }>('SELECT max(id)::int AS max FROM case_dispatches');
  const [{ max: maxEsc }] = await q<{ max: number | null }>('SELECT max(id)::int AS max FROM case_escalations');
  let nextCase = (maxCase ?? 0) + 1;
  let nextDisp = (maxDisp ?? 0) + 1;
  let nextEsc = (maxEsc ?? 0) + 1;

  const caseRows: unknown[][] = [];
  const dispatchRows: Disp[] = [];
  const events: Ev[] = [];
  const sms: unknown[][] = [];
  const escRows: unknown[][] = [];
  const notices: unknown[][] = [];
  const daySeq = new Map<string, number>();
  const recentByCategory = new Map<
    number,
    { id: number; number: string; at: Date; verifiedAt: Date | null; result: string }[]
  >();
  const mergedPending: { id: number; number: string; phone: string; mainId: number }[] = [];
  const completions = new Map<number, { at: Date; number: string; result: string }>();

  for (const [index, { at: t0, channel }] of createdTimes.entries()) {
    const force = forced.get(index);
    const id = nextCase++;
    const day = beijingDate(t0);
    const seq = (daySeq.get(day) ?? 0) + 1;
    daySeq.set(day, seq);
    const number = formatCaseNumber(day, seq);
    const topCode = weighted(Object.entries(TOP_W));
    const cat = force ? leaves.find((l) => l.code === force.cat)! : pick(leaves.filter((l) => l.top.code === topCode));
    const top = cat.top;
    const street = force ? STREETS.find((x) => x.code === force.street)! : rand() < 0.2 ? STREETS[0] : pick(STREETS);
    const road = pick(street.roads);
    const place = `${road}${Math.floor(between(1, 300))}号${rand() < 0.5 ? pick(PLACES) : ''}`;
    const description = pick(cat.leaf!.texts)
      .replace('{addr}', place)
      .replace('{shop}', pick(SHOPS))
      .replace('{time}', pick(TIMES))
      .replace('{n}', String(Math.floor(between(2, 30))));
    const enterprise = top.code === 'QYFW' || (top.code === 'LDBZ' && rand() < 0.2);
    const anonymous = rand() < 0.05;
    const name = anonymous ? '' : pick(SURNAMES) + pick(GIVEN) + (rand() < 0.5 ? pick(GIVEN) : '');
    const phone =
      anonymous && rand() < 0.5
        ? ''
        : `1${pick(['3', '5', '7', '8', '9'])}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
    const withGeo = ['web', 'grid', 'open311'].includes(channel) || rand() < 0.2;
    const lat = withGeo ? street.lat + between(-0.004, 0.004) : null;
    const lng = withGeo ? street.lng + between(-0.004, 0.004) : null;
    const type = weighted(TYPE_W);
    const limit = cat.days;
    const ageDays = (NOW.getTime() - t0.getTime()) / 86_400_000;

    // Where the case should go: what the routing rules suggest (the category's department, or the street of the road).
    const rightUnit =
      suggestUnits({ categoryId: cat.id, description, address: place }, catNodes, rules)[0]?.unitId ?? U(street.code);
    const c = {
      status: 'accepted' as CaseStatus,
      leadUnitId: null as number | null,
      timeLimitDays: limit as number | null,
      dispatchedAt: null as Date | null,
      signDue: null as Date | null,
      signedAt: null as Date | null,
      deadline: null as Date | null,
      dueSoonAt: null as Date | null,
      reportedAt: null as Date | null,
      verifiedAt: null as Date | null,
      closedAt: null as Date | null,
      result: '',
      rejectReason: '',
      rating: null as Rating | null,
      feedbackComment: '',
      feedbackBy: null as string | null,
      feedbackAt: null as Date | null,
      review: null as string | null,
      redo: 0,
      ext: 0,
      returns: 0,
      escalated: false,
      mainCaseId: null as number | null,
      updatedAt: t0,
    };
    const ev = (
      type: string,
      at: Date,
      who: { id: number | null; name: string },
      role: string,
      extra: Partial<Ev> = {},
    ) => {
      events.push({
        caseId: id,
        type,
        from: null,
        to: null,
        actorId: who.id,
        actorName: who.name,
        actorRole: role,
        unitId: null,
        dispatchId: null,
        at,
        note: '',
        publicText: '',
        payload: {},
        ...extra,
      });
      if (at > c.updatedAt) c.updatedAt = at;
    };
    const move = (
      type: string,
      to: CaseStatus,
      at: Date,
      who: { id: number | null; name: string },
      role: string,
      extra: Partial<Ev> = {},
    ) => {
      ev(type, at, who, role, { from: c.status, to, ...extra });
      c.status = to;
    };
    const citizen = {
      id: null,
      name:
        channel === 'web'
          ? '市民'
          : channel === 'open311' || channel === 'city_transfer'
            ? CHANNEL_LABELS[channel]
            : AGENT.name,
    };
    const creatorRole =
      channel === 'web' ? 'citizen' : channel === 'open311' || channel === 'city_transfer' ? 'system' : 'agent';
    ev('created', t0, creatorRole === 'agent' ? AGENT : citizen, creatorRole, {
      to: 'accepted',
      publicText: `诉求已受理（${CHANNEL_LABELS[channel]}），办件编号${number}`,
      payload: { channel, type, categoryId: cat.id },
    });
    if (phone) sms.push([id, phone, 'acceptance', { number, password: DEMO_CASE_PASSWORD, limitDays: limit }, t0]);

    const finish = () => {
      caseRows.push([
        id,
        number,
        hashQueryPassword(pepper, number, DEMO_CASE_PASSWORD),
        channel,
        type,
        cat.id,
        c.status,
        name,
        phone,
        enterprise,
        enterprise ? pick(ENTERPRISES) : '',
        anonymous,
        description,
        place,
        normalizeAddress(place),
        lat,
        lng,
        channel === 'city_transfer' ? `WH12345-${day.replace(/-/g, '')}-${seq}` : null,
        channel === 'web' ? `10.1.${seq % 250}.${(seq * 7) % 250}` : null,
        creatorRole === 'agent' ? AGENT.id : null,
        c.leadUnitId,
        c.timeLimitDays,
        c.dispatchedAt,
        c.signDue,
        c.signedAt,
        c.deadline,
        c.dueSoonAt,
        c.reportedAt,
        c.verifiedAt,
        c.closedAt,
        c.result,
        c.rejectReason,
        c.rating,
        c.feedbackComment,
        c.feedbackBy,
        c.feedbackAt,
        c.review,
        c.redo,
        c.ext,
        c.returns,
        c.escalated,
        c.mainCaseId,
        t0,
        c.updatedAt,
      ]);
      const list = recentByCategory.get(cat.id) ?? [];
      list.push({ id, number, at: t0, verifiedAt: c.verifiedAt, result: c.result });
      if (list.length > 20) list.shift();
      recentByCategory.set(cat.id, list);
      if (c.verifiedAt) completions.set(id, { at: c.verifiedAt, number, result: c.result });
    };

    // Level 2 decides: reject, merge into a recent duplicate, or dispatch.
    const decideAt = wh(t0, force ? 0.5 : rand() < 0.1 ? between(3, 10) : between(0.2, 2.5));
    if (decideAt > NOW || awaiting.has(index)) {
      finish();
      continue;
    }
    if (!force && rand() < 0.03) {
      c.rejectReason = pick(REJECT_REASONS);
      move('rejected', 'rejected', decideAt, AGENT, 'agent', {
        note: c.rejectReason,
        publicText: `不予受理：${c.rejectReason}`,
      });
      finish();
      continue;
    }
    const candidates = (recentByCategory.get(cat.id) ?? []).filter(
      (m) => t0.getTime() - m.at.getTime() < 3 * 86_400_000,
    );
    if (!force && candidates.length && rand() < 0.04) {
      const main = candidates[candidates.length - 1];
      c.mainCaseId = main.id;
      move('merged', 'merged', decideAt, AGENT, 'agent', {
        publicText: `与办件${main.number}合并办理`,
        payload: { mainCaseId: main.id, mainNumber: main.number },
      });
      events.push({
        caseId: main.id,
        type: 'merge_absorbed',
        from: null,
        to: null,
        actorId: AGENT.id,
        actorName: AGENT.name,
        actorRole: 'agent',
        unitId: null,
        dispatchId: null,
        at: decideAt,
        note: `合并了重复诉求 ${number}`,
        publicText: '',
        payload: { mergedCaseId: id },
      });
      mergedPending.push({ id, number, phone, mainId: main.id });
      finish();
      continue;
    }

    // Dispatch rounds: a misrouted case is returned and dispatched again.
    const misrouted = force ? force.misroute === 'waiting' : rand() < 0.06;
    const assist =
      !force && rand() < 0.08
        ? pick(['JTJ', 'SWUJ', 'STHJ', 'GAJ', 'FGJ', 'SJJ', 'ST01', 'ST03'].map(U).filter((u) => u !== rightUnit))
        : null;
    const recent = ageDays < 45;
    let t = decideAt;
    let round = 0;
    const dispatch = (
      lead: number,
      assists: number[],
      at: Date,
      kind: 'dispatch' | 'redo',
      daysLimit: number,
    ): Disp => {
      round++;
      const due = handlingDeadline(cal, at, daysLimit);
      const signDue = wh(at, cat.sign);
      const made = [lead, ...assists].map((u, i): Disp => ({
        id: nextDisp++,
        caseId: id,
        unitId: u,
        role: i === 0 ? 'lead' : 'assist',
        round,
        kind,
        status: 'pending',
        limit: daysLimit,
        dispatchedAt: at,
        signDue,
        signedAt: null,
        startedAt: null,
        deadline: due.deadline,
        dueSoonAt: due.dueSoonAt,
        reportedAt: null,
        result: '',
        extCount: 0,
        extDays: 0,
        extReq: null,
        returned: false,
        returnedAt: null,
        returnReason: '',
        endedAt: null,
      }));
      dispatchRows.push(...made);
      Object.assign(c, {
        leadUnitId: lead,
        timeLimitDays: daysLimit,
        dispatchedAt: at,
        signDue,
        signedAt: null,
        deadline: due.deadline,
        dueSoonAt: due.dueSoonAt,
        reportedAt: null,
        verifiedAt: null,
      });
      const names = assists.map((u) => unitName.get(u)).join('、');
      const text =
        kind === 'redo'
          ? `经专业评价，已退回${unitName.get(lead)}重新办理，办理时限${daysLimit}个工作日`
          : `已派发至${unitName.get(lead)}办理${names ? `，${names}协办` : ''}，办理时限${daysLimit}个工作日`;
      move(
        kind === 'redo' ? 'redo' : 'dispatched',
        'dispatched',
        at,
        kind === 'redo' ? SUP : AGENT,
        kind === 'redo' ? 'supervisor' : 'agent',
        {
          unitId: lead,
          dispatchId: made[0].id,
          publicText: text,
          payload: {
            round,
            leadUnitId: lead,
            assistUnitIds: assists,
            timeLimitDays: daysLimit,
            deadlineDate: due.deadlineDate,
            signDue: signDue.toISOString(),
          },
        },
      );
      for (const d of made) {
        if (at > new Date(NOW.getTime() - 3 * 86_400_000))
          notices.push([
            id,
            d.unitId,
            kind === 'redo' ? 'redo' : 'dispatch',
            `新派工单 ${number}：请按时签收办理`,
            AGENT.name,
            at,
          ]);
      }
      return made[0];
    };

    if (misrouted) {
      const wrong = pick(['CGJ', 'JTJ', 'SWUJ', 'STHJ', 'FGJ', 'ST02'].map(U).filter((u) => u !== rightUnit));
      const d = dispatch(wrong, [], t, 'dispatch', limit);
      const back = wh(t, between(1, 6));
      if (back > NOW) {
        finish();
        continue;
      }
      Object.assign(d, {
        status: 'returned',
        returned: true,
        returnedAt: back,
        returnReason: pick(RETURN_REASONS),
        endedAt: back,
      });
      c.returns++;
      Object.assign(c, { deadline: null, dueSoonAt: null, signDue: null });
      move('returned', 'returned', back, handlerOf(wrong), 'handler', {
        unitId: wrong,
        dispatchId: d.id,
        note: d.returnReason,
        publicText: '诉求正在重新分派承办单位',
        payload: { role: 'lead' },
      });
      t = force?.misroute === 'waiting' ? FAR : wh(back, rand() < 0.4 ? between(7, 28) : between(0.3, 3));
      if (t > NOW) {
        finish();
        continue;
      }
    }

    let lead = dispatch(rightUnit, assist ? [assist] : [], t, 'dispatch', limit);
    let verifiedOnce = false;
    let escalatedOnce = false;
    // Handle one round (sign → start → report → verify); returns false when time ran out.
    const handleRound = (d: Disp, allowExtension: boolean): boolean => {
      const handler = handlerOf(d.unitId);
      const lateSign = rand() < 0.08;
      const signAt =
        force?.sign === 'never'
          ? FAR
          : force?.start === 'never'
            ? wh(d.dispatchedAt, 1)
            : wh(d.dispatchedAt, cat.sign * (lateSign ? between(1.1, 2.5) : between(0.05, 0.9)));
      if (signAt > NOW) return false;
      Object.assign(d, { status: 'signed', signedAt: signAt });
      c.signedAt = signAt;
      move('signed', 'signed', signAt, handler, 'handler', {
        unitId: d.unitId,
        dispatchId: d.id,
        publicText: `${unitName.get(d.unitId)}已签收`,
        payload: { late: signAt > d.signDue },
      });
      for (const a of dispatchRows.filter(
        (x) => x.caseId === id && x.round === d.round && x.role === 'assist' && x.status === 'pending',
      )) {
        const aSign = wh(a.dispatchedAt, cat.sign * between(0.1, 1.2));
        if (aSign > NOW) continue;
        Object.assign(a, { status: 'signed', signedAt: aSign });
        ev('assist_signed', aSign, handlerOf(a.unitId), 'handler', {
          unitId: a.unitId,
          dispatchId: a.id,
          payload: { late: aSign > a.signDue },
        });
      }
      const startAt = force?.start === 'never' ? FAR : wh(signAt, between(0.2, 3));
      if (startAt > NOW) return false;
      Object.assign(d, { status: 'in_progress', startedAt: startAt });
      move('started', 'in_progress', startAt, handler, 'handler', {
        unitId: d.unitId,
        dispatchId: d.id,
        publicText: `${unitName.get(d.unitId)}正在办理`,
      });
      const totalHours = d.limit * 7;
      const stalled = force ? !!force.stall || force.ext === 'pending' : recent && rand() < 0.05;
      const late = rand() < 0.1;
      let reportAt = stalled
        ? new Date(NOW.getTime() + 30 * 86_400_000)
        : wh(startAt, totalHours * (late ? between(1.05, 1.6) : between(0.15, 0.85)));
      if (allowExtension && (force ? force.ext === 'pending' : rand() < 0.06)) {
        const reqAt = wh(startAt, between(3, 10));
        if (reqAt > NOW) return false;
        const days = Math.floor(between(2, 6));
        d.extReq = { days, reason: '涉及多个部门协调，需延期办理', at: reqAt };
        ev('extension_requested', reqAt, handler, 'handler', {
          unitId: d.unitId,
          dispatchId: d.id,
          note: d.extReq.reason,
          payload: { days, role: d.role },
        });
        const decideAt2 = force?.ext === 'pending' ? FAR : wh(reqAt, between(0.5, 10));
        if (decideAt2 > NOW) return false;
        d.extReq = null;
        if (rand() < 0.85) {
          const due = extendDeadline(cal, beijingDate(d.deadline), days);
          Object.assign(d, {
            deadline: due.deadline,
            dueSoonAt: due.dueSoonAt,
            extCount: d.extCount + 1,
            extDays: d.extDays + days,
          });
          Object.assign(c, { deadline: due.deadline, dueSoonAt: due.dueSoonAt, ext: c.ext + 1 });
          ev('extension_approved', decideAt2, AGENT, 'agent', {
            unitId: d.unitId,
            dispatchId: d.id,
            publicText: `${unitName.get(d.unitId)}申请延期，经审核办理时限延长${days}个工作日，至${due.deadlineDate}`,
            payload: { days, requestedDays: days, deadlineDate: due.deadlineDate, role: 'lead' },
          });
          if (!stalled) reportAt = wh(decideAt2, between(4, days * 7));
        } else {
          ev('extension_refused', decideAt2, AGENT, 'agent', {
            unitId: d.unitId,
            dispatchId: d.id,
            note: '理由不充分',
            payload: { requestedDays: days },
          });
        }
      }
      // Reminders and escalation on work that runs late.
      const overdue = reportAt > d.deadline && d.deadline < NOW;
      if (overdue)
        ev('reminded', d.deadline, AGENT, 'agent', {
          unitId: d.unitId,
          note: '已超期，请尽快办结',
          payload: { unitIds: [d.unitId] },
        });
      const escalateAt = overdue ? new Date(d.deadline.getTime() + 3600_000) : wh(startAt, 2);
      if (!escalatedOnce && escalateAt < NOW && (force?.escalate || (!force && overdue))) {
        if (force?.escalate || rand() < 0.35) {
          escalatedOnce = true;
          const reqAt = escalateAt;
          const escId = nextEsc++;
          const decided = force?.escalate === 'pending' ? FAR : wh(reqAt, between(1, 6));
          const approve = force ? true : rand() < 0.8;
          const wanted = decided < NOW && approve ? Math.floor(between(0, 3)) : 0;
          // Supervision notes, one working day apart, while the department still holds the case.
          const followTimes = Array.from({ length: wanted }, (_, f) => wh(decided, 7 * (f + 1))).filter(
            (fa) => fa < NOW && fa < reportAt,
          );
          const follows = followTimes.length;
          const followAt = followTimes[follows - 1] ?? null;
          const status = decided > NOW ? 'pending' : approve ? 'approved' : 'rejected';
          escRows.push([
            escId,
            id,
            status,
            '超期未办结，群众反复来电',
            AGENT.id,
            AGENT.name,
            reqAt,
            decided > NOW ? null : SUP.id,
            decided > NOW ? '' : SUP.name,
            decided > NOW ? null : decided,
            decided > NOW ? '' : approve ? '列为督办件，限期办结' : '暂不列入督办',
            follows,
            follows ? followAt : null,
            follows ? '请承办单位加快办理，每日报告进展' : '',
            status === 'rejected' ? decided : null,
          ]);
          ev('escalation_requested', reqAt, AGENT, 'agent', {
            unitId: d.unitId,
            note: '超期未办结，群众反复来电',
            payload: { escalationId: escId },
          });
          if (decided <= NOW) {
            ev(approve ? 'escalation_approved' : 'escalation_rejected', decided, SUP, 'supervisor', {
              unitId: d.unitId,
              note: approve ? '列为督办件，限期办结' : '暂不列入督办',
              payload: { escalationId: escId },
            });
            if (approve) c.escalated = true;
            for (const fa of followTimes) {
              ev('escalation_followed', fa, SUP, 'supervisor', {
                unitId: d.unitId,
                note: '请承办单位加快办理，每日报告进展',
                payload: { escalationId: escId },
              });
            }
          }
        }
      }
      if (reportAt > NOW) return false;
      for (const a of dispatchRows.filter(
        (x) => x.caseId === id && x.round === d.round && x.role === 'assist' && x.status === 'signed',
      )) {
        const aRep = new Date(a.signedAt!.getTime() + (reportAt.getTime() - a.signedAt!.getTime()) * between(0.3, 0.9));
        Object.assign(a, { status: 'reported', reportedAt: aRep, result: '已配合主办单位完成相关工作', endedAt: aRep });
        ev('assist_reported', aRep, handlerOf(a.unitId), 'handler', {
          unitId: a.unitId,
          dispatchId: a.id,
          note: a.result,
          payload: { role: 'assist', late: aRep > a.deadline },
        });
      }
      const result = pick(cat.top.results);
      Object.assign(d, { status: 'reported', reportedAt: reportAt, result, endedAt: reportAt });
      Object.assign(c, { reportedAt: reportAt, result });
      move('reported', 'reported', reportAt, handler, 'handler', {
        unitId: d.unitId,
        dispatchId: d.id,
        note: result,
        publicText: `${unitName.get(d.unitId)}已办理完毕，等待核查`,
        payload: { role: d.role, late: reportAt > d.deadline, attachmentIds: [] },
      });
      let verifyAt = wh(reportAt, between(1, 12));
      if (verifyAt > NOW) return false;
      if (rand() < 0.03) {
        Object.assign(d, { status: 'in_progress', reportedAt: null, endedAt: null });
        c.reportedAt = null;
        move('verify_failed', 'in_progress', verifyAt, AGENT, 'agent', {
          unitId: d.unitId,
          dispatchId: d.id,
          note: '回访核实问题仍未解决',
          publicText: '核查未通过，已退回承办单位继续办理',
        });
        const again = wh(verifyAt, between(4, 14));
        if (again > NOW) return false;
        Object.assign(d, { status: 'reported', reportedAt: again, endedAt: again });
        c.reportedAt = again;
        move('reported', 'reported', again, handler, 'handler', {
          unitId: d.unitId,
          dispatchId: d.id,
          note: result,
          publicText: `${unitName.get(d.unitId)}已办理完毕，等待核查`,
          payload: { role: d.role, late: again > d.deadline, attachmentIds: [] },
        });
        verifyAt = wh(again, between(1, 8));
        if (verifyAt > NOW) return false;
      }
      for (const a of dispatchRows.filter(
        (x) => x.caseId === id && x.round === d.round && ['pending', 'signed', 'in_progress'].includes(x.status),
      )) {
        Object.assign(a, { status: 'cancelled', endedAt: verifyAt });
      }
      c.verifiedAt = verifyAt;
      move('verified', 'verified', verifyAt, AGENT, 'agent', {
        unitId: d.unitId,
        dispatchId: d.id,
        publicText: `办理结果已核查：${result}`,
      });
      if (phone) {
        sms.push([id, phone, 'completion', { number, result }, verifyAt]);
        if (!verifiedOnce) sms.push([id, phone, 'feedback_request', { number }, verifyAt]);
      }
      verifiedOnce = true;
      return true;
    };

    if (!handleRound(lead, true)) {
      finish();
      continue;
    }
    // Feedback (回访) or closing without it.
    const fbAt = wh(c.verifiedAt!, between(2, 20));
    if (fbAt > NOW) {
      finish();
      continue;
    }
    if (!phone) {
      c.closedAt = fbAt;
      move('closed', 'closed', fbAt, AGENT, 'agent', { note: '无联系方式，无法回访', publicText: '办件已办结' });
      finish();
      continue;
    }
    const r = rand();
    const rating: Rating = r < 0.78 ? 'satisfied' : r < 0.92 ? 'basic' : 'unsatisfied';
    const byCitizen = rand() < 0.15;
    Object.assign(c, {
      rating,
      feedbackBy: byCitizen ? 'citizen' : 'agent',
      feedbackAt: fbAt,
      feedbackComment: rating === 'unsatisfied' ? pick(UNSATISFIED) : '',
    });
    const who = byCitizen ? { id: null, name: '市民' } : AGENT;
    const role = byCitizen ? 'citizen' : 'agent';
    if (rating !== 'unsatisfied') {
      c.closedAt = fbAt;
      move('feedback', 'closed', fbAt, who, role, {
        publicText: `评价：${RATING_LABELS[rating]}，办件已办结`,
        payload: { rating },
      });
      finish();
      continue;
    }
    move('feedback', 'review', fbAt, who, role, {
      note: c.feedbackComment,
      publicText: `评价：${RATING_LABELS[rating]}（${c.feedbackComment}），转专业评价`,
      payload: { rating },
    });
    // Deputies and CPPCC members take some days for a professional review.
    const reviewAt = wh(fbAt, between(14, 63));
    if (reviewAt > NOW) {
      finish();
      continue;
    }
    if (rand() < 0.5) {
      Object.assign(c, { review: 'qualified', closedAt: reviewAt });
      move('review', 'closed', reviewAt, SUP, 'supervisor', {
        note: '经人大代表专业评价，办理程序规范、结果合理',
        publicText: '专业评价：办理合格，办件已办结',
        payload: { qualified: true },
      });
      finish();
      continue;
    }
    Object.assign(c, { review: 'unqualified', redo: c.redo + 1, result: '' });
    lead = dispatch(lead.unitId, [], reviewAt, 'redo', limit);
    events[events.length - 1].note = '经专业评价，整改不到位，退回重办';
    events[events.length - 1].payload.qualified = false;
    if (!handleRound(lead, false)) {
      finish();
      continue;
    }
    c.closedAt = c.verifiedAt;
    move('closed', 'closed', c.verifiedAt!, AGENT, 'agent', { note: '重办件核查通过，办结', publicText: '办件已办结' });
    finish();
  }

  // Merged cases hear when their main case completes.
  for (const m of mergedPending) {
    const main = completions.get(m.mainId);
    if (!main) continue;
    events.push({
      caseId: m.id,
      type: 'main_completed',
      from: null,
      to: null,
      actorId: AGENT.id,
      actorName: AGENT.name,
      actorRole: 'agent',
      unitId: null,
      dispatchId: null,
      at: main.at,
      note: '',
      publicText: `合并办理的主办件${main.number}已办结。办理结果：${main.result}`,
      payload: { mainCaseId: m.mainId },
    });
    if (m.phone) sms.push([m.id, m.phone, 'completion', { number: m.number, result: main.result }, main.at]);
  }

  // ---------- write ----------
  const insert = async (table: string, columns: string[], rows: unknown[][], casts: Record<string, string> = {}) => {
    const per = Math.max(1, Math.floor(30000 / columns.length));
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const values = chunk
        .map((_, r) => `(${columns.map((col, k) => `$${r * columns.length + k + 1}${casts[col] ?? ''}`).join(',')})`)
        .join(',');
      await q(`INSERT INTO ${table}(${columns.join(',')}) VALUES ${values}`, chunk.flat());
    }
  };
  await insert(
    'cases',
    [
      'id',
      'number',
      'password_hash',
      'channel',
      'type',
      'category_id',
      'status',
      'requester_name',
      'requester_phone',
      'requester_enterprise',
      'enterprise_name',
      'anonymous',
      'description',
      'address',
      'address_norm',
      'lat',
      'lng',
      'external_ref',
      'source_ip',
      'created_by',
      'lead_unit_id',
      'time_limit_days',
      'dispatched_at',
      'sign_due',
      'signed_at',
      'deadline',
      'due_soon_at',
      'reported_at',
      'verified_at',
      'closed_at',
      'result',
      'reject_reason',
      'feedback_rating',
      'feedback_comment',
      'feedback_by',
      'feedback_at',
      'review_result',
      'redo_count',
      'extension_count',
      'return_count',
      'escalated',
      'main_case_id',
      'created_at',
      'updated_at',
    ],
    caseRows,
  );
  await insert(
    'case_dispatches',
    [
      'id',
      'case_id',
      'unit_id',
      'role',
      'round',
      'kind',
      'status',
      'time_limit_days',
      'dispatched_at',
      'dispatched_by',
      'sign_due',
      'signed_at',
      'started_at',
      'deadline',
      'due_soon_at',
      'reported_at',
      'result',
      'extension_count',
      'extension_days',
      'ext_requested_days',
      'ext_reason',
      'ext_requested_at',
      'returned',
      'returned_at',
      'return_reason',
      'ended_at',
    ],
    dispatchRows.map((d) => [
      d.id,
      d.caseId,
      d.unitId,
      d.role,
      d.round,
      d.kind,
      d.status,
      d.limit,
      d.dispatchedAt,
      AGENT.id,
      d.signDue,
      d.signedAt,
      d.startedAt,
      d.deadline,
      d.dueSoonAt,
      d.reportedAt,
      d.result,
      d.extCount,
      d.extDays,
      d.extReq?.days ?? null,
      d.extReq?.reason ?? null,
      d.extReq?.at ?? null,
      d.returned,
      d.returnedAt,
      d.returnReason,
      d.endedAt,
    ]),
  );
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  await insert(
    'case_events',
    [
      'case_id',
      'type',
      'from_status',
      'to_status',
      'actor_id',
      'actor_name',
      'actor_role',
      'unit_id',
      'dispatch_id',
      'at',
      'note',
      'is_public',
      'public_text',
      'payload',
    ],
    events.map((e) => [
      e.caseId,
      e.type,
      e.from,
      e.to,
      e.actorId,
      e.actorName,
      e.actorRole,
      e.unitId,
      e.dispatchId,
      e.at,
      e.note,
      e.publicText !== '',
      e.publicText,
      JSON.stringify(e.payload),
    ]),
    { payload: '::jsonb' },
  );
  if (escRows.length) {
    await insert(
      'case_escalations',
      [
        'id',
        'case_id',
        'status',
        'reason',
        'requested_by',
        'requested_by_name',
        'requested_at',
        'decided_by',
        'decided_by_name',
        'decided_at',
        'decision_note',
        'follow_count',
        'last_follow_at',
        'last_follow_note',
        'ended_at',
      ],
      escRows,
    );
  }
  // Closed escalations end with their case.
  await q(
    `UPDATE case_escalations e SET status = 'closed', ended_at = c.closed_at FROM cases c WHERE c.id = e.case_id AND e.status = 'approved' AND c.status = 'closed'`,
  );
  await insert(
    'sms_outbox',
    [
      'case_id',
      'phone',
      'template',
      'params',
      'body',
      'status',
      'attempts',
      'next_attempt_at',
      'created_at',
      'sent_at',
    ],
    sms.map(([caseId, phone, template, params, at]) => {
      const s = scrubbed(template as 'acceptance', params as Record<string, string | number>);
      const sentAt = new Date((at as Date).getTime() + 20_000);
      return [caseId, phone, template, JSON.stringify(s.params), s.body, 'sent', 1, at, at, sentAt];
    }),
    { params: '::jsonb' },
  );
  if (notices.length)
    await insert('case_notices', ['case_id', 'unit_id', 'kind', 'text', 'actor_name', 'created_at'], notices);
  for (const [day, last] of daySeq) {
    await q(
      'INSERT INTO case_number_counters(day, last) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET last = GREATEST(case_number_counters.last, EXCLUDED.last)',
      [day, last],
    );
  }
  await q(`SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))`);
  await q(`SELECT setval(pg_get_serial_sequence('case_dispatches', 'id'), (SELECT max(id) FROM case_dispatches))`);
  if (escRows.length)
    await q(`SELECT setval(pg_get_serial_sequence('case_escalations', 'id'), (SELECT max(id) FROM case_escalations))`);

  const byStatus = await q<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM cases GROUP BY status ORDER BY status',
  );
  await database.db.transaction(async (tx) => {
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.cases',
      entityType: 'seed',
      entityId: 'cases',
      after: {
        categories: cats.length,
        rules: ruleRows.length,
        cases: caseRows.length,
        dispatches: dispatchRows.length,
        events: events.length,
        byStatus: Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])),
        ms: Date.now() - started,
      },
    });
  });
}
