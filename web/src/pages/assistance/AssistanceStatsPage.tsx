import type { TStats } from '@server/modules/assistance/assistance.schema';
import {
  countColumn,
  DeskStatsPage,
  monthChart,
  rateColumn,
  recoveredColumn,
  stackedBars,
  type StatsChart,
} from '../../components/DeskStats';
import { money } from '../../lib/format';
import { t } from '../../lib/i18n';
import { assistanceApi, useAstStats } from './api';
import { KINDS } from './assistanceData';

type UnitRow = TStats['byUnit'][number];

const charts = (s: TStats): StatsChart[] => [
  {
    title: t('按求助类别', 'By kind'),
    span: 12,
    testId: 'ast-kind-chart',
    option: stackedBars(s.byKind, {
      label: (x) => KINDS[x.kind](),
      left: 120,
      parts: [
        [t('按时答复', 'On time'), (x) => x.onTime],
        [t('逾期或超期', 'Late'), (x) => x.due - x.onTime],
        [t('未到期', 'Not yet due'), (x) => x.requests - x.due],
      ],
    }),
  },
  {
    title: t('按月', 'By month'),
    span: 12,
    option: monthChart(s.byMonth, {
      unit: t('件', 'requests'),
      bars: [[t('求助', 'Requests'), (m) => m.requests]],
      lines: [
        [t('按时答复率', 'On-time %'), (m) => m.onTimeRate],
        [t('满意率', 'Satisfaction %'), (m) => m.satisfactionRate],
      ],
    }),
  },
];

/** 求助统计: requests by kind, by referred unit (on time, overdue, satisfaction), by month. */
export function AssistanceStatsPage() {
  return (
    <DeskStatsPage<TStats, UnitRow>
      title={t('求助统计', 'Assistance figures')}
      useStats={useAstStats}
      exportPath={assistanceApi.statsExportPath}
      testId="ast-stats"
      isEmpty={(s) => !s.total.requests}
      emptyText={t('本年度尚无求助', 'No requests this year')}
      figures={(s) => [
        [t('求助登记', 'Requests'), s.total.requests],
        [t('转办', 'Referred'), s.total.referred],
        [t('按时答复率', 'On-time rate'), s.total.onTimeRate ?? '—', '%'],
        [t('超期未答复', 'Overdue, open'), s.total.overdueOpen],
        [t('回访满意率', 'Satisfaction'), s.total.satisfactionRate ?? '—', '%'],
        [t('追回金额', 'Recovered'), money(s.total.amountRecovered), t('元', '¥')],
      ]}
      charts={charts}
      units={{
        title: t('按承办单位', 'By responsible unit'),
        columns: [
          { title: t('承办单位', 'Unit'), dataIndex: 'unitName' },
          countColumn<UnitRow>(t('转办', 'Referred'), 'requests'),
          countColumn<UnitRow>(t('已答复', 'Answered'), 'answered'),
          countColumn<UnitRow>(t('按时答复', 'On time'), 'onTime'),
          rateColumn<UnitRow>(t('按时率(%)', 'On-time %'), 'onTimeRate'),
          countColumn<UnitRow>(t('超期未答复', 'Overdue'), 'overdueOpen'),
          rateColumn<UnitRow>(t('满意率(%)', 'Satisfaction %'), 'satisfactionRate'),
          recoveredColumn<UnitRow>(),
        ],
      }}
    />
  );
}
