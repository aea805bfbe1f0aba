import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { insertMany } from '../../db/bulk.js';
import { rng } from '../../engine/random.js';
import { addWorkingDays, beijingDate } from '../../engine/workdays.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { syncScoreInputs } from './assistance.service.js';
import {
  assistanceEvents,
  assistanceRequests,
  type AssistanceKind,
  type AssistanceStatus,
  type Satisfaction,
} from './assistance.table.js';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙';
const GIVEN = [
  '秀英',
  '桂兰',
  '建国',
  '志华',
  '红霞',
  '海涛',
  '丽娟',
  '德明',
  '春梅',
  '永刚',
  '玉兰',
  '金华',
  '小红',
  '卫东',
  '淑珍',
];

/** What people ask for, the unit it goes to (by code) and how often (weight). */
const KINDS: [AssistanceKind, string[], number, string[]][] = [
  [
    'wage',
    ['RSJ'],
    30,
    ['在建工地拖欠农民工工资两个月', '餐饮店关门拖欠员工工资', '装修公司拖欠工人工资', '快递站点拖欠派件员工资'],
  ],
  ['relief', ['MZJ'], 16, ['家庭突发重病申请临时救助', '低保申请咨询及办理', '因灾房屋受损申请救助']],
  ['legal_aid', ['SFJ'], 14, ['工伤赔偿申请法律援助', '追索劳动报酬申请法律援助', '交通事故赔偿需要律师帮助']],
  ['disability', ['MZJ'], 8, ['残疾人两项补贴申领', '残疾人辅具适配申请', '残疾人就业帮扶']],
  ['women', ['SFJ', 'MZJ'], 7, ['家庭暴力求助', '离婚后抚养费长期未支付', '女职工孕期被辞退']],
  ['elderly', ['MZJ'], 9, ['独居老人申请居家养老服务', '老人助餐点就餐申请', '失能老人护理补贴申请']],
  ['housing', ['FGJ', 'ZJJ'], 8, ['公租房申请进度查询', '房屋漏水无人维修', '老旧小区加装电梯协调']],
  ['medical', ['YBJ', 'WJW'], 6, ['大病医保报销求助', '异地就医备案办理', '困难群众医疗救助申请']],
  ['other', ['ST01', 'ST02', 'ST03'], 2, ['小区路灯损坏求助', '下水道堵塞求助']],
];

const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * 汉江区's 2026 assistance ledger: 500 requests at the service centre's 求助中心, referred to the units
 * responsible (wage claims to 人社局 …), signed, answered (mostly on time), urged when late, called back
 * with the requester's satisfaction; the demo's 协办事项按时反馈率 leaf (C2_01) is fed by it.
 */
export async function seedAssistance(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const year = 2026;
  const today = beijingDate(new Date());
  const last = today.startsWith(`${year}`) ? today : `${year}-12-31`;
  const units = new Map(
    (await q<{ id: number; code: string }>('SELECT id, code FROM units WHERE active')).map((u) => [u.code, u.id]),
  );
  const desk = (
    await q<{ id: number; display_name: string }>(
      `SELECT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'mediator' ORDER BY u.id LIMIT 1`,
    )
  )[0];
  if (!desk || today < `${year}-01-10`) return;
  const handlers = new Map(
    (
      await q<{ unit_id: number; display_name: string }>(
        `SELECT DISTINCT ON (u.unit_id) u.unit_id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'handler' ORDER BY u.unit_id, u.id`,
      )
    ).map((h) => [h.unit_id, h.display_name]),
  );
  const cal = await loadCalendar(database.db);
  const gen = rng(20260402);
  const rnd = () => gen.next();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const totalW = KINDS.reduce((a, k) => a + k[2], 0);
  const kindOf = () => {
    let x = rnd() * totalW;
    for (const k of KINDS) if ((x -= k[2]) < 0) return k;
    return KINDS[0];
  };
  const span = (Date.parse(`${last}T00:00:00Z`) - Date.parse(`${year}-01-04T00:00:00Z`)) / 86_400_000;
  const [{ id: firstId }] = await q<{ id: number }>(
    "SELECT nextval(pg_get_serial_sequence('assistance_requests', 'id'))::int AS id",
  );
  const requests: (typeof assistanceRequests.$inferInsert)[] = [];
  const events: (typeof assistanceEvents.$inferInsert)[] = [];
  const at = (d: string, h: number) =>
    new Date(`${d}T${String(h).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00+08:00`);
  for (let i = 0; i < 500; i++) {
    const id = firstId + i;
    const [kind, codes, , texts] = kindOf();
    const unitId = units.get(pick(codes)) ?? units.get('MZJ')!;
    const received = addDays(`${year}-01-04`, Math.floor(rnd() * span));
    const people = kind === 'wage' ? (rnd() < 0.3 ? 3 + Math.floor(rnd() * 40) : 1) : 1;
    const claimed = kind === 'wage' ? Math.round(people * (3000 + rnd() * 20000)) : 0;
    const name = pick([...SURNAMES]) + pick(GIVEN);
    let status: AssistanceStatus = 'registered';
    let referredOn: string | null = null;
    let dueOn: string | null = null;
    let answeredOn: string | null = null;
    let closedOn: string | null = null;
    let satisfaction: Satisfaction | null = null;
    let urges = 0;
    let recovered = 0;
    const handler = handlers.get(unitId) ?? '承办科室';
    events.push({
      requestId: id,
      kind: 'register',
      actorId: desk.id,
      actorName: desk.display_name,
      unitId: null,
      note: '',
      at: at(received, 9),
    });
    // Referred the same or the next working day (unless registered in the last day or two).
    const referDay = rnd() < 0.7 ? received : addWorkingDays(cal, received, 1);
    if (referDay <= today && !(referDay === today && rnd() < 0.5)) {
      status = 'referred';
      referredOn = referDay;
      dueOn = addWorkingDays(cal, referDay, 5);
      events.push({
        requestId: id,
        kind: 'refer',
        actorId: desk.id,
        actorName: desk.display_name,
        unitId,
        note: `限 ${dueOn} 前答复`,
        at: at(referDay, 10),
      });
      const signDay = addWorkingDays(cal, referDay, rnd() < 0.8 ? 0 : 1);
      if (signDay <= today) {
        status = 'signed';
        events.push({
          requestId: id,
          kind: 'sign',
          actorId: null,
          actorName: handler,
          unitId,
          note: '',
          at: at(signDay, 14),
        });
        const late = rnd() < 0.1;
        const answerDay = addWorkingDays(cal, referDay, late ? 6 + Math.floor(rnd() * 5) : 1 + Math.floor(rnd() * 5));
        if (late && dueOn < today) {
          urges = 1;
          events.push({
            requestId: id,
            kind: 'urge',
            actorId: desk.id,
            actorName: desk.display_name,
            unitId,
            note: '已超过答复时限，请尽快办理答复',
            at: at(addDays(dueOn, 1), 9),
          });
        }
        // A few late ones are still unanswered: overdue, urged, in the desk's red list.
        const stuck = late && dueOn < today && rnd() < 0.35;
        if (answerDay <= today && !stuck) {
          status = 'answered';
          answeredOn = answerDay;
          recovered = kind === 'wage' && rnd() < 0.8 ? Math.round(claimed * (0.7 + rnd() * 0.3)) : 0;
          events.push({
            requestId: id,
            kind: 'answer',
            actorId: null,
            actorName: handler,
            unitId,
            note: recovered ? `经督促用人单位已支付工资 ${recovered} 元` : '已按政策办理并告知求助人',
            at: at(answerDay, 16),
          });
          const backDay = addWorkingDays(cal, answerDay, 1 + Math.floor(rnd() * 3));
          if (backDay <= today) {
            status = 'closed';
            closedOn = backDay;
            const r = rnd();
            satisfaction = r < 0.8 ? 'satisfied' : r < 0.94 ? 'basic' : 'unsatisfied';
            events.push({
              requestId: id,
              kind: 'feedback',
              actorId: desk.id,
              actorName: desk.display_name,
              unitId,
              note:
                satisfaction === 'satisfied'
                  ? '满意'
                  : satisfaction === 'basic'
                    ? '基本满意'
                    : '不满意：希望进一步跟进',
              at: at(backDay, 11),
            });
          }
        }
      }
    }
    requests.push({
      id,
      number: `QZ${year}-${String(id).padStart(5, '0')}`,
      year,
      kind,
      requesterName: name,
      requesterPhone: `13${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`,
      requesterAddress: `汉江区${pick(['汉正街', '民族路', '满春街', '前进街', '民意街'])}${1 + Math.floor(rnd() * 300)}号`,
      people,
      amountClaimed: claimed,
      amountRecovered: recovered,
      description: `${pick(texts)}${people > 1 ? `（${people}人）` : ''}${claimed ? `，涉及金额约 ${claimed} 元` : ''}`,
      receivedOn: received,
      status,
      unitId: status === 'registered' ? null : unitId,
      referredOn,
      dueOn,
      signedAt: status === 'registered' || status === 'referred' ? null : at(referredOn!, 14),
      answer: answeredOn ? (recovered ? `经督促用人单位已支付工资 ${recovered} 元` : '已按政策办理并告知求助人') : '',
      answeredOn,
      urgeCount: urges,
      satisfaction,
      feedbackNote: '',
      closedOn,
      createdBy: desk.id,
    });
  }
  await database.db.transaction(async (tx) => {
    await insertMany(tx, assistanceRequests, requests);
    await insertMany(tx, assistanceEvents, events);
    await tx.execute(
      sql`SELECT setval(pg_get_serial_sequence('assistance_requests', 'id'), ${firstId + requests.length - 1})`,
    );
    // The demo tree's 协办事项按时反馈率 is the desk's referrals' on-time rate from now on (the units it
    // referred to get their inputs from here; the others keep what they reported).
    await tx.execute(
      sql`UPDATE indicators SET data_source = 'assistance', description = '求助中心转办事项在答复时限内答复的比例（按时答复 / 应答复）'
          WHERE code = 'C2_01' AND year_id = (SELECT id FROM assessment_years WHERE year = ${year} AND kind = 'annual')`,
    );
    const inputs = await syncScoreInputs(tx, { year, on: today });
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'assistance.seed',
      entityType: 'assistance_request',
      entityId: null,
      after: { requests: requests.length, events: events.length, ...inputs },
    });
  });
}
