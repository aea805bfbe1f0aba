/**
 * Demo accountability notices: this year's 整改建议书 / 监察建议书 / 监察决定书 to departments, in every
 * state (issued and waiting, replied, returned, accepted, overdue), one linked to an existing 问责扣分.
 * Issued through `issueNotice` (numbers, audit entries and the counts of the year's leaf B1_04 as in use), then
 * the replies and reviews.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { beijingDate } from '../../engine/workdays.js';
import { issueNotice } from './notices.service.js';
import type { NoticeKind, NoticeStatus } from './notices.table.js';

type Demo = {
  unit: string;
  kind: NoticeKind;
  title: string;
  findings: string;
  actions: string;
  /** Days before today it was issued, and days it had to reply. */
  ago: number;
  days: number;
  fate: NoticeStatus;
  issuer?: string;
};

const DEMO: Demo[] = [
  {
    unit: 'SJJ',
    kind: 'rectification_advice',
    title: '登记窗口服务效能问题',
    findings: '特约监察员暗访发现窗口人员工作时间离岗\n群众平均等候时间超过40分钟',
    actions: '落实首问负责制和AB岗制度\n公开窗口值班表并接受监督',
    ago: 200,
    days: 20,
    fate: 'accepted',
  },
  {
    unit: 'CGJ',
    kind: 'rectification_advice',
    title: '12345诉求重复投诉问题',
    findings: '占道经营类诉求重复投诉率达18%\n部分办结件未实地核查',
    actions: '建立重复诉求销号台账\n对重复投诉点位实行网格化巡查',
    ago: 150,
    days: 20,
    fate: 'accepted',
  },
  {
    unit: 'ZJJ',
    kind: 'supervision_advice',
    title: '施工许可审批超时',
    findings: '电子监察发现3件施工许可办件超过承诺时限\n其中1件超时7个工作日',
    actions: '梳理审批环节，压缩内部流转时间\n对超时办件责任人进行约谈',
    ago: 120,
    days: 15,
    fate: 'accepted',
    issuer: '区监察委员会',
  },
  {
    unit: 'FGJ',
    kind: 'rectification_advice',
    title: '群众满意度偏低',
    findings: '第二季度好差评差评率达9.6%，居全区末位',
    actions: '逐件回访差评诉求人\n制定服务提升方案',
    ago: 95,
    days: 20,
    fate: 'accepted',
  },
  {
    unit: 'RSJ',
    kind: 'supervision_advice',
    title: '社保业务办理推诿',
    findings: '明察暗访发现窗口对跨区业务推诿，要求群众往返两次',
    actions: '实行一次性告知制度\n开展窗口作风专项整治',
    ago: 80,
    days: 15,
    fate: 'returned',
    issuer: '区监察委员会',
  },
  {
    unit: 'JTJ',
    kind: 'rectification_advice',
    title: '督办事项进展滞后',
    findings: '3项区政府督办事项连续两个月红灯',
    actions: '制定倒排工期计划\n每周报送进展',
    ago: 60,
    days: 20,
    fate: 'replied',
  },
  {
    unit: 'WJW',
    kind: 'rectification_advice',
    title: '信息公开不及时',
    findings: '政务公开栏目超过3个月未更新',
    actions: '明确专人负责信息发布\n建立每月更新机制',
    ago: 50,
    days: 15,
    fate: 'issued',
  },
  {
    unit: 'MZJ',
    kind: 'supervision_advice',
    title: '低保审批超期',
    findings: '电子监察黄牌预警12次，红牌3次',
    actions: '对超期办件逐件说明原因\n优化入户核查安排',
    ago: 45,
    days: 15,
    fate: 'issued',
    issuer: '区监察委员会',
  },
  {
    unit: 'SWUJ',
    kind: 'rectification_advice',
    title: '排水设施维护诉求处置不力',
    findings: '雨季积水诉求办结后复发率高',
    actions: '排查易积水点位并建立台账',
    ago: 30,
    days: 20,
    fate: 'replied',
  },
  {
    unit: 'STHJ',
    kind: 'supervision_decision',
    title: '环境信访件弄虚作假',
    findings: '经核查，2件信访件办结材料与实际不符',
    actions: '对相关责任人依规处理\n全面复查本年度办结件',
    ago: 25,
    days: 30,
    fate: 'issued',
    issuer: '区监察委员会',
  },
  {
    unit: 'CGJ',
    kind: 'supervision_advice',
    title: '门前三包检查走过场',
    findings: '暗访发现部分路段检查记录与现场不符',
    actions: '严格落实巡查记录与现场照片对应',
    ago: 12,
    days: 20,
    fate: 'issued',
    issuer: '区监察委员会',
  },
  {
    unit: 'ZWJ',
    kind: 'rectification_advice',
    title: '一网通办事项材料不统一',
    findings: '线上线下办事指南所需材料不一致的事项14项',
    actions: '统一办事指南\n建立定期比对机制',
    ago: 8,
    days: 20,
    fate: 'issued',
  },
  {
    unit: 'RSJ',
    kind: 'rectification_advice',
    title: '12345工单超期签收',
    findings: '本月超期签收工单占比11%',
    actions: '落实专人签收制度',
    ago: 5,
    days: 15,
    fate: 'replied',
  },
];

export async function seedNotices(database: Database): Promise<void> {
  const { db } = database;
  const units = new Map(
    (await database.query<{ id: number; code: string }>('SELECT id, code FROM units')).map((u) => [u.code, u.id]),
  );
  const deductions = await database.query<{ id: number; unit_id: number }>(
    'SELECT id, unit_id FROM accountability_deductions ORDER BY id LIMIT 20',
  );
  const [office] = await database.query<{ id: number }>(`SELECT id FROM users WHERE username = 'office'`);
  const now = Date.now();
  const year = Number(beijingDate(new Date()).slice(0, 4));
  const list = DEMO.filter((d) => units.has(d.unit)).filter((d) => {
    // This year's notices only (the numbers run per year).
    return Number(beijingDate(new Date(now - d.ago * 86_400_000)).slice(0, 4)) === year;
  });
  // The `notices` leaf of the demo tree: B1_04 问责文书, 1 point taken from B1_03; a deduction of 0.5
  // per notice issued to the unit (added before the notices, so each writes its month's count).
  const [tree] = await database.query<{ id: number }>(
    "SELECT id FROM assessment_years WHERE year = $1 AND kind = 'annual'",
    [year],
  );
  if (tree) {
    const [b1] = await database.query<{ id: number }>("SELECT id FROM indicators WHERE year_id = $1 AND code = 'B1'", [
      tree.id,
    ]);
    const [b13] = await database.query<{ id: number }>(
      "SELECT id FROM indicators WHERE year_id = $1 AND code = 'B1_03'",
      [tree.id],
    );
    if (b1 && b13) {
      await database.query('UPDATE indicators SET points = points - 1 WHERE id = $1', [b13.id]);
      await database.query(
        `INSERT INTO indicators (year_id, parent_id, code, name, level, points, sort, unit_of_measure, description, applies_to,
                                 assessing_unit_id, data_source, direction, method, aggregate)
         VALUES ($1, $2, 'B1_04', '整改建议书、监察建议书和监察决定书', 3, 1, 40, '件',
                 '当年收到整改建议书、监察建议书、监察决定书的件数，每件扣 0.5 分，扣完为止', '{"categoryIds":[],"unitIds":[]}',
                 (SELECT id FROM units WHERE code = 'JCY'), 'notices', 'negative', $3, 'sum')`,
        [tree.id, b1.id, JSON.stringify({ kind: 'deduction', perOccurrence: 0.5, maxTotal: 1 })],
      );
    }
  }
  await db.transaction(async (tx) => {
    for (const d of list) {
      const at = new Date(now - d.ago * 86_400_000);
      const unitId = units.get(d.unit)!;
      const deadline = beijingDate(new Date(at.getTime() + d.days * 86_400_000));
      const deduction = d.ago === 95 ? deductions.find((x) => x.unit_id === unitId) : undefined;
      const { id } = await issueNotice(tx, {
        kind: d.kind,
        unitId,
        title: d.title,
        findings: d.findings,
        actions: d.actions,
        deadline,
        issuerName: d.issuer,
        issuedBy: office?.id ?? null,
        deductionId: deduction?.id ?? null,
        at,
      });
      if (d.fate === 'issued') continue;
      const replied = new Date(Math.min(now - 86_400_000, at.getTime() + (d.days - 3) * 86_400_000));
      const reviewed = new Date(Math.min(now - 3_600_000, replied.getTime() + 3 * 86_400_000));
      await tx.execute(sql`UPDATE notices SET status = ${d.fate},
          reply_measures = ${'一是成立整改工作专班，主要负责同志牵头；二是逐项制定整改措施，明确责任人和完成时限；三是建立长效机制，防止问题反弹。'},
          reply_evidence = ${'整改工作方案、会议纪要、整改台账'},
          replied_at = ${replied.toISOString()}, replied_by = NULL,
          reviewed_at = ${d.fate === 'replied' ? null : reviewed.toISOString()},
          reviewed_by = ${d.fate === 'replied' ? null : (office?.id ?? null)},
          review_note = ${d.fate === 'returned' ? '整改措施针对性不强，请补充跨区业务办理流程' : d.fate === 'accepted' ? '整改到位，予以销号' : ''},
          returns = ${d.fate === 'returned' ? 1 : 0}
        WHERE id = ${id}`);
    }
  });
}
