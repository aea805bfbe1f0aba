import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../db/client.js';
import { migrate } from '../db/migrate.js';

const TMP = path.resolve('.tmp');

/**
 * Migrates one template database for the whole run: a PGlite image that each test file loads
 * (~0.3 s), or with TEST_DATABASE_URL a PostgreSQL template database each file copies.
 */
export default async function setup(project: TestProject) {
  mkdirSync(TMP, { recursive: true });
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = await openPostgres(url, { max: 1 });
    const template = `xn_tpl_${process.pid}`;
    await admin.exec(`DROP DATABASE IF EXISTS ${template}`);
    await admin.exec(`CREATE DATABASE ${template}`);
    const tpl = await openPostgres(withDb(url, template), { max: 1 });
    await migrate(tpl);
    await tpl.close();
    project.provide('pgTemplate', template);
    return async () => {
      const rows = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'xn_t_${process.pid}_%' OR datname = $1`,
        [template],
      );
      for (const r of rows) await admin.exec(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.close();
    };
  }
  const db = await openPglite({});
  await migrate(db);
  const dump = await db.pglite!.dumpDataDir('gzip');
  const file = path.join(TMP, `pglite-template-${process.pid}.tar.gz`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplate', '');
}

/** The same server URL pointing at another database. */
export function withDb(url: string, dbName: string): string {
  const u = new URL(url);
  u.pathname = `/${dbName}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
  }
}
