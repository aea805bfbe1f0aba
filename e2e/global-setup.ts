import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/** Starts one real server (built web app, fresh PGlite folder, demo seed) for the e2e run. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xn-e2e-'));
  const port = 3400 + Math.floor(Math.random() * 400);
  // A stand-in SMS gateway: keeps what the server sends, so a test can open a link a citizen received.
  const sms: unknown[] = [];
  const gateway = createServer((req, res) => {
    if (req.method === 'GET') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(sms));
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        sms.push(JSON.parse(body));
      } catch {
        // not JSON: ignore
      }
      res.end('{}');
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  const smsUrl = `http://127.0.0.1:${(gateway.address() as { port: number }).port}/sms`;
  // Always the embedded database, whatever the calling shell has set.
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: {
      ...env,
      DATA_DIR: dataDir,
      PORT: String(port),
      SEED_DEMO: 'true',
      SERVICES_DEMO_APPLICATIONS: '12000', // the demo's 30,000 add start-up time and no journey needs them
      LOG_LEVEL: 'warn',
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: smsUrl,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 240_000) throw new Error('server did not start within 240 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`e2e server ready on ${baseUrl} in ${Date.now() - started} ms`);
  project.provide('baseUrl', baseUrl);
  project.provide('smsUrl', smsUrl);
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    gateway.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The stand-in SMS gateway: GET answers every message the server sent ({ phone, template, params, body }). */
    smsUrl: string;
  }
}
