import { DashboardOutlined } from '@ant-design/icons';
import { Navigate } from 'react-router';
import type { AppRoute, PublicRoute } from '../../lib/routes';
import { lazyPage } from '../../lib/lazy';

const CockpitPage = lazyPage(() => import('./CockpitPage'), 'CockpitPage');
const PresentPage = lazyPage(() => import('./PresentPage'), 'PresentPage');

/** The cockpit is the leaders' and the office's home page ('/', see home/HomePage); this entry names it in the menu. */
export const cockpitRoutes: AppRoute[] = [
  {
    path: '/cockpit',
    label: { zh: '领导驾驶舱', en: 'Leader cockpit' },
    group: 'home',
    icon: <DashboardOutlined />,
    permissions: ['cockpit.read'],
    element: <CockpitPage />,
  },
];

/** 汇报演示: full screen without the app's frame (the page checks the sign-in itself). */
export const cockpitFullRoutes: PublicRoute[] = [
  { path: '/present', element: <PresentPage /> },
  { path: '/present/*', element: <Navigate to="/present" replace /> },
];
