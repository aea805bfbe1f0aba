import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../lib/http.js';
import {
  ZCategory,
  ZCategoryCreate,
  ZCategoryUpdate,
  ZIdParam,
  ZUnit,
  ZUnitCreate,
  ZUnitUpdate,
} from './units.schema.js';
import { runImport, sendXlsx, ZImportRefused } from '../../lib/xlsx-http.js';
import { ZImportResult } from '../../lib/xlsx-lists.js';
import { importUnits, unitsExport, unitsTemplate } from './units.excel.js';
import * as service from './units.service.js';

export const unitsRoutes: FastifyPluginAsyncZod = async (app) => {
  const read = { preHandler: requirePermission('units.read') };
  const manage = { preHandler: requirePermission('units.manage') };
  const tags = ['units'];

  app.get('/units', { ...read, schema: { tags, response: { 200: z.array(ZUnit) } } }, (req) =>
    service.listUnits(req.ctx.db),
  );
  // Excel: template, export of every unit, import (all or nothing, with the row/column report).
  app.get('/units/excel/template', { ...manage, schema: { tags } }, async (_req, reply) =>
    sendXlsx(reply, await unitsTemplate(), '单位导入模板.xlsx', 'units-template.xlsx'),
  );
  app.get('/units/excel/export', { ...read, schema: { tags } }, async (req, reply) =>
    sendXlsx(reply, await unitsExport(req.ctx.db), '单位列表.xlsx', 'units.xlsx'),
  );
  app.post(
    '/units/excel/import',
    { ...manage, schema: { tags, response: { 200: ZImportResult, 400: ZImportRefused } } },
    (req, reply) => runImport(req, reply, (data) => importUnits(req.ctx.db, req.ctx.actor, data)),
  );
  app.get('/units/:id', { ...read, schema: { tags, params: ZIdParam, response: { 200: ZUnit } } }, (req) =>
    service.getUnit(req.ctx.db, req.params.id),
  );
  app.post('/units', { ...manage, schema: { tags, body: ZUnitCreate, response: { 201: ZUnit } } }, async (req, reply) =>
    reply.status(201).send(await service.createUnit(req.ctx.db, req.ctx.actor, req.body)),
  );
  app.patch(
    '/units/:id',
    { ...manage, schema: { tags, params: ZIdParam, body: ZUnitUpdate, response: { 200: ZUnit } } },
    (req) => service.updateUnit(req.ctx.db, req.ctx.actor, req.params.id, req.body),
  );
  app.delete('/units/:id', { ...manage, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    await service.deleteUnit(req.ctx.db, req.ctx.actor, req.params.id);
    return reply.status(204).send();
  });

  app.get('/unit-categories', { ...read, schema: { tags, response: { 200: z.array(ZCategory) } } }, (req) =>
    service.listCategories(req.ctx.db),
  );
  app.post(
    '/unit-categories',
    { ...manage, schema: { tags, body: ZCategoryCreate, response: { 201: ZCategory } } },
    async (req, reply) => reply.status(201).send(await service.createCategory(req.ctx.db, req.ctx.actor, req.body)),
  );
  app.patch(
    '/unit-categories/:id',
    { ...manage, schema: { tags, params: ZIdParam, body: ZCategoryUpdate, response: { 200: ZCategory } } },
    (req) => service.updateCategory(req.ctx.db, req.ctx.actor, req.params.id, req.body),
  );
  app.delete('/unit-categories/:id', { ...manage, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    await service.deleteCategory(req.ctx.db, req.ctx.actor, req.params.id);
    return reply.status(204).send();
  });
};
