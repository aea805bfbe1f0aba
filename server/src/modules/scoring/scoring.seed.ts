import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR, type Ctx } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { approvedTargets, getYearByYear, leavesFor, listIndicators, type TIndicator } from '../performance/index.js';
import { type ScoreInputWrite, upsertScoreInputs } from '../inputs/index.js';
import { rng } from '../../engine/random.js';
import { publish } from './scoring.service.js';

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
 *
 * For 2025 (closed, seedScoringHistory), the twelve months of every leaf no other seed filled
 * (imported from the former system), and the office's publication of the 2025 annual results, which
 * the public results page shows.
 */
export async function seedScoring(database: Database): Promise<void> {
  const y2026 = await getYearByYear(database.db, 2026);
  if (y2026) await seedInputs(database, { yearId: y2026.id, year: 2026, months: 10, seed: 20261123, all: false });
}

/** 2025's inputs and its published annual results (a seed of its own, so that older demo databases get it too). */
export async function seedScoringHistory(database: Database): Promise<void> {
  const y2025 = await getYearByYear(database.db, 2025);
  if (!y2025) return;
  await seedInputs(database, { yearId: y2025.id, year: 2025, months: 12, seed: 20251231, all: true });
  await publishAnnual(database, y2025.id, '2025');
}

/** Monthly inputs of one year: the leaves of ENTERED_BY's sources, or every leaf (`all`), that have none yet. */
async function seedInputs(
  database: Database,
  v: { yearId: number; year: number; months: number; seed: number; all: boolean },
): Promise<void> {
  const db = database.db;
  const indicators = await listIndicators(db, v.yearId);
  const targets = await approvedTargets(db, v.yearId);
  const units = await database.query<{ id: number; category_id: number | null }>(
    'SELECT id, category_id FROM units WHERE active',
  );
  const existing = new Set(
    (
      await database.query<{ k: string }>(
        `SELECT DISTINCT indicator_id || ':' || unit_id AS k FROM score_inputs WHERE year_id = $1`,
        [v.yearId],
      )
    ).map((r) => r.k),
  );
  const gen = rng(v.seed);
  const rnd = () => gen.next();
  const rows: ScoreInputWrite[] = [];
  for (const u of units) {
    const quality = 0.82 + rnd() * 0.2; // 0.82 … 1.02 of target, steady per unit
    for (const leaf of leavesFor({ id: u.id, categoryId: u.category_id }, indicators)) {
      if (!(v.all || leaf.dataSource in ENTERED_BY) || existing.has(`${leaf.id}:${u.id}`) || !leaf.method) continue;
      const target = targets.get(u.id)?.get(leaf.id)?.target ?? null;
      for (let m = 1; m <= v.months; m++) {
        const value = sampleValue(leaf, target, quality, rnd);
        if (value === null) continue;
        rows.push({
          yearId: v.yearId,
          indicatorId: leaf.id,
          unitId: u.id,
          period: `${v.year}-${String(m).padStart(2, '0')}`,
          value,
          source: leaf.dataSource === 'self_report' ? 'manual' : (leaf.dataSource as ScoreInputWrite['source']),
          sourceRef: 'seed:demo',
          enteredBy: null,
          enteredByName: ENTERED_BY[leaf.dataSource] ?? '历史数据导入（原考核系统）',
          enteredAt: new Date(Date.UTC(v.year, m, 10, 2)),
        });
      }
    }
  }
  await db.transaction(async (tx) => {
    await upsertScoreInputs(tx, rows);
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.scoring',
      entityType: 'seed',
      entityId: `scoring:${v.year}`,
      after: { inputs: rows.length },
    });
  });
}

/** The office publishes a year's annual results (frozen, with their snapshot), as the demo's 绩效办 user. */
async function publishAnnual(database: Database, yearId: number, period: string): Promise<void> {
  const [office] = await database.query<{ id: number; display_name: string; unit_id: number }>(
    `SELECT id, display_name, unit_id FROM users WHERE username = 'office'`,
  );
  const [already] = await database.query('SELECT 1 FROM score_publications WHERE year_id = $1 AND full_year', [yearId]);
  if (!office || already) return; // a seed stopped after publishing, before it was recorded as done
  const ctx: Ctx = {
    db: database.db,
    user: {
      id: office.id,
      username: 'office',
      displayName: office.display_name,
      unitId: office.unit_id,
      roles: ['office'],
      permissions: new Set(),
    },
    actor: { id: office.id, name: 'office', ip: null },
    lang: 'zh',
    scope: async () => ({ all: true }),
  };
  // Some demo units' data are incomplete: the publication records them (shown as 数据不完整) and why.
  await publish(ctx, {
    yearId,
    period,
    note: `${period}年度绩效考核结果（区绩效办发布）`,
    incompleteReason: '年度结果按期公布；数据不完整的单位已在结果中标注',
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
      return round(70 + (30 * (quality - 0.82)) / 0.2 + rnd() * 5);
    case 'ratio':
    case 'increments':
    case 'formula':
      return perMonth === null
        ? round(85 + 15 * rnd())
        : round(perMonth * (leaf.direction === 'negative' ? 2 - jitter : jitter));
    case 'benchmark':
      return round(m.baseline + (m.benchmark - m.baseline) * Math.min(1, jitter));
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
