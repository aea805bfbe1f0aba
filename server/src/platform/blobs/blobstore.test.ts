import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { startFakeS3, type FakeS3 } from '../../test/fake-s3.js';
import { checkKey, createBlobStore, EMPTY_SHA256, fsStore, s3Store, signV4 } from './blobstore.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'xn-blob-'));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('signV4', () => {
  // "Example: GET Object" of the S3 API reference, "Signature Calculations for the Authorization Header".
  it("reproduces AWS's published S3 GET Object example", () => {
    const s = signV4({
      method: 'GET',
      path: '/test.txt',
      headers: {
        Host: 'examplebucket.s3.amazonaws.com',
        Range: 'bytes=0-9',
        'x-amz-content-sha256': EMPTY_SHA256,
        'x-amz-date': '20130524T000000Z',
      },
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      service: 's3',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(s.canonicalRequest).toBe(
      [
        'GET',
        '/test.txt',
        '',
        'host:examplebucket.s3.amazonaws.com',
        'range:bytes=0-9',
        `x-amz-content-sha256:${EMPTY_SHA256}`,
        'x-amz-date:20130524T000000Z',
        '',
        'host;range;x-amz-content-sha256;x-amz-date',
        EMPTY_SHA256,
      ].join('\n'),
    );
    expect(s.stringToSign.split('\n').at(-1)).toBe('7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972');
    expect(s.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    expect(s.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('sorts and encodes the query string', () => {
    const s = signV4({
      method: 'get',
      path: '/b/a key',
      query: { 'list-type': '2', a: 'x y' },
      headers: { host: 'h', 'x-amz-date': '20240101T000000Z' },
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      service: 's3',
      accessKeyId: 'k',
      secretAccessKey: 's',
    });
    expect(s.canonicalRequest.split('\n').slice(0, 3)).toEqual(['GET', '/b/a%20key', 'a=x%20y&list-type=2']);
  });

  it('refuses a request without x-amz-date', () => {
    expect(() =>
      signV4({
        method: 'GET',
        path: '/',
        headers: { host: 'h' },
        payloadHash: EMPTY_SHA256,
        region: 'r',
        service: 's3',
        accessKeyId: 'k',
        secretAccessKey: 's',
      }),
    ).toThrow(/x-amz-date/);
  });
});

describe('keys', () => {
  it.each(['evidence/abc', 'cases/ab/abc.pdf'])('accepts %s', (k) => expect(checkKey(k)).toBe(k));
  it.each(['', '/abs', '../x', 'a/../b', 'a//b', 'a/.hidden', 'a b', 'a\\b'])('refuses %j', (k) => {
    expect(() => checkKey(k)).toThrow(/bad key/);
  });
});

describe('fsStore', () => {
  it('round-trips bytes under root/<key>, keeps the first copy, returns null for a missing key', async () => {
    const root = tmp();
    const store = fsStore(root);
    const data = Buffer.from('%PDF-1.4 evidence');
    const key = `evidence/${sha(data)}`;
    await store.put(key, data, 'application/pdf');
    expect(readFileSync(path.join(root, 'evidence', sha(data)))).toEqual(data);
    expect(await store.get(key)).toEqual(data);
    await store.put(key, data, 'application/pdf');
    expect(await store.get('evidence/nothing-here')).toBeNull();
    await expect(store.get('../etc/passwd')).rejects.toThrow(/bad key/);
  });

  it('keeps the historical layout: DATA_DIR/uploads/<key> for the default configuration', async () => {
    const dataDir = tmp();
    const store = createBlobStore({ blobStore: 'fs', dataDir });
    const data = Buffer.from('hello');
    await store.put(`cases/${sha(data).slice(0, 2)}/${sha(data)}`, data, 'text/plain');
    expect(existsSync(path.join(dataDir, 'uploads', 'cases', sha(data).slice(0, 2), sha(data)))).toBe(true);
  });
});

let s3: FakeS3;
beforeAll(async () => {
  s3 = await startFakeS3();
});
afterAll(async () => s3?.close());

describe('s3Store (against a fake S3 on 127.0.0.1)', () => {
  const opts = () => s3.options();

  it('PUTs and GETs an object with path-style URLs and a SigV4 Authorization header', async () => {
    const store = s3Store(opts());
    const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const key = `evidence/${sha(data)}`;
    await store.put(key, data, 'image/png');
    expect(s3.objects.get(`/xn-files/${key}`)).toEqual(data);
    const put = s3.seen.find((s) => s.method === 'PUT');
    expect(put).toMatchObject({
      url: `/xn-files/${key}`,
      contentSha: sha(data),
      bodySha: sha(data),
      contentType: 'image/png',
    });
    expect(put?.authorization).toMatch(/SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,/);
    expect(await store.get(key)).toEqual(data);
    const get = s3.seen.filter((s) => s.method === 'GET').at(-1);
    expect(get).toMatchObject({ url: `/xn-files/${key}`, contentSha: EMPTY_SHA256 });
    expect(get?.authorization).toMatch(/SignedHeaders=host;x-amz-content-sha256;x-amz-date,/);
    expect(s3.problems).toEqual([]);
  });

  it('answers null for a missing key', async () => {
    expect(await s3Store(opts()).get('evidence/missing')).toBeNull();
    expect(s3.problems).toEqual([]);
  });

  it('reports a refused request as 503 STORAGE_UNAVAILABLE, keeping the status and S3 error code as the cause', async () => {
    const store = s3Store({ ...opts(), secretAccessKey: 'wrong' });
    const put = await store.put('evidence/x', Buffer.from('x'), 'text/plain').then(
      () => null,
      (e: unknown) => e,
    );
    expect(put).toMatchObject({ code: 'STORAGE_UNAVAILABLE', status: 503 });
    expect(String((put as { cause?: Error }).cause?.message)).toMatch(/HTTP 403 \(SignatureDoesNotMatch\)/);
    const get = await store.get('evidence/x').then(
      () => null,
      (e: unknown) => e,
    );
    expect(String((get as { cause?: Error }).cause?.message)).toMatch(/HTTP 403/);
    s3.problems.length = 0;
  });

  it('reports an unreachable store as 503 STORAGE_UNAVAILABLE', async () => {
    const store = s3Store({ ...opts(), endpoint: 'http://127.0.0.1:9' });
    await expect(store.put('evidence/y', Buffer.from('y'), 'text/plain')).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      status: 503,
    });
  });

  it('is what createBlobStore builds for BLOB_STORE=s3', async () => {
    const store = createBlobStore({ blobStore: 's3', dataDir: tmp(), s3: opts() });
    await store.put('cases/ab/abc', Buffer.from('attachment'), 'application/pdf');
    expect(s3.objects.get('/xn-files/cases/ab/abc')?.toString()).toBe('attachment');
  });
});

describe('configuration', () => {
  const s3env = {
    BLOB_STORE: 's3',
    S3_ENDPOINT: 'http://minio:9000',
    S3_BUCKET: 'xn-files',
    S3_ACCESS_KEY_ID: 'k',
    S3_SECRET_ACCESS_KEY: 's',
  };

  it('defaults to the data folder', () => {
    const c = loadConfig({ DATA_DIR: tmp() });
    expect(c.blobStore).toBe('fs');
    expect(c.s3).toBeUndefined();
  });

  it('reads the S3 settings (region us-east-1 and path-style by default)', () => {
    expect(loadConfig({ DATA_DIR: tmp(), ...s3env }).s3).toEqual({
      endpoint: 'http://minio:9000',
      bucket: 'xn-files',
      region: 'us-east-1',
      accessKeyId: 'k',
      secretAccessKey: 's',
      forcePathStyle: true,
    });
    expect(
      loadConfig({ DATA_DIR: tmp(), ...s3env, S3_REGION: 'cn-north-1', S3_FORCE_PATH_STYLE: 'false' }).s3,
    ).toMatchObject({ region: 'cn-north-1', forcePathStyle: false });
  });

  it.each(['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const)(
    'BLOB_STORE=s3 without %s stops start-up naming it',
    (name) => {
      const env: Record<string, string> = { DATA_DIR: tmp(), ...s3env };
      delete env[name];
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(name);
    },
  );

  it.each([
    [{ BLOB_STORE: 'ftp' }, 'BLOB_STORE'],
    [{ S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT'],
    [{ S3_BUCKET: 'Bad_Bucket' }, 'S3_BUCKET'],
  ])('refuses %o naming %s', (bad, name) => {
    expect(() => loadConfig({ DATA_DIR: tmp(), ...s3env, ...bad })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tmp(), ...s3env, ...bad })).toThrow(name);
  });
});
