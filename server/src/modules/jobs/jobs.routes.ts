import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePermission } from '../../lib/http.js';
import { ZJob, ZJobList, ZJobName, ZSmsId, ZSmsMessage, ZSmsOverview, ZSmsQuery } from './jobs.schema.js';
import * as service from './jobs.service.js';

/** Background jobs and the SMS that need a decision, for the admin (/api/jobs, /api/sms-outbox). */
export const jobsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['jobs'];
  const manage = { preHandler: requirePermission('jobs.manage') };
  app.get('/jobs', { ...manage, schema: { tags, response: { 200: ZJobList } } }, (req) => service.listJobs(req.ctx));
  app.post(
    '/jobs/:name/run',
    { ...manage, schema: { tags, params: ZJobName, response: { 202: ZJob } } },
    async (req, reply) => reply.code(202).send(await service.requestRun(req.ctx, req.params.name)),
  );
  app.get(
    '/sms-outbox',
    { ...manage, schema: { tags, querystring: ZSmsQuery, response: { 200: ZSmsOverview } } },
    (req) => service.smsOverview(req.ctx, req.query),
  );
  app.post(
    '/sms-outbox/:id/resend',
    { ...manage, schema: { tags, params: ZSmsId, response: { 200: ZSmsMessage } } },
    (req) => service.resendSms(req.ctx, req.params.id),
  );
};
