// The ledger's visibility as one SQL condition (supervision.repo.ts visibleSql): a unit's 我的督办 lists the
// tasks it leads or co-handles and nothing of another unit; a leader sees their units' tasks, those in their
// charge and those they instructed; the unit filter matches lead or co-unit; and a task read agrees with the list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { beijingDate } from '../../engine/workdays.js';

let env: TestEnv;
let unitA: number;
let unitB: number;
let unitC: number;
let office: Client;
let leaderA: Client;
let leaderB: Client;
let reporterA: Client;
let reporterB: Client;
let leadA: number;
let leadBcoA: number;
let leadB: number;
let leadCbyLeaderA: number;
let instructedByB: number;
const YEAR = Number(beijingDate(new Date()).slice(0, 4));

const ids = (body: { rows: { id: number }[] }) => body.rows.map((r) => r.id).sort((a, b) => a - b);
const sorted = (...xs: number[]) => [...xs].sort((a, b) => a - b);

beforeAll(async () => {
  env = await createTestEnv();
  const cat = await env.buildCategory();
  unitA = await env.buildUnit({ name: '甲局', categoryId: cat });
  unitB = await env.buildUnit({ name: '乙局', categoryId: cat });
  unitC = await env.buildUnit({ name: '丙局', categoryId: cat });
  office = await env.userClient({ roles: ['supervisor'] });
  leaderA = await env.userClient({ roles: ['district_leader'], leaderOf: [unitA] });
  leaderB = await env.userClient({ roles: ['district_leader'], leaderOf: [unitB] });
  reporterA = await env.userClient({ roles: ['reporter'], unitId: unitA });
  reporterB = await env.userClient({ roles: ['reporter'], unitId: unitB });
  const task = async (title: string, leadUnitId: number, extra: Record<string, unknown> = {}) => {
    const res = await office.post('/api/supervision/tasks', {
      source: 'work_report',
      title,
      leadUnitId,
      deadline: `${YEAR}-12-31`,
      ...extra,
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as number;
  };
  leadA = await task('甲局牵头', unitA);
  leadBcoA = await task('乙局牵头、甲局配合', unitB, { coUnits: [{ unitId: unitA, contact: '甲联系人' }] });
  leadB = await task('乙局独办', unitB);
  leadCbyLeaderA = await task('丙局牵头、甲领导分管', unitC, { leaderId: leaderA.userId });
  const ins = await leaderB.post('/api/supervision/instructions', {
    targetKind: 'free',
    unitId: null,
    title: '乙领导批示',
    content: '请研究办理。',
  });
  expect(ins.statusCode).toBe(201);
  instructedByB = ins.json().id;
});
afterAll(async () => env?.close());

describe('supervision visibility as SQL', () => {
  it("我的督办 lists the unit's lead and co-unit tasks, none of another unit's, with matching counts", async () => {
    const a = (await reporterA.get('/api/supervision/tasks?mine=1')).json();
    expect(ids(a)).toEqual(sorted(leadA, leadBcoA));
    expect(a.total).toBe(2);
    const b = (await reporterB.get('/api/supervision/tasks?mine=1')).json();
    expect(ids(b)).toEqual(sorted(leadBcoA, leadB));
    // The light counts are of the same set.
    expect(b.counts.green + b.counts.yellow + b.counts.red).toBeLessThanOrEqual(2);
  });

  it("a unit reads its co-unit task and gets 404 for another unit's task", async () => {
    expect((await reporterA.get(`/api/supervision/tasks/${leadBcoA}`)).statusCode).toBe(200);
    expect((await reporterA.get(`/api/supervision/tasks/${leadB}`)).statusCode).toBe(404);
    expect((await reporterA.get(`/api/supervision/tasks/${leadCbyLeaderA}`)).statusCode).toBe(404);
    expect((await reporterB.get(`/api/supervision/tasks/${leadA}`)).statusCode).toBe(404);
  });

  it('a leader sees the tasks of their units, those in their charge and those they instructed', async () => {
    expect(ids((await leaderA.get('/api/supervision/tasks')).json())).toEqual(sorted(leadA, leadBcoA, leadCbyLeaderA));
    expect(ids((await leaderB.get('/api/supervision/tasks')).json())).toEqual(sorted(leadBcoA, leadB, instructedByB));
    expect((await leaderA.get(`/api/supervision/tasks/${instructedByB}`)).statusCode).toBe(404);
  });

  it('the unit filter matches lead or co-unit; the office sees every task', async () => {
    expect(ids((await office.get(`/api/supervision/tasks?unitId=${unitA}`)).json())).toEqual(sorted(leadA, leadBcoA));
    // Within a leader's view the filter narrows, never widens.
    expect(ids((await leaderA.get(`/api/supervision/tasks?unitId=${unitB}`)).json())).toEqual([leadBcoA]);
    expect((await office.get('/api/supervision/tasks')).json().total).toBe(5);
  });
});
