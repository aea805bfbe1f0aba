import type { AppRoute } from '../../lib/routes';

export const performanceRoutes: AppRoute[] = [];
