import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { constants as zlibConstants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { createBlobStore, type BlobStore } from './platform/blobs/blobstore.js';
import type { Database, Db } from './db/client.js';
import type { Actor, Ctx, UnitScope } from './lib/context.js';
import { AppError, langOf } from './lib/errors.js';
import { hoistAuthChecks, installErrorHandler, sendCode } from './lib/http.js';
import { setAuditKey } from './modules/audit/index.js';
import { resolveSession, SESSION_COOKIE } from './modules/auth/index.js';
import { setQueryPepper } from './modules/cases/index.js';
import { MODULES } from './modules/index.js';
import { unitScope } from './modules/units/index.js';
import { httpDuration, httpRequests, routeLabel } from './platform/metrics.js';
import { countHit } from './platform/ratelimit/index.js';
import { opsRoutes } from './platform/ops/ops.routes.js';
import type { ModuleRoutes } from './platform/module.js';

declare module 'fastify' {
  interface FastifyInstance {
    xn: { config: Config; database: Database; db: Db; blobs: BlobStore };
  }
  interface FastifyContextConfig {
    /** Route accepts cookie-authenticated writes without the CSRF header (login only). */
    csrfExempt?: boolean;
    /** Route stays open while the user must change an admin-set password (me, password, logout). */
    duringPasswordChange?: boolean;
  }
  interface FastifyRequest {
    csrfToken: string | null;
    /** The signed-in user's password was set by an admin and must be changed first. */
    mustChangePassword: boolean;
  }
}

/** TRUST_PROXY=<n>: the n nearest hops are proxies (proxy-addr's trust function: hop i is trusted when i < n). */
const hopCount = (n: number) => (_addr: string, i: number) => i < n;

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
/** Paths of the citizens' pages (web/public.html): /public/… and the SMS rating link /rate/…. */
const CITIZEN_PATH = /^\/(public|rate)(\/|\?|$)/;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A request id the client may choose (X-Request-Id from a proxy or caller): short, plain characters only. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the HTTP application around an open database. Does not listen. */
export async function buildApp(opts: {
  config: Config;
  database: Database;
  logger?: FastifyServerOptions['logger'];
}): Promise<FastifyInstance> {
  const { config, database } = opts;
  setAuditKey(config.auditKey); // recordAudit keys the chain with it (audit.chain)
  setQueryPepper(config.queryPepper); // case query passwords' key outside the database (cases.password)
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    // X-Forwarded-* only from the proxies TRUST_PROXY names (off by default: a client cannot pick its IP).
    // A hop count means every request comes through that many proxies (Fastify itself refuses numbers): prefer addresses.
    trustProxy:
      typeof config.security.trustProxy === 'number'
        ? hopCount(config.security.trustProxy)
        : config.security.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    return503OnClosing: true,
    // X-Request-Id: honoured when it is a plain id, generated otherwise; returned on every response (below) and logged as reqId.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('xn', { config, database, db: database.db, blobs: createBlobStore(config) });
  installErrorHandler(app);
  app.addHook('onRoute', hoistAuthChecks);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // Every public API shares one per-address allowance, counted in the database for all instances; the
  // pages with tokens, passwords or filings add their own stricter limits.
  const publicPerMinute = config.security.publicRequestsPerMinute;
  if (publicPerMinute > 0) {
    app.addHook('onRequest', async (req, reply) => {
      if (!req.url.startsWith('/api/public/')) return;
      const { hits, retryAfter } = await countHit(database.db, `public:ip:${req.ip}`, 60);
      if (hits > publicPerMinute) {
        reply.header('retry-after', String(retryAfter));
        throw new AppError('TOO_MANY_REQUESTS');
      }
    });
  }
  // Request rate and latency per route pattern, for /metrics.
  app.addHook('onResponse', async (req, reply) => {
    const route = routeLabel(req.routeOptions.url);
    httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  // JSON and text responses compressed when the client accepts it (brotli at a fast level, gzip);
  // the web app's files are precompressed at build and served as they are (preCompressed below).
  await app.register(compress, {
    threshold: 1024,
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });

  // Security headers on every answer (pages, API, files). antd writes inline styles; scripts only from here.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    hsts: false, // only over HTTPS: see the onSend hook below
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
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
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // The API description is for signed-in users unless API_DOCS_PUBLIC publishes it.
    uiHooks: {
      onRequest: async (req) => {
        if (config.security.apiDocsPublic) return;
        const token = req.cookies[SESSION_COOKIE];
        if (
          !token ||
          !(await resolveSession(database.db, token, config.sessionSecret, config.security.sessionIdleMinutes))
        )
          throw new AppError('UNAUTHENTICATED');
      },
    },
  });

  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('mustChangePassword', false);
  app.decorateRequest('ctx', null as unknown as Ctx);

  // Resolve the session cookie, enforce CSRF on cookie-authenticated writes, and build the request context.
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token && req.url.startsWith('/api/')) {
      const s = await resolveSession(database.db, token, config.sessionSecret, config.security.sessionIdleMinutes);
      if (s) {
        req.user = s.user;
        req.sessionId = s.sessionId;
        req.csrfToken = s.csrfToken;
        req.mustChangePassword = s.mustChangePassword;
      }
    }
    // An admin-set password opens nothing but the change-password step.
    if (req.mustChangePassword && !req.routeOptions.config?.duringPasswordChange)
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    const user = req.user;
    if (user && MUTATING.has(req.method) && !req.routeOptions.config?.csrfExempt) {
      if (req.headers['x-csrf-token'] !== req.csrfToken) throw new AppError('CSRF');
    }
    const actor: Actor = user
      ? { id: user.id, name: user.username, ip: req.ip }
      : { id: null, name: 'anonymous', ip: req.ip };
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

  await app.register(opsRoutes);

  app.get('/api/health', { schema: { tags: ['ops'] } }, async () => {
    await database.query('SELECT 1');
    return { status: 'ok', db: database.kind };
  });

  // Every module's routes: the app's API under /api, public APIs (e.g. Open311) under their own prefix.
  const routes = MODULES.flatMap((m) => m.routes);
  await app.register(
    async (api) => {
      for (const r of routes)
        if (r.prefix === '/api') await api.register(r.plugin as ModuleRoutes['plugin'] & FastifyPluginAsync);
    },
    { prefix: '/api' },
  );
  for (const r of routes)
    if (r.prefix !== '/api') await app.register(r.plugin as FastifyPluginAsync, { prefix: r.prefix });
  /** First path segments that answer JSON, never the web app ('/api', '/open311'). */
  const apiRoots = [...new Set(routes.map((r) => `/${r.prefix.split('/')[1]}`))];

  // The built web app, with client-side routes falling back to index.html.
  const hasWeb = existsSync(WEB_DIST);
  // Hashed build files (assets/*) never change: cached for a year. index.html is revalidated every
  // time so a new build is picked up at once. Brotli/gzip files written at build are sent as they are.
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, file) => {
        const hashed = file.includes(`${path.sep}assets${path.sep}`);
        res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  // The citizens' pages have an entry of their own (no sign-in, none of the console's code).
  const hasPublicEntry = hasWeb && existsSync(path.join(WEB_DIST, 'public.html'));
  app.setNotFoundHandler((req, reply) => {
    if (hasWeb && req.method === 'GET' && !apiRoots.some((root) => req.url.startsWith(root)))
      return reply.sendFile(hasPublicEntry && CITIZEN_PATH.test(req.url) ? 'public.html' : 'index.html');
    return sendCode(reply, 'NOT_FOUND', langOf(req.headers['accept-language']));
  });
  return app;
}
