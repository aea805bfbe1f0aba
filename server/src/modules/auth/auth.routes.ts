import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { AuthUser } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import { assertSameOrigin, requireUser, userOf } from '../../lib/http.js';
import { getUnit } from '../units/index.js';
import { ROLE_NAMES } from '../../platform/access.js';
import { ZChangePassword, ZLogin, ZMe } from './auth.schema.js';
import * as service from './auth.service.js';

export const SESSION_COOKIE = 'xn_sid';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['auth'];
  const cfg = app.xn.config;

  const limits = {
    maxFailures: cfg.security.loginMaxFailures,
    lockMinutes: cfg.security.loginLockMinutes,
    ipMaxFailures: cfg.security.loginIpMaxFailures,
  };
  const me = async (db: Db, user: AuthUser, csrfToken: string, mustChangePassword: boolean) => ({
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    unitId: user.unitId,
    unitName: (await getUnit(db, user.unitId)).name,
    roles: user.roles,
    permissions: [...user.permissions],
    csrfToken,
    mustChangePassword,
  });

  app.post(
    '/auth/login',
    {
      schema: { tags, body: ZLogin, response: { 200: ZMe } },
      config: { csrfExempt: true, duringPasswordChange: true },
    },
    async (req, reply) => {
      assertSameOrigin(req); // login CSRF
      const result = await service.login(
        req.ctx.db,
        { ...req.body, ip: req.ip },
        { secret: cfg.sessionSecret, ttlHours: cfg.sessionTtlHours, limits },
      );
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
        maxAge: cfg.sessionTtlHours * 3600,
      });
      return me(req.ctx.db, result.user, result.csrfToken, result.mustChangePassword);
    },
  );

  app.post(
    '/auth/logout',
    { preHandler: requireUser, schema: { tags }, config: { duringPasswordChange: true } },
    async (req, reply) => {
      await service.logout(req.ctx.db, req.ctx.actor, req.sessionId!, userOf(req).id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    { preHandler: requireUser, schema: { tags, response: { 200: ZMe } }, config: { duringPasswordChange: true } },
    async (req) => me(req.ctx.db, userOf(req), req.csrfToken!, req.mustChangePassword),
  );

  // The web app's first question, answered 200 either way (no 401 in the browser console on the
  // login and public pages): the signed-in user, or null.
  app.get(
    '/auth/session',
    { schema: { tags, response: { 200: z.object({ me: ZMe.nullable() }) } }, config: { duringPasswordChange: true } },
    async (req) => ({
      me: req.ctx.user ? await me(req.ctx.db, userOf(req), req.csrfToken!, req.mustChangePassword) : null,
    }),
  );

  app.post(
    '/auth/password',
    { preHandler: requireUser, schema: { tags, body: ZChangePassword }, config: { duringPasswordChange: true } },
    async (req, reply) => {
      if (!req.sessionId) throw new AppError('UNAUTHENTICATED');
      await service.changePassword(
        req.ctx.db,
        req.ctx.actor,
        { userId: userOf(req).id, sessionId: req.sessionId, ...req.body },
        cfg.security.password,
      );
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/roles',
    { schema: { tags, response: { 200: z.record(z.string(), z.object({ zh: z.string(), en: z.string() })) } } },
    async () => ROLE_NAMES,
  );
};
