import { AuditOutlined, CameraOutlined, FileSearchOutlined, InboxOutlined } from '@ant-design/icons';
import { lazyPage } from '../../lib/lazy';
import type { AppRoute } from '../../lib/routes';

// Loaded when first opened (a static import here put the ledger, its table and date pickers in every page's bundle).
const LedgerPage = lazyPage(() => import('./LedgerPage'), 'LedgerPage');
const FieldChecksPage = lazyPage(() => import('./FieldChecksPage'), 'FieldChecksPage');
const FieldCheckEntryPage = lazyPage(() => import('./FieldCheckEntryPage'), 'FieldCheckEntryPage');
const RoundsPage = lazyPage(() => import('./RoundsPage'), 'RoundsPage');
const RoundDetailPage = lazyPage(() => import('./RoundDetailPage'), 'RoundDetailPage');

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
  {
    path: '/supervision/checks',
    label: { zh: '实地督查', en: 'Field checks' },
    group: 'supervision',
    icon: <CameraOutlined />,
    permissions: ['supervision.manage', 'supervision.instruct'],
    element: <FieldChecksPage />,
  },
  {
    path: '/supervision/checks/new',
    label: { zh: '录入实地督查', en: 'Record a field check' },
    group: 'supervision',
    hidden: true,
    permissions: ['supervision.manage'],
    element: <FieldCheckEntryPage />,
  },
  {
    path: '/supervision/rounds',
    label: { zh: '对账查账', en: 'Reconciliation rounds' },
    group: 'supervision',
    icon: <AuditOutlined />,
    permissions: ['supervision.manage', 'supervision.report', 'supervision.instruct'],
    element: <RoundsPage />,
  },
  {
    path: '/supervision/rounds/:id',
    label: { zh: '对账详情', en: 'Round' },
    group: 'supervision',
    hidden: true,
    permissions: ['supervision.manage', 'supervision.report', 'supervision.instruct'],
    element: <RoundDetailPage />,
  },
];
