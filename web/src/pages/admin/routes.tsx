import { CalendarOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { CalendarPage } from './CalendarPage';

// Units, users, audit log and calendar pages are added here.
export const adminRoutes: AppRoute[] = [
  {
    path: '/admin/calendar',
    label: { zh: '工作日历', en: 'Working-day calendar' },
    group: 'admin',
    icon: <CalendarOutlined />,
    permissions: ['calendar.manage'],
    element: <CalendarPage />,
  },
];
