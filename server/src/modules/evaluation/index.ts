/** Evaluation module (多元评价): questionnaires, campaigns, sampling, one-time links and the evaluator inbox, quality controls, results and the score inputs of `evaluation` leaves. */
import { defineModule } from '../../platform/module.js';
import { consultationRoutes } from './evaluation.consultation.routes.js';
import { seedConsultations } from './evaluation.consultation.seed.js';
import { evaluationRoutes } from './evaluation.routes.js';
import { seedEvaluation } from './evaluation.seed.js';
import { seedUrbanEvaluation } from './evaluation.urban.seed.js';
import * as tables from './evaluation.table.js';

export { closeCampaign as closeEvaluationCampaign, invitationToken } from './evaluation.service.js';
export { setPublicSurveyLimit } from './evaluation.limit.js';
export * from './evaluation.summary.js';

export const evaluationModule = defineModule({
  name: 'evaluation',
  routes: [
    { plugin: evaluationRoutes, prefix: '/api' },
    { plugin: consultationRoutes, prefix: '/api' },
  ],
  tables,
  permissions: ['evaluation.manage', 'evaluation.results', 'evaluation.respond'],
  // After the cases (closed cases are the public survey's frame) and scoring's generic demo inputs, which the closed campaigns replace.
  // The urban-management scheme's 社会监督评价 after that scheme's spot checks, before its first half-year is published.
  seeds: [
    { key: 'evaluation', run: seedEvaluation, after: ['cases', 'scoring', 'supervision'] },
    { key: 'evaluation-urban', run: seedUrbanEvaluation, after: ['schemes', 'evaluation'] },
    // The 协商中心's consultations: one published with its summary, one open.
    { key: 'evaluation-consult', run: seedConsultations, after: ['evaluation'] },
  ],
});
