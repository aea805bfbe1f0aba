import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePermission } from '../../lib/http.js';
import { sendXlsx } from '../../lib/xlsx-http.js';
import { ledgerWorkbook, statsWorkbook } from './assistance.excel.js';
import {
  ZAnswerInput,
  ZFeedbackInput,
  ZIdParam,
  ZListQuery,
  ZNoteInput,
  ZReferInput,
  ZRequestDetail,
  ZRequestInput,
  ZRequestList,
  ZStats,
  ZStatsQuery,
  ZUrgeInput,
} from './assistance.schema.js';
import * as service from './assistance.service.js';

export const assistanceRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['assistance'];
  const read = { preHandler: requirePermission('assistance.manage', 'assistance.handle') };
  const manage = { preHandler: requirePermission('assistance.manage') };
  const handle = { preHandler: requirePermission('assistance.handle') };
  const one = { tags, params: ZIdParam, response: { 200: ZRequestDetail } };

  app.get(
    '/assistance/requests',
    { ...read, schema: { tags, querystring: ZListQuery, response: { 200: ZRequestList } } },
    (req) => service.listRequests(req.ctx, req.query),
  );
  app.get('/assistance/requests.xlsx', { ...read, schema: { tags, querystring: ZListQuery } }, async (req, reply) =>
    sendXlsx(
      reply,
      await ledgerWorkbook(await service.allRows(req.ctx, req.query)),
      '求助转办台账.xlsx',
      'assistance.xlsx',
    ),
  );
  app.get(
    '/assistance/stats',
    { ...read, schema: { tags, querystring: ZStatsQuery, response: { 200: ZStats } } },
    (req) => service.stats(req.ctx, req.query.year),
  );
  app.get('/assistance/stats.xlsx', { ...read, schema: { tags, querystring: ZStatsQuery } }, async (req, reply) =>
    sendXlsx(
      reply,
      await statsWorkbook(await service.stats(req.ctx, req.query.year)),
      `求助统计-${req.query.year}.xlsx`,
      `assistance-stats-${req.query.year}.xlsx`,
    ),
  );
  app.get('/assistance/requests/:id', { ...read, schema: one }, (req) => service.getRequest(req.ctx, req.params.id));
  app.post(
    '/assistance/requests',
    { ...manage, schema: { tags, body: ZRequestInput, response: { 201: ZRequestDetail } } },
    async (req, reply) => reply.status(201).send(await service.register(req.ctx, req.body)),
  );
  app.post('/assistance/requests/:id/refer', { ...manage, schema: { ...one, body: ZReferInput } }, (req) =>
    service.refer(req.ctx, req.params.id, req.body),
  );
  app.post('/assistance/requests/:id/sign', { ...handle, schema: { ...one, body: ZNoteInput } }, (req) =>
    service.sign(req.ctx, req.params.id, req.body.note),
  );
  app.post('/assistance/requests/:id/answer', { ...handle, schema: { ...one, body: ZAnswerInput } }, (req) =>
    service.answer(req.ctx, req.params.id, req.body),
  );
  app.post('/assistance/requests/:id/urge', { ...manage, schema: { ...one, body: ZUrgeInput } }, (req) =>
    service.urge(req.ctx, req.params.id, req.body.note),
  );
  app.post('/assistance/requests/:id/feedback', { ...manage, schema: { ...one, body: ZFeedbackInput } }, (req) =>
    service.feedback(req.ctx, req.params.id, req.body),
  );
};
