/** The case list as an Excel sheet: the columns of the queue and the inbox, names in the caller's language. */
import { CASE_STATUS_NAMES, CASE_TYPE_NAMES, CHANNEL_NAMES } from '../../../../common/cases.js';
import type { Lang } from '../../lib/errors.js';
import { exportTime, type TableColumn } from '../../lib/xlsx-table.js';
import type { TCaseListItem } from './cases.schema.js';

/** Rows a case export writes at most (narrow the filters for more). */
export const EXPORT_CASES = 10_000;

const DUE = {
  done: { zh: '已办结', en: 'Done' },
  ok: { zh: '正常', en: 'On time' },
  due_soon: { zh: '即将超期', en: 'Due soon' },
  overdue: { zh: '已超期', en: 'Overdue' },
} as const;

export function casesSheet(items: TCaseListItem[], lang: Lang, capped: boolean) {
  const en = lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const columns: TableColumn<TCaseListItem>[] = [
    { header: L('工单编号', 'Number'), value: (c) => c.number, width: 18 },
    { header: L('受理时间', 'Received'), value: (c) => exportTime(c.createdAt), width: 17 },
    { header: L('渠道', 'Channel'), value: (c) => CHANNEL_NAMES[c.channel][lang], width: 10 },
    { header: L('类型', 'Type'), value: (c) => CASE_TYPE_NAMES[c.type][lang], width: 8 },
    { header: L('诉求分类', 'Category'), value: (c) => c.categoryName, width: 16 },
    { header: L('状态', 'Status'), value: (c) => CASE_STATUS_NAMES[c.status][lang], width: 10 },
    { header: L('诉求摘要', 'Summary'), value: (c) => c.summary, width: 40 },
    { header: L('地址', 'Address'), value: (c) => c.address, width: 28 },
    { header: L('诉求人', 'Requester'), value: (c) => c.requesterName, width: 10 },
    { header: L('主办单位', 'Lead unit'), value: (c) => c.leadUnitName, width: 18 },
    { header: L('办理时限', 'Deadline'), value: (c) => exportTime(c.deadline), width: 17 },
    { header: L('时限状态', 'Due'), value: (c) => (c.dueState ? DUE[c.dueState][lang] : ''), width: 10 },
    { header: L('督办件', 'Escalated'), value: (c) => (c.escalated ? L('是', 'yes') : ''), width: 8 },
    { header: L('重办次数', 'Redone'), value: (c) => c.redoCount, format: 'int', width: 8 },
  ];
  return {
    sheet: L('工单', 'Cases'),
    title: `${L('工单列表', 'Cases')}  ${L('导出于', 'exported')} ${exportTime(new Date())}  ${L(`共 ${items.length} 件`, `${items.length} case(s)`)}${capped ? L('（仅前 10000 件，请缩小筛选范围）', ' (first 10,000 only)') : ''}`,
    columns,
    rows: items,
  };
}
