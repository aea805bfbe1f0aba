/**
 * 12345 cases: duplicates and routing suggestions, and the agent's level-2 steps — dispatch, reject, merge.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { forbidden, invalid, notFound } from '../../lib/errors.js';
import { loadCalendar } from '../calendar/index.js';
import { categoryPath, getSettings } from './cases.config.js';
import { handlingDeadline, signDueAt } from './cases.deadlines.js';
import { findDuplicates, normalizeAddress } from './cases.duplicates.js';
import { checkDispatchUnits, planOf } from './cases.dispatching.js';
import { recordCaseEvent } from './cases.events.js';
import { type CaseStatus } from './cases.machine.js';
import { mustTransition, type Viewer } from './cases.policy.js';
import * as repo from './cases.repo.js';
import { suggestUnits } from './cases.routing.js';
import type { TCaseDetail, TDispatchInput, TDuplicate, TRoutingSuggestion } from './cases.schema.js';
import { changeCase, directory, lockedCase, staffActor, viewer } from './cases.shared.js';
import { applyDispatch, getCase, visibleCase } from './cases.reading.js';

// ---------- duplicates and routing ----------

async function duplicatesFor(
  db: Db,
  probe: { id: number | null; categoryId: number; address: string; lat: number | null; lng: number | null; at: Date },
): Promise<TDuplicate[]> {
  const settings = await getSettings(db);
  const since = new Date(probe.at.getTime() - settings.duplicateDays * 86_400_000);
  const pool = await repo.duplicatePool(db, probe.categoryId, since, probe.id);
  const matches = findDuplicates(
    {
      id: probe.id ?? undefined,
      categoryId: probe.categoryId,
      addressNorm: normalizeAddress(probe.address),
      lat: probe.lat,
      lng: probe.lng,
      at: probe.at,
    },
    pool.map((p) => ({ ...p, open: true })),
    { radiusM: settings.duplicateRadiusM, days: settings.duplicateDays },
  );
  const byId = new Map(pool.map((p) => [p.id, p]));
  const cats = await repo.listCategories(db);
  return matches.slice(0, 20).map((m) => {
    const p = byId.get(m.id)!;
    return {
      id: p.id,
      number: p.number,
      status: p.status,
      categoryName: categoryPath(cats, p.categoryId),
      summary: p.summary,
      address: p.address,
      createdAt: p.createdAt.toISOString(),
      reason: m.reason,
      distanceM: m.distanceM === null ? null : Math.round(m.distanceM),
    };
  });
}

function requireAgent(v: Viewer): void {
  if (!v.isAgent) throw forbidden();
}

/** Open cases that look like duplicates of this case. */
export async function caseDuplicates(ctx: Ctx, id: number): Promise<TDuplicate[]> {
  const v = await viewer(ctx);
  requireAgent(v);
  const c = await visibleCase(ctx, v, id);
  return duplicatesFor(ctx.db, {
    id: c.id,
    categoryId: c.categoryId,
    address: c.address,
    lat: c.lat,
    lng: c.lng,
    at: c.createdAt,
  });
}

/** Duplicates of a case being typed in the console (not saved yet). */
export async function probeDuplicates(
  ctx: Ctx,
  q: { categoryId: number; address: string; lat: number | null; lng: number | null },
): Promise<TDuplicate[]> {
  requireAgent(await viewer(ctx));
  return duplicatesFor(ctx.db, { id: null, ...q, at: new Date() });
}

async function routingFor(
  db: Db,
  probe: { categoryId: number; description: string; address: string },
): Promise<TRoutingSuggestion> {
  const [dir, rules, cal] = await Promise.all([directory(db), repo.listRules(db), loadCalendar(db)]);
  const category = dir.categories.find((c) => c.id === probe.categoryId);
  if (!category) throw invalid('categoryId', '诉求分类不存在', 'The category does not exist');
  const hits = suggestUnits(probe, dir.categories, rules).filter((h) => dir.units.get(h.unitId)?.active);
  const now = new Date();
  return {
    suggestions: hits.map((h) => ({ ...h, unitName: dir.unitName(h.unitId) ?? '' })),
    timeLimitDays: category.timeLimitDays,
    signHours: category.signHours,
    deadlineDate: handlingDeadline(cal, now, category.timeLimitDays).deadlineDate,
    signDue: signDueAt(cal, now, category.signHours).toISOString(),
  };
}

/** The department the rules suggest for this case (the agent decides). */
export async function caseRouting(ctx: Ctx, id: number): Promise<TRoutingSuggestion> {
  const v = await viewer(ctx);
  requireAgent(v);
  const c = await visibleCase(ctx, v, id);
  return routingFor(ctx.db, { categoryId: c.categoryId, description: c.description, address: c.address });
}

export async function probeRouting(
  ctx: Ctx,
  q: { categoryId: number; description: string; address: string },
): Promise<TRoutingSuggestion> {
  requireAgent(await viewer(ctx));
  return routingFor(ctx.db, q);
}

// ---------- level 2: dispatch, reject, merge ----------

/** Dispatches (or re-dispatches after a return) to a lead and optional assisting departments. */
export async function dispatchCase(ctx: Ctx, id: number, input: TDispatchInput): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  const dir = await directory(ctx.db);
  checkDispatchUnits(input, dir.units);
  const cal = await loadCalendar(ctx.db);
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    mustTransition(c.status, 'dispatch', 'agent');
    const category = dir.categories.find((x) => x.id === c.categoryId)!;
    await applyDispatch(tx, by, c, planOf(input, category), cal, dir, { action: 'dispatch' });
  });
  return getCase(ctx, id);
}

/** Rejects (不予受理) with a reason the requester sees. */
export async function rejectCase(ctx: Ctx, id: number, reason: string): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  await ctx.db.transaction(async (tx) => {
    const c = await lockedCase(tx, id);
    await changeCase(
      tx,
      by,
      c,
      'reject',
      { rejectReason: reason, deadline: null, dueSoonAt: null, signDue: null },
      { type: 'rejected', note: reason, publicText: `不予受理：${reason}` },
    );
  });
  return getCase(ctx, id);
}

/** Merges a duplicate into a main case: it follows the main case, and its requester hears when that completes. */
export async function mergeCase(ctx: Ctx, id: number, mainCaseId: number): Promise<TCaseDetail> {
  const by = staffActor(ctx, 'agent');
  if (mainCaseId === id) throw invalid('mainCaseId', '不能与自身合并', 'A case cannot be merged into itself');
  await ctx.db.transaction(async (tx) => {
    // Lock in id order so two merges cannot deadlock.
    const [a, b] = id < mainCaseId ? [id, mainCaseId] : [mainCaseId, id];
    const first = await repo.lockCase(tx, a);
    const second = await repo.lockCase(tx, b);
    const c = id === a ? first : second;
    const main = id === a ? second : first;
    if (!c) throw notFound();
    if (!main) throw invalid('mainCaseId', '主办件不存在', 'The main case does not exist');
    const mainOpen: CaseStatus[] = [
      'accepted',
      'dispatched',
      'signed',
      'in_progress',
      'reported',
      'review',
      'returned',
    ];
    if (!mainOpen.includes(main.status) || main.mainCaseId !== null) {
      throw invalid(
        'mainCaseId',
        '主办件须为尚未办结的诉求',
        'The main case must be an open case that is not merged itself',
      );
    }
    const updated = await changeCase(
      tx,
      by,
      c,
      'merge',
      { mainCaseId: main.id, deadline: null, dueSoonAt: null, signDue: null },
      {
        type: 'merged',
        publicText: `与办件${main.number}合并办理`,
        payload: { mainCaseId: main.id, mainNumber: main.number },
      },
    );
    await recordCaseEvent(tx, by, main, {
      type: 'merge_absorbed',
      note: `合并了重复诉求 ${updated.number}`,
      payload: { mergedCaseId: updated.id },
    });
  });
  return getCase(ctx, id);
}
