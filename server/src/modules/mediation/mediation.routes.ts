import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition, requirePermission } from '../../lib/http.js';
import { sendXlsx } from '../../lib/xlsx-http.js';
import { ledgerWorkbook, statsWorkbook } from './mediation.excel.js';
import {
  ZCaseDetail,
  ZCaseInput,
  ZCaseList,
  ZIdParam,
  ZListQuery,
  ZMediator,
  ZOutcomeInput,
  ZSessionInput,
  ZStats,
  ZStatsQuery,
} from './mediation.schema.js';
import * as service from './mediation.service.js';

export const mediationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['mediation'];
  const read = { preHandler: requirePermission('mediation.manage', 'mediation.read') };
  const manage = { preHandler: requirePermission('mediation.manage') };
  const one = { tags, params: ZIdParam, response: { 200: ZCaseDetail } };

  app.get(
    '/mediation/cases',
    { ...read, schema: { tags, querystring: ZListQuery, response: { 200: ZCaseList } } },
    (req) => service.listCases(req.ctx, req.query),
  );
  app.get('/mediation/cases.xlsx', { ...read, schema: { tags, querystring: ZListQuery } }, async (req, reply) =>
    sendXlsx(reply, await ledgerWorkbook(await service.allRows(req.ctx, req.query)), '调解台账.xlsx', 'mediation.xlsx'),
  );
  app.get('/mediation/mediators', { ...manage, schema: { tags, response: { 200: z.array(ZMediator) } } }, (req) =>
    service.listMediators(req.ctx),
  );
  app.get(
    '/mediation/stats',
    { ...read, schema: { tags, querystring: ZStatsQuery, response: { 200: ZStats } } },
    (req) => service.stats(req.ctx, req.query.year),
  );
  app.get('/mediation/stats.xlsx', { ...read, schema: { tags, querystring: ZStatsQuery } }, async (req, reply) =>
    sendXlsx(
      reply,
      await statsWorkbook(await service.stats(req.ctx, req.query.year)),
      `调解统计-${req.query.year}.xlsx`,
      `mediation-stats-${req.query.year}.xlsx`,
    ),
  );
  app.get('/mediation/cases/:id', { ...read, schema: one }, (req) => service.getCase(req.ctx, req.params.id));
  app.post(
    '/mediation/cases',
    { ...manage, schema: { tags, body: ZCaseInput, response: { 201: ZCaseDetail } } },
    async (req, reply) => reply.status(201).send(await service.createCase(req.ctx, req.body)),
  );
  app.put('/mediation/cases/:id', { ...manage, schema: { ...one, body: ZCaseInput } }, (req) =>
    service.updateCase(req.ctx, req.params.id, req.body),
  );
  app.post('/mediation/cases/:id/sessions', { ...manage, schema: { ...one, body: ZSessionInput } }, (req) =>
    service.addSession(req.ctx, req.params.id, req.body),
  );
  app.post('/mediation/cases/:id/outcome', { ...manage, schema: { ...one, body: ZOutcomeInput } }, (req) =>
    service.conclude(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/mediation/cases/:id/agreement.docx',
    { ...read, schema: { tags, params: ZIdParam } },
    async (req, reply) => {
      const f = await service.agreementFile(req.ctx, req.params.id);
      return reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header(
          'Content-Disposition',
          contentDisposition(f.name, { fallback: `mediation-agreement-${req.params.id}.docx` }),
        )
        .header('Cache-Control', 'private, no-store')
        .send(f.data);
    },
  );
};
