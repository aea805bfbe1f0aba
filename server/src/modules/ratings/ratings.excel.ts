import ExcelJS from 'exceljs';
import type { TRectification, TUnitRate } from './ratings.schema.js';
import { RATING_LEVEL_ZH as LEVEL_ZH } from './ratings.summary.js';

const STATUS_ZH = {
  open: '待回访',
  called_back: '整改中',
  submitted: '待审核',
  returned: '已退回',
  accepted: '已销号',
};

async function book(name: string, columns: { header: string; key: string; width: number }[], rows: object[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  ws.columns = columns;
  ws.getRow(1).font = { bold: true };
  ws.addRows(rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function rectificationsWorkbook(rows: readonly TRectification[]): Promise<Buffer> {
  return book(
    '差评整改',
    [
      { header: '编号', key: 'ref', width: 18 },
      { header: '承办单位', key: 'unit', width: 24 },
      { header: '评价', key: 'level', width: 12 },
      { header: '群众意见', key: 'comment', width: 40 },
      { header: '整改期限', key: 'due', width: 12 },
      { header: '逾期', key: 'overdue', width: 6 },
      { header: '状态', key: 'status', width: 10 },
      { header: '回访情况', key: 'callback', width: 40 },
      { header: '整改结果', key: 'result', width: 40 },
      { header: '审核意见', key: 'review', width: 24 },
    ],
    rows.map((r) => ({
      ref: r.rating.subjectRef,
      unit: r.unitName,
      level: r.rating.level ? LEVEL_ZH[r.rating.level] : '',
      comment: r.rating.comment,
      due: r.dueDate,
      overdue: r.overdue ? '是' : '',
      status: STATUS_ZH[r.status],
      callback: r.callbackNote,
      result: r.result,
      review: r.reviewNote,
    })),
  );
}

export function ratesWorkbook(year: number, rows: readonly TUnitRate[]): Promise<Buffer> {
  return book(
    `${year}年好差评`,
    [
      { header: '单位', key: 'unit', width: 28 },
      { header: '邀请', key: 'invited', width: 8 },
      { header: '已评价', key: 'rated', width: 8 },
      ...Object.entries(LEVEL_ZH).map(([key, header]) => ({ header, key, width: 10 })),
      { header: '好评率(%)', key: 'goodRate', width: 10 },
      { header: '满意度得分', key: 'score', width: 10 },
      { header: '差评整改', key: 'rect', width: 10 },
      { header: '逾期', key: 'overdue', width: 8 },
    ],
    rows.map((r) => ({
      unit: r.unitName,
      invited: r.invited,
      rated: r.rated,
      ...r.counts,
      goodRate: r.goodRate,
      score: r.score,
      rect: r.rectifications,
      overdue: r.overdue,
    })),
  );
}
