import {
  AlertOutlined,
  ApiOutlined,
  BarChartOutlined,
  InboxOutlined,
  PhoneOutlined,
  SettingOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { lazyPage } from '../../lib/lazy';

const CaseDetailPage = lazyPage(() => import('./CaseDetailPage'), 'CaseDetailPage');
const ConsolePage = lazyPage(() => import('./ConsolePage'), 'ConsolePage');
const EscalationsPage = lazyPage(() => import('./EscalationsPage'), 'EscalationsPage');
const InboxPage = lazyPage(() => import('./InboxPage'), 'InboxPage');
const Open311KeysPage = lazyPage(() => import('./Open311KeysPage'), 'Open311KeysPage');
const QueuePage = lazyPage(() => import('./QueuePage'), 'QueuePage');
const SettingsPage = lazyPage(() => import('./SettingsPage'), 'SettingsPage');
const StatsPage = lazyPage(() => import('./StatsPage'), 'StatsPage');

export const casesRoutes: AppRoute[] = [
  {
    path: '/cases/console',
    label: { zh: '受理台', en: 'Intake console' },
    group: 'cases',
    icon: <PhoneOutlined />,
    permissions: ['cases.intake'],
    element: <ConsolePage />,
  },
  {
    path: '/cases',
    label: { zh: '诉求列表', en: 'Cases' },
    group: 'cases',
    icon: <UnorderedListOutlined />,
    permissions: ['cases.read'],
    element: <QueuePage />,
  },
  {
    path: '/cases/inbox',
    label: { zh: '我的待办', en: 'My inbox' },
    group: 'cases',
    icon: <InboxOutlined />,
    permissions: ['cases.handle'],
    element: <InboxPage />,
  },
  {
    path: '/cases/escalations',
    label: { zh: '督办工作台', en: 'Escalations' },
    group: 'cases',
    icon: <AlertOutlined />,
    permissions: ['cases.escalations'],
    element: <EscalationsPage />,
  },
  {
    path: '/cases/settings',
    label: { zh: '分类与派单规则', en: 'Categories & routing' },
    group: 'cases',
    icon: <SettingOutlined />,
    permissions: ['cases.configure', 'cases.dispatch'],
    element: <SettingsPage />,
  },
  {
    path: '/cases/stats',
    label: { zh: '部门办理统计', en: 'Department statistics' },
    group: 'cases',
    icon: <BarChartOutlined />,
    permissions: ['cases.stats'],
    element: <StatsPage />,
  },
  {
    path: '/cases/open311-keys',
    label: { zh: '开放接口密钥', en: 'Open311 API keys' },
    group: 'cases',
    icon: <ApiOutlined />,
    permissions: ['open311.manage'],
    element: <Open311KeysPage />,
  },
  {
    path: '/cases/:id',
    label: { zh: '诉求详情', en: 'Case' },
    group: 'cases',
    permissions: ['cases.read'],
    element: <CaseDetailPage />,
    hidden: true,
  },
];
