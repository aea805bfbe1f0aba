import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePermission } from '../../lib/http.js';
import { ZAuditPage, ZAuditQuery, ZAuditVerify } from './audit.schema.js';
import { listEntries, verifyChain } from './audit.service.js';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const read = { preHandler: requirePermission('audit.read') };
  const tags = ['audit'];
  app.get(
    '/audit',
    { ...read, schema: { tags, querystring: ZAuditQuery, response: { 200: ZAuditPage } } },
    async (req) => {
      const { limit, offset, from, to, ...f } = req.query;
      const page = await listEntries(
        req.ctx.db,
        {
          ...f,
          from: from ? new Date(`${from}T00:00:00+08:00`) : undefined,
          to: to ? new Date(`${to}T23:59:59.999+08:00`) : undefined,
        },
        { limit, offset },
      );
      return { total: page.total, items: page.rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
    },
  );
  app.get('/audit/verify', { ...read, schema: { tags, response: { 200: ZAuditVerify } } }, async (req) => {
    const r = await verifyChain(req.ctx.db);
    return { checked: r.checked, ok: !r.broken, broken: r.broken };
  });
};
