/**
 * The year-end award round: candidates computed from the year's ranking table (先进 by share or
 * threshold within each category, 绩效改进奖 from the change against last year, 单项绩效奖 on one
 * leaf or level-1 indicator); the office confirms or declines each with a reason; publishing freezes the round
 * and every awarded unit gets a certificate (.docx). Every write audited.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { insertMany } from '../../db/bulk.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import type { Ctx } from '../../lib/context.js';
import { signedIn } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { getYearByYear } from '../performance/index.js';
import { indicatorScores, scoreTable } from '../scoring/index.js';
import { awardCandidates, type RankedUnit } from './awards.rules.js';
import type { TCandidate, TRound, TRoundCreate } from './awards.schema.js';
import { awardCandidates as candidatesTable, awardRounds } from './awards.table.js';
import { rows } from '../../db/rows.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const user = signedIn;

export async function getRound(ctx: Ctx, id: number): Promise<TRound> {
  user(ctx);
  const [r] = await ctx.db.select().from(awardRounds).where(eq(awardRounds.id, id)).limit(1);
  if (!r) throw notFound();
  const cands = await rows<TCandidate & { decidedAt: Date | null }>(
    ctx.db,
    sql`SELECT c.id, c.kind, c.category, c.unit_id AS "unitId", u.name AS "unitName", c.rank, c.score::float AS score,
          c.basis, c.decision, c.reason, c.decided_at AS "decidedAt"
        FROM award_candidates c JOIN units u ON u.id = c.unit_id WHERE c.round_id = ${id}
        ORDER BY CASE c.kind WHEN 'advanced' THEN 0 WHEN 'improvement' THEN 1 ELSE 2 END, c.category, c.rank, c.id`,
  );
  return {
    id: r.id,
    year: r.year,
    status: r.status,
    sharePercent: r.sharePercent,
    threshold: r.threshold === null ? null : Number(r.threshold),
    indicatorId: r.indicatorId,
    indicatorName: r.indicatorName,
    createdAt: iso(r.createdAt)!,
    publishedAt: iso(r.publishedAt),
    candidates: cands.map((c) => ({ ...c, decidedAt: iso(c.decidedAt) })),
  };
}

export async function listRounds(ctx: Ctx): Promise<TRound[]> {
  user(ctx);
  const list = await ctx.db.select({ id: awardRounds.id }).from(awardRounds).orderBy(asc(awardRounds.year));
  return Promise.all(list.map((r) => getRound(ctx, r.id)));
}

/** Computes the candidates of a year from its ranking table (the whole year, live) and opens the round. */
export async function createRound(ctx: Ctx, body: TRoundCreate): Promise<TRound> {
  const u = user(ctx);
  const year = await getYearByYear(ctx.db, body.year);
  if (!year) throw invalid('year', '该年度尚未建立考核', 'No assessment year of that year');
  const [dup] = await ctx.db.select().from(awardRounds).where(eq(awardRounds.year, body.year)).limit(1);
  if (dup) throw new AppError('DUPLICATE', { zh: '该年度已有评先评优', en: 'That year already has an award round' });
  const table = await scoreTable(ctx, { yearId: year.id, period: String(body.year), published: false });
  // 单项绩效奖: a level-1 indicator (its score is in the table) or a leaf of the year's tree.
  const top = body.indicatorId === null ? null : table.topIndicators.find((i) => i.indicatorId === body.indicatorId);
  const single =
    body.indicatorId === null || top
      ? null
      : await indicatorScores(ctx.db, year.id, body.indicatorId, String(body.year));
  if (body.indicatorId !== null && !top && !single?.isLeaf)
    throw invalid('indicatorId', '请选择该年度的末级指标或一级指标', 'Choose a leaf or level-1 indicator of that year');
  const indicator = top ?? (single ? { name: single.name } : null);
  const units: RankedUnit[] = table.rows.map((r) => ({
    unitId: r.unitId,
    categoryName: r.categoryName,
    total: r.total,
    vetoed: r.veto !== null,
    change: r.change,
    nodes: new Map([
      ...r.nodes.map((n): [number, number | null] => [n.indicatorId, n.score]),
      ...(single ? [[body.indicatorId!, single.scores.get(r.unitId) ?? null] as [number, number | null]] : []),
    ]),
  }));
  const cands = awardCandidates(
    units,
    {
      sharePercent: body.sharePercent,
      threshold: body.threshold,
      indicatorId: body.indicatorId,
      improvementCount: body.improvementCount,
    },
    indicator?.name ?? '',
  );
  const id = await ctx.db.transaction(async (tx) => {
    const [r] = await tx
      .insert(awardRounds)
      .values({
        year: body.year,
        sharePercent: body.sharePercent,
        threshold: body.threshold === null ? null : String(body.threshold),
        indicatorId: body.indicatorId,
        indicatorName: indicator?.name ?? '',
        improvementCount: body.improvementCount,
        createdBy: u.id,
      })
      .returning();
    await insertMany(
      tx,
      candidatesTable,
      cands.map((c) => ({ ...c, roundId: r.id, score: String(c.score) })),
    );
    await recordAudit(tx, ctx.actor, {
      action: 'award.round.create',
      entityType: 'award_round',
      entityId: r.id,
      after: { ...body, candidates: cands.length },
    });
    return r.id;
  });
  return getRound(ctx, id);
}

/** The office confirms or declines one candidate, with a reason; not once the round is published. */
export async function decide(ctx: Ctx, candidateId: number, body: { award: boolean; reason: string }): Promise<TRound> {
  const u = user(ctx);
  const roundId = await ctx.db.transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(candidatesTable)
      .where(eq(candidatesTable.id, candidateId))
      .for('update')
      .limit(1);
    if (!c) throw notFound();
    const [r] = await tx.select().from(awardRounds).where(eq(awardRounds.id, c.roundId)).limit(1);
    if (r.status === 'published') throw new AppError('IMMUTABLE');
    const decision = body.award ? 'awarded' : 'declined';
    await tx
      .update(candidatesTable)
      .set({ decision, reason: body.reason, decidedBy: u.id, decidedAt: new Date() })
      .where(eq(candidatesTable.id, candidateId));
    await recordAudit(tx, ctx.actor, {
      action: 'award.decide',
      entityType: 'award_candidate',
      entityId: candidateId,
      unitId: c.unitId,
      before: { decision: c.decision },
      after: { decision, reason: body.reason, kind: c.kind },
    });
    return c.roundId;
  });
  return getRound(ctx, roundId);
}

/** Publishes the round once every candidate is decided; it cannot change afterwards. */
export async function publishRound(ctx: Ctx, id: number): Promise<TRound> {
  user(ctx);
  await ctx.db.transaction(async (tx) => {
    const [r] = await tx.select().from(awardRounds).where(eq(awardRounds.id, id)).for('update').limit(1);
    if (!r) throw notFound();
    if (r.status === 'published') throw new AppError('INVALID_STATE');
    const pending = await tx
      .select({ id: candidatesTable.id })
      .from(candidatesTable)
      .where(and(eq(candidatesTable.roundId, id), eq(candidatesTable.decision, 'pending')));
    if (pending.length)
      throw new AppError('INVALID_STATE', {
        zh: `还有 ${pending.length} 个候选未确认`,
        en: `${pending.length} candidates are not decided yet`,
      });
    await tx.update(awardRounds).set({ status: 'published', publishedAt: new Date() }).where(eq(awardRounds.id, id));
    await recordAudit(tx, ctx.actor, { action: 'award.publish', entityType: 'award_round', entityId: id });
  });
  return getRound(ctx, id);
}

/** An awarded candidate of a published round, for its certificate. */
export async function awardedCandidate(ctx: Ctx, id: number): Promise<{ round: TRound; candidate: TCandidate }> {
  user(ctx);
  const [c] = await ctx.db.select().from(candidatesTable).where(eq(candidatesTable.id, id)).limit(1);
  if (!c) throw notFound();
  const round = await getRound(ctx, c.roundId);
  const candidate = round.candidates.find((x) => x.id === id)!;
  if (round.status !== 'published' || candidate.decision !== 'awarded')
    throw new AppError('INVALID_STATE', {
      zh: '证书在结果发布后生成',
      en: 'Certificates come with the published results',
    });
  return { round, candidate };
}
