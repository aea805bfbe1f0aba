import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission, requireUser } from '../../lib/http.js';
import {
  ZAddWorkingDaysQuery,
  ZAddWorkingDaysResult,
  ZCalendarDay,
  ZCalendarStatus,
  ZDateParam,
  ZDayUpsert,
  ZIsWorkingDayQuery,
  ZIsWorkingDayResult,
  ZYearArrangement,
  ZYearParam,
  ZYearQuery,
} from './calendar.schema.js';
import * as service from './calendar.service.js';

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  const manage = { preHandler: requirePermission('calendar.manage') };
  const signedIn = { preHandler: requireUser };
  const tags = ['calendar'];

  // Public: citizens and other systems compute deadlines without signing in.
  app.get(
    '/calendar/add-working-days',
    { schema: { tags, querystring: ZAddWorkingDaysQuery, response: { 200: ZAddWorkingDaysResult } } },
    async (req) => ({
      date: await service.addWorkingDaysFrom(req.ctx.db, req.query.from, req.query.days),
    }),
  );
  app.get(
    '/calendar/is-working-day',
    { schema: { tags, querystring: ZIsWorkingDayQuery, response: { 200: ZIsWorkingDayResult } } },
    (req) => service.workingDayInfo(req.ctx.db, req.query.date),
  );

  app.get(
    '/calendar/days',
    { ...signedIn, schema: { tags, querystring: ZYearQuery, response: { 200: z.array(ZCalendarDay) } } },
    (req) => service.listDays(req.ctx.db, req.query.year),
  );
  app.get('/calendar/status', { ...signedIn, schema: { tags, response: { 200: ZCalendarStatus } } }, (req) =>
    service.calendarStatus(req.ctx.db, req.ctx.lang),
  );

  app.put(
    '/calendar/days/:date',
    { ...manage, schema: { tags, params: ZDateParam, body: ZDayUpsert, response: { 200: ZCalendarDay } } },
    (req) => service.upsertDay(req.ctx.db, req.ctx.actor, req.params.date, req.body),
  );
  app.delete('/calendar/days/:date', { ...manage, schema: { tags, params: ZDateParam } }, async (req, reply) => {
    await service.deleteDay(req.ctx.db, req.ctx.actor, req.params.date);
    return reply.status(204).send();
  });
  app.put(
    '/calendar/years/:year',
    {
      ...manage,
      schema: { tags, params: ZYearParam, body: ZYearArrangement, response: { 200: z.array(ZCalendarDay) } },
    },
    (req) => service.replaceYear(req.ctx.db, req.ctx.actor, req.params.year, req.body),
  );
};
