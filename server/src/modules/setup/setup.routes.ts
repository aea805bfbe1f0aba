import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assertSameOrigin } from '../../lib/http.js';
import { ZSetup, ZSetupResult, ZSetupStatus } from './setup.schema.js';
import * as service from './setup.service.js';

/** First-start setup (no users yet) and what the sign-in page needs to know before anyone signs in. */
export const setupRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['auth'];
  const cfg = app.xn.config;
  app.get('/setup', { schema: { tags, response: { 200: ZSetupStatus } } }, async (req) => ({
    setupRequired: !(await service.hasUsers(req.ctx.db)),
    demo: cfg.seedDemo,
    passwordPolicy: cfg.security.password,
  }));
  app.post(
    '/setup',
    { schema: { tags, body: ZSetup, response: { 201: ZSetupResult } }, config: { csrfExempt: true } },
    async (req, reply) => {
      assertSameOrigin(req);
      return reply.status(201).send(await service.runSetup(req.ctx.db, req.ctx.actor, req.body, cfg.security.password));
    },
  );
};
