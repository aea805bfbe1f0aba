/** Excel sheets of the review queue and the warning lights overview: the rows the page's filters show. */
import { SUBMISSION_STATUS_NAMES } from '../../../../common/reporting.js';
import type { Lang } from '../../lib/errors.js';
import { exportTime, type TableColumn } from '../../lib/xlsx-table.js';
import type { TSubmission } from './reporting.schema.js';

export function submissionsSheet(rows: TSubmission[], lang: Lang, title: string) {
  const en = lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const columns: TableColumn<TSubmission>[] = [
    { header: L('单位', 'Unit'), value: (r) => r.unitName, width: 20 },
    { header: L('指标编码', 'Code'), value: (r) => r.indicatorCode, width: 12 },
    { header: L('指标', 'Indicator'), value: (r) => r.indicatorName, width: 30 },
    { header: L('填报期', 'Period'), value: (r) => r.period, width: 9 },
    { header: L('数值', 'Value'), value: (r) => r.value, format: '0.####', width: 12 },
    { header: L('计量单位', 'Unit of measure'), value: (r) => r.unitOfMeasure, width: 10 },
    { header: L('状态', 'Status'), value: (r) => SUBMISSION_STATUS_NAMES[r.status][lang], width: 13 },
    {
      header: L('异常提示', 'Flags'),
      value: (r) => r.flags.map((f) => f.message).join('；'),
      width: 36,
    },
    { header: L('填报人', 'Entered by'), value: (r) => r.enteredByName, width: 12 },
    { header: L('提交时间', 'Submitted'), value: (r) => exportTime(r.submittedAt), width: 17 },
    { header: L('截止日期', 'Deadline'), value: (r) => r.deadline, width: 11 },
    { header: L('迟报', 'Late'), value: (r) => (r.late ? L('是', 'yes') : ''), width: 6 },
  ];
  return { sheet: L('审核队列', 'Review queue'), title, columns, rows };
}

export type LightRow = {
  unitId: number;
  unitCode: string;
  unitName: string;
  categoryId: number | null;
  red: number;
  yellow: number;
  green: number;
  none: number;
};

export function lightsSheet(rows: LightRow[], categories: Map<number, string>, lang: Lang) {
  const en = lang === 'en';
  const L = (zh: string, e: string) => (en ? e : zh);
  const sorted = [...rows].sort((a, b) => b.red - a.red || b.yellow - a.yellow || a.unitCode.localeCompare(b.unitCode));
  const columns: TableColumn<LightRow>[] = [
    { header: L('单位', 'Unit'), value: (r) => r.unitName, width: 22 },
    {
      header: L('考评类别', 'Category'),
      value: (r) => (r.categoryId ? (categories.get(r.categoryId) ?? '') : ''),
      width: 14,
    },
    { header: L('红灯', 'Red'), value: (r) => r.red, format: 'int', width: 8 },
    { header: L('黄灯', 'Yellow'), value: (r) => r.yellow, format: 'int', width: 8 },
    { header: L('绿灯', 'Green'), value: (r) => r.green, format: 'int', width: 8 },
    { header: L('无数据', 'No data'), value: (r) => r.none, format: 'int', width: 8 },
  ];
  return {
    sheet: L('警示灯', 'Warning lights'),
    title: `${L('警示灯汇总', 'Warning lights')}  ${L('导出于', 'exported')} ${exportTime(new Date())}`,
    columns,
    rows: sorted,
  };
}
