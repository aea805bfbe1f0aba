import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePermission } from '../../lib/http.js';
import { sendTable } from '../../lib/xlsx-table.js';
import { statsSheet } from './casestats.excel.js';
import {
  ZFormulas,
  ZFormulasUpdate,
  ZMonthStats,
  ZStatsQuery,
  ZSyncRequest,
  ZSyncResult,
  ZTrend,
  ZTrendQuery,
} from './casestats.schema.js';
import * as service from './casestats.service.js';

/** Department statistics of the public service platform (/api/case-stats). */
export const caseStatsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['case-stats'];
  const read = { preHandler: requirePermission('cases.stats') };
  const configure = { preHandler: requirePermission('cases.configure') };

  app.get(
    '/case-stats',
    { ...read, schema: { tags, querystring: ZStatsQuery, response: { 200: ZMonthStats } } },
    (req) => service.monthStats(req.ctx, req.query),
  );
  // Excel of exactly what the page shows for the month (and unit filter), with the total line.
  app.get('/case-stats/export', { ...read, schema: { tags, querystring: ZStatsQuery } }, async (req, reply) =>
    sendTable(
      reply,
      { name: `部门统计-${req.query.month}.xlsx`, fallback: `case-stats-${req.query.month}.xlsx` },
      statsSheet(await service.monthStats(req.ctx, req.query), req.ctx.lang),
    ),
  );
  app.get(
    '/case-stats/trend',
    { ...read, schema: { tags, querystring: ZTrendQuery, response: { 200: ZTrend } } },
    (req) => service.trend(req.ctx, req.query),
  );
  app.get('/case-stats/formulas', { ...read, schema: { tags, response: { 200: ZFormulas } } }, (req) =>
    service.getFormulas(req.ctx.db),
  );
  app.put(
    '/case-stats/formulas',
    { ...configure, schema: { tags, body: ZFormulasUpdate, response: { 200: ZFormulas } } },
    (req) => service.putFormulas(req.ctx, req.body),
  );
  app.post(
    '/case-stats/sync',
    { ...configure, schema: { tags, body: ZSyncRequest, response: { 200: ZSyncResult } } },
    (req) => service.runSync(req.ctx, req.body),
  );
};
