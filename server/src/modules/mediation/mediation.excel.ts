import { fieldColumns, figuresSheet, sheetsWorkbook, type SheetColumn } from '../../lib/xlsx-sheet.js';
import type { TCaseRow, TCounts, TStats } from './mediation.schema.js';
import { DISPUTE_TYPE_ZH, STATUS_ZH } from './mediation.service.js';

const LEDGER_COLUMNS: SheetColumn<TCaseRow>[] = [
  { header: '编号', width: 14, value: (r) => r.number },
  { header: '受理日期', width: 12, value: (r) => r.receivedOn },
  { header: '纠纷类型', width: 12, value: (r) => DISPUTE_TYPE_ZH[r.disputeType] },
  { header: '纠纷事项', width: 40, value: (r) => r.title },
  { header: '申请人', width: 16, value: (r) => r.applicants.join('、') },
  { header: '被申请人', width: 16, value: (r) => r.respondents.join('、') },
  { header: '主持单位', width: 18, value: (r) => r.hostUnitName },
  { header: '联合调解单位', width: 24, value: (r) => r.jointUnitNames.join('、') },
  { header: '调解员', width: 16, value: (r) => r.mediatorNames.join('、') },
  { header: '调解次数', width: 9, value: (r) => r.sessions },
  { header: '结果', width: 10, value: (r) => STATUS_ZH[r.status] },
  { header: '结案日期', width: 12, value: (r) => r.outcomeOn ?? '' },
  { header: '涉及人数', width: 9, value: (r) => r.people },
  { header: '争议金额(元)', width: 14, value: (r) => r.amountClaimed },
  { header: '追回/兑现金额(元)', width: 16, value: (r) => r.amountRecovered },
];

/** The mediation ledger (调解台账) as .xlsx, with the filters of the page. */
export async function ledgerWorkbook(rows: readonly TCaseRow[]): Promise<Buffer> {
  return sheetsWorkbook((add) => add({ name: '调解台账', columns: LEDGER_COLUMNS, rows }));
}

const COUNT_COLUMNS = fieldColumns<TCounts>([
  ['受理', 'cases', 8],
  ['结案', 'concluded', 8],
  ['调解成功', 'agreed', 10],
  ['调解不成', 'failed', 10],
  ['转仲裁', 'arbitration', 8],
  ['转诉讼', 'court', 8],
  ['调解中', 'open', 8],
  ['联合调解', 'joint', 10],
  ['涉及人数', 'people', 10],
  ['争议金额(元)', 'amountClaimed', 14],
  ['追回/兑现金额(元)', 'amountRecovered', 16],
  ['调解成功率(%)', 'successRate', 14],
]);

/** The year's statistics as .xlsx: by dispute type and by month (with the year's total), by unit. */
export async function statsWorkbook(s: TStats): Promise<Buffer> {
  const sheet = (name: string, header: string, width: number, rows: { label: string; figures: TCounts }[]) => ({
    name: `${s.year}年${name}`,
    label: { header, width },
    columns: COUNT_COLUMNS,
    rows,
  });
  return sheetsWorkbook((add) => {
    const byType = s.byType.map((r) => ({ label: DISPUTE_TYPE_ZH[r.disputeType], figures: r }));
    add(figuresSheet({ ...sheet('按纠纷类型', '纠纷类型', 20, byType), total: s.total }));
    const byMonth = s.byMonth.map((r) => ({ label: r.month, figures: r }));
    add(figuresSheet({ ...sheet('按月份', '月份', 20, byMonth), total: s.total }));
    // A case counts for its host and for each joint unit: the units' rows do not add up to a total.
    const byUnit = s.byUnit.map((r) => ({ label: r.unitName, figures: r }));
    add(figuresSheet(sheet('按单位', '单位（主持或联合）', 24, byUnit)));
  });
}
