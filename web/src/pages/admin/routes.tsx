import type { AppRoute } from '../../lib/routes';

// Units, users, audit log and calendar pages are added here.
export const adminRoutes: AppRoute[] = [];
