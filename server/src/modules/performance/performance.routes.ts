import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition, requirePermission } from '../../lib/http.js';
import { renderBook } from './performance.book.js';
import { runImport, sendXlsx, ZImportRefused } from '../../lib/xlsx-http.js';
import { ZImportResult } from '../../lib/xlsx-lists.js';
import { importIndicators, indicatorsExport, indicatorsTemplate } from './performance.excel.js';
import {
  ZAdjustment,
  ZAdjustmentDecision,
  ZAdjustmentQuery,
  ZAdjustmentReject,
  ZAdjustmentRequest,
  ZApprovePlan,
  ZChildWeights,
  ZIdParam,
  ZIndicator,
  ZIndicatorCreate,
  ZIndicatorUpdate,
  ZPlan,
  ZPlanSummary,
  ZPlanTargets,
  ZReturnPlan,
  ZSchemeCreate,
  ZSchemeQuery,
  ZSchemeUpdate,
  ZYear,
  ZYearCheck,
  ZYearCopy,
  ZYearCreate,
  ZYearUpdate,
  ZYearUnitParam,
} from './performance.schema.js';
import { assertMayConfigure, assertMayConfigureIndicator, assertOwnAssessingBody } from './performance.policy.js';
import * as service from './performance.service.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const performanceRoutes: FastifyPluginAsyncZod = async (app) => {
  const read = { preHandler: requirePermission('indicators.read') };
  const manage = { preHandler: requirePermission('indicators.manage') };
  // The office, or an assessing body for its own special scheme (checked per scheme: performance.policy.ts).
  const configure = { preHandler: requirePermission('indicators.manage', 'schemes.configure') };
  const edit = { preHandler: requirePermission('plans.edit') };
  const submit = { preHandler: requirePermission('plans.submit') };
  const review = { preHandler: requirePermission('plans.review') };
  const years = ['performance: years'];
  const tree = ['performance: indicators'];
  const plans = ['performance: plans'];

  // ---------- years ----------
  app.get('/years', { ...read, schema: { tags: years, response: { 200: z.array(ZYear) } } }, (req) =>
    service.listYears(req.ctx.db),
  );
  app.get('/years/:id', { ...read, schema: { tags: years, params: ZIdParam, response: { 200: ZYear } } }, (req) =>
    service.getYear(req.ctx.db, req.params.id),
  );
  app.post(
    '/years',
    { ...manage, schema: { tags: years, body: ZYearCreate, response: { 201: ZYear } } },
    async (req, reply) => reply.status(201).send(await service.createYear(req.ctx.db, req.ctx.actor, req.body)),
  );
  app.patch(
    '/years/:id',
    { ...configure, schema: { tags: years, params: ZIdParam, body: ZYearUpdate, response: { 200: ZYear } } },
    async (req) => {
      await assertMayConfigure(req.ctx, req.params.id);
      return service.updateYear(req.ctx.db, req.ctx.actor, req.params.id, req.body);
    },
  );
  app.delete('/years/:id', { ...manage, schema: { tags: years, params: ZIdParam } }, async (req, reply) => {
    await service.deleteYear(req.ctx.db, req.ctx.actor, req.params.id);
    return reply.status(204).send();
  });
  app.get(
    '/years/:id/check',
    { ...read, schema: { tags: years, params: ZIdParam, response: { 200: ZYearCheck } } },
    async (req) => {
      const problems = await service.checkYear(req.ctx.db, req.params.id, req.ctx.lang);
      return { ok: problems.length === 0, problems };
    },
  );
  app.post(
    '/years/:id/activate',
    { ...manage, schema: { tags: years, params: ZIdParam, response: { 200: ZYear } } },
    (req) => service.activateYear(req.ctx.db, req.ctx.actor, req.params.id),
  );
  app.post(
    '/years/:id/close',
    { ...manage, schema: { tags: years, params: ZIdParam, response: { 200: ZYear } } },
    (req) => service.closeYear(req.ctx.db, req.ctx.actor, req.params.id),
  );
  app.post(
    '/years/:id/copy',
    { ...manage, schema: { tags: years, params: ZIdParam, body: ZYearCopy, response: { 201: ZYear } } },
    async (req, reply) =>
      reply.status(201).send(await service.copyYear(req.ctx.db, req.ctx.actor, req.params.id, req.body)),
  );

  // ---------- schemes (考核方案): a scheme is a year row; everything under /years/:id works per scheme ----------
  const schemes = ['performance: schemes'];
  app.get(
    '/schemes',
    { ...read, schema: { tags: schemes, querystring: ZSchemeQuery, response: { 200: z.array(ZYear) } } },
    (req) => service.listSchemes(req.ctx.db, req.query),
  );
  app.post(
    '/schemes',
    { ...configure, schema: { tags: schemes, body: ZSchemeCreate, response: { 201: ZYear } } },
    async (req, reply) => {
      assertOwnAssessingBody(req.ctx, req.body.assessingUnitId);
      return reply.status(201).send(await service.createScheme(req.ctx.db, req.ctx.actor, req.body));
    },
  );
  app.patch(
    '/schemes/:id',
    { ...configure, schema: { tags: schemes, params: ZIdParam, body: ZSchemeUpdate, response: { 200: ZYear } } },
    async (req) => {
      await assertMayConfigure(req.ctx, req.params.id);
      assertOwnAssessingBody(req.ctx, req.body.assessingUnitId);
      return service.updateScheme(req.ctx.db, req.ctx.actor, req.params.id, req.body);
    },
  );

  // ---------- indicator tree ----------
  app.get(
    '/years/:id/indicators',
    { ...read, schema: { tags: tree, params: ZIdParam, response: { 200: z.array(ZIndicator) } } },
    async (req) => {
      await service.getYear(req.ctx.db, req.params.id);
      return service.listIndicators(req.ctx.db, req.params.id);
    },
  );
  // Excel: the template, the scheme's tree (imports back unchanged), and an all-or-nothing import into a draft.
  app.get(
    '/years/:id/indicators/excel/template',
    { ...configure, schema: { tags: tree, params: ZIdParam } },
    async (req, reply) => {
      await assertMayConfigure(req.ctx, req.params.id);
      return sendXlsx(reply, await indicatorsTemplate(), '指标体系导入模板.xlsx', 'indicators-template.xlsx');
    },
  );
  app.get(
    '/years/:id/indicators/excel/export',
    { ...read, schema: { tags: tree, params: ZIdParam } },
    async (req, reply) => {
      const year = await service.getYear(req.ctx.db, req.params.id);
      return sendXlsx(
        reply,
        await indicatorsExport(req.ctx.db, year.id),
        `${year.name}指标体系.xlsx`,
        'indicators.xlsx',
      );
    },
  );
  app.post(
    '/years/:id/indicators/excel/import',
    { ...configure, schema: { tags: tree, params: ZIdParam, response: { 200: ZImportResult, 400: ZImportRefused } } },
    async (req, reply) => {
      await assertMayConfigure(req.ctx, req.params.id);
      return runImport(req, reply, (data) => importIndicators(req.ctx.db, req.ctx.actor, req.params.id, data));
    },
  );
  app.post(
    '/years/:id/indicators',
    { ...configure, schema: { tags: tree, params: ZIdParam, body: ZIndicatorCreate, response: { 201: ZIndicator } } },
    async (req, reply) => {
      await assertMayConfigure(req.ctx, req.params.id);
      return reply.status(201).send(await service.createIndicator(req.ctx.db, req.ctx.actor, req.params.id, req.body));
    },
  );
  app.patch(
    '/indicators/:id',
    { ...configure, schema: { tags: tree, params: ZIdParam, body: ZIndicatorUpdate, response: { 200: ZIndicator } } },
    async (req) => {
      await assertMayConfigureIndicator(req.ctx, req.params.id);
      return service.updateIndicator(req.ctx.db, req.ctx.actor, req.params.id, req.body);
    },
  );
  app.delete('/indicators/:id', { ...configure, schema: { tags: tree, params: ZIdParam } }, async (req, reply) => {
    await assertMayConfigureIndicator(req.ctx, req.params.id);
    await service.deleteIndicator(req.ctx.db, req.ctx.actor, req.params.id);
    return reply.status(204).send();
  });
  app.put(
    '/indicators/:id/weights',
    {
      ...configure,
      schema: { tags: tree, params: ZIdParam, body: ZChildWeights, response: { 200: z.array(ZIndicator) } },
    },
    async (req) => {
      await assertMayConfigureIndicator(req.ctx, req.params.id);
      return service.setChildWeights(req.ctx.db, req.ctx.actor, req.params.id, req.body);
    },
  );

  // ---------- plans ----------
  app.get(
    '/years/:id/plans',
    { ...read, schema: { tags: plans, params: ZIdParam, response: { 200: z.array(ZPlanSummary) } } },
    (req) => service.listPlans(req.ctx, req.params.id),
  );
  app.get(
    '/years/:id/plans/:unitId',
    { ...read, schema: { tags: plans, params: ZYearUnitParam, response: { 200: ZPlan } } },
    (req) => service.getPlan(req.ctx, req.params.id, req.params.unitId),
  );
  app.put(
    '/years/:id/plans/:unitId',
    { ...edit, schema: { tags: plans, params: ZYearUnitParam, body: ZPlanTargets, response: { 200: ZPlan } } },
    (req) => service.saveTargets(req.ctx, req.params.id, req.params.unitId, req.body),
  );
  app.post(
    '/years/:id/plans/:unitId/submit',
    { ...submit, schema: { tags: plans, params: ZYearUnitParam, response: { 200: ZPlan } } },
    (req) => service.submitPlan(req.ctx, req.params.id, req.params.unitId),
  );
  app.post(
    '/years/:id/plans/:unitId/return',
    { ...review, schema: { tags: plans, params: ZYearUnitParam, body: ZReturnPlan, response: { 200: ZPlan } } },
    (req) =>
      service.reviewPlan(req.ctx, req.params.id, req.params.unitId, { approve: false, comment: req.body.comment }),
  );
  app.post(
    '/years/:id/plans/:unitId/approve',
    { ...review, schema: { tags: plans, params: ZYearUnitParam, body: ZApprovePlan, response: { 200: ZPlan } } },
    (req) =>
      service.reviewPlan(req.ctx, req.params.id, req.params.unitId, {
        approve: true,
        comment: req.body.comment || null,
      }),
  );
  app.post(
    '/years/:id/plans/:unitId/adjustments',
    {
      ...edit,
      schema: { tags: plans, params: ZYearUnitParam, body: ZAdjustmentRequest, response: { 201: ZAdjustment } },
    },
    async (req, reply) =>
      reply.status(201).send(await service.requestAdjustment(req.ctx, req.params.id, req.params.unitId, req.body)),
  );
  app.get(
    '/years/:id/adjustments',
    {
      ...read,
      schema: { tags: plans, params: ZIdParam, querystring: ZAdjustmentQuery, response: { 200: z.array(ZAdjustment) } },
    },
    (req) => service.listAdjustments(req.ctx, req.params.id, req.query.status),
  );
  app.post(
    '/adjustments/:id/approve',
    { ...review, schema: { tags: plans, params: ZIdParam, body: ZAdjustmentDecision, response: { 200: ZAdjustment } } },
    (req) => service.decideAdjustment(req.ctx, req.params.id, { approve: true, comment: req.body.comment || null }),
  );
  app.post(
    '/adjustments/:id/reject',
    { ...review, schema: { tags: plans, params: ZIdParam, body: ZAdjustmentReject, response: { 200: ZAdjustment } } },
    (req) => service.decideAdjustment(req.ctx, req.params.id, { approve: false, comment: req.body.comment }),
  );

  // ---------- responsibility book (.docx) ----------
  app.get(
    '/years/:id/plans/:unitId/book.docx',
    { ...read, schema: { tags: plans, params: ZYearUnitParam } },
    async (req, reply) => {
      const data = await service.unitBookData(req.ctx, req.params.id, req.params.unitId);
      const buf = await renderBook(data, { cover: false });
      const unit = data.sections[0].unit;
      return reply
        .header('Content-Type', DOCX)
        .header(
          'Content-Disposition',
          contentDisposition(`${data.year.year}年度绩效管理责任书-${unit.name}.docx`, {
            fallback: `responsibility-book-${data.year.year}-${unit.code}.docx`,
          }),
        )
        .header('Cache-Control', 'no-store')
        .send(buf);
    },
  );
  app.get('/years/:id/book.docx', { ...read, schema: { tags: plans, params: ZIdParam } }, async (req, reply) => {
    const data = await service.districtBookData(req.ctx, req.params.id);
    const buf = await renderBook(data, { cover: true });
    return reply
      .header('Content-Type', DOCX)
      .header(
        'Content-Disposition',
        contentDisposition(`${data.districtName}${data.year.year}年度绩效管理责任书汇编.docx`, {
          fallback: `responsibility-books-${data.year.year}.docx`,
        }),
      )
      .header('Cache-Control', 'no-store')
      .send(buf);
  });
};
