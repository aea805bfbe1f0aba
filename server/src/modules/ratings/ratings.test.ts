import dayjs from 'dayjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { beijingDate } from '../../engine/workdays.js';
import { buildApp } from '../../app.js';
import { createTestEnv, testConfig, type Client, type TestEnv } from '../../test/helpers.js';
import { verifyChain } from '../audit/index.js';
import { buildCaseCategory, expectOk, intakeCase } from '../cases/cases.testkit.js';
import { isOverdue, moveRectification, rectificationDue, summarise } from './ratings.rules.js';
import { remindUnrated, resetRatingPageLimit } from './ratings.service.js';
import { invitedRating } from './ratings.testkit.js';

let env: TestEnv;
let deptA: number;
let deptB: number;
let cat: number;
let agent: Client;
let handlerA: Client;
let handlerB: Client;
let leaderA: Client;
let office: Client;
let supervisor: Client;
let reporterA: Client;

beforeAll(async () => {
  env = await createTestEnv();
  deptA = await env.buildUnit({ name: '城管局' });
  deptB = await env.buildUnit({ name: '交通局' });
  cat = await buildCaseCategory(env, { name: '占道经营', defaultUnitId: deptA, timeLimitDays: 5 });
  agent = await env.userClient({ roles: ['agent'] });
  handlerA = await env.userClient({ roles: ['handler'], unitId: deptA });
  handlerB = await env.userClient({ roles: ['handler'], unitId: deptB });
  leaderA = await env.userClient({ roles: ['unit_leader'], unitId: deptA });
  office = await env.userClient({ roles: ['office'] });
  supervisor = await env.userClient({ roles: ['supervisor'] });
  reporterA = await env.userClient({ roles: ['reporter'], unitId: deptA });
});
afterAll(async () => env?.close());
beforeEach(() => resetRatingPageLimit(env.database.db));

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);

/** A case driven from intake to verified through the API. */
async function verifiedCase(phone = '13912345678') {
  const c = await intakeCase(agent, { categoryId: cat, phone });
  expectOk(await agent.post(`/api/cases/${c.id}/dispatch`, { leadUnitId: deptA }));
  expectOk(await handlerA.post(`/api/cases/${c.id}/sign`));
  expectOk(await handlerA.post(`/api/cases/${c.id}/report`, { result: '已清理占道摊点' }));
  expectOk(await agent.post(`/api/cases/${c.id}/verify`, { ok: true, note: '电话核实' }));
  return c;
}

/** The token of the latest rating invitation SMS of a case (the link is in the message). */
async function tokenOfCase(caseId: number): Promise<string | undefined> {
  const rows = await q<{ body: string }>(
    `SELECT body FROM sms_outbox WHERE case_id = $1 AND template = 'rating_invite' ORDER BY id DESC LIMIT 1`,
    [caseId],
  );
  return rows[0]?.body.match(/\/rate\/([A-Za-z0-9_-]+)/)?.[1];
}

describe('rules', () => {
  it('gives the rectification 15 working days, skipping a holiday week and counting a make-up Saturday', () => {
    // National Day 2026: 10-01..10-07 off, Saturday 10-10 worked. Hand count from Monday 09-28:
    // 09-29 (1), 09-30 (2), 10-08 (3), 10-09 (4), 10-10 (5), 10-12..10-16 (6–10), 10-19..10-23 (11–15).
    const cal = {
      holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']),
      workdays: new Set(['2026-10-10']),
    };
    expect(rectificationDue(cal, '2026-09-28')).toBe('2026-10-23');
    // Without the holidays: 15 weekdays after 09-28 is 10-19.
    expect(rectificationDue({ holidays: new Set(), workdays: new Set() }, '2026-09-28')).toBe('2026-10-19');
  });

  it('summarises levels into the good rate and the 100-point score', () => {
    const s = summarise(['very_satisfied', 'satisfied', 'satisfied', 'basic', 'unsatisfied']);
    expect(s.rated).toBe(5);
    expect(s.goodRate).toBe(80); // 4 of 5
    expect(s.score).toBe(68); // (100 + 80 + 80 + 60 + 20) / 5
    expect(summarise([]).goodRate).toBeNull();
  });

  it('moves rectifications only along the flow, and flags them overdue while the department owes them', () => {
    expect(moveRectification('open', 'callback')).toBe('called_back');
    expect(moveRectification('open', 'submit')).toBeNull();
    expect(moveRectification('called_back', 'submit')).toBe('submitted');
    expect(moveRectification('submitted', 'return')).toBe('returned');
    expect(moveRectification('returned', 'submit')).toBe('submitted');
    expect(moveRectification('accepted', 'return')).toBeNull();
    expect(isOverdue({ status: 'open', dueDate: '2026-01-10' }, '2026-01-11')).toBe(true);
    expect(isOverdue({ status: 'submitted', dueDate: '2026-01-10' }, '2026-01-11')).toBe(false);
    expect(isOverdue({ status: 'open', dueDate: '2026-01-10' }, '2026-01-10')).toBe(false);
  });
});

describe('好差评 after a case closes', () => {
  it('invites by SMS on close, takes one rating from the phone page, and a 差评 opens a rectification', async () => {
    const c = await verifiedCase();
    expect(await tokenOfCase(c.id)).toBeUndefined(); // not closed yet
    expectOk(await agent.post(`/api/cases/${c.id}/feedback`, { rating: 'satisfied', comment: '回访满意' }));
    const token = await tokenOfCase(c.id);
    expect(token).toBeTruthy();
    // Only the hash is stored.
    expect(await q(`SELECT 1 FROM service_ratings WHERE token_hash = $1`, [token])).toEqual([]);

    const page = expectOk(await env.anon.get(`/api/public/ratings/${token}`));
    expect(page).toMatchObject({ subjectKind: 'case', subjectRef: c.number, unitName: '城管局', status: 'invited' });

    // A 差评 needs a reason; nothing is stored without one.
    const noReason = await env.anon.post(`/api/public/ratings/${token}`, { level: 'very_unsatisfied' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('comment');
    expect((await q(`SELECT status FROM service_ratings WHERE subject_id = $1`, [c.id]))[0]).toEqual({
      status: 'invited',
    });

    const rated = expectOk(
      await env.anon.post(`/api/public/ratings/${token}`, {
        level: 'very_unsatisfied',
        aspects: { attitude: 'unsatisfied', efficiency: 'very_unsatisfied' },
        comment: '摊贩第二天又回来了',
      }),
    );
    expect(rated).toMatchObject({ status: 'rated', level: 'very_unsatisfied' });
    // One rating per invitation: a second attempt is refused and changes nothing.
    const before = await q(`SELECT * FROM service_ratings WHERE subject_id = $1`, [c.id]);
    const again = await env.anon.post(`/api/public/ratings/${token}`, { level: 'very_satisfied' });
    expect(again.statusCode).toBe(409);
    expect(await q(`SELECT * FROM service_ratings WHERE subject_id = $1`, [c.id])).toEqual(before);
    const x = await q<{ unit_id: number; status: string; due_date: string }>(
      `SELECT x.unit_id, x.status, x.due_date::text FROM rating_rectifications x JOIN service_ratings r ON r.id = x.rating_id WHERE r.subject_id = $1`,
      [c.id],
    );
    expect(x).toHaveLength(1);
    expect(x[0]).toMatchObject({ unit_id: deptA, status: 'open' });
  });

  it('a satisfied rating opens no rectification', async () => {
    const c = await verifiedCase('13700000001');
    expectOk(await agent.post(`/api/cases/${c.id}/close`, { note: '已办结' }));
    const token = await tokenOfCase(c.id);
    expectOk(await env.anon.post(`/api/public/ratings/${token}`, { level: 'basic' }));
    expect(
      await q(
        `SELECT 1 FROM rating_rectifications x JOIN service_ratings r ON r.id = x.rating_id WHERE r.subject_id = $1`,
        [c.id],
      ),
    ).toEqual([]);
  });

  it('refuses unknown and malformed tokens, and rate-limits an address', async () => {
    expect((await env.anon.get('/api/public/ratings/AAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
    expect((await env.anon.get('/api/public/ratings/short')).statusCode).toBe(400);
    const codes: number[] = [];
    for (let i = 0; i < 32; i++)
      codes.push((await env.anon.get('/api/public/ratings/AAAAAAAAAAAAAAAAAAAAAA')).statusCode);
    expect(codes.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(codes.indexOf(429)).toBe(29); // the 31st request of the hour (one above) is the first refused
  });

  it('counts an address across instances: a second app on the same database refuses past the shared allowance', async () => {
    const second = await buildApp({ config: testConfig(), database: env.database, logger: false });
    await second.ready();
    try {
      const url = '/api/public/ratings/BBBBBBBBBBBBBBBBBBBBBB';
      const codes: number[] = [];
      for (let i = 0; i < 31; i++) {
        const app = i % 2 === 0 ? env.app : second; // a load balancer's round robin
        codes.push((await app.inject({ method: 'GET', url })).statusCode);
      }
      // Each instance saw 15 or 16 requests, under the limit of 30 on its own: only shared counting refuses.
      expect(codes.slice(0, 30).every((c) => c === 404)).toBe(true);
      expect(codes[30]).toBe(429);
    } finally {
      await second.close();
    }
  });

  it('sends one reminder three days after an unrated invitation, and only one', async () => {
    const old = await invitedRating(env.database, deptB, { at: new Date(Date.now() - 4 * 86_400_000) });
    const fresh = await invitedRating(env.database, deptB, { at: new Date(Date.now() - 1 * 86_400_000) });
    const first = await remindUnrated(env.database.db);
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    const rows = await q<{ id: number; reminded: boolean }>(
      `SELECT id, reminded_at IS NOT NULL AS reminded FROM service_ratings WHERE id = ANY($1::int[]) ORDER BY id`,
      [[old.id, fresh.id]],
    );
    expect(rows).toEqual([
      { id: old.id, reminded: true },
      { id: fresh.id, reminded: false },
    ]);
    const sms = await q(`SELECT count(*)::int AS n FROM sms_outbox WHERE template = 'rating_reminder'`);
    expect((await remindUnrated(env.database.db)).reminded).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM sms_outbox WHERE template = 'rating_reminder'`)).toEqual(sms);
  });
});

describe('差评 rectification', () => {
  async function badOf(unitId: number) {
    const { token, id } = await invitedRating(env.database, unitId, { phone: '13600006666' });
    expectOk(await env.anon.post(`/api/public/ratings/${token}`, { level: 'unsatisfied', comment: '窗口推诿' }));
    const [x] = await q<{ id: number }>(`SELECT id FROM rating_rectifications WHERE rating_id = $1`, [id]);
    return x.id;
  }

  it('is due 15 working days after the 差评, skipping a holiday set in the calendar', async () => {
    const admin = await env.userClient({ roles: ['office'] });
    const today = beijingDate(new Date());
    // The next two weekdays become holidays.
    const holidays: string[] = [];
    for (let d = dayjs(today).add(1, 'day'); holidays.length < 2; d = d.add(1, 'day'))
      if (d.day() !== 0 && d.day() !== 6) holidays.push(d.format('YYYY-MM-DD'));
    for (const h of holidays)
      expectOk(await admin.put(`/api/calendar/days/${h}`, { kind: 'holiday', name: '测试假日' }));
    let expected = dayjs(today);
    for (let n = 0; n < 15;) {
      expected = expected.add(1, 'day');
      const s = expected.format('YYYY-MM-DD');
      if (expected.day() !== 0 && expected.day() !== 6 && !holidays.includes(s)) n++;
    }
    const id = await badOf(deptA);
    const x = expectOk(await handlerA.get(`/api/ratings/rectifications/${id}`));
    expect(x.dueDate).toBe(expected.format('YYYY-MM-DD'));
    expect(x.overdue).toBe(false);
    // The department sees the phone to call back; the office sees it masked.
    expect((x.rating as { phone: string }).phone).toBe('13600006666');
    expect((expectOk(await office.get(`/api/ratings/rectifications/${id}`)).rating as { phone: string }).phone).toBe(
      '136****6666',
    );
  });

  it('goes call back → result → office returns → result again → office accepts, audited', async () => {
    const id = await badOf(deptA);
    // Out of order: a result before the call-back.
    expect((await handlerA.post(`/api/ratings/rectifications/${id}/submit`, { result: '已整改' })).statusCode).toBe(
      409,
    );
    // The office does not rectify, the department does not review.
    expect((await office.post(`/api/ratings/rectifications/${id}/callback`, { note: '回访' })).statusCode).toBe(403);
    expect((await handlerA.post(`/api/ratings/rectifications/${id}/review`, { accept: true })).statusCode).toBe(403);
    let x = expectOk(
      await handlerA.post(`/api/ratings/rectifications/${id}/callback`, { note: '已电话回访，群众反映窗口推诿' }),
    );
    expect(x.status).toBe('called_back');
    x = expectOk(
      await leaderA.post(`/api/ratings/rectifications/${id}/submit`, { result: '已约谈窗口人员并建立首问负责制' }),
    );
    expect(x.status).toBe('submitted');
    const ret = await office.post(`/api/ratings/rectifications/${id}/review`, { accept: false });
    expect(ret.statusCode).toBe(400);
    expect(ret.json().error.field).toBe('note');
    x = expectOk(
      await office.post(`/api/ratings/rectifications/${id}/review`, { accept: false, note: '请附整改台账' }),
    );
    expect(x).toMatchObject({ status: 'returned', returns: 1, reviewNote: '请附整改台账' });
    x = expectOk(await handlerA.post(`/api/ratings/rectifications/${id}/submit`, { result: '已补充整改台账' }));
    x = expectOk(await office.post(`/api/ratings/rectifications/${id}/review`, { accept: true, note: '同意' }));
    expect(x.status).toBe('accepted');
    const actions = (
      await q<{ action: string }>(
        `SELECT action FROM audit_entries WHERE entity_type = 'rating_rectification' AND entity_id = $1 ORDER BY id`,
        [String(id)],
      )
    ).map((r) => r.action);
    expect(actions).toEqual([
      'rating.rectification.callback',
      'rating.rectification.submit',
      'rating.rectification.return',
      'rating.rectification.submit',
      'rating.rectification.accept',
    ]);
    expect((await verifyChain(env.database.db)).broken).toBeNull();
  });

  it("keeps each department to its own: A cannot see or move B's rectification, and B's row is unchanged", async () => {
    const idB = await badOf(deptB);
    const before = await q(`SELECT * FROM rating_rectifications WHERE id = $1`, [idB]);
    expect((await handlerA.get(`/api/ratings/rectifications/${idB}`)).statusCode).toBe(404);
    expect((await handlerA.post(`/api/ratings/rectifications/${idB}/callback`, { note: '甲回访' })).statusCode).toBe(
      404,
    );
    expect((await leaderA.post(`/api/ratings/rectifications/${idB}/submit`, { result: '甲整改' })).statusCode).toBe(
      404,
    );
    const listA = expectOk(await handlerA.get('/api/ratings/rectifications?pageSize=200'));
    expect((listA.rows as { unitId: number }[]).every((r) => r.unitId === deptA)).toBe(true);
    expect(await q(`SELECT * FROM rating_rectifications WHERE id = $1`, [idB])).toEqual(before);
    // B's own handler sees it; a reporter has no access to ratings.
    expect((await handlerB.get(`/api/ratings/rectifications/${idB}`)).statusCode).toBe(200);
    expect((await reporterA.get('/api/ratings/rectifications')).statusCode).toBe(403);
    expect((await env.anon.get('/api/ratings/rectifications')).statusCode).toBe(401);
  });

  it('gives rates per department for the year', async () => {
    const year = Number(beijingDate(new Date()).slice(0, 4));
    const rates = expectOk(await office.get(`/api/ratings/rates?year=${year}`)) as unknown as {
      unitId: number;
      rated: number;
      counts: Record<string, number>;
      goodRate: number | null;
      rectifications: number;
    }[];
    const [dbA] = await q<{ rated: number; good: number; bad: number }>(
      `SELECT count(*) FILTER (WHERE level IS NOT NULL)::int AS rated,
              count(*) FILTER (WHERE level IN ('very_satisfied','satisfied','basic'))::int AS good,
              count(*) FILTER (WHERE level IN ('unsatisfied','very_unsatisfied'))::int AS bad
         FROM service_ratings WHERE unit_id = $1`,
      [deptA],
    );
    const a = rates.find((r) => r.unitId === deptA)!;
    expect(a.rated).toBe(dbA.rated);
    expect(a.rectifications).toBe(dbA.bad);
    expect(a.goodRate).toBe(Math.round((dbA.good / dbA.rated) * 1000) / 10);
    // A department sees only its own line.
    const own = expectOk(await handlerA.get(`/api/ratings/rates?year=${year}`)) as unknown as { unitId: number }[];
    expect(own.map((r) => r.unitId)).toEqual([deptA]);
  });
});

describe('professional review by deputies, and a second rating after a redo', () => {
  it('refuses an evaluator without a deputy profile, lets one with it review, and asks the requester again after the redo', async () => {
    const c = await intakeCase(agent, { categoryId: cat, phone: '13511112222' });
    expectOk(await agent.post(`/api/cases/${c.id}/dispatch`, { leadUnitId: deptA }));
    expectOk(await handlerA.post(`/api/cases/${c.id}/sign`));
    expectOk(await handlerA.post(`/api/cases/${c.id}/report`, { result: '已处理' }));
    expectOk(await agent.post(`/api/cases/${c.id}/verify`, { ok: true }));
    expectOk(await agent.post(`/api/cases/${c.id}/feedback`, { rating: 'unsatisfied', comment: '没解决' }));

    const deputyId = await env.buildUser({ roles: ['evaluator'] });
    const deputy = await env.login(
      (await q<{ username: string }>('SELECT username FROM users WHERE id = $1', [deputyId]))[0].username,
    );
    // Without a profile: refused, and the case stays in review.
    expect((await deputy.post(`/api/cases/${c.id}/review`, { qualified: false, note: '不合格' })).statusCode).toBe(403);
    expect((await q(`SELECT status FROM cases WHERE id = $1`, [c.id]))[0]).toEqual({ status: 'review' });
    // Only the office keeps profiles.
    expect((await deputy.put('/api/ratings/reviewers', { userId: deputyId, kind: 'npc_deputy' })).statusCode).toBe(403);
    const profiles = expectOk(
      await office.put('/api/ratings/reviewers', { userId: deputyId, kind: 'npc_deputy', title: '区人大代表' }),
    ) as unknown as { userId: number }[];
    expect(profiles.map((p) => p.userId)).toContain(deputyId);

    const d = expectOk(await deputy.post(`/api/cases/${c.id}/review`, { qualified: false, note: '整改不到位，重办' }));
    expect(d.status).toBe('dispatched');
    const [ev] = await q<{ actor_role: string; actor_id: number }>(
      `SELECT actor_role, actor_id FROM case_events WHERE case_id = $1 AND from_status = 'review' ORDER BY id DESC LIMIT 1`,
      [c.id],
    );
    expect(ev).toEqual({ actor_role: 'reviewer', actor_id: deputyId });

    // The redo closes at verification; the requester is invited to rate again (round 2).
    expectOk(await handlerA.post(`/api/cases/${c.id}/sign`));
    expectOk(await handlerA.post(`/api/cases/${c.id}/report`, { result: '已彻底清理' }));
    expect(expectOk(await agent.post(`/api/cases/${c.id}/verify`, { ok: true })).status).toBe('closed');
    const rounds = await q<{ round: number; status: string }>(
      `SELECT round, status FROM service_ratings WHERE subject_kind = 'case' AND subject_id = $1 ORDER BY round`,
      [c.id],
    );
    expect(rounds).toEqual([{ round: 1, status: 'invited' }]);
    expect(await tokenOfCase(c.id)).toBeTruthy();
    void supervisor;
  });
});

describe('a new link for an unrated invitation (现场扫码评价)', () => {
  it('replaces the old link; only the office or the department rated; not once rated', async () => {
    const { id, token } = await invitedRating(env.database, deptA);
    expect((await handlerB.post(`/api/ratings/${id}/link`, {})).statusCode).toBe(404);
    const renewed = expectOk(await handlerA.post(`/api/ratings/${id}/link`, {})) as unknown as {
      token: string;
      link: string;
    };
    expect(renewed.link).toBe(`/rate/${renewed.token}`);
    expect((await env.anon.get(`/api/public/ratings/${token}`)).statusCode).toBe(404);
    expectOk(await env.anon.post(`/api/public/ratings/${renewed.token}`, { level: 'satisfied' }));
    expect((await office.post(`/api/ratings/${id}/link`, {})).statusCode).toBe(409);
  });
});

describe('reviewer profiles (who may give professional reviews)', () => {
  it('the admin and the office set and remove an evaluator’s deputy profile, audited; others are refused', async () => {
    const admin = await env.userClient({ roles: ['admin'] });
    const evaluatorId = await env.buildUser({ roles: ['evaluator'] });
    const plainId = await env.buildUser({ roles: ['reporter'], unitId: deptA });
    // Who: admin and office; a handler or the evaluator himself is refused and nothing is stored.
    for (const c of [handlerA, reporterA])
      expect((await c.put('/api/ratings/reviewers', { userId: evaluatorId, kind: 'npc_deputy' })).statusCode).toBe(403);
    expect((await handlerA.get('/api/ratings/reviewers/candidates')).statusCode).toBe(403);
    // Only an evaluator can be a reviewer.
    const notEv = await admin.put('/api/ratings/reviewers', { userId: plainId, kind: 'npc_deputy' });
    expect(notEv.statusCode).toBe(400);
    expect(notEv.json().error.field).toBe('userId');
    expect(await q('SELECT * FROM reviewer_profiles WHERE user_id IN ($1, $2)', [evaluatorId, plainId])).toEqual([]);

    expectOk(
      await admin.put('/api/ratings/reviewers', { userId: evaluatorId, kind: 'npc_deputy', title: '区人大代表' }),
    );
    expectOk(
      await office.put('/api/ratings/reviewers', { userId: evaluatorId, kind: 'cppcc_member', title: '区政协委员' }),
    );
    const list = (await admin.get('/api/ratings/reviewers/candidates')).json() as {
      userId: number;
      profile: { kind: string; title: string } | null;
    }[];
    expect(list.find((x) => x.userId === evaluatorId)?.profile).toEqual({ kind: 'cppcc_member', title: '区政协委员' });
    const audit = await q<{ action: string; actor_id: number; before: unknown; after: { kind: string } }>(
      `SELECT action, actor_id, before, after FROM audit_entries WHERE entity_type = 'reviewer_profile' AND entity_id = $1 ORDER BY id`,
      [String(evaluatorId)],
    );
    expect(audit.map((a) => [a.action, a.before, a.after.kind])).toEqual([
      ['rating.reviewer.put', null, 'npc_deputy'],
      ['rating.reviewer.put', { kind: 'npc_deputy', title: '区人大代表' }, 'cppcc_member'],
    ]);
    expectOk(await admin.delete(`/api/ratings/reviewers/${evaluatorId}`));
    expect(await q('SELECT * FROM reviewer_profiles WHERE user_id = $1', [evaluatorId])).toEqual([]);
    const [del] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'rating.reviewer.delete' AND entity_id = $1`,
      [String(evaluatorId)],
    );
    expect(del.n).toBe(1);
  });
});
