import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFoundation } from '../users/index.js';
import { seedPerformance } from './performance.seed.js';
import { freshDatabase } from '../../test/helpers.js';
import type { Database } from '../../db/client.js';
import { approvedTargets, checkYear, getYearByYear, leavesFor, listIndicators } from './performance.service.js';
import { METHOD_NAMES } from '../../engine/methods.schema.js';

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await seedFoundation(database);
  await seedPerformance(database);
}, 120_000);
afterAll(async () => database?.close());

describe('demo seed (三效一创)', () => {
  it('has 2026 in force and 2025 closed, both with a valid tree that adds up to 100', async () => {
    const db = database.db;
    const y26 = (await getYearByYear(db, 2026))!;
    const y25 = (await getYearByYear(db, 2025))!;
    expect(y26.status).toBe('in_force');
    expect(y25.status).toBe('closed');
    for (const y of [y26, y25]) expect(await checkYear(db, y.id)).toEqual([]);
    const tree = await listIndicators(db, y26.id);
    expect(tree.filter((n) => n.level === 1).map((n) => n.name)).toEqual([
      '履职效率',
      '管理效能',
      '服务效果',
      '创新创优',
    ]);
    expect(
      tree
        .filter((n) => n.level === 2)
        .sort((a, b) => a.id - b.id)
        .map((n) => [n.name, n.points]),
    ).toEqual([
      ['职责任务', 40],
      ['依法行政', 8],
      ['能力建设', 7],
      ['服务中央', 5],
      ['协调配合', 5],
      ['公众评价', 20],
      ['领导评价', 10],
      ['创新创优', 5],
    ]);
    const leaves = tree.filter((n) => !tree.some((c) => c.parentId === n.id));
    expect(leaves.length).toBeGreaterThanOrEqual(25);
    expect(new Set(leaves.map((l) => l.method?.kind))).toEqual(new Set(Object.keys(METHOD_NAMES)));
    expect(
      leaves
        .filter((l) => l.dataSource === 'case_platform')
        .map((l) => l.caseMetric)
        .sort(),
    ).toEqual(['onTimeRate', 'satisfactionRate']);
  });

  it('gives every unit with a category a plan; most approved, with a target for every leaf that needs one', async () => {
    const db = database.db;
    const y26 = (await getYearByYear(db, 2026))!;
    const rows = await database.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM performance_plans WHERE year_id = $1 GROUP BY status',
      [y26.id],
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    const assessed = (
      await database.query<{ n: number }>('SELECT count(*)::int AS n FROM units WHERE category_id IS NOT NULL')
    )[0].n;
    expect(Object.values(by).reduce((s, n) => s + n, 0)).toBe(assessed);
    expect(by.approved).toBeGreaterThan(assessed * 0.8);
    expect(by.submitted && by.returned && by.draft).toBeTruthy();
    const targets = await approvedTargets(db, y26.id);
    const tree = await listIndicators(db, y26.id);
    const units = await database.query<{ id: number; category_id: number | null; code: string }>(
      'SELECT id, category_id, code FROM units WHERE category_id IS NOT NULL',
    );
    const cgj = units.find((u) => u.code === 'CGJ')!;
    const needs = leavesFor({ id: cgj.id, categoryId: cgj.category_id }, tree).filter((l) =>
      ['ratio', 'increments'].includes(l.method!.kind),
    );
    for (const l of needs) expect(targets.get(cgj.id)?.has(l.id), l.code).toBe(true);
    const street = units.find((u) => u.code === 'ST01')!;
    expect(leavesFor({ id: street.id, categoryId: street.category_id }, tree).map((l) => l.code)).toContain('A1_06');
    expect(leavesFor({ id: street.id, categoryId: street.category_id }, tree).map((l) => l.code)).not.toContain(
      'A1_05',
    );
    const audit = await database.query(`SELECT 1 FROM audit_entries WHERE action = 'seed.performance'`);
    expect(audit).toHaveLength(1);
  });
});
