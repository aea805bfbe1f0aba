import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, langOf } from '../../lib/errors.js';
import { requirePermission } from '../../lib/http.js';
import {
  CONTENT_TYPES,
  errorBody,
  formatOfUrl,
  Open311Error,
  render,
  splitFormat,
  type FormFields,
  type Open311Format,
} from './open311.format.js';
import type { IncomingFile } from '../cases/index.js';
import {
  ZApiKey,
  ZApiKeyCreate,
  ZApiKeyCreated,
  ZApiKeyUpdate,
  ZKeyIdParam,
  ZOpen311Settings,
} from './open311.schema.js';
import * as service from './open311.service.js';
import { open311Settings, originAllowed, putOpen311Settings } from './open311.settings.js';
import { listUpdates, postUpdate } from './open311.updates.js';

const FORMATS: Open311Format[] = ['xml', 'json'];

function send(reply: FastifyReply, format: Open311Format, root: string, value: unknown) {
  return reply.type(CONTENT_TYPES[format]).send(render(format, root, value));
}

/** The resource name of a "{name}.{format}" path segment, or a 404 when the format is not xml/json. */
function resource(raw: string): { name: string; format: Open311Format } {
  const r = splitFormat(raw);
  if (!r || !r.name)
    throw new Open311Error(404, '资源不存在（格式须为 .xml 或 .json）', 'Not found (the format must be .xml or .json)');
  return r;
}

/** The fields of a POST: form-encoded, JSON or multipart (files too), with the query string's (api_key may be there). */
async function readPost(req: FastifyRequest): Promise<{ fields: FormFields; files: IncomingFile[] }> {
  const fields: FormFields = { ...(req.query as FormFields) };
  const files: IncomingFile[] = [];
  if (req.isMultipart()) {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const buffer = await part.toBuffer();
        if (part.filename || buffer.length) files.push({ field: part.fieldname, filename: part.filename, buffer });
      } else if (typeof part.value === 'string') {
        const prev = fields[part.fieldname];
        fields[part.fieldname] =
          prev === undefined ? part.value : [...(Array.isArray(prev) ? prev : [prev]), part.value];
      }
    }
  } else if (req.body && typeof req.body === 'object') {
    // JSON bodies may carry numbers (lat, long): the fields are read as text, like a form's.
    const text = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
    for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) {
      fields[k] = (Array.isArray(v) ? v.map(text) : text(v)) as FormFields[string];
    }
  }
  return { fields, files };
}

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Idempotency-Key, Accept-Language',
  'access-control-max-age': '600',
};

/**
 * Open311 GeoReport v2 at /open311/v2/ (registered outside /api; no session, no CSRF). Every answer,
 * errors included, is in the format the URL names (.xml or .json; XML when it names none). Browser
 * clients on the admin's allowed origins may call it (CORS, preflight included); a POST from a browser
 * on another origin is refused.
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
      for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
    } else if (err instanceof AppError) {
      // The spec's codes: 404 for what does not exist, 403 for the key, 400 for anything else.
      status = err.status === 404 || err.status === 403 || err.status === 429 ? err.status : 400;
      description = `${err.field ? `${err.field}: ` : ''}${err.message_(en ? 'en' : 'zh')}`;
    } else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
      const code = (err as FastifyError).statusCode!;
      status = code === 404 || code === 413 ? code : 400;
      description = en ? `Bad request: ${err.message}` : `请求无效：${err.message}`;
    } else {
      // "400 - General Service Error (any failure during processing)" per the spec; logged for us.
      req.log.error({ err }, 'open311 request failed');
      status = 400;
      description = en
        ? 'General service error; please try again later or contact us'
        : '服务处理失败，请稍后重试或联系我们';
    }
    return reply
      .status(status)
      .type(CONTENT_TYPES[format])
      .send(errorBody(format, status, description));
  });
  app.setNotFoundHandler((req, reply) => {
    const format = formatOfUrl(req.url);
    const en = langOf(req.headers['accept-language']) === 'en';
    return reply
      .status(404)
      .type(CONTENT_TYPES[format])
      .send(
        errorBody(
          format,
          404,
          en
            ? `Not found: ${req.method} ${req.url.split('?')[0]}`
            : `资源不存在：${req.method} ${req.url.split('?')[0]}`,
        ),
      );
  });

  // CORS: the allowed origins (a setting) may read answers; a browser POST from elsewhere is refused,
  // so a cross-origin form cannot file a case the client can never see the answer to.
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (!origin || origin === `${req.protocol}://${req.host}`) return;
    const allowed = originAllowed(await open311Settings(req.server.xn.db), origin);
    if (allowed) {
      void reply
        .header('access-control-allow-origin', origin)
        .header('vary', 'Origin')
        .header('access-control-expose-headers', 'Retry-After');
    } else if (req.method === 'POST') {
      throw new Open311Error(
        403,
        `来源 ${origin} 未获准调用本接口`,
        `Origin ${origin} is not allowed to call this API`,
      );
    }
  });
  app.options('/*', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && originAllowed(await open311Settings(req.server.xn.db), origin)) void reply.headers(PREFLIGHT_HEADERS);
    return reply.status(204).send();
  });

  const db = () => app.xn.db;
  for (const format of FORMATS) {
    app.get(`/discovery.${format}`, async (req, reply) => {
      await service.guardRead(db(), req.query as FormFields, req.ip, false);
      const url = `${req.protocol}://${req.host}${req.url.replace(/\/discovery\.(xml|json).*$/i, '')}/`;
      return send(reply, format, 'discovery', await service.discovery(db(), url));
    });
    app.get(`/services.${format}`, async (req, reply) => {
      await service.guardRead(db(), req.query as FormFields, req.ip, false);
      return send(reply, format, 'services', await service.listServices(db()));
    });
    app.get(`/requests.${format}`, async (req, reply) => {
      const q = req.query as FormFields;
      await service.guardRead(db(), q, req.ip, true);
      return send(
        reply,
        format,
        'service_requests',
        await service.listRequests(db(), q, await service.readOptions(db(), q)),
      );
    });
    app.post(`/requests.${format}`, async (req, reply) => {
      const { fields, files } = await readPost(req);
      const idem = req.headers['idempotency-key'];
      const meta = {
        ip: req.ip,
        idempotencyKey: typeof idem === 'string' && idem.trim() ? idem.trim().slice(0, 200) : undefined,
        files,
        blobs: app.xn.blobs,
        maxBytes: app.xn.config.maxUploadMb * 1024 * 1024,
      };
      return send(reply, format, 'service_requests', await service.createRequest(db(), fields, meta));
    });
    app.get(`/servicerequestupdates.${format}`, async (req, reply) => {
      const q = req.query as FormFields;
      await service.guardRead(db(), q, req.ip, true);
      return send(reply, format, 'service_requests_updates', await listUpdates(db(), q));
    });
    app.post(`/servicerequestupdates.${format}`, async (req, reply) => {
      const { fields } = await readPost(req);
      return send(reply, format, 'service_request_updates', await postUpdate(db(), fields, { ip: req.ip }));
    });
  }
  app.get('/services/:resource', async (req, reply) => {
    const r = resource((req.params as { resource: string }).resource);
    await service.guardRead(db(), req.query as FormFields, req.ip, false);
    return send(reply, r.format, 'service_definition', await service.serviceDefinition(db(), r.name));
  });
  app.get('/requests/:resource', async (req, reply) => {
    const r = resource((req.params as { resource: string }).resource);
    const q = req.query as FormFields;
    await service.guardRead(db(), q, req.ip, true);
    return send(
      reply,
      r.format,
      'service_requests',
      await service.getRequest(db(), r.name, await service.readOptions(db(), q)),
    );
  });
  app.get('/tokens/:resource', async (req, reply) => {
    const r = resource((req.params as { resource: string }).resource);
    await service.guardRead(db(), req.query as FormFields, req.ip, true);
    return send(reply, r.format, 'service_requests', await service.resolveToken(db(), r.name));
  });
};

/** Administration of Open311 API keys (/api/open311/keys, permission open311.manage). */
export const open311KeyRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['open311'];
  const manage = { preHandler: requirePermission('open311.manage') };
  app.get('/open311/keys', { ...manage, schema: { tags, response: { 200: z.array(ZApiKey) } } }, (req) =>
    service.listKeys(req.ctx.db),
  );
  app.post(
    '/open311/keys',
    { ...manage, schema: { tags, body: ZApiKeyCreate, response: { 201: ZApiKeyCreated } } },
    async (req, reply) => reply.status(201).send(await service.createKey(req.ctx, req.body)),
  );
  app.patch(
    '/open311/keys/:id',
    { ...manage, schema: { tags, params: ZKeyIdParam, body: ZApiKeyUpdate, response: { 200: ZApiKey } } },
    (req) => service.updateKey(req.ctx, req.params.id, req.body),
  );
  app.get('/open311/settings', { ...manage, schema: { tags, response: { 200: ZOpen311Settings } } }, (req) =>
    open311Settings(req.ctx.db),
  );
  app.put(
    '/open311/settings',
    { ...manage, schema: { tags, body: ZOpen311Settings, response: { 200: ZOpen311Settings } } },
    (req) => putOpen311Settings(req.ctx.db, req.ctx.actor, req.body),
  );
};
