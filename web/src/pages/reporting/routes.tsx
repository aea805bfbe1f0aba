import type { AppRoute } from '../../lib/routes';

export const reportingRoutes: AppRoute[] = [];
