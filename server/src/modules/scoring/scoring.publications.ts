/**
 * Scoring: publishing a period (an immutable snapshot with everything needed to explain it), the
 * publications list, and the public scores.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid, notFound, type Lang } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { getYear, planStatuses } from '../performance/index.js';
import { yearScores } from './scoring.cache.js';
import * as inputsRepo from '../inputs/index.js';
import { monthKey, resolveWindow, sameWindow } from './scoring.present.js';
import * as repo from './scoring.repo.js';
import { completenessText } from './scoring.completeness.js';
import type { TPublication, TPublicScoreYear } from './scoring.schema.js';
import { encodeSnapshot } from './scoring.snapshot.js';
import { takeInPublication } from './scoring.special.js';
import {
  type StoredTable,
  closedYear,
  finishTable,
  lastYearOf,
  provenanceMap,
  pubRef,
  tableWithCompleteness,
  viewerOf,
} from './scoring.live.js';
import { presentDeductionRef } from './scoring.detail.js';

// ---------- publications (write side) ----------

function presentPublication(p: repo.PublicationHead): TPublication {
  return {
    id: p.id,
    yearId: p.yearId,
    period: p.period,
    windowKind: p.windowKind,
    windowLabel: p.windowLabel,
    fullYear: p.fullYear,
    scoreVersion: p.scoreVersion,
    note: p.note,
    unitCount: p.unitCount,
    snapshotBytes: p.snapshotBytes,
    snapshotSha256: p.snapshotSha256,
    publishedByName: p.publishedByName,
    publishedAt: p.publishedAt.toISOString(),
  };
}

/** Freezes a period's results: the ranking table and a snapshot explaining every number. */
export async function publish(
  ctx: Ctx,
  body: { yearId: number; period: string; note: string; incompleteReason?: string },
): Promise<TPublication> {
  const year = await getYear(ctx.db, body.yearId);
  if (year.status === 'draft')
    throw new AppError('INVALID_STATE', {
      zh: '草稿状态的考核年度不能发布结果',
      en: 'A draft year cannot publish results',
    });
  let entry = await yearScores(ctx.db, body.yearId);
  let w = resolveWindow(entry.meta, entry.model, closedYear(entry), body.period);
  // Read what the snapshot needs, then take the (current) results synchronously; repeat if the
  // window moved meanwhile (new data extended the year to date).
  for (let attempt = 0; ; attempt++) {
    const end = entry.model.windows[w].end;
    const [inputs, deductions, last, plans] = await Promise.all([
      inputsRepo.yearInputsUpTo(ctx.db, body.yearId, monthKey(year.year, end)),
      repo.listDeductions(ctx.db, body.yearId),
      lastYearOf(ctx.db, entry),
      planStatuses(ctx.db, body.yearId),
    ]);
    entry = await yearScores(ctx.db, body.yearId);
    w = resolveWindow(entry.meta, entry.model, closedYear(entry), body.period);
    if (entry.model.windows[w].end !== end && attempt < 3) continue;
    if (!entry.meta.units.length)
      throw new AppError('INVALID_STATE', {
        zh: '本年度没有参加考核的单位，不能发布',
        en: 'No unit is assessed this year',
      });
    const { model, res, meta } = entry;
    const table = tableWithCompleteness(
      entry,
      w,
      last ? { c: last, w: sameWindow(model, w, last.model) } : null,
      entry.version,
      plans,
    );
    // Completeness is never hidden: incomplete units are listed, and publishing them needs a reason.
    const incomplete = table.rows.filter((r) => r.completeness && !r.completeness.complete);
    if (incomplete.length && !body.incompleteReason)
      throw invalid(
        'incompleteReason',
        `${incomplete.length} 个单位数据不完整（${incomplete
          .slice(0, 5)
          .map((r) => r.unitName)
          .join('、')}${incomplete.length > 5 ? '等' : ''}），如仍要发布请确认并说明理由`,
        `${incomplete.length} unit(s) have incomplete data; confirm and give a reason to publish anyway`,
      );
    const scores = new Float64Array(model.leaf.length * model.U);
    for (let i = 0; i < model.leaf.length; i++)
      for (let u = 0; u < model.U; u++) scores[i * model.U + u] = res.scores[i][u * model.W + w];
    const snap = encodeSnapshot({
      input: entry.input,
      meta,
      window: w,
      provenance: provenanceMap(
        meta.year,
        inputs.filter((r) => model.unitIndexById.has(r.unitId)),
      ),
      deductions: deductions
        .filter((d) => model.unitIndexById.has(d.unitId))
        .map((d) => ({ ...presentDeductionRef(d), unitId: d.unitId })),
      scores,
    });
    const win = model.windows[w];
    const version = entry.version;
    const user = ctx.user!;
    return ctx.db.transaction(async (tx) => {
      const head = await repo.insertPublication(tx, {
        yearId: year.id,
        period: body.period,
        windowKind: win.kind,
        windowN: win.n,
        windowLabel: win.label,
        fullYear: win.kind === 'ytd' && win.end === model.P - 1,
        scoreVersion: version,
        note: body.note,
        unitCount: table.rows.length,
        result: table as unknown as Record<string, unknown>,
        snapshot: snap.bytes,
        snapshotSha256: snap.sha256,
        publishedBy: user.id,
        publishedByName: user.displayName,
      });
      const out = presentPublication(head);
      await takeInPublication(
        tx,
        ctx.actor,
        { id: user.id, name: user.displayName },
        year,
        { id: head.id, windowLabel: win.label, end: win.end },
        table.rows,
      );
      await recordAudit(tx, ctx.actor, {
        action: 'scores.publish',
        entityType: 'score_publication',
        entityId: head.id,
        after: {
          yearId: year.id,
          period: body.period,
          window: win.label,
          scoreVersion: version,
          units: table.rows.length,
          sha256: snap.sha256,
          note: body.note,
          ...(incomplete.length
            ? {
                incompleteReason: body.incompleteReason,
                incompleteUnits: incomplete.map((r) => ({
                  unitId: r.unitId,
                  unitName: r.unitName,
                  planStatus: r.completeness!.planStatus,
                  missingLeaves: r.completeness!.missingLeaves,
                })),
              }
            : {}),
        },
      });
      return out;
    });
  }
}

/** Publications, newest first (every user with scores.read sees the list). */
export async function listPublications(ctx: Ctx, yearId?: number): Promise<TPublication[]> {
  return (await repo.listPublications(ctx.db, yearId)).map(presentPublication);
}

/** One publication with its ranking table (rows the caller may see). */
export async function getPublication(ctx: Ctx, id: number) {
  const pub = await repo.findPublication(ctx.db, id);
  if (!pub) throw notFound();
  const [year, viewer] = await Promise.all([getYear(ctx.db, pub.yearId), viewerOf(ctx)]);
  return {
    publication: presentPublication(pub),
    table: finishTable(year, pub.result as StoredTable, pubRef(pub), viewer, undefined, ctx.lang),
  };
}

/** The years whose annual results are published, newest year first, for the public page (no login). */
export async function publicScoreYears(db: Db): Promise<TPublicScoreYear[]> {
  return (await repo.annualPublicationYears(db)).map((y) => ({
    yearId: y.yearId,
    year: y.year,
    name: y.name,
    publishedAt: y.publishedAt.toISOString(),
  }));
}

/** The published annual results of a year, for the public page (no login). */
export async function publicScores(db: Db, yearId: number, lang: Lang = 'zh') {
  const year = await getYear(db, yearId);
  const pub = await repo.latestAnnualPublication(db, yearId);
  if (!pub)
    throw new AppError('NOT_FOUND', { zh: '该年度的考核结果尚未公开发布', en: 'The annual results are not published' });
  const table = pub.result as StoredTable;
  return {
    year: { year: year.year, name: year.name },
    publishedAt: pub.publishedAt.toISOString(),
    windowLabel: pub.windowLabel,
    categories: table.categories.map((c) => ({
      name: c.name,
      rows: table.rows
        .filter((r) => r.categoryId === c.id)
        .sort((a, b) => a.rank - b.rank || a.unitName.localeCompare(b.unitName, 'zh'))
        .map((r) => ({
          rank: r.rank,
          unitName: r.unitName,
          total: Math.round(r.total * 100) / 100,
          grade: r.grade,
          incomplete: r.completeness && !r.completeness.complete ? completenessText(r.completeness, lang) : null,
        })),
    })),
  };
}
