import { Spin } from 'antd';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AppLayout } from './components/AppLayout';
import { useAuth } from './lib/auth';
import { AppRoutesContext } from './lib/routes';
import { ChangePasswordPage } from './pages/auth/ChangePasswordPage';
import { LoginPage } from './pages/auth/LoginPage';
import { SetupPage } from './pages/auth/SetupPage';
import { APP_ROUTES, PUBLIC_ROUTES } from './pages/registry';

export function App() {
  const { me, loading } = useAuth();
  const location = useLocation();
  return (
    <AppRoutesContext.Provider value={APP_ROUTES}>
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
          <Route key={r.path} path={r.path.replace(/^\//, '')} element={r.element} />
        ))}
      </Route>
    </Routes>
    </AppRoutesContext.Provider>
  );
}
