import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendStoredFile, uploadedFile } from '../../lib/files-http.js';
import { contentDisposition, requirePermission } from '../../lib/http.js';
import {
  ZAccept,
  ZApply,
  ZFile,
  ZIdParam,
  ZInstructionCreate,
  ZLedger,
  ZLedgerQuery,
  ZMerge,
  ZNote,
  ZPlan,
  ZReason,
  ZReport,
  ZReview,
  ZStatsQuery,
  ZTaskCreate,
  ZTaskDetail,
  ZUnitStats,
} from './supervision.schema.js';
import { ledgerWorkbook } from './supervision.excel.js';
import * as service from './supervision.service.js';
import { unitStatsOf } from './supervision.upkeep.js';

export const supervisionRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['supervision'];
  const read = { preHandler: requirePermission('supervision.manage', 'supervision.report', 'supervision.instruct') };
  const manage = { preHandler: requirePermission('supervision.manage') };
  const instruct = { preHandler: requirePermission('supervision.instruct') };
  const task = { tags, params: ZIdParam, response: { 200: ZTaskDetail } };

  app.get(
    '/supervision/tasks',
    { ...read, schema: { tags, querystring: ZLedgerQuery, response: { 200: ZLedger } } },
    (req) => service.listLedger(req.ctx, req.query),
  );
  app.get('/supervision/tasks.xlsx', { ...read, schema: { tags, querystring: ZLedgerQuery } }, async (req, reply) => {
    const ledger = await service.listLedger(req.ctx, { ...req.query, page: 1, pageSize: 500 });
    const rows = [...ledger.rows];
    for (let page = 2; rows.length < Math.min(ledger.total, 20000); page++)
      rows.push(...(await service.listLedger(req.ctx, { ...req.query, page, pageSize: 500 })).rows);
    return reply
      .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', contentDisposition('督查督办台账.xlsx', { fallback: 'supervision-ledger.xlsx' }))
      .header('Cache-Control', 'no-store')
      .send(await ledgerWorkbook(rows));
  });
  app.get('/supervision/tasks/:id', { ...read, schema: task }, (req) => service.getTask(req.ctx, req.params.id));
  app.post(
    '/supervision/tasks',
    { ...manage, schema: { tags, body: ZTaskCreate, response: { 201: ZTaskDetail } } },
    async (req, reply) => reply.status(201).send(await service.createTask(req.ctx, req.body)),
  );
  app.post(
    '/supervision/instructions',
    { ...instruct, schema: { tags, body: ZInstructionCreate, response: { 201: ZTaskDetail } } },
    async (req, reply) => reply.status(201).send(await service.createInstruction(req.ctx, req.body)),
  );

  // The flow; who may take each step is checked by the service (office, lead unit, co-unit, leader in charge).
  app.post('/supervision/tasks/:id/accept', { ...read, schema: { ...task, body: ZAccept } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'accept', body: req.body }),
  );
  app.post('/supervision/tasks/:id/merge', { ...read, schema: { ...task, body: ZMerge } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'merge', body: req.body }),
  );
  app.post('/supervision/tasks/:id/decline', { ...read, schema: { ...task, body: ZReason } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'decline', body: req.body }),
  );
  app.post('/supervision/tasks/:id/sign', { ...read, schema: { ...task, body: ZNote } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'sign', body: req.body }),
  );
  app.post('/supervision/tasks/:id/plan', { ...read, schema: { ...task, body: ZPlan } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'submitPlan', body: req.body }),
  );
  app.post('/supervision/tasks/:id/plan/approve', { ...read, schema: { ...task, body: ZNote } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'approvePlan', body: req.body }),
  );
  app.post('/supervision/tasks/:id/plan/return', { ...read, schema: { ...task, body: ZReason } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'returnPlan', body: req.body }),
  );
  app.post('/supervision/tasks/:id/reports', { ...read, schema: { ...task, body: ZReport } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'report', body: req.body }),
  );
  app.post('/supervision/tasks/:id/completion', { ...read, schema: { ...task, body: ZApply } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'applyCompletion', body: req.body }),
  );
  app.post('/supervision/tasks/:id/completion/reject', { ...read, schema: { ...task, body: ZReason } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'rejectCompletion', body: req.body }),
  );
  app.post('/supervision/tasks/:id/review', { ...read, schema: { ...task, body: ZReview } }, (req) =>
    service.act(req.ctx, req.params.id, { action: 'review', body: req.body }),
  );

  app.post(
    '/supervision/tasks/:id/files',
    { ...read, schema: { tags, params: ZIdParam, response: { 201: ZFile } } },
    async (req, reply) => {
      const file = await uploadedFile(req);
      return reply.status(201).send(await service.addFile(req.ctx, req.params.id, file, app.xn.blobs));
    },
  );
  app.get('/supervision/files/:id', { ...read, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    const f = await service.openFile(req.ctx, req.params.id, app.xn.blobs);
    return sendStoredFile(reply, f, `supervision-file-${req.params.id}`);
  });

  app.get(
    '/supervision/stats',
    { ...read, schema: { tags, querystring: ZStatsQuery, response: { 200: z.array(ZUnitStats) } } },
    (req) => unitStatsOf(req.ctx, req.query.year, req.query.month),
  );
};
