/**
 * The one job runner. Every periodic or on-demand job of every module runs here, started and stopped in
 * one place (main.ts). Several instances may run it against one database: a job runs only on the
 * instance holding its lease in the `jobs` table (jobs.repo `acquireDue`: one atomic UPDATE that
 * succeeds only while no lease is held or the last one lapsed), renewed by a heartbeat while it runs;
 * the next run is scheduled in the same row, so two instances started together run a job once per
 * schedule. Works the same on PGlite and PostgreSQL (no session-bound advisory locks).
 */
import { hostname } from 'node:os';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { recordJobRun } from '../metrics.js';
import * as repo from './jobs.repo.js';
import type { JobContext, JobDefinition } from './types.js';

type Log = JobContext['log'];
/** The runner's logger: pino's `child` is used when present, so each line names its job. */
export type RunnerLog = Log & { child?(bindings: object): Log };

export type JobRunner = {
  /** This instance's lease owner id. */
  owner: string;
  /** Asks for a run of the job now (on whichever instance takes it first; usually this one). Throws for an unknown job. */
  runNow(name: string): Promise<void>;
  /** Looks for due jobs now (the runner also does so every `pollMs`). */
  tick(): Promise<void>;
  /** Resolves when no job runs on this instance. */
  idle(): Promise<void>;
  /** Stops taking jobs, aborts the running ones through their signal and waits for them (up to `stopGraceMs`). */
  stop(): Promise<void>;
};

export type JobRunnerOptions = {
  database: Database;
  config: Config;
  log: RunnerLog;
  jobs: readonly JobDefinition[];
  /** How often to look for due jobs and runs asked for by other instances (default 1 s). */
  pollMs?: number;
  /** Longest wait for running jobs on stop (default 30 s); their leases lapse if they never end. */
  stopGraceMs?: number;
  /** Lease owner id (default host:pid:random). */
  owner?: string;
};

/** Lease of a job that names none: renewed every third of it while the job runs. */
export const DEFAULT_LEASE_MS = 60_000;
const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

const localRunners = new Set<JobRunner>();

/** Makes every runner of this process look for due jobs at once (after a run was asked for through the API). */
export function pokeJobRunners(): void {
  for (const r of localRunners) void r.tick();
}

/** Whether `name` has the shape of a job name (`<module>.<job>`). */
export const isJobName = (name: string) => NAME.test(name);

/** Starts the runner; call `stop()` before the database closes. */
export function startJobRunner(opts: JobRunnerOptions): JobRunner {
  const defs = new Map<string, JobDefinition>();
  for (const j of opts.jobs) {
    if (!NAME.test(j.name)) throw new Error(`job name "${j.name}" is not <module>.<job>`);
    if (defs.has(j.name)) throw new Error(`job "${j.name}" is declared twice`);
    defs.set(j.name, j);
  }
  const db = opts.database.db;
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  const jobLog = (name: string): Log =>
    opts.log.child?.({ job: name }) ?? {
      info: (o, m) => opts.log.info({ job: name, ...o }, m),
      warn: (o, m) => opts.log.warn({ job: name, ...o }, m),
      error: (o, m) => opts.log.error({ job: name, ...o }, m),
    };
  let stopping = false;
  let ticking: Promise<void> | null = null;
  const registered = repo.registerJobs(
    db,
    [...defs.values()].map((d) => ({
      name: d.name,
      titleZh: d.title.zh,
      titleEn: d.title.en,
      everyMs: d.everyMs ?? null,
    })),
  );

  const runJob = async (def: JobDefinition, abort: AbortController): Promise<void> => {
    const log = jobLog(def.name);
    const leaseMs = def.leaseMs ?? DEFAULT_LEASE_MS;
    const started = performance.now();
    const beat = setInterval(
      () => {
        repo.heartbeat(db, owner, def.name, leaseMs).then(
          (held) => {
            if (held || abort.signal.aborted) return;
            log.error({ job: def.name }, 'job lease lost: another instance may run it; stopping this run');
            abort.abort(new Error('lease lost'));
          },
          (err: unknown) => log.warn({ job: def.name, err }, 'job heartbeat failed'),
        );
      },
      Math.max(10, Math.floor(leaseMs / 3)),
    );
    let status: 'ok' | 'failed' | 'aborted' = 'ok';
    let result: Record<string, unknown> | null = null;
    let error: string | null = null;
    try {
      const ctx: JobContext = {
        database: opts.database,
        config: opts.config,
        log,
        signal: abort.signal,
        progress: (fraction, message) =>
          repo.reportProgress(db, owner, def.name, Math.min(1, Math.max(0, fraction)), message ?? null),
      };
      result = (await def.run(ctx)) ?? null;
      if (abort.signal.aborted) status = 'aborted';
    } catch (err) {
      status = abort.signal.aborted ? 'aborted' : 'failed';
      error = err instanceof Error ? err.message : String(err);
      if (status === 'failed') log.error({ job: def.name, err }, `job ${def.name} failed`);
      else log.warn({ job: def.name, err: error }, `job ${def.name} aborted`);
    } finally {
      clearInterval(beat);
    }
    const durationMs = performance.now() - started;
    recordJobRun(def.name, status, durationMs / 1000); // /metrics: xn_job_runs_total, xn_job_duration_seconds
    try {
      const held = await repo.finishRun(db, owner, def.name, { status, durationMs, result, error });
      if (!held) log.warn({ job: def.name }, 'job finished after its lease was lost; its run was not recorded');
    } catch (err) {
      log.error({ job: def.name, err }, 'could not record the end of a job run');
    }
  };

  const tick = (): Promise<void> => {
    if (stopping) return Promise.resolve();
    ticking ??= (async () => {
      try {
        await registered;
        const candidates = [...defs.values()]
          .filter((d) => !running.has(d.name))
          .map((d) => ({ name: d.name, leaseMs: d.leaseMs ?? DEFAULT_LEASE_MS }));
        const taken = stopping ? [] : await repo.acquireDue(db, owner, candidates);
        for (const name of taken) {
          const abort = new AbortController();
          const done = runJob(defs.get(name)!, abort).finally(() => running.delete(name));
          running.set(name, { done, abort });
        }
      } catch (err) {
        opts.log.error({ err }, 'job runner: looking for due jobs failed');
      } finally {
        ticking = null;
      }
    })();
    return ticking;
  };

  const timer = setInterval(() => void tick(), opts.pollMs ?? 1000);
  timer.unref();
  const runner: JobRunner = {
    owner,
    tick,
    async runNow(name) {
      if (!defs.has(name)) throw new Error(`unknown job "${name}"`);
      await registered;
      await repo.requestRun(db, name);
      // A look already under way may have read the jobs before the request: wait for it, then look again.
      await ticking;
      await tick();
    },
    async idle() {
      while (running.size) await Promise.all([...running.values()].map((r) => r.done));
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      localRunners.delete(runner);
      await ticking;
      for (const r of running.values()) r.abort.abort(new Error('shutting down'));
      let grace: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        runner.idle().then(() => true),
        new Promise<false>((resolve) => (grace = setTimeout(() => resolve(false), opts.stopGraceMs ?? 30_000))),
      ]);
      clearTimeout(grace);
      if (!waited)
        opts.log.warn(
          { jobs: [...running.keys()] },
          'job runner stopped with jobs still running; their leases will lapse',
        );
      await registered.catch(() => undefined);
    },
  };
  localRunners.add(runner);
  registered.catch((err: unknown) => opts.log.error({ err }, 'job runner: registering the jobs failed'));
  void tick();
  return runner;
}
