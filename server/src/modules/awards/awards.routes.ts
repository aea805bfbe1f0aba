import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition, requirePermission } from '../../lib/http.js';
import { AWARD_TITLES, certificateDocx } from './awards.docx.js';
import { ZDecide, ZIdParam, ZRound, ZRoundCreate } from './awards.schema.js';
import * as service from './awards.service.js';

export const awardsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['awards'];
  const manage = { preHandler: requirePermission('awards.manage') };
  const round = { tags, params: ZIdParam, response: { 200: ZRound } };
  app.get('/awards/rounds', { ...manage, schema: { tags, response: { 200: z.array(ZRound) } } }, (req) =>
    service.listRounds(req.ctx),
  );
  app.get('/awards/rounds/:id', { ...manage, schema: round }, (req) => service.getRound(req.ctx, req.params.id));
  app.post(
    '/awards/rounds',
    { ...manage, schema: { tags, body: ZRoundCreate, response: { 201: ZRound } } },
    async (req, reply) => reply.status(201).send(await service.createRound(req.ctx, req.body)),
  );
  app.post('/awards/rounds/:id/publish', { ...manage, schema: round }, (req) =>
    service.publishRound(req.ctx, req.params.id),
  );
  app.post('/awards/candidates/:id/decide', { ...manage, schema: { ...round, body: ZDecide } }, (req) =>
    service.decide(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/awards/candidates/:id/certificate',
    { ...manage, schema: { tags, params: ZIdParam } },
    async (req, reply) => {
      const { round: r, candidate: c } = await service.awardedCandidate(req.ctx, req.params.id);
      return reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header(
          'Content-Disposition',
          contentDisposition(`${r.year}年度${AWARD_TITLES[c.kind]}-${c.unitName}.docx`, {
            fallback: `award-${c.id}.docx`,
          }),
        )
        .send(await certificateDocx(r, c));
    },
  );
};
