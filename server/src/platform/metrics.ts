/**
 * The process's Prometheus metrics (prom-client), served at `/metrics` when METRICS_TOKEN is set.
 * One registry per process: counters and histograms are incremented where things happen (HTTP in
 * app.ts, jobs by the job runner through `recordJobRun`); gauges that describe the database (pool
 * use, SMS outbox backlog) are read when Prometheus scrapes, by the hooks an app adds with
 * `onScrape`, so nothing polls between scrapes.
 */
import { timingSafeEqual } from 'node:crypto';
import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'xn_' });

/** HTTP requests by method, route pattern (`/api/cases/:id`, never the raw URL) and status. */
export const httpRequests = new client.Counter({
  name: 'xn_http_requests_total',
  help: 'HTTP requests served, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

/** Latency of HTTP requests by method and route pattern. */
export const httpDuration = new client.Histogram({
  name: 'xn_http_request_duration_seconds',
  help: 'HTTP request latency in seconds, by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Job runs by job name and outcome (`ok`, `failed`, or `aborted` by a shutdown). */
export const jobRuns = new client.Counter({
  name: 'xn_job_runs_total',
  help: 'Background job runs, by job name and outcome (ok, failed, aborted)',
  labelNames: ['job', 'outcome'] as const,
  registers: [registry],
});

/** Duration of job runs by job name. */
export const jobDuration = new client.Histogram({
  name: 'xn_job_duration_seconds',
  help: 'Background job run time in seconds, by job name',
  labelNames: ['job'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers: [registry],
});

/** Connections of the PostgreSQL pool by state (max, total, idle, waiting clients); read on scrape. */
export const dbPool = new client.Gauge({
  name: 'xn_db_pool_connections',
  help: 'PostgreSQL pool: configured max, open (total), idle connections and clients waiting for one',
  labelNames: ['state'] as const,
  registers: [registry],
});

/** Whether the database answered the scrape's query (1) or not (0). */
export const dbUp = new client.Gauge({
  name: 'xn_db_up',
  help: 'The database answered at scrape time (1) or not (0)',
  registers: [registry],
});

/** SMS outbox rows by status (pending, sending, failed); read on scrape. */
export const smsOutbox = new client.Gauge({
  name: 'xn_sms_outbox_messages',
  help: 'SMS outbox rows not yet sent, by status (pending, sending, failed)',
  labelNames: ['status'] as const,
  registers: [registry],
});

/** Counts one run of a background job (the job runner calls this after each run). */
export function recordJobRun(job: string, outcome: 'ok' | 'failed' | 'aborted', seconds: number): void {
  jobRuns.inc({ job, outcome });
  jobDuration.observe({ job }, seconds);
}

/** The label for a request's route: its pattern, hashed web assets folded into one, unmatched URLs as one. */
export function routeLabel(pattern: string | undefined): string {
  if (!pattern) return 'unmatched';
  if (pattern.startsWith('/assets/')) return '/assets/*';
  return pattern;
}

type ScrapeHook = () => Promise<void>;
const scrapeHooks = new Set<ScrapeHook>();

/** Adds work that sets gauges when Prometheus scrapes; returns its removal (call it when the app closes). */
export function onScrape(hook: ScrapeHook): () => void {
  scrapeHooks.add(hook);
  return () => scrapeHooks.delete(hook);
}

/** The metrics text in Prometheus's exposition format, after the scrape hooks ran (a failed hook is skipped). */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  await Promise.allSettled([...scrapeHooks].map((h) => h()));
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** Whether an Authorization header carries the metrics token (`Bearer <token>`), compared in constant time. */
export function metricsAuthorized(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1].trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
