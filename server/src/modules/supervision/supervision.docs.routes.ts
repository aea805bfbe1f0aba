/** Routes of the issued documents (专报/通报) and the proposals (议案提案); mounted beside supervision.routes.ts. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendStoredFile, uploadedFile } from '../../lib/files-http.js';
import { contentDisposition, requirePermission } from '../../lib/http.js';
import {
  ZDeputy,
  ZDocContent,
  ZDocDetail,
  ZDocDraft,
  ZDocListQuery,
  ZDocRow,
  ZInvestment,
  ZInvestmentCreate,
  ZInvestmentQuery,
  ZInvestmentStage,
  ZProposalCreate,
  ZProposalDetail,
  ZProposalFile,
  ZProposalList,
  ZProposalQuery,
  ZProposalRate,
  ZProposalReply,
  ZProposalStats,
  ZProposalStatsQuery,
} from './supervision.docs.schema.js';
import { ZIdParam } from './supervision.schema.js';
import * as docs from './supervision.docs.js';
import { proposalsWorkbook } from './supervision.proposals.excel.js';
import * as proposals from './supervision.proposals.js';
import * as investments from './supervision.investments.js';
import { investmentsWorkbook } from './supervision.proposals.excel.js';

export const supervisionDocsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['supervision'];
  const read = { preHandler: requirePermission('supervision.manage', 'supervision.report', 'supervision.instruct') };
  const readAll = {
    preHandler: requirePermission(
      'supervision.manage',
      'supervision.report',
      'supervision.instruct',
      'supervision.rate',
    ),
  };
  const manage = { preHandler: requirePermission('supervision.manage') };
  const report = { preHandler: requirePermission('supervision.report') };
  const rate = { preHandler: requirePermission('supervision.rate') };
  const stats = { preHandler: requirePermission('supervision.manage', 'supervision.instruct', 'supervision.report') };

  // ---------- issued documents ----------
  app.post(
    '/supervision/documents/preview',
    { ...manage, schema: { tags, body: ZDocDraft, response: { 200: ZDocContent } } },
    (req) => docs.previewDocument(req.ctx, req.body),
  );
  app.post(
    '/supervision/documents',
    { ...manage, schema: { tags, body: ZDocDraft, response: { 201: ZDocDetail } } },
    async (req, reply) => reply.status(201).send(await docs.issueDocument(req.ctx, req.body)),
  );
  app.get(
    '/supervision/documents',
    { ...read, schema: { tags, querystring: ZDocListQuery, response: { 200: z.array(ZDocRow) } } },
    (req) => docs.listDocuments(req.ctx, req.query),
  );
  app.get(
    '/supervision/documents/:id',
    { ...read, schema: { tags, params: ZIdParam, response: { 200: ZDocDetail } } },
    (req) => docs.getDocument(req.ctx, req.params.id),
  );
  app.get('/supervision/documents/:id/docx', { ...read, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    const f = await docs.documentFile(req.ctx, req.params.id);
    return reply
      .header('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .header(
        'Content-Disposition',
        contentDisposition(f.name, { fallback: `supervision-document-${req.params.id}.docx` }),
      )
      .header('Cache-Control', 'private, no-store')
      .send(f.data);
  });

  // ---------- proposals ----------
  app.get(
    '/supervision/proposals',
    { ...readAll, schema: { tags, querystring: ZProposalQuery, response: { 200: ZProposalList } } },
    (req) => proposals.listProposals(req.ctx, req.query),
  );
  app.get(
    '/supervision/proposals.xlsx',
    { ...readAll, schema: { tags, querystring: ZProposalQuery } },
    async (req, reply) => {
      const first = await proposals.listProposals(req.ctx, { ...req.query, page: 1, pageSize: 500 });
      const rows = [...first.rows];
      for (let page = 2; rows.length < Math.min(first.total, 20000); page++)
        rows.push(...(await proposals.listProposals(req.ctx, { ...req.query, page, pageSize: 500 })).rows);
      return reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', contentDisposition('议案提案办理.xlsx', { fallback: 'proposals.xlsx' }))
        .header('Cache-Control', 'no-store')
        .send(await proposalsWorkbook(rows));
    },
  );
  app.get(
    '/supervision/proposals/deputies',
    { ...manage, schema: { tags, response: { 200: z.array(ZDeputy) } } },
    (req) => proposals.listDeputies(req.ctx),
  );
  app.get(
    '/supervision/proposals/stats',
    { ...stats, schema: { tags, querystring: ZProposalStatsQuery, response: { 200: z.array(ZProposalStats) } } },
    (req) => proposals.proposalStatsOf(req.ctx, req.query.year, req.query.month),
  );
  app.get(
    '/supervision/proposals/:id',
    { ...readAll, schema: { tags, params: ZIdParam, response: { 200: ZProposalDetail } } },
    (req) => proposals.getProposal(req.ctx, req.params.id),
  );
  app.post(
    '/supervision/proposals',
    { ...manage, schema: { tags, body: ZProposalCreate, response: { 201: ZProposalDetail } } },
    async (req, reply) => reply.status(201).send(await proposals.createProposal(req.ctx, req.body)),
  );
  app.post(
    '/supervision/proposals/:id/reply',
    { ...report, schema: { tags, params: ZIdParam, body: ZProposalReply, response: { 200: ZProposalDetail } } },
    (req) => proposals.replyProposal(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/supervision/proposals/:id/rate',
    { ...rate, schema: { tags, params: ZIdParam, body: ZProposalRate, response: { 200: ZProposalDetail } } },
    (req) => proposals.rateProposal(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/supervision/proposals/:id/files',
    { ...read, schema: { tags, params: ZIdParam, response: { 201: ZProposalFile } } },
    async (req, reply) => {
      const file = await uploadedFile(req);
      return reply.status(201).send(await proposals.addProposalFile(req.ctx, req.params.id, file, app.xn.blobs));
    },
  );
  app.get('/supervision/proposal-files/:id', { ...readAll, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    const f = await proposals.openProposalFile(req.ctx, req.params.id, app.xn.blobs);
    return sendStoredFile(reply, f, `proposal-file-${req.params.id}`);
  });

  // ---------- investment projects ----------
  app.get(
    '/supervision/investments',
    { ...read, schema: { tags, querystring: ZInvestmentQuery, response: { 200: z.array(ZInvestment) } } },
    (req) => investments.listInvestments(req.ctx, req.query),
  );
  app.get(
    '/supervision/investments.xlsx',
    { ...read, schema: { tags, querystring: ZInvestmentQuery } },
    async (req, reply) =>
      reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', contentDisposition('招商引资督办.xlsx', { fallback: 'investments.xlsx' }))
        .header('Cache-Control', 'no-store')
        .send(await investmentsWorkbook(await investments.listInvestments(req.ctx, req.query))),
  );
  app.get(
    '/supervision/investments/:id',
    { ...read, schema: { tags, params: ZIdParam, response: { 200: ZInvestment } } },
    (req) => investments.getInvestment(req.ctx, req.params.id),
  );
  app.post(
    '/supervision/investments',
    { ...manage, schema: { tags, body: ZInvestmentCreate, response: { 201: ZInvestment } } },
    async (req, reply) => reply.status(201).send(await investments.createInvestment(req.ctx, req.body)),
  );
  app.post(
    '/supervision/investments/:id/stages',
    { ...read, schema: { tags, params: ZIdParam, body: ZInvestmentStage, response: { 200: ZInvestment } } },
    (req) => investments.recordStage(req.ctx, req.params.id, req.body),
  );
};
