/**
 * Read-only views of data collection: the reporter's to-do list with warning lights, the office's
 * submission matrix, overdue and anomaly lists, per-unit late counts (for scoring), home-page
 * counters and the assessing body's third-party grid.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, notFound } from '../../lib/errors.js';
import { approvedTargets, type TIndicator } from '../performance/index.js';
import { getUnit, inScope, listUnits, type TUnit } from '../units/index.js';
import {
  beijingDate,
  beijingPeriod,
  calendarDaysLeft,
  endOfBeijingDay,
  isPeriodOpen,
  collectionPeriods,
  periodLabel,
  splitPeriod,
  workingDaysLeft,
} from './reporting.deadline.js';
import { progressLight } from './reporting.lights.js';
import { canRead, isAssessorOf } from './reporting.policy.js';
import * as repo from './reporting.repo.js';
import type {
  TAnomalyItem,
  THomeSummary,
  TLateCount,
  TLightItem,
  TMatrix,
  TMatrixQuery,
  TNotifications,
  TOverdue,
  TThirdPartyGrid,
  TTodo,
  TTodoItem,
} from './reporting.schema.js';
import {
  collectedLeavesFor,
  deadlineOf,
  formOf,
  loadYearCtx,
  presentFlags,
  reportingClock,
  resolveYearId,
  viewerOf,
  type YearCtx,
} from './reporting.service.js';

const has = (
  ctx: Ctx,
  p: 'submissions.fill' | 'submissions.approve' | 'submissions.accept' | 'submissions.thirdParty',
) => !!ctx.user?.permissions.has(p);

/** Reporting periods of the scheme (months, or the closing months of its quarters / half-years) that have begun by now. */
function openPeriods(yc: YearCtx, now: Date): string[] {
  return collectionPeriods(yc.year.year, yc.year.periods).filter((p) => isPeriodOpen(p, now));
}

const isPast = (deadline: string, now: Date) => now.getTime() > endOfBeijingDay(deadline).getTime();

/** The lights of a unit's leaves from its compact rows (non-draft values count as reported). */
function lightsFor(
  yc: YearCtx,
  leaves: readonly TIndicator[],
  rows: readonly repo.CompactRow[],
  targets: Map<number, { target: number }> | undefined,
  now: Date,
): TLightItem[] {
  const periods = openPeriods(yc, now);
  const byLeaf = new Map<number, repo.CompactRow[]>();
  for (const r of rows) {
    const list = byLeaf.get(r.indicatorId) ?? [];
    list.push(r);
    byLeaf.set(r.indicatorId, list);
  }
  return leaves.map((leaf) => {
    const mine = byLeaf.get(leaf.id) ?? [];
    const reported = new Map(mine.filter((r) => r.status !== 'draft' || r.firstSubmittedAt).map((r) => [r.period, r]));
    const values = mine
      .filter((r) => r.status !== 'draft' && r.value !== null)
      .map((r) => ({ month: splitPeriod(r.period).month, value: Number(r.value) }));
    const due = periods.filter((p) => isPast(deadlineOf(yc, leaf.id, p), now));
    const overdue = due.some((p) => !reported.has(p));
    const target = targets?.get(leaf.id)?.target ?? null;
    const pr = progressLight(
      { aggregate: leaf.aggregate, direction: leaf.direction, target, values, monthsDue: due.length, overdue },
      yc.lights,
    );
    return {
      indicatorId: leaf.id,
      code: leaf.code,
      name: leaf.name,
      unitOfMeasure: leaf.unitOfMeasure,
      aggregate: leaf.aggregate,
      direction: leaf.direction,
      target,
      actual: pr.actual === null ? null : Math.round(pr.actual * 100) / 100,
      timePct: round1(pr.timePct),
      completionPct: pr.completionPct === null ? null : round1(pr.completionPct),
      light: pr.light,
      overdue,
    };
  });
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The unit a to-do list is for: the given one (if in scope) or the user's own. */
async function todoUnit(ctx: Ctx, unitId: number | undefined): Promise<TUnit> {
  const v = await viewerOf(ctx);
  const id = unitId ?? v.user.unitId;
  if (
    !(has(ctx, 'submissions.fill') || has(ctx, 'submissions.approve') || has(ctx, 'submissions.accept')) ||
    !inScope(v.scope, id)
  )
    throw notFound();
  return getUnit(ctx.db, id);
}

/** A unit's to-do list: each self-reported leaf × each month begun so far, with deadline, status and lights. */
export async function todo(ctx: Ctx, q: { unitId?: number; yearId?: number }): Promise<TTodo> {
  const unit = await todoUnit(ctx, q.unitId);
  const yc = await loadYearCtx(ctx.db, await resolveYearId(ctx.db, q.yearId));
  const now = reportingClock.now();
  const leaves = collectedLeavesFor(yc, unit).filter((l) => l.dataSource === 'self_report');
  const rows = await repo.compactForUnits(ctx.db, yc.year.id, [unit.id]);
  const byKey = new Map(rows.map((r) => [`${r.indicatorId}|${r.period}`, r]));
  const items: TTodoItem[] = [];
  for (const p of openPeriods(yc, now)) {
    for (const leaf of leaves) {
      const r = byKey.get(`${leaf.id}|${p}`);
      const deadline = deadlineOf(yc, leaf.id, p);
      const status = r ? r.status : 'missing';
      const overdue = !r?.firstSubmittedAt && isPast(deadline, now);
      items.push({
        indicatorId: leaf.id,
        code: leaf.code,
        name: leaf.name,
        unitOfMeasure: leaf.unitOfMeasure,
        period: p,
        periodLabel: periodLabel(p, yc.year.periods)[ctx.lang],
        deadline,
        workingDaysLeft: workingDaysLeft(yc.calendar, now, deadline),
        submissionId: r?.id ?? null,
        status,
        returned: !!r?.returned,
        returnReason: r?.returned ? r.returnReason : null,
        late: !!r?.late,
        overdue,
        pendingFlags: r?.pendingFlags ?? 0,
        value: r?.value ?? null,
        needsAction: status === 'missing' || status === 'draft',
      });
    }
  }
  const targets = (await approvedTargets(ctx.db, yc.year.id, unit.id)).get(unit.id);
  const lights = lightsFor(yc, leaves, rows, targets, now);
  const act = items.filter((i) => i.needsAction);
  return {
    yearId: yc.year.id,
    year: yc.year.year,
    unitId: unit.id,
    unitName: unit.name,
    today: beijingDate(now),
    currentPeriod: beijingPeriod(now),
    items,
    lights,
    counts: {
      todo: act.length,
      overdue: act.filter((i) => i.overdue).length,
      returned: items.filter((i) => i.returned).length,
      red: lights.filter((l) => l.light === 'red').length,
      yellow: lights.filter((l) => l.light === 'yellow').length,
      green: lights.filter((l) => l.light === 'green').length,
    },
  };
}

/** Every visible unit's leaf lights (units with collected leaves only): the office overview and the cockpit's heat table. */
export async function unitLeafLights(
  ctx: Ctx,
  yearId?: number,
): Promise<{ yearId: number; units: { unit: TUnit; lights: TLightItem[] }[] }> {
  const v = await viewerOf(ctx);
  const yc = await loadYearCtx(ctx.db, await resolveYearId(ctx.db, yearId));
  const now = reportingClock.now();
  const units = (await listUnits(ctx.db)).filter((u) => u.active && inScope(v.scope, u.id));
  const leavesByUnit = new Map(units.map((u) => [u.id, collectedLeavesFor(yc, u)]));
  const withLeaves = units.filter((u) => leavesByUnit.get(u.id)!.length);
  const rows = await repo.compactForUnits(
    ctx.db,
    yc.year.id,
    withLeaves.map((u) => u.id),
  );
  const rowsByUnit = new Map<number, repo.CompactRow[]>();
  for (const r of rows) {
    const list = rowsByUnit.get(r.unitId) ?? [];
    list.push(r);
    rowsByUnit.set(r.unitId, list);
  }
  const targets = await approvedTargets(ctx.db, yc.year.id);
  return {
    yearId: yc.year.id,
    units: withLeaves.map((u) => ({
      unit: u,
      lights: lightsFor(yc, leavesByUnit.get(u.id)!, rowsByUnit.get(u.id) ?? [], targets.get(u.id), now),
    })),
  };
}

/** Light counts per unit for the whole district (office overview). */
export async function lightsOverview(
  ctx: Ctx,
  yearId?: number,
): Promise<
  {
    unitId: number;
    unitCode: string;
    unitName: string;
    categoryId: number | null;
    red: number;
    yellow: number;
    green: number;
    none: number;
  }[]
> {
  const { units } = await unitLeafLights(ctx, yearId);
  return units.map(({ unit: u, lights }) => {
    const n = (l: string) => lights.filter((x) => x.light === l).length;
    return {
      unitId: u.id,
      unitCode: u.code,
      unitName: u.name,
      categoryId: u.categoryId,
      red: n('red'),
      yellow: n('yellow'),
      green: n('green'),
      none: n('none'),
    };
  });
}

/** The level-1 ancestor of each indicator. */
function groupOf(yc: YearCtx, ind: TIndicator): TIndicator {
  let cur = ind;
  const seen = new Set<number>();
  while (cur.parentId !== null && !seen.has(cur.id)) {
    seen.add(cur.id);
    const p = yc.byId.get(cur.parentId);
    if (!p) break;
    cur = p;
  }
  return cur;
}

/**
 * The submission matrix of a period: units × data-collection leaves, one status character per cell
 * (see ZMatrix). Two queries for the cells (one for the units, one aggregated row per unit for the
 * submissions); the rest is arithmetic on strings.
 */
export async function matrix(ctx: Ctx, q: TMatrixQuery): Promise<TMatrix> {
  const v = await viewerOf(ctx);
  const yc = await loadYearCtx(ctx.db, await resolveYearId(ctx.db, q.yearId));
  const now = reportingClock.now();
  let leaves = yc.indicators.filter(
    (i) => yc.leafIds.has(i.id) && (i.dataSource === 'self_report' || i.dataSource === 'third_party'),
  );
  if (q.groupId) leaves = leaves.filter((l) => groupOf(yc, l).id === q.groupId);
  const groups = yc.indicators
    .filter((i) => i.parentId === null)
    .map((g) => ({ id: g.id, code: g.code, name: g.name }));
  const units = (await listUnits(ctx.db)).filter(
    (u) => u.active && inScope(v.scope, u.id) && (!q.categoryId || u.categoryId === q.categoryId),
  );
  const open = isPeriodOpen(q.period, now);
  const deadlines = leaves.map((l) => deadlineOf(yc, l.id, q.period));
  const past = deadlines.map((d) => isPast(d, now));
  const col = new Map(leaves.map((l, i) => [l.id, i]));
  const tokens = new Map(
    (
      await repo.matrixTokens(
        ctx.db,
        yc.year.id,
        q.period,
        leaves.map((l) => l.id),
      )
    ).map((r) => [r.unitId, r.t]),
  );
  // Applicability per category is the same for every unit of it unless a leaf names units: cache by category.
  const namesUnits =
    leaves.some((l) => l.appliesTo.unitIds.length) || yc.indicators.some((i) => i.appliesTo.unitIds.length);
  const baseByCategory = new Map<number | null, string[]>();
  const base = (u: TUnit): string[] => {
    const key = namesUnits ? null : u.categoryId;
    if (!namesUnits && baseByCategory.has(key)) return baseByCategory.get(key)!;
    const applies = new Set(collectedLeavesFor(yc, u).map((l) => l.id));
    const arr = leaves.map((l, i) => (!applies.has(l.id) ? '.' : !open ? '-' : past[i] ? 'o' : '-'));
    if (!namesUnits) baseByCategory.set(key, arr);
    return arr;
  };
  const outUnits: TMatrix['units'] = [];
  const cells: string[] = [];
  const flagged: [number, number][] = [];
  const counts: Record<string, number> = {};
  for (const u of units) {
    const arr = base(u).slice();
    if (!arr.some((c) => c !== '.')) continue; // nothing to report for this unit
    const t = tokens.get(u.id);
    const flaggedHere: number[] = [];
    if (t) {
      for (const tok of t.split(',')) {
        const c = tok.indexOf(':');
        const i = col.get(Number(tok.slice(0, c)));
        if (i === undefined || arr[i] === '.') continue;
        let code = tok.slice(c + 1);
        if (code.endsWith('!')) {
          code = code.slice(0, -1);
          flaggedHere.push(i);
        }
        // A plain draft past the deadline is still overdue (nothing was submitted).
        arr[i] = code === 'd' && past[i] ? 'o' : code;
      }
    }
    const s = arr.join('');
    if (q.status && !matchesStatus(s, flaggedHere.length > 0, q.status)) continue;
    const ui = outUnits.length;
    outUnits.push({ id: u.id, code: u.code, name: u.name, categoryId: u.categoryId });
    cells.push(s);
    for (const i of flaggedHere) flagged.push([ui, i]);
    for (const ch of s) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  return {
    yearId: yc.year.id,
    period: q.period,
    groups,
    indicators: leaves.map((l, i) => ({
      id: l.id,
      code: l.code,
      name: l.name,
      groupId: groupOf(yc, l).id === l.id ? null : groupOf(yc, l).id,
      deadline: deadlines[i],
    })),
    units: outUnits,
    cells,
    flagged,
    counts,
  };
}

const STATUS_CHARS: Record<NonNullable<TMatrixQuery['status']>, string> = {
  missing: '-',
  overdue: 'o',
  draft: 'd',
  returned: 'rR',
  submitted: 'sS',
  leader_approved: 'lL',
  accepted: 'aA',
  late: 'SLAR',
  flagged: '',
};

function matchesStatus(cells: string, flagged: boolean, status: NonNullable<TMatrixQuery['status']>): boolean {
  if (status === 'flagged') return flagged;
  const chars = STATUS_CHARS[status];
  for (const ch of cells) if (chars.includes(ch)) return true;
  return false;
}

/** Due periods with nothing submitted (missing or still a draft), for the office or a unit. */
export async function overdue(
  ctx: Ctx,
  q: { yearId?: number; period?: string; unitId?: number },
  limit = 2000,
): Promise<TOverdue> {
  const v = await viewerOf(ctx);
  const yc = await loadYearCtx(ctx.db, await resolveYearId(ctx.db, q.yearId));
  const now = reportingClock.now();
  const periods = (q.period ? [q.period] : openPeriods(yc, now)).filter((p) => isPeriodOpen(p, now));
  if (limit === 0) {
    const scope = v.scope.all ? null : [...v.scope.unitIds];
    const unitIds = q.unitId ? (scope === null || scope.includes(q.unitId) ? [q.unitId] : []) : scope;
    return { total: await overdueCount(ctx.db, yc, unitIds, periods, now), items: [] };
  }
  const units = (await listUnits(ctx.db)).filter(
    (u) => u.active && inScope(v.scope, u.id) && (!q.unitId || u.id === q.unitId),
  );
  const keys = await repo.submittedKeys(ctx.db, yc.year.id, q.period);
  const byKey = new Map(keys.map((k) => [`${k.unitId}|${k.indicatorId}|${k.period}`, k]));
  const items: TOverdue['items'] = [];
  let total = 0;
  for (const u of units) {
    const leaves = collectedLeavesFor(yc, u).filter((l) => l.dataSource === 'self_report');
    for (const p of periods) {
      for (const leaf of leaves) {
        const deadline = deadlineOf(yc, leaf.id, p);
        if (!isPast(deadline, now)) continue;
        const k = byKey.get(`${u.id}|${leaf.id}|${p}`);
        if (k?.submittedOnce) continue;
        total++;
        if (items.length < limit) {
          items.push({
            unitId: u.id,
            unitCode: u.code,
            unitName: u.name,
            indicatorId: leaf.id,
            code: leaf.code,
            name: leaf.name,
            period: p,
            deadline,
            daysOverdue: -calendarDaysLeft(now, deadline),
            status: k ? 'draft' : 'missing',
            submissionId: k?.id ?? null,
          });
        }
      }
    }
  }
  items.sort((a, b) => b.daysOverdue - a.daysOverdue || a.unitCode.localeCompare(b.unitCode));
  return { total, items };
}

/**
 * The number of overdue cells without listing them (the office's home summary and the cockpit, issue 19):
 * counted in SQL (repo.countOverdueCells). Node computes only what does not grow with the units: each
 * self-reported leaf's periods past their deadline and the restrictions on its path. Same count as the
 * loop in `overdue` (reporting.home.test.ts keeps the earlier loop as its reference).
 */
async function overdueCount(
  db: Db,
  yc: YearCtx,
  unitIds: readonly number[] | null,
  periods: string[],
  now: Date,
): Promise<number> {
  const leaves: repo.OverdueLeaf[] = [];
  for (const leaf of yc.indicators) {
    if (!yc.leafIds.has(leaf.id) || leaf.dataSource !== 'self_report') continue;
    const path: TIndicator[] = [];
    for (let n: TIndicator | undefined = leaf; n && !path.includes(n);) {
      path.push(n);
      n = n.parentId === null ? undefined : yc.byId.get(n.parentId);
    }
    leaves.push({
      id: leaf.id,
      periods: periods.filter((p) => isPast(deadlineOf(yc, leaf.id, p), now)),
      restrictions: path
        .map((n) => n.appliesTo)
        .filter((a) => a.categoryIds.length || a.unitIds.length)
        .map((a) => ({ categoryIds: a.categoryIds, unitIds: a.unitIds })),
      named: [...new Set(path.flatMap((n) => n.appliesTo.unitIds))],
    });
  }
  return repo.countOverdueCells(db, leaves, unitIds);
}

/** Submitted or accepted values carrying anomaly flags (with the reporters' comments), for review. */
export async function anomalies(ctx: Ctx, q: { yearId?: number; period?: string }): Promise<TAnomalyItem[]> {
  const v = await viewerOf(ctx);
  const yc = await loadYearCtx(ctx.db, await resolveYearId(ctx.db, q.yearId));
  const units = new Map((await listUnits(ctx.db)).map((u) => [u.id, u]));
  const rows = await repo.flaggedSubmissions(ctx.db, yc.year.id, q.period, 2000);
  return rows
    .filter((r) => {
      const ind = yc.byId.get(r.indicatorId);
      return ind && canRead(v, r, ind);
    })
    .map((r) => {
      const ind = yc.byId.get(r.indicatorId)!;
      return {
        submissionId: r.id,
        unitId: r.unitId,
        unitName: units.get(r.unitId)?.name ?? '',
        indicatorId: r.indicatorId,
        code: ind.code,
        name: ind.name,
        period: r.period,
        status: r.status,
        value: r.value === null ? null : Number(r.value),
        flags: presentFlags(r.flags, ctx.lang),
      };
    });
}

/**
 * Per unit and month of a year: how many self-reported leaves were first submitted after their
 * deadline (late) and how many due ones were not submitted at all (missing). For scoring
 * ("late and missing submissions ... can be scored"); months not yet due count nothing missing.
 */
export async function lateCounts(db: Db, yearId: number, now: Date = reportingClock.now()): Promise<TLateCount[]> {
  const yc = await loadYearCtx(db, yearId);
  const units = (await listUnits(db)).filter((u) => u.active);
  const keys = await repo.submittedKeys(db, yearId);
  const byKey = new Map(keys.map((k) => [`${k.unitId}|${k.indicatorId}|${k.period}`, k]));
  const out: TLateCount[] = [];
  for (const u of units) {
    const leaves = collectedLeavesFor(yc, u).filter((l) => l.dataSource === 'self_report');
    if (!leaves.length) continue;
    for (const p of collectionPeriods(yc.year.year, yc.year.periods)) {
      let late = 0;
      let missing = 0;
      for (const leaf of leaves) {
        const k = byKey.get(`${u.id}|${leaf.id}|${p}`);
        if (k?.submittedOnce) {
          if (k.late) late++;
        } else if (isPast(deadlineOf(yc, leaf.id, p), now)) missing++;
      }
      if (late || missing) out.push({ unitId: u.id, period: p, late, missing });
    }
  }
  return out;
}

/** Counters for the home page, by the user's roles. */
export async function homeSummary(ctx: Ctx): Promise<THomeSummary> {
  const v = await viewerOf(ctx);
  const out: THomeSummary = { reporter: null, leader: null, office: null, assessor: null };
  const yearId = await resolveYearId(ctx.db).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
    throw e;
  });
  if (yearId === null) return out;
  if (has(ctx, 'submissions.fill')) {
    const t = await todo(ctx, { yearId });
    out.reporter = {
      unitId: t.unitId,
      todo: t.counts.todo,
      overdue: t.counts.overdue,
      returned: t.counts.returned,
      red: t.counts.red,
    };
  }
  if (has(ctx, 'submissions.approve')) {
    const unitIds = v.scope.all ? undefined : [...v.scope.unitIds];
    out.leader = {
      pendingApprovals: await repo.countByStatus(ctx.db, { unitIds, statuses: ['submitted'], source: 'self_report' }),
    };
  }
  if (has(ctx, 'submissions.accept')) {
    // Four independent counts, asked at once.
    const [od, pendingAcceptance, pendingRevisions, flagged] = await Promise.all([
      overdue(ctx, { yearId }, 0),
      repo.countOfficeQueue(ctx.db),
      repo.countRevisions(ctx.db, 'requested'),
      repo.countFlaggedPending(ctx.db),
    ]);
    out.office = { pendingAcceptance, pendingRevisions, overdue: od.total, flagged };
  }
  if (has(ctx, 'submissions.thirdParty')) {
    const g = await thirdPartyGrid(ctx, { period: prevMonthOrCurrent(reportingClock.now()) });
    const filled = new Set(g.cells.filter((c) => c.status !== 'draft').map((c) => `${c.indicatorId}|${c.unitId}`));
    const all = g.indicators.reduce((n, i) => n + i.unitIds.length, 0);
    out.assessor = {
      toEnter: all - filled.size,
      returned: g.cells.filter((c) => c.status === 'draft' && c.returnReason).length,
    };
  }
  return out;
}

/** The month whose data are being reported now: last month (its deadline falls in this one). */
function prevMonthOrCurrent(now: Date): string {
  const p = beijingPeriod(now);
  const { year, month } = splitPeriod(p);
  return month === 1 ? p : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** The assessing body's grid for a month: its third-party leaves × the units each applies to, with entered values. */
export async function thirdPartyGrid(ctx: Ctx, q: { period: string; yearId?: number }): Promise<TThirdPartyGrid> {
  const v = await viewerOf(ctx);
  const yc = await loadYearCtx(ctx.db, await resolveYearId(ctx.db, q.yearId));
  const mine = yc.indicators.filter((i) => yc.leafIds.has(i.id) && isAssessorOf(v, i));
  const units = (await listUnits(ctx.db)).filter((u) => u.active);
  const applies = new Map<number, number[]>();
  const usedUnits = new Set<number>();
  for (const u of units) {
    for (const l of collectedLeavesFor(yc, u)) {
      if (!mine.some((m) => m.id === l.id)) continue;
      const list = applies.get(l.id) ?? [];
      list.push(u.id);
      applies.set(l.id, list);
      usedUnits.add(u.id);
    }
  }
  const rows = mine.length
    ? await repo.listSubmissions(ctx.db, {
        yearId: yc.year.id,
        indicatorIds: mine.map((m) => m.id),
        period: q.period,
        limit: 100000,
      })
    : [];
  return {
    yearId: yc.year.id,
    period: q.period,
    indicators: mine.map((i) => ({
      id: i.id,
      code: i.code,
      name: i.name,
      unitOfMeasure: i.unitOfMeasure,
      form: formOf(yc, i).definition,
      unitIds: applies.get(i.id) ?? [],
    })),
    units: units.filter((u) => usedUnits.has(u.id)).map((u) => ({ id: u.id, code: u.code, name: u.name })),
    cells: rows
      .filter((r) => r.source === 'third_party')
      .map((r) => ({
        indicatorId: r.indicatorId,
        unitId: r.unitId,
        submissionId: r.id,
        status: r.status,
        value: r.value === null ? null : Number(r.value),
        values: r.fields ?? {},
        returnReason: r.status === 'draft' ? r.returnReason : null,
        flags: presentFlags(r.flags, ctx.lang),
      })),
  };
}

/** The signed-in user's latest notifications and the unread count. */
export async function myNotifications(ctx: Ctx): Promise<TNotifications> {
  const v = await viewerOf(ctx);
  const rows = await repo.listNotifications(ctx.db, v.user.id);
  return {
    unread: await repo.countUnread(ctx.db, v.user.id),
    items: rows.map((n) => ({
      id: Number(n.id),
      title: n.title,
      body: n.body,
      link: n.link,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt ? n.readAt.toISOString() : null,
    })),
  };
}

/**
 * Marks one (or, with null, every) notification of the user as read. Per-user display state, not
 * domain data: not audited. Another user's notification id is simply not found.
 */
export async function readNotifications(ctx: Ctx, id: number | null): Promise<void> {
  const v = await viewerOf(ctx);
  const n = await repo.markRead(ctx.db, v.user.id, id);
  if (id !== null && n === 0) throw notFound();
}
