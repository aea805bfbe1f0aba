/**
 * An in-process fake S3 for tests: an HTTP server on 127.0.0.1 that checks every request's SigV4
 * Authorization header (credential scope, signed headers, signature recomputed from what arrived),
 * stores PUT bodies by path (after checking x-amz-content-sha256) and returns them on GET, 404
 * otherwise. Tests only.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signV4, type S3Options } from '../platform/blobs/blobstore.js';

export type SeenRequest = {
  method: string;
  url: string;
  authorization: string;
  contentSha: string;
  bodySha: string;
  contentType?: string;
};

export type FakeS3 = {
  endpoint: string;
  /** Stored bodies by request path (`/bucket/key`). */
  objects: Map<string, Buffer>;
  seen: SeenRequest[];
  /** Requests refused for a bad Authorization header or signature. */
  problems: string[];
  /** Store options that reach this server with the right credentials. */
  options(overrides?: Partial<S3Options>): S3Options;
  close(): Promise<void>;
};

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFakeS3(
  creds = { accessKeyId: 'TESTKEY', secretAccessKey: 'test-secret-key', region: 'eu-test-1' },
): Promise<FakeS3> {
  const objects = new Map<string, Buffer>();
  const seen: SeenRequest[] = [];
  const problems: string[] = [];
  const auth = new RegExp(
    `^AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/(\\d{8})/${creds.region}/s3/aws4_request,SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$`,
  );
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const authorization = String(req.headers.authorization ?? '');
      const contentSha = String(req.headers['x-amz-content-sha256'] ?? '');
      const amzDate = String(req.headers['x-amz-date'] ?? '');
      const [p] = (req.url ?? '').split('?');
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization,
        contentSha,
        bodySha: sha(body),
        contentType: req.headers['content-type'],
      });
      const m = auth.exec(authorization);
      if (!m || m[1] !== amzDate.slice(0, 8)) {
        problems.push(`bad authorization: ${authorization}`);
        res.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>');
        return;
      }
      // Recompute the signature from what arrived, as a real S3 does.
      const names = m[2].split(';');
      const expected = signV4({
        method: req.method ?? '',
        path: decodeURIComponent(p),
        headers: Object.fromEntries(names.map((n) => [n, String(req.headers[n] ?? '')])),
        payloadHash: contentSha,
        region: creds.region,
        service: 's3',
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
      });
      if (
        expected.signature !== m[3] ||
        !['host', 'x-amz-content-sha256', 'x-amz-date'].every((n) => names.includes(n))
      ) {
        problems.push(`signature mismatch for ${req.method} ${req.url}`);
        res.writeHead(403).end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
        return;
      }
      if (req.method === 'PUT') {
        if (contentSha !== sha(body)) {
          res.writeHead(400).end('<Error><Code>XAmzContentSHA256Mismatch</Code></Error>');
          return;
        }
        objects.set(p, body);
        res.writeHead(200).end();
      } else if (req.method === 'GET') {
        const o = objects.get(p);
        if (!o) res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
        else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(o);
      } else {
        res.writeHead(405).end();
      }
    })().catch((err: unknown) => {
      problems.push(String(err));
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    objects,
    seen,
    problems,
    options: (overrides = {}) => ({
      endpoint,
      bucket: 'xn-files',
      region: creds.region,
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      forcePathStyle: true,
      ...overrides,
    }),
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
