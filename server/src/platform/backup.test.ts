/**
 * Backup → restore into a fresh place, on PGlite (the backup taken from a running server through its
 * local snapshot endpoint, by the real CLI in a child process) and on PostgreSQL (pg_dump/pg_restore
 * into a new database). After the restore: audit:verify passes, every table has the same row count,
 * a published score snapshot is byte-identical, an uploaded file downloads, and a session cookie from
 * the original still works (the session secret came along).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../app.js';
import { runAuditVerify } from '../cli/audit-verify.js';
import { runBackup } from '../cli/backup.js';
import { runRestore } from '../cli/restore.js';
import type { Config } from '../config.js';
import { openPglite, openPostgres, type Database } from '../db/client.js';
import { hashPassword } from '../lib/passwords.js';
import { multipart, PNG } from '../modules/cases/cases.testkit.js';
import { tableCounts } from '../seed/index.js';
import { withDb } from '../test/global-setup.js';
import { testConfig, TEST_PASSWORD } from '../test/helpers.js';
import { acquireDataLock } from '../lib/lockfile.js';
import { publishLocalControl, readManifest } from './backup.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const quiet = { log: () => undefined, error: (l: string) => console.error(l) };
const pgUrl = process.env.TEST_DATABASE_URL;

type Installation = { config: Config; database: Database; app: FastifyInstance; close(): Promise<void> };

async function start(config: Config, database: Database): Promise<Installation> {
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  return { config, database, app, close: async () => (await app.close(), await database.close()) };
}

/** Logs in through the API; returns the cookie and CSRF token. */
async function login(app: FastifyInstance, username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: TEST_PASSWORD },
  });
  expect(res.statusCode, res.body).toBe(200);
  const set = res.headers['set-cookie'];
  return {
    cookie: (Array.isArray(set) ? set[0] : String(set)).split(';')[0],
    csrf: (res.json() as { csrfToken: string }).csrfToken,
  };
}

/** Data of every kind the archive must carry: audited writes, a case with an uploaded file, a published snapshot, a session. */
async function fill(
  inst: Installation,
): Promise<{ caseId: number; attachmentId: number; session: { cookie: string; csrf: string } }> {
  const q = inst.database.query.bind(inst.database);
  const [root] = await q<{ id: number }>(
    `INSERT INTO units(code, name, kind) VALUES ('ROOT', '测试区', 'district') RETURNING id`,
  );
  const [dept] = await q<{ id: number }>(
    `INSERT INTO units(code, name, kind, parent_id) VALUES ('D1', '城管局', 'department', $1) RETURNING id`,
    [root.id],
  );
  const [user] = await q<{ id: number }>(
    `INSERT INTO users(username, display_name, password_hash, unit_id) VALUES ('agent1', '坐席', $1, $2) RETURNING id`,
    [await hashPassword(TEST_PASSWORD), root.id],
  );
  await q(`INSERT INTO user_roles(user_id, role) VALUES ($1, 'agent')`, [user.id]);
  const [cat] = await q<{ id: number }>(
    `INSERT INTO case_categories(code, name, default_unit_id, time_limit_days, sign_hours) VALUES ('BK1', '占道经营', $1, 5, 4) RETURNING id`,
    [dept.id],
  );
  const session = await login(inst.app, 'agent1');
  const h = { cookie: session.cookie, 'x-csrf-token': session.csrf };
  const made = await inst.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: h,
    payload: {
      channel: 'hotline',
      type: 'complaint',
      categoryId: cat.id,
      requester: { name: '张三', phone: '13812345678', anonymous: false },
      description: '小区门口有人长期占道摆摊，影响通行',
      address: '汉江区解放大道688号',
      dispatch: { leadUnitId: dept.id },
    },
  });
  expect(made.statusCode, made.body).toBe(201);
  const caseId = (made.json() as { id: number }).id;
  const up = multipart({}, [{ field: 'file', filename: '现场照片.png', content: PNG }]);
  const att = await inst.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/attachments`,
    headers: { ...h, ...up.headers },
    payload: up.payload,
  });
  expect(att.statusCode, att.body).toBe(201);
  const [year] = await q<{ id: number }>(
    `INSERT INTO assessment_years(year, name, grade_rule) VALUES (2026, '2026年度', '{}'::jsonb) RETURNING id`,
  );
  await q(
    `INSERT INTO score_publications(year_id, period, window_kind, window_n, window_label, full_year, score_version, unit_count, result, snapshot, snapshot_sha256, published_by_name)
     VALUES ($1, '2026-01', 'month', 1, '1月', false, 7, 1, $2::jsonb, decode($3, 'hex'), $4, '考核办')`,
    [year.id, JSON.stringify([{ unitId: dept.id, total: 95.5, rank: 1 }]), 'deadbeef00ff', 'c0ffee'],
  );
  return { caseId, attachmentId: (att.json() as { ids: number[] }).ids[0], session };
}

const publication = async (d: Database) =>
  d.query(
    `SELECT id, period, result, encode(snapshot, 'hex') AS snapshot, snapshot_sha256, published_at FROM score_publications ORDER BY id`,
  );

/** What must be identical after the round trip, and what must work. */
async function checkRestored(source: Installation, restored: Installation, made: Awaited<ReturnType<typeof fill>>) {
  expect(await tableCounts(restored.database)).toEqual(await tableCounts(source.database));
  expect(await publication(restored.database)).toEqual(await publication(source.database));
  expect((await publication(restored.database)).length).toBe(1);
  // The session made on the original works here: same sessions table, same secret.
  const dl = await restored.app.inject({
    method: 'GET',
    url: `/api/cases/${made.caseId}/attachments/${made.attachmentId}`,
    headers: { cookie: made.session.cookie },
  });
  expect(dl.statusCode, dl.body).toBe(200);
  expect(dl.rawPayload.equals(PNG)).toBe(true);
  // And a fresh login works too.
  await login(restored.app, 'agent1');
}

const withoutDatabaseUrl = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'DATABASE_URL'));
const fresh = (name: string) => mkdtempSync(path.join(tmpdir(), `xn-${name}-`));
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c().catch(() => undefined);
});

/** The test configuration's audit key (test/helpers testConfig). */
const TEST_AUDIT_KEY = 'test-audit-key-0123456789abcdef0123456789abcdef';

describe.skipIf(!!pgUrl)('backup and restore (PGlite)', () => {
  it(
    'backs up a running server into one archive and restores it into an empty data folder',
    { timeout: 180_000 },
    async () => {
      const dirA = fresh('src');
      const secret = 'a-session-secret-of-the-source-0123456789abcdef';
      writeFileSync(path.join(dirA, 'session-secret'), secret, { mode: 0o600 });
      mkdirSync(path.join(dirA, 'keys'));
      writeFileSync(path.join(dirA, 'keys', 'audit.key'), 'audit-key-bytes', { mode: 0o600 });
      // The audit chain's key, where a server on the embedded database keeps it: the archive must carry it.
      writeFileSync(path.join(dirA, 'audit-key'), TEST_AUDIT_KEY, { mode: 0o600 });
      const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
      // The "server": holds the folder's lock, listens, and leaves server.json for the CLI.
      const release = acquireDataLock(dirA);
      const src = await start(
        testConfig({ dataDir: dirA, sessionSecret: secret, auditKey: Buffer.from(TEST_AUDIT_KEY) }),
        await openPglite({ dataDir: path.join(dirA, 'pglite'), loadDataDir: template }),
      );
      closers.push(async () => (await src.close(), release()));
      const made = await fill(src);
      await src.app.listen({ port: 0, host: '127.0.0.1' });
      const unpublish = publishLocalControl(src.config, (src.app.server.address() as { port: number }).port);
      closers.push(async () => unpublish());

      // The real CLI, in its own process: it cannot take the lock, so it asks the server.
      const archive = path.join(fresh('out'), 'b.tar');
      // Asynchronously: this process must keep serving the snapshot request meanwhile.
      const cli = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'server/src/cli/backup.ts'), archive],
        {
          cwd: ROOT,
          env: { ...withoutDatabaseUrl(process.env), DATA_DIR: dirA },
          encoding: 'utf8',
        },
      );
      expect(cli.stdout).toMatch(/asking it for a snapshot/);
      expect(cli.stdout).toMatch(/backup written/);
      const { manifest, entries } = await readManifest(archive);
      expect(manifest.dbKind).toBe('pglite');
      expect(manifest.uploads.files).toBe(1);
      expect(manifest.dataFiles.sort()).toEqual(['audit-key', 'keys/audit.key', 'session-secret']);
      expect(entries.map((e) => e.name)).not.toContain('data/server.json');

      // Restore into an empty folder; a second restore into it is refused.
      const dirB = fresh('dst');
      expect(await runRestore([archive], { DATA_DIR: dirB }, quiet)).toBe(0);
      const errors: string[] = [];
      expect(
        await runRestore([archive], { DATA_DIR: dirB }, { log: () => undefined, error: (l) => errors.push(l) }),
      ).toBe(1);
      expect(errors.join('\n')).toMatch(/already holds a database/);
      expect(readFileSync(path.join(dirB, 'session-secret'), 'utf8')).toBe(secret);
      expect(readFileSync(path.join(dirB, 'keys', 'audit.key'), 'utf8')).toBe('audit-key-bytes');
      expect(await runAuditVerify({ DATA_DIR: dirB }, quiet)).toBe(0);

      const dst = await start(
        testConfig({ dataDir: dirB, sessionSecret: readFileSync(path.join(dirB, 'session-secret'), 'utf8') }),
        await openPglite({ dataDir: path.join(dirB, 'pglite') }),
      );
      closers.push(() => dst.close());
      await checkRestored(src, dst, made);
      // The restored copy is independent: a write there does not reach the original.
      await dst.database.query(`INSERT INTO unit_categories(code, name) VALUES ('ONLY_B', 'b')`);
      expect(await src.database.query(`SELECT 1 FROM unit_categories WHERE code = 'ONLY_B'`)).toHaveLength(0);
    },
  );

  it('backs up a folder no server holds by opening it itself', { timeout: 120_000 }, async () => {
    const dir = fresh('idle');
    const db = await openPglite({
      dataDir: path.join(dir, 'pglite'),
      loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]),
    });
    await db.query(`INSERT INTO units(code, name, kind) VALUES ('ROOT', '测试区', 'district')`);
    await db.close();
    const archive = path.join(fresh('out'), 'idle.tar');
    const lines: string[] = [];
    const code = await runBackup(
      [archive],
      { DATA_DIR: dir },
      { log: (l) => lines.push(l), error: (l) => lines.push(l) },
    );
    expect(code, lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toMatch(/taking the snapshot here/);
    expect(existsSync(path.join(dir, 'xiaoneng.lock'))).toBe(false);
    const target = fresh('idle-dst');
    expect(await runRestore([archive], { DATA_DIR: target }, quiet)).toBe(0);
    const restored = await openPglite({ dataDir: path.join(target, 'pglite') });
    expect(await restored.query(`SELECT code FROM units`)).toEqual([{ code: 'ROOT' }]);
    await restored.close();
  });
});

describe.skipIf(!pgUrl)('backup and restore (PostgreSQL: pg_dump / pg_restore)', () => {
  it('restores into a new empty database; refuses a database that is not empty', { timeout: 180_000 }, async () => {
    const admin = await openPostgres(pgUrl!, { max: 1 });
    const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const srcName = `xn_bk_src_${suffix}`;
    const dstName = `xn_bk_dst_${suffix}`;
    await admin.exec(`CREATE DATABASE ${srcName} TEMPLATE ${inject('pgTemplate')}`);
    await admin.exec(`CREATE DATABASE ${dstName} TEMPLATE template0`);
    closers.push(async () => {
      await admin.exec(`DROP DATABASE IF EXISTS ${srcName} WITH (FORCE)`);
      await admin.exec(`DROP DATABASE IF EXISTS ${dstName} WITH (FORCE)`);
      await admin.close();
    });
    const dirA = fresh('pg-src');
    const srcUrl = withDb(pgUrl!, srcName);
    const dstUrl = withDb(pgUrl!, dstName);
    const secret = 'the-shared-session-secret-0123456789abcdef';
    writeFileSync(path.join(dirA, 'pepper.key'), 'pepper', { mode: 0o600 });
    const src = await start(
      testConfig({ dataDir: dirA, sessionSecret: secret, dbKind: 'postgres', databaseUrl: srcUrl }),
      await openPostgres(srcUrl, { max: 3 }),
    );
    closers.push(() => src.close());
    const made = await fill(src);

    const archive = path.join(fresh('pg-out'), 'pg.tar');
    expect(await runBackup([archive], { DATA_DIR: dirA, DATABASE_URL: srcUrl }, quiet)).toBe(0);
    const { manifest } = await readManifest(archive);
    expect(manifest).toMatchObject({
      dbKind: 'postgres',
      database: { entry: 'database/postgres.dump' },
      uploads: { files: 1 },
      dataFiles: ['pepper.key'],
    });

    // A PostgreSQL backup is not restored into a PGlite folder, nor into a database that has tables.
    const errors: string[] = [];
    const err = { log: () => undefined, error: (l: string) => errors.push(l) };
    expect(await runRestore([archive], { DATA_DIR: fresh('pg-x') }, err)).toBe(1);
    expect(await runRestore([archive], { DATA_DIR: fresh('pg-y'), DATABASE_URL: srcUrl }, err)).toBe(1);
    expect(errors.join('\n')).toMatch(/DATABASE_URL[\s\S]*not empty/);

    const dirB = fresh('pg-dst');
    expect(await runRestore([archive], { DATA_DIR: dirB, DATABASE_URL: dstUrl }, quiet)).toBe(0);
    expect(readFileSync(path.join(dirB, 'pepper.key'), 'utf8')).toBe('pepper');
    expect(
      await runAuditVerify(
        {
          DATABASE_URL: dstUrl,
          AUDIT_KEY: TEST_AUDIT_KEY,
          QUERY_PEPPER: 'test-query-pepper-0123456789abcdef0123456789abcdef',
        },
        quiet,
      ),
    ).toBe(0);
    const dst = await start(
      testConfig({ dataDir: dirB, sessionSecret: secret, dbKind: 'postgres', databaseUrl: dstUrl }),
      await openPostgres(dstUrl, { max: 3 }),
    );
    closers.push(() => dst.close());
    await checkRestored(src, dst, made);
    // Sequences came along: a new row gets a fresh id, not a duplicate.
    await dst.database.query(`INSERT INTO unit_categories(code, name) VALUES ('AFTER', 'x')`);
  });
});
