import { LineChartOutlined, SolutionOutlined } from '@ant-design/icons';
import { lazyPage } from '../../lib/lazy';
import type { AppRoute } from '../../lib/routes';

const AssistancePage = lazyPage(() => import('./AssistancePage'), 'AssistancePage');
const AssistanceStatsPage = lazyPage(() => import('./AssistanceStatsPage'), 'AssistanceStatsPage');

export const assistanceRoutes: AppRoute[] = [
  {
    path: '/assistance/requests',
    label: { zh: '求助转办', en: 'Assistance requests' },
    group: 'desks',
    icon: <SolutionOutlined />,
    permissions: ['assistance.manage', 'assistance.handle'],
    element: <AssistancePage />,
  },
  {
    path: '/assistance/stats',
    label: { zh: '求助统计', en: 'Assistance figures' },
    group: 'desks',
    icon: <LineChartOutlined />,
    permissions: ['assistance.manage', 'assistance.handle'],
    element: <AssistanceStatsPage />,
  },
];
