import { CalendarOutlined, FileDoneOutlined, PartitionOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { IndicatorsPage } from './IndicatorsPage';
import { PlanPage, PlansPage } from './PlansPage';
import { YearsPage } from './YearsPage';

export const performanceRoutes: AppRoute[] = [
  {
    path: '/performance/years',
    label: { zh: '考核年度', en: 'Assessment years' },
    group: 'performance',
    icon: <CalendarOutlined />,
    permissions: ['indicators.manage'],
    element: <YearsPage />,
  },
  {
    path: '/performance/indicators',
    label: { zh: '指标体系', en: 'Indicator tree' },
    group: 'performance',
    icon: <PartitionOutlined />,
    permissions: ['indicators.read'],
    element: <IndicatorsPage />,
  },
  {
    path: '/performance/plans',
    label: { zh: '绩效计划', en: 'Performance plans' },
    group: 'performance',
    icon: <FileDoneOutlined />,
    permissions: ['plans.edit', 'plans.submit', 'plans.review', 'scores.read'],
    element: <PlansPage />,
  },
  {
    path: '/performance/plans/:yearId/:unitId',
    label: { zh: '绩效计划详情', en: 'Performance plan' },
    group: 'performance',
    permissions: ['indicators.read'],
    element: <PlanPage />,
    hidden: true,
  },
];
