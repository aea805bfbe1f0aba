import ExcelJS from 'exceljs';
import { KIND_TITLES } from './notices.rules.js';
import type { TNotice } from './notices.schema.js';

const STATUS_ZH = { issued: '待答复', replied: '已答复待审', returned: '已退回', accepted: '已销号' } as const;

export async function noticesWorkbook(rows: readonly TNotice[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问责通知');
  ws.columns = [
    { header: '文号', key: 'number', width: 20 },
    { header: '类型', key: 'kind', width: 12 },
    { header: '单位', key: 'unit', width: 24 },
    { header: '事由', key: 'title', width: 30 },
    { header: '下发机关', key: 'issuer', width: 18 },
    { header: '下发日期', key: 'issued', width: 12 },
    { header: '答复期限', key: 'deadline', width: 12 },
    { header: '逾期', key: 'overdue', width: 6 },
    { header: '状态', key: 'status', width: 10 },
    { header: '整改措施', key: 'measures', width: 40 },
    { header: '佐证文件', key: 'files', width: 30 },
    { header: '问责扣分', key: 'deduction', width: 20 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.addRows(
    rows.map((n) => ({
      number: n.number,
      kind: KIND_TITLES[n.kind],
      unit: n.unitName,
      title: n.title,
      issuer: n.issuerName,
      issued: n.issuedAt.slice(0, 10),
      deadline: n.deadline,
      overdue: n.overdue ? '是' : '',
      status: STATUS_ZH[n.status],
      measures: n.replyMeasures,
      files: n.files.map((f) => f.name).join('、'),
      deduction: n.deduction ? `${n.deduction.documentNo} −${n.deduction.points}` : '',
    })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
