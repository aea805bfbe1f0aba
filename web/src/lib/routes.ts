import type { ReactNode } from 'react';
import type { Permission } from '@server/modules/auth/auth.policy';

/** A page in the signed-in app; shown in the menu under `group` when the user has one of `permissions`. */
export type AppRoute = {
  path: string;
  label: { zh: string; en: string };
  group: 'home' | 'performance' | 'reporting' | 'cases' | 'supervision' | 'admin';
  icon?: ReactNode;
  permissions?: Permission[];
  element: ReactNode;
  /** Hidden from the menu (detail pages). */
  hidden?: boolean;
};

/** A page that needs no login (citizen pages). */
export type PublicRoute = { path: string; element: ReactNode };
