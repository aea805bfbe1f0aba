import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../lib/http.js';
import * as consultation from './evaluation.consultation.js';
import { hitPublicSurvey } from './evaluation.limit.js';
import {
  ZConsultation,
  ZConsultationSummaryInput,
  ZConsultationTopicInput,
  ZIdParam,
  ZPublicConsultation,
  ZPublicConsultationRow,
} from './evaluation.schema.js';

/** Consultations (协商): the office's topic, summary and publication; the public page of published ones. */
export const consultationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['evaluation'];
  const manage = { preHandler: requirePermission('evaluation.manage') };
  const id = { tags, params: ZIdParam };

  app.get(
    '/evaluation/campaigns/:id/consultation',
    { ...manage, schema: { ...id, response: { 200: ZConsultation } } },
    (req) => consultation.getConsultation(req.ctx, req.params.id),
  );
  app.put(
    '/evaluation/campaigns/:id/consultation/topic',
    { ...manage, schema: { ...id, body: ZConsultationTopicInput, response: { 200: ZConsultation } } },
    (req) => consultation.saveTopic(req.ctx, req.params.id, req.body),
  );
  app.put(
    '/evaluation/campaigns/:id/consultation/summary',
    { ...manage, schema: { ...id, body: ZConsultationSummaryInput, response: { 200: ZConsultation } } },
    (req) => consultation.saveSummary(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/evaluation/campaigns/:id/consultation/publish',
    { ...manage, schema: { ...id, response: { 200: ZConsultation } } },
    (req) => consultation.publishConsultation(req.ctx, req.params.id),
  );

  // ---------- public (no login; counted per address with the public survey pages) ----------
  const open = { config: { csrfExempt: true } };
  app.get(
    '/public/consultations',
    { ...open, schema: { tags: ['public'], response: { 200: z.array(ZPublicConsultationRow) } } },
    async (req) => {
      await hitPublicSurvey(req.ctx.db, req.ip);
      return consultation.publicConsultations(req.ctx.db);
    },
  );
  app.get(
    '/public/consultations/:id',
    { ...open, schema: { tags: ['public'], params: ZIdParam, response: { 200: ZPublicConsultation } } },
    async (req) => {
      await hitPublicSurvey(req.ctx.db, req.ip);
      return consultation.publicConsultation(req.ctx.db, req.params.id);
    },
  );
};
