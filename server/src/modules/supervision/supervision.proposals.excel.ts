import ExcelJS from 'exceljs';
import type { TInvestment, TProposalRow } from './supervision.docs.schema.js';

const KIND_ZH = { npc_motion: '人大议案', cppcc_proposal: '政协提案' } as const;
const STATUS_ZH = { assigned: '办理中', replied: '已答复待评价', closed: '已办结' } as const;
const SATISFACTION_ZH = { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' } as const;

/** The proposals list as an .xlsx workbook, in the order and with the filters of the page. */
export async function proposalsWorkbook(rows: readonly TProposalRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('议案提案办理');
  ws.columns = [
    { header: '年度', key: 'year', width: 8 },
    { header: '类别', key: 'kind', width: 10 },
    { header: '编号', key: 'number', width: 12 },
    { header: '标题', key: 'title', width: 48 },
    { header: '代表/委员', key: 'deputy', width: 22 },
    { header: '主办单位', key: 'lead', width: 18 },
    { header: '协办单位', key: 'co', width: 24 },
    { header: '答复期限', key: 'deadline', width: 12 },
    { header: '状态', key: 'status', width: 14 },
    { header: '办理轮次', key: 'round', width: 10 },
    { header: '答复日期', key: 'replied', width: 12 },
    { header: '满意度', key: 'satisfaction', width: 10 },
    { header: '逾期未答复', key: 'overdue', width: 10 },
  ];
  for (const r of rows)
    ws.addRow({
      year: r.year,
      kind: KIND_ZH[r.kind],
      number: r.number,
      title: r.title,
      deputy: r.deputyName,
      lead: r.leadUnitName,
      co: r.coUnitNames.join('、'),
      deadline: r.deadline,
      status: STATUS_ZH[r.status],
      round: r.round,
      replied: r.repliedOn ?? '',
      satisfaction: r.satisfaction ? SATISFACTION_ZH[r.satisfaction] : '',
      overdue: r.overdue ? '是' : '',
    });
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const STAGE_ZH = { signed: '签约', registered: '注册', started: '开工', producing: '投产' } as const;

/** The investment projects as an .xlsx workbook: amounts, unit, leader, and each stage planned / done. */
export async function investmentsWorkbook(rows: readonly TInvestment[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('招商引资督办');
  ws.columns = [
    { header: '年度', key: 'year', width: 8 },
    { header: '项目', key: 'name', width: 36 },
    { header: '投资方', key: 'investor', width: 24 },
    { header: '产业', key: 'industry', width: 12 },
    { header: '签约额(万元)', key: 'contract', width: 14 },
    { header: '到位资金(万元)', key: 'paid', width: 14 },
    { header: '责任单位', key: 'unit', width: 16 },
    { header: '分管领导', key: 'leader', width: 12 },
    { header: '当前阶段', key: 'stage', width: 10 },
    ...Object.entries(STAGE_ZH).map(([k, v]) => ({ header: `${v}(计划/完成)`, key: k, width: 24 })),
    { header: '逾期阶段', key: 'overdue', width: 14 },
  ];
  for (const r of rows) {
    const row: Record<string, unknown> = {
      year: r.year,
      name: r.name,
      investor: r.investor,
      industry: r.industry,
      contract: r.contractAmount,
      paid: r.paidInAmount,
      unit: r.unitName,
      leader: r.leaderName ?? '',
      stage: r.stage ? STAGE_ZH[r.stage] : '未签约',
      overdue: r.overdueStages.map((s) => STAGE_ZH[s]).join('、'),
    };
    for (const s of r.stages) row[s.stage] = `${s.plannedOn} / ${s.doneOn ?? '—'}`;
    ws.addRow(row);
  }
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
