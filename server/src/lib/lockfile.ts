import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export class LockError extends Error {}

/**
 * Takes an exclusive lock file in the data folder: PGlite has no lock between processes, and two
 * servers on one folder would silently lose writes. A lock left by a dead process is taken over.
 */
export function acquireDataLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'xiaoneng.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (existsSync(file) && readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new LockError(
          `数据目录 ${dataDir} 正被另一个效能服务进程（PID ${pid}）使用，不能同时启动两个服务。\n` +
            `The data folder ${dataDir} is in use by another Xiaoneng server (PID ${pid}); stop it first or use another DATA_DIR.`,
        );
      }
      unlinkSync(file); // stale lock from a process that is gone
    }
  }
  throw new LockError(`could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
