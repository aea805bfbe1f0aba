import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requirePermission } from '../../lib/http.js';
import { runImport, sendXlsx } from '../../lib/xlsx-http.js';
import { ImportRefused, listWorkbook, readListSheet } from '../../lib/xlsx-lists.js';
import { hitPublicSurvey } from './evaluation.limit.js';
import {
  ZAnswered,
  ZAnswerInput,
  ZCampaign,
  ZCampaignInput,
  ZCampaignQuery,
  ZCampaignRow,
  ZEvaluator,
  ZEvaluatorsQuery,
  ZCloseResult,
  ZDashboard,
  ZExclude,
  ZForm,
  ZFrameImported,
  ZIdParam,
  ZInboxRow,
  ZQr,
  ZQrCodeParam,
  ZQrQuery,
  ZQrScan,
  ZQuestionnaire,
  ZQuestionnaireInput,
  ZResponsesPage,
  ZResponsesQuery,
  ZResults,
  ZSampleInput,
  ZSamplePage,
  ZSampleQuery,
  ZSampleResult,
  ZSentResult,
  ZTokenParam,
} from './evaluation.schema.js';
import { LEVELS } from './evaluation.logic.js';
import { campaignQr, scanQr } from './evaluation.qr.js';
import * as service from './evaluation.service.js';

/** Where the one-time links point: this site as the office's browser reached it. */
const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export const evaluationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['evaluation'];
  const manage = { preHandler: requirePermission('evaluation.manage') };
  const read = { preHandler: requirePermission('evaluation.manage', 'evaluation.results') };
  const respond = { preHandler: requirePermission('evaluation.respond') };
  const id = { tags, params: ZIdParam };

  // ---------- questionnaires ----------
  app.get(
    '/evaluation/questionnaires',
    { ...manage, schema: { tags, response: { 200: z.array(ZQuestionnaire) } } },
    (req) => service.listQuestionnaires(req.ctx),
  );
  app.get(
    '/evaluation/questionnaires/:id',
    { ...manage, schema: { ...id, response: { 200: ZQuestionnaire } } },
    (req) => service.getQuestionnaire(req.ctx, req.params.id),
  );
  app.post(
    '/evaluation/questionnaires',
    { ...manage, schema: { tags, body: ZQuestionnaireInput, response: { 201: ZQuestionnaire } } },
    async (req, reply) => reply.status(201).send(await service.saveQuestionnaire(req.ctx, req.body)),
  );
  app.post(
    '/evaluation/questionnaires/:id/versions',
    { ...manage, schema: { ...id, body: ZQuestionnaireInput, response: { 201: ZQuestionnaire } } },
    async (req, reply) => reply.status(201).send(await service.saveQuestionnaire(req.ctx, req.body, req.params.id)),
  );

  app.get(
    '/evaluation/evaluators',
    { ...manage, schema: { tags, querystring: ZEvaluatorsQuery, response: { 200: z.array(ZEvaluator) } } },
    (req) => service.listEvaluators(req.ctx, req.query.kind),
  );

  // ---------- campaigns ----------
  app.get(
    '/evaluation/campaigns',
    { ...read, schema: { tags, querystring: ZCampaignQuery, response: { 200: z.array(ZCampaignRow) } } },
    (req) => service.listCampaigns(req.ctx, req.query),
  );
  app.post(
    '/evaluation/campaigns',
    { ...manage, schema: { tags, body: ZCampaignInput, response: { 201: ZCampaign } } },
    async (req, reply) => reply.status(201).send(await service.createCampaign(req.ctx, req.body)),
  );
  app.get('/evaluation/campaigns/:id', { ...manage, schema: { ...id, response: { 200: ZCampaign } } }, (req) =>
    service.getCampaign(req.ctx, req.params.id),
  );
  app.put(
    '/evaluation/campaigns/:id',
    { ...manage, schema: { ...id, body: ZCampaignInput, response: { 200: ZCampaign } } },
    (req) => service.updateCampaign(req.ctx, req.params.id, req.body),
  );
  app.get('/evaluation/campaigns/:id/frame.xlsx', { ...manage, schema: id }, async (req, reply) => {
    await service.getCampaign(req.ctx, req.params.id);
    const buf = await listWorkbook({ title: '抽样名单', columns: service.FRAME_COLUMNS, rows: [] });
    return sendXlsx(reply, buf, '抽样名单模板.xlsx', 'sampling-frame-template.xlsx');
  });
  app.post(
    '/evaluation/campaigns/:id/frame',
    { ...manage, schema: { ...id, response: { 200: ZFrameImported } } },
    async (req, reply) => {
      await service.getCampaign(req.ctx, req.params.id); // 404 before reading the upload
      return runImport(req, reply, async (data) => {
        const sheet = await readListSheet(data, service.FRAME_COLUMNS);
        if (sheet.errors.length) throw new ImportRefused(sheet.errors);
        const r = await service.importFrame(req.ctx, req.params.id, sheet.rows);
        if (r.errors.length) throw new ImportRefused(r.errors);
        return { imported: r.imported };
      });
    },
  );
  app.post(
    '/evaluation/campaigns/:id/sample',
    { ...manage, schema: { ...id, body: ZSampleInput, response: { 200: ZSampleResult } } },
    (req) => service.drawCampaignSample(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/evaluation/campaigns/:id/sample',
    { ...manage, schema: { ...id, querystring: ZSampleQuery, response: { 200: ZSamplePage } } },
    (req) => service.samplePage(req.ctx, req.params.id, req.query),
  );
  app.post('/evaluation/campaigns/:id/send', { ...manage, schema: { ...id, response: { 200: ZSentResult } } }, (req) =>
    service.sendInvitations(req.ctx, req.params.id, originOf(req)),
  );
  app.post(
    '/evaluation/campaigns/:id/remind',
    { ...manage, schema: { ...id, response: { 200: ZSentResult } } },
    (req) => service.remind(req.ctx, req.params.id, originOf(req)),
  );
  app.get(
    '/evaluation/campaigns/:id/dashboard',
    { ...manage, schema: { ...id, response: { 200: ZDashboard } } },
    (req) => service.dashboard(req.ctx, req.params.id),
  );
  app.get(
    '/evaluation/campaigns/:id/responses',
    { ...manage, schema: { ...id, querystring: ZResponsesQuery, response: { 200: ZResponsesPage } } },
    (req) => service.responsesPage(req.ctx, req.params.id, req.query),
  );
  app.post(
    '/evaluation/responses/:id/exclusion',
    { ...manage, schema: { ...id, body: ZExclude, response: { 200: z.object({ ok: z.literal(true) }) } } },
    (req) => service.setExcluded(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/evaluation/campaigns/:id/close',
    { ...manage, schema: { ...id, response: { 200: ZCloseResult } } },
    (req) => service.close(req.ctx, req.params.id),
  );
  app.post('/evaluation/campaigns/:id/publish', { ...manage, schema: { ...id, response: { 200: ZCampaign } } }, (req) =>
    service.publish(req.ctx, req.params.id),
  );
  app.get('/evaluation/campaigns/:id/results', { ...read, schema: { ...id, response: { 200: ZResults } } }, (req) =>
    service.results(req.ctx, req.params.id),
  );
  app.get('/evaluation/campaigns/:id/results.xlsx', { ...read, schema: id }, async (req, reply) => {
    const r = await service.results(req.ctx, req.params.id);
    const columns = [
      { key: 'unitName', header: '单位', note: '' },
      { key: 'invited', header: '邀请数', note: '' },
      { key: 'responses', header: '回收数', note: '' },
      { key: 'valid', header: '有效问卷', note: '剔除无效答卷后' },
      { key: 'responseRate', header: '回收率(%)', note: '' },
      { key: 'mean', header: '平均分(百分制)', note: '' },
      { key: 'satisfactionRate', header: '满意率(%)', note: '按满意度等级权重计算' },
      ...LEVELS.map((l, i) => ({ key: `l${i}`, header: l, note: '该等级的回答数' })),
      { key: 'mapped', header: '折算值', note: '写入考核指标的值' },
      { key: 'explanation', header: '说明', note: '', width: 60 },
    ];
    const rows = r.rows.map((x) => ({ ...x, ...Object.fromEntries(x.distribution.map((n, i) => [`l${i}`, n])) }));
    const buf = await listWorkbook({ title: '评议结果', columns, rows: rows as unknown as Record<string, unknown>[] });
    return sendXlsx(reply, buf, `${r.title}-结果.xlsx`, `evaluation-${r.campaignId}-results.xlsx`);
  });

  // ---------- evaluator inbox ----------
  app.get('/evaluation/inbox', { ...respond, schema: { tags, response: { 200: z.array(ZInboxRow) } } }, (req) =>
    service.inbox(req.ctx),
  );
  app.get('/evaluation/inbox/:id', { ...respond, schema: { ...id, response: { 200: ZForm } } }, (req) =>
    service.inboxForm(req.ctx, req.params.id),
  );
  app.post(
    '/evaluation/inbox/:id',
    { ...respond, schema: { ...id, body: ZAnswerInput, response: { 201: ZAnswered } } },
    async (req, reply) => reply.status(201).send(await service.inboxRespond(req.ctx, req.params.id, req.body)),
  );

  // ---------- the respondent's public page (one-time link) ----------
  const open = { config: { csrfExempt: true } };
  // On-site QR: the office's code per target unit; each scan a fresh one-time invitation.
  app.get(
    '/evaluation/campaigns/:id/qr',
    { ...manage, schema: { ...id, querystring: ZQrQuery, response: { 200: ZQr } } },
    (req) => campaignQr(req.ctx, req.params.id, req.query.unitId, originOf(req)),
  );
  app.post(
    '/public/surveys/qr/:code',
    { ...open, schema: { tags: ['public'], params: ZQrCodeParam, response: { 201: ZQrScan } } },
    async (req, reply) => reply.status(201).send(await scanQr(req.ctx.db, req.params.code, req.ip)),
  );
  app.get(
    '/public/surveys/:token',
    { ...open, schema: { tags: ['public'], params: ZTokenParam, response: { 200: ZForm } } },
    async (req) => {
      await hitPublicSurvey(req.ctx.db, req.ip);
      return service.publicForm(req.ctx.db, req.params.token);
    },
  );
  app.post(
    '/public/surveys/:token',
    { ...open, schema: { tags: ['public'], params: ZTokenParam, body: ZAnswerInput, response: { 201: ZAnswered } } },
    async (req, reply) => {
      await hitPublicSurvey(req.ctx.db, req.ip);
      const r = await service.publicRespond(req.ctx.db, req.params.token, req.body, req.ip);
      // The public learns nothing about the quality checks.
      return reply.status(201).send({ ok: r.ok });
    },
  );
};
