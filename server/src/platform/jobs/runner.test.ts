import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../db/client.js';
import { casestatsModule } from '../../modules/casestats/index.js';
import { withDb } from '../../test/global-setup.js';
import { createTestEnv, testConfig, type TestEnv } from '../../test/helpers.js';
import { startJobRunner, type JobRunner } from './runner.js';
import type { JobDefinition } from './types.js';

const caseStatsJobs = casestatsModule.jobs ?? [];

let env: TestEnv;
/** A second handle on the same database, as a second instance has (on PostgreSQL its own pool; PGlite has one connection). */
let second: Database;
type Log = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};
const quiet: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const runners: JobRunner[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  const url = process.env.TEST_DATABASE_URL;
  if (url && env.database.kind === 'postgres') {
    const [{ db }] = await env.database.query<{ db: string }>('SELECT current_database() AS db');
    second = await openPostgres(withDb(url, db), { max: 3 });
  } else {
    second = env.database;
  }
});
afterAll(async () => {
  if (second && second !== env.database) await second.close();
  await env?.close();
});
beforeEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await env.database.query('DELETE FROM jobs');
});

function start(database: Database, jobs: JobDefinition[], extra: { owner?: string; log?: Log } = {}) {
  const r = startJobRunner({
    database,
    config: testConfig(),
    log: extra.log ?? quiet,
    jobs,
    pollMs: 20,
    owner: extra.owner,
  });
  runners.push(r);
  return r;
}
async function until(check: () => Promise<boolean> | boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}
type Row = {
  name: string;
  run_count: number;
  failure_count: number;
  last_status: string | null;
  last_error: string | null;
  last_result: unknown;
  last_duration_ms: number | null;
  next_run_at: Date | null;
  lease_owner: string | null;
  progress: number | null;
  progress_message: string | null;
};
const jobRow = async (name: string) => (await env.database.query<Row>('SELECT * FROM jobs WHERE name = $1', [name]))[0];

describe('job runner, two instances on one database', () => {
  it('started together, they run the statistics sync once per schedule', async () => {
    const sync = caseStatsJobs[0];
    const runs: string[] = [];
    let active = 0;
    let maxActive = 0;
    const counted = (instance: string): JobDefinition => ({
      ...sync,
      async run(ctx) {
        runs.push(instance);
        maxActive = Math.max(maxActive, ++active);
        try {
          await sleep(100); // a sync that takes a while, so that both instances look while it runs
          return await sync.run(ctx);
        } finally {
          active--;
        }
      },
    });
    start(env.database, [counted('a')], { owner: 'a' });
    start(second, [counted('b')], { owner: 'b' });
    await until(async () => (await jobRow('casestats.sync'))?.run_count === 1);
    await sleep(400); // both keep looking: nobody runs it again before its next run
    expect(runs).toHaveLength(1);
    const row = await jobRow('casestats.sync');
    expect(row).toMatchObject({
      run_count: 1,
      failure_count: 0,
      last_status: 'ok',
      lease_owner: null,
      last_result: { rows: 0, inputs: 0 },
    });
    const untilNext = new Date(row.next_run_at!).getTime() - Date.now();
    expect(untilNext).toBeGreaterThan(55_000);
    expect(untilNext).toBeLessThanOrEqual(60_000);
    // The next schedule comes: again exactly one run, by either instance.
    for (let round = 2; round <= 4; round++) {
      await env.database.query(`UPDATE jobs SET next_run_at = now() WHERE name = 'casestats.sync'`);
      await until(async () => (await jobRow('casestats.sync')).run_count === round);
      await sleep(150);
      expect(runs).toHaveLength(round);
    }
    expect(maxActive).toBe(1);
  });

  it('never runs a job on two instances at once, however often it is due', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const busy: JobDefinition = {
      name: 'test.busy',
      title: { zh: '测试', en: 'Test' },
      everyMs: 1, // always due
      async run() {
        runs++;
        maxActive = Math.max(maxActive, ++active);
        await sleep(30);
        active--;
      },
    };
    start(env.database, [busy], { owner: 'a' });
    start(second, [busy], { owner: 'b' });
    await until(() => runs >= 10);
    expect(maxActive).toBe(1);
  });

  it('takes over a job whose instance died (lease lapsed), not one whose lease holds', async () => {
    let ranAt = 0;
    const job: JobDefinition = {
      name: 'test.takeover',
      title: { zh: '测试', en: 'Test' },
      everyMs: 60_000,
      leaseMs: 200,
      run: async () => void (ranAt = Date.now()),
    };
    const [{ until: leaseEnd }] = await env.database.query<{ until: Date }>(
      `INSERT INTO jobs (name, every_ms, next_run_at, lease_owner, lease_until) VALUES ('test.takeover', 60000, now(), 'dead', now() + interval '600 milliseconds') RETURNING lease_until AS until`,
    );
    start(env.database, [job], { owner: 'alive' });
    await until(() => ranAt > 0);
    // Not before the dead instance's lease ran out (same clock: the database runs on this machine).
    expect(ranAt).toBeGreaterThanOrEqual(new Date(leaseEnd).getTime() - 5);
    await until(async () => (await jobRow('test.takeover')).lease_owner === null);
    expect((await jobRow('test.takeover')).run_count).toBe(1);
  });

  it('keeps the lease of a long run with its heartbeat', async () => {
    let runs = 0;
    const long: JobDefinition = {
      name: 'test.long',
      title: { zh: '测试', en: 'Test' },
      everyMs: 60_000,
      leaseMs: 600, // far shorter than the run: only the heartbeat keeps it
      async run() {
        runs++;
        await sleep(2500);
      },
    };
    start(env.database, [long], { owner: 'a' });
    start(second, [long], { owner: 'b' });
    await until(async () => (await jobRow('test.long'))?.run_count === 1, 8000);
    expect(runs).toBe(1);
  });
});

describe('job runner', () => {
  it('stores and logs a failure with the job name', async () => {
    const logged: { obj: Record<string, unknown>; msg?: string }[] = [];
    const log = {
      ...quiet,
      error: (obj: object, msg?: string) => void logged.push({ obj: obj as Record<string, unknown>, msg }),
    };
    const failing: JobDefinition = {
      name: 'test.failing',
      title: { zh: '测试', en: 'Test' },
      everyMs: 60_000,
      run: () => Promise.reject(new Error('gateway exploded')),
    };
    start(env.database, [failing], { log });
    await until(async () => (await jobRow('test.failing'))?.run_count === 1);
    expect(await jobRow('test.failing')).toMatchObject({
      last_status: 'failed',
      last_error: 'gateway exploded',
      failure_count: 1,
      lease_owner: null,
    });
    expect(logged).toHaveLength(1);
    expect(logged[0].obj.job).toBe('test.failing');
    expect(logged[0].msg).toContain('test.failing');
  });

  it('runs an on-demand job only when asked, and records its result, duration and progress', async () => {
    let runs = 0;
    const onDemand: JobDefinition = {
      name: 'test.on_demand',
      title: { zh: '测试', en: 'Test' },
      async run(ctx) {
        runs++;
        await ctx.progress(0.5, '一半 / half');
        await sleep(50);
        return { done: runs };
      },
    };
    const r = start(env.database, [onDemand]);
    await sleep(150);
    expect(runs).toBe(0);
    expect((await jobRow('test.on_demand')).next_run_at).toBeNull();
    await r.runNow('test.on_demand');
    await r.idle();
    expect(runs).toBe(1);
    const row = await jobRow('test.on_demand');
    expect(row).toMatchObject({
      run_count: 1,
      last_status: 'ok',
      last_result: { done: 1 },
      progress: 1,
      progress_message: '一半 / half',
      next_run_at: null,
    });
    expect(row.last_duration_ms).toBeGreaterThanOrEqual(45);
    await expect(r.runNow('test.nope')).rejects.toThrow(/unknown job/);
  });

  it('on stop, aborts a running job through its signal and waits for it', async () => {
    let ended = false;
    const looping: JobDefinition = {
      name: 'test.looping',
      title: { zh: '测试', en: 'Test' },
      everyMs: 60_000,
      async run(ctx) {
        let steps = 0;
        while (!ctx.signal.aborted) {
          steps++;
          await sleep(10);
        }
        ended = true;
        return { steps };
      },
    };
    const r = start(env.database, [looping]);
    await until(async () => (await jobRow('test.looping'))?.lease_owner === r.owner);
    await r.stop();
    expect(ended).toBe(true);
    const row = await jobRow('test.looping');
    expect(row).toMatchObject({ last_status: 'aborted', lease_owner: null, failure_count: 0 });
    // Due again at once, for another instance to finish.
    expect(new Date(row.next_run_at!).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('refuses badly named or duplicate jobs', () => {
    const job = { name: 'nodot', title: { zh: 'x', en: 'x' }, run: async () => undefined };
    expect(() => startJobRunner({ database: env.database, config: testConfig(), log: quiet, jobs: [job] })).toThrow(
      /<module>.<job>/,
    );
    const ok = { ...job, name: 'a.b' };
    expect(() => startJobRunner({ database: env.database, config: testConfig(), log: quiet, jobs: [ok, ok] })).toThrow(
      /twice/,
    );
  });
});
