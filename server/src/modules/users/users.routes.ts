import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../lib/http.js';
import { ZIdParam } from '../units/units.schema.js';
import { ZUser, ZUserCreate, ZUserQuery, ZUserUpdate } from './users.schema.js';
import { runImport, sendXlsx, ZImportRefused } from '../../lib/xlsx-http.js';
import { ZImportResult } from '../../lib/xlsx-lists.js';
import { importUsers, usersExport, usersTemplate } from './users.excel.js';
import * as service from './users.service.js';

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const manage = { preHandler: requirePermission('users.manage') };
  const tags = ['users'];
  app.get('/users', { ...manage, schema: { tags, querystring: ZUserQuery, response: { 200: z.array(ZUser) } } }, (req) =>
    service.listUsers(req.ctx.db, req.query),
  );
  // Excel: template, export of every account, import (all or nothing, with the row/column report).
  app.get('/users/excel/template', { ...manage, schema: { tags } }, async (_req, reply) => sendXlsx(reply, await usersTemplate(), '用户导入模板.xlsx', 'users-template.xlsx'));
  app.get('/users/excel/export', { ...manage, schema: { tags } }, async (req, reply) => sendXlsx(reply, await usersExport(req.ctx.db), '用户列表.xlsx', 'users.xlsx'));
  app.post('/users/excel/import', { ...manage, schema: { tags, response: { 200: ZImportResult, 400: ZImportRefused } } }, (req, reply) =>
    runImport(req, reply, (data) => importUsers(req.ctx.db, req.ctx.actor, data)),
  );
  app.get('/users/:id', { ...manage, schema: { tags, params: ZIdParam, response: { 200: ZUser } } }, (req) => service.getUser(req.ctx.db, req.params.id));
  app.post('/users', { ...manage, schema: { tags, body: ZUserCreate, response: { 201: ZUser } } }, async (req, reply) =>
    reply.status(201).send(await service.createUser(req.ctx.db, req.ctx.actor, req.body)),
  );
  app.patch('/users/:id', { ...manage, schema: { tags, params: ZIdParam, body: ZUserUpdate, response: { 200: ZUser } } }, (req) =>
    service.updateUser(req.ctx.db, req.ctx.actor, req.params.id, req.body),
  );
};
