import { DEFAULT_SECURITY, type Config } from '../server/src/config.js';

/** The secrets and security settings every benchmark's in-process app uses (none is read from a data folder). */
export const BENCH_SECRETS = {
  sessionSecret: 'bench-secret-0123456789abcdef0123456789abcdef',
  // One address sends every benchmark request: the public per-address allowance would refuse the load.
  security: { ...DEFAULT_SECURITY, publicRequestsPerMinute: 0 },
  auditKey: Buffer.from('bench-audit-key-0123456789abcdef0123456789abcdef'),
  auditCheckpointFile: '.tmp/bench/audit-checkpoints-' + process.pid + '.jsonl',
  auditCheckpointMinutes: 10,
  queryPepper: Buffer.from('bench-query-pepper-0123456789abcdef0123456789abcdef'),
} satisfies Partial<Config>;

/** The in-process app's configuration for a benchmark: no demo, silent, SMS to the log, files on disk. */
export function benchConfig(dataDir: string, dbKind: Config['dbKind'] = 'pglite'): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    dbKind,
    seedDemo: false,
    ...BENCH_SECRETS,
    sessionTtlHours: 12,
    logLevel: 'silent',
    smsProvider: 'log',
    maxUploadMb: 5,
    blobStore: 'fs',
  };
}

/** Prints one figure as `npm run bench` reads it (two decimals). */
export const benchLine = (name: string, value: number, unit: string) =>
  console.log(`BENCH ${name} ${Number(value.toFixed(2))} ${unit}`);

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The q-quantile of a sample (the nearest rank at or above q). */
export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
