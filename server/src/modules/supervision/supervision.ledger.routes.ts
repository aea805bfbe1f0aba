import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { requirePermission } from '../../lib/http.js';
import { importRefusedBody, sendXlsx, uploadedXlsx } from '../../lib/xlsx-http.js';
import { beijingDate } from '../../engine/workdays.js';
import { importLedger, LedgerImportRefused, ledgerTemplate, listLeaders } from './supervision.import.js';
import {
  ZLeaderOption,
  ZLedgerImportRefused,
  ZLedgerImportResult,
  ZReminders,
  ZRemindersQuery,
} from './supervision.ledger.schema.js';
import { listReminders } from './supervision.reminders.js';

/** 年初建账 from Excel (template, all-or-nothing import), the leaders of the ledger's filter, and the in-app reminders (催办). */
export const supervisionLedgerRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['supervision'];
  const read = { preHandler: requirePermission('supervision.manage', 'supervision.report', 'supervision.instruct') };
  // Who may create tasks by hand (POST /supervision/tasks) may import them.
  const manage = { preHandler: requirePermission('supervision.manage') };

  app.get('/supervision/ledger/template.xlsx', { ...manage, schema: { tags } }, async (req, reply) =>
    sendXlsx(
      reply,
      await ledgerTemplate(req.ctx.db, Number(beijingDate(new Date()).slice(0, 4))),
      '督查督办台账导入模板.xlsx',
      'supervision-ledger-template.xlsx',
    ),
  );
  app.post(
    '/supervision/ledger/import',
    { ...manage, schema: { tags, response: { 201: ZLedgerImportResult, 400: ZLedgerImportRefused } } },
    async (req, reply) => {
      const data = await uploadedXlsx(req);
      const user = req.ctx.user;
      if (!user) throw new AppError('UNAUTHENTICATED');
      try {
        return reply.status(201).send(await importLedger(req.ctx.db, { user, actor: req.ctx.actor }, data));
      } catch (err) {
        if (!(err instanceof LedgerImportRefused)) throw err;
        const report = err.report(req.ctx.lang);
        return reply.status(400).send(importRefusedBody(req.ctx.lang, report));
      }
    },
  );
  app.get('/supervision/leaders', { ...read, schema: { tags, response: { 200: z.array(ZLeaderOption) } } }, (req) =>
    listLeaders(req.ctx.db),
  );
  app.get(
    '/supervision/reminders',
    { ...read, schema: { tags, querystring: ZRemindersQuery, response: { 200: ZReminders } } },
    (req) => listReminders(req.ctx, req.query.days),
  );
};
