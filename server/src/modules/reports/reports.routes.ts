import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contentDisposition, requirePermission } from '../../lib/http.js';
import { ZGenerate, ZIdParam, ZListQuery, ZReportDetail, ZReportList } from './reports.schema.js';
import * as service from './reports.service.js';

const MIME = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export const reportsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['reports'];
  const read = { preHandler: requirePermission('reports.read') };
  const generate = { preHandler: requirePermission('reports.generate') };

  app.get('/reports', { ...read, schema: { tags, querystring: ZListQuery, response: { 200: ZReportList } } }, (req) =>
    service.listReports(req.ctx, req.query),
  );
  app.post(
    '/reports',
    { ...generate, schema: { tags, body: ZGenerate, response: { 201: ZReportDetail } } },
    async (req, reply) => reply.status(201).send(await service.generate(req.ctx, req.body)),
  );
  app.get('/reports/:id', { ...read, schema: { tags, params: ZIdParam, response: { 200: ZReportDetail } } }, (req) =>
    service.getReport(req.ctx, req.params.id),
  );
  for (const kind of ['docx', 'xlsx'] as const)
    app.get(`/reports/:id/${kind}`, { ...read, schema: { tags, params: ZIdParam } }, async (req, reply) => {
      const f = await service.reportFile(req.ctx, req.params.id, kind);
      return reply
        .header('Content-Type', MIME[kind])
        .header('Content-Disposition', contentDisposition(f.name, { fallback: f.fallback }))
        .header('Cache-Control', 'no-store')
        .send(f.bytes);
    });
};
