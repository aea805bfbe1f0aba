import { FormOutlined, InboxOutlined, TeamOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { lazyPage } from '../../lib/lazy';

const CampaignsPage = lazyPage(() => import('./CampaignsPage'), 'CampaignsPage');
const CampaignPage = lazyPage(() => import('./CampaignPage'), 'CampaignPage');
const UnitResultsPage = lazyPage(() => import('./CampaignPage'), 'UnitResultsPage');
const QuestionnairesPage = lazyPage(() => import('./QuestionnairesPage'), 'QuestionnairesPage');
const InboxPage = lazyPage(() => import('./InboxPage'), 'InboxPage');
const InboxAnswerPage = lazyPage(() => import('./InboxPage'), 'InboxAnswerPage');

export const evaluationRoutes: AppRoute[] = [
  {
    path: '/evaluation/campaigns',
    label: { zh: '评议活动', en: 'Campaigns' },
    group: 'evaluation',
    icon: <TeamOutlined />,
    permissions: ['evaluation.manage', 'evaluation.results'],
    element: <CampaignsPage />,
  },
  {
    path: '/evaluation/campaigns/:id',
    label: { zh: '评议活动', en: 'Campaign' },
    group: 'evaluation',
    hidden: true,
    permissions: ['evaluation.manage'],
    element: <CampaignPage />,
  },
  {
    path: '/evaluation/campaigns/:id/results',
    label: { zh: '评议结果', en: 'Results' },
    group: 'evaluation',
    hidden: true,
    permissions: ['evaluation.manage', 'evaluation.results'],
    element: <UnitResultsPage />,
  },
  {
    path: '/evaluation/questionnaires',
    label: { zh: '问卷管理', en: 'Questionnaires' },
    group: 'evaluation',
    icon: <FormOutlined />,
    permissions: ['evaluation.manage'],
    element: <QuestionnairesPage />,
  },
  {
    path: '/evaluation/inbox',
    label: { zh: '我的评议', en: 'My evaluations' },
    group: 'evaluation',
    icon: <InboxOutlined />,
    permissions: ['evaluation.respond'],
    element: <InboxPage />,
  },
  {
    path: '/evaluation/inbox/:id',
    label: { zh: '评议', en: 'Answer' },
    group: 'evaluation',
    hidden: true,
    permissions: ['evaluation.respond'],
    element: <InboxAnswerPage />,
  },
];
