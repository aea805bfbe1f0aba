import type { AppRoute, PublicRoute } from '../lib/routes';
import { CITIZEN_ROUTES } from './citizenRoutes';
import { adminRoutes } from './admin/routes';
import { casesRoutes } from './cases/routes';
import { evaluationRoutes } from './evaluation/routes';
import { cockpitFullRoutes, cockpitRoutes } from './cockpit/routes';
import { homeRoutes } from './home/routes';
import { performanceRoutes } from './performance/routes';
import { ratingsRoutes } from './ratings/routes';
import { reportingRoutes } from './reporting/routes';
import { reportsRoutes } from './reports/routes';
import { servicesRoutes } from './services/routes';
import { supervisionRoutes } from './supervision/routes';
import { schemesRoutes } from './schemes/routes';
import { mediationRoutes } from './mediation/routes';
import { assistanceRoutes } from './assistance/routes';

/** Every signed-in page, by module. Each module owns its routes file. */
export const APP_ROUTES: AppRoute[] = [
  ...homeRoutes,
  ...cockpitRoutes,
  ...performanceRoutes,
  ...reportingRoutes,
  ...casesRoutes,
  ...supervisionRoutes,
  ...schemesRoutes,
  ...evaluationRoutes,
  ...reportsRoutes,
  ...servicesRoutes,
  ...mediationRoutes,
  ...assistanceRoutes,
  ...ratingsRoutes,
  ...adminRoutes,
];

/** Pages outside the signed-in frame: the citizens' pages and the full-screen cockpit. */
export const PUBLIC_ROUTES: PublicRoute[] = [...CITIZEN_ROUTES, ...cockpitFullRoutes];
