import type { AppRoute, PublicRoute } from '../lib/routes';
import { adminRoutes } from './admin/routes';
import { casesPublicRoutes, casesRoutes } from './cases/routes';
import { homeRoutes } from './home/routes';
import { performancePublicRoutes, performanceRoutes } from './performance/routes';
import { ratingsPublicRoutes, ratingsRoutes } from './ratings/routes';
import { reportingRoutes } from './reporting/routes';
import { supervisionRoutes } from './supervision/routes';

/** Every signed-in page, by module. Each module owns its routes file. */
export const APP_ROUTES: AppRoute[] = [
  ...homeRoutes,
  ...performanceRoutes,
  ...reportingRoutes,
  ...casesRoutes,
  ...supervisionRoutes,
  ...ratingsRoutes,
  ...adminRoutes,
];

/** Pages for citizens, no login. */
export const PUBLIC_ROUTES: PublicRoute[] = [...casesPublicRoutes, ...performancePublicRoutes, ...ratingsPublicRoutes];
