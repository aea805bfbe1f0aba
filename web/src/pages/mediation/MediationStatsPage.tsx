import type { TStats } from '@server/modules/mediation/mediation.schema';
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
import { mediationApi, useMedStats } from './api';
import { DISPUTE_TYPES } from './mediationData';

type UnitRow = TStats['byUnit'][number];

const charts = (s: TStats): StatsChart[] => [
  {
    title: t('按月受理与成功率', 'By month'),
    span: 14,
    testId: 'med-month-chart',
    option: monthChart(s.byMonth, {
      unit: t('件', 'cases'),
      bars: [
        [t('受理', 'Received'), (m) => m.cases],
        [t('调解成功', 'Agreements'), (m) => m.agreed],
        [t('联合调解', 'Joint'), (m) => m.joint],
      ],
      lines: [[t('成功率', 'Success rate'), (m) => m.successRate]],
    }),
  },
  {
    title: t('按纠纷类型', 'By dispute type'),
    span: 10,
    option: stackedBars(s.byType, {
      label: (x) => DISPUTE_TYPES[x.disputeType](),
      left: 90,
      parts: [
        [t('调解成功', 'Agreements'), (x) => x.agreed],
        [t('调解不成', 'Failed'), (x) => x.failed],
        [t('转仲裁/诉讼', 'Referred'), (x) => x.arbitration + x.court],
        [t('调解中', 'Open'), (x) => x.open],
      ],
    }),
  },
];

/** 调解统计: disputes mediated, success rate, joint mediations, people and amounts; by month, type and unit. */
export function MediationStatsPage() {
  return (
    <DeskStatsPage<TStats, UnitRow>
      title={t('调解统计', 'Mediation figures')}
      useStats={useMedStats}
      exportPath={mediationApi.statsExportPath}
      testId="med-stats"
      isEmpty={(s) => !s.total.cases}
      emptyText={t('本年度尚无调解案件', 'No disputes this year')}
      figures={(s) => [
        [t('受理纠纷', 'Received'), s.total.cases],
        [t('调解成功', 'Agreements'), s.total.agreed],
        [t('调解成功率', 'Success rate'), s.total.successRate ?? '—', '%'],
        [t('联合调解', 'Joint mediations'), s.total.joint],
        [t('涉及人数', 'People involved'), s.total.people],
        [t('追回/兑现金额', 'Amount recovered'), money(s.total.amountRecovered), t('元', '¥')],
      ]}
      charts={charts}
      units={{
        title: t('按单位（主持或联合）', 'By unit (host or joint)'),
        columns: [
          { title: t('单位', 'Unit'), dataIndex: 'unitName' },
          countColumn<UnitRow>(t('受理', 'Received'), 'cases'),
          countColumn<UnitRow>(t('结案', 'Concluded'), 'concluded'),
          countColumn<UnitRow>(t('调解成功', 'Agreements'), 'agreed'),
          rateColumn<UnitRow>(t('成功率(%)', 'Success %'), 'successRate'),
          countColumn<UnitRow>(t('联合调解', 'Joint'), 'joint'),
          countColumn<UnitRow>(t('涉及人数', 'People'), 'people'),
          recoveredColumn<UnitRow>(),
        ],
      }}
    />
  );
}
