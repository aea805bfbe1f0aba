/**
 * The analysis of a period (pure, no I/O): from the computed year (engine model and results) and the
 * figures the other modules gave (lights, missing reports, supervision tasks, hotline statistics), what
 * every output — .docx, .xlsx, the print page — is rendered from. Figures are rounded once, here, so
 * the three outputs show the same numbers.
 */
import type { Model, Results } from '../../engine/index.js';
import type { Lang } from '../../lib/errors.js';
import { suggestionsFor } from './reports.rules.js';
import type { TAnalysis, TPeriodKind, TWeakLeaf } from './reports.schema.js';

/** What the analysis reads of a computed year (scoring's YearScores fits it). */
export type ScoredYear = {
  meta: {
    units: { id: number; code: string; name: string; categoryId: number | null }[];
    categories: { id: number | null; name: string }[];
  };
  model: Model;
  res: Results;
};

export type AnalysisInput = {
  title: string;
  /** The language of the texts (default zh); names of units, indicators, categories and grades stay as configured. */
  lang?: Lang;
  scope: { unitId: number | null; unitName: string | null };
  year: number;
  yearId: number;
  period: string;
  periodKind: TPeriodKind;
  periodLabel: string;
  generatedAt: string;
  scoreVersion: number;
  cur: ScoredYear & { w: number };
  /** The window compared against (the previous month/quarter/half, or last year's), or null. */
  prev: (ScoredYear & { w: number; label: string }) | null;
  lights: { unitId: number; unitName: string; red: number; yellow: number; green: number }[];
  late: { unitId: number; unitName: string; missing: number; late: number }[];
  supervision: TAnalysis['supervision'];
  cases: TAnalysis['cases'];
  /** The published campaigns and the period's 好差评 of the report's units (evaluation.summary, ratings.summary). */
  evaluation: Pick<TAnalysis['evaluation'], 'campaigns' | 'ratings'>;
};

/** Rounded to 2 decimals (scores), NaN → null. */
export const r2 = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);
const r2z = (x: number): number => r2(x) ?? 0;

/** An English count with its noun: 1 unit, 3 units (an English report's sentences). */
export const countOf = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const MOVERS = 3;
const BEHIND = 3;
const CAUSES = 3;

/** Runs the analysis; `charts` are added by the caller (reports.charts.ts). */
export function analyse(a: AnalysisInput): Omit<TAnalysis, 'charts'> {
  const { model, res, meta } = a.cur;
  const { W } = model;
  const w = a.cur.w;
  const unitOnly = a.scope.unitId;
  const ind = model.input.indicators;
  const prev = a.prev;
  const lang = a.lang ?? 'zh';
  const en = lang === 'en';

  // Per unit index: the row.
  const rows = meta.units.map((unit, u) => {
    const i = u * W + w;
    const c = model.unitCategory[u];
    let previous: number | null = null;
    if (prev) {
      const pu = prev.model.unitIndexById.get(unit.id);
      if (pu !== undefined) previous = r2(prev.res.total[pu * prev.model.W + prev.w]);
    }
    const total = r2z(res.total[i]);
    return {
      u,
      c,
      unitId: unit.id,
      unitCode: unit.code,
      unitName: unit.name,
      categoryName: meta.categories[c]?.name ?? '',
      total,
      rank: res.rank[i],
      of: model.categoryUnits[c]?.length ?? 0,
      grade: model.gradeRule.grades[res.grade[i]]?.label ?? null,
      previous,
      delta: previous === null ? null : r2z(total - previous),
      missing: res.missing[i],
    };
  });
  const own = unitOnly === null ? null : (rows.find((r) => r.unitId === unitOnly) ?? null);
  const categoryIdx = [...new Set(rows.map((r) => r.c))]
    .filter((c) => own === null || c === own.c)
    .sort((x, y) => x - y);

  const applies = (leaf: number, u: number) => {
    const lr = model.leaf[leaf];
    return !!lr && (!lr.applies || lr.applies[u] === 1);
  };
  const baseLeaves = model.leaves.filter((l) => model.leaf[l]!.role === 'base' && model.leaf[l]!.points > 0);
  const avgCache = new Map<string, number>();
  const categoryAvg = (leaf: number, c: number): number => {
    const key = `${leaf}:${c}`;
    const hit = avgCache.get(key);
    if (hit !== undefined) return hit;
    let sum = 0;
    let cnt = 0;
    const sc = res.scores[leaf];
    for (const u of model.categoryUnits[c]) {
      if (!applies(leaf, u)) continue;
      const x = sc[u * W + w];
      if (Number.isFinite(x)) {
        sum += x;
        cnt++;
      }
    }
    const avg = cnt ? sum / cnt : NaN;
    avgCache.set(key, avg);
    return avg;
  };
  const weakest = (u: number, c: number, limit: number): TWeakLeaf[] => {
    const out: (TWeakLeaf & { key: number })[] = [];
    for (const l of baseLeaves) {
      if (!applies(l, u)) continue;
      const pts = model.leaf[l]!.points;
      const s = res.scores[l][u * W + w];
      const avg = categoryAvg(l, c);
      const gap = Number.isFinite(s) && Number.isFinite(avg) ? ((avg - s) / pts) * 100 : NaN;
      // Missing data first, then the widest gap.
      const key = Number.isFinite(s) ? gap : Infinity;
      if (!Number.isFinite(key) && key !== Infinity) continue;
      out.push({
        key,
        indicatorId: ind[l].id,
        code: ind[l].code,
        name: ind[l].name ?? ind[l].code,
        points: pts,
        score: r2(s),
        categoryAvg: r2(avg),
        gap: r2(gap),
      });
    }
    out.sort((x, y) => y.key - x.key || x.code.localeCompare(y.code));
    // Leaves without data first (at most two), then the widest gaps: missing data must not hide the real weaknesses.
    const missing = out.filter((l) => l.score === null).slice(0, 2);
    const gaps = out.filter((l) => l.score !== null).slice(0, limit);
    return [...missing, ...gaps].map(({ key: _key, ...rest }) => rest);
  };

  // What moved: per unit, the leaves whose scores changed most against the compared window.
  const prevLeafOf = new Map<number, number>();
  if (prev)
    for (const l of model.leaves) {
      const pl = prev.model.indicatorIndexByCode.get(ind[l].code);
      if (pl !== undefined && prev.model.leaf[pl]) prevLeafOf.set(l, pl);
    }
  const causes = (u: number, unitId: number, sign: 1 | -1) => {
    if (!prev) return [];
    const pu = prev.model.unitIndexById.get(unitId);
    if (pu === undefined) return [];
    const moved: { code: string; name: string; delta: number }[] = [];
    for (const [l, pl] of prevLeafOf) {
      const d = res.scores[l][u * W + w] - prev.res.scores[pl][pu * prev.model.W + prev.w];
      if (Number.isFinite(d) && d * sign > 0.005)
        moved.push({ code: ind[l].code, name: ind[l].name ?? ind[l].code, delta: r2z(d) });
    }
    moved.sort((x, y) => sign * (y.delta - x.delta) || x.code.localeCompare(y.code));
    return moved.slice(0, CAUSES);
  };
  const move = (r: (typeof rows)[number], sign: 1 | -1) => ({
    unitId: r.unitId,
    unitName: r.unitName,
    total: r.total,
    previous: r.previous!,
    delta: r.delta!,
    causes: causes(r.u, r.unitId, sign),
  });

  const movement = categoryIdx.map((c) => {
    const members = rows.filter((r) => r.c === c && r.delta !== null && (own === null || r.unitId === own.unitId));
    const gains = members
      .filter((r) => r.delta! > 0)
      .sort((x, y) => y.delta! - x.delta! || x.unitCode.localeCompare(y.unitCode))
      .slice(0, own ? 1 : MOVERS)
      .map((r) => move(r, 1));
    const losses = members
      .filter((r) => r.delta! < 0)
      .sort((x, y) => x.delta! - y.delta! || x.unitCode.localeCompare(y.unitCode))
      .slice(0, own ? 1 : MOVERS)
      .map((r) => move(r, -1));
    // A unit whose total did not move still has leaves that did: show them both ways.
    if (own && !gains.length && !losses.length && own.delta !== null)
      gains.push({ ...move(own, 1), causes: [...causes(own.u, own.unitId, 1), ...causes(own.u, own.unitId, -1)] });
    return { categoryName: meta.categories[c]?.name ?? '', gains, losses };
  });

  const behind = categoryIdx.map((c) => {
    const members = rows.filter((r) => r.c === c);
    const picked = own
      ? [own]
      : [...members].sort((x, y) => y.rank - x.rank || x.unitCode.localeCompare(y.unitCode)).slice(0, BEHIND);
    return {
      categoryName: meta.categories[c]?.name ?? '',
      units: picked.map((r) => ({
        unitId: r.unitId,
        unitName: r.unitName,
        total: r.total,
        rank: r.rank,
        of: r.of,
        weakest: weakest(r.u, r.c, own ? 8 : 3),
      })),
    };
  });

  const suggestions = behind.flatMap((b) =>
    b.units.flatMap((u) => suggestionsFor(u.unitName, u.weakest, own ? 6 : 2, lang)),
  );

  // Summary.
  const inCats = rows.filter((r) => categoryIdx.includes(r.c));
  const avg = (xs: number[]) => (xs.length ? r2(xs.reduce((s, x) => s + x, 0) / xs.length) : null);
  const categories = categoryIdx.map((c) => {
    const members = rows.filter((r) => r.c === c);
    const totals = members.map((r) => r.total);
    return {
      name: meta.categories[c]?.name ?? '',
      units: members.length,
      average: avg(totals),
      max: totals.length ? Math.max(...totals) : null,
      min: totals.length ? Math.min(...totals) : null,
      top: [...members]
        .sort((x, y) => x.rank - y.rank || x.unitCode.localeCompare(y.unitCode))
        .slice(0, 3)
        .map((r) => ({ unitName: r.unitName, total: r.total })),
    };
  });
  const gradeRows = own ? [own] : rows;
  const grades = model.gradeRule.grades.map((g) => ({
    label: g.label,
    count: gradeRows.filter((r) => r.grade === g.label).length,
  }));
  const average = avg(inCats.map((r) => r.total));
  const nodeAvg = (i: number, us: number[]) => {
    let sum = 0;
    let cnt = 0;
    for (const u of us) {
      const x = res.scores[i][u * W + w];
      if (Number.isFinite(x)) {
        sum += x;
        cnt++;
      }
    }
    return cnt ? sum / cnt : NaN;
  };
  const catMembers = inCats.map((r) => r.u);
  const topNodes = model.roots.map((i) => ({
    code: ind[i].code,
    name: ind[i].name ?? ind[i].code,
    points: ind[i].points,
    score: r2(nodeAvg(i, own ? [own.u] : catMembers)),
    categoryAvg: r2(nodeAvg(i, catMembers)),
  }));
  const lightsRows = a.lights.filter((l) => own === null || l.unitId === own.unitId);
  const lateRows = a.late.filter((l) => own === null || l.unitId === own.unitId);
  const sumOf = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);
  const lights = {
    red: sumOf(lightsRows, (l) => l.red),
    yellow: sumOf(lightsRows, (l) => l.yellow),
    green: sumOf(lightsRows, (l) => l.green),
    units: lightsRows
      .filter((l) => l.red > 0 || l.yellow > 0)
      .sort((x, y) => y.red - x.red || y.yellow - x.yellow || x.unitName.localeCompare(y.unitName))
      .slice(0, 15)
      .map(({ unitName, red, yellow, green }) => ({ unitName, red, yellow, green })),
  };
  const missingReports = {
    missing: sumOf(lateRows, (l) => l.missing),
    late: sumOf(lateRows, (l) => l.late),
    units: lateRows
      .filter((l) => l.missing > 0 || l.late > 0)
      .sort((x, y) => y.missing - x.missing || y.late - x.late || x.unitName.localeCompare(y.unitName))
      .slice(0, 15)
      .map(({ unitName, missing, late }) => ({ unitName, missing, late })),
  };
  const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(2));
  const paragraphs: string[] = [];
  if (own) {
    const catAvg = fmt(categories[0]?.average ?? null);
    paragraphs.push(
      en
        ? `${a.periodLabel}: ${own.unitName} scored ${fmt(own.total)} points in total, ranking ${own.rank} of ${countOf(own.of, 'unit')} in ${own.categoryName}${own.grade ? `, grade “${own.grade}”` : ''}; the average of similar units is ${catAvg} points.`
        : `${a.periodLabel}，${own.unitName}综合得分 ${fmt(own.total)} 分，在${own.categoryName}（${own.of} 个单位）中排名第 ${own.rank} 位${own.grade ? `，等次为“${own.grade}”` : ''}；同类单位平均 ${catAvg} 分。`,
    );
    if (own.delta !== null && prev)
      paragraphs.push(
        en
          ? `Compared with ${prev.label}, the score ${own.delta >= 0 ? 'rose' : 'fell'} by ${fmt(Math.abs(own.delta))} points.`
          : `与${prev.label}相比，得分${own.delta >= 0 ? '上升' : '下降'} ${fmt(Math.abs(own.delta))} 分。`,
      );
  } else {
    paragraphs.push(
      en
        ? `${a.periodLabel}: ${countOf(rows.length, 'unit')} assessed in ${countOf(categories.length, 'category', 'categories')}, average score ${fmt(average)} points. ` +
            categories
              .map(
                (c) =>
                  `${c.name}: ${countOf(c.units, 'unit')}, average ${fmt(c.average)}, highest ${fmt(c.max)}, lowest ${fmt(c.min)} points`,
              )
              .join('; ') +
            '.'
        : `${a.periodLabel}，全区共 ${rows.length} 个单位参加考核，分 ${categories.length} 个类别，平均得分 ${fmt(average)} 分。` +
            categories
              .map(
                (c) =>
                  `${c.name} ${c.units} 个单位，平均 ${fmt(c.average)} 分，最高 ${fmt(c.max)} 分，最低 ${fmt(c.min)} 分`,
              )
              .join('；') +
            '。',
    );
    const up = rows.filter((r) => (r.delta ?? 0) > 0).length;
    const down = rows.filter((r) => (r.delta ?? 0) < 0).length;
    if (prev)
      paragraphs.push(
        en
          ? `Compared with ${prev.label}: ${countOf(up, 'unit')} scored higher, ${countOf(down, 'unit')} lower.`
          : `与${prev.label}相比，${up} 个单位得分上升，${down} 个单位得分下降。`,
      );
  }
  const sup = a.supervision;
  paragraphs.push(
    en
      ? `Warning lights: ${lights.red} red, ${lights.yellow} yellow; submissions of this period: ${missingReports.missing} missing, ${missingReports.late} late; ` +
          (sup.available ? `supervision tasks overdue and not completed: ${sup.overdue}.` : `${sup.note}.`)
      : `预警灯：红灯 ${lights.red} 个、黄灯 ${lights.yellow} 个；本期应报未报 ${missingReports.missing} 项、迟报 ${missingReports.late} 项；` +
          (sup.available ? `督办事项逾期未办结 ${sup.overdue} 项。` : `${sup.note}。`),
  );

  const evaluation = evaluationPart(a.evaluation, lang);
  if (evaluation.note) paragraphs.push(evaluation.note);

  return {
    title: a.title,
    lang,
    scope: { kind: own ? 'unit' : 'district', unitId: own?.unitId ?? null, unitName: own?.unitName ?? null },
    year: a.year,
    yearId: a.yearId,
    period: a.period,
    periodKind: a.periodKind,
    periodLabel: a.periodLabel,
    comparedWith: prev?.label ?? null,
    generatedAt: a.generatedAt,
    scoreVersion: a.scoreVersion,
    summary: {
      units: own ? 1 : rows.length,
      average,
      paragraphs,
      categories,
      grades,
      topNodes,
      unit: own
        ? {
            total: own.total,
            rank: own.rank,
            of: own.of,
            grade: own.grade,
            categoryName: own.categoryName,
            categoryAverage: categories[0]?.average ?? null,
            previous: own.previous,
            missing: own.missing,
          }
        : null,
    },
    ranking: inCats
      .sort((x, y) => x.c - y.c || x.rank - y.rank || x.unitCode.localeCompare(y.unitCode))
      .map(({ u: _u, c: _c, ...r }) => r),
    movement,
    behind,
    lights,
    missingReports,
    supervision: a.supervision,
    cases: a.cases,
    evaluation,
    suggestions,
  };
}

const pct1 = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)}%`);

/** The evaluation part: the figures as given, and one sentence of findings in the report's language (the summary repeats it). */
function evaluationPart(e: AnalysisInput['evaluation'], lang: Lang): TAnalysis['evaluation'] {
  const en = lang === 'en';
  const parts: string[] = [];
  if (e.campaigns.length) {
    const valid = e.campaigns.reduce((sum, c) => sum + c.valid, 0);
    const low = e.campaigns
      .filter((c) => c.satisfactionRate !== null)
      .sort((x, y) => x.satisfactionRate! - y.satisfactionRate! || x.id - y.id)[0];
    parts.push(
      en
        ? `Evaluations: ${countOf(e.campaigns.length, 'published campaign')} with ${countOf(valid, 'valid response')}` +
            (low ? `; the lowest satisfaction was in “${low.title}” (${pct1(low.satisfactionRate)})` : '')
        : `多元评价：已发布评议活动 ${e.campaigns.length} 项，有效问卷 ${valid} 份` +
            (low ? `，满意率最低的是“${low.title}”（${pct1(low.satisfactionRate)}）` : ''),
    );
  } else
    parts.push(
      en ? 'Evaluations: no published results by the end of the period' : '多元评价：截至本期末尚无已发布的评议结果',
    );
  const r = e.ratings;
  if (r && r.rated > 0)
    parts.push(
      en
        ? `Service ratings: ${countOf(r.rated, 'rating')} in the period, ${pct1(r.goodRate)} satisfied, ${r.bad} bad; rectifications of bad ratings: ${r.rectifications.open} open (${r.rectifications.overdue} overdue), ${r.rectifications.done} closed`
        : `好差评：本期评价 ${r.rated} 次，满意率 ${pct1(r.goodRate)}，差评 ${r.bad} 件；差评整改未销号 ${r.rectifications.open} 件（其中逾期 ${r.rectifications.overdue} 件），已销号 ${r.rectifications.done} 件`,
    );
  else if (r) parts.push(en ? 'Service ratings: none received in the period' : '好差评：本期没有收到评价');
  return {
    available: true,
    note: parts.length ? (en ? `${parts.join('. ')}.` : `${parts.join('。')}。`) : '',
    campaigns: e.campaigns,
    ratings: e.ratings,
  };
}
