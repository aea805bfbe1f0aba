import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePermission } from '../../lib/http.js';
import {
  ZCaseDrill,
  ZCaseDrillQuery,
  ZCockpit,
  ZCockpitQuery,
  ZLightDrill,
  ZLightDrillQuery,
  ZRatingDrill,
  ZRatingDrillQuery,
  ZReportDrill,
  ZReportDrillQuery,
  ZTaskDrill,
  ZTaskDrillQuery,
} from './cockpit.schema.js';
import * as drill from './cockpit.drill.js';
import * as service from './cockpit.service.js';

export const cockpitRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['cockpit'];
  const read = { preHandler: requirePermission('cockpit.read') };

  app.get('/cockpit', { ...read, schema: { tags, querystring: ZCockpitQuery, response: { 200: ZCockpit } } }, (req) =>
    service.cockpit(req.ctx, req.query),
  );
  // The district's street map (GeoJSON), drawn offline by ECharts: no map tiles from the internet.
  app.get('/cockpit/map', { ...read, schema: { tags } }, async (_req, reply) => {
    reply.header('cache-control', 'private, max-age=86400');
    return service.STREET_MAP;
  });
  app.get(
    '/cockpit/drill/lights',
    { ...read, schema: { tags, querystring: ZLightDrillQuery, response: { 200: ZLightDrill } } },
    (req) => drill.drillLights(req.ctx, req.query),
  );
  app.get(
    '/cockpit/drill/reports',
    { ...read, schema: { tags, querystring: ZReportDrillQuery, response: { 200: ZReportDrill } } },
    (req) => drill.drillReports(req.ctx, req.query),
  );
  app.get(
    '/cockpit/drill/tasks',
    { ...read, schema: { tags, querystring: ZTaskDrillQuery, response: { 200: ZTaskDrill } } },
    (req) => drill.drillTasks(req.ctx, req.query),
  );
  app.get(
    '/cockpit/drill/cases',
    { ...read, schema: { tags, querystring: ZCaseDrillQuery, response: { 200: ZCaseDrill } } },
    (req) => drill.drillCases(req.ctx, req.query),
  );
  app.get(
    '/cockpit/drill/ratings',
    { ...read, schema: { tags, querystring: ZRatingDrillQuery, response: { 200: ZRatingDrill } } },
    (req) => drill.drillRatings(req.ctx, req.query),
  );
};
