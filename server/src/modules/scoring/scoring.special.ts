/**
 * 纳入年度考核: a scheme's leaf with data source 'special_assessment' takes in a special scheme's
 * published result. When the special scheme publishes a period (a half-year, a quarter, the year), every
 * leaf naming it gets, per unit, one score input in the period's last month:
 * - mapped linearly: the special total (百分制), the leaf's method turns it into points (e.g. benchmark
 *   0 → 100, or ratio against a target of 100);
 * - mapped by grade (the leaf's method is 'qualitative'): the index of the unit's special grade among the
 *   leaf's grade labels (A/B/C/D → shares of the leaf's points).
 * The input's source reference names the publication, so the leaf's explanation opens the special
 * scheme's own tree for the unit from that publication's snapshot.
 */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import {
  getYear,
  leavesFor,
  leavesTakingIn,
  listIndicators,
  type TIndicator,
  type TYear,
} from '../performance/index.js';
import { listUnits } from '../units/index.js';
import { inputKey } from '../../engine/index.js';
import { upsertScoreInputs, type ScoreInputWrite } from '../inputs/index.js';
import { monthKey } from './scoring.present.js';
import type { TProvenance, TScoreRow } from './scoring.schema.js';

export const SPECIAL_REF = 'publication:';

/** The value a taking-in leaf stores for a unit's special result (null: the grade is not among the leaf's labels). */
export function specialValue(leaf: Pick<TIndicator, 'method'>, row: Pick<TScoreRow, 'total' | 'grade'>): number | null {
  if (leaf.method?.kind === 'qualitative') {
    const i = leaf.method.grades.findIndex((g) => g.label === row.grade);
    return i < 0 ? null : i;
  }
  return Math.round(row.total * 1000) / 1000;
}

export function specialMapping(leaf: Pick<TIndicator, 'method'>): 'grade' | 'linear' {
  return leaf.method?.kind === 'qualitative' ? 'grade' : 'linear';
}

/**
 * In the publishing transaction: writes the published result of a special scheme into every leaf that
 * takes it in (schemes not closed), audited. Returns the number of inputs written.
 */
export async function takeInPublication(
  tx: Db,
  actor: Actor,
  by: { id: number; name: string },
  scheme: TYear,
  pub: { id: number; windowLabel: string; end: number },
  rows: readonly Pick<TScoreRow, 'unitId' | 'total' | 'grade'>[],
): Promise<number> {
  if (scheme.kind !== 'special') return 0;
  const leaves = await leavesTakingIn(tx, scheme.id);
  if (!leaves.length) return 0;
  const units = await listUnits(tx);
  const period = monthKey(scheme.year, pub.end);
  const out: ScoreInputWrite[] = [];
  const takers: { yearId: number; indicatorId: number; code: string }[] = [];
  for (const leaf of leaves) {
    const taker = await getYear(tx, leaf.yearId);
    if (taker.status === 'closed' || taker.year !== scheme.year) continue;
    const tree = await listIndicators(tx, taker.id);
    const byUnit = new Map(rows.map((r) => [r.unitId, r]));
    for (const unit of units) {
      const row = byUnit.get(unit.id);
      if (!row || !leavesFor(unit, tree).some((l) => l.id === leaf.id)) continue;
      out.push({
        yearId: taker.id,
        indicatorId: leaf.id,
        unitId: unit.id,
        period,
        value: specialValue(leaf, row),
        fields: { total: row.total, grade: row.grade ?? '' },
        source: 'special_assessment',
        sourceRef: `${SPECIAL_REF}${pub.id}`,
        enteredBy: by.id,
        enteredByName: `${scheme.name}（${pub.windowLabel}）`,
      });
    }
    takers.push({ yearId: taker.id, indicatorId: leaf.id, code: leaf.code });
  }
  if (!out.length) return 0;
  await upsertScoreInputs(tx, out);
  await recordAudit(tx, actor, {
    action: 'scores.take_in',
    entityType: 'score_publication',
    entityId: pub.id,
    after: { schemeId: scheme.id, period, takers, inputs: out.length },
  });
  return out.length;
}

/**
 * The publication a taking-in leaf's value came from for a unit in a window: the latest input up to the
 * window's last month whose source is a special scheme's publication.
 */
export function specialSource(
  provenance: ReadonlyMap<string, TProvenance>,
  indicatorId: number,
  unitId: number,
  windowEnd: number,
): { publicationId: number; period: number } | null {
  for (let p = windowEnd; p >= 0; p--) {
    const prov = provenance.get(inputKey(indicatorId, unitId, p));
    if (prov?.source === 'special_assessment' && prov.sourceRef?.startsWith(SPECIAL_REF))
      return { publicationId: Number(prov.sourceRef.slice(SPECIAL_REF.length)), period: p };
  }
  return null;
}
