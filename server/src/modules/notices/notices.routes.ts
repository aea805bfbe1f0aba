import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition, requirePermission } from '../../lib/http.js';
import { sendStoredFile, uploadedFile } from '../../lib/files-http.js';
import { sendXlsx } from '../../lib/xlsx-http.js';
import { noticeDocx } from './notices.docx.js';
import { noticesWorkbook } from './notices.excel.js';
import { KIND_TITLES } from './notices.rules.js';
import {
  ZIdParam,
  ZNotice,
  ZNoticeCounts,
  ZNoticeCreate,
  ZNoticeFile,
  ZNoticeList,
  ZNoticeQuery,
  ZNoticeReply,
  ZNoticeReview,
} from './notices.schema.js';
import * as service from './notices.service.js';

export const noticesRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['notices'];
  const read = { preHandler: requirePermission('notices.issue', 'notices.reply') };
  const issue = { preHandler: requirePermission('notices.issue') };
  const reply = { preHandler: requirePermission('notices.reply') };
  const one = { tags, params: ZIdParam, response: { 200: ZNotice } };

  app.get('/notices', { ...read, schema: { tags, querystring: ZNoticeQuery, response: { 200: ZNoticeList } } }, (req) =>
    service.listNotices(req.ctx, req.query),
  );
  app.get(
    '/notices/counts',
    {
      ...read,
      schema: {
        tags,
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        response: { 200: ZNoticeCounts },
      },
    },
    (req) => service.noticeCounts(req.ctx, req.query.year),
  );
  app.get('/notices.xlsx', { ...read, schema: { tags, querystring: ZNoticeQuery } }, async (req, reply) => {
    const rows = [];
    for (let page = 1; page <= 40; page++) {
      const p = await service.listNotices(req.ctx, { ...req.query, page, pageSize: 200 });
      rows.push(...p.rows);
      if (p.rows.length < 200) break;
    }
    return sendXlsx(reply, await noticesWorkbook(rows), '问责通知.xlsx', 'notices.xlsx');
  });
  app.get('/notices/:id', { ...read, schema: one }, (req) => service.getNotice(req.ctx, req.params.id));
  app.get('/notices/:id/docx', { ...read, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    const n = await service.getNotice(req.ctx, req.params.id);
    return reply
      .header('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .header(
        'Content-Disposition',
        contentDisposition(`${KIND_TITLES[n.kind]}-${n.number}.docx`, { fallback: `notice-${n.id}.docx` }),
      )
      .header('Cache-Control', 'no-store')
      .send(await noticeDocx(n));
  });
  app.post(
    '/notices',
    { ...issue, schema: { tags, body: ZNoticeCreate, response: { 201: ZNotice } } },
    async (req, r) => r.status(201).send(await service.createNotice(req.ctx, req.body)),
  );
  app.post('/notices/:id/reply', { ...reply, schema: { ...one, body: ZNoticeReply } }, (req) =>
    service.moveNoticeBy(req.ctx, req.params.id, 'reply', req.body),
  );
  app.post(
    '/notices/:id/files',
    { ...reply, schema: { tags, params: ZIdParam, response: { 201: ZNoticeFile } } },
    async (req, r) =>
      r.status(201).send(await service.addFile(req.ctx, req.params.id, await uploadedFile(req), app.xn.blobs)),
  );
  app.get('/notices/files/:id', { ...read, schema: { tags, params: ZIdParam } }, async (req, r) => {
    const f = await service.openFile(req.ctx, req.params.id, app.xn.blobs);
    return sendStoredFile(r, f, `notice-file-${req.params.id}`);
  });
  app.post('/notices/:id/review', { ...issue, schema: { ...one, body: ZNoticeReview } }, (req) =>
    service.moveNoticeBy(req.ctx, req.params.id, req.body.accept ? 'accept' : 'return', { note: req.body.note }),
  );
};
