import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition, requirePermission } from '../../lib/http.js';
import {
  ZCheckCreate,
  ZCheckList,
  ZChecksQuery,
  ZConfirmAll,
  ZPointAccept,
  ZPointAnswer,
  ZPointReturn,
  ZPointRow,
  ZPointsQuery,
  ZRound,
  ZRoundClose,
  ZRoundCreate,
  ZRoundDetail,
  ZRoundsQuery,
  ZRowConfirm,
  ZRowResolve,
  ZTaskChecks,
} from './supervision.fieldwork.schema.js';
import { ZIdParam } from './supervision.schema.js';
import { checksWorkbook, roundWorkbook } from './supervision.fieldwork.excel.js';
import * as checks from './supervision.checks.js';
import * as rounds from './supervision.rounds.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Field checks (实地督查) and reconciliation rounds (对账); who may take each step is checked by the services. */
export const supervisionFieldworkRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['supervision'];
  const read = { preHandler: requirePermission('supervision.manage', 'supervision.report', 'supervision.instruct') };
  const manage = { preHandler: requirePermission('supervision.manage') };
  const report = { preHandler: requirePermission('supervision.report') };
  const taskChecks = { tags, params: ZIdParam, response: { 200: ZTaskChecks } };
  const round = { tags, params: ZIdParam, response: { 200: ZRoundDetail } };

  // ---------- field checks ----------
  app.get('/supervision/tasks/:id/checks', { ...read, schema: taskChecks }, (req) =>
    checks.listTaskChecks(req.ctx, req.params.id),
  );
  app.post(
    '/supervision/tasks/:id/checks',
    { ...manage, schema: { tags, params: ZIdParam, body: ZCheckCreate, response: { 201: ZTaskChecks } } },
    async (req, reply) => reply.status(201).send(await checks.createCheck(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/supervision/check-points/:id/answer',
    { ...report, schema: { ...taskChecks, body: ZPointAnswer } },
    (req) => checks.actOnPoint(req.ctx, req.params.id, { action: 'answer', body: req.body }),
  );
  app.post(
    '/supervision/check-points/:id/accept',
    { ...manage, schema: { ...taskChecks, body: ZPointAccept } },
    (req) => checks.actOnPoint(req.ctx, req.params.id, { action: 'accept', note: req.body.note }),
  );
  app.post(
    '/supervision/check-points/:id/return',
    { ...manage, schema: { ...taskChecks, body: ZPointReturn } },
    (req) => checks.actOnPoint(req.ctx, req.params.id, { action: 'return', reason: req.body.reason }),
  );
  app.get(
    '/supervision/check-points',
    { ...read, schema: { tags, querystring: ZPointsQuery, response: { 200: z.array(ZPointRow) } } },
    (req) => checks.listPoints(req.ctx, req.query.state),
  );
  app.get(
    '/supervision/checks',
    { ...read, schema: { tags, querystring: ZChecksQuery, response: { 200: ZCheckList } } },
    (req) => checks.listChecks(req.ctx, req.query),
  );
  app.get('/supervision/checks.xlsx', { ...read, schema: { tags, querystring: ZChecksQuery } }, async (req, reply) => {
    const rows = [];
    for (let page = 1; page <= 40; page++) {
      const r = await checks.listChecks(req.ctx, { ...req.query, page, pageSize: 500 });
      rows.push(...r.rows);
      if (r.rows.length < 500) break;
    }
    return reply
      .header('Content-Type', XLSX)
      .header('Content-Disposition', contentDisposition('实地督查台账.xlsx', { fallback: 'field-checks.xlsx' }))
      .header('Cache-Control', 'no-store')
      .send(await checksWorkbook(rows));
  });

  // ---------- reconciliation rounds ----------
  app.get(
    '/supervision/rounds',
    { ...read, schema: { tags, querystring: ZRoundsQuery, response: { 200: z.array(ZRound) } } },
    (req) => rounds.listRounds(req.ctx, req.query.year),
  );
  app.post(
    '/supervision/rounds',
    { ...manage, schema: { tags, body: ZRoundCreate, response: { 201: ZRoundDetail } } },
    async (req, reply) => reply.status(201).send(await rounds.openRound(req.ctx, req.body)),
  );
  app.get('/supervision/rounds/:id', { ...read, schema: round }, (req) => rounds.getRound(req.ctx, req.params.id));
  app.get(
    '/supervision/rounds/:id/record.xlsx',
    { ...read, schema: { tags, params: ZIdParam } },
    async (req, reply) => {
      const r = await rounds.getRound(req.ctx, req.params.id);
      return reply
        .header('Content-Type', XLSX)
        .header('Content-Disposition', contentDisposition(`${r.title}记录.xlsx`, { fallback: `round-${r.id}.xlsx` }))
        .header('Cache-Control', 'no-store')
        .send(await roundWorkbook(r));
    },
  );
  app.post('/supervision/rounds/:id/confirm-all', { ...report, schema: { ...round, body: ZConfirmAll } }, (req) =>
    rounds.confirmAll(req.ctx, req.params.id, req.body.note),
  );
  app.post('/supervision/rounds/:id/close', { ...manage, schema: { ...round, body: ZRoundClose } }, (req) =>
    rounds.closeRound(req.ctx, req.params.id, req.body.note),
  );
  app.post('/supervision/round-rows/:id/confirm', { ...report, schema: { ...round, body: ZRowConfirm } }, (req) =>
    rounds.confirmRow(req.ctx, req.params.id, req.body),
  );
  app.post('/supervision/round-rows/:id/resolve', { ...manage, schema: { ...round, body: ZRowResolve } }, (req) =>
    rounds.resolveRow(req.ctx, req.params.id, req.body),
  );
};
