import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { insertMany } from '../../db/bulk.js';
import { rng } from '../../engine/random.js';
import { beijingDate } from '../../engine/workdays.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { syncScoreInputs } from './mediation.service.js';
import {
  mediationCases,
  mediationMediators,
  mediationParties,
  mediationSessions,
  mediationUnits,
  type DisputeType,
  type MediationStatus,
} from './mediation.table.js';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '志强',
  '海燕',
  '红梅',
  '国庆',
  '春花',
  '德胜',
];
const COMPANIES = [
  '汉江宏达建筑劳务有限公司',
  '汉江金盛装饰工程有限公司',
  '汉江顺丰物流配送站',
  '汉江美佳餐饮管理有限公司',
  '汉江恒通物业服务有限公司',
  '汉江新世纪商贸有限公司',
  '汉江鑫源服装加工厂',
  '汉江优选电器销售有限公司',
  '汉江安居房地产经纪有限公司',
  '汉江百味餐饮店',
];
const PLACES = [
  '区政务服务中心调解室',
  '区政务服务中心联合调解室',
  '社区人民调解室',
  '街道综治中心调解室',
  '当事人所在小区物业办公室',
];

/** Titles by dispute type; a labour dispute names the unpaid wages. */
const TITLES: Record<DisputeType, string[]> = {
  labour: [
    '农民工讨要工程款及工资',
    '员工被拖欠三个月工资',
    '解除劳动合同经济补偿争议',
    '工伤待遇赔偿争议',
    '加班费支付争议',
  ],
  neighbour: ['楼上漏水导致楼下墙面受损', '邻居违规搭建遮挡采光', '宠物扰邻引发纠纷', '公共走道堆放杂物纠纷'],
  consumer: ['预付卡商家闭店退费', '装修质量不合格返工争议', '网购家电质量问题退换', '培训机构退费纠纷'],
  property: ['物业费收缴与服务质量争议', '小区停车位管理纠纷', '电梯维修费用分摊争议', '物业公司交接纠纷'],
  family: ['离婚财产分割调解', '赡养老人费用分担', '继承房产纠纷', '抚养费支付争议'],
  traffic: ['电动车与行人碰撞赔偿', '小区内车辆剐蹭赔偿'],
  contract: ['房屋租赁押金退还争议', '民间借贷还款纠纷', '二手房买卖定金纠纷'],
  land: ['村集体土地承包经营权纠纷', '宅基地界址争议'],
  other: ['商铺噪音扰民纠纷', '医疗费用分担争议'],
};
/** How often each type comes to the centre (labour disputes most: wage claims). */
const TYPE_WEIGHTS: [DisputeType, number][] = [
  ['labour', 34],
  ['neighbour', 14],
  ['consumer', 12],
  ['property', 12],
  ['family', 10],
  ['traffic', 5],
  ['contract', 8],
  ['land', 2],
  ['other', 3],
];
/** The department that joins a joint mediation of each type. */
const JOINT: Record<DisputeType, string[]> = {
  labour: ['RSJ', 'ZJJ', 'SFJ'],
  neighbour: ['ZJJ', 'CGJ'],
  consumer: ['SJJ', 'SWJ'],
  property: ['FGJ', 'ZJJ'],
  family: ['MZJ', 'SFJ'],
  traffic: ['GAJ', 'JTJ'],
  contract: ['SFJ', 'FGJ'],
  land: ['NYJ', 'GHJ'],
  other: ['WJW', 'CGJ'],
};

const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * 汉江区's 2026 mediation ledger: 300 disputes at the service centre's mediation desk (and some at the
 * streets' committees), ~12% jointly mediated with departments, one to four sessions each, every outcome
 * (most agreements; wage recoveries for labour disputes), then the 调解成功率 score inputs.
 */
export async function seedMediation(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const year = 2026;
  const today = beijingDate(new Date());
  const last = today.startsWith(`${year}`) ? today : `${year}-12-31`;
  const units = new Map(
    (
      await q<{ id: number; code: string; kind: string; name: string }>(
        'SELECT id, code, kind, name FROM units WHERE active',
      )
    ).map((u) => [u.code, u]),
  );
  const desk = units.get('ZWJ');
  const streets = [...units.values()].filter((u) => u.kind === 'street');
  const mediators = await q<{ id: number; display_name: string }>(
    `SELECT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'mediator' ORDER BY u.id`,
  );
  if (!desk || !mediators.length || today < `${year}-01-10`) return;
  const gen = rng(20260301);
  const rnd = () => gen.next();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const person = () => pick([...SURNAMES]) + pick(GIVEN);
  const phone = () => `1${pick(['38', '39', '58', '86', '35'])}${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`;
  const totalW = TYPE_WEIGHTS.reduce((a, [, w]) => a + w, 0);
  const type = (): DisputeType => {
    let x = rnd() * totalW;
    for (const [t, w] of TYPE_WEIGHTS) if ((x -= w) < 0) return t;
    return 'other';
  };
  const span = (Date.parse(`${last}T00:00:00Z`) - Date.parse(`${year}-01-04T00:00:00Z`)) / 86_400_000;
  const [{ id: firstId }] = await q<{ id: number }>(
    "SELECT (nextval(pg_get_serial_sequence('mediation_cases', 'id')))::int AS id",
  );

  const cases: (typeof mediationCases.$inferInsert)[] = [];
  const parties: (typeof mediationParties.$inferInsert)[] = [];
  const caseMediators: (typeof mediationMediators.$inferInsert)[] = [];
  const joints: (typeof mediationUnits.$inferInsert)[] = [];
  const sessions: (typeof mediationSessions.$inferInsert)[] = [];
  for (let i = 0; i < 300; i++) {
    const id = firstId + i;
    const t = type();
    const received = addDays(`${year}-01-04`, Math.floor(rnd() * span));
    const atStreet = (t === 'neighbour' || t === 'family') && rnd() < 0.4 && streets.length;
    const host = atStreet ? pick(streets) : desk;
    const joint = rnd() < 0.12 ? [...new Set([pick(JOINT[t]), ...(rnd() < 0.3 ? [pick(JOINT[t])] : [])])] : [];
    const people =
      t === 'labour'
        ? rnd() < 0.35
          ? 5 + Math.floor(rnd() * 60)
          : 1 + Math.floor(rnd() * 3)
        : 2 + Math.floor(rnd() * 3);
    const claimed =
      t === 'labour'
        ? Math.round(people * (8000 + rnd() * 40000))
        : ['consumer', 'contract', 'property', 'traffic'].includes(t)
          ? Math.round(2000 + rnd() * 80000)
          : 0;
    // Sessions every few days from receipt; the case is concluded after the last one, unless it is recent.
    const nSessions = 1 + Math.floor(rnd() * 4);
    const dates: string[] = [];
    let d = addDays(received, Math.floor(rnd() * 4));
    for (let s = 0; s < nSessions && d <= today; s++) {
      dates.push(d);
      d = addDays(d, 2 + Math.floor(rnd() * 8));
    }
    const age = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${received}T00:00:00Z`)) / 86_400_000;
    const r = rnd();
    let status: MediationStatus =
      age < 12 && rnd() < 0.7
        ? 'open'
        : r < 0.8
          ? 'agreed'
          : r < 0.88
            ? 'failed'
            : r < 0.94 && t === 'labour'
              ? 'arbitration'
              : r < 0.94
                ? 'failed'
                : 'court';
    if (!dates.length) status = 'open';
    const outcomeOn = status === 'open' ? null : addDays(dates[dates.length - 1], Math.floor(rnd() * 2));
    const concluded = outcomeOn !== null && outcomeOn <= today ? outcomeOn : null;
    if (!concluded) status = 'open';
    const recovered = status === 'agreed' && claimed ? Math.round(claimed * (0.6 + rnd() * 0.4)) : 0;
    const title = pick(TITLES[t]);
    const applicant = person();
    const respondent = t === 'labour' || t === 'consumer' || t === 'property' ? pick(COMPANIES) : person();
    cases.push({
      id,
      number: `TJ${year}-${String(id).padStart(5, '0')}`,
      year,
      disputeType: t,
      title: people > 4 && t === 'labour' ? `${people}名${title}` : title,
      facts: `${applicant}${people > 1 ? `等${people}人` : ''}与${respondent}因${title}发生纠纷，${claimed ? `涉及金额约${claimed}元，` : ''}申请调解。`,
      hostUnitId: host.id,
      receivedOn: received,
      status,
      outcomeOn: concluded,
      outcomeNote:
        status === 'failed'
          ? '双方分歧较大，未能达成一致，已告知其他救济途径'
          : status === 'arbitration'
            ? '引导申请劳动人事争议仲裁'
            : status === 'court'
              ? '告知当事人依法向人民法院起诉'
              : '',
      agreement:
        status === 'agreed'
          ? recovered
            ? `一、${respondent}同意支付${applicant}${people > 1 ? '等人' : ''}${title.includes('工资') || t === 'labour' ? '工资及相关费用' : '款项'}共计人民币${recovered}元；\n二、双方就此纠纷再无其他争议。`
            : `一、双方同意${title.replace(/纠纷|争议/g, '')}问题按协商方案处理；\n二、双方就此纠纷再无其他争议。`
          : '',
      performance:
        status === 'agreed' ? (recovered ? '协议签订之日起十日内一次性银行转账支付' : '协议签订后立即履行') : '',
      people,
      amountClaimed: claimed,
      amountRecovered: recovered,
      createdBy: mediators[0].id,
    });
    parties.push({
      caseId: id,
      side: 'applicant',
      name: applicant,
      contact: phone(),
      address: `汉江区${pick(['汉正街', '民族路', '满春街', '前进街', '民意街'])}${1 + Math.floor(rnd() * 200)}号`,
    });
    parties.push({ caseId: id, side: 'respondent', name: respondent, contact: phone(), address: '汉江区' });
    const ms = rnd() < 0.3 && mediators.length > 1 ? mediators : [pick(mediators)];
    for (const m of ms) caseMediators.push({ caseId: id, userId: m.id });
    for (const code of joint) {
      const u = units.get(code);
      if (u && u.id !== host.id) joints.push({ caseId: id, unitId: u.id });
    }
    const lastDay = concluded ?? today;
    for (const [k, sd] of dates.entries()) {
      if (sd > lastDay) break;
      const m = pick(ms);
      sessions.push({
        caseId: id,
        heldOn: sd,
        place: joint.length ? PLACES[1] : pick(PLACES),
        note:
          k === 0
            ? '听取双方陈述，核实争议事实，释法说理。'
            : k === dates.length - 1 && status === 'agreed'
              ? '双方达成一致意见，当场签订调解协议。'
              : '背对背做双方工作，缩小分歧。',
        recordedBy: m.id,
        recordedByName: m.display_name,
      });
    }
  }
  await database.db.transaction(async (tx) => {
    await insertMany(tx, mediationCases, cases);
    await insertMany(tx, mediationParties, parties);
    await insertMany(tx, mediationMediators, caseMediators);
    await insertMany(tx, mediationUnits, joints);
    await insertMany(tx, mediationSessions, sessions);
    await tx.execute(
      sql`SELECT setval(pg_get_serial_sequence('mediation_cases', 'id'), ${firstId + cases.length - 1})`,
    );
    const inputs = await syncScoreInputs(tx, { year, on: today });
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'mediation.seed',
      entityType: 'mediation_case',
      entityId: null,
      after: {
        cases: cases.length,
        sessions: sessions.length,
        joint: new Set(joints.map((j) => j.caseId)).size,
        ...inputs,
      },
    });
  });
}
