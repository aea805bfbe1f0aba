import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { seedCalendarFromPackage } from './calendar.seed.js';
import { beijingYear, loadCalendar } from './calendar.service.js';

let env: TestEnv;
let admin: Client;
let reporter: Client;

beforeAll(async () => {
  env = await createTestEnv();
  await seedCalendarFromPackage(env.database);
  admin = await env.userClient({ roles: ['admin'] });
  reporter = await env.userClient({ roles: ['reporter'], unitId: await env.buildUnit() });
});
afterAll(async () => env?.close());

const addDays = async (from: string, days: number | string) => {
  const res = await env.anon.get(`/api/calendar/add-working-days?from=${from}&days=${days}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().date as string;
};
const dayRow = async (day: string) =>
  (
    await env.database.query<{ kind: string; name: string; source: string }>(
      'SELECT kind, name, source FROM calendar_days WHERE day = $1',
      [day],
    )
  )[0] ?? null;
const auditCount = async (action: string) =>
  (
    await env.database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries WHERE action = $1', [action])
  )[0].n;

describe('public calendar endpoints', () => {
  it('adds working days across National Day 2025 without login', async () => {
    expect(await addDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(await addDays('2025-09-30', 3)).toBe('2025-10-11'); // make-up Saturday
    expect(await addDays('2025-09-30', 0)).toBe('2025-09-30');
    expect(await addDays('2026-02-13', 2)).toBe('2026-02-24');
  });

  it('says whether a day is a working day, with the holiday name', async () => {
    const off = await env.anon.get('/api/calendar/is-working-day?date=2025-10-01');
    expect(off.statusCode).toBe(200);
    expect(off.json()).toEqual({ date: '2025-10-01', working: false, name: '国庆节', kind: 'holiday' });
    const makeUp = await env.anon.get('/api/calendar/is-working-day?date=2025-10-11');
    expect(makeUp.json()).toMatchObject({ working: true, kind: 'workday' });
    const sunday = await env.anon.get('/api/calendar/is-working-day?date=2025-11-16');
    expect(sunday.json()).toEqual({ date: '2025-11-16', working: false, name: null, kind: 'weekend' });
  });

  it('rejects bad input with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['from=2026-02-30&days=1', 'from'],
      ['from=2026-2-3&days=1', 'from'],
      ['from=tomorrow&days=1', 'from'],
      ['from=2025-09-30&days=-1', 'days'],
      ['from=2025-09-30&days=1.5', 'days'],
      ['from=2025-09-30&days=abc', 'days'],
      ['from=2025-09-30&days=3651', 'days'],
      ['from=2025-09-30', 'days'],
      ['days=3', 'from'],
      ['from=1899-12-31&days=3', 'from'],
    ];
    for (const [query, field] of cases) {
      const res = await env.anon.get(`/api/calendar/add-working-days?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error, query).toMatchObject({ code: 'VALIDATION', field });
    }
    const missing = await env.anon.get('/api/calendar/is-working-day');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('date');
  });
});

describe('calendar administration', () => {
  it('lets any signed-in user read a year, not the public', async () => {
    expect((await env.anon.get('/api/calendar/days?year=2025')).statusCode).toBe(401);
    const res = await reporter.get('/api/calendar/days?year=2025');
    expect(res.statusCode).toBe(200);
    const days = res.json() as { date: string; kind: string; name: string; source: string }[];
    expect(days).toContainEqual({ date: '2025-10-11', kind: 'workday', name: '国庆节', source: 'package' });
    expect(days.every((d) => d.date.startsWith('2025-'))).toBe(true);
    expect((await reporter.get('/api/calendar/days?year=abc')).json().error.field).toBe('year');
  });

  it('an admin edit changes the deadline and is audited', async () => {
    expect(await addDays('2025-11-14', 1)).toBe('2025-11-17');
    const before = await auditCount('calendar_day.upsert');
    const res = await admin.put('/api/calendar/days/2025-11-17', { kind: 'holiday', name: '临时调整' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ date: '2025-11-17', kind: 'holiday', name: '临时调整', source: 'admin' });
    expect(await addDays('2025-11-14', 1)).toBe('2025-11-18');
    expect(await auditCount('calendar_day.upsert')).toBe(before + 1);
    const [entry] = await env.database.query<{ entity_id: string; actor_name: string; after: { kind: string } }>(
      `SELECT entity_id, actor_name, after FROM audit_entries WHERE action = 'calendar_day.upsert' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry).toMatchObject({ entity_id: '2025-11-17', actor_name: admin.username, after: { kind: 'holiday' } });

    // A make-up Saturday, then deleting both overrides restores the plain rule.
    expect((await admin.put('/api/calendar/days/2025-11-15', { kind: 'workday', name: '补班' })).statusCode).toBe(200);
    expect(await addDays('2025-11-14', 1)).toBe('2025-11-15');
    expect((await admin.delete('/api/calendar/days/2025-11-15')).statusCode).toBe(204);
    expect((await admin.delete('/api/calendar/days/2025-11-17')).statusCode).toBe(204);
    expect(await addDays('2025-11-14', 1)).toBe('2025-11-17');
    expect(await auditCount('calendar_day.delete')).toBe(2);
    expect((await admin.delete('/api/calendar/days/2025-11-17')).statusCode).toBe(404);
  });

  it('validates the admin edit', async () => {
    const badKind = await admin.put('/api/calendar/days/2025-11-20', { kind: 'party', name: 'x' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.field).toBe('kind');
    const badDate = await admin.put('/api/calendar/days/2025-02-29', { kind: 'holiday' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.field).toBe('date');
    const longName = await admin.put('/api/calendar/days/2025-11-20', { kind: 'holiday', name: '长'.repeat(51) });
    expect(longName.json().error.field).toBe('name');
    expect(await dayRow('2025-11-20')).toBeNull();
  });

  it('refuses writes from a non-admin (403) and the public (401) without changing anything', async () => {
    const audits = await auditCount('calendar_day.upsert');
    const r1 = await reporter.put('/api/calendar/days/2025-10-01', { kind: 'workday', name: 'x' });
    expect(r1.statusCode).toBe(403);
    expect(r1.json().error.code).toBe('FORBIDDEN');
    expect((await reporter.delete('/api/calendar/days/2025-10-01')).statusCode).toBe(403);
    expect(
      (await reporter.put('/api/calendar/years/2025', { days: [{ date: '2025-01-01', kind: 'holiday', name: 'x' }] }))
        .statusCode,
    ).toBe(403);

    const a1 = await env.anon.put('/api/calendar/days/2025-10-01', { kind: 'workday', name: 'x' });
    expect(a1.statusCode).toBe(401);
    expect(a1.json().error.code).toBe('UNAUTHENTICATED');
    expect((await env.anon.delete('/api/calendar/days/2025-10-01')).statusCode).toBe(401);
    expect(
      (await env.anon.put('/api/calendar/years/2025', { days: [{ date: '2025-01-01', kind: 'holiday', name: 'x' }] }))
        .statusCode,
    ).toBe(401);

    expect(await dayRow('2025-10-01')).toEqual({ kind: 'holiday', name: '国庆节', source: 'package' });
    const year = await env.database.query<{ source: string }>('SELECT source FROM calendar_years WHERE year = 2025');
    expect(year).toEqual([{ source: 'package' }]);
    expect(await addDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(await auditCount('calendar_day.upsert')).toBe(audits);
  });

  it('enters a new year and clears the warning for it', async () => {
    const current = beijingYear(new Date());
    const next = current + 1;
    // Make the test independent of the package's coverage: drop any data of the two years.
    await env.database.query('DELETE FROM calendar_days WHERE extract(year from day)::int IN ($1, $2)', [
      current,
      next,
    ]);
    await env.database.query('DELETE FROM calendar_years WHERE year IN ($1, $2)', [current, next]);

    expect((await env.anon.get('/api/calendar/status')).statusCode).toBe(401);
    const s1 = (await reporter.get('/api/calendar/status')).json() as { warnings: { year: number; message: string }[] };
    expect(s1.warnings).toEqual([
      { year: current, message: `${current} 年尚无法定节假日数据，请录入国务院办公厅发布的放假安排` },
      { year: next, message: `${next} 年尚无法定节假日数据，请录入国务院办公厅发布的放假安排` },
    ]);

    const put = await admin.put(`/api/calendar/years/${current}`, {
      days: [
        { date: `${current}-10-02`, kind: 'holiday', name: '国庆节' },
        { date: `${current}-10-01`, kind: 'holiday', name: '国庆节' },
        { date: `${current}-09-27`, kind: 'workday', name: '国庆节' },
      ],
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().map((d: { date: string }) => d.date)).toEqual([
      `${current}-09-27`,
      `${current}-10-01`,
      `${current}-10-02`,
    ]);
    expect(await auditCount('calendar_year.replace')).toBe(1);

    const s2 = (await admin.get('/api/calendar/status', { 'accept-language': 'en' })).json() as {
      years: { year: number; source: string | null; confirmedAt: string | null; days: number }[];
      warnings: { year: number; message: string }[];
    };
    expect(s2.warnings.map((w) => w.year)).toEqual([next]);
    expect(s2.warnings[0].message).toMatch(/no official holiday data/);
    expect(s2.years.find((y) => y.year === current)).toMatchObject({ source: 'admin', days: 3 });
    expect(s2.years.find((y) => y.year === 2024)).toMatchObject({ source: 'package' });

    // Entering the year again replaces its rows.
    await admin.put(`/api/calendar/years/${current}`, {
      days: [{ date: `${current}-01-01`, kind: 'holiday', name: '元旦' }],
    });
    expect(((await admin.get(`/api/calendar/days?year=${current}`)).json() as unknown[]).length).toBe(1);
  });

  it('refuses a year arrangement with a date outside the year or twice', async () => {
    const before = await env.database.query('SELECT day FROM calendar_days WHERE day BETWEEN $1 AND $2 ORDER BY day', [
      '2024-01-01',
      '2024-12-31',
    ]);
    const outside = await admin.put('/api/calendar/years/2024', {
      days: [
        { date: '2024-01-01', kind: 'holiday', name: '元旦' },
        { date: '2024-02-10', kind: 'holiday', name: '春节' },
        { date: '2024-02-04', kind: 'workday', name: '春节' },
        { date: '2025-01-01', kind: 'holiday', name: '元旦' },
      ],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error).toMatchObject({ code: 'VALIDATION', field: 'days.3.date' });
    const twice = await admin.put('/api/calendar/years/2024', {
      days: [
        { date: '2024-01-01', kind: 'holiday', name: '元旦' },
        { date: '2024-01-01', kind: 'workday', name: '元旦' },
      ],
    });
    expect(twice.json().error.field).toBe('days.1.date');
    const badDate = await admin.put('/api/calendar/years/2024', { days: [{ date: '2024-13-01', kind: 'holiday' }] });
    expect(badDate.json().error.field).toBe('days.0.date');
    const empty = await admin.put('/api/calendar/years/2024', { days: [] });
    expect(empty.json().error.field).toBe('days');
    const badYear = await admin.put('/api/calendar/years/99', { days: [{ date: '2024-01-01', kind: 'holiday' }] });
    expect(badYear.json().error.field).toBe('year');
    const after = await env.database.query('SELECT day FROM calendar_days WHERE day BETWEEN $1 AND $2 ORDER BY day', [
      '2024-01-01',
      '2024-12-31',
    ]);
    expect(after).toEqual(before);
  });

  it('loads the calendar for other modules in one call', async () => {
    const cal = await loadCalendar(env.app.xn.db);
    expect(cal.holidays.has('2025-10-01')).toBe(true);
    expect(cal.workdays.has('2024-02-04')).toBe(true); // make-up Sunday, Spring Festival 2024
    expect(cal.holidays.size + cal.workdays.size).toBeGreaterThan(500);
  });
});
