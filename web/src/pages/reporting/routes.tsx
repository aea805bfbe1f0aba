import { AuditOutlined, EditOutlined, FormOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { lazyPage } from '../../lib/lazy';

const FormDesignerPage = lazyPage(() => import('./FormDesignerPage'), 'FormDesignerPage');
const LeaderReviewPage = lazyPage(() => import('./LeaderReviewPage'), 'LeaderReviewPage');
const MyReportingPage = lazyPage(() => import('./MyReportingPage'), 'MyReportingPage');
const OfficeReviewPage = lazyPage(() => import('./OfficeReviewPage'), 'OfficeReviewPage');
const SubmissionPage = lazyPage(() => import('./SubmissionPage'), 'SubmissionPage');
const ThirdPartyPage = lazyPage(() => import('./ThirdPartyPage'), 'ThirdPartyPage');

export const reportingRoutes: AppRoute[] = [
  {
    path: '/reporting/my',
    label: { zh: '我的填报', en: 'My reporting' },
    group: 'reporting',
    icon: <EditOutlined />,
    permissions: ['submissions.fill'],
    element: <MyReportingPage />,
  },
  {
    path: '/reporting/approve',
    label: { zh: '单位审核', en: 'Unit review' },
    group: 'reporting',
    icon: <SafetyCertificateOutlined />,
    permissions: ['submissions.approve'],
    element: <LeaderReviewPage />,
  },
  {
    path: '/reporting/review',
    label: { zh: '数据审核', en: 'Data review' },
    group: 'reporting',
    icon: <AuditOutlined />,
    permissions: ['submissions.accept'],
    element: <OfficeReviewPage />,
  },
  {
    path: '/reporting/forms',
    label: { zh: '表单设计', en: 'Form designer' },
    group: 'reporting',
    icon: <FormOutlined />,
    permissions: ['indicators.manage'],
    element: <FormDesignerPage />,
  },
  {
    path: '/reporting/third-party',
    label: { zh: '第三方数据', en: 'Third-party data' },
    group: 'reporting',
    icon: <TeamOutlined />,
    permissions: ['submissions.thirdParty'],
    element: <ThirdPartyPage />,
  },
  {
    path: '/reporting/submissions/:id',
    label: { zh: '填报详情', en: 'Submission' },
    group: 'reporting',
    permissions: ['submissions.fill', 'submissions.approve', 'submissions.accept', 'submissions.thirdParty'],
    element: <SubmissionPage />,
    hidden: true,
  },
];
