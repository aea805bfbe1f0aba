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
  // Account and HTTP security (issue 12).
  TRUST_PROXY: z.string().trim().default('false'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(10),
  PASSWORD_MIN_CLASSES: z.coerce.number().int().min(1).max(4).default(3),
  PASSWORD_HISTORY: z.coerce.number().int().min(0).max(24).default(5),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(3).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(5).max(10000).default(50),
  API_DOCS_PUBLIC: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('false'),
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
};

/** TRUST_PROXY: false/0/empty → off; a number of hops; true (trust any, unsafe); else a comma list of addresses/CIDRs. */
export function parseTrustProxy(raw: string): boolean | number | string[] {
  const v = raw.trim().toLowerCase();
  if (v === '' || v === 'false' || v === 'no' || v === '0') return false;
  if (v === 'true' || v === 'yes') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const list = raw.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = list.find((x) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x) && !['loopback', 'linklocal', 'uniquelocal'].includes(x));
  if (bad) throw new ConfigError(`配置错误 / invalid configuration:\n  TRUST_PROXY: "${bad}" is not a hop count, an IP address or a CIDR`);
  return list;
}

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
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
    host: e.HOST ?? (seedDemo ? '127.0.0.1' : '0.0.0.0'),
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
    security: {
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
      sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
      password: { minLength: e.PASSWORD_MIN_LENGTH, minClasses: e.PASSWORD_MIN_CLASSES, history: e.PASSWORD_HISTORY },
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginLockMinutes: e.LOGIN_LOCK_MINUTES,
      loginIpMaxFailures: e.LOGIN_IP_MAX_FAILURES,
      apiDocsPublic: ['true', '1', 'yes'].includes(e.API_DOCS_PUBLIC),
    },
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
