import { lazyPage } from '../../lib/lazy';
import type { PublicRoute } from '../../lib/routes';

const PublicSubmitPage = lazyPage(() => import('./PublicSubmitPage'), 'PublicSubmitPage');
const PublicTrackPage = lazyPage(() => import('./PublicTrackPage'), 'PublicTrackPage');

/** The module's citizen pages (no login), served by the public entry too: kept apart from routes.tsx so a phone loads none of the console's menu. */
export const casesPublicRoutes: PublicRoute[] = [
  { path: '/public/submit', element: <PublicSubmitPage /> },
  { path: '/public/track', element: <PublicTrackPage /> },
];
