import ExcelJS from 'exceljs';
import type { TCounts, TRequestRow, TStats } from './assistance.schema.js';
import { KIND_ZH, SATISFACTION_ZH, STATUS_ZH } from './assistance.service.js';

/** The assistance ledger (求助转办台账) as .xlsx, with the filters of the page. */
export async function ledgerWorkbook(rows: readonly TRequestRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('求助转办台账');
  ws.columns = [
    { header: '编号', key: 'number', width: 14 },
    { header: '登记日期', key: 'receivedOn', width: 12 },
    { header: '求助类别', key: 'kind', width: 16 },
    { header: '求助人', key: 'name', width: 10 },
    { header: '求助事项', key: 'description', width: 40 },
    { header: '涉及人数', key: 'people', width: 9 },
    { header: '承办单位', key: 'unit', width: 20 },
    { header: '转办日期', key: 'referredOn', width: 12 },
    { header: '答复时限', key: 'dueOn', width: 12 },
    { header: '答复日期', key: 'answeredOn', width: 12 },
    { header: '超期', key: 'overdue', width: 6 },
    { header: '督办次数', key: 'urgeCount', width: 9 },
    { header: '状态', key: 'status', width: 9 },
    { header: '回访评价', key: 'satisfaction', width: 10 },
    { header: '诉求金额(元)', key: 'claimed', width: 13 },
    { header: '追回金额(元)', key: 'recovered', width: 13 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows)
    ws.addRow({
      number: r.number,
      receivedOn: r.receivedOn,
      kind: KIND_ZH[r.kind],
      name: r.requesterName,
      description: r.description,
      people: r.people,
      unit: r.unitName ?? '',
      referredOn: r.referredOn ?? '',
      dueOn: r.dueOn ?? '',
      answeredOn: r.answeredOn ?? '',
      overdue: r.overdue ? '是' : '',
      urgeCount: r.urgeCount,
      status: STATUS_ZH[r.status],
      satisfaction: r.satisfaction ? SATISFACTION_ZH[r.satisfaction] : '',
      claimed: r.amountClaimed,
      recovered: r.amountRecovered,
    });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const COUNT_COLUMNS: { header: string; key: keyof TCounts; width: number }[] = [
  { header: '求助', key: 'requests', width: 8 },
  { header: '转办', key: 'referred', width: 8 },
  { header: '已答复', key: 'answered', width: 8 },
  { header: '应答复', key: 'due', width: 8 },
  { header: '按时答复', key: 'onTime', width: 10 },
  { header: '超期未答复', key: 'overdueOpen', width: 11 },
  { header: '按时答复率(%)', key: 'onTimeRate', width: 14 },
  { header: '已回访', key: 'closed', width: 8 },
  { header: '满意', key: 'satisfied', width: 8 },
  { header: '基本满意', key: 'basic', width: 10 },
  { header: '不满意', key: 'unsatisfied', width: 8 },
  { header: '满意率(%)', key: 'satisfactionRate', width: 11 },
  { header: '涉及人数', key: 'people', width: 10 },
  { header: '追回金额(元)', key: 'amountRecovered', width: 14 },
];

/** The year's figures as .xlsx: by kind, by referred unit, by month. */
export async function statsWorkbook(s: TStats): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = (name: string, first: string, rows: { label: string; c: TCounts }[]) => {
    const ws = wb.addWorksheet(name);
    ws.columns = [{ header: first, key: 'label', width: 22 }, ...COUNT_COLUMNS];
    ws.getRow(1).font = { bold: true };
    for (const r of rows) ws.addRow({ label: r.label, ...r.c });
    ws.addRow({ label: '合计', ...s.total }).font = { bold: true };
  };
  sheet(
    '按求助类别',
    '求助类别',
    s.byKind.map((r) => ({ label: KIND_ZH[r.kind], c: r })),
  );
  sheet(
    '按承办单位',
    '承办单位',
    s.byUnit.map((r) => ({ label: r.unitName, c: r })),
  );
  sheet(
    '按月份',
    '月份',
    s.byMonth.map((r) => ({ label: r.month, c: r })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
