/**
 * A data source's figures → score inputs: the leaves one source (ratings, notices, assistance, mediation…)
 * feeds in a year, per unit, and the rows written for a unit's month figure. The modules that own a source
 * compute the figures; this is the one place that knows how a figure becomes score inputs.
 */
import type { Db } from '../../db/client.js';
import { upsertScoreInputs, type InputSource, type ScoreInputWrite } from '../inputs/index.js';
import { listUnits } from '../units/index.js';
import { getYearByYear, leavesFor, listIndicators } from './performance.service.js';

export type SourceInputs = {
  /** Adds the unit's figure of a month to every leaf of the source that applies to the unit (none for an unknown unit). */
  add(unitId: number, period: string, value: number | null, fields: Record<string, unknown>): void;
  /** Writes the rows added (inside the caller's transaction when `db` is one) and counts them. */
  write(): Promise<{ inputs: number }>;
};

/**
 * Starts the score inputs of `source` for a year: null when the year does not exist or none of its leaves
 * takes the source. Each row is sourced `<source>:<unit>:<month>` and entered by `author` (the provenance shown).
 */
export async function sourceInputs(
  db: Db,
  v: { year: number; source: InputSource; author: string },
): Promise<SourceInputs | null> {
  const year = await getYearByYear(db, v.year);
  if (!year) return null;
  const indicators = await listIndicators(db, year.id);
  if (!indicators.some((i) => i.dataSource === v.source)) return null;
  const units = new Map((await listUnits(db)).map((u) => [u.id, u]));
  const rows: ScoreInputWrite[] = [];
  const now = new Date();
  return {
    add(unitId, period, value, fields) {
      const unit = units.get(unitId);
      if (!unit) return;
      for (const leaf of leavesFor(unit, indicators)) {
        if (leaf.dataSource !== v.source) continue;
        rows.push({
          yearId: year.id,
          indicatorId: leaf.id,
          unitId,
          period,
          value,
          fields,
          source: v.source,
          sourceRef: `${v.source}:${unitId}:${period}`,
          enteredBy: null,
          enteredByName: v.author,
          enteredAt: now,
        });
      }
    },
    async write() {
      await upsertScoreInputs(db, rows);
      return { inputs: rows.length };
    },
  };
}
