import { ApartmentOutlined, AuditOutlined, CalendarOutlined, ScheduleOutlined, TeamOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { lazyPage } from '../../lib/lazy';

const AuditPage = lazyPage(() => import('./AuditPage'), 'AuditPage');
const CalendarPage = lazyPage(() => import('./CalendarPage'), 'CalendarPage');
const JobsPage = lazyPage(() => import('./JobsPage'), 'JobsPage');
const UnitsPage = lazyPage(() => import('./UnitsPage'), 'UnitsPage');
const UsersPage = lazyPage(() => import('./UsersPage'), 'UsersPage');

// Units, users, audit log and calendar pages are added here.
export const adminRoutes: AppRoute[] = [
  {
    path: '/admin/units',
    label: { zh: '单位管理', en: 'Units' },
    group: 'admin',
    icon: <ApartmentOutlined />,
    permissions: ['units.read'],
    element: <UnitsPage />,
  },
  {
    path: '/admin/users',
    label: { zh: '用户管理', en: 'Users' },
    group: 'admin',
    icon: <TeamOutlined />,
    permissions: ['users.manage', 'roles.grant'],
    element: <UsersPage />,
  },
  {
    path: '/admin/calendar',
    label: { zh: '工作日历', en: 'Working-day calendar' },
    group: 'admin',
    icon: <CalendarOutlined />,
    permissions: ['calendar.manage'],
    element: <CalendarPage />,
  },
  {
    path: '/admin/audit',
    label: { zh: '审计日志', en: 'Audit log' },
    group: 'admin',
    icon: <AuditOutlined />,
    permissions: ['audit.read'],
    element: <AuditPage />,
  },
  {
    path: '/admin/jobs',
    label: { zh: '后台任务', en: 'Background jobs' },
    group: 'admin',
    icon: <ScheduleOutlined />,
    permissions: ['jobs.manage'],
    element: <JobsPage />,
  },
];
