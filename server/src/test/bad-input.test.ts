/**
 * Bad input never reaches a 500: every write route answers a bad body with 400 VALIDATION naming
 * the field (Chinese by default, English on request), malformed JSON with 400, and unknown ids in
 * paths with 404. Routes are discovered from the app, so a new POST/PUT/PATCH route (or a route
 * with an id in its path) without a case here makes this file fail, unless NOT_COVERED_* lists it.
 */
import Fastify, { type FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../modules/index.js';
import type { Role } from '../platform/access.js';
import {
  loadGuard,
  type BadInputCases,
  type BadInputKit,
  type IdCase,
  type Part,
  type Who,
  type WriteCase,
} from './guards.js';
import { createTestEnv, TEST_PASSWORD, type Client, type TestEnv } from './helpers.js';

let env: TestEnv;
/** A signed-in client per role the write routes need (each case runs as a user allowed to use its route). */
const clients = {} as Record<Exclude<Who, 'anon'>, Client>;
/** Existing records to aim PATCH routes at. */
const ids = { unit: 0, category: 0, user: 0 };

const ROLE_OF: Record<Exclude<Who, 'anon'>, Role> = {
  admin: 'admin',
  reporter: 'reporter',
  leader: 'unit_leader',
  office: 'office',
  assessor: 'assessor',
  agent: 'agent',
  handler: 'handler',
  supervisor: 'supervisor',
  dleader: 'district_leader',
  clerk: 'window_clerk',
  evaluator: 'evaluator',
};

beforeAll(async () => {
  env = await createTestEnv();
  ids.category = await env.buildCategory();
  ids.unit = await env.buildUnit({ categoryId: ids.category });
  ids.user = await env.buildUser({ roles: ['reporter'], unitId: ids.unit });
  for (const [who, role] of Object.entries(ROLE_OF) as [Exclude<Who, 'anon'>, Role][]) {
    // Unit-bound roles belong to a real department; office-wide roles sit in the root district unit.
    const unitBound = role === 'reporter' || role === 'unit_leader' || role === 'handler';
    clients[who] = await env.userClient({
      username: `bad_input_${who}`,
      roles: [role],
      unitId: unitBound ? ids.unit : undefined,
    });
  }
});
afterAll(async () => env?.close());

const clientOf = (who: Who): Client => (who === 'anon' ? env.anon : clients[who]);

function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----xnbadinput7d1f';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head = [
      `--${boundary}`,
      `Content-Disposition: form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`,
      ...(p.filename === undefined ? [] : [`Content-Type: ${p.type ?? 'application/octet-stream'}`]),
      '',
      '',
    ].join('\r\n');
    chunks.push(Buffer.from(head), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const pdf: Part[] = [{ name: 'file', value: '%PDF-1.4\n%test\n', filename: 'evidence.pdf', type: 'application/pdf' }];
// A 1×1 transparent PNG.
const png: Part[] = [
  {
    name: 'file',
    value: Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
      'base64',
    ),
    filename: 'photo.png',
    type: 'image/png',
  },
];

/**
 * Each module's cases, from its guard file (modules/<m>/<m>.guard.ts, see guards.ts), by module name.
 * A module without a guard file has no cases: its write routes then fail the coverage checks below.
 */
const kit: BadInputKit = { ids, TEST_PASSWORD, pdf, png };
const CASES = new Map<string, BadInputCases>();
for (const m of MODULES) {
  const guard = await loadGuard(m.name);
  if (guard?.badInput) CASES.set(m.name, guard.badInput(kit));
}
const gather = <T>(pick: (c: BadInputCases) => Record<string, T> | undefined): Record<string, T> =>
  Object.assign({}, ...[...CASES.values()].map((c) => pick(c) ?? {}));

/** Every POST/PUT/PATCH route with bad bodies: a missing required field and a wrong type or value (ids in paths need not exist: the body is checked first). */
const WRITE_CASES: Record<string, WriteCase> = gather((c) => c.writes);
/** A valid request per route whose path carries an id, aimed at an id that does not exist (see IdCase). */
const UNKNOWN_ID_CASES: Record<string, IdCase> = gather((c) => c.unknownIds);
/** The only routes the coverage checks skip, each with the reason. */
const NOT_COVERED_ROUTES: Record<string, string> = gather((c) => c.notCovered);
/** Route prefixes the checks skip entirely (a module's public API with its own error format), each with the reason. */
const NOT_COVERED_PREFIXES: Record<string, string> = gather((c) => c.notCoveredPrefixes);
/** Routes the write-case check skips but whose ids are still checked. */
/** The platform's own routes (app.ts, platform/ops), outside every module. */
const PLATFORM_ROUTES: Record<string, string> = {
  'GET /api/health': 'liveness, no input',
  'GET /api/ready': 'readiness, no input',
  'POST /api/ops/snapshot':
    'takes no body: the PGlite snapshot for npm run backup, loopback and local token only, 404 otherwise (platform/backup.test.ts)',
};
const NO_BODY = (key: string) => key in NOT_COVERED_ROUTES && key.includes('/:');

/** "METHOD /path" → the module whose plugin registers it, found by registering each plugin alone with an onRoute hook. */
async function routeOwners(): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const m of MODULES) {
    for (const { plugin, prefix } of m.routes) {
      const app = Fastify({ logger: false });
      app.setValidatorCompiler(validatorCompiler);
      app.setSerializerCompiler(serializerCompiler);
      app.decorate('xn', env.app.xn);
      app.addHook('onRoute', (r) => {
        for (const method of [r.method].flat()) if (method !== 'HEAD') owners.set(`${method} ${r.url}`, m.name);
        const shape = (
          r.schema?.querystring as
            { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> } | undefined
        )?.shape;
        if (shape?.period && [r.method].flat().includes('GET')) {
          // The other required query parameters, so that the period is the only thing wrong.
          const required = Object.entries(shape)
            .filter(([k, v]) => k !== 'period' && !v.safeParse(undefined).success)
            .map(([k]) => k);
          periodQueries.set(`GET ${r.url}`, required);
        }
      });
      await app.register(plugin as FastifyPluginAsync, { prefix });
      await app.ready();
      await app.close();
    }
  }
  return owners;
}

let owners: Map<string, string>;
/** GET routes whose query takes a `period`, with their other required query parameters. */
const periodQueries = new Map<string, string[]>();
const skippedModule = (key: string) =>
  Object.keys(NOT_COVERED_PREFIXES).some((prefix) => key.split(' ')[1].startsWith(`${prefix}/`));

/** Every route of the app as "METHOD /path", from Fastify's route tree (HEAD, which mirrors GET, left out). */
function discoverRoutes(): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of env.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    const path = stack.join('').replace(/^\/+/, '/');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) out.push(`${method} ${path}`);
  }
  return out;
}

const CHINESE = /[\u4e00-\u9fff]/;

/**
 * Row counts of every table but sessions (a request touches its session) and the rate counters (a public
 * request is counted before it is read): nothing may change on a refused request.
 */
let countSql = '';
async function rowCounts(): Promise<Record<string, number>> {
  if (!countSql) {
    const tables = await env.database.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '%session%' AND table_name <> 'rate_counters' ORDER BY 1`,
    );
    countSql = tables.map((t) => `SELECT '${t.name}' AS t, count(*)::int AS n FROM "${t.name}"`).join(' UNION ALL ');
  }
  const rows = await env.database.query<{ t: string; n: number }>(countSql);
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/** Sends a request with a JSON body or a multipart form. */
function send(
  who: Who,
  method: string,
  url: string,
  req: { body?: unknown; form?: Part[] },
  headers: Record<string, string> = {},
) {
  if (req.form) {
    const m = multipart(req.form);
    return clientOf(who).request({
      method: method as 'POST',
      url,
      payload: m.payload,
      headers: { ...m.headers, ...headers },
    });
  }
  return clientOf(who).request({ method: method as 'POST', url, payload: req.body as object, headers });
}

describe('route discovery', () => {
  beforeAll(async () => {
    owners = await routeOwners();
  });

  it('finds the routes and their modules (sanity check of the discovery)', () => {
    const routes = discoverRoutes();
    expect(routes).toEqual(
      expect.arrayContaining(['POST /api/auth/login', 'GET /api/units/:id', 'PATCH /api/users/:id', 'GET /api/health']),
    );
    expect(owners.get('PATCH /api/units/:id')).toBe('units');
    expect(owners.get('POST /api/auth/login')).toBe('auth');
    expect(owners.get('PATCH /api/open311/keys/:id')).toBe('open311');
    expect(owners.get('POST /open311/v2/requests.json')).toBe('open311');
    // Every module route is in the app, so the module list matches what app.ts mounts …
    // (the Open311 CORS preflight, OPTIONS on a wildcard, is printed apart from its module's tree)
    expect([...owners.keys()].filter((k) => !routes.includes(k) && !k.startsWith('OPTIONS '))).toEqual([]);
    // … and every /api route but the health check belongs to a listed module.
    expect(
      routes.filter((r) => / \/api\//.test(r) && !owners.has(r) && !r.includes('/api/docs') && !(r in PLATFORM_ROUTES)),
    ).toEqual([]);
  });

  it('has bad-input cases for every POST/PUT/PATCH route', () => {
    const writes = discoverRoutes().filter(
      (r) => /^(POST|PUT|PATCH) /.test(r) && !(r in NOT_COVERED_ROUTES) && !(r in PLATFORM_ROUTES) && !skippedModule(r),
    );
    expect(writes.filter((r) => !WRITE_CASES[r])).toEqual([]);
    // And no stale cases for routes that no longer exist.
    expect(Object.keys(WRITE_CASES).filter((k) => !writes.includes(k))).toEqual([]);
    expect(Object.keys(NOT_COVERED_ROUTES).filter((k) => !discoverRoutes().includes(k))).toEqual([]);
  });

  it("takes each module's cases for its own routes only", () => {
    for (const [module, cases] of CASES) {
      const keys = [
        ...Object.keys(cases.writes),
        ...Object.keys(cases.unknownIds),
        ...Object.keys(cases.notCovered ?? {}),
      ];
      expect(
        keys.filter((k) => owners.get(k) !== module),
        `${module}.guard.ts`,
      ).toEqual([]);
    }
  });

  it('has an unknown-id case for every route with an id in its path', () => {
    const withId = discoverRoutes().filter(
      (r) =>
        r.includes('/:') &&
        (!(r in NOT_COVERED_ROUTES) || NO_BODY(r)) &&
        !skippedModule(r) &&
        !r.startsWith('GET /api/docs'),
    );
    expect(withId.filter((r) => !UNKNOWN_ID_CASES[r])).toEqual([]);
    expect(Object.keys(UNKNOWN_ID_CASES).filter((k) => !withId.includes(k))).toEqual([]);
  });
});

describe.each(Object.entries(WRITE_CASES))('%s', (key, c) => {
  const method = key.split(' ')[0] as 'POST' | 'PUT' | 'PATCH';

  it.each(c.bad)('answers 400 naming $field', async (bad) => {
    const before = await rowCounts();
    const zh = await send(c.who, method, c.url(), bad);
    expect(zh.statusCode, zh.body).toBe(400);
    const err = zh.json().error;
    expect(err.code).toBe('VALIDATION');
    expect(err.field).toBe(bad.field);
    expect(err.message).toMatch(CHINESE);
    const en = await send(c.who, method, c.url(), bad, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.statusCode).toBe(400);
    expect(en.json().error.field).toBe(bad.field);
    expect(en.json().error.message).not.toMatch(CHINESE);
    if (!bad.ownMessage) expect(en.json().error.message).toContain(bad.field.split('.')[0]);
    // Nothing was written (no row added or removed anywhere, no audit entry).
    expect(await rowCounts()).toEqual(before);
  });

  it('answers malformed JSON, a non-object body and a wrong content type with 4xx, never 500', async () => {
    const client = clientOf(c.who);
    const broken = await client.request({
      method,
      url: c.url(),
      payload: '{"code": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('VALIDATION');
    const arr = await client.request({
      method,
      url: c.url(),
      payload: '[1,2]',
      headers: { 'content-type': 'application/json' },
    });
    expect(arr.statusCode).toBe(400);
    expect(arr.json().error.code).toBe('VALIDATION');
    const nul = await client.request({
      method,
      url: c.url(),
      payload: 'null',
      headers: { 'content-type': 'application/json' },
    });
    expect(nul.statusCode).toBe(400);
    const text = await client.request({
      method,
      url: c.url(),
      payload: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBeGreaterThanOrEqual(400);
    expect(text.statusCode).toBeLessThan(500);
  });
});

/** The path with every `:param` set to `value`, except `bad` set to `badValue`. */
const fill = (path: string, value: string, bad?: { param: string; value: string }) =>
  path.replace(/:([A-Za-z]+)/g, (_, p: string) => (bad && p === bad.param ? bad.value : value));
const paramsOf = (path: string) => [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);

describe('ids in paths', () => {
  it.each(Object.entries(UNKNOWN_ID_CASES).filter(([, c]) => !c.upsert))(
    '%s answers 404 for an unknown id',
    async (key, c) => {
      const [method, path] = key.split(' ');
      const before = await rowCounts();
      const res = await send(c.who ?? 'admin', method, fill(path, c.unknown ?? '999999') + (c.query ?? ''), c);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.json().error.message).toMatch(CHINESE);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it.each(Object.entries(UNKNOWN_ID_CASES))('%s answers 400 for a malformed or out-of-range id', async (key, c) => {
    const [method, path] = key.split(' ');
    for (const param of paramsOf(path)) {
      for (const bad of ['abc', '-1', '1.5', '99999999999']) {
        const res = await send(
          c.who ?? 'admin',
          method,
          fill(path, c.unknown ?? '999999', { param, value: bad }) + (c.query ?? ''),
          c,
        );
        expect(res.statusCode, `${key} with ${param}=${bad}`).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'VALIDATION', field: param });
      }
    }
  });
});

describe('empty PATCH bodies', () => {
  beforeAll(async () => {
    owners ??= await routeOwners();
  });
  it.each(Object.entries(WRITE_CASES).filter(([k]) => k.startsWith('PATCH ')))(
    '%s answers {} with 400, not 500',
    async (key, c) => {
      const before = await rowCounts();
      const res = await send(c.who, 'PATCH', c.url(), { body: {} });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION');
      expect(res.json().error.message).toMatch(CHINESE);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('covers every PATCH route of the app', () => {
    const patches = discoverRoutes().filter((r) => r.startsWith('PATCH ') && !skippedModule(r));
    expect(patches.length).toBeGreaterThan(5);
    expect(patches.filter((r) => !WRITE_CASES[r])).toEqual([]);
  });
});

describe('out-of-range periods in queries', () => {
  beforeAll(async () => {
    if (!periodQueries.size) owners = await routeOwners();
  });
  /** Valid values for the other required query parameters of a period route. */
  const OTHER: Record<string, () => string> = {
    unitId: () => String(ids.unit),
    yearId: () => '1',
    indicatorId: () => '1',
  };

  it('finds the period routes (the submission matrix and its export among them)', () => {
    expect([...periodQueries.keys()]).toEqual(
      expect.arrayContaining(['GET /api/reporting/matrix', 'GET /api/reporting/matrix/export']),
    );
  });

  it('answers period=9999-12 (and 0000-01) on every period route with 400 naming the period, not 500', async () => {
    for (const [key, required] of periodQueries) {
      const path = fill(key.split(' ')[1], '1');
      for (const period of ['9999-12', '0000-01']) {
        const qs = new URLSearchParams({
          period,
          ...Object.fromEntries(required.map((k) => [k, OTHER[k]?.() ?? '1'])),
        });
        // The first role allowed to read the route (permissions are checked before the query).
        let res = await send('office', 'GET', `${path}?${qs}`, {});
        for (const who of Object.keys(ROLE_OF) as Who[])
          if (res.statusCode === 403) res = await send(who, 'GET', `${path}?${qs}`, {});
        expect(res.statusCode, `${key} period=${period}: ${res.body.slice(0, 200)}`).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'VALIDATION', field: 'period' });
      }
    }
  });
});
