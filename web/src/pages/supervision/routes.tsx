import {
  AuditOutlined,
  BankOutlined,
  CameraOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  InboxOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { lazyPage } from '../../lib/lazy';
import type { AppRoute } from '../../lib/routes';

// Loaded when first opened (a static import here put the ledger, its table and date pickers in every page's bundle).
const LedgerPage = lazyPage(() => import('./LedgerPage'), 'LedgerPage');
const DocumentsPage = lazyPage(() => import('./DocumentsPage'), 'DocumentsPage');
const ProposalsPage = lazyPage(() => import('./ProposalsPage'), 'ProposalsPage');
const InvestmentsPage = lazyPage(() => import('./InvestmentsPage'), 'InvestmentsPage');
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
    path: '/supervision/documents',
    label: { zh: '督查专报与通报', en: 'Supervision reports and bulletins' },
    group: 'supervision',
    icon: <FileTextOutlined />,
    permissions: ['supervision.manage', 'supervision.instruct', 'supervision.report'],
    element: <DocumentsPage />,
  },
  {
    path: '/supervision/proposals',
    label: { zh: '议案提案办理', en: 'NPC motions and CPPCC proposals' },
    group: 'supervision',
    icon: <SolutionOutlined />,
    permissions: ['supervision.manage', 'supervision.instruct'],
    element: <ProposalsPage mode="office" />,
  },
  {
    path: '/supervision/proposals/mine',
    label: { zh: '承办议案提案', en: 'Proposals to reply' },
    group: 'supervision',
    icon: <SolutionOutlined />,
    permissions: ['supervision.report'],
    element: <ProposalsPage mode="unit" />,
  },
  {
    path: '/supervision/proposals/rate',
    label: { zh: '我的议案提案', en: 'My proposals' },
    group: 'evaluation',
    icon: <SolutionOutlined />,
    permissions: ['supervision.rate'],
    element: <ProposalsPage mode="deputy" />,
  },
  {
    path: '/supervision/investments',
    label: { zh: '招商引资督办', en: 'Investment projects' },
    group: 'supervision',
    icon: <BankOutlined />,
    permissions: ['supervision.manage', 'supervision.instruct', 'supervision.report'],
    element: <InvestmentsPage />,
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
