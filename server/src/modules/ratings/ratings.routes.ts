import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../lib/http.js';
import { sendXlsx } from '../../lib/xlsx-http.js';
import { ratesWorkbook, rectificationsWorkbook } from './ratings.excel.js';
import {
  ZCallback,
  ZIdParam,
  ZPublicRating,
  ZRate,
  ZRatesQuery,
  ZRatingList,
  ZRatingListQuery,
  ZRectification,
  ZRectificationList,
  ZRectificationQuery,
  ZReviewerCandidate,
  ZReviewerProfile,
  ZReviewerProfileInput,
  ZReviewRectification,
  ZSubmitResult,
  ZTokenParam,
  ZUnitRate,
} from './ratings.schema.js';
import * as service from './ratings.service.js';

export const ratingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['ratings'];
  const read = { preHandler: requirePermission('ratings.manage', 'ratings.rectify') };
  const rectify = { preHandler: requirePermission('ratings.rectify') };
  const manage = { preHandler: requirePermission('ratings.manage') };
  // Reviewer profiles: the system admin (beside the accounts) and the office.
  const reviewers = { preHandler: requirePermission('reviewers.manage') };
  const rect = { tags, params: ZIdParam, response: { 200: ZRectification } };

  // ---------- public (no login): the one-time link from the SMS ----------
  const open = { config: { csrfExempt: true } };
  app.get(
    '/public/ratings/:token',
    { schema: { tags: ['public'], params: ZTokenParam, response: { 200: ZPublicRating } } },
    (req) => service.publicRating(req.ctx.db, req.params.token, req.ip),
  );
  app.post(
    '/public/ratings/:token',
    { ...open, schema: { tags: ['public'], params: ZTokenParam, body: ZRate, response: { 200: ZPublicRating } } },
    (req) => service.ratePublic(req.ctx.db, req.params.token, req.body, req.ip),
  );

  // ---------- staff ----------
  app.get(
    '/ratings',
    { ...read, schema: { tags, querystring: ZRatingListQuery, response: { 200: ZRatingList } } },
    (req) => service.listRatings(req.ctx, req.query),
  );
  app.post(
    '/ratings/:id/link',
    {
      ...read,
      schema: { tags, params: ZIdParam, response: { 200: z.object({ link: z.string(), token: z.string() }) } },
    },
    (req) => service.renewLink(req.ctx, req.params.id),
  );
  app.get(
    '/ratings/rates',
    { ...read, schema: { tags, querystring: ZRatesQuery, response: { 200: z.array(ZUnitRate) } } },
    (req) => service.unitRates(req.ctx, req.query.year),
  );
  app.get(
    '/ratings/rectifications',
    { ...read, schema: { tags, querystring: ZRectificationQuery, response: { 200: ZRectificationList } } },
    (req) => service.listRectifications(req.ctx, req.query),
  );
  app.get(
    '/ratings/rectifications.xlsx',
    { ...read, schema: { tags, querystring: ZRectificationQuery } },
    async (req, reply) => {
      const rows = [];
      for (let page = 1; page <= 40; page++) {
        const p = await service.listRectifications(req.ctx, { ...req.query, page, pageSize: 200 });
        rows.push(...p.rows);
        if (p.rows.length < 200) break;
      }
      return sendXlsx(reply, await rectificationsWorkbook(rows), '差评整改.xlsx', 'rectifications.xlsx');
    },
  );
  app.get('/ratings/rates.xlsx', { ...read, schema: { tags, querystring: ZRatesQuery } }, async (req, reply) =>
    sendXlsx(
      reply,
      await ratesWorkbook(req.query.year, await service.unitRates(req.ctx, req.query.year)),
      `${req.query.year}年好差评.xlsx`,
      'ratings.xlsx',
    ),
  );
  app.get('/ratings/rectifications/:id', { ...read, schema: rect }, (req) =>
    service.getRectification(req.ctx, req.params.id),
  );
  app.post('/ratings/rectifications/:id/callback', { ...rectify, schema: { ...rect, body: ZCallback } }, (req) =>
    service.moveRectificationBy(req.ctx, req.params.id, 'callback', { note: req.body.note }),
  );
  app.post('/ratings/rectifications/:id/submit', { ...rectify, schema: { ...rect, body: ZSubmitResult } }, (req) =>
    service.moveRectificationBy(req.ctx, req.params.id, 'submit', { result: req.body.result }),
  );
  app.post(
    '/ratings/rectifications/:id/review',
    { ...manage, schema: { ...rect, body: ZReviewRectification } },
    (req) =>
      service.moveRectificationBy(req.ctx, req.params.id, req.body.accept ? 'accept' : 'return', {
        note: req.body.note,
      }),
  );

  // ---------- reviewer profiles (who may give professional reviews of unsatisfied cases) ----------
  app.get(
    '/ratings/reviewers',
    { ...reviewers, schema: { tags, response: { 200: z.array(ZReviewerProfile) } } },
    (req) => service.listReviewerProfiles(req.ctx),
  );
  app.get(
    '/ratings/reviewers/candidates',
    { ...reviewers, schema: { tags, response: { 200: z.array(ZReviewerCandidate) } } },
    (req) => service.reviewerCandidates(req.ctx),
  );
  app.put(
    '/ratings/reviewers',
    { ...reviewers, schema: { tags, body: ZReviewerProfileInput, response: { 200: z.array(ZReviewerProfile) } } },
    (req) => service.putReviewerProfile(req.ctx, req.body),
  );
  app.delete(
    '/ratings/reviewers/:id',
    { ...reviewers, schema: { tags, params: ZIdParam, response: { 200: z.array(ZReviewerProfile) } } },
    (req) => service.deleteReviewerProfile(req.ctx, req.params.id),
  );
};
