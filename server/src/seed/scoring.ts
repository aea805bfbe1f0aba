import type { Database } from '../db/client.js';
import { SYSTEM_ACTOR } from '../lib/context.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import { approvedTargets, getYearByYear, leavesFor, listIndicators } from '../modules/performance/performance.service.js';
import type { TIndicator } from '../modules/performance/performance.schema.js';
import { upsertScoreInputs, type ScoreInputWrite } from '../modules/scoring/scoring.inputs.js';
import { rng } from '../modules/scoring/engine/random.js';

/** Who enters what for the leaves no other seed fills (public survey firm, leaders' evaluations, supervision office). */
const ENTERED_BY: Record<string, string> = {
  evaluation: '区绩效办（评议汇总）',
  supervision: '区政府督查室',
  third_party: '第三方评估机构',
};

/**
 * Inputs for the 2026 demo year's leaves that come from evaluations, supervision and third parties —
 * the ones no data-collection or case seed writes — for each month whose deadline has passed, so
 * that totals and ranks in the demo reflect the whole indicator tree. Each unit gets a steady
 * "quality" so its results are consistent across indicators and months.
 */
export async function seedScoring(database: Database): Promise<void> {
  const db = database.db;
  const year = await getYearByYear(db, 2026);
  if (!year) return;
  const indicators = await listIndicators(db, year.id);
  const targets = await approvedTargets(db, year.id);
  const units = await database.query<{ id: number; category_id: number | null }>('SELECT id, category_id FROM units WHERE active');
  const existing = new Set(
    (await database.query<{ k: string }>(`SELECT DISTINCT indicator_id || ':' || unit_id AS k FROM score_inputs WHERE year_id = $1`, [year.id])).map((r) => r.k),
  );
  const gen = rng(20261123);
  const rnd = () => gen.next();
  const rows: ScoreInputWrite[] = [];
  const months = 10; // January to October are past their deadline on the demo's "today" (2026-11-23)
  for (const u of units) {
    const quality = 0.82 + rnd() * 0.2; // 0.82 … 1.02 of target, steady per unit
    for (const leaf of leavesFor({ id: u.id, categoryId: u.category_id }, indicators)) {
      if (!(leaf.dataSource in ENTERED_BY) || existing.has(`${leaf.id}:${u.id}`) || !leaf.method) continue;
      const target = targets.get(u.id)?.get(leaf.id)?.target ?? null;
      for (let m = 1; m <= months; m++) {
        const value = sampleValue(leaf, target, quality, rnd);
        if (value === null) continue;
        rows.push({
          yearId: year.id,
          indicatorId: leaf.id,
          unitId: u.id,
          period: `2026-${String(m).padStart(2, '0')}`,
          value,
          source: leaf.dataSource === 'self_report' ? 'manual' : (leaf.dataSource as ScoreInputWrite['source']),
          sourceRef: 'seed:demo',
          enteredBy: null,
          enteredByName: ENTERED_BY[leaf.dataSource],
          enteredAt: new Date(Date.UTC(2026, m, 10, 2)),
        });
      }
    }
  }
  await db.transaction(async (tx) => {
    await upsertScoreInputs(tx, rows);
    await recordAudit(tx, SYSTEM_ACTOR, { action: 'seed.scoring', entityType: 'seed', entityId: 'scoring', after: { inputs: rows.length } });
  });
}

/** A plausible monthly value for a leaf given its method, the unit's target and the unit's quality. */
function sampleValue(leaf: TIndicator, target: number | null, quality: number, rnd: () => number): number | null {
  const m = leaf.method!;
  const jitter = quality + (rnd() - 0.5) * 0.08;
  const perMonth = leaf.aggregate === 'sum' && target !== null ? target / 12 : target;
  switch (m.kind) {
    case 'qualitative': {
      // Better units are more often rated in the top grades.
      const r = rnd() * 0.6 + (1.02 - quality) * 2;
      return Math.min(m.grades.length - 1, Math.floor(r * m.grades.length * 0.7));
    }
    case 'deduction':
    case 'veto':
      return rnd() < (1.05 - quality) * (m.kind === 'veto' ? 0.02 : 0.6) ? 1 : 0;
    case 'bonus':
      return rnd() < 0.08 ? 1 : 0;
    case 'bands': {
      if (m.on === 'completion') return perMonth === null ? null : round(perMonth * jitter);
      const band = m.bands[Math.min(m.bands.length - 1, Math.floor(rnd() * m.bands.length * 0.6))];
      const lo = band.min ?? (band.max ?? 100) - 10;
      const hi = band.max ?? lo + 10;
      return round(lo + (hi - lo) * rnd() * 0.9);
    }
    case 'rank':
      return round(70 + 30 * (quality - 0.82) / 0.2 + rnd() * 5);
    case 'ratio':
    case 'increments':
    case 'formula':
      return perMonth === null ? round(85 + 15 * rnd()) : round(perMonth * (leaf.direction === 'negative' ? 2 - jitter : jitter));
    case 'benchmark':
      return round(m.baseline + (m.benchmark - m.baseline) * Math.min(1, jitter));
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
