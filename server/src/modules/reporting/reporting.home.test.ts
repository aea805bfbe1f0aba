/**
 * The home summaries at scale (issue 19): the office's overdue count is computed in SQL and the
 * reporter's counters read only the unit's own targets. Both must give what the earlier loops gave:
 * the loop that counted overdue cells in Node is kept below as the reference, and the counts are
 * compared over a seeded random set of submissions, several dates, restrictions by category and by
 * unit, a unit without a category named on a leaf, an inactive unit, a deadline override and scopes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../lib/context.js';
import { rng } from '../../engine/random.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { listUnits } from '../units/index.js';
import { endOfBeijingDay, isPeriodOpen, periodsOfYear } from './reporting.deadline.js';
import * as repo from './reporting.repo.js';
import { collectedLeavesFor, deadlineOf, loadYearCtx, reportingClock } from './reporting.service.js';
import { buildWorld, setNow, type World } from './reporting.testkit.js';
import { overdue } from './reporting.views.js';

let env: TestEnv;
let w: World;
let office: Client;
let reporterA: Client;
let reporterB: Client;
let restore: (() => void) | null = null;
const extra = { leafNamed: 0, leafOnlyB: 0, leafWd: 0, noCategory: 0, inactive: 0, group2: 0 };

/** The office's overdue count as the loop before issue 19 computed it (reporting.views overdueCount), kept as the reference. */
async function referenceOverdue(scope: { all: boolean; unitIds: Set<number> }, unitId?: number): Promise<number> {
  const db = env.app.xn.db;
  const yc = await loadYearCtx(db, w.yearId);
  const now = reportingClock.now();
  const isPast = (deadline: string) => now.getTime() > endOfBeijingDay(deadline).getTime();
  const units = (await listUnits(db)).filter(
    (u) => u.active && (scope.all || scope.unitIds.has(u.id)) && (!unitId || u.id === unitId),
  );
  const keys = await repo.submittedKeys(db, yc.year.id);
  const periods = periodsOfYear(yc.year.year).filter((p) => isPeriodOpen(p, now));
  const unitsOf = new Map<number, Set<number>>();
  for (const u of units) {
    for (const l of collectedLeavesFor(yc, u)) {
      if (l.dataSource !== 'self_report') continue;
      let set = unitsOf.get(l.id);
      if (!set) unitsOf.set(l.id, (set = new Set()));
      set.add(u.id);
    }
  }
  const pastOf = new Map<number, Set<string>>();
  let total = 0;
  for (const [leafId, us] of unitsOf) {
    const past = new Set(periods.filter((p) => isPast(deadlineOf(yc, leafId, p))));
    pastOf.set(leafId, past);
    total += us.size * past.size;
  }
  const seen = new Set<string>();
  for (const k of keys) {
    if (!k.submittedOnce || !unitsOf.get(k.indicatorId)?.has(k.unitId) || !pastOf.get(k.indicatorId)?.has(k.period))
      continue;
    const key = `${k.unitId}|${k.indicatorId}|${k.period}`;
    if (seen.has(key)) continue;
    seen.add(key);
    total--;
  }
  return total;
}

/** The views' count path (limit 0) for a caller with this scope. */
async function countFor(scope: { all: boolean; unitIds: Set<number> }, unitId?: number): Promise<number> {
  const ctx = {
    db: env.app.xn.db,
    user: { id: 1, unitId: w.unitA, permissions: new Set(['submissions.accept']) },
    lang: 'zh',
    scope: async () => scope,
  } as unknown as Ctx;
  return (await overdue(ctx, { yearId: w.yearId, unitId }, 0)).total;
}

beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
  const q = env.database.query.bind(env.database);
  office = await env.userClient({ roles: ['office'] });
  reporterA = await env.userClient({ roles: ['reporter'], unitId: w.unitA });
  reporterB = await env.userClient({ roles: ['reporter'], unitId: w.unitB });
  extra.noCategory = await env.buildUnit({ name: '某社区' });
  extra.inactive = await env.buildUnit({ categoryId: w.categoryId, name: '已撤销局' });
  await q(`UPDATE units SET active = false WHERE id = $1`, [extra.inactive]);
  const ind = async (code: string, parentId: number, applies: object, level = 2) =>
    (
      await q<{ id: number }>(
        `INSERT INTO indicators(year_id, parent_id, code, name, level, points, unit_of_measure, applies_to, data_source, aggregate)
         VALUES ($1,$2,$3,$3,$4,10,'件',$5,'self_report','sum') RETURNING id`,
        [w.yearId, parentId, code, level, JSON.stringify(applies)],
      )
    )[0].id;
  // Named units: the category-less community and unit A (which has a category anyway).
  extra.leafNamed = await ind('A6', w.groupId, { categoryIds: [], unitIds: [extra.noCategory, w.unitA] });
  // A group for one category, and under it a leaf naming B and the outsider (whom the group excludes).
  extra.group2 = await ind('B', w.groupId, { categoryIds: [w.categoryId], unitIds: [] });
  extra.leafOnlyB = await ind('B1', extra.group2, { categoryIds: [], unitIds: [w.unitB, w.outsider] }, 3);
  // A leaf with its own deadline: 3 working days after month end.
  extra.leafWd = await ind('A7', w.groupId, { categoryIds: [w.categoryId, w.otherCategoryId], unitIds: [] });
  await q(`INSERT INTO indicator_deadlines(indicator_id, mode, working_days) VALUES ($1, 'working_days', 3)`, [
    extra.leafWd,
  ]);

  // Seeded random cells: submitted once (on time or late, any status), drafts never submitted, and
  // returned drafts that had been submitted before.
  const r = rng(20261206);
  const leaves = [w.leafValue, w.leafForm, w.leafOther, extra.leafNamed, extra.leafOnlyB, extra.leafWd];
  const units = [w.unitA, w.unitB, ...w.peers, w.outsider, extra.noCategory, extra.inactive];
  const cells: object[] = [];
  for (const p of periodsOfYear(2026).slice(0, 11)) {
    for (const u of units) {
      for (const leaf of leaves) {
        const x = r.next();
        if (x < 0.35) continue;
        const submitted = x >= 0.55;
        const returned = x >= 0.5 && x < 0.55;
        cells.push({
          indicator_id: leaf,
          unit_id: u,
          period: p,
          status: submitted ? r.pick(['submitted', 'leader_approved', 'accepted']) : 'draft',
          first_submitted_at: submitted || returned ? `${p}-20T02:00:00Z` : null,
          return_reason: returned ? '请补充' : null,
        });
      }
    }
  }
  await q(
    `INSERT INTO submissions(year_id, indicator_id, unit_id, period, status, value, entered_by_name, first_submitted_at, return_reason)
     SELECT $1, x.indicator_id, x.unit_id, x.period, x.status, 1, '测试', x.first_submitted_at, x.return_reason
     FROM json_to_recordset($2::json) AS x(indicator_id int, unit_id int, period text, status text, first_submitted_at timestamptz, return_reason text)`,
    [w.yearId, JSON.stringify(cells)],
  );
});
afterEach(() => {
  restore?.();
  restore = null;
});
afterAll(async () => env?.close());

describe('office home: overdue cells counted in SQL', () => {
  it('equals the earlier loop and the overdue list on every date, for all units, a scope and one unit', async () => {
    let seenNonZero = 0;
    for (const iso of [
      '2026-01-10T02:00:00Z', // nothing due yet
      '2026-02-16T02:00:00Z', // January due (day 15), working-day leaf too
      '2026-03-04T02:00:00Z', // February: the working-day leaf is due before the day-15 ones
      '2026-07-20T02:00:00Z',
      '2026-11-20T02:00:00Z',
      '2026-12-31T15:59:00Z', // the last minute of the year, Beijing time
    ]) {
      restore?.();
      restore = setNow(iso);
      const all = { all: true, unitIds: new Set<number>() };
      const expected = await referenceOverdue(all);
      const home = (await office.get('/api/reporting/home')).json();
      expect(home.office.overdue, iso).toBe(expected);
      const list = (await office.get('/api/reporting/overdue')).json() as { total: number };
      expect(list.total, iso).toBe(expected);
      if (expected > 0) seenNonZero++;

      const some = { all: false, unitIds: new Set([w.unitB, w.outsider, extra.noCategory, extra.inactive]) };
      expect(await countFor(some), iso).toBe(await referenceOverdue(some));
      for (const u of [w.unitA, w.unitB, w.outsider, extra.noCategory, extra.inactive]) {
        expect(await countFor(all, u), `${iso} unit ${u}`).toBe(await referenceOverdue(all, u));
        // A unit outside the caller's scope counts nothing.
        expect(await countFor({ all: false, unitIds: new Set([w.peers[0]]) }, u)).toBe(0);
      }
    }
    expect(seenNonZero).toBeGreaterThan(3);
  });

  it('counts the category-less unit only on the leaf naming it, B only on the leaf naming B, never the inactive unit', async () => {
    restore = setNow('2026-11-20T02:00:00Z');
    const all = { all: true, unitIds: new Set<number>() };
    const db = env.app.xn.db;
    const yc = await loadYearCtx(db, w.yearId);
    const leafIdsOf = async (unitId: number) =>
      collectedLeavesFor(
        yc,
        (await listUnits(db)).find((u) => u.id === unitId)!,
      )
        .filter((l) => l.dataSource === 'self_report')
        .map((l) => l.id);
    expect(await leafIdsOf(extra.noCategory)).toEqual([extra.leafNamed]);
    expect(await leafIdsOf(w.unitB)).toContain(extra.leafOnlyB);
    expect(await leafIdsOf(w.outsider)).not.toContain(extra.leafOnlyB);
    expect(await countFor(all, extra.noCategory)).toBeGreaterThan(0);
    expect(await countFor(all, extra.inactive)).toBe(0);
  });
});

describe('reporter home: counters from the unit’s own rows and targets', () => {
  it("equals the unit's to-do list counts", async () => {
    for (const iso of ['2026-02-16T02:00:00Z', '2026-11-20T02:00:00Z']) {
      restore?.();
      restore = setNow(iso);
      for (const [client, unitId] of [
        [reporterA, w.unitA],
        [reporterB, w.unitB],
      ] as const) {
        const home = (await client.get('/api/reporting/home')).json();
        const todo = (await client.get('/api/reporting/todo')).json();
        expect(home.reporter, iso).toEqual({
          unitId,
          todo: todo.counts.todo,
          overdue: todo.counts.overdue,
          returned: todo.counts.returned,
          red: todo.counts.red,
        });
        // The lights read this unit's approved targets (120 and 600 in the world's plans).
        const targets = new Map(
          (todo.lights as { indicatorId: number; target: number | null }[]).map((l) => [l.indicatorId, l.target]),
        );
        expect(targets.get(w.leafValue)).toBe(120);
        expect(targets.get(w.leafForm)).toBe(600);
      }
    }
  });
});
