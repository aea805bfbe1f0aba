import {
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  ExperimentOutlined,
  FileDoneOutlined,
  NotificationOutlined,
  PartitionOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { lazyPage } from '../../lib/lazy';

const IndicatorsPage = lazyPage(() => import('./IndicatorsPage'), 'IndicatorsPage');
const PlanPage = lazyPage(() => import('./PlansPage'), 'PlanPage');
const PlansPage = lazyPage(() => import('./PlansPage'), 'PlansPage');
const PublishPage = lazyPage(() => import('./PublishPage'), 'PublishPage');
const SandboxPage = lazyPage(() => import('./SandboxPage'), 'SandboxPage');
const ScoreDeductionsPage = lazyPage(() => import('./ScoreDeductionsPage'), 'ScoreDeductionsPage');
const ScorePage = lazyPage(() => import('./ScorePage'), 'ScorePage');
const ScoreUnitPage = lazyPage(() => import('./ScoreUnitPage'), 'ScoreUnitPage');
const YearsPage = lazyPage(() => import('./YearsPage'), 'YearsPage');

export const performanceRoutes: AppRoute[] = [
  {
    path: '/performance/years',
    label: { zh: '考核年度', en: 'Assessment years' },
    group: 'performance',
    icon: <CalendarOutlined />,
    permissions: ['indicators.manage', 'schemes.configure'],
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
  {
    path: '/performance/scores',
    label: { zh: '绩效得分', en: 'Scores' },
    group: 'performance',
    icon: <TrophyOutlined />,
    permissions: ['scores.read'],
    element: <ScorePage />,
  },
  {
    path: '/performance/scores/unit',
    label: { zh: '单位得分', en: 'Unit scores' },
    group: 'performance',
    icon: <BarChartOutlined />,
    permissions: ['scores.read'],
    element: <ScoreUnitPage />,
  },
  {
    path: '/performance/scores/unit/:unitId',
    label: { zh: '单位得分', en: 'Unit scores' },
    group: 'performance',
    permissions: ['scores.read'],
    element: <ScoreUnitPage />,
    hidden: true,
  },
  {
    path: '/performance/sandbox',
    label: { zh: '模拟测算', en: 'What-if sandbox' },
    group: 'performance',
    icon: <ExperimentOutlined />,
    permissions: ['scores.sandbox'],
    element: <SandboxPage />,
  },
  {
    path: '/performance/publications',
    label: { zh: '结果发布', en: 'Publications' },
    group: 'performance',
    icon: <NotificationOutlined />,
    permissions: ['scores.read'],
    element: <PublishPage />,
  },
  {
    path: '/performance/deductions',
    label: { zh: '问责扣分', en: 'Accountability deductions' },
    group: 'performance',
    icon: <AuditOutlined />,
    permissions: ['scores.read'],
    element: <ScoreDeductionsPage />,
  },
];
