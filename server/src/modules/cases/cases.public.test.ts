import { createHmac } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../lib/passwords.js';
import { DEFAULT_SECURITY } from '../../config.js';
import { createTestEnv, testConfig, type Client, type TestEnv } from '../../test/helpers.js';
import {
  hashQueryPassword,
  PEPPER_SETTING_KEY,
  passwordPepper,
  upgradeQueryPasswordHashes,
  verifyQueryPassword,
} from './cases.password.js';
import { storedPath } from './cases.files.js';
import { TRACK_LIMITS, trackBackoffSeconds } from './cases.public.js';
import { PUBLIC_SUBMISSIONS_PER_HOUR } from './cases.service.js';
import { buildCaseCategory, count, expect400, expectOk, multipart, PNG } from './cases.testkit.js';

const DATA_DIR = path.resolve('.tmp', `cases-public-${process.pid}`);
let env: TestEnv;
let cat: number;
let unit: number;
let agent: Client;
let handler: Client;
let ipSeq = 0;
/** A fresh client address per test, so per-IP limits do not leak between tests. */
const ip = () => ({ 'x-forwarded-for': `10.0.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}` });

const submit = (body: Record<string, unknown>, headers = ip()) =>
  env.anon.request({ method: 'POST', url: '/api/public/cases', payload: body, headers });
const track = (number: string, password: string, headers = ip()) =>
  env.anon.request({ method: 'POST', url: '/api/public/cases/track', payload: { number, password }, headers });
const good = () => ({
  categoryId: cat,
  type: 'complaint',
  description: '小区门口垃圾堆放多日无人清运，气味难闻',
  address: '宝丰一路12号',
  name: '李四',
  phone: '13700001111',
});

beforeAll(async () => {
  // The tests play several citizens' addresses with X-Forwarded-For: trust it here (TRUST_PROXY is off by default).
  env = await createTestEnv({ dataDir: DATA_DIR, security: { ...DEFAULT_SECURITY, trustProxy: true } });
  unit = await env.buildUnit({ name: '汉正街街道', kind: 'street' });
  cat = await buildCaseCategory(env, { name: '垃圾清运', defaultUnitId: unit, timeLimitDays: 3 });
  agent = await env.userClient({ roles: ['agent'] });
  handler = await env.userClient({ roles: ['handler'], unitId: unit });
});
afterAll(async () => {
  await env?.close();
  rmSync(DATA_DIR, { recursive: true, force: true });
});

describe('public submission', () => {
  it('lists active categories without login', async () => {
    const cats = expectOk(await env.anon.get('/api/public/case-categories')) as unknown as {
      id: number;
      name: string;
    }[];
    expect(cats.find((c) => c.id === cat)?.name).toBe('垃圾清运');
  });

  it('accepts a JSON submission and returns the number and password once, queueing the SMS', async () => {
    const res = expectOk(await submit(good()), 201) as unknown as {
      number: string;
      password: string;
      timeLimitDays: number;
    };
    expect(res.number).toMatch(/^HJ\d{13}$/);
    expect(res.password).toMatch(/^\d{6}$/);
    expect(res.timeLimitDays).toBe(3);
    const row = (
      await env.database.query<Record<string, unknown>>('SELECT * FROM cases WHERE number = $1', [res.number])
    )[0];
    expect(row).toMatchObject({ channel: 'web', status: 'accepted', requester_phone: '13700001111', created_by: null });
    expect(await count(env, 'sms_outbox', `case_id = $1 AND template = 'acceptance'`, [row.id])).toBe(1);
    const ev = (
      await env.database.query<{ actor_role: string; actor_name: string }>(
        'SELECT actor_role, actor_name FROM case_events WHERE case_id = $1',
        [row.id],
      )
    )[0];
    expect(ev).toEqual({ actor_role: 'citizen', actor_name: '市民' });
  });

  it('accepts a multipart submission with a photo, stored by content hash', async () => {
    const form = multipart(
      {
        categoryId: String(cat),
        description: '路灯不亮已经一周了，夜里很危险',
        address: '汉正街18号',
        lat: '30.58',
        lng: '114.27',
      },
      [{ field: 'photo', filename: '路灯.png', content: PNG, type: 'image/png' }],
    );
    const res = expectOk(
      await env.anon.request({
        method: 'POST',
        url: '/api/public/cases',
        ...form,
        headers: { ...form.headers, ...ip() },
      }),
      201,
    ) as unknown as {
      number: string;
    };
    const c = (
      await env.database.query<{ id: number; lat: number; anonymous: boolean }>(
        'SELECT id, lat, anonymous FROM cases WHERE number = $1',
        [res.number],
      )
    )[0];
    expect(c.lat).toBeCloseTo(30.58);
    expect(c.anonymous).toBe(true); // neither name nor phone
    const att = await env.database.query<{ sha256: string; kind: string; mime: string }>(
      'SELECT sha256, kind, mime FROM case_attachments WHERE case_id = $1',
      [c.id],
    );
    expect(att).toHaveLength(1);
    expect(att[0]).toMatchObject({ kind: 'intake', mime: 'image/png' });
    expect(existsSync(storedPath(DATA_DIR, att[0].sha256))).toBe(true);
    // No phone → no SMS.
    expect(await count(env, 'sms_outbox', 'case_id = $1', [c.id])).toBe(0);
  });

  it('refuses bad input on every public route with the field named, never 500, storing nothing', async () => {
    const before = {
      cases: await count(env, 'cases'),
      sms: await count(env, 'sms_outbox'),
      att: await count(env, 'case_attachments'),
      ev: await count(env, 'case_events'),
    };
    const g = good();
    expect400(await submit({ ...g, categoryId: undefined }), 'categoryId');
    expect400(await submit({ ...g, categoryId: 'abc' }), 'categoryId');
    expect400(await submit({ ...g, categoryId: 999999 }), 'categoryId');
    expect400(await submit({ ...g, type: 'praise' }), 'type');
    expect400(await submit({ ...g, description: '太短了' }), 'description');
    expect400(await submit({ ...g, description: 'x'.repeat(2001) }), 'description');
    expect400(await submit({ ...g, address: '' }), 'address');
    expect400(await submit({ ...g, phone: '110' }), 'phone');
    expect400(await submit({ ...g, name: 'n'.repeat(51) }), 'name');
    expect400(await submit({ ...g, lat: 30.5 }), 'lng');
    expect400(await submit({ ...g, lat: 'north', lng: 114 }), 'lat');
    const inactive = await buildCaseCategory(env, { active: false });
    expect400(await submit({ ...g, categoryId: inactive }), 'categoryId');
    // Not JSON at all / malformed JSON.
    const raw = await env.anon.request({
      method: 'POST',
      url: '/api/public/cases',
      payload: '{"categoryId": ',
      headers: { 'content-type': 'application/json', ...ip() },
    });
    expect(raw.statusCode).toBe(400);
    // Multipart: a non-image photo, too many photos.
    const notImage = multipart({ categoryId: String(cat), description: '垃圾堆放多日无人清运', address: '宝丰一路' }, [
      { field: 'photo', filename: 'a.png', content: Buffer.from('%PDF-1.4') },
    ]);
    expect400(
      await env.anon.request({
        method: 'POST',
        url: '/api/public/cases',
        ...notImage,
        headers: { ...notImage.headers, ...ip() },
      }),
      'photo',
    );
    const many = multipart(
      { categoryId: String(cat), description: '垃圾堆放多日无人清运', address: '宝丰一路' },
      [1, 2, 3, 4].map((i) => ({ field: 'photo', filename: `${i}.png`, content: PNG })),
    );
    expect400(
      await env.anon.request({
        method: 'POST',
        url: '/api/public/cases',
        ...many,
        headers: { ...many.headers, ...ip() },
      }),
      'photo',
    );
    const badField = multipart({
      categoryId: String(cat),
      description: '垃圾堆放多日无人清运',
      address: '宝丰一路',
      phone: 'abc',
    });
    expect400(
      await env.anon.request({
        method: 'POST',
        url: '/api/public/cases',
        ...badField,
        headers: { ...badField.headers, ...ip() },
      }),
      'phone',
    );
    // Tracking and rating.
    expect400(await track('HJ123', '123456'), 'number');
    expect400(await track('HJ2026112300001', '12345'), 'password');
    expect400(await track('HJ2026112300001', 'abcdef'), 'password');
    expect400(
      await env.anon.request({ method: 'POST', url: '/api/public/cases/track', payload: {}, headers: ip() }),
      'number',
    );
    expect400(
      await env.anon.request({
        method: 'POST',
        url: '/api/public/cases/rate',
        payload: { number: 'HJ2026112300001', password: '123456', rating: 'meh' },
        headers: ip(),
      }),
      'rating',
    );
    expect400(
      await env.anon.request({
        method: 'POST',
        url: '/api/public/cases/rate',
        payload: { number: 'HJ2026112300001', password: '123456', rating: 'satisfied', comment: 'c'.repeat(501) },
        headers: ip(),
      }),
      'comment',
    );
    expect({
      cases: await count(env, 'cases'),
      sms: await count(env, 'sms_outbox'),
      att: await count(env, 'case_attachments'),
      ev: await count(env, 'case_events'),
    }).toEqual(before);
  });

  it('limits submissions per address (stored in the database)', async () => {
    const from = ip();
    for (let i = 0; i < PUBLIC_SUBMISSIONS_PER_HOUR; i++)
      expect((await submit({ ...good(), phone: '' }, from)).statusCode).toBe(201);
    const res = await submit({ ...good(), phone: '' }, from);
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('TOO_MANY_REQUESTS');
    expect((await submit({ ...good(), phone: '' })).statusCode).toBe(201);
  });
});

describe('tracking', () => {
  it('shows the status and the public timeline only, with the requester masked', async () => {
    const created = expectOk(await submit(good()), 201) as unknown as { number: string; password: string };
    const id = (await env.database.query<{ id: number }>('SELECT id FROM cases WHERE number = $1', [created.number]))[0]
      .id;
    expectOk(await agent.post(`/api/cases/${id}/dispatch`, { leadUnitId: unit, note: '内部备注：请重点关注' }));
    expectOk(await agent.post(`/api/cases/${id}/remind`, { note: '内部催办意见' }));
    expectOk(await handler.post(`/api/cases/${id}/sign`));
    const res = await track(created.number.toLowerCase(), created.password);
    const t = expectOk(res) as unknown as {
      status: string;
      requesterName: string;
      requesterPhone: string;
      timeline: { type: string; text: string }[];
      canRate: boolean;
      leadUnitName: string;
    };
    expect(t.status).toBe('signed');
    expect(t.requesterName).toBe('李*');
    expect(t.requesterPhone).toBe('137****1111');
    expect(t.leadUnitName).toBe('汉正街街道');
    expect(t.canRate).toBe(false);
    expect(t.timeline.map((e) => e.type)).toEqual(['created', 'dispatched', 'signed']);
    expect(res.body).not.toContain('内部');
    expect(res.body).not.toContain('13700001111');
    expect(res.body).not.toContain('argon2');
    // Rating before verification is refused.
    expect(
      (
        await env.anon.request({
          method: 'POST',
          url: '/api/public/cases/rate',
          payload: { ...created, rating: 'satisfied' },
          headers: ip(),
        })
      ).statusCode,
    ).toBe(409);
  });

  it("an attacker's wrong guesses lock only the attacker's address, not the owner (no lockout of sequential numbers)", async () => {
    const created = expectOk(await submit(good()), 201) as unknown as { number: string; password: string };
    const wrong = created.password === '000000' ? '111111' : '000000';
    const attacker = ip();
    for (let i = 0; i < TRACK_LIMITS.perPair; i++) expect400(await track(created.number, wrong, attacker), 'password');
    // The attacker's address is stopped on this number, even with the right password …
    expect((await track(created.number, created.password, attacker)).statusCode).toBe(429);
    // … while the owner, from their own address, gets in.
    expect((await track(created.number, created.password)).statusCode).toBe(200);
    expect(await count(env, 'case_track_failures', 'number = $1', [created.number])).toBe(TRACK_LIMITS.perPair);
    // Failures are audited.
    expect(await count(env, 'audit_entries', `action = 'case.track_failed'`)).toBeGreaterThanOrEqual(
      TRACK_LIMITS.perPair,
    );
    // Once the window has passed, the attacker's address may try again.
    await env.database.query(`UPDATE case_track_failures SET at = now() - interval '16 minutes' WHERE number = $1`, [
      created.number,
    ]);
    expect((await track(created.number, created.password, attacker)).statusCode).toBe(200);
  });

  it('slows guessing from many addresses with a per-number backoff (shown in seconds), never a lock', async () => {
    const created = expectOk(await submit(good()), 201) as unknown as { number: string; password: string };
    const wrong = created.password === '000000' ? '111111' : '000000';
    for (let i = 0; i < TRACK_LIMITS.freePerNumberDay; i++) expect400(await track(created.number, wrong), 'password');
    // Past the free failures, the next attempt waits 2^0 s after the last failure, from any address.
    const waiting = await track(created.number, created.password);
    expect(waiting.statusCode).toBe(429);
    expect(waiting.json().error.message).toMatch(/请 \d+ 秒后再试/);
    await env.database.query(`UPDATE case_track_failures SET at = at - interval '2 seconds' WHERE number = $1`, [
      created.number,
    ]);
    expect((await track(created.number, created.password)).statusCode).toBe(200);
    // The wait doubles per further failure, up to the cap: a citizen waits minutes at worst.
    const now = new Date();
    expect(trackBackoffSeconds(TRACK_LIMITS.freePerNumberDay + 3, now, now)).toBe(8);
    expect(trackBackoffSeconds(TRACK_LIMITS.freePerNumberDay + 40, now, now)).toBe(TRACK_LIMITS.maxBackoffSeconds);
    expect(trackBackoffSeconds(TRACK_LIMITS.freePerNumberDay + 3, new Date(now.getTime() - 5000), now)).toBe(3);
    expect(trackBackoffSeconds(TRACK_LIMITS.freePerNumberDay - 1, now, now)).toBe(0);
  });

  it('limits wrong guesses per address across numbers', async () => {
    const from = ip();
    for (let i = 0; i < TRACK_LIMITS.perIp; i++)
      expect((await track(`HJ20261123${String(90000 + i)}`, '123456', from)).statusCode).toBe(400);
    expect((await track('HJ2026112399999', '123456', from)).statusCode).toBe(429);
    expect((await track('HJ2026112399999', '123456')).statusCode).toBe(400);
  });

  it('stores an HMAC that the database alone cannot reproduce: wrapped with the pepper kept outside it', async () => {
    const created = expectOk(await submit(good()), 201) as unknown as { number: string; password: string };
    const settings = await env.database.query<{ value: unknown }>('SELECT value FROM app_settings WHERE key = $1', [
      PEPPER_SETTING_KEY,
    ]);
    expect(settings).toHaveLength(1);
    const pepper = Buffer.from(String(settings[0].value), 'base64');
    expect(pepper.length).toBe(32);
    expect(await passwordPepper(env.database.db)).toEqual(pepper);
    const [row] = await env.database.query<{ password_hash: string }>(
      'SELECT password_hash FROM cases WHERE number = $1',
      [created.number],
    );
    expect(row.password_hash).toBe(hashQueryPassword(pepper, created.number, created.password));
    // What someone holding only a copy of the database computes does not match the stored hash …
    const dbOnly = createHmac('sha256', pepper).update(`${created.number}:${created.password}`).digest('base64url');
    expect(row.password_hash).not.toContain(dbOnly);
    // … it takes the outer key from the configuration (QUERY_PEPPER), which is not in any table.
    const inner = createHmac('sha256', pepper).update(`${created.number}:${created.password}`).digest();
    expect(row.password_hash).toBe(
      `hmac2$${createHmac('sha256', testConfig().queryPepper).update(inner).digest('base64url')}`,
    );
    const tables = await env.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM app_settings WHERE value::text LIKE $1`,
      [`%${testConfig().queryPepper.toString('base64').slice(0, 16)}%`],
    );
    expect(tables[0].n).toBe(0);
    // Bound to the number, the pepper and the password.
    expect(await verifyQueryPassword(pepper, created.number, row.password_hash, created.password)).toBe(true);
    expect(await verifyQueryPassword(pepper, 'HJ2026010100001', row.password_hash, created.password)).toBe(false);
    expect(await verifyQueryPassword(Buffer.alloc(32, 1), created.number, row.password_hash, created.password)).toBe(
      false,
    );
    expect(await verifyQueryPassword(pepper, created.number, 'hmac-sha256$short', created.password)).toBe(false);
    expect(await verifyQueryPassword(pepper, created.number, '', created.password)).toBe(false);
  });

  it('wraps hashes of the earlier form at start-up; they verify before and after', async () => {
    const created = expectOk(await submit(good()), 201) as unknown as { number: string; password: string };
    const pepper = await passwordPepper(env.database.db);
    const legacy = `hmac-sha256$${createHmac('sha256', pepper).update(`${created.number}:${created.password}`).digest('base64url')}`;
    await env.database.query('UPDATE cases SET password_hash = $1 WHERE number = $2', [legacy, created.number]);
    expect((await track(created.number, created.password)).statusCode).toBe(200);
    expect(await upgradeQueryPasswordHashes(env.database.db)).toBeGreaterThanOrEqual(1);
    const [row] = await env.database.query<{ password_hash: string }>(
      'SELECT password_hash FROM cases WHERE number = $1',
      [created.number],
    );
    expect(row.password_hash).toBe(hashQueryPassword(pepper, created.number, created.password));
    expect((await track(created.number, created.password)).statusCode).toBe(200);
    expect(await upgradeQueryPasswordHashes(env.database.db)).toBe(0);
    expect(await count(env, 'audit_entries', `action = 'case.query_passwords_rewrapped'`)).toBeGreaterThanOrEqual(1);
  });

  it('still accepts the argon2 hashes of older cases', async () => {
    const created = expectOk(await submit(good()), 201) as unknown as { number: string; password: string };
    await env.database.query('UPDATE cases SET password_hash = $1 WHERE number = $2', [
      await hashPassword('654321'),
      created.number,
    ]);
    expect((await track(created.number, '654321')).statusCode).toBe(200);
    expect400(await track(created.number, created.password === '654321' ? '111111' : created.password), 'password');
  });

  it('the same answer for an unknown number and a wrong password', async () => {
    const created = expectOk(await submit(good()), 201) as unknown as { number: string; password: string };
    const wrong = created.password === '000000' ? '111111' : '000000';
    const a = await track(created.number, wrong);
    const b = await track('HJ2026010100001', wrong);
    expect(a.statusCode).toBe(400);
    expect(b.statusCode).toBe(400);
    expect(a.json()).toEqual(b.json());
  });

  it('the citizen rates a verified case; satisfied closes it', async () => {
    const created = expectOk(await submit(good()), 201) as unknown as { number: string; password: string };
    const id = (await env.database.query<{ id: number }>('SELECT id FROM cases WHERE number = $1', [created.number]))[0]
      .id;
    expectOk(await agent.post(`/api/cases/${id}/dispatch`, { leadUnitId: unit }));
    expectOk(await handler.post(`/api/cases/${id}/sign`));
    expectOk(await handler.post(`/api/cases/${id}/report`, { result: '垃圾已清运，并增加清运频次' }));
    expectOk(await agent.post(`/api/cases/${id}/verify`, { ok: true }));
    const before = expectOk(await track(created.number, created.password)) as unknown as {
      canRate: boolean;
      result: string;
    };
    expect(before).toMatchObject({ canRate: true, result: '垃圾已清运，并增加清运频次' });
    const rated = expectOk(
      await env.anon.request({
        method: 'POST',
        url: '/api/public/cases/rate',
        payload: { ...created, rating: 'satisfied', comment: '很及时' },
        headers: ip(),
      }),
    ) as unknown as { status: string; rating: string; canRate: boolean };
    expect(rated).toMatchObject({ status: 'closed', rating: 'satisfied', canRate: false });
    // Rating with the wrong password counts as a failure.
    const wrong = created.password === '000000' ? '111111' : '000000';
    expect400(
      await env.anon.request({
        method: 'POST',
        url: '/api/public/cases/rate',
        payload: { number: created.number, password: wrong, rating: 'unsatisfied' },
        headers: ip(),
      }),
      'password',
    );
  });

  it('public routes need no CSRF token even for a signed-in browser', async () => {
    const res = await agent.request({
      method: 'POST',
      url: '/api/public/cases',
      payload: good(),
      headers: { 'x-csrf-token': '', ...ip() },
    });
    expect(res.statusCode).toBe(201);
  });
});
