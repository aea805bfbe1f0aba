import type { AppRoute, PublicRoute } from '../../lib/routes';

export const casesRoutes: AppRoute[] = [];
export const casesPublicRoutes: PublicRoute[] = [];
