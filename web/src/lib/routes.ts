import { createContext, type ReactNode } from 'react';
import type { Permission } from '@server/platform/access';

/** A page in the signed-in app; shown in the menu under `group` when the user has one of `permissions`. */
export type AppRoute = {
  path: string;
  label: { zh: string; en: string };
  group: 'home' | 'performance' | 'reporting' | 'cases' | 'supervision' | 'evaluation' | 'services' | 'desks' | 'admin';
  icon?: ReactNode;
  permissions?: Permission[];
  element: ReactNode;
  /** Hidden from the menu (detail pages). */
  hidden?: boolean;
};

/** A page that needs no login (citizen pages). */
export type PublicRoute = { path: string; element: ReactNode };

/**
 * The signed-in app's pages (pages/registry.tsx), provided by App: a page that lists other pages (the
 * home page's shortcuts) reads them here instead of importing the registry, which imports it (no cycle).
 */
export const AppRoutesContext = createContext<readonly AppRoute[]>([]);
