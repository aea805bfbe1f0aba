import { lazyPage } from '../../lib/lazy';
import type { PublicRoute } from '../../lib/routes';

const PublicSurveyPage = lazyPage(() => import('./PublicSurveyPage'), 'PublicSurveyPage');
const QrScanPage = lazyPage(() => import('./PublicSurveyPage'), 'QrScanPage');
const PublicConsultationsPage = lazyPage(() => import('./PublicConsultationPages'), 'PublicConsultationsPage');
const PublicConsultationPage = lazyPage(() => import('./PublicConsultationPages'), 'PublicConsultationPage');

/** The module's citizen pages (no login), served by the public entry too: kept apart from routes.tsx so a phone loads none of the console's menu. */
export const evaluationPublicRoutes: PublicRoute[] = [
  { path: '/public/survey/qr/:code', element: <QrScanPage /> },
  { path: '/public/survey/:token', element: <PublicSurveyPage /> },
  { path: '/public/consultations', element: <PublicConsultationsPage /> },
  { path: '/public/consultations/:id', element: <PublicConsultationPage /> },
];
