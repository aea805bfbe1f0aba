/**
 * Backup and restore (`npm run backup`, `npm run restore`): one tar archive holding
 *
 *   manifest.json               what this is: format, time, database kind, contents
 *   database/pglite.tar.gz      PGlite: a consistent snapshot of the data folder's database, or
 *   database/postgres.dump      PostgreSQL: `pg_dump --format=custom` (a single-snapshot dump)
 *   uploads/<key>               the uploaded files (BLOB_STORE=fs; an S3 bucket is backed up by its own means)
 *   data/<file>                 every other file of DATA_DIR: the keys the data needs (session secret,
 *                               audit key, pepper file, checkpoints…) — all but the database folder,
 *                               the lock, server.json and uploads
 *
 * Consistency. The database is taken first and the files after: uploaded files are content-addressed
 * and written before the rows that name them, and never removed, so every file the database snapshot
 * refers to is in the archive. PostgreSQL's pg_dump reads one snapshot. PGlite is one process's
 * database: when no server holds the data folder the CLI opens it itself; when a server holds it
 * (the lock), the CLI asks that server for the snapshot over the loopback interface with the
 * per-process token the server left in DATA_DIR/server.json (mode 600: whoever may read the data
 * folder may back it up). The server takes it between transactions (PGlite's transaction lock),
 * after a CHECKPOINT, with `dumpDataDir`: a copy of the files at an instant no statement runs.
 */
import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config.js';
import { openPglite, openPostgres } from '../db/client.js';
import { acquireDataLock, LOCK_FILE, LockError } from '../lib/lockfile.js';
import { entryStream, listTar, tarWriter, type TarEntry } from './tar.js';

export const SERVER_FILE = 'server.json';
export const BACKUP_FORMAT = 'xiaoneng-backup';
/** Files and folders of DATA_DIR that are not copied as keys (the database, the lock, uploads, the running server's address). */
const NOT_KEYS = new Set(['pglite', 'uploads', LOCK_FILE, SERVER_FILE]);

export type BackupManifest = {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  dbKind: 'pglite' | 'postgres';
  database: { entry: string; bytes: number };
  uploads: { files: number; bytes: number; store: 'fs' | 's3' };
  dataFiles: string[];
};

export class BackupError extends Error {}

type Log = (line: string) => void;

// ------------------------------------------------------------ the running server's side (PGlite)

const LOCAL_TOKEN = randomBytes(32).toString('hex');

/** Whether a request may take a snapshot: from this machine, with this process's local token. */
export function localControlAuthorized(header: string | undefined, remoteAddress: string | undefined): boolean {
  const loopback = remoteAddress === '127.0.0.1' || remoteAddress === '::1' || remoteAddress === '::ffff:127.0.0.1';
  const m = /^Bearer\s+([0-9a-f]{64})$/i.exec(header ?? '');
  return loopback && !!m && timingSafeEqual(Buffer.from(m[1]), Buffer.from(LOCAL_TOKEN));
}

/**
 * Leaves DATA_DIR/server.json (mode 600) telling `npm run backup` where this server listens and its
 * local token; returns its removal, for shutdown.
 */
export function publishLocalControl(config: Config, port: number): () => void {
  const host = ['0.0.0.0', '::', '', 'localhost'].includes(config.host) ? '127.0.0.1' : config.host;
  const file = path.join(config.dataDir, SERVER_FILE);
  writeFileSync(
    file,
    JSON.stringify({
      pid: process.pid,
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      token: LOCAL_TOKEN,
    }),
    { mode: 0o600 },
  );
  return () => {
    try {
      const info = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number };
      if (info.pid === process.pid) unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
}

/** A consistent gzip'd tar of a PGlite database, taken when no transaction is open. */
export async function snapshotPglite(pglite: PGlite): Promise<Buffer> {
  await pglite.exec('CHECKPOINT'); // the data files up to date: less WAL to replay when the copy is opened
  // Under PGlite's transaction lock (statements outside transactions are atomic: dumpDataDir takes the query lock).
  const blob = await pglite._runExclusiveTransaction(() => pglite.dumpDataDir('gzip'));
  return Buffer.from(await blob.arrayBuffer());
}

// ------------------------------------------------------------ backup

async function pgliteDatabase(config: Config, log: Log): Promise<Buffer> {
  const folder = path.join(config.dataDir, 'pglite');
  if (!existsSync(path.join(folder, 'PG_VERSION'))) throw new BackupError(`没有找到数据库 / no database in ${folder}`);
  let release: () => void;
  try {
    release = acquireDataLock(config.dataDir);
  } catch (err) {
    if (!(err instanceof LockError)) throw err;
    return askRunningServer(config, log);
  }
  try {
    log('no server holds the data folder: taking the snapshot here');
    const database = await openPglite({ dataDir: folder });
    try {
      return await snapshotPglite(database.pglite!);
    } finally {
      await database.close();
    }
  } finally {
    release();
  }
}

async function askRunningServer(config: Config, log: Log): Promise<Buffer> {
  const file = path.join(config.dataDir, SERVER_FILE);
  if (!existsSync(file)) {
    throw new BackupError(
      `数据目录被一个服务进程占用，但没有找到 ${file}（服务可能仍在启动）。请稍后重试。 / The data folder is held by a server that has not published ${SERVER_FILE} yet (still starting?); try again shortly.`,
    );
  }
  const info = JSON.parse(readFileSync(file, 'utf8')) as { url: string; token: string };
  log(`a server holds the data folder: asking it for a snapshot (${info.url})`);
  let res: Response;
  try {
    res = await fetch(`${info.url}/api/ops/snapshot`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info.token}` },
    });
  } catch (err) {
    throw new BackupError(
      `持有数据目录的服务没有响应 / the server holding the data folder did not answer at ${info.url} (${(err as Error).cause ?? (err as Error).message}); is it running and listening?`,
    );
  }
  if (!res.ok) throw new BackupError(`the running server refused the snapshot: HTTP ${res.status} ${await res.text()}`);
  return Buffer.from(await res.arrayBuffer());
}

function run(cmd: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          err.code === 'ENOENT'
            ? `${cmd} 未安装 / ${cmd} is not installed: install the PostgreSQL client tools (same major version as the server or newer), e.g. apt-get install postgresql-client-15`
            : `${what}: ${err.message}`,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new BackupError(`${what} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

function* walk(root: string, rel = ''): Generator<string> {
  const dir = path.join(root, rel);
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) yield* walk(root, r);
    else if (e.isFile() && !e.name.endsWith('.tmp')) yield r;
  }
}

/** Writes a backup archive of the configured installation to `file` (written to a temporary name, then renamed). */
export async function createBackup(opts: { config: Config; file: string; log?: Log }): Promise<BackupManifest> {
  const { config } = opts;
  const log = opts.log ?? (() => undefined);
  const file = path.resolve(opts.file);
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
  const tmpDump = path.join(tmpdir(), `xn-dump-${randomBytes(6).toString('hex')}.dump`);
  const out = createWriteStream(partial, { mode: 0o600 });
  const tar = tarWriter(out);
  try {
    // 1. The database, first (see the consistency note above).
    let dbEntry: { entry: string; bytes: number };
    if (config.dbKind === 'postgres') {
      log('database: pg_dump --format=custom');
      await run(
        'pg_dump',
        ['--format=custom', '--no-owner', '--no-privileges', `--file=${tmpDump}`, `--dbname=${config.databaseUrl}`],
        'pg_dump',
      );
      const size = statSync(tmpDump).size;
      await tar.addStream('database/postgres.dump', size, createReadStream(tmpDump), 0o600);
      dbEntry = { entry: 'database/postgres.dump', bytes: size };
    } else {
      const bytes = await pgliteDatabase(config, log);
      await tar.addBuffer('database/pglite.tar.gz', bytes, 0o600);
      dbEntry = { entry: 'database/pglite.tar.gz', bytes: bytes.length };
    }
    log(`database: ${(dbEntry.bytes / 1024 / 1024).toFixed(1)} MB`);
    // 2. Uploaded files.
    let files = 0;
    let bytes = 0;
    if (config.blobStore === 'fs') {
      const root = path.join(config.dataDir, 'uploads');
      for (const rel of walk(root)) {
        const p = path.join(root, rel);
        const size = statSync(p).size;
        await tar.addStream(`uploads/${rel}`, size, createReadStream(p), 0o640);
        files++;
        bytes += size;
      }
      log(`uploads: ${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    } else {
      log(
        'uploads: BLOB_STORE=s3, not in this archive (back the bucket up with the object store: versioning or replication)',
      );
    }
    // 3. Keys and other files of the data folder.
    const dataFiles: string[] = [];
    for (const rel of walk(config.dataDir)) {
      if (NOT_KEYS.has(rel.split('/')[0]) || path.resolve(config.dataDir, rel) === file || rel.endsWith('.partial'))
        continue;
      await tar.addBuffer(`data/${rel}`, await readFile(path.join(config.dataDir, rel)), 0o600);
      dataFiles.push(rel);
    }
    log(`data folder files (keys): ${dataFiles.join(', ') || 'none'}`);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      dbKind: config.dbKind,
      database: dbEntry,
      uploads: { files, bytes, store: config.blobStore },
      dataFiles,
    };
    await tar.addBuffer('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
    await tar.end();
    await rename(partial, file);
    return manifest;
  } catch (err) {
    out.destroy();
    await rm(partial, { force: true });
    throw err;
  } finally {
    await rm(tmpDump, { force: true });
  }
}

// ------------------------------------------------------------ restore

const SAFE_REL = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function safeRel(rel: string): string {
  if (!SAFE_REL.test(rel) || rel.split('/').some((s) => s === '.' || s === '..'))
    throw new BackupError(`unsafe path in archive: ${rel}`);
  return rel;
}

const entryBytes = async (file: string, e: TarEntry): Promise<Buffer> => {
  if (e.size === 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const c of entryStream(file, e)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

/** Reads an archive's manifest (and checks it is one of ours). */
export async function readManifest(file: string): Promise<{ manifest: BackupManifest; entries: TarEntry[] }> {
  const entries = await listTar(file);
  const m = entries.find((e) => e.name === 'manifest.json');
  if (!m) throw new BackupError(`${file} 不是效能备份文件 / is not a Xiaoneng backup (no manifest.json)`);
  const manifest = JSON.parse((await entryBytes(file, m)).toString('utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== 1)
    throw new BackupError(`${file}: unknown backup format ${manifest.format} v${manifest.version}`);
  return { manifest, entries };
}

/**
 * Restores an archive into the configured place: an empty data folder (PGlite), or an empty
 * PostgreSQL database (DATABASE_URL) plus the data folder for uploads and keys. Refuses, before
 * writing anything, a target that already has a database or a file that differs from the archive's.
 */
export async function restoreBackup(opts: { config: Config; file: string; log?: Log }): Promise<BackupManifest> {
  const { config } = opts;
  const log = opts.log ?? (() => undefined);
  const file = path.resolve(opts.file);
  const { manifest, entries } = await readManifest(file);
  if (manifest.dbKind !== config.dbKind) {
    throw new BackupError(
      manifest.dbKind === 'pglite'
        ? '这是内置数据库（PGlite）的备份，只能恢复到未设置 DATABASE_URL 的数据目录。 / This is a backup of the embedded database (PGlite): restore it into a data folder without DATABASE_URL.'
        : '这是 PostgreSQL 数据库的备份，恢复时须设置 DATABASE_URL（指向一个空数据库）。 / This is a PostgreSQL backup: set DATABASE_URL to an empty database to restore it.',
    );
  }
  const dbEntry = entries.find((e) => e.name === manifest.database.entry);
  if (!dbEntry) throw new BackupError(`${file}: ${manifest.database.entry} missing`);
  // Where each file goes; checked before anything is written.
  const placed: { e: TarEntry; dest: string }[] = [];
  for (const e of entries) {
    if (e.name.startsWith('uploads/'))
      placed.push({ e, dest: path.join(config.dataDir, 'uploads', ...safeRel(e.name.slice(8)).split('/')) });
    else if (e.name.startsWith('data/')) {
      const rel = safeRel(e.name.slice(5));
      if (NOT_KEYS.has(rel.split('/')[0])) throw new BackupError(`unexpected data file in archive: ${rel}`);
      placed.push({ e, dest: path.join(config.dataDir, ...rel.split('/')) });
    }
  }
  const conflicts: string[] = [];
  for (const p of placed) {
    if (existsSync(p.dest) && !(await entryBytes(file, p.e)).equals(readFileSync(p.dest))) conflicts.push(p.dest);
  }
  if (conflicts.length) {
    throw new BackupError(
      `目标数据目录中已有不同的文件 / the target data folder already has different files: ${conflicts.slice(0, 5).join(', ')}`,
    );
  }
  mkdirSync(config.dataDir, { recursive: true });
  const release = config.dbKind === 'pglite' ? acquireDataLock(config.dataDir) : () => undefined;
  try {
    if (config.dbKind === 'pglite') {
      const folder = path.join(config.dataDir, 'pglite');
      if (existsSync(folder) && readdirSync(folder).length)
        throw new BackupError(`目标已有数据库 / ${folder} already holds a database: restore into an empty data folder`);
      log('database: loading the PGlite snapshot');
      const pg = await PGlite.create({
        dataDir: folder,
        loadDataDir: new Blob([new Uint8Array(await entryBytes(file, dbEntry))]),
      });
      await pg.query('SELECT count(*) FROM schema_migrations');
      await pg.close();
    } else {
      const database = await openPostgres(config.databaseUrl!, { max: 1 });
      try {
        const [{ n }] = await database.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' AND c.relkind IN ('r','S','v','m')`,
        );
        if (n > 0)
          throw new BackupError(
            '目标数据库不是空的 / the target PostgreSQL database is not empty: create a new one (createdb) and point DATABASE_URL at it',
          );
      } finally {
        await database.close();
      }
      const tmpDump = path.join(tmpdir(), `xn-restore-${randomBytes(6).toString('hex')}.dump`);
      try {
        await pipeline(entryStream(file, dbEntry), createWriteStream(tmpDump, { mode: 0o600 }));
        log('database: pg_restore --single-transaction');
        await run(
          'pg_restore',
          [
            '--no-owner',
            '--no-privileges',
            '--exit-on-error',
            '--single-transaction',
            `--dbname=${config.databaseUrl}`,
            tmpDump,
          ],
          'pg_restore',
        );
      } finally {
        await rm(tmpDump, { force: true });
      }
    }
    for (const p of placed) {
      if (existsSync(p.dest)) continue; // identical (checked above)
      mkdirSync(path.dirname(p.dest), { recursive: true });
      if (p.e.size === 0) await writeFile(p.dest, Buffer.alloc(0), { mode: p.e.mode & 0o777 });
      else await pipeline(entryStream(file, p.e), createWriteStream(p.dest, { mode: p.e.mode & 0o777 }));
    }
    log(`files: ${manifest.uploads.files} uploads, data folder files: ${manifest.dataFiles.join(', ') || 'none'}`);
    return manifest;
  } finally {
    release();
  }
}
