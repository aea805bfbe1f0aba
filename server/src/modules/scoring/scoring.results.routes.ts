import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../lib/http.js';
import {
  ZCompareQuery,
  ZCompletenessList,
  ZCompletenessQuery,
  ZComparison,
  ZDeduction,
  ZDeductionCreate,
  ZDeductionsQuery,
  ZDeductionUpdate,
  ZExplainQuery,
  ZExplanation,
  ZIdParam,
  ZInputsQuery,
  ZManualInput,
  ZPublication,
  ZPublicationDetail,
  ZPublicScores,
  ZPublicScoreYear,
  ZPublishRequest,
  ZSandboxRequest,
  ZSandboxResult,
  ZScoreInput,
  ZScoresQuery,
  ZScoreTable,
  ZUnitParam,
  ZUnitScores,
  ZUnitScoresQuery,
  ZUnitScoreSummary,
  ZUnitSummaryQuery,
  ZYearParam,
} from './scoring.schema.js';
import * as service from './scoring.service.js';

/** Scores, explanations, sandbox, publications, comparison, accountability deductions and manual inputs. */
export const scoringResultsRoutes: FastifyPluginAsyncZod = async (app) => {
  const read = { preHandler: requirePermission('scores.read') };
  const publish = { preHandler: requirePermission('scores.publish') };
  const office = { preHandler: requirePermission('scores.publish', 'indicators.manage') };
  const what = { preHandler: requirePermission('scores.sandbox') };
  const tags = ['scores'];

  // Serialized by the service (the whole district's table is served from memory while nothing changed).
  app.get(
    '/scores',
    { ...read, schema: { tags, querystring: ZScoresQuery, response: { 200: ZScoreTable } } },
    async (req, reply) => {
      const json = await service.scoreTableJson(req.ctx, req.query, (t) => JSON.stringify(z.encode(ZScoreTable, t)));
      return reply
        .type('application/json; charset=utf-8')
        .serializer((s: string) => s)
        .send(json as never); // already serialized: the typed reply expects the object
    },
  );

  app.get(
    '/scores/units/:unitId',
    { ...read, schema: { tags, params: ZUnitParam, querystring: ZUnitScoresQuery, response: { 200: ZUnitScores } } },
    (req) => service.unitScores(req.ctx, req.params.unitId, req.query),
  );

  app.get(
    '/scores/units/:unitId/summary',
    {
      ...read,
      schema: { tags, params: ZUnitParam, querystring: ZUnitSummaryQuery, response: { 200: ZUnitScoreSummary } },
    },
    (req) => service.unitScoreSummary(req.ctx, req.params.unitId, req.query),
  );

  app.get(
    '/scores/explain',
    { ...read, schema: { tags, querystring: ZExplainQuery, response: { 200: ZExplanation } } },
    (req) => service.explainScore(req.ctx, req.query),
  );

  app.get(
    '/scores/completeness',
    { ...read, schema: { tags, querystring: ZCompletenessQuery, response: { 200: ZCompletenessList } } },
    (req) => service.incompleteUnits(req.ctx, req.query),
  );

  app.get(
    '/scores/compare',
    { ...read, schema: { tags, querystring: ZCompareQuery, response: { 200: ZComparison } } },
    (req) => service.compare(req.ctx, req.query),
  );

  app.post(
    '/scores/sandbox',
    { ...what, schema: { tags, body: ZSandboxRequest, response: { 200: ZSandboxResult } } },
    (req) => service.sandbox(req.ctx, req.body),
  );

  app.get(
    '/scores/publications',
    { ...read, schema: { tags, querystring: ZYearParam.partial(), response: { 200: z.array(ZPublication) } } },
    (req) => service.listPublications(req.ctx, req.query.yearId),
  );
  app.get(
    '/scores/publications/:id',
    { ...read, schema: { tags, params: ZIdParam, response: { 200: ZPublicationDetail } } },
    (req) => service.getPublication(req.ctx, req.params.id),
  );
  app.post(
    '/scores/publications',
    { ...publish, schema: { tags, body: ZPublishRequest, response: { 201: ZPublication } } },
    async (req, reply) => reply.status(201).send(await service.publish(req.ctx, req.body)),
  );

  app.get(
    '/scores/deductions',
    { ...read, schema: { tags, querystring: ZDeductionsQuery, response: { 200: z.array(ZDeduction) } } },
    (req) => service.listDeductions(req.ctx, req.query.yearId, req.query.unitId),
  );
  app.post(
    '/scores/deductions',
    { ...office, schema: { tags, body: ZDeductionCreate, response: { 201: ZDeduction } } },
    async (req, reply) => reply.status(201).send(await service.createDeduction(req.ctx, req.body)),
  );
  app.patch(
    '/scores/deductions/:id',
    { ...office, schema: { tags, params: ZIdParam, body: ZDeductionUpdate, response: { 200: ZDeduction } } },
    (req) => service.updateDeduction(req.ctx, req.params.id, req.body),
  );
  app.delete('/scores/deductions/:id', { ...office, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    await service.deleteDeduction(req.ctx, req.params.id);
    return reply.status(204).send();
  });

  app.get(
    '/scores/inputs',
    { ...read, schema: { tags, querystring: ZInputsQuery, response: { 200: z.array(ZScoreInput) } } },
    (req) => service.listInputs(req.ctx, req.query),
  );
  app.post(
    '/scores/inputs',
    { ...publish, schema: { tags, body: ZManualInput, response: { 200: ZScoreInput } } },
    (req) => service.enterInput(req.ctx, req.body),
  );

  // Public: the published annual results (Hangzhou publishes its rankings). No login.
  app.get('/public/scores', { schema: { tags, response: { 200: z.array(ZPublicScoreYear) } } }, (req) =>
    service.publicScoreYears(req.ctx.db),
  );
  app.get('/public/scores/:yearId', { schema: { tags, params: ZYearParam, response: { 200: ZPublicScores } } }, (req) =>
    service.publicScores(req.ctx.db, req.params.yearId, req.ctx.lang),
  );
};
