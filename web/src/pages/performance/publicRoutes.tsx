import { lazyPage } from '../../lib/lazy';
import type { PublicRoute } from '../../lib/routes';

const PublicResultsPage = lazyPage(() => import('./PublicResultsPage'), 'PublicResultsPage');

/** The module's citizen pages (no login), served by the public entry too: kept apart from routes.tsx so a phone loads none of the console's menu. */
export const performancePublicRoutes: PublicRoute[] = [{ path: '/public/results', element: <PublicResultsPage /> }];
