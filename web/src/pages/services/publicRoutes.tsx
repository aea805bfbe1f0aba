import { lazyPage } from '../../lib/lazy';
import type { PublicRoute } from '../../lib/routes';

const PublicItemsPage = lazyPage(() => import('./PublicPages'), 'PublicItemsPage');
const PublicApplyPage = lazyPage(() => import('./PublicPages'), 'PublicApplyPage');
const PublicTrackPage = lazyPage(() => import('./PublicPages'), 'PublicTrackPage');

/** The module's citizen pages (no login), served by the public entry too: kept apart from routes.tsx so a phone loads none of the console's menu. */
export const servicesPublicRoutes: PublicRoute[] = [
  { path: '/public/services', element: <PublicItemsPage /> },
  { path: '/public/services/apply', element: <PublicApplyPage /> },
  { path: '/public/services/track', element: <PublicTrackPage /> },
];
