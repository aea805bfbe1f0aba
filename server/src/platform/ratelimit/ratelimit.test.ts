import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { DEFAULT_SECURITY } from '../../config.js';
import { createTestEnv, testConfig, type TestEnv } from '../../test/helpers.js';
import { clearRateCounters, countHit, hitsInWindow, purgeRateCounters, windowStart } from './index.js';

let env: TestEnv;
const security = { ...DEFAULT_SECURITY, publicRequestsPerMinute: 3 };

beforeAll(async () => {
  env = await createTestEnv({ security });
});
afterAll(async () => env?.close());

describe('the shared rate counters', () => {
  it('count per subject and fixed window, and say how long until the window ends', async () => {
    const db = env.database.db;
    const t = Date.UTC(2026, 11, 6, 8, 0, 10); // 10 s into a minute
    expect(windowStart(60, t).toISOString()).toBe('2026-12-06T08:00:00.000Z');
    expect(await countHit(db, 'x:a', 60, t)).toEqual({ hits: 1, retryAfter: 50 });
    expect((await countHit(db, 'x:a', 60, t + 5_000)).hits).toBe(2);
    expect((await countHit(db, 'x:b', 60, t)).hits).toBe(1); // another subject
    expect((await countHit(db, 'x:a', 60, t + 50_000)).hits).toBe(1); // the next minute
    expect(await hitsInWindow(db, 'x:a', 60, t)).toBe(2);
    await purgeRateCounters(db, new Date(t + 50_000));
    expect(await hitsInWindow(db, 'x:a', 60, t)).toBe(0);
    expect(await hitsInWindow(db, 'x:a', 60, t + 50_000)).toBe(1);
    await clearRateCounters(db, 'x:');
    expect(await hitsInWindow(db, 'x:a', 60, t + 50_000)).toBe(0);
  });
});

describe('the public APIs’ per-address allowance', () => {
  it('refuses an address past its minute on every instance, with Retry-After, and leaves others and staff routes alone', async () => {
    await clearRateCounters(env.database.db, 'public:');
    const second = await buildApp({ config: testConfig({ security }), database: env.database, logger: false });
    await second.ready();
    try {
      const from = { remoteAddress: '10.1.2.3' };
      const codes: number[] = [];
      let last = null as Awaited<ReturnType<typeof env.app.inject>> | null;
      for (let i = 0; i < 4; i++) {
        last = await (i % 2 ? second : env.app).inject({ method: 'GET', url: '/api/public/case-categories', ...from });
        codes.push(last.statusCode);
      }
      // Two requests per instance: only counting across instances reaches the limit of 3.
      expect(codes).toEqual([200, 200, 200, 429]);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      expect(last!.json().error.message).toMatch(/频繁|too many/i);
      const other = await env.app.inject({
        method: 'GET',
        url: '/api/public/case-categories',
        remoteAddress: '10.1.2.4',
      });
      expect(other.statusCode).toBe(200);
      // Routes outside /api/public are not counted.
      const me = await env.app.inject({ method: 'GET', url: '/api/auth/me', ...from });
      expect(me.statusCode).toBe(401);
    } finally {
      await second.close();
    }
  });
});
