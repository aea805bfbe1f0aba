/**
 * What an analysis report gathers from the other modules, read in full scope (the caller's rights were
 * checked before): supervision tasks, the hotline's month statistics and street hot spots, evaluation
 * campaigns and 好差评. The labels it makes (task statuses, rating levels) are in the report's language.
 */
import type { Db } from '../../db/client.js';
import { ROLE_PERMISSIONS } from '../../platform/access.js';
import { SYSTEM_ACTOR, type Ctx } from '../../lib/context.js';
import type { Lang } from '../../lib/errors.js';
import { currentRates, monthStats } from '../casestats/index.js';
import { streetHotSpots } from '../cockpit/index.js';
import { evaluationSummary } from '../evaluation/index.js';
import { RATING_LEVEL_ZH, RATING_LEVELS, ratingsSummary } from '../ratings/index.js';
import { nextPeriod } from '../reporting/index.js';
import { listSupervisionLedger } from '../supervision/index.js';
import { type AnalysisInput } from './reports.analysis.js';

/** An all-scope context for gathering district figures (the caller's own rights were checked before). */
export function gatherCtx(db: Db, lang: Lang = 'zh'): Ctx {
  return {
    db,
    user: {
      id: 0,
      username: 'system',
      displayName: '系统',
      unitId: 0,
      roles: ['office'],
      permissions: new Set(ROLE_PERMISSIONS.office),
    },
    actor: SYSTEM_ACTOR,
    lang,
    scope: async () => ({ all: true }),
  };
}

/** The open statuses of a supervision task (a task in any other status is not open) in both languages. */
const OPEN_STATUS: Record<string, { zh: string; en: string }> = {
  assigned: { zh: '待签收', en: 'To sign for' },
  signed: { zh: '待报方案', en: 'Plan due' },
  plan_submitted: { zh: '方案待审', en: 'Plan submitted' },
  in_progress: { zh: '推进中', en: 'In progress' },
  completion_applied: { zh: '办结待审', en: 'Completion applied' },
};

/** 好差评's five levels in English (ratings names them in Chinese for documents). */
const RATING_LEVEL_EN: Record<(typeof RATING_LEVELS)[number], string> = {
  very_satisfied: 'Very satisfied',
  satisfied: 'Satisfied',
  basic: 'Fairly satisfied',
  unsatisfied: 'Unsatisfied',
  very_unsatisfied: 'Very unsatisfied',
};

export async function gatherSupervision(db: Db, q: { year: number; unitId: number | null; today: string; lang: Lang }) {
  const { year, unitId, today } = q;
  const ctx = gatherCtx(db, q.lang);
  const rows = [];
  for (let page = 1; page <= 40; page++) {
    const r = await listSupervisionLedger(ctx, { year, unitId: unitId ?? undefined, page, pageSize: 500 });
    rows.push(...r.rows);
    if (rows.length >= r.total || !r.rows.length) break;
  }
  const open = rows.filter((t) => OPEN_STATUS[t.status] !== undefined);
  const day = (s: string) => Date.parse(`${s}T00:00:00Z`) / 86_400_000;
  const overdue = open
    .filter((t) => t.deadline < today)
    .map((t) => ({
      id: t.id,
      title: t.title,
      leadUnitName: t.leadUnitName ?? '',
      deadline: t.deadline,
      status: OPEN_STATUS[t.status]?.[q.lang] ?? t.status,
      daysOverdue: day(today) - day(t.deadline),
      light: t.light,
    }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.id - b.id);
  return {
    available: true,
    note: '',
    total: rows.length,
    overdue: overdue.length,
    red: rows.filter((t) => t.light === 'red').length,
    tasks: overdue.slice(0, 30),
  };
}

/** The first instant of a Beijing month ('YYYY-MM'). */
const beijingMonthStart = (m: string) => new Date(`${m}-01T00:00:00+08:00`);

export async function gatherCases(
  db: Db,
  months: string[],
  chartMonths: string[],
  unitId: number | null,
  once: <T>(key: string, f: () => Promise<T>) => Promise<T>,
  lang: Lang = 'zh',
) {
  const ctx = gatherCtx(db, lang);
  const rates = await once('rates', () => currentRates(db));
  const all = [...new Set([...chartMonths, ...months])].sort();
  const stats = new Map<string, Awaited<ReturnType<typeof monthStats>>>();
  for (const m of all)
    stats.set(m, await once(`cases:${m}:${unitId}`, () => monthStats(ctx, { month: m, unitId: unitId ?? undefined })));
  type Counters = Awaited<ReturnType<typeof monthStats>>['totals']['counters'];
  const add = (a: Counters | null, b: Counters): Counters => {
    if (!a) return { ...b };
    for (const k of Object.keys(b) as (keyof Counters)[]) a[k] += b[k];
    return a;
  };
  let totals: Counters | null = null;
  const perUnit = new Map<string, Counters>();
  const cats = new Map<string, { name: string; created: number; closed: number }>();
  for (const m of months) {
    const s = stats.get(m)!;
    totals = add(totals, s.totals.counters);
    for (const r of s.rows) perUnit.set(r.unitName, add(perUnit.get(r.unitName) ?? null, r.counters));
    for (const c of s.categories) {
      const hit = cats.get(c.name) ?? { name: c.name, created: 0, closed: 0 };
      hit.created += c.created;
      hit.closed += c.closed;
      cats.set(c.name, hit);
    }
  }
  const t = totals ?? stats.get(all[0])?.totals.counters;
  const tr = t ? rates.compute(t) : null;
  const units = [...perUnit]
    .map(([unitName, c]) => {
      const r = rates.compute(c);
      return {
        unitName,
        dispatched: c.dispatched,
        closed: c.closed,
        onTimeRate: r.onTimeRate,
        satisfactionRate: r.satisfactionRate,
      };
    })
    .filter((u) => u.dispatched > 0)
    .sort(
      (a, b) =>
        (a.onTimeRate ?? 101) - (b.onTimeRate ?? 101) ||
        b.dispatched - a.dispatched ||
        a.unitName.localeCompare(b.unitName),
    )
    .slice(0, 10);
  return {
    available: true,
    note: '',
    months: chartMonths.map((m) => {
      const s = stats.get(m)!.totals;
      return {
        month: m,
        dispatched: s.counters.dispatched,
        closed: s.counters.closed,
        onTimeRate: s.rates.onTimeRate,
        satisfactionRate: s.rates.satisfactionRate,
      };
    }),
    totals: {
      dispatched: totals?.dispatched ?? 0,
      closed: totals?.closed ?? 0,
      escalated: totals?.escalated ?? 0,
      onTimeRate: totals ? (tr?.onTimeRate ?? null) : null,
      satisfactionRate: totals ? (tr?.satisfactionRate ?? null) : null,
    },
    topCategories: [...cats.values()]
      .sort((a, b) => b.created - a.created || a.name.localeCompare(b.name))
      .slice(0, 10),
    units,
    streets: await once(`streets:${months[0]}:${months[months.length - 1]}:${unitId}`, async () =>
      (
        await streetHotSpots(db, {
          unitIds: unitId === null ? null : [unitId],
          since: beijingMonthStart(months[0]),
          until: beijingMonthStart(nextPeriod(months[months.length - 1])),
        })
      ).streets.slice(0, 8),
    ),
  };
}

/**
 * 多元评价 and 好差评 of the period's months for the district or one unit: the published campaigns whose
 * period ended by the period's end (their results are frozen, so a kept report never disagrees with
 * them), and the ratings given in the period with their rectifications (overdue on `today`).
 */
export async function gatherEvaluation(
  db: Db,
  q: { year: number; months: string[]; unitId: number | null; today: string; lang?: Lang },
): Promise<AnalysisInput['evaluation']> {
  const unitIds = q.unitId === null ? null : [q.unitId];
  const last = q.months[q.months.length - 1];
  const next = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 1));
  const to = next.toISOString().slice(0, 10);
  const endedBy = new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
  const [campaigns, ratings] = await Promise.all([
    evaluationSummary(db, { year: q.year, unitIds, statuses: ['published'], endedBy, lowest: 3 }),
    ratingsSummary(db, { from: `${q.months[0]}-01`, to, unitIds, today: q.today, topUnits: 10 }),
  ]);
  return {
    campaigns: campaigns.map((c) => ({
      id: c.id,
      title: c.title,
      periodFrom: c.periodFrom,
      periodTo: c.periodTo,
      units: c.units,
      valid: c.valid,
      mean: c.mean,
      satisfactionRate: c.satisfactionRate,
      lowest: c.lowest.map(({ unitName, valid, mean, satisfactionRate }) => ({
        unitName,
        valid,
        mean,
        satisfactionRate,
      })),
    })),
    ratings: {
      rated: ratings.rated,
      levels: RATING_LEVELS.map((l) => ({
        label: q.lang === 'en' ? RATING_LEVEL_EN[l] : RATING_LEVEL_ZH[l],
        count: ratings.levels[l],
      })),
      goodRate: ratings.goodRate,
      bad: ratings.bad,
      rectifications: ratings.rectifications,
      topBadUnits: ratings.topBadUnits.map(({ unitName, bad, rated }) => ({ unitName, bad, rated })),
    },
  };
}
