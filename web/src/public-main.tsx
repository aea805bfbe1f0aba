import { Route, Routes } from 'react-router';
import { PublicNotFound } from './components/PublicFrame';
import { PageSuspense } from './lib/lazy';
import { renderShell } from './lib/shell';
import { CITIZEN_ROUTES } from './pages/citizenRoutes';

/*
 * The citizens' entry (public.html, served for /public/* and /rate/*): their pages only — no sign-in,
 * no menu, none of the console's code — so a phone downloads as little as possible (issue 12).
 */
renderShell(
  <PageSuspense>
    <Routes>
      {CITIZEN_ROUTES.map((r) => (
        <Route key={r.path} path={r.path} element={r.element} />
      ))}
      <Route path="*" element={<PublicNotFound />} />
    </Routes>
  </PageSuspense>,
);
