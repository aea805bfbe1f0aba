import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalid, notFound } from '../../lib/errors.js';
import { contentDisposition, requirePermission } from '../../lib/http.js';
import { describeIssue } from '../../lib/zod-messages.js';
import * as config from './cases.config.js';
import { attachmentKey, checkFiles, type IncomingFile } from './cases.files.js';
import * as pub from './cases.public.js';
import {
  ZAttachmentParam,
  ZCaseCategory,
  ZCaseCounts,
  ZCaseDetail,
  ZCaseIntake,
  ZCaseList,
  ZCaseListQuery,
  ZCaseSettings,
  ZCaseSettingsUpdate,
  ZConfidential,
  ZCategoryCreate,
  ZCategoryUpdate,
  ZDispatchInput,
  ZDuplicate,
  ZDuplicateProbeQuery,
  ZEscalationDecide,
  ZEscalationListQuery,
  ZEscalationView,
  ZExtensionDecide,
  ZExtensionRequest,
  ZFeedback,
  ZIdParam,
  ZIntakeResult,
  ZMerge,
  ZNote,
  ZNotice,
  ZNoticeListQuery,
  ZPublicCaseCreate,
  ZPublicCategory,
  ZPublicCreated,
  ZPublicRate,
  ZReason,
  ZReport,
  ZReview,
  ZRoutingProbeQuery,
  ZRoutingRule,
  ZRoutingRuleCreate,
  ZRoutingRuleUpdate,
  ZRoutingSuggestion,
  ZTrack,
  ZTrackResult,
  ZVerify,
} from './cases.schema.js';
import * as service from './cases.service.js';
import { listCaseMarks, recordCaseMark } from './cases.marks.js';
import { CASE_MARK_KINDS } from '../../../../common/cases.js';
import { casesSheet, EXPORT_CASES } from './cases.export.js';
import { sendTable } from '../../lib/xlsx-table.js';

/** Parses with a zod schema, turning the first issue into a 400 naming the field (for multipart forms). */
function parseOr400<T>(schema: z.ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const d = describeIssue(r.error.issues[0]);
  throw invalid(d.field, d.zh, d.en);
}

/** Reads a multipart form (text fields + files) or, for JSON requests, the body. */
async function readForm(req: FastifyRequest): Promise<{ fields: Record<string, unknown>; files: IncomingFile[] }> {
  if (!req.isMultipart()) return { fields: (req.body ?? {}) as Record<string, unknown>, files: [] };
  const fields: Record<string, unknown> = {};
  const files: IncomingFile[] = [];
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const buffer = await part.toBuffer();
      if (part.filename || buffer.length) files.push({ field: part.fieldname, filename: part.filename, buffer });
    } else if (typeof part.value === 'string' && part.value !== '') {
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, files };
}

export const casesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { config: cfg } = app.xn;
  const maxBytes = cfg.maxUploadMb * 1024 * 1024;
  const tags = ['cases'];
  const read = { preHandler: requirePermission('cases.read') };
  const intake = { preHandler: requirePermission('cases.intake') };
  const level2 = { preHandler: requirePermission('cases.dispatch') };

  // 误签 / 误结 / complaints about a reply, recorded by the supervision centre (migration 0027).
  const mark = { preHandler: requirePermission('cases.mark') };
  const ZCaseMarkInput = z.object({
    unitId: z.number().int().positive().max(2_147_483_647),
    kind: z.enum(CASE_MARK_KINDS),
    note: z.string().trim().max(1000).default(''),
  });
  app.get('/cases/:id/marks', { ...mark, schema: { tags, params: ZIdParam } }, (req) =>
    listCaseMarks(req.ctx, req.params.id),
  );
  app.post(
    '/cases/:id/marks',
    { ...mark, schema: { tags, params: ZIdParam, body: ZCaseMarkInput } },
    async (req, reply) => reply.status(201).send(await recordCaseMark(req.ctx, req.params.id, req.body)),
  );
  const agentDesk = { preHandler: requirePermission('cases.intake', 'cases.dispatch') };
  const handle = { preHandler: requirePermission('cases.handle') };
  const escalations = { preHandler: requirePermission('cases.escalations') };
  const configure = { preHandler: requirePermission('cases.configure') };
  const rules = { preHandler: requirePermission('cases.configure', 'cases.dispatch') };
  const id = { params: ZIdParam };

  // ---------- public (no login) ----------
  const open = { config: { csrfExempt: true } };
  app.get(
    '/public/case-categories',
    { schema: { tags: ['public'], response: { 200: z.array(ZPublicCategory) } } },
    (req) => config.listPublicCategories(req.ctx.db),
  );
  app.post(
    '/public/cases',
    { ...open, schema: { tags: ['public'], response: { 201: ZPublicCreated } } },
    async (req, reply) => {
      const form = await readForm(req);
      const input = parseOr400(ZPublicCaseCreate, form.fields);
      const created = await pub.submitPublicCase(req.ctx.db, input, form.files, {
        ip: req.ip,
        blobs: app.xn.blobs,
        maxBytes,
      });
      return reply.status(201).send(created);
    },
  );
  app.post(
    '/public/cases/track',
    { ...open, schema: { tags: ['public'], body: ZTrack, response: { 200: ZTrackResult } } },
    (req) => pub.trackCase(req.ctx.db, req.body, req.ip),
  );
  app.post(
    '/public/cases/rate',
    { ...open, schema: { tags: ['public'], body: ZPublicRate, response: { 200: ZTrackResult } } },
    (req) => pub.ratePublic(req.ctx.db, req.body, req.ip),
  );

  // ---------- queue, detail, intake ----------
  app.get('/cases', { ...read, schema: { tags, querystring: ZCaseListQuery, response: { 200: ZCaseList } } }, (req) =>
    service.listCases(req.ctx, req.query),
  );
  // Excel of exactly the rows the list's filters show (no paging; at most EXPORT_CASES rows).
  app.get('/cases/export', { ...read, schema: { tags, querystring: ZCaseListQuery } }, async (req, reply) => {
    const list = await service.listCases(req.ctx, req.query, EXPORT_CASES);
    return sendTable(
      reply,
      { name: `${req.query.mine ? '待办工单' : '工单列表'}.xlsx`, fallback: 'cases.xlsx' },
      casesSheet(list.items, req.ctx.lang, list.totalCapped || list.total > EXPORT_CASES),
    );
  });
  app.get('/cases/counts', { ...read, schema: { tags, response: { 200: ZCaseCounts } } }, (req) =>
    service.caseCounts(req.ctx),
  );
  app.get(
    '/cases/duplicates',
    { ...agentDesk, schema: { tags, querystring: ZDuplicateProbeQuery, response: { 200: z.array(ZDuplicate) } } },
    (req) => service.probeDuplicates(req.ctx, req.query),
  );
  app.get(
    '/cases/routing-suggestion',
    { ...agentDesk, schema: { tags, querystring: ZRoutingProbeQuery, response: { 200: ZRoutingSuggestion } } },
    (req) => service.probeRouting(req.ctx, req.query),
  );
  app.post(
    '/cases',
    { ...intake, schema: { tags, body: ZCaseIntake, response: { 201: ZIntakeResult } } },
    async (req, reply) => reply.status(201).send(await service.intake(req.ctx, req.body, { blobs: app.xn.blobs })),
  );
  app.get('/cases/:id', { ...read, schema: { tags, ...id, response: { 200: ZCaseDetail } } }, (req) =>
    service.getCase(req.ctx, req.params.id),
  );
  app.get(
    '/cases/:id/duplicates',
    { ...agentDesk, schema: { tags, ...id, response: { 200: z.array(ZDuplicate) } } },
    (req) => service.caseDuplicates(req.ctx, req.params.id),
  );
  app.get(
    '/cases/:id/routing-suggestion',
    { ...agentDesk, schema: { tags, ...id, response: { 200: ZRoutingSuggestion } } },
    (req) => service.caseRouting(req.ctx, req.params.id),
  );

  // ---------- attachments ----------
  app.post(
    '/cases/:id/attachments',
    {
      preHandler: requirePermission('cases.intake', 'cases.handle'),
      schema: { tags, ...id, response: { 201: z.object({ ids: z.array(z.number()) }) } },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw invalid('file', '请以 multipart/form-data 上传文件', 'Upload files as multipart/form-data');
      const form = await readForm(req);
      if (!form.files.length) throw invalid('file', '请选择要上传的文件', 'No file was uploaded');
      const files = checkFiles(form.files, { maxBytes, maxFiles: 10, imagesOnly: false });
      return reply.status(201).send({ ids: await service.addAttachments(req.ctx, req.params.id, files, app.xn.blobs) });
    },
  );
  app.get(
    '/cases/:id/attachments/:attachmentId',
    { ...read, schema: { tags, params: ZAttachmentParam } },
    async (req, reply) => {
      const a = await service.getAttachment(req.ctx, req.params.id, req.params.attachmentId);
      const data = await app.xn.blobs.get(attachmentKey(a.sha256));
      if (!data) {
        req.log.error({ attachment: a.id, sha256: a.sha256 }, 'attachment file missing from the blob store');
        throw notFound();
      }
      const inline = a.mime.startsWith('image/') || a.mime === 'application/pdf';
      return reply
        .header('content-type', a.mime)
        .header('content-length', data.length)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .header('content-disposition', contentDisposition(a.filename, { inline }))
        .send(data);
    },
  );

  // ---------- level 2 ----------
  app.post(
    '/cases/:id/dispatch',
    { ...level2, schema: { tags, ...id, body: ZDispatchInput, response: { 200: ZCaseDetail } } },
    (req) => service.dispatchCase(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/reject',
    { ...level2, schema: { tags, ...id, body: ZReason, response: { 200: ZCaseDetail } } },
    (req) => service.rejectCase(req.ctx, req.params.id, req.body.reason),
  );
  app.post(
    '/cases/:id/merge',
    { ...level2, schema: { tags, ...id, body: ZMerge, response: { 200: ZCaseDetail } } },
    (req) => service.mergeCase(req.ctx, req.params.id, req.body.mainCaseId),
  );
  app.post(
    '/cases/:id/extension/decide',
    { ...level2, schema: { tags, ...id, body: ZExtensionDecide, response: { 200: ZCaseDetail } } },
    (req) => service.decideExtension(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/verify',
    { ...level2, schema: { tags, ...id, body: ZVerify, response: { 200: ZCaseDetail } } },
    (req) => service.verifyCase(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/close',
    { ...level2, schema: { tags, ...id, body: ZNote, response: { 200: ZCaseDetail } } },
    (req) => service.closeCase(req.ctx, req.params.id, req.body.note),
  );
  app.post(
    '/cases/:id/feedback',
    { ...level2, schema: { tags, ...id, body: ZFeedback, response: { 200: ZCaseDetail } } },
    (req) => service.recordFeedback(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/review',
    {
      preHandler: requirePermission('cases.dispatch', 'cases.escalations', 'cases.review'),
      schema: { tags, ...id, body: ZReview, response: { 200: ZCaseDetail } },
    },
    (req) => service.reviewCase(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/escalate',
    {
      preHandler: requirePermission('cases.escalate'),
      schema: { tags, ...id, body: ZReason, response: { 200: ZCaseDetail } },
    },
    (req) => service.escalateCase(req.ctx, req.params.id, req.body.reason),
  );
  app.post(
    '/cases/:id/remind',
    {
      preHandler: requirePermission('cases.dispatch', 'cases.escalations'),
      schema: { tags, ...id, body: ZNote, response: { 200: ZCaseDetail } },
    },
    (req) => service.remindCase(req.ctx, req.params.id, req.body.note),
  );

  app.post(
    '/cases/:id/confidential',
    {
      preHandler: requirePermission('cases.dispatch', 'cases.intake'),
      schema: { tags, ...id, body: ZConfidential, response: { 200: ZCaseDetail } },
    },
    (req) => service.markConfidential(req.ctx, req.params.id, req.body),
  );

  // ---------- level 3 ----------
  app.post('/cases/:id/sign', { ...handle, schema: { tags, ...id, response: { 200: ZCaseDetail } } }, (req) =>
    service.signCase(req.ctx, req.params.id),
  );
  app.post('/cases/:id/start', { ...handle, schema: { tags, ...id, response: { 200: ZCaseDetail } } }, (req) =>
    service.startCase(req.ctx, req.params.id),
  );
  app.post(
    '/cases/:id/extension',
    { ...handle, schema: { tags, ...id, body: ZExtensionRequest, response: { 200: ZCaseDetail } } },
    (req) => service.requestExtension(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/cases/:id/return',
    { ...handle, schema: { tags, ...id, body: ZReason, response: { 200: ZCaseDetail } } },
    (req) => service.returnCase(req.ctx, req.params.id, req.body.reason),
  );
  app.post(
    '/cases/:id/report',
    { ...handle, schema: { tags, ...id, body: ZReport, response: { 200: ZCaseDetail } } },
    (req) => service.reportCase(req.ctx, req.params.id, req.body),
  );

  // ---------- level 1: escalations ----------
  app.get(
    '/escalations',
    {
      preHandler: requirePermission('cases.escalations', 'cases.escalate'),
      schema: { tags, querystring: ZEscalationListQuery, response: { 200: z.array(ZEscalationView) } },
    },
    (req) => service.listEscalations(req.ctx, req.query),
  );
  app.post(
    '/escalations/:id/decide',
    { ...escalations, schema: { tags, ...id, body: ZEscalationDecide, response: { 200: ZEscalationView } } },
    (req) => service.decideEscalation(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/escalations/:id/follow',
    { ...escalations, schema: { tags, ...id, body: ZNote, response: { 200: ZEscalationView } } },
    (req) => service.followEscalation(req.ctx, req.params.id, req.body.note),
  );

  // ---------- notices ----------
  app.get(
    '/case-notices',
    { ...read, schema: { tags, querystring: ZNoticeListQuery, response: { 200: z.array(ZNotice) } } },
    (req) => service.listNotices(req.ctx, req.query.unread ?? false),
  );
  app.post('/case-notices/:id/read', { ...read, schema: { tags, ...id } }, async (req, reply) => {
    await service.markNoticeRead(req.ctx, req.params.id);
    return reply.status(204).send();
  });

  // ---------- configuration ----------
  app.get('/case-categories', { ...read, schema: { tags, response: { 200: z.array(ZCaseCategory) } } }, (req) =>
    config.listCategories(req.ctx.db),
  );
  app.post(
    '/case-categories',
    { ...configure, schema: { tags, body: ZCategoryCreate, response: { 201: ZCaseCategory } } },
    async (req, reply) => reply.status(201).send(await config.createCategory(req.ctx.db, req.ctx.actor, req.body)),
  );
  app.patch(
    '/case-categories/:id',
    { ...configure, schema: { tags, ...id, body: ZCategoryUpdate, response: { 200: ZCaseCategory } } },
    (req) => config.updateCategory(req.ctx.db, req.ctx.actor, req.params.id, req.body),
  );
  app.delete('/case-categories/:id', { ...configure, schema: { tags, ...id } }, async (req, reply) => {
    await config.deleteCategory(req.ctx.db, req.ctx.actor, req.params.id);
    return reply.status(204).send();
  });

  app.get('/routing-rules', { ...rules, schema: { tags, response: { 200: z.array(ZRoutingRule) } } }, (req) =>
    config.listRules(req.ctx.db),
  );
  app.post(
    '/routing-rules',
    { ...rules, schema: { tags, body: ZRoutingRuleCreate, response: { 201: ZRoutingRule } } },
    async (req, reply) => reply.status(201).send(await config.createRule(req.ctx.db, req.ctx.actor, req.body)),
  );
  app.patch(
    '/routing-rules/:id',
    { ...rules, schema: { tags, ...id, body: ZRoutingRuleUpdate, response: { 200: ZRoutingRule } } },
    (req) => config.updateRule(req.ctx.db, req.ctx.actor, req.params.id, req.body),
  );
  app.delete('/routing-rules/:id', { ...rules, schema: { tags, ...id } }, async (req, reply) => {
    await config.deleteRule(req.ctx.db, req.ctx.actor, req.params.id);
    return reply.status(204).send();
  });

  app.get('/case-settings', { ...read, schema: { tags, response: { 200: ZCaseSettings } } }, (req) =>
    config.getSettings(req.ctx.db),
  );
  app.put(
    '/case-settings',
    { ...configure, schema: { tags, body: ZCaseSettingsUpdate, response: { 200: ZCaseSettings } } },
    (req) => config.putSettings(req.ctx.db, req.ctx.actor, req.body),
  );
};
