import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export class LockError extends Error {}

/** What a lock file says: who holds the folder. Old lock files hold only a PID (then `host` is null). */
export type LockOwner = { pid: number; host: string | null; startedAt: string | null };

export const LOCK_FILE = 'xiaoneng.lock';
/** A holder touches its lock file this often, so a lock from another host can be judged by its age. */
export const LOCK_HEARTBEAT_MS = 30_000;
/** A lock from another host whose last heartbeat is older than this is stale (three missed beats). */
export const LOCK_STALE_MS = 3 * LOCK_HEARTBEAT_MS;

/**
 * Takes an exclusive lock file in the data folder: PGlite has no lock between processes, and two
 * servers on one folder would silently lose writes. A stale lock is taken over without anyone
 * deleting it by hand (`lockIsStale`): a folder copied from another machine or a container, or left
 * by a process that died, starts normally. While held, the file's time is refreshed every 30 s.
 */
export function acquireDataLock(dataDir: string, opts: { now?: () => number } = {}): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      const beat = setInterval(() => {
        const t = new Date();
        try {
          utimesSync(file, t, t);
        } catch {
          /* the folder went away: nothing to keep fresh */
        }
      }, LOCK_HEARTBEAT_MS);
      beat.unref();
      return () => {
        clearInterval(beat);
        const owner = readLock(file);
        if (owner && owner.pid === me.pid && (owner.host === null || owner.host === me.host)) unlinkSync(file);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readLock(file);
      let ageMs = 0;
      try {
        ageMs = (opts.now?.() ?? Date.now()) - statSync(file).mtimeMs;
      } catch {
        continue; // removed meanwhile: try again
      }
      if (owner && !lockIsStale(owner, ageMs)) {
        const where = owner.host && owner.host !== me.host ? `主机 ${owner.host} 上的` : '';
        const whereEn = owner.host && owner.host !== me.host ? ` on host ${owner.host}` : '';
        throw new LockError(
          `数据目录 ${dataDir} 正被另一个效能服务进程（${where}PID ${owner.pid}）使用，不能同时启动两个服务。\n` +
            `The data folder ${dataDir} is in use by another Xiaoneng process (PID ${owner.pid}${whereEn}); stop it first or use another DATA_DIR.`,
        );
      }
      unlinkSync(file); // stale: its holder is gone
    }
  }
  throw new LockError(`could not lock ${file}`);
}

/** Reads a lock file (JSON, or an old one holding only the PID); null when unreadable or empty. */
export function readLock(file: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text), host: null, startedAt: null };
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && v.pid > 0)
      return { pid: v.pid, host: typeof v.host === 'string' ? v.host : null, startedAt: v.startedAt ?? null };
  } catch {
    /* torn or foreign content */
  }
  return null;
}

/**
 * Whether a lock can be taken over. On this host (or an old lock without a host) the PID decides: a
 * process that no longer exists, or this very process (a container restarted with the same PID), or
 * a live process that is not a Node.js process (the PID was reused after a reboot or a copy) does not
 * hold it. A lock written on another host cannot be checked by PID — the folder was copied, or is on
 * a shared disk: it is stale when its holder stopped refreshing it (older than LOCK_STALE_MS).
 */
export function lockIsStale(
  owner: LockOwner,
  ageMs: number,
  here: { host: string; pid: number } = { host: hostname(), pid: process.pid },
): boolean {
  if (owner.host !== null && owner.host !== here.host) return ageMs > LOCK_STALE_MS;
  if (owner.pid === here.pid) return true;
  if (!isAlive(owner.pid)) return true;
  return !looksLikeNode(owner.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Linux: the command line of a process. Elsewhere (no /proc) a live PID counts as the holder.
function looksLikeNode(pid: number): boolean {
  const proc = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    const cmd = readFileSync(proc, 'utf8');
    return /node|tsx|bun|deno/i.test(cmd);
  } catch {
    return true; // cannot tell (permissions): be safe
  }
}
