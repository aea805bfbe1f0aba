/**
 * Street hot spots (热点街道) of a period, for the analysis report: the hotline's located cases per street
 * of the district map, with each street's leading top-level category. The cockpit's street heat table
 * places cases the same way (nearest street centre, cockpit.service).
 */
import type { Db } from '../../db/client.js';
import { caseInsights, listCategories } from '../cases/index.js';
import { casesByStreet, topCategoryOf } from './cockpit.service.js';

export type StreetHotSpot = {
  code: string;
  name: string;
  cases: number;
  topCategory: string | null;
  topCategoryCases: number;
};

/** Streets by cases received in [since, until), most first (streets without cases left out); `unlocated` counts cases off the map. */
export async function streetHotSpots(
  db: Db,
  q: { unitIds: readonly number[] | null; since: Date; until: Date },
): Promise<{ streets: StreetHotSpot[]; located: number; unlocated: number }> {
  const [ins, cats] = await Promise.all([
    caseInsights(db, { unitIds: q.unitIds, since: q.since, until: q.until, now: q.until }),
    listCategories(db),
  ]);
  const topOf = topCategoryOf(cats);
  const names = new Map(cats.map((c) => [c.id, c.name]));
  const { streets, located } = casesByStreet(ins.cells, topOf);
  return {
    streets: streets
      .filter((s) => s.n > 0)
      .map((s) => {
        const [top, n] = [...s.byTop]
          .map(([id, k]) => [names.get(id) ?? '', k] as const)
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [null, 0];
        return { code: s.code, name: s.name, cases: s.n, topCategory: top || null, topCategoryCases: n };
      })
      .sort((a, b) => b.cases - a.cases || a.code.localeCompare(b.code)),
    located,
    unlocated: ins.received - located,
  };
}
