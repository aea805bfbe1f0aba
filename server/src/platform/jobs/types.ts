import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';

/** What a job's run gets: the database, the configuration, a logger bound to the job, and a progress reporter. */
export type JobContext = {
  database: Database;
  config: Config;
  log: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
  };
  /** Reports progress of a long run (0..1, with an optional message); shown to the admin. */
  progress(fraction: number, message?: string): Promise<void>;
  /** Aborted when the instance shuts down: long jobs check it between steps. */
  signal: AbortSignal;
};

/**
 * A periodic or on-demand job, declared in its module's manifest (`jobs`). The runner guarantees that
 * one instance at a time runs a given job, whatever the number of instances.
 */
export type JobDefinition = {
  /** Unique, dotted: `<module>.<job>`, e.g. `reporting.reminders`. */
  name: string;
  /** Chinese and English label for the admin's jobs page. */
  title: { zh: string; en: string };
  /** Run every N milliseconds (measured from the end of the last run). Omit for on-demand jobs. */
  everyMs?: number;
  /**
   * How long the job's lease holds without renewal (default 60 s). The runner renews it every third of
   * this while the job runs, so it lapses — and another instance may take the job over — only when the
   * instance running it died or stalled that long.
   */
  leaseMs?: number;
  /** The work. Its result (a small JSON object) is kept as the last run's result. */
  run(ctx: JobContext): Promise<Record<string, unknown> | void>;
};
