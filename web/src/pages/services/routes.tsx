import {
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  DesktopOutlined,
  InboxOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { lazyPage } from '../../lib/lazy';

const CataloguePage = lazyPage(() => import('./CataloguePage'), 'CataloguePage');
const DeskPage = lazyPage(() => import('./WorkPages'), 'DeskPage');
const InboxPage = lazyPage(() => import('./WorkPages'), 'InboxPage');
const ApplicationPage = lazyPage(() => import('./WorkPages'), 'ApplicationPage');
const MonitorPage = lazyPage(() => import('./MonitorPages'), 'MonitorPage');
const FiguresPage = lazyPage(() => import('./MonitorPages'), 'FiguresPage');

export const servicesRoutes: AppRoute[] = [
  {
    path: '/services/desk',
    label: { zh: '窗口受理台', en: 'Window desk' },
    group: 'services',
    icon: <DesktopOutlined />,
    permissions: ['services.window'],
    element: <DeskPage />,
  },
  {
    path: '/services/inbox',
    label: { zh: '审批待办', en: 'Approval inbox' },
    group: 'services',
    icon: <InboxOutlined />,
    permissions: ['services.handle'],
    element: <InboxPage />,
  },
  {
    path: '/services/monitor',
    label: { zh: '电子监察', en: 'E-supervision monitor' },
    group: 'services',
    icon: <AlertOutlined />,
    permissions: ['services.monitor'],
    element: <MonitorPage />,
  },
  {
    path: '/services/figures',
    label: { zh: '办件统计与评估', en: 'Figures and evaluation' },
    group: 'services',
    icon: <BarChartOutlined />,
    permissions: ['services.stats'],
    element: <FiguresPage />,
  },
  {
    path: '/services/items',
    label: { zh: '事项目录', en: 'Item catalogue' },
    group: 'services',
    icon: <UnorderedListOutlined />,
    permissions: ['services.catalogue'],
    element: <CataloguePage />,
  },
  {
    path: '/services/applications/:id',
    label: { zh: '办件详情', en: 'Application' },
    group: 'services',
    icon: <AuditOutlined />,
    permissions: ['services.window', 'services.handle', 'services.monitor', 'services.stats'],
    element: <ApplicationPage />,
    hidden: true,
  },
];
