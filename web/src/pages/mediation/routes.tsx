import { BarChartOutlined, TeamOutlined } from '@ant-design/icons';
import { lazyPage } from '../../lib/lazy';
import type { AppRoute } from '../../lib/routes';

const MediationPage = lazyPage(() => import('./MediationPage'), 'MediationPage');
const MediationStatsPage = lazyPage(() => import('./MediationStatsPage'), 'MediationStatsPage');

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
