import { FileSearchOutlined, InboxOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { LedgerPage } from './LedgerPage';

export const supervisionRoutes: AppRoute[] = [
  {
    path: '/supervision/ledger',
    label: { zh: '督查督办台账', en: 'Supervision ledger' },
    group: 'supervision',
    icon: <FileSearchOutlined />,
    permissions: ['supervision.manage', 'supervision.instruct'],
    element: <LedgerPage mode="ledger" />,
  },
  {
    path: '/supervision/mine',
    label: { zh: '我的督办', en: 'My supervision tasks' },
    group: 'supervision',
    icon: <InboxOutlined />,
    permissions: ['supervision.report'],
    element: <LedgerPage mode="mine" />,
  },
];
