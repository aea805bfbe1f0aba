import { ApartmentOutlined, AuditOutlined, CalendarOutlined, ScheduleOutlined, TeamOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { AuditPage } from './AuditPage';
import { CalendarPage } from './CalendarPage';
import { JobsPage } from './JobsPage';
import { UnitsPage } from './UnitsPage';
import { UsersPage } from './UsersPage';

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
    permissions: ['users.manage'],
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
  },  {
    path: '/admin/jobs',
    label: { zh: '后台任务', en: 'Background jobs' },
    group: 'admin',
    icon: <ScheduleOutlined />,
    permissions: ['jobs.manage'],
    element: <JobsPage />,
  },
];
