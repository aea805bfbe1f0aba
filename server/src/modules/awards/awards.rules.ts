/** Pure rules of the award round: candidates from a year's ranking table. No I/O. */
import type { AwardKind } from './awards.table.js';

export type RankedUnit = {
  unitId: number;
  categoryName: string;
  total: number;
  /** A veto (一票否决) takes a unit out of every award. */
  vetoed: boolean;
  /** Total minus last year's total; null without last year. */
  change: number | null;
  /** Score of each level-1 indicator (and of the 单项 indicator when it is a leaf). */
  nodes: Map<number, number | null>;
};

export type AwardRules = {
  /** 先进: the top share of each category (Haidian: 30%), rounded up… */
  sharePercent: number;
  /** …or, when set, every unit of the category at or above this total. */
  threshold: number | null;
  /** 单项绩效奖: the indicator (a leaf or level 1) whose best unit is awarded; none when null. */
  indicatorId: number | null;
  /** 绩效改进奖: how many of the largest improvements. */
  improvementCount: number;
};

export type Candidate = {
  kind: AwardKind;
  category: string;
  unitId: number;
  rank: number;
  score: number;
  basis: string;
};

const r2 = (x: number) => Math.round(x * 100) / 100;

/** Competition ranks (1, 2, 2, 4) of values sorted best first. */
function ranks(values: readonly number[]): number[] {
  const out: number[] = [];
  values.forEach((v, i) => out.push(i > 0 && v === values[i - 1] ? out[i - 1] : i + 1));
  return out;
}

export function awardCandidates(units: readonly RankedUnit[], rules: AwardRules, indicatorName = ''): Candidate[] {
  const out: Candidate[] = [];
  const eligible = units.filter((u) => !u.vetoed);
  const byCategory = new Map<string, RankedUnit[]>();
  for (const u of eligible) byCategory.set(u.categoryName, [...(byCategory.get(u.categoryName) ?? []), u]);
  for (const [category, list] of [...byCategory].sort(([a], [b]) => a.localeCompare(b, 'zh'))) {
    const sorted = [...list].sort((a, b) => b.total - a.total || a.unitId - b.unitId);
    const rk = ranks(sorted.map((u) => u.total));
    const quota = Math.ceil((sorted.length * rules.sharePercent) / 100);
    sorted.forEach((u, i) => {
      const inShare = rules.threshold === null ? rk[i] <= quota : u.total >= rules.threshold;
      if (!inShare) return;
      out.push({
        kind: 'advanced',
        category,
        unitId: u.unitId,
        rank: rk[i],
        score: r2(u.total),
        basis:
          rules.threshold === null
            ? `${category}第${rk[i]}名（共${sorted.length}家，前${rules.sharePercent}%即前${quota}名）`
            : `${category}总分${r2(u.total)}，达到${rules.threshold}分`,
      });
    });
  }
  const improved = eligible
    .filter((u) => u.change !== null && u.change > 0)
    .sort((a, b) => b.change! - a.change! || a.unitId - b.unitId);
  const irk = ranks(improved.map((u) => u.change!));
  improved.forEach((u, i) => {
    if (irk[i] > rules.improvementCount) return;
    out.push({
      kind: 'improvement',
      category: u.categoryName,
      unitId: u.unitId,
      rank: irk[i],
      score: r2(u.change!),
      basis: `总分比上年提高${r2(u.change!)}分`,
    });
  });
  if (rules.indicatorId !== null) {
    const scored = eligible
      .map((u) => ({ u, s: u.nodes.get(rules.indicatorId!) ?? null }))
      .filter((x): x is { u: RankedUnit; s: number } => x.s !== null)
      .sort((a, b) => b.s - a.s || a.u.unitId - b.u.unitId);
    const best = scored[0]?.s;
    for (const x of scored.filter((x) => x.s === best))
      out.push({
        kind: 'single',
        category: x.u.categoryName,
        unitId: x.u.unitId,
        rank: 1,
        score: r2(x.s),
        basis: `“${indicatorName}”得分${r2(x.s)}，全区最高`,
      });
  }
  return out;
}
