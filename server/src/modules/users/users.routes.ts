import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { requirePermission, userOf } from '../../lib/http.js';
import { ZIdParam } from '../units/index.js';
import { ZUser, ZUserCreate, ZUserQuery, ZUserUpdate } from './users.schema.js';
import { runImport, sendXlsx, ZImportRefused } from '../../lib/xlsx-http.js';
import { ZImportResult } from '../../lib/xlsx-lists.js';
import { importUsers, usersExport, usersTemplate } from './users.excel.js';
import * as service from './users.service.js';

/** What the signed-in user may change on accounts (三员分立, see users.service). */
function powersOf(req: FastifyRequest): service.AccountPowers {
  const p = userOf(req).permissions;
  return { manage: p.has('users.manage'), grant: p.has('roles.grant'), rules: req.server.xn.config.security.password };
}

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const manage = { preHandler: requirePermission('users.manage') };
  const read = { preHandler: requirePermission('users.read', 'users.manage', 'roles.grant') };
  const edit = { preHandler: requirePermission('users.manage', 'roles.grant') };
  const tags = ['users'];
  app.get('/users', { ...read, schema: { tags, querystring: ZUserQuery, response: { 200: z.array(ZUser) } } }, (req) =>
    service.listUsers(req.ctx.db, req.query),
  );
  // Excel: template, export of every account, import (all or nothing, with the row/column report).
  app.get('/users/excel/template', { ...manage, schema: { tags } }, async (_req, reply) =>
    sendXlsx(reply, await usersTemplate(), '用户导入模板.xlsx', 'users-template.xlsx'),
  );
  app.get('/users/excel/export', { ...manage, schema: { tags } }, async (req, reply) =>
    sendXlsx(reply, await usersExport(req.ctx.db), '用户列表.xlsx', 'users.xlsx'),
  );
  app.post(
    '/users/excel/import',
    { ...manage, schema: { tags, response: { 200: ZImportResult, 400: ZImportRefused } } },
    (req, reply) =>
      runImport(req, reply, (data) =>
        importUsers(req.ctx.db, req.ctx.actor, data, { canGrant: userOf(req).permissions.has('roles.grant') }),
      ),
  );
  app.get('/users/:id', { ...read, schema: { tags, params: ZIdParam, response: { 200: ZUser } } }, (req) =>
    service.getUser(req.ctx.db, req.params.id),
  );
  app.post('/users', { ...manage, schema: { tags, body: ZUserCreate, response: { 201: ZUser } } }, async (req, reply) =>
    reply.status(201).send(await service.createUser(req.ctx.db, req.ctx.actor, req.body, powersOf(req))),
  );
  app.patch(
    '/users/:id',
    { ...edit, schema: { tags, params: ZIdParam, body: ZUserUpdate, response: { 200: ZUser } } },
    (req) => service.updateUser(req.ctx.db, req.ctx.actor, req.params.id, req.body, powersOf(req)),
  );
};
