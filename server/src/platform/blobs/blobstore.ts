/**
 * Where uploaded files (reporting evidence, case attachments) are kept: a small content-addressed
 * store with two implementations — the data folder (default, DATA_DIR/uploads/<key>) or an
 * S3-compatible object store (AWS S3, MinIO, …) spoken to with plain `fetch` and AWS Signature
 * Version 4 computed with node:crypto. Keys are relative paths such as `evidence/<sha256>`; callers
 * hash the bytes themselves and record the hash in the database, so a `put` of an existing key is a
 * harmless rewrite of the same content.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../lib/errors.js';

export interface BlobStore {
  /** Stores the bytes under the key (idempotent for content-addressed keys). */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The stored bytes, or null when the key does not exist. */
  get(key: string): Promise<Buffer | null>;
}

export type S3Options = {
  /** Base URL of the service, e.g. `http://minio:9000` or `https://s3.us-east-1.amazonaws.com`. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://endpoint/bucket/key` (true, MinIO-friendly) or `https://bucket.endpoint/key` (false). */
  forcePathStyle: boolean;
  /** Per-request time limit in milliseconds (default 30 s). */
  timeoutMs?: number;
};

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Keys are relative paths of plain segments: no `..`, no leading slash, no odd characters. */
export function checkKey(key: string): string {
  if (key.length > 512 || !KEY.test(key)) throw new Error(`blob store: bad key ${JSON.stringify(key)}`);
  return key;
}

// ---------------------------------------------------------------- data folder

/** Files under rootDir/<key>, written atomically (temp file + rename), never rewritten once present. */
export function fsStore(rootDir: string): BlobStore {
  const root = path.resolve(rootDir);
  const fileOf = (key: string) => path.join(root, ...checkKey(key).split('/'));
  return {
    async put(key, bytes) {
      const target = fileOf(key);
      if (existsSync(target)) return;
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(tmp, bytes, { mode: 0o640 });
        await rename(tmp, target);
      } catch (err) {
        await unlink(tmp).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
        throw err;
      }
    },
    async get(key) {
      try {
        return await readFile(fileOf(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}

// ---------------------------------------------------------------- SigV4

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type SignInput = {
  method: string;
  /** The request path, not yet encoded (`/bucket/key`); each segment is URI-encoded once (S3 rules). */
  path: string;
  query?: Record<string, string>;
  /** Headers to sign; must include host, x-amz-date and (for S3) x-amz-content-sha256. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body (or `UNSIGNED-PAYLOAD`). */
  payloadHash: string;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
};

export type SignOutput = {
  canonicalRequest: string;
  stringToSign: string;
  credentialScope: string;
  signedHeaders: string;
  signature: string;
  authorization: string;
};

/** AWS Signature Version 4 (header form). Pure: the date comes from the x-amz-date header. */
export function signV4(input: SignInput): SignOutput {
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(input.headers)) headers.set(k.toLowerCase(), v.trim().replace(/\s+/g, ' '));
  const amzDate = headers.get('x-amz-date');
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate))
    throw new Error('signV4: x-amz-date header (YYYYMMDDTHHMMSSZ) is required');
  if (!headers.has('host')) throw new Error('signV4: host header is required');
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((n) => `${n}:${headers.get(n)}\n`).join('');
  const canonicalUri = input.path.split('/').map(uriEncode).join('/') || '/';
  const canonicalQuery = Object.entries(input.query ?? {})
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    input.payloadHash,
  ].join('\n');
  const day = amzDate.slice(0, 8);
  const credentialScope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${input.secretAccessKey}`, day);
  const kSigning = hmac(hmac(hmac(kDate, input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${credentialScope},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return { canonicalRequest, stringToSign, credentialScope, signedHeaders, signature, authorization };
}

/** `20130524T000000Z` for a date. */
export function amzDateOf(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// ---------------------------------------------------------------- S3

/** An S3-compatible bucket: PUT and GET object with SigV4, path-style URLs unless told otherwise. */
export function s3Store(opts: S3Options): BlobStore {
  const base = new URL(opts.endpoint);
  const basePath = base.pathname.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;

  function target(key: string): { url: URL; path: string } {
    checkKey(key);
    const p = opts.forcePathStyle ? `${basePath}/${opts.bucket}/${key}` : `${basePath}/${key}`;
    const url = new URL(base.href);
    if (!opts.forcePathStyle) url.hostname = `${opts.bucket}.${base.hostname}`;
    url.pathname = p.split('/').map(uriEncode).join('/');
    url.search = '';
    return { url, path: p };
  }

  function signed(method: 'GET' | 'PUT', key: string, payloadHash: string, extra: Record<string, string>) {
    const t = target(key);
    const headers: Record<string, string> = {
      host: t.url.host,
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': amzDateOf(new Date()),
      ...extra,
    };
    const sig = signV4({
      method,
      path: t.path,
      headers,
      payloadHash,
      region: opts.region,
      service: 's3',
      accessKeyId: opts.accessKeyId,
      secretAccessKey: opts.secretAccessKey,
    });
    // fetch sets Host itself from the URL (the same value that was signed).
    const { host: _host, ...send } = headers;
    return { url: t.url, headers: { ...send, authorization: sig.authorization } };
  }

  async function failure(res: Response, what: string): Promise<Error> {
    const body = (await res.text()).slice(0, 500);
    const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
    return unavailable(new Error(`object store: ${what} failed with HTTP ${res.status}${code ? ` (${code})` : ''}`));
  }

  // The store being down or refusing us is not the client's fault: a 503 with a clear message, the detail in the log.
  function unavailable(cause: unknown): AppError {
    const e = new AppError('STORAGE_UNAVAILABLE');
    (e as { cause?: unknown }).cause = cause;
    return e;
  }

  async function send(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw unavailable(err);
    }
  }

  return {
    async put(key, bytes, contentType) {
      const r = signed('PUT', key, sha256Hex(bytes), { 'content-type': contentType });
      const res = await send(r.url, {
        method: 'PUT',
        headers: r.headers,
        body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      });
      if (!res.ok) throw await failure(res, `PUT ${key}`);
      await res.arrayBuffer();
    },
    async get(key) {
      const r = signed('GET', key, EMPTY_SHA256, {});
      const res = await send(r.url, { method: 'GET', headers: r.headers });
      if (res.status === 404) {
        await res.arrayBuffer();
        return null;
      }
      if (!res.ok) throw await failure(res, `GET ${key}`);
      return Buffer.from(await res.arrayBuffer());
    },
  };
}

/** The store the configuration asks for: S3 when BLOB_STORE=s3, else DATA_DIR/uploads. */
export function createBlobStore(config: { blobStore: 'fs' | 's3'; dataDir: string; s3?: S3Options }): BlobStore {
  if (config.blobStore === 's3') {
    if (!config.s3) throw new Error('blob store: BLOB_STORE=s3 without S3 settings');
    return s3Store(config.s3);
  }
  return fsStore(path.join(config.dataDir, 'uploads'));
}
