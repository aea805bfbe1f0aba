/** The month's department statistics as the page shows them, for Excel: counters, rates and the total line. */
import type { TableColumn } from '../../lib/xlsx-table.js';
import type { Lang } from '../../lib/errors.js';
import { COUNTERS } from './casestats.counters.js';
import { RATES } from './casestats.formulas.js';
import type { TMonthStats, TStatsRow } from './casestats.schema.js';

type Line = Pick<TStatsRow, 'unitCode' | 'unitName' | 'counters' | 'rates'>;

export function statsSheet(stats: TMonthStats, lang: Lang) {
  const en = lang === 'en';
  const columns: TableColumn<Line>[] = [
    { header: en ? 'Code' : '单位编码', value: (r) => r.unitCode, width: 12 },
    { header: en ? 'Unit' : '单位', value: (r) => r.unitName, width: 24 },
    ...COUNTERS.map((c): TableColumn<Line> => ({
      header: en ? c.en : c.zh,
      value: (r) => r.counters[c.key],
      width: 10,
      format: 'int',
    })),
    ...RATES.map((x): TableColumn<Line> => ({
      header: `${en ? x.en : x.zh} %`,
      value: (r) => r.rates[x.key],
      width: 11,
      format: '0.0',
    })),
  ];
  const total: Line = { unitCode: '', unitName: en ? 'Total' : '合计', ...stats.totals };
  return {
    sheet: en ? `Case statistics ${stats.month}` : `部门统计 ${stats.month}`,
    title: en ? `Case platform statistics by department, ${stats.month}` : `12345 平台部门统计（${stats.month}）`,
    columns,
    rows: [...stats.rows, total],
  };
}
