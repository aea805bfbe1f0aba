import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runSeedCommand } from './seed.js';

const capture = () => {
  const lines: { log: string[]; error: string[] } = { log: [], error: [] };
  return { lines, out: { log: (l: string) => lines.log.push(l), error: (l: string) => lines.error.push(l) } };
};

describe('npm run seed', () => {
  it('refuses a data folder a running server holds, leaving its lock and database alone', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xn-seed-'));
    mkdirSync(path.join(dataDir, 'pglite'));
    // The parent process (the test runner) stands in for a live server.
    writeFileSync(path.join(dataDir, 'xiaoneng.lock'), String(process.ppid));
    const { lines, out } = capture();
    expect(await runSeedCommand({ DATA_DIR: dataDir }, out)).toBe(1);
    expect(lines.error.join('\n')).toMatch(/in use by another Xiaoneng (server|process)/);
    expect(existsSync(path.join(dataDir, 'xiaoneng.lock'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(false); // no database was created
  });

  // The whole demo (every module's seed) on a fresh PGlite folder: once, on the embedded database only.
  it.skipIf(!!process.env.TEST_DATABASE_URL)(
    'seeds a fresh data folder with every module, then says the demo is there on a second run',
    { timeout: 300_000 },
    async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xn-seed-'));
      const env = { DATA_DIR: dataDir };
      const before = process.env.SERVICES_DEMO_APPLICATIONS;
      process.env.SERVICES_DEMO_APPLICATIONS = '3000'; // the services seed reads it: fewer applications, same code
      onTestFinished(() => {
        if (before === undefined) delete process.env.SERVICES_DEMO_APPLICATIONS;
        else process.env.SERVICES_DEMO_APPLICATIONS = before;
      });
      const first = capture();
      expect(await runSeedCommand(env, first.out), first.lines.error.join('\n')).toBe(0);
      const seeded = first.lines.log.join('\n').split('demo data seeded: ')[1]?.split(', ') ?? [];
      for (const key of ['foundation', 'cases', 'scoring', 'supervision', 'evaluation', 'reports', 'services'])
        expect(seeded).toContain(key);
      const second = capture();
      expect(await runSeedCommand(env, second.out)).toBe(0);
      expect(second.lines.log.join('\n')).toMatch(/already seeded/);
    },
  );
});
