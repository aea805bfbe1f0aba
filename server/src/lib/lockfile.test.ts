import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataLock, LOCK_FILE, LOCK_STALE_MS, LockError, readLock } from './lockfile.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'xn-lock-'));
const lockOf = (dir: string) => path.join(dir, LOCK_FILE);
const write = (dir: string, owner: object, ageMs = 0) => {
  writeFileSync(lockOf(dir), JSON.stringify(owner));
  const t = new Date(Date.now() - ageMs);
  utimesSync(lockOf(dir), t, t);
};

describe('data-folder lock: stale detection by PID and host', () => {
  it('writes who holds it (PID, host) and removes it on release', () => {
    const dir = tmp();
    const release = acquireDataLock(dir);
    expect(readLock(lockOf(dir))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => acquireDataLock(dir)).not.toThrow(); // this very process (a restarted container with the same PID)
    release();
    expect(existsSync(lockOf(dir))).toBe(false);
  });

  it('refuses a folder held by a live Node.js process on this host', () => {
    const dir = tmp();
    write(dir, { pid: process.ppid, host: hostname(), startedAt: new Date().toISOString() });
    expect(() => acquireDataLock(dir)).toThrow(LockError);
    expect(() => acquireDataLock(dir)).toThrow(/正被另一个效能服务进程/);
  });

  it('takes over a lock whose PID is dead, or reused by a process that is not Node.js', async () => {
    const dir = tmp();
    write(dir, { pid: 999_999_999, host: hostname(), startedAt: null });
    acquireDataLock(dir)();
    // A live PID that belongs to something else (here `sleep`): a copied folder whose PID was reused.
    const other = spawn('sleep', ['30']);
    try {
      await new Promise((r) => other.once('spawn', r));
      write(dir, { pid: other.pid, host: hostname(), startedAt: null });
      const release = acquireDataLock(dir);
      expect(readLock(lockOf(dir))?.pid).toBe(process.pid);
      release();
    } finally {
      other.kill();
    }
  });

  it('a folder copied from another host starts once the other holder stopped refreshing the lock', () => {
    const dir = tmp();
    // Fresh heartbeat from another machine (a shared disk): still held, and the message names the host.
    write(dir, { pid: process.ppid, host: 'other-host.example', startedAt: null }, 5_000);
    expect(() => acquireDataLock(dir)).toThrow(/other-host\.example/);
    // The same lock, not refreshed for longer than the stale limit: a copy, taken over.
    write(dir, { pid: process.ppid, host: 'other-host.example', startedAt: null }, LOCK_STALE_MS + 1_000);
    const release = acquireDataLock(dir);
    expect(readLock(lockOf(dir))).toMatchObject({ pid: process.pid, host: hostname() });
    release();
  });

  it('reads the old lock format (a bare PID) as a lock of this host', () => {
    const dir = tmp();
    writeFileSync(lockOf(dir), String(process.ppid));
    expect(() => acquireDataLock(dir)).toThrow(LockError);
    writeFileSync(lockOf(dir), '999999999');
    acquireDataLock(dir)();
    expect(existsSync(lockOf(dir))).toBe(false);
  });
});
