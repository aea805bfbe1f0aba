import { FileTextOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { ReportsPage } from './ReportsPage';
import { ReportViewPage } from './ReportViewPage';

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
