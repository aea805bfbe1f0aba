import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePermission } from '../../lib/http.js';
import { ZAuditPage, ZAuditQuery, ZAuditVerify } from './audit.schema.js';
import { exportEntries, listEntries, verifyChain } from './audit.service.js';
import { auditActionName, auditEntityName } from '../../../../common/audit.js';
import { exportTime, MAX_EXPORT_ROWS, sendTable } from '../../lib/xlsx-table.js';

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
      return {
        total: page.total,
        totalCapped: page.totalCapped,
        hasMore: page.hasMore,
        items: page.rows.map((r) => ({ ...r, at: r.at.toISOString() })),
      };
    },
  );
  // Excel of exactly the entries the filters show (newest first), actions and objects named in Chinese.
  app.get(
    '/audit/export',
    { ...read, schema: { tags, querystring: ZAuditQuery.omit({ limit: true, offset: true }) } },
    async (req, reply) => {
      const { from, to, ...f } = req.query;
      const lang = req.ctx.lang;
      const rows = await exportEntries(
        req.ctx.db,
        {
          ...f,
          from: from ? new Date(`${from}T00:00:00+08:00`) : undefined,
          to: to ? new Date(`${to}T23:59:59.999+08:00`) : undefined,
        },
        MAX_EXPORT_ROWS,
      );
      type Row = (typeof rows)[number];
      const en = lang === 'en';
      return sendTable(
        reply,
        { name: '审计日志.xlsx', fallback: 'audit-log.xlsx' },
        {
          sheet: en ? 'Audit log' : '审计日志',
          title: `${en ? 'Audit log' : '审计日志'}${from || to ? `  ${from ?? ''} ~ ${to ?? ''}` : ''}  ${en ? 'exported' : '导出于'} ${exportTime(new Date())}`,
          columns: [
            { header: en ? 'No.' : '序号', value: (r: Row) => r.id, format: 'int', width: 9 },
            { header: en ? 'Time' : '时间', value: (r: Row) => exportTime(r.at), width: 18 },
            { header: en ? 'User' : '操作人', value: (r: Row) => r.actorName, width: 14 },
            { header: en ? 'Action' : '操作', value: (r: Row) => auditActionName(r.action, lang), width: 20 },
            { header: en ? 'Object' : '对象', value: (r: Row) => auditEntityName(r.entityType, lang), width: 14 },
            { header: en ? 'Object id' : '对象编号', value: (r: Row) => r.entityId, width: 14 },
            { header: en ? 'Unit id' : '单位编号', value: (r: Row) => r.unitId, format: 'int', width: 9 },
            { header: 'IP', value: (r: Row) => r.ip, width: 15 },
            { header: en ? 'Action code' : '操作代码', value: (r: Row) => r.action, width: 22 },
          ],
          rows,
        },
      );
    },
  );
  app.get('/audit/verify', { ...read, schema: { tags, response: { 200: ZAuditVerify } } }, async (req) => {
    const r = await verifyChain(req.ctx.db);
    return { checked: r.checked, ok: !r.broken, broken: r.broken };
  });
};
