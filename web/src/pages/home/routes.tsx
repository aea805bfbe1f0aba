import { HomeOutlined } from '@ant-design/icons';
import type { AppRoute } from '../../lib/routes';
import { lazyPage } from '../../lib/lazy';

const HomePage = lazyPage(() => import('./HomePage'), 'HomePage');

export const homeRoutes: AppRoute[] = [
  { path: '/', label: { zh: '工作台', en: 'Home' }, group: 'home', icon: <HomeOutlined />, element: <HomePage /> },
];
