import { fieldColumns, figuresSheet, sheetsWorkbook, type SheetColumn } from '../../lib/xlsx-sheet.js';
import type { TCounts, TRequestRow, TStats } from './assistance.schema.js';
import { KIND_ZH, SATISFACTION_ZH, STATUS_ZH } from './assistance.service.js';

const LEDGER_COLUMNS: SheetColumn<TRequestRow>[] = [
  { header: '编号', width: 14, value: (r) => r.number },
  { header: '登记日期', width: 12, value: (r) => r.receivedOn },
  { header: '求助类别', width: 16, value: (r) => KIND_ZH[r.kind] },
  { header: '求助人', width: 10, value: (r) => r.requesterName },
  { header: '求助事项', width: 40, value: (r) => r.description },
  { header: '涉及人数', width: 9, value: (r) => r.people },
  { header: '承办单位', width: 20, value: (r) => r.unitName ?? '' },
  { header: '转办日期', width: 12, value: (r) => r.referredOn ?? '' },
  { header: '答复时限', width: 12, value: (r) => r.dueOn ?? '' },
  { header: '答复日期', width: 12, value: (r) => r.answeredOn ?? '' },
  { header: '超期', width: 6, value: (r) => (r.overdue ? '是' : '') },
  { header: '督办次数', width: 9, value: (r) => r.urgeCount },
  { header: '状态', width: 9, value: (r) => STATUS_ZH[r.status] },
  { header: '回访评价', width: 10, value: (r) => (r.satisfaction ? SATISFACTION_ZH[r.satisfaction] : '') },
  { header: '诉求金额(元)', width: 13, value: (r) => r.amountClaimed },
  { header: '追回金额(元)', width: 13, value: (r) => r.amountRecovered },
];

/** The assistance ledger (求助转办台账) as .xlsx, with the filters of the page. */
export async function ledgerWorkbook(rows: readonly TRequestRow[]): Promise<Buffer> {
  return sheetsWorkbook((add) => add({ name: '求助转办台账', columns: LEDGER_COLUMNS, rows }));
}

const COUNT_COLUMNS = fieldColumns<TCounts>([
  ['求助', 'requests', 8],
  ['转办', 'referred', 8],
  ['已答复', 'answered', 8],
  ['应答复', 'due', 8],
  ['按时答复', 'onTime', 10],
  ['超期未答复', 'overdueOpen', 11],
  ['按时答复率(%)', 'onTimeRate', 14],
  ['已回访', 'closed', 8],
  ['满意', 'satisfied', 8],
  ['基本满意', 'basic', 10],
  ['不满意', 'unsatisfied', 8],
  ['满意率(%)', 'satisfactionRate', 11],
  ['涉及人数', 'people', 10],
  ['追回金额(元)', 'amountRecovered', 14],
]);

/** The year's figures as .xlsx: by kind, by referred unit, by month, each with the year's total. */
export async function statsWorkbook(s: TStats): Promise<Buffer> {
  const sheet = (name: string, label: string, rows: { label: string; figures: TCounts }[]) =>
    figuresSheet({ name, label: { header: label, width: 22 }, columns: COUNT_COLUMNS, rows, total: s.total });
  return sheetsWorkbook((add) => {
    add(
      sheet(
        '按求助类别',
        '求助类别',
        s.byKind.map((r) => ({ label: KIND_ZH[r.kind], figures: r })),
      ),
    );
    add(
      sheet(
        '按承办单位',
        '承办单位',
        s.byUnit.map((r) => ({ label: r.unitName, figures: r })),
      ),
    );
    add(
      sheet(
        '按月份',
        '月份',
        s.byMonth.map((r) => ({ label: r.month, figures: r })),
      ),
    );
  });
}
