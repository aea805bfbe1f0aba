import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendStoredFile, uploadedFile } from '../../lib/files-http.js';
import { importRefusedBody } from '../../lib/xlsx-http.js';
import { contentDisposition, requirePermission, requireUser } from '../../lib/http.js';
import { listCategories } from '../units/index.js';
import { addEvidence, openEvidence, removeEvidence } from './reporting.evidence.js';
import { excelTemplate, importExcel, matrixWorkbook } from './reporting.excel.js';
import {
  ZBulkBody,
  ZBulkResult,
  ZCommentBody,
  ZDeadlineOverride,
  ZEvidence,
  ZExcelError,
  ZExcelQuery,
  ZExcelResult,
  ZForm,
  ZFormDefinition,
  ZFormSummary,
  ZHomeSummary,
  ZIdParam,
  ZIndicatorParam,
  ZLateCount,
  ZMatrix,
  ZMatrixQuery,
  ZNotifications,
  ZOverdue,
  ZPeriodQuery,
  ZRejectBody,
  ZReportingSettings,
  ZReportingSettingsUpdate,
  ZReturnBody,
  ZRevisionItem,
  ZRevisionQuery,
  ZRevisionRequest,
  ZRuleTest,
  ZRuleTestResult,
  ZSaveDraft,
  ZSubmission,
  ZSubmissionDetail,
  ZSubmissionQuery,
  ZSubmitBody,
  ZThirdPartyGrid,
  ZThirdPartyQuery,
  ZThirdPartyResult,
  ZThirdPartySave,
  ZTodo,
  ZTodoQuery,
  ZUpdateDraft,
  ZAnomalyItem,
  ZYearQuery,
} from './reporting.schema.js';
import * as service from './reporting.service.js';
import * as views from './reporting.views.js';
import { lightsSheet, submissionsSheet } from './reporting.export.js';
import { exportTime, sendTable } from '../../lib/xlsx-table.js';
import { myNotifications, readNotifications } from './reporting.views.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendXlsx(reply: FastifyReply, buffer: Buffer, name: string, fallback: string) {
  return reply
    .header('Content-Type', XLSX)
    .header('Content-Disposition', contentDisposition(name, { fallback }))
    .header('Cache-Control', 'no-store')
    .send(buffer);
}

export const reportingRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['reporting'];
  const anyData = {
    preHandler: requirePermission(
      'submissions.fill',
      'submissions.approve',
      'submissions.accept',
      'submissions.thirdParty',
    ),
  };
  const formsRead = {
    preHandler: requirePermission(
      'indicators.read',
      'submissions.fill',
      'submissions.approve',
      'submissions.accept',
      'submissions.thirdParty',
    ),
  };
  const manage = { preHandler: requirePermission('indicators.manage') };
  const fill = { preHandler: requirePermission('submissions.fill', 'submissions.thirdParty') };
  const approve = { preHandler: requirePermission('submissions.approve') };
  const accept = { preHandler: requirePermission('submissions.accept') };
  const reviewer = { preHandler: requirePermission('submissions.approve', 'submissions.accept') };
  const unitViews = { preHandler: requirePermission('submissions.fill', 'submissions.approve', 'submissions.accept') };
  const thirdParty = { preHandler: requirePermission('submissions.thirdParty') };

  // ---------- settings, forms, deadlines ----------
  app.get(
    '/reporting/settings',
    { ...formsRead, schema: { tags, querystring: ZYearQuery, response: { 200: ZReportingSettings } } },
    (req) => service.getSettings(req.ctx.db, req.query.yearId),
  );
  app.put(
    '/reporting/settings/:id',
    {
      ...manage,
      schema: { tags, params: ZIdParam, body: ZReportingSettingsUpdate, response: { 200: ZReportingSettings } },
    },
    (req) => service.updateSettings(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/reporting/forms',
    { ...formsRead, schema: { tags, querystring: ZYearQuery, response: { 200: z.array(ZFormSummary) } } },
    (req) => service.listForms(req.ctx.db, req.query.yearId),
  );
  app.get(
    '/reporting/forms/:indicatorId',
    { ...formsRead, schema: { tags, params: ZIndicatorParam, response: { 200: ZForm } } },
    (req) => service.getForm(req.ctx.db, req.params.indicatorId),
  );
  app.put(
    '/reporting/forms/:indicatorId',
    { ...manage, schema: { tags, params: ZIndicatorParam, body: ZFormDefinition, response: { 200: ZForm } } },
    (req) => service.saveForm(req.ctx, req.params.indicatorId, req.body),
  );
  app.delete(
    '/reporting/forms/:indicatorId',
    { ...manage, schema: { tags, params: ZIndicatorParam, response: { 200: ZForm } } },
    (req) => service.resetForm(req.ctx, req.params.indicatorId),
  );
  app.post(
    '/reporting/forms/test-rule',
    { ...manage, schema: { tags, body: ZRuleTest, response: { 200: ZRuleTestResult } } },
    async (req) => service.testRule(req.body.definition, req.body.expression, req.body.values, req.ctx.lang),
  );
  app.put(
    '/reporting/deadlines/:indicatorId',
    { ...manage, schema: { tags, params: ZIndicatorParam, body: ZDeadlineOverride, response: { 200: ZForm } } },
    (req) => service.setDeadline(req.ctx, req.params.indicatorId, req.body),
  );
  app.delete(
    '/reporting/deadlines/:indicatorId',
    { ...manage, schema: { tags, params: ZIndicatorParam, response: { 200: ZForm } } },
    (req) => service.clearDeadline(req.ctx, req.params.indicatorId),
  );

  // ---------- submissions ----------
  app.get(
    '/reporting/submissions',
    { ...anyData, schema: { tags, querystring: ZSubmissionQuery, response: { 200: z.array(ZSubmission) } } },
    (req) => service.listSubmissions(req.ctx, req.query),
  );
  // Excel of exactly the rows the queue's filters show.
  app.get(
    '/reporting/submissions/export',
    { ...anyData, schema: { tags, querystring: ZSubmissionQuery } },
    async (req, reply) => {
      const rows = await service.listSubmissions(req.ctx, req.query);
      const en = req.ctx.lang === 'en';
      const what =
        req.query.queue === 'office' ? '待审核归档' : req.query.queue === 'leader' ? '待单位审核' : '填报数据';
      return sendTable(
        reply,
        { name: `${what}.xlsx`, fallback: 'submissions.xlsx' },
        submissionsSheet(
          rows,
          req.ctx.lang,
          `${en ? 'Submissions' : what}  ${en ? 'exported' : '导出于'} ${exportTime(new Date())}  ${en ? `${rows.length} row(s)` : `共 ${rows.length} 条`}`,
        ),
      );
    },
  );
  app.get(
    '/reporting/submissions/:id',
    { ...anyData, schema: { tags, params: ZIdParam, response: { 200: ZSubmissionDetail } } },
    (req) => service.getSubmission(req.ctx, req.params.id),
  );
  app.post(
    '/reporting/submissions',
    { ...fill, schema: { tags, body: ZSaveDraft, response: { 200: ZSubmissionDetail } } },
    (req) => service.saveDraft(req.ctx, req.body),
  );
  app.put(
    '/reporting/submissions/:id',
    { ...fill, schema: { tags, params: ZIdParam, body: ZUpdateDraft, response: { 200: ZSubmissionDetail } } },
    (req) => service.updateDraft(req.ctx, req.params.id, req.body),
  );
  app.delete('/reporting/submissions/:id', { ...fill, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    await service.deleteDraft(req.ctx, req.params.id);
    return reply.status(204).send();
  });
  app.post(
    '/reporting/submissions/:id/submit',
    { ...fill, schema: { tags, params: ZIdParam, body: ZSubmitBody, response: { 200: ZSubmissionDetail } } },
    (req) => service.submit(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/reporting/submissions/:id/approve',
    { ...approve, schema: { tags, params: ZIdParam, response: { 200: ZSubmissionDetail } } },
    (req) => service.leaderApprove(req.ctx, req.params.id),
  );
  app.post(
    '/reporting/submissions/:id/accept',
    { ...accept, schema: { tags, params: ZIdParam, response: { 200: ZSubmissionDetail } } },
    (req) => service.accept(req.ctx, req.params.id),
  );
  app.post(
    '/reporting/submissions/:id/return',
    { ...reviewer, schema: { tags, params: ZIdParam, body: ZReturnBody, response: { 200: ZSubmissionDetail } } },
    (req) => service.returnSubmission(req.ctx, req.params.id, req.body.reason),
  );
  app.post(
    '/reporting/submissions/bulk-approve',
    { ...approve, schema: { tags, body: ZBulkBody, response: { 200: ZBulkResult } } },
    (req) => service.bulkLeaderApprove(req.ctx, req.body.ids),
  );
  app.post(
    '/reporting/submissions/bulk-accept',
    { ...accept, schema: { tags, body: ZBulkBody, response: { 200: ZBulkResult } } },
    (req) => service.bulkAccept(req.ctx, req.body.ids),
  );

  // ---------- revisions ----------
  app.post(
    '/reporting/submissions/:id/revisions',
    { ...fill, schema: { tags, params: ZIdParam, body: ZRevisionRequest, response: { 200: ZSubmissionDetail } } },
    (req) => service.requestRevision(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/reporting/revisions',
    { ...anyData, schema: { tags, querystring: ZRevisionQuery, response: { 200: z.array(ZRevisionItem) } } },
    (req) => service.listRevisionRequests(req.ctx, req.query.status),
  );
  app.post(
    '/reporting/revisions/:id/approve',
    { ...accept, schema: { tags, params: ZIdParam, body: ZCommentBody, response: { 200: ZSubmissionDetail } } },
    (req) => service.approveRevision(req.ctx, req.params.id, req.body.comment || null),
  );
  app.post(
    '/reporting/revisions/:id/reject',
    { ...accept, schema: { tags, params: ZIdParam, body: ZRejectBody, response: { 200: ZSubmissionDetail } } },
    (req) => service.rejectRevision(req.ctx, req.params.id, req.body.comment),
  );

  // ---------- evidence ----------
  app.post(
    '/reporting/submissions/:id/evidence',
    { ...fill, schema: { tags, params: ZIdParam, response: { 201: ZEvidence } } },
    async (req, reply) => {
      const file = await uploadedFile(req);
      return reply.status(201).send(await addEvidence(req.ctx, req.params.id, file, app.xn.blobs));
    },
  );
  app.get('/reporting/evidence/:id', { ...anyData, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    const f = await openEvidence(req.ctx, req.params.id, app.xn.blobs);
    const ext = f.name.includes('.') ? f.name.slice(f.name.lastIndexOf('.')) : '';
    return sendStoredFile(reply, f, `evidence-${req.params.id}${ext}`);
  });
  app.delete('/reporting/evidence/:id', { ...fill, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    await removeEvidence(req.ctx, req.params.id);
    return reply.status(204).send();
  });

  // ---------- Excel ----------
  app.get(
    '/reporting/excel/template',
    { ...unitViews, schema: { tags, querystring: ZExcelQuery } },
    async (req, reply) => {
      const t = await excelTemplate(req.ctx, req.query.unitId, req.query.period);
      return sendXlsx(reply, t.buffer, t.filename, `template-${req.query.period}.xlsx`);
    },
  );
  const ZUploadRefused = z.object({
    error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
    errors: z.array(ZExcelError).optional(),
  });
  app.post(
    '/reporting/excel/upload',
    { ...fill, schema: { tags, querystring: ZExcelQuery, response: { 200: ZExcelResult, 400: ZUploadRefused } } },
    async (req, reply) => {
      const file = await uploadedFile(req);
      const out = await importExcel(req.ctx, req.query.unitId, req.query.period, file.data);
      if (out.ok) return out.result;
      return reply.status(400).send(importRefusedBody(req.ctx.lang, out.errors));
    },
  );

  // ---------- office views ----------
  app.get(
    '/reporting/todo',
    { ...unitViews, schema: { tags, querystring: ZTodoQuery, response: { 200: ZTodo } } },
    (req) => views.todo(req.ctx, req.query),
  );
  app.get(
    '/reporting/lights-overview',
    {
      ...accept,
      schema: {
        tags,
        querystring: ZYearQuery,
        response: {
          200: z.array(
            z.object({
              unitId: z.number(),
              unitCode: z.string(),
              unitName: z.string(),
              categoryId: z.number().nullable(),
              red: z.number(),
              yellow: z.number(),
              green: z.number(),
              none: z.number(),
            }),
          ),
        },
      },
    },
    (req) => views.lightsOverview(req.ctx, req.query.yearId),
  );
  app.get(
    '/reporting/lights-overview/export',
    { ...accept, schema: { tags, querystring: ZYearQuery } },
    async (req, reply) => {
      const rows = await views.lightsOverview(req.ctx, req.query.yearId);
      const cats = new Map((await listCategories(req.ctx.db)).map((c) => [c.id, c.name]));
      return sendTable(
        reply,
        { name: '警示灯汇总.xlsx', fallback: 'warning-lights.xlsx' },
        lightsSheet(rows, cats, req.ctx.lang),
      );
    },
  );
  app.get(
    '/reporting/matrix',
    { ...accept, schema: { tags, querystring: ZMatrixQuery, response: { 200: ZMatrix } } },
    (req) => views.matrix(req.ctx, req.query),
  );
  app.get(
    '/reporting/matrix/export',
    { ...accept, schema: { tags, querystring: ZMatrixQuery } },
    async (req, reply) => {
      const m = await views.matrix(req.ctx, req.query);
      const cats = new Map((await listCategories(req.ctx.db)).map((c) => [c.id, c.name]));
      return sendXlsx(
        reply,
        await matrixWorkbook(m, cats),
        `数据填报情况-${m.period}.xlsx`,
        `submissions-${m.period}.xlsx`,
      );
    },
  );
  app.get(
    '/reporting/overdue',
    { ...accept, schema: { tags, querystring: ZPeriodQuery, response: { 200: ZOverdue } } },
    (req) => views.overdue(req.ctx, req.query),
  );
  app.get(
    '/reporting/anomalies',
    { ...accept, schema: { tags, querystring: ZPeriodQuery, response: { 200: z.array(ZAnomalyItem) } } },
    (req) => views.anomalies(req.ctx, req.query),
  );
  app.get(
    '/reporting/late-counts',
    { ...accept, schema: { tags, querystring: ZYearQuery, response: { 200: z.array(ZLateCount) } } },
    async (req) => views.lateCounts(req.ctx.db, await service.resolveYearId(req.ctx.db, req.query.yearId)),
  );

  // ---------- third-party entry ----------
  app.get(
    '/reporting/third-party',
    { ...thirdParty, schema: { tags, querystring: ZThirdPartyQuery, response: { 200: ZThirdPartyGrid } } },
    (req) => views.thirdPartyGrid(req.ctx, req.query),
  );
  app.put(
    '/reporting/third-party',
    { ...thirdParty, schema: { tags, body: ZThirdPartySave, response: { 200: ZThirdPartyResult } } },
    (req) => service.saveThirdParty(req.ctx, req.body),
  );

  // ---------- home and notifications ----------
  app.get('/reporting/home', { preHandler: requireUser, schema: { tags, response: { 200: ZHomeSummary } } }, (req) =>
    views.homeSummary(req.ctx),
  );
  app.get(
    '/reporting/notifications',
    { preHandler: requireUser, schema: { tags, response: { 200: ZNotifications } } },
    (req) => myNotifications(req.ctx),
  );
  app.post(
    '/reporting/notifications/:id/read',
    { preHandler: requireUser, schema: { tags, params: ZIdParam } },
    async (req, reply) => {
      await readNotifications(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );
  app.post('/reporting/notifications/read-all', { preHandler: requireUser, schema: { tags } }, async (req, reply) => {
    await readNotifications(req.ctx, null);
    return reply.status(204).send();
  });
};
