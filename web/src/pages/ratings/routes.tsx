import { AlertOutlined, IdcardOutlined, LikeOutlined, TrophyOutlined } from '@ant-design/icons';
import { lazyPage } from '../../lib/lazy';
import type { AppRoute } from '../../lib/routes';

const RectificationsPage = lazyPage(() => import('./RectificationsPage'), 'RectificationsPage');
const NoticesPage = lazyPage(() => import('./NoticesPage'), 'NoticesPage');
const AwardsPage = lazyPage(() => import('./AwardsPage'), 'AwardsPage');
const ReviewersPage = lazyPage(() => import('./ReviewersCard'), 'ReviewersPage');

export const ratingsRoutes: AppRoute[] = [
  {
    path: '/ratings/rectifications',
    label: { zh: '好差评与整改', en: 'Ratings and rectifications' },
    group: 'evaluation',
    icon: <LikeOutlined />,
    permissions: ['ratings.manage', 'ratings.rectify'],
    element: <RectificationsPage />,
  },
  {
    path: '/notices',
    label: { zh: '问责通知', en: 'Accountability notices' },
    group: 'evaluation',
    icon: <AlertOutlined />,
    permissions: ['notices.issue', 'notices.reply'],
    element: <NoticesPage />,
  },
  {
    path: '/awards',
    label: { zh: '评先评优', en: 'Award rounds' },
    group: 'evaluation',
    icon: <TrophyOutlined />,
    permissions: ['awards.manage'],
    element: <AwardsPage />,
  },
  {
    path: '/ratings/reviewers',
    label: { zh: '专业评价人', en: 'Reviewer profiles' },
    group: 'evaluation',
    icon: <IdcardOutlined />,
    permissions: ['reviewers.manage'],
    element: <ReviewersPage />,
  },
];
