import { FileTextOutlined } from '@ant-design/icons';
import { lazyPage } from '../../lib/lazy';
import type { AppRoute } from '../../lib/routes';

// Loaded when first opened.
const ReportsPage = lazyPage(() => import('./ReportsPage'), 'ReportsPage');
const ReportViewPage = lazyPage(() => import('./ReportViewPage'), 'ReportViewPage');

export const reportsRoutes: AppRoute[] = [
  {
    path: '/reports',
    label: { zh: '综合分析报告', en: 'Analysis reports' },
    group: 'performance',
    icon: <FileTextOutlined />,
    permissions: ['reports.read'],
    element: <ReportsPage />,
  },
  {
    path: '/reports/:id',
    label: { zh: '分析报告', en: 'Analysis report' },
    group: 'performance',
    permissions: ['reports.read'],
    element: <ReportViewPage />,
    hidden: true,
  },
];
