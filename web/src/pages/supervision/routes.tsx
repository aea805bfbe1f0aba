import { BankOutlined, FileSearchOutlined, FileTextOutlined, InboxOutlined, SolutionOutlined } from '@ant-design/icons';
import { lazyPage } from '../../lib/lazy';
import type { AppRoute } from '../../lib/routes';

// Loaded when first opened (a static import here put the ledger, its table and date pickers in every page's bundle).
const LedgerPage = lazyPage(() => import('./LedgerPage'), 'LedgerPage');
const DocumentsPage = lazyPage(() => import('./DocumentsPage'), 'DocumentsPage');
const ProposalsPage = lazyPage(() => import('./ProposalsPage'), 'ProposalsPage');
const InvestmentsPage = lazyPage(() => import('./InvestmentsPage'), 'InvestmentsPage');

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
];
