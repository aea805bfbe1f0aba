import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { invalid } from '../../lib/errors.js';
import { requirePermission } from '../../lib/http.js';
import { sendStoredFile } from '../../lib/files-http.js';
import { runImport, sendXlsx, ZImportRefused } from '../../lib/xlsx-http.js';
import { ZImportResult } from '../../lib/xlsx-lists.js';
import { describeIssue } from '../../lib/zod-messages.js';
import {
  ZAppDetail,
  ZAppList,
  ZApplicationInput,
  ZComplaintDecision,
  ZComplaintQuery,
  ZComplaints,
  ZCorrectionInput,
  ZDecision,
  ZEvaluationQuery,
  ZEvaluationRow,
  ZFigure,
  ZFiguresQuery,
  ZFiled,
  ZHotlineComplaint,
  ZIdParam,
  ZInbox,
  ZInboxQuery,
  ZItem,
  ZItemInput,
  ZItemQuery,
  ZListQuery,
  ZNote,
  ZNoticeInput,
  ZPublicComplaint,
  ZReason,
  ZSettings,
  ZTrack,
  ZTrackView,
  ZPublicRate,
} from './services.schema.js';
import { figuresWorkbook, importItems, itemsWorkbook } from './services.excel.js';
import { evaluation, figures } from './services.figures.js';
import * as service from './services.service.js';

type Incoming = { filename: string; data: Buffer };

function parseOr400<T>(schema: z.ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const d = describeIssue(r.error.issues[0]);
  throw invalid(d.field, d.zh, d.en);
}

/** A multipart form (text fields + files) or, for JSON requests, the body. */
async function readForm(req: FastifyRequest): Promise<{ fields: Record<string, unknown>; files: Incoming[] }> {
  if (!req.isMultipart()) return { fields: (req.body ?? {}) as Record<string, unknown>, files: [] };
  const fields: Record<string, unknown> = {};
  const files: Incoming[] = [];
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const data = await part.toBuffer();
      if (part.filename || data.length) files.push({ filename: part.filename || 'file', data });
    } else if (typeof part.value === 'string' && part.value !== '') fields[part.fieldname] = part.value;
  }
  return { fields, files };
}

const ZSupplementPublic = ZTrack.extend({ note: z.string().trim().max(2000).default('') });

export const servicesRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['services'];
  const catalogue = { preHandler: requirePermission('services.catalogue') };
  const window = { preHandler: requirePermission('services.window') };
  const handle = { preHandler: requirePermission('services.handle') };
  const monitor = { preHandler: requirePermission('services.monitor') };
  const stats = { preHandler: requirePermission('services.stats') };
  const read = {
    preHandler: requirePermission(
      'services.window',
      'services.handle',
      'services.monitor',
      'services.stats',
      'services.catalogue',
    ),
  };
  const detail = { tags, params: ZIdParam, response: { 200: ZAppDetail } };

  // ---------- public (no login) ----------
  const open = { config: { csrfExempt: true } };
  app.get(
    '/public/services/items',
    { schema: { tags: ['public'], querystring: ZItemQuery, response: { 200: z.array(ZItem) } } },
    (req) => service.listItems(req.ctx.db, req.query, true),
  );
  app.get(
    '/public/services/items/:id',
    { schema: { tags: ['public'], params: ZIdParam, response: { 200: ZItem } } },
    (req) => service.getItem(req.ctx.db, req.params.id, true),
  );
  app.post(
    '/public/services/applications',
    { ...open, schema: { tags: ['public'], response: { 201: ZFiled } } },
    async (req, reply) => {
      const form = await readForm(req);
      const input = parseOr400(ZApplicationInput, form.fields);
      const filed = await service.fileApplication(req.ctx.db, { id: null, name: 'applicant', ip: req.ip }, input, {
        channel: 'online',
        clerkId: null,
        ip: req.ip,
        files: form.files,
        blobs: app.xn.blobs,
      });
      return reply.status(201).send(filed);
    },
  );
  app.post(
    '/public/services/track',
    { ...open, schema: { tags: ['public'], body: ZTrack, response: { 200: ZTrackView } } },
    (req) => service.track(req.ctx.db, req.body, req.ip),
  );
  app.post(
    '/public/services/rate',
    { ...open, schema: { tags: ['public'], body: ZPublicRate, response: { 200: ZTrackView } } },
    (req) => service.ratePublic(req.ctx.db, req.body, req.ip),
  );
  app.post(
    '/public/services/supplement',
    { ...open, schema: { tags: ['public'], response: { 200: ZTrackView } } },
    async (req) => {
      const form = await readForm(req);
      const input = parseOr400(ZSupplementPublic, form.fields);
      return service.supplementPublic(req.ctx.db, input, form.files, req.ip, app.xn.blobs);
    },
  );
  app.post(
    '/public/services/complaints',
    {
      ...open,
      schema: {
        tags: ['public'],
        body: ZPublicComplaint,
        response: { 201: z.object({ id: z.number(), decideBy: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await service.complainPublic(req.ctx.db, req.body, req.ip)),
  );

  // ---------- catalogue ----------
  app.get(
    '/services/items',
    { ...read, schema: { tags, querystring: ZItemQuery, response: { 200: z.array(ZItem) } } },
    (req) => service.listItems(req.ctx.db, req.query, false),
  );
  app.get('/services/items.xlsx', { ...catalogue, schema: { tags } }, async (req, reply) =>
    sendXlsx(reply, await itemsWorkbook(req.ctx.db), '政务服务事项目录.xlsx', 'service-items.xlsx'),
  );
  app.post(
    '/services/items/import',
    { ...catalogue, schema: { tags, response: { 200: ZImportResult, 400: ZImportRefused } } },
    (req, reply) => runImport(req, reply, (data) => importItems(req.ctx.db, req.ctx.actor, data)),
  );
  app.get('/services/items/:id', { ...read, schema: { tags, params: ZIdParam, response: { 200: ZItem } } }, (req) =>
    service.getItem(req.ctx.db, req.params.id, false),
  );
  app.post(
    '/services/items',
    { ...catalogue, schema: { tags, body: ZItemInput, response: { 201: ZItem } } },
    async (req, reply) => reply.status(201).send(await service.saveItem(req.ctx, null, req.body)),
  );
  app.put(
    '/services/items/:id',
    { ...catalogue, schema: { tags, params: ZIdParam, body: ZItemInput, response: { 200: ZItem } } },
    (req) => service.saveItem(req.ctx, req.params.id, req.body),
  );
  app.get('/services/settings', { ...read, schema: { tags, response: { 200: ZSettings } } }, (req) =>
    service.getServiceSettings(req.ctx.db),
  );
  app.put(
    '/services/settings',
    { ...catalogue, schema: { tags, body: ZSettings, response: { 200: ZSettings } } },
    (req) => service.putServiceSettings(req.ctx, req.body),
  );

  // ---------- applications ----------
  app.post('/services/applications', { ...window, schema: { tags, response: { 201: ZFiled } } }, async (req, reply) => {
    const form = await readForm(req);
    const input = parseOr400(ZApplicationInput, form.fields);
    const user = req.ctx.user!;
    const filed = await service.fileApplication(req.ctx.db, req.ctx.actor, input, {
      channel: 'window',
      clerkId: user.id,
      ip: null,
      files: form.files,
      blobs: app.xn.blobs,
    });
    return reply.status(201).send(filed);
  });
  app.get(
    '/services/applications',
    { ...read, schema: { tags, querystring: ZListQuery, response: { 200: ZAppList } } },
    (req) => service.listApplications(req.ctx, req.query),
  );
  app.get(
    '/services/monitor',
    { ...monitor, schema: { tags, querystring: ZListQuery, response: { 200: ZAppList } } },
    (req) => service.listApplications(req.ctx, req.query, true),
  );
  app.get(
    '/services/inbox',
    { ...handle, schema: { tags, querystring: ZInboxQuery, response: { 200: ZInbox } } },
    (req) => service.inbox(req.ctx, req.query),
  );
  app.get('/services/applications/:id', { ...read, schema: detail }, (req) =>
    service.getApplication(req.ctx, req.params.id),
  );
  app.post('/services/applications/:id/accept', { ...window, schema: { ...detail, body: ZNote } }, (req) =>
    service.windowAction(req.ctx, req.params.id, 'accept', req.body),
  );
  app.post('/services/applications/:id/refuse', { ...window, schema: { ...detail, body: ZReason } }, (req) =>
    service.windowAction(req.ctx, req.params.id, 'refuse', req.body),
  );
  app.post('/services/applications/:id/correction', { ...read, schema: { ...detail, body: ZCorrectionInput } }, (req) =>
    service.windowAction(req.ctx, req.params.id, 'correction', req.body),
  );
  app.post('/services/applications/:id/supplement', { ...read, schema: { ...detail, body: ZNote } }, (req) =>
    service.windowAction(req.ctx, req.params.id, 'supplement', req.body),
  );
  app.post('/services/applications/:id/deliver', { ...read, schema: { ...detail, body: ZNote } }, (req) =>
    service.windowAction(req.ctx, req.params.id, 'deliver', req.body),
  );
  app.post(
    '/services/applications/:id/files',
    { ...read, schema: { tags, params: ZIdParam, response: { 200: ZAppDetail } } },
    async (req) => {
      const form = await readForm(req);
      return service.addFiles(req.ctx, req.params.id, form.files, app.xn.blobs);
    },
  );
  app.get('/services/files/:id', { ...read, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    const f = await service.openFile(req.ctx, req.params.id, app.xn.blobs);
    return sendStoredFile(reply, f, `service-file-${req.params.id}`);
  });
  app.post('/services/steps/:id/sign', { ...handle, schema: { ...detail, body: ZNote } }, (req) =>
    service.stepAction(req.ctx, req.params.id, 'sign', {}),
  );
  app.post('/services/steps/:id/decide', { ...handle, schema: { ...detail, body: ZDecision } }, (req) => {
    if (req.body.decision === 'refuse' && !req.body.reason?.trim())
      throw invalid('reason', '不予许可必须说明理由', 'A refusal needs its reason');
    return service.stepAction(req.ctx, req.params.id, 'decide', req.body);
  });

  app.post('/services/applications/:id/notice', { ...monitor, schema: { ...detail, body: ZNoticeInput } }, (req) =>
    service.issueSupervisionNotice(req.ctx, req.params.id, req.body),
  );

  // ---------- 监察: complaints ----------
  app.get(
    '/services/complaints',
    { ...monitor, schema: { tags, querystring: ZComplaintQuery, response: { 200: ZComplaints } } },
    (req) => service.listComplaints(req.ctx, req.query),
  );
  app.post(
    '/services/complaints',
    {
      ...monitor,
      schema: { tags, body: ZHotlineComplaint, response: { 201: z.object({ id: z.number(), decideBy: z.string() }) } },
    },
    async (req, reply) => reply.status(201).send(await service.complainHotline(req.ctx, req.body)),
  );
  app.post(
    '/services/complaints/:id/decide',
    { ...monitor, schema: { tags, params: ZIdParam, body: ZComplaintDecision, response: { 200: ZComplaints } } },
    (req) => service.decideComplaint(req.ctx, req.params.id, req.body),
  );

  // ---------- figures ----------
  app.get(
    '/services/figures',
    { ...stats, schema: { tags, querystring: ZFiguresQuery, response: { 200: z.array(ZFigure) } } },
    (req) => figures(req.ctx, req.query.year, req.query.month),
  );
  app.get('/services/figures.xlsx', { ...stats, schema: { tags, querystring: ZFiguresQuery } }, async (req, reply) => {
    const rows = await figures(req.ctx, req.query.year, req.query.month);
    const label = `${req.query.year}${req.query.month ? `-${String(req.query.month).padStart(2, '0')}` : ''}`;
    return sendXlsx(
      reply,
      await figuresWorkbook(rows),
      `政务服务办件统计_${label}.xlsx`,
      `service-figures-${label}.xlsx`,
    );
  });
  app.get(
    '/services/evaluation',
    { ...stats, schema: { tags, querystring: ZEvaluationQuery, response: { 200: z.array(ZEvaluationRow) } } },
    (req) => evaluation(req.ctx, req.query.year, req.query.quarter),
  );
};
