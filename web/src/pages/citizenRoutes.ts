import type { PublicRoute } from '../lib/routes';
import { casesPublicRoutes } from './cases/publicRoutes';
import { evaluationPublicRoutes } from './evaluation/publicRoutes';
import { performancePublicRoutes } from './performance/publicRoutes';
import { ratingsPublicRoutes } from './ratings/publicRoutes';
import { servicesPublicRoutes } from './services/publicRoutes';

/**
 * Pages for citizens, no login, by module (each module's publicRoutes.tsx). The signed-in app has them
 * too (registry.tsx); the citizens' entry (public-main.tsx) has only these, none of the console's menu.
 */
export const CITIZEN_ROUTES: PublicRoute[] = [
  ...casesPublicRoutes,
  ...performancePublicRoutes,
  ...evaluationPublicRoutes,
  ...servicesPublicRoutes,
  ...ratingsPublicRoutes,
];
