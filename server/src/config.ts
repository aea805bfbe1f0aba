import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { S3Options } from './platform/blobs/blobstore.js';

/** Every environment variable the server reads, validated once at start-up. */
const ZEnv = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Unset: 0.0.0.0, but 127.0.0.1 while the demo seed (public passwords) is on. */
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  SEED_DEMO: z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMS_PROVIDER: z.enum(['log', 'http']).default('log'),
  SMS_HTTP_URL: z.string().url().optional(),
  MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(200).default(20),
  BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
  S3_ENDPOINT: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must start with http:// or https://')
    .optional(),
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a bucket name (3-63 lower-case letters, digits, dots, hyphens)',
    )
    .optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a region name such as us-east-1')
    .default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('true'),
  // Account and HTTP security (issue 12).
  TRUST_PROXY: z.string().trim().default('false'),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(10),
  PASSWORD_MIN_CLASSES: z.coerce.number().int().min(1).max(4).default(3),
  PASSWORD_HISTORY: z.coerce.number().int().min(0).max(24).default(5),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(3).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(5).max(10000).default(50),
  PUBLIC_REQUESTS_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  API_DOCS_PUBLIC: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('false'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1000)
    .default(60_000),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  AUDIT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  AUDIT_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
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
  /** Account and HTTP security settings (issue 12); defaults in DEFAULT_SECURITY. */
  security: SecurityConfig;
  /** Connections in the PostgreSQL pool (DATABASE_POOL_SIZE). */
  databasePoolSize?: number;
  /** PostgreSQL `statement_timeout` of the app's connections in ms, 0 = none (DATABASE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  /** Bearer token that opens `/metrics`; without it the endpoint does not exist. */
  metricsToken?: string;
  /**
   * Where the session secret comes from: SESSION_SECRET, the data folder (PGlite), or the database
   * (PostgreSQL without SESSION_SECRET: shared by every instance; see lib/session-secret.ts).
   */
  sessionSecretSource?: 'env' | 'file' | 'database';
  /** The audit chain's master key (AUDIT_KEY, AUDIT_KEY_FILE or DATA_DIR/audit-key): never stored in the database. */
  auditKey: Buffer;
  /** Where signed audit checkpoints are appended (AUDIT_CHECKPOINT_FILE, default DATA_DIR/audit-checkpoints.jsonl). */
  auditCheckpointFile: string;
  auditCheckpointMinutes: number;
  /** The pepper of case query passwords (QUERY_PEPPER, QUERY_PEPPER_FILE or DATA_DIR/query-pepper): never stored in the database. */
  queryPepper: Buffer;
};

export type SecurityConfig = {
  /** Fastify's trustProxy: false (default: X-Forwarded-For is ignored), a hop count, or proxy addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  sessionIdleMinutes: number;
  password: PasswordPolicy;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginIpMaxFailures: number;
  /** Publish /api/docs without sign-in. */
  apiDocsPublic: boolean;
  /** Requests per minute one address may make to /api/public/* (all instances together); 0 = no limit. */
  publicRequestsPerMinute: number;
};
export type PasswordPolicy = { minLength: number; minClasses: number; history: number };

export const DEFAULT_SECURITY: SecurityConfig = {
  trustProxy: false,
  sessionIdleMinutes: 30,
  password: { minLength: 10, minClasses: 3, history: 5 },
  loginMaxFailures: 5,
  loginLockMinutes: 15,
  loginIpMaxFailures: 50,
  apiDocsPublic: false,
  publicRequestsPerMinute: 600,
};

/** TRUST_PROXY: false/0/empty → off; a number of hops; true (trust any, unsafe); else a comma list of addresses/CIDRs. */
export function parseTrustProxy(raw: string): boolean | number | string[] {
  const v = raw.trim().toLowerCase();
  if (v === '' || v === 'false' || v === 'no' || v === '0') return false;
  if (v === 'true' || v === 'yes') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const list = raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.find(
    (x) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x) && !['loopback', 'linklocal', 'uniquelocal'].includes(x),
  );
  if (bad)
    throw new ConfigError(
      `配置错误 / invalid configuration:\n  TRUST_PROXY: "${bad}" is not a hop count, an IP address or a CIDR`,
    );
  return list;
}

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
    const {
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
    } = e;
    if (!endpoint || !bucket || !accessKeyId || !secretAccessKey) {
      const missing = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter(
        (k) => !e[k],
      );
      throw new ConfigError(
        `配置错误 / invalid configuration:\n${missing.map((k) => `  ${k}: required when BLOB_STORE=s3`).join('\n')}`,
      );
    }
    s3 = {
      endpoint,
      bucket,
      region: e.S3_REGION,
      accessKeyId,
      secretAccessKey,
      forcePathStyle: ['true', '1', 'yes'].includes(e.S3_FORCE_PATH_STYLE),
    };
  }
  return {
    port: e.PORT,
    host: e.HOST ?? (seedDemo ? '127.0.0.1' : '0.0.0.0'),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    dbKind,
    seedDemo,
    // On PostgreSQL without SESSION_SECRET this is the data folder's secret until main.ts adopts the
    // one kept in the database (it seeds the database with this one when there is none yet).
    sessionSecret: e.SESSION_SECRET ?? readOrCreateSecret(dataDir),
    sessionSecretSource: e.SESSION_SECRET ? 'env' : dbKind === 'postgres' ? 'database' : 'file',
    sessionTtlHours: e.SESSION_TTL_HOURS,
    logLevel: e.LOG_LEVEL,
    smsProvider: e.SMS_PROVIDER,
    smsHttpUrl: e.SMS_HTTP_URL,
    maxUploadMb: e.MAX_UPLOAD_MB,
    blobStore: e.BLOB_STORE,
    s3,
    security: {
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
      sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
      password: { minLength: e.PASSWORD_MIN_LENGTH, minClasses: e.PASSWORD_MIN_CLASSES, history: e.PASSWORD_HISTORY },
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginLockMinutes: e.LOGIN_LOCK_MINUTES,
      loginIpMaxFailures: e.LOGIN_IP_MAX_FAILURES,
      apiDocsPublic: ['true', '1', 'yes'].includes(e.API_DOCS_PUBLIC),
      publicRequestsPerMinute: e.PUBLIC_REQUESTS_PER_MINUTE,
    },
    databasePoolSize: e.DATABASE_POOL_SIZE,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    metricsToken: e.METRICS_TOKEN,
    auditKey,
    auditCheckpointFile: path.resolve(e.AUDIT_CHECKPOINT_FILE ?? path.join(dataDir, 'audit-checkpoints.jsonl')),
    auditCheckpointMinutes: e.AUDIT_CHECKPOINT_MINUTES,
    queryPepper,
  };
}

/** Start-up warnings about a configuration that works for one instance but not for several. */
export function startupWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.dbKind === 'postgres' && config.blobStore === 'fs') {
    warnings.push(
      `上传文件保存在本机目录 ${path.join(config.dataDir, 'uploads')}（BLOB_STORE=fs）：多个实例共用一个数据库时，须共享此目录或使用 BLOB_STORE=s3，否则在 A 实例上传的文件在 B 实例上找不到。 / ` +
        "Uploaded files are kept in this machine's data folder (BLOB_STORE=fs): with several instances on one database, share that folder or use BLOB_STORE=s3, or files uploaded on one instance give 404 on another.",
    );
  }
  return warnings;
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
