import { DEFAULT_SECURITY, type Config } from '../server/src/config.js';

/** The secrets and security settings every benchmark's in-process app uses (none is read from a data folder). */
export const BENCH_SECRETS = {
  sessionSecret: 'bench-secret-0123456789abcdef0123456789abcdef',
  security: DEFAULT_SECURITY,
  auditKey: Buffer.from('bench-audit-key-0123456789abcdef0123456789abcdef'),
  auditCheckpointFile: '.tmp/bench/audit-checkpoints-' + process.pid + '.jsonl',
  auditCheckpointMinutes: 10,
  queryPepper: Buffer.from('bench-query-pepper-0123456789abcdef0123456789abcdef'),
} satisfies Partial<Config>;
