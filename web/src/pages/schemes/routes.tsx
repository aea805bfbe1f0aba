import { AimOutlined, FileProtectOutlined, TrophyOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { lazyPage } from '../../lib/lazy';

const ResultsPage = lazyPage(() => import('./ResultsPage'), 'ResultsPage');
const SelfChecksPage = lazyPage(() => import('./SelfChecksPage'), 'SelfChecksPage');
const SpotCheckPage = lazyPage(() => import('./SpotCheckPage'), 'SpotCheckPage');

/** Special assessments (专项考核): results by grade, spot checks by the assessing body, self-checks. */
export const schemesRoutes: AppRoute[] = [
  {
    path: '/schemes/results',
    label: { zh: '专项考核结果', en: 'Special assessment results' },
    group: 'performance',
    icon: <TrophyOutlined />,
    permissions: ['scores.read'],
    element: <ResultsPage />,
  },
  {
    path: '/schemes/spot-checks',
    label: { zh: '不定期抽查', en: 'Spot checks' },
    group: 'performance',
    icon: <AimOutlined />,
    permissions: ['schemes.check'],
    element: <SpotCheckPage />,
  },
  {
    path: '/schemes/self-checks',
    label: { zh: '自查报告', en: 'Self-check reports' },
    group: 'performance',
    icon: <FileProtectOutlined />,
    permissions: ['indicators.manage', 'schemes.check'],
    element: <SelfChecksPage />,
  },
];
