import type { AppRoute, PublicRoute } from '../lib/routes';
import { adminRoutes } from './admin/routes';
import { casesPublicRoutes, casesRoutes } from './cases/routes';
import { evaluationPublicRoutes, evaluationRoutes } from './evaluation/routes';
import { cockpitFullRoutes, cockpitRoutes } from './cockpit/routes';
import { homeRoutes } from './home/routes';
import { performancePublicRoutes, performanceRoutes } from './performance/routes';
import { reportingRoutes } from './reporting/routes';
import { reportsRoutes } from './reports/routes';
import { servicesPublicRoutes, servicesRoutes } from './services/routes';
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
  ...adminRoutes,
];

/** Pages for citizens, no login. */
export const PUBLIC_ROUTES: PublicRoute[] = [
  ...casesPublicRoutes,
  ...performancePublicRoutes,
  ...evaluationPublicRoutes,
  ...cockpitFullRoutes,
  ...servicesPublicRoutes,
];
