import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { createBlobStore, type BlobStore } from './lib/blobstore.js';
import type { Database, Db } from './db/client.js';
import type { Actor, Ctx, UnitScope } from './lib/context.js';
import { AppError, langOf } from './lib/errors.js';
import { hoistAuthChecks, installErrorHandler, sendCode } from './lib/http.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes, SESSION_COOKIE } from './modules/auth/auth.routes.js';
import { resolveSession } from './modules/auth/auth.service.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { casesRoutes } from './modules/cases/cases.routes.js';
import { jobsRoutes } from './modules/jobs/jobs.routes.js';
import { caseStatsRoutes } from './modules/casestats/casestats.routes.js';
import { open311KeyRoutes, open311Routes } from './modules/open311/open311.routes.js';
import { performanceRoutes } from './modules/performance/performance.routes.js';
import { reportingRoutes } from './modules/reporting/reporting.routes.js';
import { scoringRoutes } from './modules/scoring/scoring.routes.js';
import { unitsRoutes } from './modules/units/units.routes.js';
import { unitScope } from './modules/units/units.service.js';
import { usersRoutes } from './modules/users/users.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    xn: { config: Config; database: Database; db: Db; blobs: BlobStore };
  }
  interface FastifyContextConfig {
    /** Route accepts cookie-authenticated writes without the CSRF header (login only). */
    csrfExempt?: boolean;
  }
  interface FastifyRequest {
    csrfToken: string | null;
  }
}

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Builds the HTTP application around an open database. Does not listen. */
export async function buildApp(opts: { config: Config; database: Database; logger?: FastifyServerOptions['logger'] }): Promise<FastifyInstance> {
  const { config, database } = opts;
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    trustProxy: true,
    bodyLimit: 2 * 1024 * 1024,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('xn', { config, database, db: database.db, blobs: createBlobStore(config) });
  installErrorHandler(app);
  app.addHook('onRoute', hoistAuthChecks);

  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: config.maxUploadMb * 1024 * 1024, files: 10 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Xiaoneng 效能 API', version: '0.1.0', description: '绩效管理、公共服务平台与督查督办' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('ctx', null as unknown as Ctx);

  // Resolve the session cookie, enforce CSRF on cookie-authenticated writes, and build the request context.
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token && req.url.startsWith('/api/')) {
      const s = await resolveSession(database.db, token, config.sessionSecret);
      if (s) {
        req.user = s.user;
        req.sessionId = s.sessionId;
        req.csrfToken = s.csrfToken;
      }
    }
    const user = req.user;
    if (user && MUTATING.has(req.method) && !req.routeOptions.config?.csrfExempt) {
      if (req.headers['x-csrf-token'] !== req.csrfToken) throw new AppError('CSRF');
    }
    const actor: Actor = user ? { id: user.id, name: user.username, ip: req.ip } : { id: null, name: 'anonymous', ip: req.ip };
    let scope: Promise<UnitScope> | null = null;
    req.ctx = {
      db: database.db,
      user,
      actor,
      lang: langOf(req.headers['accept-language']),
      scope: () => {
        if (!user) return Promise.resolve({ all: false, unitIds: new Set<number>() });
        scope ??= unitScope(database.db, user);
        return scope;
      },
    };
  });

  app.get('/api/health', { schema: { tags: ['ops'] } }, async () => {
    await database.query('SELECT 1');
    return { status: 'ok', db: database.kind };
  });

  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(unitsRoutes);
      await api.register(usersRoutes);
      await api.register(auditRoutes);
      await api.register(calendarRoutes);
      await api.register(performanceRoutes);
      await api.register(scoringRoutes);
      await api.register(reportingRoutes);
      await api.register(casesRoutes);
      await api.register(caseStatsRoutes);
      await api.register(open311KeyRoutes);
      await api.register(jobsRoutes);
    },
    { prefix: '/api' },
  );

  await app.register(open311Routes, { prefix: '/open311/v2' });

  // The built web app, with client-side routes falling back to index.html.
  const hasWeb = existsSync(WEB_DIST);
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api') && !req.url.startsWith('/open311')) return reply.sendFile('index.html');
    return sendCode(reply, 'NOT_FOUND', langOf(req.headers['accept-language']));
  });
  return app;
}
