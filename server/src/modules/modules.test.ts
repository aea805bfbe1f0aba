/**
 * The module list and the manifests hold together: every module is a folder named as in its manifest,
 * uses only modules listed before it, has its tables in db/schema.ts, declares every permission its
 * routes check, and the seeds and listeners come out in the order the app relies on.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import Fastify, { type FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import * as schema from '../db/schema.js';
import * as jobsTables from '../platform/jobs/jobs.table.js';
import * as smsTables from '../platform/sms/sms.table.js';
import * as rateTables from '../platform/ratelimit/ratelimit.table.js';
import type { AuthCheck } from '../lib/http.js';
import { PERMISSIONS } from '../platform/access.js';
import { collectJobs, listenersOf, seedOrder } from '../platform/module.js';
import { testConfig } from '../test/helpers.js';
import { MODULES } from './index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const tablesOf = (o: Readonly<Record<string, unknown>>) => Object.values(o).filter((v): v is PgTable => is(v, PgTable));

describe('the module list', () => {
  it('names each module folder once, under its own name', () => {
    const folders = readdirSync(HERE).filter((f) => statSync(path.join(HERE, f)).isDirectory());
    expect(MODULES.map((m) => m.name).sort()).toEqual(folders.sort());
  });

  it('is in dependency order: a module imports only modules listed before it (tests aside)', () => {
    const position = new Map(MODULES.map((m, i) => [m.name, i]));
    const upward: string[] = [];
    for (const m of MODULES) {
      for (const file of readdirSync(path.join(HERE, m.name)).filter(
        (f) => f.endsWith('.ts') && !/\.(test|guard|testkit)\.ts$/.test(f),
      )) {
        const text = readFileSync(path.join(HERE, m.name, file), 'utf8');
        for (const [, other] of text.matchAll(/from '\.\.\/([a-z0-9]+)\//g)) {
          if ((position.get(other) ?? -1) > position.get(m.name)!) upward.push(`${m.name}/${file} → ${other}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it("gathers every table: db/schema.ts holds exactly the modules' tables and the platform's (add a module's table file there)", () => {
    const declared = MODULES.flatMap((m) => tablesOf(m.tables));
    const platform = [...tablesOf(jobsTables), ...tablesOf(smsTables), ...tablesOf(rateTables)];
    const inSchema = tablesOf(schema).filter((t) => !platform.includes(t));
    expect(new Set(declared).size).toBe(declared.length); // no table in two modules
    expect(inSchema.filter((t) => !declared.includes(t)).map(getTableName)).toEqual([]);
    expect(declared.filter((t) => !inSchema.includes(t)).map(getTableName)).toEqual([]);
  });

  it('declares every permission its routes check, each one in the vocabulary', async () => {
    const undeclared: string[] = [];
    for (const m of MODULES) {
      for (const r of m.routes) {
        const app = Fastify({ logger: false });
        app.setValidatorCompiler(validatorCompiler);
        app.setSerializerCompiler(serializerCompiler);
        app.decorate('xn', { config: testConfig() } as never); // routes read the configuration when they register
        app.addHook('onRoute', (route) => {
          for (const h of [route.preHandler, route.preValidation].flat()) {
            for (const p of (h as AuthCheck | undefined)?.permissions ?? [])
              if (!m.permissions.includes(p)) undeclared.push(`${m.name}: ${p} (${route.method} ${route.url})`);
          }
        });
        await app.register(r.plugin as FastifyPluginAsync, { prefix: r.prefix });
        await app.ready();
        await app.close();
      }
      for (const p of m.permissions) expect(PERMISSIONS).toContain(p);
    }
    expect(undeclared).toEqual([]);
  });

  it('runs the demo seeds in their order', () => {
    expect(seedOrder(MODULES).map((s) => s.key)).toEqual([
      'foundation',
      'admin-separation',
      'performance',
      'reporting',
      'cases',
      'casestats',
      'scoring',
      'scoring-2025',
      'supervision',
      'ratings',
      'notices',
      'schemes',
      'evaluation',
      'supervision-proposals',
      'evaluation-urban',
      'schemes-publication',
      'evaluation-consult',
      'reports',
      'services',
      'mediation',
      'assistance',
      'awards',
    ]);
  });

  it('refuses a seed waiting for an unknown seed, and seeds waiting for each other', () => {
    const run = async () => undefined;
    const base = { routes: [], tables: {}, permissions: [] };
    expect(() => seedOrder([{ ...base, name: 'a', seeds: [{ key: 'a', run, after: ['nope'] }] }])).toThrow(
      /unknown seed nope/,
    );
    expect(() =>
      seedOrder([
        { ...base, name: 'a', seeds: [{ key: 'a', run, after: ['b'] }] },
        { ...base, name: 'b', seeds: [{ key: 'b', run, after: ['a'] }] },
      ]),
    ).toThrow(/wait for each other/);
  });

  it('wires the listeners the manifests declare (casestats counts case events, reporting copies its year configuration)', () => {
    expect(listenersOf('caseEventsSql')).toEqual(
      MODULES.flatMap((m) => (m.listeners?.caseEventsSql ? [m.listeners.caseEventsSql] : [])),
    );
    expect(listenersOf('caseEventsSql')).toHaveLength(1);
    expect(listenersOf('onYearCopy')).toEqual([MODULES.find((m) => m.name === 'reporting')!.listeners!.onYearCopy]);
  });

  it('collects the jobs, refusing a name declared twice', () => {
    expect(collectJobs(MODULES).map((j) => j.name)).toEqual(MODULES.flatMap((m) => (m.jobs ?? []).map((j) => j.name)));
    const job = { name: 'x.y', title: { zh: '任务', en: 'Job' }, run: async () => undefined };
    const base = { routes: [], tables: {}, permissions: [] };
    expect(() =>
      collectJobs([
        { ...base, name: 'a', jobs: [job] },
        { ...base, name: 'b', jobs: [job] },
      ]),
    ).toThrow(/declared twice/);
  });
});
