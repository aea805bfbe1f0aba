import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { S3Options } from './lib/blobstore.js';

/** Every environment variable the server reads, validated once at start-up. */
const ZEnv = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  SEED_DEMO: z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMS_PROVIDER: z.enum(['log', 'http']).default('log'),
  SMS_HTTP_URL: z.string().url().optional(),
  MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(200).default(20),
  BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
  S3_ENDPOINT: z.string().url().regex(/^https?:\/\//, 'must start with http:// or https://').optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3-63 lower-case letters, digits, dots, hyphens)')
    .optional(),
  S3_REGION: z.string().regex(/^[a-z0-9-]+$/, 'must be a region name such as us-east-1').default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('true'),
  AUDIT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  AUDIT_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(10),
  QUERY_PEPPER: z.string().min(32, 'must be at least 32 characters').optional(),
  QUERY_PEPPER_FILE: z.string().min(1).optional(),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  dbKind: 'pglite' | 'postgres';
  seedDemo: boolean;
  sessionSecret: string;
  sessionTtlHours: number;
  logLevel: z.infer<typeof ZEnv>['LOG_LEVEL'];
  smsProvider: 'log' | 'http';
  smsHttpUrl?: string;
  maxUploadMb: number;
  /** Where uploaded files are kept: DATA_DIR/uploads (`fs`) or an S3-compatible bucket (`s3`, then `s3` is set). */
  blobStore: 'fs' | 's3';
  s3?: S3Options;
  /** The audit chain's master key (AUDIT_KEY, AUDIT_KEY_FILE or DATA_DIR/audit-key): never stored in the database. */
  auditKey: Buffer;
  /** Where signed audit checkpoints are appended (AUDIT_CHECKPOINT_FILE, default DATA_DIR/audit-checkpoints.jsonl). */
  auditCheckpointFile: string;
  auditCheckpointMinutes: number;
  /** The pepper of case query passwords (QUERY_PEPPER, QUERY_PEPPER_FILE or DATA_DIR/query-pepper): never stored in the database. */
  queryPepper: Buffer;
};

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: { createKeys?: boolean } = {}): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`配置错误 / invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const dbKind = e.DATABASE_URL ? 'postgres' : 'pglite';
  const seedDemo = e.SEED_DEMO === undefined ? dbKind === 'pglite' : ['true', '1', 'yes'].includes(e.SEED_DEMO);
  if (e.SMS_PROVIDER === 'http' && !e.SMS_HTTP_URL) {
    throw new ConfigError('配置错误 / invalid configuration:\n  SMS_HTTP_URL: required when SMS_PROVIDER=http');
  }
  // Keys outside the database. Several instances on one PostgreSQL must share them, so there a generated
  // per-instance file is refused: set the value or point every instance at the same file.
  const createKeys = opts.createKeys ?? true;
  const keyProblems: string[] = [];
  const keyOf = (name: 'AUDIT_KEY' | 'QUERY_PEPPER', file: string): Buffer => {
    const value = e[name];
    if (value) return Buffer.from(value, 'utf8');
    const fileSetting = e[`${name}_FILE`];
    if (fileSetting) {
      const f = path.resolve(fileSetting);
      if (!existsSync(f)) {
        keyProblems.push(`  ${name}_FILE: ${f} does not exist`);
        return Buffer.alloc(0);
      }
      const text = readFileSync(f, 'utf8').trim();
      if (text.length < 32) keyProblems.push(`  ${name}_FILE: the key in ${f} must be at least 32 characters`);
      return Buffer.from(text, 'utf8');
    }
    if (dbKind === 'postgres') {
      keyProblems.push(`  ${name}: required with DATABASE_URL (or ${name}_FILE): every instance must use the same key`);
      return Buffer.alloc(0);
    }
    const f = path.join(dataDir, file);
    if (!createKeys && !existsSync(f)) {
      keyProblems.push(`  ${name}: no key file ${f} (set ${name} or ${name}_FILE)`);
      return Buffer.alloc(0);
    }
    return Buffer.from(readOrCreateSecretFile(dataDir, file), 'utf8');
  };
  const auditKey = keyOf('AUDIT_KEY', 'audit-key');
  const queryPepper = keyOf('QUERY_PEPPER', 'query-pepper');
  if (keyProblems.length) throw new ConfigError(`配置错误 / invalid configuration:\n${keyProblems.join('\n')}`);
  let s3: S3Options | undefined;
  if (e.BLOB_STORE === 's3') {
    const { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = e;
    if (!endpoint || !bucket || !accessKeyId || !secretAccessKey) {
      const missing = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !e[k]);
      throw new ConfigError(`配置错误 / invalid configuration:\n${missing.map((k) => `  ${k}: required when BLOB_STORE=s3`).join('\n')}`);
    }
    s3 = { endpoint, bucket, region: e.S3_REGION, accessKeyId, secretAccessKey, forcePathStyle: ['true', '1', 'yes'].includes(e.S3_FORCE_PATH_STYLE) };
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    dbKind,
    seedDemo,
    sessionSecret: e.SESSION_SECRET ?? readOrCreateSecret(dataDir),
    sessionTtlHours: e.SESSION_TTL_HOURS,
    logLevel: e.LOG_LEVEL,
    smsProvider: e.SMS_PROVIDER,
    smsHttpUrl: e.SMS_HTTP_URL,
    maxUploadMb: e.MAX_UPLOAD_MB,
    blobStore: e.BLOB_STORE,
    s3,
    auditKey,
    auditCheckpointFile: path.resolve(e.AUDIT_CHECKPOINT_FILE ?? path.join(dataDir, 'audit-checkpoints.jsonl')),
    auditCheckpointMinutes: e.AUDIT_CHECKPOINT_MINUTES,
    queryPepper,
  };
}

// Kept in the data folder so sessions survive restarts. Several instances behind a load balancer
// must share one SESSION_SECRET (documented in the README).
function readOrCreateSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Reads a generated secret from the data folder, creating it (random, mode 0600) on first use. */
function readOrCreateSecretFile(dataDir: string, name: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}
