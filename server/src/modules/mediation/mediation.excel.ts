import ExcelJS from 'exceljs';
import type { TCaseRow, TCounts, TStats } from './mediation.schema.js';
import { DISPUTE_TYPE_ZH, STATUS_ZH } from './mediation.service.js';

/** The mediation ledger (调解台账) as .xlsx, with the filters of the page. */
export async function ledgerWorkbook(rows: readonly TCaseRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('调解台账');
  ws.columns = [
    { header: '编号', key: 'number', width: 14 },
    { header: '受理日期', key: 'receivedOn', width: 12 },
    { header: '纠纷类型', key: 'type', width: 12 },
    { header: '纠纷事项', key: 'title', width: 40 },
    { header: '申请人', key: 'applicants', width: 16 },
    { header: '被申请人', key: 'respondents', width: 16 },
    { header: '主持单位', key: 'host', width: 18 },
    { header: '联合调解单位', key: 'joint', width: 24 },
    { header: '调解员', key: 'mediators', width: 16 },
    { header: '调解次数', key: 'sessions', width: 9 },
    { header: '结果', key: 'status', width: 10 },
    { header: '结案日期', key: 'outcomeOn', width: 12 },
    { header: '涉及人数', key: 'people', width: 9 },
    { header: '争议金额(元)', key: 'claimed', width: 14 },
    { header: '追回/兑现金额(元)', key: 'recovered', width: 16 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows)
    ws.addRow({
      number: r.number,
      receivedOn: r.receivedOn,
      type: DISPUTE_TYPE_ZH[r.disputeType],
      title: r.title,
      applicants: r.applicants.join('、'),
      respondents: r.respondents.join('、'),
      host: r.hostUnitName,
      joint: r.jointUnitNames.join('、'),
      mediators: r.mediatorNames.join('、'),
      sessions: r.sessions,
      status: STATUS_ZH[r.status],
      outcomeOn: r.outcomeOn ?? '',
      people: r.people,
      claimed: r.amountClaimed,
      recovered: r.amountRecovered,
    });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const COUNT_COLUMNS: { header: string; key: keyof TCounts; width: number }[] = [
  { header: '受理', key: 'cases', width: 8 },
  { header: '结案', key: 'concluded', width: 8 },
  { header: '调解成功', key: 'agreed', width: 10 },
  { header: '调解不成', key: 'failed', width: 10 },
  { header: '转仲裁', key: 'arbitration', width: 8 },
  { header: '转诉讼', key: 'court', width: 8 },
  { header: '调解中', key: 'open', width: 8 },
  { header: '联合调解', key: 'joint', width: 10 },
  { header: '涉及人数', key: 'people', width: 10 },
  { header: '争议金额(元)', key: 'amountClaimed', width: 14 },
  { header: '追回/兑现金额(元)', key: 'amountRecovered', width: 16 },
  { header: '调解成功率(%)', key: 'successRate', width: 14 },
];

/** The year's statistics as .xlsx: by dispute type, by month, by unit. */
export async function statsWorkbook(s: TStats): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = (name: string, first: string, rows: { label: string; c: TCounts }[]) => {
    const ws = wb.addWorksheet(name);
    ws.columns = [{ header: first, key: 'label', width: 20 }, ...COUNT_COLUMNS];
    ws.getRow(1).font = { bold: true };
    for (const r of rows) ws.addRow({ label: r.label, ...r.c });
    ws.addRow({ label: '合计', ...s.total }).font = { bold: true };
  };
  sheet(
    `${s.year}年按纠纷类型`,
    '纠纷类型',
    s.byType.map((r) => ({ label: DISPUTE_TYPE_ZH[r.disputeType], c: r })),
  );
  sheet(
    `${s.year}年按月份`,
    '月份',
    s.byMonth.map((r) => ({ label: r.month, c: r })),
  );
  const ws = wb.addWorksheet(`${s.year}年按单位`);
  ws.columns = [{ header: '单位（主持或联合）', key: 'label', width: 24 }, ...COUNT_COLUMNS];
  ws.getRow(1).font = { bold: true };
  for (const r of s.byUnit) ws.addRow({ label: r.unitName, ...r });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
