import { readFileSync } from 'node:fs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../app.js';
import { DEFAULT_SECURITY, type Config } from '../config.js';
import { openPglite, openPostgres, type Database } from '../db/client.js';
import { hashPassword } from '../lib/passwords.js';
import { setAuditKey } from '../modules/audit/index.js';
import type { Role } from '../platform/access.js';
import { withDb } from './global-setup.js';

export const TEST_PASSWORD = 'Test@12345';
let passwordHash: Promise<string> | null = null;

/** A fresh, migrated database for one test file: a PGlite clone of the template, or a PostgreSQL copy. */
export async function freshDatabase(): Promise<Database> {
  // Writes audit entries without buildApp (seeds, services): the chain's key as the test config has it.
  setAuditKey(testConfig().auditKey);
  const pgTemplate = inject('pgTemplate');
  const url = process.env.TEST_DATABASE_URL;
  if (url && pgTemplate) {
    const admin = await openPostgres(url, { max: 1 });
    const name = `xn_t_${process.ppid}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${pgTemplate}`);
    await admin.close();
    // The per-file database is dropped WITH (FORCE) at the end: connections it ends (57P01) are expected.
    const database = await openPostgres(withDb(url, name), {
      max: 5,
      onError: (err) => {
        if ((err as { code?: string }).code !== '57P01') console.error('postgres connection error:', err);
      },
    });
    const close = database.close;
    return {
      ...database,
      close: async () => {
        await close();
        const a = await openPostgres(url, { max: 1 });
        await a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.close();
      },
    };
  }
  const file = inject('pgliteTemplate');
  return openPglite({ loadDataDir: new Blob([readFileSync(file)]) });
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: '.tmp/test-data',
    dbKind: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite',
    seedDemo: false,
    sessionSecret: 'test-secret-0123456789abcdef0123456789abcdef',
    auditKey: Buffer.from('test-audit-key-0123456789abcdef0123456789abcdef'),
    auditCheckpointFile: '.tmp/test-data/audit-checkpoints-' + process.pid + '.jsonl',
    auditCheckpointMinutes: 10,
    queryPepper: Buffer.from('test-query-pepper-0123456789abcdef0123456789abcdef'),
    sessionTtlHours: 12,
    logLevel: 'silent',
    smsProvider: 'log',
    maxUploadMb: 5,
    blobStore: 'fs',
    ...overrides,
    security: { ...DEFAULT_SECURITY, ...overrides.security },
  };
}

export type Client = {
  username: string;
  userId: number;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
};

export type TestEnv = {
  app: FastifyInstance;
  database: Database;
  /** An anonymous client. */
  anon: Client;
  /** Signs in as the user and returns a client carrying the session cookie and CSRF token. */
  login(username: string, password?: string): Promise<Client>;
  /** Inserts a unit category; returns its id. */
  buildCategory(opts?: { code?: string; name?: string }): Promise<number>;
  /** Inserts a unit (under the root district unless parentId is given); returns its id. */
  buildUnit(opts?: {
    code?: string;
    name?: string;
    kind?: string;
    parentId?: number | null;
    categoryId?: number | null;
  }): Promise<number>;
  /** Inserts a user with the roles in the unit; returns its id. Password: TEST_PASSWORD. */
  buildUser(opts: { username?: string; roles: Role[]; unitId?: number; leaderOf?: number[] }): Promise<number>;
  /** Builds a user and signs in as them. */
  userClient(opts: { username?: string; roles: Role[]; unitId?: number; leaderOf?: number[] }): Promise<Client>;
  /**
   * An in-force assessment year (grade rule 合格 ≥ 0 unless given) with one level-1 indicator and one leaf
   * under it, both applying to the category; the leaf takes its inputs from `leaf.dataSource`. Returns the ids.
   */
  buildSourceLeaf(opts: SourceLeafOptions): Promise<{ yearId: number; rootId: number; leafId: number }>;
  rootUnitId: number;
  close(): Promise<void>;
};

export type SourceLeafOptions = {
  year: number;
  categoryId: number;
  gradeRule?: unknown;
  root: { code: string; name: string; unitOfMeasure?: string; aggregate?: string };
  leaf: {
    code: string;
    name: string;
    points?: number;
    unitOfMeasure?: string;
    dataSource: string;
    aggregate?: string;
    direction?: 'positive' | 'negative';
    method?: unknown;
  };
};

let seq = 0;
const uniq = (p: string) => `${p}${++seq}${Math.random().toString(36).slice(2, 6)}`;

/** A fresh app on a fresh database with a root district unit, for one test file. */
export async function createTestEnv(overrides: Partial<Config> = {}): Promise<TestEnv> {
  const database = await freshDatabase();
  const app = await buildApp({ config: testConfig(overrides), database, logger: false });
  await app.ready();
  const q = database.query.bind(database);
  const [root] = await q<{ id: number }>(
    `INSERT INTO units(code, name, kind) VALUES ('ROOT', '测试区', 'district') RETURNING id`,
  );

  const makeClient = (username: string, userId: number, cookie?: string, csrf?: string): Client => {
    const headers = (extra?: Record<string, string>) => ({
      ...(cookie ? { cookie } : {}),
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
      ...extra,
    });
    const request = (opts: InjectOptions) =>
      app.inject({ ...opts, headers: { ...headers(), ...(opts.headers as Record<string, string>) } });
    return {
      username,
      userId,
      request,
      get: (url, h) => request({ method: 'GET', url, headers: h }),
      post: (url, body, h) => request({ method: 'POST', url, payload: body as InjectOptions['payload'], headers: h }),
      patch: (url, body) => request({ method: 'PATCH', url, payload: body as InjectOptions['payload'] }),
      put: (url, body) => request({ method: 'PUT', url, payload: body as InjectOptions['payload'] }),
      delete: (url) => request({ method: 'DELETE', url }),
    };
  };

  const env: TestEnv = {
    app,
    database,
    rootUnitId: root.id,
    anon: makeClient('anonymous', 0),
    async login(username, password = TEST_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const setCookie = res.headers['set-cookie'];
      const cookie = (Array.isArray(setCookie) ? setCookie[0] : String(setCookie)).split(';')[0];
      const me = res.json() as { id: number; csrfToken: string };
      return makeClient(username, me.id, cookie, me.csrfToken);
    },
    async buildCategory(opts = {}) {
      const [row] = await q<{ id: number }>('INSERT INTO unit_categories(code, name) VALUES ($1, $2) RETURNING id', [
        opts.code ?? uniq('C'),
        opts.name ?? uniq('类别'),
      ]);
      return row.id;
    },
    async buildUnit(opts = {}) {
      const [row] = await q<{ id: number }>(
        'INSERT INTO units(code, name, kind, parent_id, category_id) VALUES ($1,$2,$3,$4,$5) RETURNING id',
        [
          opts.code ?? uniq('U'),
          opts.name ?? uniq('单位'),
          opts.kind ?? 'department',
          opts.parentId === undefined ? root.id : opts.parentId,
          opts.categoryId ?? null,
        ],
      );
      return row.id;
    },
    async buildUser(opts) {
      passwordHash ??= hashPassword(TEST_PASSWORD);
      const username = opts.username ?? uniq('user');
      const [row] = await q<{ id: number }>(
        'INSERT INTO users(username, display_name, password_hash, unit_id) VALUES ($1,$2,$3,$4) RETURNING id',
        [username, username, await passwordHash, opts.unitId ?? root.id],
      );
      for (const role of opts.roles) await q('INSERT INTO user_roles(user_id, role) VALUES ($1,$2)', [row.id, role]);
      for (const u of opts.leaderOf ?? [])
        await q('INSERT INTO unit_leaders(user_id, unit_id) VALUES ($1,$2)', [row.id, u]);
      return row.id;
    },
    async buildSourceLeaf({ year, categoryId, gradeRule, root: r, leaf: l }) {
      const rule = gradeRule ?? { by: 'threshold', grades: [{ label: '合格', threshold: 0 }] };
      const [y] = await q<{ id: number }>(
        `INSERT INTO assessment_years(year, name, status, grade_rule, deadline_day) VALUES ($1, '年度', 'in_force', $2, 15) RETURNING id`,
        [year, JSON.stringify(rule)],
      );
      const applies = JSON.stringify({ categoryIds: [categoryId], unitIds: [] });
      const [rootRow] = await q<{ id: number }>(
        `INSERT INTO indicators(year_id, parent_id, code, name, level, points, unit_of_measure, applies_to, data_source, aggregate)
         VALUES ($1, NULL, $2, $3, 1, 10, $4, $5, 'self_report', $6) RETURNING id`,
        [y.id, r.code, r.name, r.unitOfMeasure ?? '%', applies, r.aggregate ?? 'last'],
      );
      const [leafRow] = await q<{ id: number }>(
        `INSERT INTO indicators(year_id, parent_id, code, name, level, points, unit_of_measure, applies_to, data_source, direction, aggregate, method)
         VALUES ($1, $2, $3, $4, 2, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          y.id,
          rootRow.id,
          l.code,
          l.name,
          l.points ?? 10,
          l.unitOfMeasure ?? '%',
          applies,
          l.dataSource,
          l.direction ?? 'positive',
          l.aggregate ?? 'last',
          l.method === undefined ? null : JSON.stringify(l.method),
        ],
      );
      return { yearId: y.id, rootId: rootRow.id, leafId: leafRow.id };
    },
    async userClient(opts) {
      const username = opts.username ?? uniq('user');
      await env.buildUser({ ...opts, username });
      return env.login(username);
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
  return env;
}
