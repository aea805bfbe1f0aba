/**
 * 多元评价 as other modules read it (the cockpit, the analysis reports): a year's campaigns with stored
 * results (closed or published), their figures over the units asked about, and their lowest units.
 * Read-only; the results are those `closeCampaign` stored (evaluation_results), never recomputed here.
 *
 * Over several units a campaign's mean is the units' means weighted by their valid responses and its
 * satisfaction rate the units' rates weighted by the answers on the five-level scale (the pooled rate).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import type { Db } from '../../db/client.js';
import type { CampaignKind, CampaignStatus } from './evaluation.table.js';
import { rows } from '../../db/rows.js';

export type EvaluationUnitFigure = {
  unitId: number;
  unitName: string;
  valid: number;
  mean: number | null;
  satisfactionRate: number | null;
};

export type EvaluationCampaignSummary = {
  id: number;
  title: string;
  kind: CampaignKind;
  status: 'closed' | 'published';
  periodFrom: string;
  periodTo: string;
  /** Units with a result row among the units asked about. */
  units: number;
  invited: number;
  responses: number;
  valid: number;
  mean: number | null;
  satisfactionRate: number | null;
  /** The units with the lowest mean (at most `lowest`; units without valid responses left out). */
  lowest: EvaluationUnitFigure[];
};

export type EvaluationSummaryQuery = {
  year: number;
  /** null: every unit. */
  unitIds: readonly number[] | null;
  statuses: readonly ('closed' | 'published')[];
  /** Only campaigns whose period ends on or before this day ('YYYY-MM-DD'). */
  endedBy?: string;
  lowest?: number;
};

const r2 = (x: number) => Math.round(x * 100) / 100;

/** The year's closed/published campaigns (newest period first) with their figures over the units given. */
export async function evaluationSummary(db: Db, q: EvaluationSummaryQuery): Promise<EvaluationCampaignSummary[]> {
  if (!q.statuses.length) return [];
  const conds: SQL[] = [sql`c.year = ${q.year}`, sql`c.status = ANY(${`{${q.statuses.join(',')}}`}::text[])`];
  if (q.endedBy) conds.push(sql`c.period_to <= ${q.endedBy}::date`);
  const unitCond = q.unitIds ? sql`AND r.unit_id = ANY(${`{${q.unitIds.map(Math.trunc).join(',')}}`}::int[])` : sql``;
  const found = await rows<{
    id: number;
    title: string;
    kind: CampaignKind;
    status: CampaignStatus;
    periodFrom: string;
    periodTo: string;
    unitId: number;
    unitName: string | null;
    invited: number;
    responses: number;
    valid: number;
    mean: number | null;
    satisfactionRate: number | null;
    distribution: number[] | null;
  }>(
    db,
    sql`SELECT c.id, c.title, c.kind, c.status, c.period_from::text AS "periodFrom", c.period_to::text AS "periodTo",
               r.unit_id AS "unitId", u.name AS "unitName", r.invited, r.responses, r.valid, r.mean,
               r.satisfaction_rate AS "satisfactionRate", r.distribution
          FROM evaluation_campaigns c
          JOIN evaluation_results r ON r.campaign_id = c.id ${unitCond}
          LEFT JOIN units u ON u.id = r.unit_id
         WHERE ${sql.join(conds, sql` AND `)}
         ORDER BY c.period_to DESC, c.id DESC, r.unit_id`,
  );
  const byCampaign = new Map<number, (typeof found)[number][]>();
  for (const r of found) {
    const list = byCampaign.get(r.id) ?? [];
    list.push(r);
    byCampaign.set(r.id, list);
  }
  return [...byCampaign.values()].map((units) => {
    const c = units[0];
    let meanW = 0;
    let meanSum = 0;
    let rateW = 0;
    let rateSum = 0;
    for (const u of units) {
      if (u.mean !== null && u.valid > 0) {
        meanW += u.valid;
        meanSum += Number(u.mean) * u.valid;
      }
      const answered = (u.distribution ?? []).reduce((a, b) => a + Number(b), 0);
      if (u.satisfactionRate !== null && answered > 0) {
        rateW += answered;
        rateSum += Number(u.satisfactionRate) * answered;
      }
    }
    const sum = (k: 'invited' | 'responses' | 'valid') => units.reduce((a, u) => a + u[k], 0);
    return {
      id: c.id,
      title: c.title,
      kind: c.kind,
      status: c.status as 'closed' | 'published',
      periodFrom: c.periodFrom,
      periodTo: c.periodTo,
      units: units.length,
      invited: sum('invited'),
      responses: sum('responses'),
      valid: sum('valid'),
      mean: meanW ? r2(meanSum / meanW) : null,
      satisfactionRate: rateW ? r2(rateSum / rateW) : null,
      lowest: units
        .filter((u) => u.mean !== null && u.valid > 0)
        .sort(
          (a, b) =>
            Number(a.mean) - Number(b.mean) ||
            (a.satisfactionRate ?? 101) - (b.satisfactionRate ?? 101) ||
            a.unitId - b.unitId,
        )
        .slice(0, q.lowest ?? 3)
        .map((u) => ({
          unitId: u.unitId,
          unitName: u.unitName ?? String(u.unitId),
          valid: u.valid,
          mean: u.mean === null ? null : Number(u.mean),
          satisfactionRate: u.satisfactionRate === null ? null : Number(u.satisfactionRate),
        })),
    };
  });
}

/**
 * The campaigns the caller may see, as the results pages show them: the evaluation office every closed
 * or published campaign; everyone else the published ones, over the units in their scope.
 */
export async function evaluationSummaryFor(
  ctx: Ctx,
  q: Omit<EvaluationSummaryQuery, 'statuses' | 'unitIds'>,
): Promise<EvaluationCampaignSummary[]> {
  const scope = await ctx.scope();
  const office = ctx.user?.permissions.has('evaluation.manage') ?? false;
  return evaluationSummary(ctx.db, {
    ...q,
    unitIds: scope.all ? null : [...scope.unitIds],
    statuses: office ? ['closed', 'published'] : ['published'],
  });
}
