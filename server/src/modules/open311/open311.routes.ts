import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, langOf } from '../../lib/errors.js';
import { requirePermission } from '../../lib/http.js';
import { CONTENT_TYPES, errorBody, formatOfUrl, Open311Error, render, splitFormat, type FormFields, type Open311Format } from './open311.format.js';
import { ZApiKey, ZApiKeyCreate, ZApiKeyCreated, ZApiKeyUpdate, ZKeyIdParam } from './open311.schema.js';
import * as service from './open311.service.js';

const FORMATS: Open311Format[] = ['xml', 'json'];

function send(reply: FastifyReply, format: Open311Format, root: string, value: unknown) {
  return reply.type(CONTENT_TYPES[format]).send(render(format, root, value));
}

/** The resource name of a "{name}.{format}" path segment, or a 404 when the format is not xml/json. */
function resource(raw: string): { name: string; format: Open311Format } {
  const r = splitFormat(raw);
  if (!r || !r.name) throw new Open311Error(404, '资源不存在（格式须为 .xml 或 .json）', 'Not found (the format must be .xml or .json)');
  return r;
}

/**
 * Open311 GeoReport v2 at /open311/v2/ (registered outside /api; no session, no CSRF). Every answer,
 * errors included, is in the format the URL names (.xml or .json; XML when it names none).
 */
export const open311Routes: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    const format = formatOfUrl(req.url);
    const en = langOf(req.headers['accept-language']) === 'en';
    let status: number;
    let description: string;
    if (err instanceof Open311Error) {
      status = err.status;
      description = en ? err.en : err.zh;
    } else if (err instanceof AppError) {
      // The spec's codes: 404 for what does not exist, 403 for the key, 400 for anything else.
      status = err.status === 404 || err.status === 403 ? err.status : 400;
      description = `${err.field ? `${err.field}: ` : ''}${err.message_(en ? 'en' : 'zh')}`;
    } else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
      status = (err as FastifyError).statusCode === 404 ? 404 : 400;
      description = en ? `Bad request: ${err.message}` : `请求无效：${err.message}`;
    } else {
      // "400 - General Service Error (any failure during processing)" per the spec; logged for us.
      req.log.error({ err }, 'open311 request failed');
      status = 400;
      description = en ? 'General service error; please try again later or contact us' : '服务处理失败，请稍后重试或联系我们';
    }
    return reply.status(status).type(CONTENT_TYPES[format]).send(errorBody(format, status, description));
  });
  app.setNotFoundHandler((req, reply) => {
    const format = formatOfUrl(req.url);
    const en = langOf(req.headers['accept-language']) === 'en';
    return reply
      .status(404)
      .type(CONTENT_TYPES[format])
      .send(errorBody(format, 404, en ? `Not found: ${req.method} ${req.url.split('?')[0]}` : `资源不存在：${req.method} ${req.url.split('?')[0]}`));
  });

  for (const format of FORMATS) {
    app.get(`/discovery.${format}`, async (req, reply) => {
      const url = `${req.protocol}://${req.host}${req.url.replace(/\/discovery\.(xml|json).*$/i, '')}`;
      return send(reply, format, 'discovery', service.discovery(url));
    });
    app.get(`/services.${format}`, async (req, reply) => send(reply, format, 'services', await service.listServices(req.server.xn.db)));
    app.get(`/requests.${format}`, async (req, reply) =>
      send(reply, format, 'service_requests', await service.listRequests(req.server.xn.db, req.query as FormFields)),
    );
    app.post(`/requests.${format}`, async (req, reply) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as FormFields;
      const query = req.query as FormFields;
      // api_key may come in the body (as the spec shows) or the query string.
      const fields = { ...query, ...body };
      return send(reply, format, 'service_requests', await service.createRequest(req.server.xn.db, fields, { ip: req.ip }));
    });
  }
  app.get('/services/:resource', async (req, reply) => {
    const r = resource((req.params as { resource: string }).resource);
    return send(reply, r.format, 'service_definition', await service.serviceDefinition(req.server.xn.db, r.name));
  });
  app.get('/requests/:resource', async (req, reply) => {
    const r = resource((req.params as { resource: string }).resource);
    return send(reply, r.format, 'service_requests', await service.getRequest(req.server.xn.db, r.name));
  });
  app.get('/tokens/:resource', async (req, reply) => {
    const r = resource((req.params as { resource: string }).resource);
    return send(reply, r.format, 'service_requests', await service.resolveToken(req.server.xn.db, r.name));
  });
};

/** Administration of Open311 API keys (/api/open311/keys, permission open311.manage). */
export const open311KeyRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['open311'];
  const manage = { preHandler: requirePermission('open311.manage') };
  app.get('/open311/keys', { ...manage, schema: { tags, response: { 200: z.array(ZApiKey) } } }, (req) => service.listKeys(req.ctx.db));
  app.post('/open311/keys', { ...manage, schema: { tags, body: ZApiKeyCreate, response: { 201: ZApiKeyCreated } } }, async (req, reply) =>
    reply.status(201).send(await service.createKey(req.ctx, req.body)),
  );
  app.patch('/open311/keys/:id', { ...manage, schema: { tags, params: ZKeyIdParam, body: ZApiKeyUpdate, response: { 200: ZApiKey } } }, (req) =>
    service.updateKey(req.ctx, req.params.id, req.body),
  );
};
