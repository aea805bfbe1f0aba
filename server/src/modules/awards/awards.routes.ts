import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition, requirePermission } from '../../lib/http.js';
import { exportTime, sendTable } from '../../lib/xlsx-table.js';
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
  app.get(
    '/awards/rounds/:id/candidates.xlsx',
    { ...manage, schema: { tags, params: ZIdParam } },
    async (req, reply) => {
      const r = await service.getRound(req.ctx, req.params.id);
      const decision = { pending: '待确认', awarded: '授予', declined: '不授予' } as const;
      return sendTable(
        reply,
        { name: `${r.year}年度评先评优.xlsx`, fallback: `awards-${r.year}.xlsx` },
        {
          sheet: '评先评优',
          title: `${r.year}年度评先评优（${r.status === 'published' ? '已发布' : '确认中'}）`,
          rows: r.candidates,
          columns: [
            { header: '奖项', value: (c) => AWARD_TITLES[c.kind], width: 18 },
            { header: '类别', value: (c) => c.category, width: 14 },
            { header: '单位', value: (c) => c.unitName, width: 26 },
            { header: '名次', value: (c) => c.rank, format: 'int', width: 8 },
            { header: '得分', value: (c) => c.score, format: 'score', width: 10 },
            { header: '依据', value: (c) => c.basis, width: 40 },
            { header: '结论', value: (c) => decision[c.decision], width: 10 },
            { header: '理由', value: (c) => c.reason, width: 40 },
            { header: '确认时间', value: (c) => exportTime(c.decidedAt), width: 18 },
          ],
        },
      );
    },
  );
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
