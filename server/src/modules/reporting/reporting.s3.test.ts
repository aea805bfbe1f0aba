import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeS3, type FakeS3 } from '../../test/fake-s3.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { buildWorld, multipart, setNow, TINY_PDF, type World } from './reporting.testkit.js';

// Evidence with BLOB_STORE=s3: the bytes go to the object store, the hash stays in the database row.
let s3: FakeS3;
let env: TestEnv;
let w: World;
let reporterA: Client;
let reporterB: Client;
let restore: () => void = () => undefined;

beforeAll(async () => {
  s3 = await startFakeS3();
  env = await createTestEnv({ blobStore: 's3', s3: s3.options() });
  w = await buildWorld(env);
  reporterA = await env.userClient({ username: 's3_rep_a', roles: ['reporter'], unitId: w.unitA });
  reporterB = await env.userClient({ username: 's3_rep_b', roles: ['reporter'], unitId: w.unitB });
});
afterAll(async () => {
  await env?.close();
  await s3?.close();
});
afterEach(() => restore());

describe('evidence in an S3-compatible store', () => {
  it('uploads to the bucket under evidence/<sha256>, records the hash, downloads within scope', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const d = (
      await reporterA.post('/api/reporting/submissions', {
        indicatorId: w.leafValue,
        unitId: w.unitA,
        period: '2026-11',
        values: { value: 3 },
      })
    ).json();
    const up = await reporterA.request({
      method: 'POST',
      url: `/api/reporting/submissions/${d.id}/evidence`,
      ...multipart('台账.pdf', TINY_PDF, 'application/pdf'),
    });
    expect(up.statusCode, up.body).toBe(201);
    const sha = createHash('sha256').update(TINY_PDF).digest('hex');
    expect(up.json().sha256).toBe(sha);
    expect(s3.objects.get(`/xn-files/evidence/${sha}`)?.equals(TINY_PDF)).toBe(true);
    const [row] = await env.database.query<{ sha256: string }>('SELECT sha256 FROM submission_evidence WHERE id = $1', [
      up.json().id,
    ]);
    expect(row.sha256).toBe(sha);

    const dl = await reporterA.get(`/api/reporting/evidence/${up.json().id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(TINY_PDF)).toBe(true);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect((await reporterB.get(`/api/reporting/evidence/${up.json().id}`)).statusCode).toBe(404);
    expect((await env.anon.get(`/api/reporting/evidence/${up.json().id}`)).statusCode).toBe(401);

    // An object lost from the bucket is a clear 404, not a 500.
    s3.objects.delete(`/xn-files/evidence/${sha}`);
    const gone = await reporterA.get(`/api/reporting/evidence/${up.json().id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('NOT_FOUND');
    expect(s3.problems).toEqual([]);
  });
});
