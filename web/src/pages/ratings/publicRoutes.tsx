import { lazyPage } from '../../lib/lazy';
import type { PublicRoute } from '../../lib/routes';

const PublicRatePage = lazyPage(() => import('./PublicRatePage'), 'PublicRatePage');

/** The 好差评 page the SMS link opens (no login, phone size). */
export const ratingsPublicRoutes: PublicRoute[] = [{ path: '/rate/:token', element: <PublicRatePage /> }];
