// The statistics counted in the database equal the pure unitStats on the same tasks, month by month.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng } from '../../engine/random.js';
import { createTestEnv, type TestEnv } from '../../test/helpers.js';
import { monthStats } from './supervision.monthstats.js';
import * as repo from './supervision.repo.js';
import { monthEnd, unitStats } from './supervision.stats.js';
import { TASK_STATUSES } from './supervision.table.js';

let env: TestEnv;
const units: number[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  for (let k = 0; k < 5; k++) units.push(await env.buildUnit({ name: `统计单位${k}` }));
  const r = rng(20261207);
  const day = (m: number, d: number) => `2026-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const tasks = Array.from({ length: 300 }, (_, k) => {
    const status = r.pick(TASK_STATUSES);
    const reviewed = status === 'completed' || r.chance(0.05);
    return {
      year: k % 17 === 0 ? 2025 : 2026,
      source: 'work_report',
      title: `任务${k}`,
      lead_unit_id: status === 'proposed' && r.chance(0.5) ? null : r.pick(units),
      start_date: '2026-01-05',
      deadline: day(r.int(1, 12), r.int(1, 28)),
      status,
      completion: reviewed ? r.pick(['on_time', 'overdue', 'not_done']) : null,
      quality: reviewed && r.chance(0.9) ? r.pick(['excellent', 'good', 'fair', 'poor']) : null,
      // Around midnight Beijing time too: the day of a rating is Beijing's.
      reviewed_at: reviewed ? `${day(r.int(1, 12), r.int(1, 28))}T${r.pick(['15:30', '16:30', '03:00'])}:00Z` : null,
    };
  });
  await env.database.query(
    `INSERT INTO supervision_tasks(year, source, title, lead_unit_id, start_date, deadline, status, completion, quality, reviewed_at)
     SELECT year, source, title, lead_unit_id, start_date, deadline, status, completion, quality, reviewed_at
       FROM json_populate_recordset(null::supervision_tasks, $1)`,
    [JSON.stringify(tasks)],
  );
  const ids = await env.database.query<{ id: number }>('SELECT id FROM supervision_tasks ORDER BY id');
  const ms = ids.flatMap(({ id }) =>
    Array.from({ length: r.int(0, 4) }, (_, k) => {
      const due = day(r.int(1, 12), r.int(1, 28));
      const done = r.chance(0.6) ? day(r.int(1, 12), r.int(1, 28)) : r.chance(0.3) ? due : null;
      return { task_id: id, title: `节点${k}`, due_on: due, done_on: done };
    }),
  );
  await env.database.query(
    `INSERT INTO supervision_milestones(task_id, title, due_on, done_on)
     SELECT task_id, title, due_on, done_on FROM json_populate_recordset(null::supervision_milestones, $1)`,
    [JSON.stringify(ms)],
  );
});
afterAll(async () => env?.close());

const reference = async (asOf: string, unitIds?: number[]) => {
  const tasks = (await repo.statsTasks(env.database.db, 2026, unitIds)).map((t) => ({
    id: t.id,
    unitId: t.lead_unit_id,
    deadline: t.deadline,
    completion: t.completion,
    quality: t.quality,
    reviewedOn: t.reviewed_on,
    milestones: t.ms ?? [],
  }));
  return unitStats(tasks, asOf);
};

describe('monthStats (SQL) = unitStats (pure)', () => {
  it('for every month of the year and every unit, in one statement', async () => {
    const periods = Array.from({ length: 12 }, (_, m) => {
      const period = `2026-${String(m + 1).padStart(2, '0')}`;
      return { period, asOf: m === 11 ? '2026-12-07' : monthEnd(period) };
    });
    const got = await monthStats(env.database.db, { year: 2026, periods });
    let compared = 0;
    for (const p of periods) {
      const want = await reference(p.asOf);
      const have = got.get(p.period)!;
      expect([...have.keys()].sort(), p.period).toEqual([...want.keys()].sort());
      for (const [unitId, w] of want) {
        expect(have.get(unitId), `${p.period} unit ${unitId}`).toEqual(w);
        compared++;
      }
    }
    expect(compared).toBe(12 * units.length);
    // Not a vacuous comparison: some months have tasks due, on time, milestones and ratings.
    const dec = got.get('2026-12')!;
    const sum = (f: (s: { due: number; onTime: number; milestonesDue: number; rated: number }) => number) =>
      [...dec.values()].reduce((a, s) => a + f(s), 0);
    expect(sum((s) => s.due)).toBeGreaterThan(50);
    expect(sum((s) => s.onTime)).toBeGreaterThan(5);
    expect(sum((s) => s.milestonesDue)).toBeGreaterThan(50);
    expect(sum((s) => s.rated)).toBeGreaterThan(5);
  });

  it('for some units only', async () => {
    const some = units.slice(1, 3);
    const got = await monthStats(env.database.db, {
      year: 2026,
      periods: [{ period: '2026-06', asOf: '2026-06-30' }],
      unitIds: some,
    });
    expect(got.get('2026-06')).toEqual(await reference('2026-06-30', some));
    expect([...got.get('2026-06')!.keys()].sort()).toEqual([...some].sort());
  });
});
