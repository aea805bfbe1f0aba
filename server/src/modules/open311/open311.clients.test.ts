/**
 * Open311 as real clients and hostile readers use it (issue 16), driven over HTTP in XML and JSON:
 * what GET may show (masking, publication rules, 举报 and confidential cases), rate limits and keys
 * for reads, CORS, idempotent POSTs, request updates with extended statuses, paging, multipart
 * photos, phone formats and names, date ranges, discovery's changeset, the service area.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { buildCaseCategory, PNG } from '../cases/cases.testkit.js';
import { childText, children, parseXml } from './open311.testkit.js';

let env: TestEnv;
let admin: Client;
let agent: Client;
let unitId = 0;
let apiKey = '';
let limitedCat = 0;
let privateCat = 0;

const V2 = '/open311/v2';
const DEFAULTS = {
  allowedOrigins: ['https://app.example.org'],
  requireKeyForReads: false,
  extendedStatuses: false,
  anonymousReadsPerMinute: 100000,
  keyReadsPerMinute: 100000,
  bbox: { minLat: 30.4, maxLat: 30.8, minLng: 114.0, maxLng: 114.5 },
  outsideArea: 'flag',
};
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const get = (url: string, headers: Record<string, string> = {}, remoteAddress?: string) =>
  env.app.inject({ method: 'GET', url: `${V2}${url}`, headers, ...(remoteAddress ? { remoteAddress } : {}) });
const post = (url: string, fields: Record<string, string> | [string, string][], headers: Record<string, string> = {}) =>
  env.app.inject({
    method: 'POST',
    url: `${V2}${url}`,
    payload: new URLSearchParams(fields).toString(),
    headers: { ...formHeaders, ...headers },
  });
const json = <T>(res: LightMyRequestResponse): T => {
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body) as T;
};
const request = (over: Record<string, string> = {}) => ({
  api_key: apiKey,
  service_code: 'ZDJY',
  lat: '30.5801',
  long: '114.2734',
  address_string: '解放大道688号',
  description: '门口有流动摊贩长期占道经营，影响通行',
  ...over,
});
/** Files a request; returns its service_request_id. */
async function file(over: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<string> {
  const res = await post('/requests.json', request(over), headers);
  return json<{ service_request_id: string }[]>(res)[0].service_request_id;
}
const caseId = async (number: string) =>
  (await env.database.query<{ id: number }>('SELECT id FROM cases WHERE number = $1', [number]))[0].id;
const countCases = async () => (await env.database.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0].n;
const putSettings = async (over: Partial<typeof DEFAULTS>) => {
  const res = await admin.put('/api/open311/settings', { ...DEFAULTS, ...over });
  expect(res.statusCode, res.body).toBe(200);
};

beforeAll(async () => {
  env = await createTestEnv();
  unitId = await env.buildUnit({ name: '城管局' });
  admin = await env.userClient({ roles: ['admin'] });
  agent = await env.userClient({ roles: ['agent'] });
  const parent = await buildCaseCategory(env, { name: '市容环卫', open311Code: 'SRHW', defaultUnitId: unitId });
  await buildCaseCategory(env, { name: '占道经营', parentId: parent, open311Code: 'ZDJY' });
  limitedCat = await buildCaseCategory(env, { name: '拖欠工资', parentId: parent, open311Code: 'TQGZ' });
  privateCat = await buildCaseCategory(env, { name: '养老服务', parentId: parent, open311Code: 'YLFW' });
  const res = await admin.post('/api/open311/keys', { name: '市民随手拍App' });
  expect(res.statusCode, res.body).toBe(201);
  ({ apiKey } = res.json() as { apiKey: string });
  await putSettings({});
}, 60_000);
afterAll(async () => env?.close());
beforeEach(async () => putSettings({}));

describe('what GET requests shows', () => {
  it('masks personal data in the address and the description: phones, names, QQ/WeChat ids, plates (XML and JSON)', async () => {
    const number = await file({
      address_string: '解放大道688号，电话13812345678',
      description: '我叫张三，QQ 123456789，微信 zhang_san88，车牌鄂A12345的车长期占道',
    });
    const [r] = json<{ address: string; description: string }[]>(await get(`/requests/${number}.json`));
    expect(r.address).toBe('解放大道688号，电话138****5678');
    expect(r.description).toBe('我叫张*，QQ 12****9，微信 zh****，车牌鄂A****5的车长期占道');
    const x = await get(`/requests.xml?service_request_id=${number}`);
    const [el] = children(parseXml(x.body), 'request');
    expect(childText(el, 'address')).toBe('解放大道688号，电话138****5678');
    for (const secret of ['13812345678', '张三', '123456789', 'zhang_san88', '鄂A12345'])
      expect(x.body).not.toContain(secret);
  });

  it('never lists a 举报 case, in the list, by id or as a token', async () => {
    const number = await file({ 'attribute[type]': 'report', description: '举报某餐馆后厨使用地沟油' });
    const list = await get('/requests.json');
    expect(json<{ service_request_id: string }[]>(list).map((r) => r.service_request_id)).not.toContain(number);
    expect((await get(`/requests/${number}.xml`)).statusCode).toBe(404);
    expect((await get(`/tokens/${number}.json`)).statusCode).toBe(404);
    expect(children(parseXml((await get(`/requests.xml?service_request_id=${number}`)).body), 'request')).toHaveLength(
      0,
    );
  });

  it('hides a case once an agent marks it confidential (audited, on the timeline), and shows it again when lifted', async () => {
    const number = await file();
    const id = await caseId(number);
    expect((await get(`/requests/${number}.json`)).statusCode).toBe(200);
    const bad = await agent.post(`/api/cases/${id}/confidential`, { confidential: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('reason');
    const res = await agent.post(`/api/cases/${id}/confidential`, { confidential: true, reason: '涉及个人隐私' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ confidential: true, publication: 'private' });
    expect((await get(`/requests/${number}.json`)).statusCode).toBe(404);
    expect(
      json<{ service_request_id: string }[]>(await get('/requests.json')).map((r) => r.service_request_id),
    ).not.toContain(number);
    const events = await env.database.query<{ type: string; note: string }>(
      `SELECT type, note FROM case_events WHERE case_id = $1 AND type = 'confidential_changed'`,
      [id],
    );
    expect(events).toEqual([{ type: 'confidential_changed', note: '涉及个人隐私' }]);
    expect(
      await env.database.query(
        `SELECT 1 FROM audit_entries WHERE action = 'case.confidential_changed' AND entity_id = $1`,
        [String(id)],
      ),
    ).toHaveLength(1);
    const handler = await env.userClient({ roles: ['handler'], unitId });
    expect(
      (await handler.post(`/api/cases/${id}/confidential`, { confidential: false, reason: '可以公开' })).statusCode,
    ).toBe(403);
    expect(
      (await agent.post(`/api/cases/${id}/confidential`, { confidential: false, reason: '可以公开' })).statusCode,
    ).toBe(200);
    expect((await get(`/requests/${number}.json`)).statusCode).toBe(200);
  });

  it('follows each category’s publication rule: limited shows no text and rounds the coordinates, private shows nothing', async () => {
    expect((await admin.patch(`/api/case-categories/${limitedCat}`, { publication: 'limited' })).statusCode).toBe(200);
    const cat = await admin.patch(`/api/case-categories/${privateCat}`, { publication: 'private' });
    expect(cat.json()).toMatchObject({ publication: 'private', effectivePublication: 'private' });
    expect(
      (await admin.patch(`/api/case-categories/${limitedCat}`, { publication: 'secret' })).json().error.field,
    ).toBe('publication');
    const limited = await file({
      service_code: 'TQGZ',
      description: '某公司拖欠我三个月工资，老板叫李四',
      lat: '30.58017',
      long: '114.27349',
    });
    const hidden = await file({ service_code: 'YLFW', description: '家中独居老人需要上门服务' });
    const [r] = json<{ description: string; address: string; lat: number; long: number; service_code: string }[]>(
      await get(`/requests/${limited}.json`),
    );
    expect(r).toMatchObject({
      service_code: 'TQGZ',
      description: '内容不公开 / Details withheld',
      address: '',
      lat: 30.58,
      long: 114.273,
    });
    const x = (await get(`/requests/${limited}.xml`)).body;
    expect(x).not.toContain('三个月');
    expect(x).not.toContain('李四');
    expect(x).not.toContain('30.58017');
    expect((await get(`/requests/${hidden}.json`)).statusCode).toBe(404);
    expect(json<{ service_request_id: string }[]>(await get('/requests.json?service_code=YLFW'))).toEqual([]);
  });
});

describe('reads: rate limit per address, keys', () => {
  it('answers 429 with Retry-After past the anonymous limit per client address; a key reads on', async () => {
    await putSettings({ anonymousReadsPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await get('/requests.json', {}, '10.9.9.1')).statusCode).toBe(200);
    const refused = await get('/requests.xml', {}, '10.9.9.1');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(childText(children(parseXml(refused.body), 'error')[0], 'code')).toBe('429');
    expect((await get('/requests.json', {}, '10.9.9.2')).statusCode).toBe(200); // another address
    expect((await get(`/requests.json?api_key=${apiKey}`, {}, '10.9.9.1')).statusCode).toBe(200);
  });

  it('requires a key for reading requests when the admin says so (services stay open)', async () => {
    await putSettings({ requireKeyForReads: true });
    expect((await get('/requests.json')).statusCode).toBe(403);
    expect((await get('/servicerequestupdates.xml')).statusCode).toBe(403);
    expect((await get('/services.json')).statusCode).toBe(200);
    expect((await get(`/requests.json?api_key=${apiKey}`)).statusCode).toBe(200);
    expect((await get('/requests.json?api_key=wrong')).statusCode).toBe(403);
  });

  it('limits POSTs per key per hour and shows the key’s use to its owner', async () => {
    const res = await admin.post('/api/open311/keys', { name: '限流测试', postsPerHour: 2 });
    const { apiKey: small, key } = res.json() as { apiKey: string; key: { id: number } };
    expect(res.json().key.postsPerHour).toBe(2);
    await file({ api_key: small, description: '第一条测试诉求内容' });
    await file({ api_key: small, description: '第二条测试诉求内容' });
    const before = await countCases();
    const refused = await post('/requests.json', request({ api_key: small, description: '第三条测试诉求内容' }));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeTruthy();
    expect(await countCases()).toBe(before);
    await get(`/requests.json?api_key=${small}`);
    const keys = (await admin.get('/api/open311/keys')).json() as {
      id: number;
      usage: { today: { posts: number; reads: number; refused: number }; postsThisHour: number };
    }[];
    expect(keys.find((k) => k.id === key.id)!.usage).toMatchObject({
      today: { posts: 2, reads: 1, refused: 1 },
      postsThisHour: 3,
    });
    expect((await admin.patch(`/api/open311/keys/${key.id}`, { postsPerHour: 0 })).json().error.field).toBe(
      'postsPerHour',
    );
  });
});

describe('CORS', () => {
  it('answers the preflight and lets an allowed origin read; another origin gets no grant and may not POST', async () => {
    const pre = await env.app.inject({
      method: 'OPTIONS',
      url: `${V2}/requests.json`,
      headers: {
        origin: 'https://app.example.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(String(pre.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(pre.headers['access-control-allow-headers']).toLowerCase()).toContain('idempotency-key');
    const read = await get('/requests.json', { origin: 'https://app.example.org' });
    expect(read.statusCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(read.headers.vary).toContain('Origin');

    const evilPre = await env.app.inject({
      method: 'OPTIONS',
      url: `${V2}/requests.json`,
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(evilPre.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await get('/requests.json', { origin: 'https://evil.example.com' })).headers['access-control-allow-origin'],
    ).toBeUndefined();
    const before = await countCases();
    const evilPost = await post('/requests.json', request(), { origin: 'https://evil.example.com' });
    expect(evilPost.statusCode).toBe(403);
    expect(await countCases()).toBe(before);
    expect(
      (
        await post('/requests.json', request({ description: '允许来源提交的诉求内容' }), {
          origin: 'https://app.example.org',
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('idempotent POST', () => {
  it('answers a retry with the first case: same attribute[city_ref], Idempotency-Key, or device_id + description', async () => {
    const before = await countCases();
    const a = await file({ 'attribute[city_ref]': 'SJ-2026-7788' });
    expect(await file({ 'attribute[city_ref]': 'SJ-2026-7788', description: '重试时描述略有不同也算同一件' })).toBe(a);
    const b = await file({ description: '第二件诉求的描述内容' }, { 'idempotency-key': 'retry-123' });
    const xmlRetry = await post('/requests.xml', request({ description: '第二件诉求的描述内容' }), {
      'idempotency-key': 'retry-123',
    });
    expect(childText(children(parseXml(xmlRetry.body), 'request')[0], 'service_request_id')).toBe(b);
    const c = await file({ device_id: 'phone-1', description: '路灯不亮已经一周了' });
    expect(await file({ device_id: 'phone-1', description: '路灯不亮已经一周了' })).toBe(c);
    const d = await file({ device_id: 'phone-1', description: '另一处路灯也不亮' });
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(await countCases()).toBe(before + 4);
    // Two simultaneous tries with the same key make one case.
    const [x, y] = await Promise.all([
      file({ description: '同时重试的诉求内容' }, { 'idempotency-key': 'race-1' }),
      file({ description: '同时重试的诉求内容' }, { 'idempotency-key': 'race-1' }),
    ]);
    expect(x).toBe(y);
    expect(await countCases()).toBe(before + 5);
  });
});

describe('request updates and extended statuses', () => {
  it('lists public updates with extended statuses; a rejected case is not_councils_responsibility, not fixed', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const number = await file({ description: '人行道地砖松动需要维修' });
    const id = await caseId(number);
    expect((await agent.post(`/api/cases/${id}/dispatch`, { leadUnitId: unitId })).statusCode).toBe(200);
    const rejected = await file({ description: '这件诉求将被不予受理' });
    expect(
      (await agent.post(`/api/cases/${await caseId(rejected)}/reject`, { reason: '不属于本区受理范围' })).statusCode,
    ).toBe(200);

    const plain = json<{ service_request_id: string; status: string }[]>(
      await get(`/requests.json?service_request_id=${rejected}`),
    );
    expect(plain[0].status).toBe('closed');
    const ext = json<{ service_request_id: string; status: string }[]>(
      await get(`/requests.json?service_request_id=${rejected},${number}&extensions=true`),
    );
    expect(Object.fromEntries(ext.map((r) => [r.service_request_id, r.status]))).toEqual({
      [rejected]: 'not_councils_responsibility',
      [number]: 'investigating',
    });
    await putSettings({ extendedStatuses: true });
    const [x] = children(parseXml((await get(`/requests/${rejected}.xml`)).body), 'request');
    expect(childText(x, 'status')).toBe('not_councils_responsibility');

    const updates = json<
      { update_id: string; service_request_id: string; status: string; description: string; updated_datetime: string }[]
    >(await get(`/servicerequestupdates.json?start_date=${since}&service_request_id=${number},${rejected}`));
    expect(updates.filter((u) => u.service_request_id === number).map((u) => u.status)).toEqual([
      'open',
      'investigating',
    ]);
    expect(
      updates.find((u) => u.service_request_id === rejected && u.status === 'not_councils_responsibility'),
    ).toBeTruthy();
    const root = parseXml((await get(`/servicerequestupdates.xml?start_date=${since}`)).body);
    expect(root.name).toBe('service_requests_updates');
    expect(children(root, 'request_update').length).toBeGreaterThanOrEqual(4);
  });

  it('takes a comment from a client as an update, once per update_id, and 404 for an unknown request', async () => {
    const number = await file({ description: '小区门口积水严重' });
    const fields = {
      api_key: apiKey,
      service_request_id: number,
      update_id: 'c-1',
      description: '补充：积水已经漫到单元门口，电话13812345678',
      status: 'OPEN',
      updated_datetime: new Date().toISOString(),
    };
    const first = json<{ update_id: string }[]>(await post('/servicerequestupdates.json', fields));
    const again = parseXml((await post('/servicerequestupdates.xml', fields)).body);
    expect(childText(children(again, 'request_update')[0], 'update_id')).toBe(first[0].update_id);
    const events = await env.database.query<{ public_text: string }>(
      `SELECT public_text FROM case_events WHERE case_id = $1 AND type = 'comment_added'`,
      [await caseId(number)],
    );
    expect(events).toHaveLength(1);
    const listed = json<{ update_id: string; description: string; status: string }[]>(
      await get(`/servicerequestupdates.json?service_request_id=${number}`),
    );
    expect(listed.find((u) => u.update_id === first[0].update_id)).toMatchObject({
      description: '补充说明：补充：积水已经漫到单元门口，电话138****5678',
      status: 'open',
    });
    expect(
      (
        await post('/servicerequestupdates.json', {
          ...fields,
          service_request_id: 'HJ2099010100001',
          update_id: 'c-2',
        })
      ).statusCode,
    ).toBe(404);
    expect((await post('/servicerequestupdates.json', { ...fields, api_key: 'nope' })).statusCode).toBe(403);
    expect(
      (await post('/servicerequestupdates.json', { ...fields, description: '', update_id: 'c-3' })).statusCode,
    ).toBe(400);
  });
});

describe('paging and date ranges', () => {
  it('pages with page and page_size, newest first', async () => {
    const all = json<{ service_request_id: string }[]>(await get('/requests.json'));
    expect(all.length).toBeGreaterThan(3);
    const p1 = json<{ service_request_id: string }[]>(await get('/requests.json?page_size=2&page=1'));
    const p2 = children(parseXml((await get('/requests.xml?page_size=2&page=2')).body), 'request').map((r) =>
      childText(r, 'service_request_id'),
    );
    expect(p1.map((r) => r.service_request_id)).toEqual(all.slice(0, 2).map((r) => r.service_request_id));
    expect(p2).toEqual(all.slice(2, 4).map((r) => r.service_request_id));
    expect((await get('/requests.json?page_size=0')).statusCode).toBe(400);
    expect((await get('/requests.json?page=x')).statusCode).toBe(400);
  });

  it('searches from start_date to now, and refuses a span past 90 days instead of cutting it silently', async () => {
    const recent = new Date(Date.now() - 10 * 86_400_000).toISOString();
    expect(json<unknown[]>(await get(`/requests.json?start_date=${recent}`)).length).toBeGreaterThan(0);
    const res = await get('/requests.json?start_date=2020-01-01T00:00:00Z');
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)[0].description).toContain('end_date');
  });
});

describe('what clients send', () => {
  it('accepts any phone format: normalises mainland numbers, keeps the others as given and flags them', async () => {
    const cases: [string, string][] = [
      ['+8613812345678', '13812345678'],
      ['138-1234-5678', '13812345678'],
      ['(010)12345678', '010-12345678'],
      ['+86 27 8377 7777', '027-83777777'],
    ];
    for (const [sent, stored] of cases) {
      const n = await file({ phone: sent, description: `电话格式测试 ${sent}` });
      const [c] = await env.database.query<{ requester_phone: string }>(
        'SELECT requester_phone FROM cases WHERE number = $1',
        [n],
      );
      expect(c.requester_phone, sent).toBe(stored);
    }
    const res = await post(
      '/requests.xml',
      request({ phone: '555-555-5555', email: 'not-an-email', description: '规范示例电话格式' }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const n = childText(children(parseXml(res.body), 'request')[0], 'service_request_id')!;
    const [row] = await env.database.query<{
      requester_phone: string;
      phone_as_sent: string;
      flags: string[] | string;
    }>(
      'SELECT c.requester_phone, o.phone_as_sent, o.flags FROM cases c JOIN open311_requests o ON o.case_id = c.id WHERE c.number = $1',
      [n],
    );
    expect(row.requester_phone).toBe('');
    expect(row.phone_as_sent).toBe('555-555-5555');
    expect(typeof row.flags === 'string' ? JSON.parse(row.flags) : row.flags).toEqual([
      'phone_unrecognised',
      'email_unrecognised',
    ]);
    const notes = await env.database.query<{ note: string }>(
      `SELECT note FROM case_events WHERE case_id = $1 AND type = 'intake_flagged'`,
      [await caseId(n)],
    );
    expect(notes[0].note).toContain('555-555-5555');
  });

  it('joins Latin names as "first last" and Chinese names family name first', async () => {
    const names: [Record<string, string>, string][] = [
      [{ first_name: 'john', last_name: 'smith' }, 'john smith'],
      [{ first_name: '张', last_name: '三' }, '张三'],
      [{ first_name: '小明', last_name: '王' }, '王小明'],
    ];
    for (const [fields, stored] of names) {
      const n = await file({ ...fields, description: `姓名测试 ${stored}` });
      const [c] = await env.database.query<{ requester_name: string }>(
        'SELECT requester_name FROM cases WHERE number = $1',
        [n],
      );
      expect(c.requester_name).toBe(stored);
    }
  });

  it('takes a multipart POST with a photo and several media_url', async () => {
    const boundary = '----xn311test';
    const parts: Buffer[] = [];
    const fields: [string, string][] = [
      ...Object.entries(request({ description: '带照片的诉求：井盖缺失' })),
      ['media_url', 'https://img.example.com/a.jpg'],
      ['media_url', 'https://img.example.com/b.jpg'],
    ];
    for (const [k, v] of fields)
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      PNG,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    const res = await env.app.inject({
      method: 'POST',
      url: `${V2}/requests.json`,
      payload: Buffer.concat(parts),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    const [{ service_request_id: n }] = json<{ service_request_id: string }[]>(res);
    const id = await caseId(n);
    const files = await env.database.query<{ filename: string; mime: string }>(
      'SELECT filename, mime FROM case_attachments WHERE case_id = $1',
      [id],
    );
    expect(files).toEqual([{ filename: 'photo.png', mime: 'image/png' }]);
    const [extras] = await env.database.query<{ media_urls: string[] | string }>(
      'SELECT media_urls FROM open311_requests WHERE case_id = $1',
      [id],
    );
    expect(typeof extras.media_urls === 'string' ? JSON.parse(extras.media_urls) : extras.media_urls).toEqual([
      'https://img.example.com/a.jpg',
      'https://img.example.com/b.jpg',
    ]);
    const [r] = json<{ media_url: string }[]>(await get(`/requests/${n}.json`));
    expect(r.media_url).toBe('https://img.example.com/a.jpg');
  });

  it('flags a location outside the service area, or refuses it when the admin says so', async () => {
    const n = await file({ lat: '0', long: '0', description: '坐标在零点的诉求' });
    const notes = await env.database.query<{ note: string }>(
      `SELECT note FROM case_events WHERE case_id = $1 AND type = 'intake_flagged'`,
      [await caseId(n)],
    );
    expect(notes[0].note).toContain('辖区');
    await putSettings({ outsideArea: 'refuse' });
    const before = await countCases();
    const res = await post('/requests.json', request({ lat: '0', long: '0', description: '坐标在零点的第二件诉求' }));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)[0].description).toContain('lat');
    expect(await countCases()).toBe(before);
  });
});

describe('discovery', () => {
  it('keeps the changeset while services stay the same and moves it when they change', async () => {
    const one = json<{ changeset: string; endpoints: { url: string; changeset: string }[] }>(
      await get('/discovery.json'),
    );
    expect(one.endpoints[0].url).toMatch(/\/open311\/v2\/$/);
    await new Promise((r) => setTimeout(r, 1100));
    expect(json<{ changeset: string }>(await get('/discovery.json')).changeset).toBe(one.changeset);
    expect((await admin.patch(`/api/case-categories/${limitedCat}`, { name: '拖欠农民工工资' })).statusCode).toBe(200);
    const two = parseXml((await get('/discovery.xml')).body);
    expect(childText(two, 'changeset')).not.toBe(one.changeset);
  });
});

describe('settings administration', () => {
  it('is for admins, validates origins and the box, and is audited', async () => {
    const handler = await env.userClient({ roles: ['handler'], unitId });
    expect((await handler.get('/api/open311/settings')).statusCode).toBe(403);
    expect((await handler.put('/api/open311/settings', DEFAULTS)).statusCode).toBe(403);
    const bad = await admin.put('/api/open311/settings', { ...DEFAULTS, allowedOrigins: ['javascript:alert(1)'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toContain('allowedOrigins');
    const box = await admin.put('/api/open311/settings', {
      ...DEFAULTS,
      bbox: { minLat: 31, maxLat: 30, minLng: 114, maxLng: 115 },
    });
    expect(box.statusCode).toBe(400);
    expect((await admin.get('/api/open311/settings')).json()).toMatchObject({
      allowedOrigins: ['https://app.example.org'],
    });
    expect(
      (await env.database.query(`SELECT 1 FROM audit_entries WHERE action = 'open311_settings.update'`)).length,
    ).toBeGreaterThan(0);
  });
});
