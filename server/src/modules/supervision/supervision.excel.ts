import ExcelJS from 'exceljs';
import type { TTaskRow } from './supervision.schema.js';

export const SOURCE_ZH: Record<TTaskRow['source'], string> = {
  work_report: '政府工作报告',
  executive_meeting: '常务会议决定',
  instruction: '领导批示',
  higher_level: '上级交办',
  npc_proposal: '人大议案',
  cppcc_proposal: '政协提案',
  investment: '招商引资',
  annual_target: '年度目标',
  lagging_indicator: '滞后指标',
};
export const STATUS_ZH: Record<TTaskRow['status'], string> = {
  proposed: '待立项',
  declined: '不予立项',
  merged: '已合并',
  assigned: '待签收',
  signed: '待报方案',
  plan_submitted: '方案待审',
  in_progress: '推进中',
  completion_applied: '办结待审',
  completed: '已办结',
};
export const PRIORITY_ZH: Record<TTaskRow['priority'], string> = { normal: '一般', high: '重点', urgent: '紧急' };
const LIGHT_ZH = { green: '绿灯', yellow: '黄灯', red: '红灯' } as const;
const COMPLETION_ZH = { on_time: '按时办结', overdue: '逾期办结', not_done: '未办结' } as const;
const QUALITY_ZH = { excellent: '优', good: '良', fair: '中', poor: '差' } as const;

/** The ledger as an .xlsx workbook (台账), in the order and with the filters of the page. */
export async function ledgerWorkbook(rows: readonly TTaskRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('督查督办台账');
  ws.columns = [
    { header: '编号', key: 'id', width: 8 },
    { header: '来源', key: 'source', width: 14 },
    { header: '事项', key: 'title', width: 50 },
    { header: '牵头单位', key: 'lead', width: 18 },
    { header: '配合单位', key: 'co', width: 24 },
    { header: '责任领导', key: 'leader', width: 12 },
    { header: '完成时限', key: 'deadline', width: 12 },
    { header: '优先级', key: 'priority', width: 8 },
    { header: '状态', key: 'status', width: 12 },
    { header: '进度(%)', key: 'progress', width: 9 },
    { header: '警示灯', key: 'light', width: 8 },
    { header: '办结评定', key: 'completion', width: 10 },
    { header: '质量', key: 'quality', width: 6 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    ws.addRow({
      id: r.id,
      source: SOURCE_ZH[r.source],
      title: r.title,
      lead: r.leadUnitName ?? '',
      co: r.coUnitNames.join('、'),
      leader: r.leaderName ?? '',
      deadline: r.deadline,
      priority: PRIORITY_ZH[r.priority],
      status: STATUS_ZH[r.status],
      progress: r.progress,
      light: r.light ? LIGHT_ZH[r.light] : '',
      completion: r.completion ? COMPLETION_ZH[r.completion] : '',
      quality: r.quality ? QUALITY_ZH[r.quality] : '',
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
