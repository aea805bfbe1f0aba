// The year-to-date window counts a month once its reporting deadline has come, by reporting's rule
// (the monthDeadlines listener): a deadline on a day off moves to the next working day (法定节假日顺延).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { yearScores } from './scoring.cache.js';
import { dueByDeadlines } from './scoring.present.js';

let env: TestEnv;
let office: Client;
let yearId: number;
beforeAll(async () => {
  env = await createTestEnv();
  office = await env.userClient({ username: 'office_dl', roles: ['office'] });
  const [y] = await env.database.query<{ id: number }>(
    `INSERT INTO assessment_years(year, name, status, grade_rule, deadline_day)
     VALUES (2026, '2026年度', 'in_force', '{"by":"threshold","grades":[{"label":"优秀","threshold":90}]}', 15) RETURNING id`,
  );
  yearId = y.id;
  // The 2026 Spring Festival: 15–23 February off, Saturday the 14th worked.
  const off = Array.from({ length: 9 }, (_, i) => `('2026-02-${15 + i}', 'holiday', '春节')`).join(', ');
  await env.database.query(
    `INSERT INTO calendar_days(day, kind, name) VALUES ${off}, ('2026-02-14', 'workday', '春节调休')`,
  );
});
afterAll(async () => env?.close());

const at = (iso: string) => new Date(iso);

describe('month deadlines of the year-to-date window', () => {
  it('moves a deadline on a holiday to the next working day, as data collection does', async () => {
    const { meta } = await yearScores(env.database.db, yearId);
    expect(meta.monthDeadlines).toHaveLength(12);
    // January's 15 February 2026 falls in the Spring Festival holiday (15–23 Feb): due on the 24th.
    expect(meta.monthDeadlines![0]).toBe('2026-02-24');
    // February's 15 March 2026 is a Sunday: due on Monday the 16th; March's 15 April is a Wednesday.
    expect(meta.monthDeadlines!.slice(1, 3)).toEqual(['2026-03-16', '2026-04-15']);
    // On 20 February (Beijing) January is not due yet; with the plain 15th it would have been.
    expect(dueByDeadlines(meta.monthDeadlines!, at('2026-02-20T04:00:00Z'))).toBe(0);
    expect(dueByDeadlines(meta.monthDeadlines!, at('2026-02-24T04:00:00Z'))).toBe(1);
    expect(dueByDeadlines(meta.monthDeadlines!, at('2026-03-16T04:00:00Z'))).toBe(2);
  });

  it('follows the year setting: without 顺延 the deadline stays on the day off, and the cached year is rebuilt', async () => {
    const off = await office.put(`/api/reporting/settings/${yearId}`, { deadlineRollsOver: false });
    expect(off.statusCode, off.body).toBe(200);
    const { meta } = await yearScores(env.database.db, yearId);
    expect(meta.monthDeadlines!.slice(0, 2)).toEqual(['2026-02-15', '2026-03-15']);
    expect(dueByDeadlines(meta.monthDeadlines!, at('2026-02-20T04:00:00Z'))).toBe(1);
    const working = await office.put(`/api/reporting/settings/${yearId}`, {
      deadlineMode: 'working_days',
      deadlineWorkingDays: 3,
    });
    expect(working.statusCode, working.body).toBe(200);
    // 31 January + 3 working days: 2, 3, 4 February.
    expect((await yearScores(env.database.db, yearId)).meta.monthDeadlines![0]).toBe('2026-02-04');
  });
});
