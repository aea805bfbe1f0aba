import { Spin } from 'antd';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useAuth } from './lib/auth';
import { lazyPage, PageSuspense } from './lib/lazy';
import { AppRoutesContext } from './lib/routes';
import { APP_ROUTES, PUBLIC_ROUTES } from './pages/registry';

// The signed-in frame and the login page are chunks of their own too: a citizen's page needs neither.
const AppLayout = lazyPage(() => import('./components/AppLayout'), 'AppLayout');
const LoginPage = lazyPage(() => import('./pages/auth/LoginPage'), 'LoginPage');
const SetupPage = lazyPage(() => import('./pages/auth/SetupPage'), 'SetupPage');
const ChangePasswordPage = lazyPage(() => import('./pages/auth/ChangePasswordPage'), 'ChangePasswordPage');
// 404 and 403 draw antd's large Result pictures: loaded when shown.
const NotFoundPage = lazyPage(() => import('./components/StatusPages'), 'NotFoundPage');
const NoAccessPage = lazyPage(() => import('./components/StatusPages'), 'NoAccessPage');

export function App() {
  const { me, loading, can } = useAuth();
  const location = useLocation();
  return (
    <AppRoutesContext.Provider value={APP_ROUTES}>
      <PageSuspense>
        <Routes>
          {PUBLIC_ROUTES.map((r) => (
            <Route key={r.path} path={r.path} element={r.element} />
          ))}
          <Route path="/login" element={<LoginPage />} />
          <Route path="/setup" element={<SetupPage />} />
          <Route
            path="/*"
            element={
              loading ? (
                <div style={{ padding: 80, textAlign: 'center' }}>
                  <Spin size="large" />
                </div>
              ) : me?.mustChangePassword ? (
                <ChangePasswordPage />
              ) : me ? (
                <AppLayout />
              ) : (
                <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
              )
            }
          >
            {APP_ROUTES.map((r) => (
              <Route
                key={r.path}
                path={r.path.replace(/^\//, '')}
                element={!r.permissions || r.permissions.some((p) => can(p)) ? r.element : <NoAccessPage />}
              />
            ))}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </PageSuspense>
    </AppRoutesContext.Provider>
  );
}
