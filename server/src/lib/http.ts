import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Permission } from '../platform/access.js';
import type { AuthUser, Ctx } from './context.js';
import { AppError, ERRORS, isStillReferenced, langOf, sqlStateOf } from './errors.js';
import { describeIssue } from './zod-messages.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
    sessionId: string | null;
    ctx: Ctx;
  }
}

export type ErrorBody = { error: { code: string; message: string; field?: string } };

/** One error shape for every failure; Chinese unless the client asks for English. Never leaks internals. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    const lang = langOf(req.headers['accept-language']);
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.error({ err, cause: err.cause }, err.code);
      const body: ErrorBody = {
        error: { code: err.code, message: err.message_(lang), ...(err.field ? { field: err.field } : {}) },
      };
      return reply.status(err.status).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      // The provider flattens the zod issue into params; put it back together to describe it.
      const issue = {
        ...(first.params as object),
        code: first.keyword,
        message: first.message,
        path: first.instancePath.split('/').filter(Boolean),
      } as unknown as z.core.$ZodIssue;
      const d = describeIssue(issue);
      return reply
        .status(400)
        .send({ error: { code: 'VALIDATION', message: lang === 'en' ? d.en : d.zh, field: d.field } });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response did not match its schema');
      return reply.status(500).send({ error: { code: 'INTERNAL', message: ERRORS.INTERNAL[lang] } });
    }
    const fe = err as FastifyError;
    const pgCode = sqlStateOf(err);
    // Constraint violations are the client's fault when they reach here: map them, never 500.
    if (pgCode === '23505') return sendCode(reply, 'DUPLICATE', lang);
    // 23503 foreign_key_violation; 23001 restrict_violation is what newer PostgreSQL (PGlite 18) raises for ON DELETE RESTRICT.
    if (isStillReferenced(err)) return sendCode(reply, 'IN_USE', lang);
    // 22P05 / 22021: text with a NUL character or another character PostgreSQL cannot store.
    if (
      pgCode === '22P02' ||
      pgCode === '22003' ||
      pgCode === '22007' ||
      pgCode === '22008' ||
      pgCode === '22P05' ||
      pgCode === '22021'
    )
      return sendCode(reply, 'VALIDATION', lang);
    if (fe.statusCode === 413 || fe.code === 'FST_REQ_FILE_TOO_LARGE')
      return sendCode(reply, 'PAYLOAD_TOO_LARGE', lang);
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Fastify's own client errors (bad JSON, wrong content type, ...).
      const code = fe.statusCode === 404 ? 'NOT_FOUND' : fe.statusCode === 429 ? 'TOO_MANY_REQUESTS' : 'VALIDATION';
      return reply.status(fe.statusCode).send({ error: { code, message: `${ERRORS[code][lang]}: ${fe.message}` } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: ERRORS.INTERNAL[lang] } });
  });
}

export function sendCode(reply: FastifyReply, code: keyof typeof ERRORS, lang: 'zh' | 'en') {
  return reply.status(ERRORS[code].status).send({ error: { code, message: ERRORS[code][lang] } });
}

const AUTH_CHECK = Symbol('authCheck');
/** A permission preHandler; `permissions` says which it accepts (the module guard test reads them). */
export type AuthCheck = ((req: FastifyRequest) => Promise<void>) & {
  [AUTH_CHECK]?: true;
  permissions?: readonly Permission[];
};

/**
 * Route hook: the request must come from a signed-in user holding at least one of the permissions.
 * Routes list it as a preHandler; `hoistAuthChecks` moves it before validation so an anonymous or
 * unauthorised caller gets 401/403, never a 400 that reveals the route's schema.
 */
export function requirePermission(...perms: Permission[]) {
  const check: AuthCheck = async (req: FastifyRequest) => {
    if (!req.user) throw new AppError('UNAUTHENTICATED');
    if (perms.length && !perms.some((p) => req.user!.permissions.has(p))) throw new AppError('FORBIDDEN');
  };
  check[AUTH_CHECK] = true;
  check.permissions = perms;
  return check;
}

/** onRoute hook: runs permission checks at preValidation (before the body is validated). */
export function hoistAuthChecks(route: { preHandler?: unknown; preValidation?: unknown }): void {
  const pre = route.preHandler;
  const list = Array.isArray(pre) ? pre : pre ? [pre] : [];
  const checks = list.filter((f) => (f as AuthCheck)[AUTH_CHECK]);
  if (!checks.length) return;
  const rest = list.filter((f) => !(f as AuthCheck)[AUTH_CHECK]);
  const existing = route.preValidation;
  const pv = Array.isArray(existing) ? existing : existing ? [existing] : [];
  route.preValidation = [...checks, ...pv];
  route.preHandler = rest.length ? rest : undefined;
}

/** preHandler: any signed-in user. */
export const requireUser = requirePermission();

/** The signed-in user of a request that passed requirePermission. */
export function userOf(req: FastifyRequest): AuthUser {
  if (!req.user) throw new AppError('UNAUTHENTICATED');
  return req.user;
}

/**
 * Content-Disposition for a download with a (Chinese) file name, per RFC 6266/5987: `filename*` in UTF-8,
 * plus an ASCII `filename` fallback when given (characters outside printable ASCII, quotes and
 * backslashes become `_`).
 */
export function contentDisposition(fileName: string, opts: { fallback?: string; inline?: boolean } = {}): string {
  const type = opts.inline ? 'inline' : 'attachment';
  const fallback =
    opts.fallback === undefined ? '' : `; filename="${opts.fallback.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`;
  return `${type}${fallback}; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Login-CSRF guard for the routes a browser reaches before it has a session (sign-in, setup): a
 * request a browser marks as coming from another site (Sec-Fetch-Site) or whose Origin is not this
 * server is refused with 403. Clients that send neither header (curl, scripts) are not browsers and pass.
 */
export function assertSameOrigin(req: FastifyRequest): void {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') throw new AppError('CROSS_ORIGIN');
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let same = false;
  try {
    const o = new URL(origin);
    // The Host header read with the origin's scheme, so default ports compare equal (localhost:80 = localhost).
    same = o.host === new URL(`${o.protocol}//${req.host}`).host;
  } catch {
    same = false; // "null" (sandboxed frames, some redirects) or garbage
  }
  if (!same) throw new AppError('CROSS_ORIGIN');
}
