/**
 * Open311 GeoReport v2 driven as a client would: discovery, services, service definitions, POSTing
 * requests form-encoded with an API key, reading them back in XML and JSON, filters, and the errors in
 * the spec's format. Plus the admin API for keys.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { buildCaseCategory } from '../cases/cases.testkit.js';
import { childText, children, parseXml, type XmlElement } from './open311.testkit.js';

let env: TestEnv;
let admin: Client;
let agent: Client;
let handler: Client;
let unitId = 0;
let apiKey = '';
let cityKey = '';
let disabledKey = '';
let leafId = 0;

const V2 = '/open311/v2';
const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
});
const get = (url: string) => env.app.inject({ method: 'GET', url: `${V2}${url}` });
const post = (url: string, fields: Record<string, string>) =>
  env.app.inject({ method: 'POST', url: `${V2}${url}`, ...form(fields) });
const xml = (res: LightMyRequestResponse): XmlElement => {
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
  return parseXml(res.body);
};
const jsonOf = <T = unknown>(res: LightMyRequestResponse): T => {
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(res.body) as T;
};
/** Asserts an error in the spec's format (XML or JSON, by the URL) with this status. */
function expectSpecError(res: LightMyRequestResponse, status: number, format: 'xml' | 'json'): string {
  expect(res.statusCode, res.body).toBe(status);
  if (format === 'json') {
    const body = jsonOf<{ code: number; description: string }[]>(res);
    expect(body).toHaveLength(1);
    expect(body[0].code).toBe(status);
    return body[0].description;
  }
  const root = xml(res);
  expect(root.name).toBe('errors');
  const [err] = children(root, 'error');
  expect(childText(err, 'code')).toBe(String(status));
  return childText(err, 'description') ?? '';
}

const goodRequest = (over: Record<string, string> = {}) => ({
  api_key: apiKey,
  service_code: 'ZDJY',
  lat: '30.5801',
  long: '114.2734',
  address_string: '汉江区解放大道688号门口',
  description: '门口有流动摊贩长期占道经营，影响通行',
  first_name: '小明',
  last_name: '王',
  phone: '13912345678',
  email: 'wang@example.com',
  device_id: 'dev-001',
  account_id: 'acct-42',
  media_url: 'https://img.example.com/photo/1.jpg',
  ...over,
});

beforeAll(async () => {
  env = await createTestEnv();
  unitId = await env.buildUnit({ name: '城管局' });
  admin = await env.userClient({ roles: ['admin'] });
  agent = await env.userClient({ roles: ['agent'] });
  handler = await env.userClient({ roles: ['handler'], unitId });
  const parent = await buildCaseCategory(env, { name: '市容环卫', open311Code: 'SRHW', defaultUnitId: unitId });
  leafId = await buildCaseCategory(env, { name: '占道经营', parentId: parent, open311Code: 'ZDJY', timeLimitDays: 5 });
  await buildCaseCategory(env, { name: '垃圾清运', parentId: parent, open311Code: 'LJQY' });
  await buildCaseCategory(env, { name: '内部分类', parentId: parent });
  await buildCaseCategory(env, { name: '停用分类', parentId: parent, open311Code: 'OLD', active: false });
  const mk = async (body: object) => {
    const res = await admin.post('/api/open311/keys', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { key: { id: number }; apiKey: string };
  };
  apiKey = (await mk({ name: '市民随手拍App' })).apiKey;
  cityKey = (await mk({ name: '市级12345平台', channel: 'city_transfer' })).apiKey;
  const disabled = await mk({ name: '已停用客户端' });
  disabledKey = disabled.apiKey;
  expect((await admin.patch(`/api/open311/keys/${disabled.key.id}`, { active: false })).statusCode).toBe(200);
}, 60_000);
afterAll(async () => env?.close());

describe('discovery and services', () => {
  it('serves the discovery document in XML and JSON', async () => {
    const root = xml(await get('/discovery.xml'));
    expect(root.name).toBe('discovery');
    const [endpoint] = children(children(root, 'endpoints')[0], 'endpoint');
    expect(childText(endpoint, 'specification')).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(childText(endpoint, 'url')).toMatch(/\/open311\/v2\/$/);
    expect(children(children(endpoint, 'formats')[0], 'format').map((f) => f.text)).toEqual([
      'text/xml',
      'application/json',
    ]);
    const json = jsonOf<{
      endpoints: { formats: string[]; type: string }[];
      changeset: string;
      contact: string;
      key_service: string;
    }>(await get('/discovery.json'));
    expect(json.endpoints[0]).toMatchObject({ type: 'production', formats: ['text/xml', 'application/json'] });
    expect(json.key_service).toBeTruthy();
  });

  it('lists active leaf categories with a service code as services', async () => {
    const root = xml(await get('/services.xml'));
    expect(root.name).toBe('services');
    const services = children(root, 'service');
    expect(services.map((s) => childText(s, 'service_code'))).toEqual(['ZDJY', 'LJQY']);
    expect(childText(services[0], 'service_name')).toBe('占道经营');
    expect(childText(services[0], 'metadata')).toBe('true');
    expect(childText(services[0], 'type')).toBe('realtime');
    expect(childText(services[0], 'group')).toBe('市容环卫');
    const json = jsonOf<{ service_code: string; metadata: boolean; keywords: string }[]>(await get('/services.json'));
    expect(json.map((s) => s.service_code)).toEqual(['ZDJY', 'LJQY']);
    expect(json[0].metadata).toBe(true);
  });

  it('gives service definitions, and 404 in the spec format for unknown ones', async () => {
    const root = xml(await get('/services/ZDJY.xml'));
    expect(root.name).toBe('service_definition');
    expect(childText(root, 'service_code')).toBe('ZDJY');
    const attrs = children(children(root, 'attributes')[0], 'attribute');
    const type = attrs.find((a) => childText(a, 'code') === 'type')!;
    expect(childText(type, 'datatype')).toBe('singlevaluelist');
    expect(children(children(type, 'values')[0], 'value').map((v) => childText(v, 'key'))).toContain('complaint');
    const json = jsonOf<{ service_code: string; attributes: { code: string; order: number; required: boolean }[] }>(
      await get('/services/ZDJY.json'),
    );
    expect(json.attributes.map((a) => a.order)).toEqual([1, 2, 3]);
    expectSpecError(await get('/services/NOPE.json'), 404, 'json');
    expectSpecError(await get('/services/SRHW.xml'), 404, 'xml'); // a parent category is not a service
    expectSpecError(await get('/services/ZDJY.html'), 404, 'xml');
  });
});

describe('POST requests', () => {
  let number = '';

  it('files a case from a form-encoded request with a good key and reads it back', async () => {
    const res = await post('/requests.json', goodRequest());
    expect(res.statusCode, res.body).toBe(200);
    const [created] = jsonOf<{ service_request_id: string; service_notice: string; account_id: string | null }[]>(res);
    expect(created.service_request_id).toMatch(/^HJ\d{13}$/);
    expect(created.account_id).toBe('acct-42');
    expect(created).not.toHaveProperty('token');
    number = created.service_request_id;

    const [c] = await env.database.query<{
      channel: string;
      category_id: number;
      requester_name: string;
      requester_phone: string;
      lat: number;
      type: string;
    }>('SELECT channel, category_id, requester_name, requester_phone, lat, type FROM cases WHERE number = $1', [
      number,
    ]);
    expect(c).toMatchObject({
      channel: 'open311',
      category_id: leafId,
      requester_name: '王小明',
      requester_phone: '13912345678',
      type: 'complaint',
    });

    const one = xml(await get(`/requests/${number}.xml`));
    expect(one.name).toBe('service_requests');
    const [r] = children(one, 'request');
    expect(childText(r, 'service_request_id')).toBe(number);
    expect(childText(r, 'status')).toBe('open');
    expect(childText(r, 'service_code')).toBe('ZDJY');
    expect(childText(r, 'service_name')).toBe('占道经营');
    expect(childText(r, 'description')).toBe('门口有流动摊贩长期占道经营，影响通行');
    expect(childText(r, 'address')).toBe('汉江区解放大道688号门口');
    expect(childText(r, 'lat')).toBe('30.5801');
    expect(childText(r, 'long')).toBe('114.2734');
    expect(childText(r, 'media_url')).toBe('https://img.example.com/photo/1.jpg');
    expect(childText(r, 'requested_datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    const expected = [
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ];
    expect(r.children.map((x) => x.name)).toEqual(expected);

    const json = await get(`/requests/${number}.json`);
    const [j] = jsonOf<Record<string, unknown>[]>(json);
    expect(Object.keys(j)).toEqual(expected);
    // Nothing about the person ever comes back.
    for (const body of [json.body, (await get(`/requests.xml`)).body]) {
      for (const secret of ['13912345678', '王小明', '小明', 'wang@example.com', 'dev-001', 'acct-42'])
        expect(body).not.toContain(secret);
    }
  });

  it('shows the lead department as agency_responsible once dispatched, and status closed at the end', async () => {
    const [{ id }] = await env.database.query<{ id: number }>('SELECT id FROM cases WHERE number = $1', [number]);
    expect((await agent.post(`/api/cases/${id}/dispatch`, { leadUnitId: unitId })).statusCode).toBe(200);
    let [r] = jsonOf<{ agency_responsible: string; expected_datetime: string | null; status: string }[]>(
      await get(`/requests/${number}.json`),
    );
    expect(r.agency_responsible).toBe('城管局');
    expect(r.expected_datetime).toMatch(/\+08:00$/);
    for (const step of ['sign', 'report'])
      expect(
        (
          await handler.post(
            `/api/cases/${id}/${step}`,
            step === 'report' ? { result: '已劝离摊贩并清理现场' } : undefined,
          )
        ).statusCode,
      ).toBe(200);
    expect((await agent.post(`/api/cases/${id}/verify`, { ok: true })).statusCode).toBe(200);
    expect((await agent.post(`/api/cases/${id}/feedback`, { rating: 'satisfied' })).statusCode).toBe(200);
    [r] = jsonOf<
      { agency_responsible: string; expected_datetime: string | null; status: string; status_notes: string }[]
    >(await get(`/requests/${number}.json`));
    expect(r.status).toBe('closed');
    expect(r.expected_datetime).toBeNull();

    const closed = jsonOf<{ service_request_id: string }[]>(await get('/requests.json?status=closed'));
    expect(closed.map((x) => x.service_request_id)).toContain(number);
    const open = jsonOf<{ service_request_id: string }[]>(await get('/requests.json?status=open'));
    expect(open.map((x) => x.service_request_id)).not.toContain(number);
    const both = jsonOf<{ service_request_id: string }[]>(await get('/requests.json?status=open,closed'));
    expect(both.map((x) => x.service_request_id)).toContain(number);
  });

  it('files city-platform transfers on the city_transfer channel with their reference', async () => {
    const res = await post(
      '/requests.xml',
      goodRequest({
        api_key: cityKey,
        service_code: 'LJQY',
        'attribute[city_ref]': 'SJ2026-000123',
        'attribute[type]': 'help',
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const [r] = children(xml(res), 'request');
    const id = childText(r, 'service_request_id')!;
    const [c] = await env.database.query<{ channel: string; external_ref: string; type: string }>(
      'SELECT channel, external_ref, type FROM cases WHERE number = $1',
      [id],
    );
    expect(c).toEqual({ channel: 'city_transfer', external_ref: 'SJ2026-000123', type: 'help' });
    const [extras] = await env.database.query<{ email: string; device_id: string }>(
      'SELECT o.email, o.device_id FROM open311_requests o JOIN cases c ON c.id = o.case_id WHERE c.number = $1',
      [id],
    );
    expect(extras).toEqual({ email: 'wang@example.com', device_id: 'dev-001' });
  });

  it('answers 403 in the spec format for a bad, missing or deactivated api_key, filing nothing', async () => {
    const before = await env.database.query('SELECT id FROM cases');
    const d = expectSpecError(await post('/requests.xml', goodRequest({ api_key: 'wrong-key' })), 403, 'xml');
    expect(d).toContain('api_key');
    expectSpecError(await post('/requests.json', goodRequest({ api_key: '' })), 403, 'json');
    expectSpecError(await post('/requests.json', goodRequest({ api_key: disabledKey })), 403, 'json');
    const en = await env.app.inject({
      method: 'POST',
      url: `${V2}/requests.json`,
      ...form(goodRequest({ api_key: 'nope' })),
      headers: { ...form({}).headers, 'accept-language': 'en' },
    });
    expect(JSON.parse(en.body)[0].description).toBe("Invalid api_key received -- can't proceed with create_request.");
    expect(await env.database.query('SELECT id FROM cases')).toHaveLength(before.length);
  });

  it('answers 404 for an unknown service (as the spec says), 400 for a missing field or a bad value', async () => {
    const before = await env.database.query('SELECT id FROM cases');
    expectSpecError(await post('/requests.json', goodRequest({ service_code: 'NOPE' })), 404, 'json');
    expectSpecError(await post('/requests.xml', goodRequest({ service_code: 'SRHW' })), 404, 'xml');
    expect(expectSpecError(await post('/requests.json', goodRequest({ service_code: '' })), 400, 'json')).toContain(
      'service_code',
    );
    expect(
      expectSpecError(
        await post('/requests.json', goodRequest({ lat: '', long: '', address_string: '' })),
        400,
        'json',
      ),
    ).toContain('lat');
    expect(expectSpecError(await post('/requests.json', goodRequest({ long: '' })), 400, 'json')).toContain('long');
    expect(expectSpecError(await post('/requests.json', goodRequest({ lat: '95' })), 400, 'json')).toContain('lat');
    expect(
      expectSpecError(await post('/requests.json', goodRequest({ 'attribute[type]': 'party' })), 400, 'json'),
    ).toContain('attribute[type]');
    expect(
      expectSpecError(await post('/requests.json', goodRequest({ description: 'x'.repeat(4001) })), 400, 'json'),
    ).toContain('description');
    const notForm = await env.app.inject({
      method: 'POST',
      url: `${V2}/requests.xml`,
      payload: '<a/>',
      headers: { 'content-type': 'application/xml' },
    });
    expectSpecError(notForm, 400, 'xml');
    expect(await env.database.query('SELECT id FROM cases')).toHaveLength(before.length);
  });

  it('accepts a request with only an address_id and no description', async () => {
    const res = await post('/requests.json', { api_key: apiKey, service_code: 'ZDJY', address_id: 'ADDR-9981' });
    expect(res.statusCode, res.body).toBe(200);
    const [{ service_request_id }] = JSON.parse(res.body);
    const [r] = jsonOf<{ address_id: string; description: string; lat: number | null }[]>(
      await get(`/requests/${service_request_id}.json`),
    );
    expect(r).toMatchObject({ address_id: 'ADDR-9981', lat: null });
    expect(r.description).toContain('占道经营');
  });
});

describe('GET requests', () => {
  it('answers 404 for an unknown request or token, in the requested format', async () => {
    expectSpecError(await get('/requests/HJ2099010100001.json'), 404, 'json');
    expectSpecError(await get('/requests/HJ2099010100001.xml'), 404, 'xml');
    expectSpecError(await get('/tokens/nope.json'), 404, 'json');
    expectSpecError(await get('/nothing-here.json'), 404, 'json');
  });

  it('resolves a token (a service_request_id, since every answer is real time)', async () => {
    const [any] = jsonOf<{ service_request_id: string }[]>(await get('/requests.json'));
    const [t] = jsonOf<{ service_request_id: string; token: string }[]>(
      await get(`/tokens/${any.service_request_id}.json`),
    );
    expect(t).toEqual({ service_request_id: any.service_request_id, token: any.service_request_id });
  });

  it('filters by id list, service code and date range (90 days by default), newest first', async () => {
    const all = jsonOf<{ service_request_id: string; service_code: string; requested_datetime: string }[]>(
      await get('/requests.json'),
    );
    expect(all.length).toBe(3);
    const [a, b] = all;
    const byIds = jsonOf<{ service_request_id: string }[]>(
      await get(`/requests.json?service_request_id=${a.service_request_id},${b.service_request_id}&status=closed`),
    );
    expect(byIds.map((x) => x.service_request_id).sort()).toEqual([a.service_request_id, b.service_request_id].sort()); // ids override the rest
    const lj = jsonOf<{ service_code: string }[]>(await get('/requests.json?service_code=LJQY'));
    expect(lj.map((x) => x.service_code)).toEqual(['LJQY']);
    expect(jsonOf<unknown[]>(await get('/requests.json?service_code=NOPE'))).toEqual([]);

    // Move one case 100 days back: out of the default window, inside an explicit one.
    await env.database.query(`UPDATE cases SET created_at = now() - interval '100 days' WHERE number = $1`, [
      a.service_request_id,
    ]);
    const recent = jsonOf<{ service_request_id: string }[]>(await get('/requests.json'));
    expect(recent.map((x) => x.service_request_id)).not.toContain(a.service_request_id);
    const from = new Date(Date.now() - 120 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const to = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 19) + '+08:00';
    const old = jsonOf<{ service_request_id: string }[]>(
      await get(`/requests.json?start_date=${from}&end_date=${encodeURIComponent(to)}`),
    );
    expect(old.map((x) => x.service_request_id)).toEqual([a.service_request_id]);
    const xmlList = xml(await get(`/requests.xml?start_date=${from}&end_date=${encodeURIComponent(to)}`));
    expect(children(xmlList, 'request')).toHaveLength(1);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect(jsonOf<unknown[]>(await get(`/requests.json?start_date=${future}`))).toEqual([]);
  });

  it('answers 400 for bad filters', async () => {
    expect(expectSpecError(await get('/requests.json?start_date=yesterday'), 400, 'json')).toContain('start_date');
    expect(expectSpecError(await get('/requests.json?start_date=2026-01-01T10:00:00'), 400, 'json')).toContain(
      'start_date',
    ); // no time zone
    expect(
      expectSpecError(
        await get('/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'),
        400,
        'xml',
      ),
    ).toContain('90');
    expect(expectSpecError(await get('/requests.json?status=pending'), 400, 'json')).toContain('status');
  });
});

describe('API key administration', () => {
  it('is for admins only and never shows a key again', async () => {
    expect((await env.anon.get('/api/open311/keys')).statusCode).toBe(401);
    expect((await handler.get('/api/open311/keys')).statusCode).toBe(403);
    expect((await handler.post('/api/open311/keys', { name: 'x' })).statusCode).toBe(403);
    const list = await admin.get('/api/open311/keys');
    expect(list.statusCode).toBe(200);
    const keys = list.json() as { name: string; requestCount: number; lastUsedAt: string | null; keyHint: string }[];
    expect(keys.map((k) => k.name)).toEqual(['市民随手拍App', '市级12345平台', '已停用客户端']);
    expect(keys[0].requestCount).toBe(2);
    expect(keys[0].lastUsedAt).not.toBeNull();
    expect(list.body).not.toContain(apiKey);
    expect(list.body).not.toContain('keyHash');
  });

  it('rejects bad input naming the field, and unknown ids with 404', async () => {
    const r1 = await admin.post('/api/open311/keys', { name: '' });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.field).toBe('name');
    const r2 = await admin.post('/api/open311/keys', { name: 'ok', channel: 'fax' });
    expect(r2.json().error.field).toBe('channel');
    const r3 = await admin.patch('/api/open311/keys/1', { active: 'no' });
    expect(r3.json().error.field).toBe('active');
    expect((await admin.patch('/api/open311/keys/999999', { active: false })).statusCode).toBe(404);
    const audit = await env.database.query(`SELECT action FROM audit_entries WHERE action LIKE 'open311_key.%'`);
    expect(audit.length).toBe(4); // three keys created, one deactivated
  });
});

// Last, as it adds a case and uses the key (earlier tests count both).
describe('personal data', () => {
  it('masks phone and ID numbers written into the description (GET needs no api_key), while staff see them', async () => {
    const res = await post(
      '/requests.json',
      goodRequest({ description: '路灯不亮，请回电13812345678，身份证420106199001011234' }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const [{ service_request_id }] = JSON.parse(res.body);
    const [r] = jsonOf<{ description: string }[]>(await get(`/requests/${service_request_id}.json`));
    expect(r.description).toBe('路灯不亮，请回电138****5678，身份证4201**********1234');
    const [stored] = await env.database.query<{ description: string }>(
      'SELECT description FROM cases WHERE number = $1',
      [service_request_id],
    );
    expect(stored.description).toContain('13812345678');
  });
});
