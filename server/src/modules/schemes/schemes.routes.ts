import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../lib/http.js';
import { ZIdParam, ZSpotCheck, ZSpotCheckCreate, ZSpotCheckQuery, ZSpotCheckSetup } from './schemes.schema.js';
import * as service from './schemes.service.js';
import { getYear } from '../performance/index.js';

export const schemesRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['schemes: special assessments'];
  const read = { preHandler: requirePermission('scores.read') };
  const check = { preHandler: requirePermission('schemes.check') };
  const manage = { preHandler: requirePermission('indicators.manage') };

  app.get(
    '/schemes/:id/spot-check-setup',
    { ...check, schema: { tags, params: ZIdParam, response: { 200: ZSpotCheckSetup } } },
    (req) => service.spotCheckSetup(req.ctx, req.params.id),
  );
  app.get(
    '/spot-checks',
    { ...read, schema: { tags, querystring: ZSpotCheckQuery, response: { 200: z.array(ZSpotCheck) } } },
    (req) => service.listSpotChecks(req.ctx, req.query),
  );
  app.get('/spot-checks/:id', { ...read, schema: { tags, params: ZIdParam, response: { 200: ZSpotCheck } } }, (req) =>
    service.getSpotCheck(req.ctx, req.params.id),
  );
  app.post(
    '/spot-checks',
    { ...check, schema: { tags, body: ZSpotCheckCreate, response: { 201: ZSpotCheck } } },
    async (req, reply) => reply.status(201).send(await service.createSpotCheck(req.ctx, req.body)),
  );
  app.post(
    '/schemes/:id/urban-sync',
    { ...manage, schema: { tags, params: ZIdParam, response: { 200: z.object({ inputs: z.number() }) } } },
    async (req) => {
      await getYear(req.ctx.db, req.params.id);
      return service.syncUrbanInputs(req.ctx.db, req.ctx.actor, { schemeId: req.params.id });
    },
  );
};
