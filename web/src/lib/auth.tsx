import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import type { TMe } from '@server/modules/auth/auth.schema';
import type { Permission } from '@server/platform/access';
import { http, setCsrfToken } from './api';

type AuthState = {
  me: TMe | null;
  loading: boolean;
  can(p: Permission): boolean;
  hasRole(r: TMe['roles'][number]): boolean;
  refresh(): Promise<void>;
  logout(): Promise<void>;
};

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      // /api/auth/session answers 200 with null when signed out: no 401 in the console of the login
      // and public pages.
      const { me } = await http.get<{ me: TMe | null }>('/api/auth/session');
      if (me) setCsrfToken(me.csrfToken);
      return me;
    },
    staleTime: 60_000,
  });
  const me = q.data ?? null;
  const state: AuthState = {
    me,
    loading: q.isLoading,
    can: (p) => !!me?.permissions.includes(p),
    hasRole: (r) => !!me?.roles.includes(r),
    refresh: async () => {
      await qc.invalidateQueries({ queryKey: ['me'] });
    },
    logout: async () => {
      await http.post('/api/auth/logout');
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(['me'], null);
    },
  };
  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
