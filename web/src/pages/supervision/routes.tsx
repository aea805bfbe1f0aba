import { FileSearchOutlined, InboxOutlined } from '@ant-design/icons';
import { lazyPage } from '../../lib/lazy';
import type { AppRoute } from '../../lib/routes';

// Loaded when first opened (a static import here put the ledger, its table and date pickers in every page's bundle).
const LedgerPage = lazyPage(() => import('./LedgerPage'), 'LedgerPage');

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
