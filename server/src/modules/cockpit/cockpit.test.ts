import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { campaignWithResults } from '../evaluation/evaluation.testkit.js';
import { storedRating } from '../ratings/ratings.testkit.js';
import { buildWorld, setNow, type World } from '../reporting/reporting.testkit.js';
import { clearCockpitCache } from './index.js';
import type { TCaseDrill, TCockpit, TLightDrill, TRatingDrill, TReportDrill, TTaskDrill } from './cockpit.schema.js';

let env: TestEnv;
let w: World;
let leader: Client;
let dleader: Client;
let office: Client;
let restoreClock: () => void;
const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);
const YEAR_START = '2026-01-01T00:00:00+08:00';
// 汉正街街道 and 古田街道 centres (cockpit.streets.json)
const HZJ = { lng: 114.2705, lat: 30.5725 };
const GT = { lng: 114.2242, lat: 30.5869 };

async function insertCase(c: {
  unitId: number | null;
  categoryId: number;
  status: string;
  createdAt: string;
  deadline?: string | null;
  escalated?: boolean;
  at?: { lng: number; lat: number };
}) {
  const n = Math.random().toString(36).slice(2, 10);
  await q(
    `INSERT INTO cases(number, password_hash, channel, type, category_id, status, description, lead_unit_id, deadline, escalated, lat, lng, created_at)
     VALUES ($1, 'x', 'hotline', 'complaint', $2, $3, '测试诉求', $4, $5, $6, $7, $8, $9)`,
    [
      `T${n}`,
      c.categoryId,
      c.status,
      c.unitId,
      c.deadline ?? null,
      c.escalated ?? false,
      c.at?.lat ?? null,
      c.at?.lng ?? null,
      c.createdAt,
    ],
  );
}

async function insertTask(t: {
  unitId: number;
  status: string;
  deadline: string;
  light: string | null;
  title: string;
}) {
  await q(
    `INSERT INTO supervision_tasks(year, source, title, lead_unit_id, start_date, deadline, status, light)
     VALUES (2026, 'work_report', $1, $2, '2026-01-05', $3, $4, $5)`,
    [t.title, t.unitId, t.deadline, t.status, t.light],
  );
}

beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
  restoreClock = setNow('2026-11-20T04:00:00Z');
  leader = await env.userClient({ roles: ['main_leader'], unitId: env.rootUnitId });
  dleader = await env.userClient({ roles: ['district_leader'], unitId: env.rootUnitId, leaderOf: [w.unitA] });
  office = await env.userClient({ roles: ['office'] });

  // Case categories: a top-level one with a child, and another top-level one.
  const [top] = await q<{ id: number }>(
    `INSERT INTO case_categories(code, name) VALUES ('T1', '市容环卫') RETURNING id`,
  );
  const [child] = await q<{ id: number }>(
    `INSERT INTO case_categories(parent_id, code, name) VALUES ($1, 'T101', '占道经营') RETURNING id`,
    [top.id],
  );
  const [other] = await q<{ id: number }>(
    `INSERT INTO case_categories(code, name) VALUES ('T2', '噪音扰民') RETURNING id`,
  );
  const past = '2026-03-01T00:00:00Z';
  const future = '2027-03-01T00:00:00Z';
  // A's cases: 3 this year (2 at 汉正街, one in 市容 overdue, one escalated), 1 last year.
  await insertCase({
    unitId: w.unitA,
    categoryId: child.id,
    status: 'in_progress',
    createdAt: '2026-02-10T02:00:00Z',
    deadline: past,
    at: HZJ,
  });
  await insertCase({
    unitId: w.unitA,
    categoryId: top.id,
    status: 'signed',
    createdAt: '2026-05-10T02:00:00Z',
    deadline: future,
    escalated: true,
    at: HZJ,
  });
  await insertCase({
    unitId: w.unitA,
    categoryId: other.id,
    status: 'closed',
    createdAt: '2026-06-10T02:00:00Z',
    deadline: past,
  });
  await insertCase({
    unitId: w.unitA,
    categoryId: other.id,
    status: 'closed',
    createdAt: '2025-06-10T02:00:00Z',
    deadline: past,
    at: GT,
  });
  // B's cases: 2 this year at 古田, one overdue.
  await insertCase({
    unitId: w.unitB,
    categoryId: other.id,
    status: 'dispatched',
    createdAt: '2026-07-10T02:00:00Z',
    deadline: past,
    at: GT,
  });
  await insertCase({
    unitId: w.unitB,
    categoryId: child.id,
    status: 'closed',
    createdAt: '2026-08-10T02:00:00Z',
    deadline: past,
    at: GT,
  });
  // Supervision tasks of A and B.
  await insertTask({
    unitId: w.unitA,
    status: 'in_progress',
    deadline: '2026-02-28',
    light: 'red',
    title: 'A 逾期事项',
  });
  await insertTask({ unitId: w.unitA, status: 'signed', deadline: '2099-12-31', light: 'green', title: 'A 在办事项' });
  await insertTask({
    unitId: w.unitB,
    status: 'in_progress',
    deadline: '2026-03-31',
    light: 'red',
    title: 'B 逾期事项',
  });
  await insertTask({ unitId: w.unitB, status: 'completed', deadline: '2026-03-31', light: null, title: 'B 已办结' });
});

afterAll(async () => {
  restoreClock?.();
  await env?.close();
});

describe('cockpit numbers equal their sources', () => {
  let c: TCockpit;
  beforeAll(async () => {
    clearCockpitCache(env.database.db);
    const r = await leader.get('/api/cockpit');
    expect(r.statusCode).toBe(200);
    c = r.json();
  });

  it('warning lights: the counts are those of reporting, and "红灯 N" lists the N leaves', async () => {
    const overview = (await office.get(`/api/reporting/lights-overview?yearId=${w.yearId}`)).json() as {
      unitId: number;
      red: number;
      yellow: number;
      green: number;
    }[];
    const sum = (k: 'red' | 'yellow' | 'green') => overview.reduce((s, u) => s + u[k], 0);
    expect(c.lights.red).toBe(sum('red'));
    expect(c.lights.yellow).toBe(sum('yellow'));
    expect(c.lights.green).toBe(sum('green'));
    expect(c.lights.unitsWithRed).toBe(overview.filter((u) => u.red > 0).length);
    expect(c.lights.red).toBeGreaterThan(0);
    for (const row of c.lights.rows) expect(row.red).toBe(overview.find((u) => u.unitId === row.unitId)!.red);
    const drill = (await leader.get('/api/cockpit/drill/lights?light=red')).json() as TLightDrill;
    expect(drill.total).toBe(c.lights.red);
    expect(drill.items.every((i) => i.light === 'red')).toBe(true);
    // A heat-table cell lists the red leaves of that unit and level-1 indicator.
    const cell = c.lights.rows.flatMap((r) => r.cells.map((x) => ({ unitId: r.unitId, ...x }))).find((x) => x.red > 0);
    expect(cell).toBeDefined();
    if (cell) {
      const d = (
        await leader.get(`/api/cockpit/drill/lights?light=red&unitId=${cell.unitId}&indicatorId=${cell.indicatorId}`)
      ).json() as TLightDrill;
      expect(d.total).toBe(cell.red);
    }
  });

  it('overdue monthly reports: the count of reporting, computed again here from the submissions', async () => {
    const source = (await office.get(`/api/reporting/overdue?yearId=${w.yearId}`)).json() as { total: number };
    expect(c.reports.overdue).toBe(source.total);
    // Independently: self-reported leaves × their units × months whose deadline (15th of the next month) has passed by 2026-11-20, less the months submitted.
    const cells = await q<{ n: number }>(
      `WITH months AS (SELECT to_char(make_date(2026, m, 1), 'YYYY-MM') AS period FROM generate_series(1, 10) m)
       SELECT count(*)::int AS n FROM indicators i
         JOIN units u ON u.active AND u.category_id = ANY(SELECT (jsonb_array_elements_text(i.applies_to->'categoryIds'))::int)
         CROSS JOIN months
       WHERE i.year_id = $1 AND i.data_source = 'self_report' AND NOT EXISTS (SELECT 1 FROM indicators k WHERE k.parent_id = i.id)
         AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.indicator_id = i.id AND s.unit_id = u.id AND s.period = months.period AND s.first_submitted_at IS NOT NULL)`,
      [w.yearId],
    );
    expect(c.reports.overdue).toBe(cells[0].n);
    expect(cells[0].n).toBeGreaterThan(0);
    const drill = (await leader.get('/api/cockpit/drill/reports')).json() as TReportDrill;
    expect(drill.total).toBe(c.reports.overdue);
  });

  it('hotline: received, overdue, escalated, categories and streets from the cases table', async () => {
    const [{ n: received }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE created_at >= $1`, [
      YEAR_START,
    ]);
    const [{ n: overdue }] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE status IN ('dispatched','signed','in_progress') AND deadline < now()`,
    );
    const [{ n: escalated }] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE escalated AND status NOT IN ('closed','rejected','merged')`,
    );
    expect(c.cases.received).toBe(received);
    expect(received).toBe(5);
    expect(c.cases.overdueOpen).toBe(overdue);
    expect(overdue).toBe(2);
    expect(c.cases.escalatedOpen).toBe(escalated);
    expect(c.cases.topCategories.map((x) => [x.name, x.n])).toEqual([
      ['市容环卫', 3],
      ['噪音扰民', 2],
    ]);
    const street = (name: string) => c.cases.streets.find((s) => s.name === name)!.n;
    expect(street('汉正街街道')).toBe(2);
    expect(street('古田街道')).toBe(2); // last year's case there is not counted
    expect(c.cases.unlocated).toBe(1);
    // The drill-downs list exactly those cases.
    const d = (url: string) => leader.get(url).then((r) => r.json() as TCaseDrill);
    expect((await d('/api/cockpit/drill/cases?kind=received')).total).toBe(received);
    expect((await d('/api/cockpit/drill/cases?kind=overdue')).total).toBe(overdue);
    expect((await d('/api/cockpit/drill/cases?kind=escalated')).total).toBe(escalated);
    expect((await d('/api/cockpit/drill/cases?street=ST01')).total).toBe(2);
    const top = c.cases.topCategories[0];
    expect((await d(`/api/cockpit/drill/cases?categoryId=${top.categoryId}`)).total).toBe(top.n);
  });

  it('supervision: lights and overdue tasks from the ledger', async () => {
    const [{ n: overdue }] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM supervision_tasks WHERE year = 2026 AND status NOT IN ('completed','declined','merged') AND deadline < (now() AT TIME ZONE 'Asia/Shanghai')::date`,
    );
    expect(c.supervision.byStatus.overdue).toBe(overdue);
    expect(overdue).toBe(2);
    expect(c.supervision.byLight.red).toBe(2);
    expect(c.supervision.byStatus.completed).toBe(1);
    expect(c.supervision.top[0].overdue).toBe(true); // overdue first
    const d = (await leader.get('/api/cockpit/drill/tasks?status=overdue')).json() as TTaskDrill;
    expect(d.total).toBe(overdue);
  });
});

describe('evaluation results and 差评 on the cockpit', () => {
  let camps: { published: number; closed: number; onlyB: number; lastYear: number; open: number };
  beforeAll(async () => {
    const res = (unitId: number, valid: number, mean: number | null, rate: number | null, dist: number[]) => ({
      unitId,
      valid,
      mean,
      satisfactionRate: rate,
      distribution: dist,
    });
    const [p1, p2] = w.peers;
    camps = {
      published: await campaignWithResults(env.database, {
        year: 2026,
        title: '2026年度群众满意度调查',
        status: 'published',
        periodFrom: '2026-09-01',
        periodTo: '2026-10-31',
        results: [
          res(w.unitA, 40, 81.5, 87.5, [20, 10, 5, 3, 2]),
          res(w.unitB, 30, 72.25, 70, [6, 9, 6, 5, 4]),
          res(p1, 10, 90, 100, [8, 2, 0, 0, 0]),
          res(p2, 0, null, null, [0, 0, 0, 0, 0]),
        ],
      }),
      closed: await campaignWithResults(env.database, {
        year: 2026,
        title: '2026年度部门互评',
        status: 'closed',
        periodFrom: '2026-10-01',
        periodTo: '2026-11-15',
        kind: 'mutual',
        results: [res(w.unitA, 12, 66, 75, [3, 3, 3, 2, 1])],
      }),
      onlyB: await campaignWithResults(env.database, {
        year: 2026,
        title: '2026年度企业满意度调查',
        status: 'published',
        periodFrom: '2026-06-01',
        periodTo: '2026-06-30',
        kind: 'enterprise_survey',
        results: [res(w.unitB, 25, 77, 80, [10, 5, 5, 3, 2])],
      }),
      lastYear: await campaignWithResults(env.database, {
        year: 2025,
        title: '2025年度群众满意度调查',
        status: 'published',
        periodFrom: '2025-09-01',
        periodTo: '2025-10-31',
        results: [res(w.unitA, 9, 50, 50, [1, 1, 2, 3, 2])],
      }),
      open: await campaignWithResults(env.database, {
        year: 2026,
        title: '进行中的评议',
        status: 'open',
        periodFrom: '2026-11-01',
        periodTo: '2026-12-31',
        results: [res(w.unitA, 5, 10, 10, [0, 0, 1, 2, 2])],
      }),
    };
    // 好差评 of A and B this year (差评 with their rectifications), one of A last year.
    const at = (d: string) => `${d}T10:00:00+08:00`;
    await storedRating(env.database, { unitId: w.unitA, level: 'very_satisfied', ratedAt: at('2026-02-03') });
    await storedRating(env.database, { unitId: w.unitA, level: 'satisfied', ratedAt: at('2026-04-03') });
    await storedRating(env.database, { unitId: w.unitA, level: 'basic', ratedAt: at('2026-05-03') });
    await storedRating(env.database, {
      unitId: w.unitA,
      level: 'unsatisfied',
      ratedAt: at('2026-06-03'),
      comment: '窗口排队太久',
      rectification: { status: 'called_back', dueDate: '2026-06-24' },
    });
    await storedRating(env.database, {
      unitId: w.unitA,
      level: 'very_unsatisfied',
      ratedAt: at('2026-07-03'),
      comment: '推诿扯皮',
      rectification: { status: 'accepted', dueDate: '2026-07-24' },
    });
    await storedRating(env.database, {
      unitId: w.unitB,
      level: 'unsatisfied',
      ratedAt: at('2026-08-03'),
      comment: 'B 的差评',
      rectification: { status: 'open', dueDate: '2099-01-01' },
    });
    await storedRating(env.database, {
      unitId: w.unitB,
      level: 'very_unsatisfied',
      ratedAt: at('2026-09-03'),
      comment: 'B 的第二个差评',
      rectification: { status: 'returned', dueDate: '2026-09-24' },
    });
    await storedRating(env.database, { unitId: w.unitB, level: 'satisfied', ratedAt: at('2026-10-03') });
    await storedRating(env.database, { unitId: w.unitA, level: 'unsatisfied', ratedAt: at('2025-12-03') });
    clearCockpitCache(env.database.db);
  });

  /** The campaigns' figures computed again from evaluation_results, over `units` (null: all). */
  async function campaignsFromRows(statuses: string[], units: number[] | null) {
    return q<{ id: number; valid: number; units: number; mean: number | null; rate: number | null }>(
      `SELECT c.id, sum(r.valid)::int AS valid, count(*)::int AS units,
              round((sum(r.mean * r.valid) FILTER (WHERE r.mean IS NOT NULL AND r.valid > 0)
                / nullif(sum(r.valid) FILTER (WHERE r.mean IS NOT NULL AND r.valid > 0), 0))::numeric, 2)::float8 AS mean,
              round((sum(r.satisfaction_rate * (SELECT sum(x::int) FROM jsonb_array_elements_text(r.distribution) x))
                / nullif(sum((SELECT sum(x::int) FROM jsonb_array_elements_text(r.distribution) x))
                  FILTER (WHERE r.satisfaction_rate IS NOT NULL), 0))::numeric, 2)::float8 AS rate
         FROM evaluation_campaigns c JOIN evaluation_results r ON r.campaign_id = c.id
        WHERE c.year = 2026 AND c.status = ANY($1) AND ($2::int[] IS NULL OR r.unit_id = ANY($2))
        GROUP BY c.id ORDER BY c.id`,
      [statuses, units],
    );
  }

  /** This year's rated ratings of `units` (null: all) counted from service_ratings and rating_rectifications. */
  async function ratingsFromRows(units: number[] | null) {
    const [r] = await q<{
      rated: number;
      bad: number;
      good: number;
      open: number;
      overdue: number;
      done: number;
    }>(
      `SELECT count(*)::int AS rated,
              count(*) FILTER (WHERE r.level IN ('unsatisfied','very_unsatisfied'))::int AS bad,
              count(*) FILTER (WHERE r.level IN ('very_satisfied','satisfied','basic'))::int AS good,
              count(x.id) FILTER (WHERE x.status <> 'accepted')::int AS open,
              count(x.id) FILTER (WHERE x.status IN ('open','called_back','returned')
                AND x.due_date < (now() AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue,
              count(x.id) FILTER (WHERE x.status = 'accepted')::int AS done
         FROM service_ratings r LEFT JOIN rating_rectifications x ON x.rating_id = r.id
        WHERE r.status = 'rated' AND r.rated_at >= $1 AND ($2::int[] IS NULL OR r.unit_id = ANY($2))`,
      [YEAR_START, units],
    );
    return r;
  }

  it("the main leader: this year's published campaigns with the figures of their result rows, lowest units first", async () => {
    const c = ((await leader.get('/api/cockpit')).json() as TCockpit).evaluation;
    const expected = await campaignsFromRows(['published'], null);
    expect(c.campaigns.map((x) => x.id).sort()).toEqual(expected.map((x) => x.id).sort());
    expect(c.campaigns.map((x) => x.id)).toEqual([camps.published, camps.onlyB]); // newest period first
    for (const e of expected) {
      const mine = c.campaigns.find((x) => x.id === e.id)!;
      expect(mine.valid).toBe(e.valid);
      expect(mine.units).toBe(e.units);
      expect(mine.mean).toBeCloseTo(e.mean!, 2);
      expect(mine.satisfactionRate).toBeCloseTo(e.rate!, 2);
    }
    const pub = c.campaigns.find((x) => x.id === camps.published)!;
    expect(pub.valid).toBe(80);
    // The unit without valid responses is left out of the lowest.
    expect(pub.lowest.map((u) => u.unitId)).toEqual([w.unitB, w.unitA, w.peers[0]]);
    expect(pub.lowest[0]).toMatchObject({ mean: 72.25, satisfactionRate: 70, valid: 30 });
  });

  it('the evaluation office also sees closed (not yet published) campaigns', async () => {
    const c = ((await office.get('/api/cockpit')).json() as TCockpit).evaluation;
    const expected = await campaignsFromRows(['closed', 'published'], null);
    expect(c.campaigns.map((x) => x.id).sort()).toEqual(expected.map((x) => x.id).sort());
    expect(c.campaigns.find((x) => x.id === camps.closed)?.status).toBe('closed');
  });

  it('好差评: rated, levels, satisfaction, 差评 and rectifications equal the rows; each number lists its ratings', async () => {
    const r = ((await leader.get('/api/cockpit')).json() as TCockpit).evaluation.ratings;
    const e = await ratingsFromRows(null);
    expect(r.rated).toBe(e.rated);
    expect(r.rated).toBe(8);
    expect(r.bad).toBe(e.bad);
    expect(r.levels.unsatisfied + r.levels.very_unsatisfied).toBe(e.bad);
    expect(r.goodRate).toBeCloseTo(Math.round((e.good / e.rated) * 1000) / 10, 5);
    expect(r.rectifications).toEqual({ open: e.open, overdue: e.overdue, done: e.done });
    expect(r.rectifications).toEqual({ open: 3, overdue: 2, done: 1 });
    // As many 差评 each: B's larger share of its ratings (2 of 3, A 2 of 5) puts it first.
    expect(r.topBadUnits.map((u) => [u.unitId, u.bad, u.rated])).toEqual([
      [w.unitB, 2, 3],
      [w.unitA, 2, 5],
    ]);
    const d = (url: string) => leader.get(url).then((x) => x.json() as TRatingDrill);
    const bad = await d('/api/cockpit/drill/ratings?level=bad');
    expect(bad.total).toBe(e.bad);
    expect(bad.items.every((i) => i.level === 'unsatisfied' || i.level === 'very_unsatisfied')).toBe(true);
    const b1 = bad.items.find((i) => i.comment === 'B 的差评')!;
    expect(b1).toMatchObject({ unitId: w.unitB, subjectKind: 'application', subjectTitle: '测试办件' });
    expect(b1.rectification).toMatchObject({ status: 'open', dueDate: '2099-01-01', overdue: false });
    expect((await d('/api/cockpit/drill/ratings')).total).toBe(e.rated);
    expect((await d('/api/cockpit/drill/ratings?rectification=open')).total).toBe(e.open);
    const overdue = await d('/api/cockpit/drill/ratings?rectification=overdue');
    expect(overdue.total).toBe(e.overdue);
    expect(overdue.items.every((i) => i.rectification?.overdue)).toBe(true);
    expect((await d('/api/cockpit/drill/ratings?rectification=done')).total).toBe(e.done);
    expect((await d('/api/cockpit/drill/ratings?level=satisfied')).total).toBe(r.levels.satisfied);
    expect((await d(`/api/cockpit/drill/ratings?level=bad&unitId=${w.unitB}`)).total).toBe(2);
  });

  it("a district leader in charge of A: A's ratings and A's rows of the campaigns, the drill too", async () => {
    clearCockpitCache(env.database.db);
    const c = ((await dleader.get('/api/cockpit')).json() as TCockpit).evaluation;
    const expected = await campaignsFromRows(['published'], [w.unitA]);
    expect(c.campaigns.map((x) => x.id)).toEqual([camps.published]); // B's own campaign is not shown
    expect(expected.map((x) => x.id)).toEqual([camps.published]);
    expect(c.campaigns[0]).toMatchObject({ valid: expected[0].valid, units: 1, mean: 81.5, satisfactionRate: 87.5 });
    expect(c.campaigns[0].lowest.map((u) => u.unitId)).toEqual([w.unitA]);
    const e = await ratingsFromRows([w.unitA]);
    expect(c.ratings.rated).toBe(e.rated);
    expect(c.ratings.rated).toBe(5);
    expect(c.ratings.bad).toBe(e.bad);
    expect(c.ratings.rectifications).toEqual({ open: e.open, overdue: e.overdue, done: e.done });
    expect(c.ratings.topBadUnits.map((u) => u.unitId)).toEqual([w.unitA]);
    const bad = (await dleader.get('/api/cockpit/drill/ratings?level=bad')).json() as TRatingDrill;
    expect(bad.total).toBe(e.bad);
    expect(bad.items.every((i) => i.unitId === w.unitA)).toBe(true);
    expect((await dleader.get(`/api/cockpit/drill/ratings?unitId=${w.unitB}`)).statusCode).toBe(404);
  });
});

describe('a district leader sees only the units in their charge', () => {
  it('numbers, rankings and lights of unit A only', async () => {
    const r = await dleader.get('/api/cockpit');
    expect(r.statusCode).toBe(200);
    const c = r.json() as TCockpit;
    expect(c.scope.all).toBe(false);
    expect(c.rankings.rows.every((x) => x.unitId === w.unitA)).toBe(true);
    expect(c.lights.rows.map((x) => x.unitId)).toEqual(c.lights.rows.length ? [w.unitA] : []);
    const [{ n }] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE created_at >= $1 AND lead_unit_id = $2`,
      [YEAR_START, w.unitA],
    );
    expect(c.cases.received).toBe(n);
    expect(c.supervision.total).toBe(2);
    expect(c.supervision.top.every((t) => t.title.startsWith('A '))).toBe(true);
  });

  it('the drill-downs too: B is not found, and lists hold A only', async () => {
    for (const url of [
      `/api/cockpit/drill/lights?light=red&unitId=${w.unitB}`,
      `/api/cockpit/drill/reports?unitId=${w.unitB}`,
      `/api/cockpit/drill/tasks?unitId=${w.unitB}`,
      `/api/cockpit/drill/cases?unitId=${w.unitB}`,
    ]) {
      const r = await dleader.get(url);
      expect(r.statusCode, url).toBe(404);
    }
    const cases = (await dleader.get('/api/cockpit/drill/cases?street=ST07')).json() as TCaseDrill;
    expect(cases.total).toBe(0);
    const gt = (await dleader.get('/api/cockpit/drill/cases?street=ST05')).json() as TCaseDrill;
    expect(gt.total).toBe(0); // B's cases at 古田 are not A's
    const reports = (await dleader.get('/api/cockpit/drill/reports')).json() as TReportDrill;
    expect(reports.items.every((i) => i.unitId === w.unitA)).toBe(true);
    const lights = (await dleader.get('/api/cockpit/drill/lights?light=green')).json() as TLightDrill;
    expect(lights.items.every((i) => i.unitId === w.unitA)).toBe(true);
  });
});

describe('who may open it, and bad input', () => {
  it('refuses anonymous users and users without cockpit.read', async () => {
    expect((await env.anon.get('/api/cockpit')).statusCode).toBe(401);
    const reporter = await env.userClient({ roles: ['reporter'], unitId: w.unitA });
    for (const url of [
      '/api/cockpit',
      '/api/cockpit/map',
      '/api/cockpit/drill/lights',
      '/api/cockpit/drill/cases',
      '/api/cockpit/drill/ratings',
    ])
      expect((await reporter.get(url)).statusCode, url).toBe(403);
  });

  it.each([
    ['/api/cockpit?yearId=abc', 'yearId'],
    ['/api/cockpit?yearId=-1', 'yearId'],
    ['/api/cockpit/drill/lights?light=purple', 'light'],
    ['/api/cockpit/drill/lights?unitId=0', 'unitId'],
    ['/api/cockpit/drill/lights?indicatorId=1e99', 'indicatorId'],
    ['/api/cockpit/drill/reports?status=late', 'status'],
    ['/api/cockpit/drill/reports?yearId=x', 'yearId'],
    ['/api/cockpit/drill/tasks?status=burning', 'status'],
    ['/api/cockpit/drill/tasks?light=blue', 'light'],
    ['/api/cockpit/drill/cases?kind=all', 'kind'],
    ['/api/cockpit/drill/cases?street=..%2Fetc', 'street'],
    ['/api/cockpit/drill/cases?categoryId=abc', 'categoryId'],
    ['/api/cockpit/drill/ratings?level=awful', 'level'],
    ['/api/cockpit/drill/ratings?rectification=later', 'rectification'],
    ['/api/cockpit/drill/ratings?unitId=-3', 'unitId'],
  ])('%s → 400 on %s', async (url, field) => {
    const r = await leader.get(url);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe(field);
    const en = await leader.get(url, { 'accept-language': 'en' });
    expect(en.json().error.message).toMatch(/[A-Za-z]/);
  });

  it('unknown records are 404', async () => {
    expect((await leader.get('/api/cockpit/drill/cases?street=ST99')).statusCode).toBe(404);
    expect((await leader.get('/api/cockpit/drill/cases?categoryId=999999')).statusCode).toBe(404);
    expect((await leader.get('/api/cockpit/drill/lights?indicatorId=999999')).statusCode).toBe(404);
    expect((await leader.get('/api/cockpit?yearId=999999')).statusCode).toBe(404);
  });

  it('serves the street map as GeoJSON', async () => {
    const r = await leader.get('/api/cockpit/map');
    expect(r.statusCode).toBe(200);
    const geo = r.json() as { type: string; features: { properties: { code: string }; geometry: { type: string } }[] };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features.length).toBe(10);
    expect(geo.features.every((f) => f.geometry.type === 'Polygon')).toBe(true);
  });
});
