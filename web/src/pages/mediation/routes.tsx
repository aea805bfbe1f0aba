import { BarChartOutlined, TeamOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { MediationPage } from './MediationPage';
import { MediationStatsPage } from './MediationStatsPage';

export const mediationRoutes: AppRoute[] = [
  {
    path: '/mediation/cases',
    label: { zh: '调解台账', en: 'Mediation ledger' },
    group: 'desks',
    icon: <TeamOutlined />,
    permissions: ['mediation.manage', 'mediation.read'],
    element: <MediationPage />,
  },
  {
    path: '/mediation/stats',
    label: { zh: '调解统计', en: 'Mediation figures' },
    group: 'desks',
    icon: <BarChartOutlined />,
    permissions: ['mediation.manage', 'mediation.read'],
    element: <MediationStatsPage />,
  },
];
