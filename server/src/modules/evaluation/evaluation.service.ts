/**
 * Evaluation campaigns (多元评价): questionnaires, campaigns, sampling and invitations, responses (in the
 * app and through the public one-time link), quality controls, and closing into per-unit results and
 * the score inputs of the mapped leaves. Every office write is audited in its transaction.
 *
 * This file is the module's service face (routes and other files import it); the code lives in the section
 * files evaluation.tokens.ts, evaluation.campaigns.ts, evaluation.sampling.ts, evaluation.responses.ts and
 * evaluation.results.ts.
 */
export { PUBLIC_PATH, invitationToken } from './evaluation.tokens.js';
export {
  listQuestionnaires,
  getQuestionnaire,
  saveQuestionnaire,
  listCampaigns,
  getCampaign,
  createCampaign,
  updateCampaign,
  listEvaluators,
} from './evaluation.campaigns.js';
export {
  FRAME_COLUMNS,
  importFrame,
  drawCampaignSample,
  samplePage,
  sendInvitations,
  remind,
} from './evaluation.sampling.js';
export {
  dashboard,
  responsesPage,
  setExcluded,
  publicForm,
  publicRespond,
  inbox,
  inboxForm,
  inboxRespond,
} from './evaluation.responses.js';
export { computeResults, closeCampaign, close, publish, results } from './evaluation.results.js';
