import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../lib/http.js';
import { ZIdParam } from '../units/index.js';
import { ZUser, ZUserCreate, ZUserQuery, ZUserUpdate } from './users.schema.js';
import * as service from './users.service.js';

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const manage = { preHandler: requirePermission('users.manage') };
  const tags = ['users'];
  app.get('/users', { ...manage, schema: { tags, querystring: ZUserQuery, response: { 200: z.array(ZUser) } } }, (req) =>
    service.listUsers(req.ctx.db, req.query),
  );
  app.get('/users/:id', { ...manage, schema: { tags, params: ZIdParam, response: { 200: ZUser } } }, (req) => service.getUser(req.ctx.db, req.params.id));
  app.post('/users', { ...manage, schema: { tags, body: ZUserCreate, response: { 201: ZUser } } }, async (req, reply) =>
    reply.status(201).send(await service.createUser(req.ctx.db, req.ctx.actor, req.body)),
  );
  app.patch('/users/:id', { ...manage, schema: { tags, params: ZIdParam, body: ZUserUpdate, response: { 200: ZUser } } }, (req) =>
    service.updateUser(req.ctx.db, req.ctx.actor, req.params.id, req.body),
  );
};
