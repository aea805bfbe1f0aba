/**
 * Evaluation campaigns: closing into per-unit results and the score inputs of the mapped leaves,
 * publishing, and reading the results.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { insertMany } from '../../db/bulk.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { upsertScoreInputs, type ScoreInputWrite } from '../inputs/index.js';
import { leavesFor, listIndicators } from '../performance/index.js';
import { listUnits } from '../units/index.js';
import { unitResult, type UnitResult } from './evaluation.logic.js';
import * as repo from './evaluation.repo.js';
import type { TResults } from './evaluation.schema.js';
import { evaluationCampaigns, evaluationResults, type CampaignKind, type Question } from './evaluation.table.js';
import { INPUT_AUTHOR, isOffice, isSampled } from './evaluation.tokens.js';
import { getCampaign, loadManaged, mappedScheme } from './evaluation.campaigns.js';

// ---------- closing, results ----------

const KIND_LABEL: Record<CampaignKind, string> = {
  public_survey: '公众满意度',
  enterprise_survey: '企业满意度',
  deputies: '代表委员评议',
  special_supervisors: '特约监察员评议',
  leaders: '领导评价',
  mutual: '部门互评',
  service_recipients: '服务对象满意度',
  expert_review: '专家评审',
  consultation: '协商征求意见',
};

/** The per-unit results of a campaign from its responses now (valid ones in the sums). */
export async function computeResults(db: Db, c: repo.CampaignRow): Promise<UnitResult[]> {
  const [scores, invites] = await Promise.all([repo.scoreTallies(db, c.id), repo.invitationTallies(db, c.id)]);
  const byUnit = new Map(scores.map((s) => [s.unit_id, s]));
  const invitedBy = new Map(invites.map((i) => [i.unit_id, i]));
  let panelSize = 0;
  let ownPanel = new Map<number, number>();
  if (!isSampled(c.kind)) {
    panelSize = invites.reduce((a, i) => a + (i.unit_id === null ? i.invited : 0), 0);
    if (c.kind === 'mutual') ownPanel = new Map((await repo.panelUnits(db, c.id)).map((p) => [p.unit_id, p.n]));
  }
  return c.targetUnitIds.map((unitId) => {
    const s = byUnit.get(unitId);
    const inv = invitedBy.get(unitId);
    const sampled = isSampled(c.kind);
    return unitResult(
      {
        unitId,
        invited: sampled ? (inv?.invited ?? 0) : panelSize - (ownPanel.get(unitId) ?? 0),
        responses: sampled ? (inv?.responded ?? 0) : (s?.responses ?? 0),
        valid: s?.valid ?? 0,
        scoreSum: s?.score_sum ?? 0,
        scoreCount: s?.score_count ?? 0,
        levels: [s?.l0 ?? 0, s?.l1 ?? 0, s?.l2 ?? 0, s?.l3 ?? 0, s?.l4 ?? 0],
      },
      { ...c.mapping, levelWeights: c.mapping.levelWeights ?? [1, 1, 1, 0, 0] },
      c.title || KIND_LABEL[c.kind],
    );
  });
}

/**
 * Closes the campaign (or recomputes a closed one): per-unit results, and the score inputs of the mapped
 * leaves for the month the period ends, with the explanation. Not once published (frozen).
 */
export async function closeCampaign(
  db: Db,
  actor: Ctx['actor'],
  id: number,
): Promise<{ units: number; inputs: number; status: 'closed' }> {
  return db.transaction(async (tx) => {
    const c = await repo.findCampaign(tx, id, true);
    if (!c) throw notFound();
    if (c.status === 'published')
      throw new AppError('IMMUTABLE', { zh: '结果已发布，不能重新计算', en: 'The results are published and frozen' });
    if (c.status === 'draft')
      throw new AppError('INVALID_STATE', { zh: '评议活动尚未开始', en: 'The campaign has not started' });
    const results = await computeResults(tx, c);
    await tx.delete(evaluationResults).where(eq(evaluationResults.campaignId, id));
    await insertMany(
      tx,
      evaluationResults,
      results.map((r) => ({ campaignId: id, ...r })),
    );
    const inputs: ScoreInputWrite[] = [];
    if (c.mapping.indicatorIds?.length) {
      const year = await mappedScheme(tx, c.year, c.mapping);
      if (year) {
        const indicators = await listIndicators(tx, year.id);
        const units = new Map((await listUnits(tx)).map((u) => [u.id, u]));
        const now = new Date();
        for (const r of results) {
          const unit = units.get(r.unitId);
          if (!unit || r.mapped === null) continue;
          for (const leaf of leavesFor(unit, indicators)) {
            if (!c.mapping.indicatorIds.includes(leaf.id)) continue;
            inputs.push({
              yearId: year.id,
              indicatorId: leaf.id,
              unitId: r.unitId,
              period: c.periodTo.slice(0, 7),
              value: r.mapped,
              fields: {
                explanation: r.explanation,
                campaignId: id,
                n: r.valid,
                invited: r.invited,
                mean: r.mean,
                satisfactionRate: r.satisfactionRate,
                responseRate: r.responseRate,
                distribution: r.distribution,
              },
              source: 'evaluation',
              sourceRef: `evaluation:${id}:${r.unitId}`,
              enteredBy: null,
              enteredByName: `${INPUT_AUTHOR}「${c.title}」`,
              enteredAt: now,
            });
          }
        }
      }
    }
    await upsertScoreInputs(tx, inputs);
    await tx
      .update(evaluationCampaigns)
      .set({ status: 'closed', closedAt: new Date() })
      .where(eq(evaluationCampaigns.id, id));
    await recordAudit(tx, actor, {
      action: c.status === 'closed' ? 'evaluation.recompute' : 'evaluation.close',
      entityType: 'evaluation_campaign',
      entityId: id,
      before: { status: c.status },
      after: { status: 'closed', units: results.length, inputs: inputs.length },
    });
    return { units: results.length, inputs: inputs.length, status: 'closed' as const };
  });
}

export async function close(ctx: Ctx, id: number) {
  await loadManaged(ctx, id);
  return closeCampaign(ctx.db, ctx.actor, id);
}

export async function publish(ctx: Ctx, id: number) {
  await loadManaged(ctx, id);
  await ctx.db.transaction(async (tx) => {
    const c = (await repo.findCampaign(tx, id, true))!;
    // A consultation is published with its summary (evaluation.consultation.ts).
    if (c.kind === 'consultation')
      throw new AppError('INVALID_STATE', {
        zh: '协商议题请在「意见汇总」中发布',
        en: 'Publish a consultation with its summary',
      });
    if (c.status !== 'closed')
      throw new AppError('INVALID_STATE', {
        zh: '请先结束评议并核对结果',
        en: 'Close the campaign and check its results first',
      });
    await tx
      .update(evaluationCampaigns)
      .set({ status: 'published', publishedAt: new Date() })
      .where(eq(evaluationCampaigns.id, id));
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.publish',
      entityType: 'evaluation_campaign',
      entityId: id,
      before: { status: 'closed' },
      after: { status: 'published' },
    });
  });
  return getCampaign(ctx, id);
}

/** Results: the office sees every unit (live figures until closed); a unit's users their own units of a published campaign, with anonymised comments. */
export async function results(ctx: Ctx, id: number): Promise<TResults> {
  const c = await repo.findCampaign(ctx.db, id);
  if (!c) throw notFound();
  let unitIds: number[] | null = null;
  if (!isOffice(ctx)) {
    const scope = await ctx.scope();
    if (c.status !== 'published') throw notFound();
    unitIds = scope.all ? null : c.targetUnitIds.filter((u) => scope.unitIds.has(u));
    if (unitIds && !unitIds.length) throw notFound();
  }
  const stored = c.status === 'closed' || c.status === 'published';
  const rows = stored
    ? (await repo.results(ctx.db, id, unitIds)).map((r) => ({ ...r, distribution: r.distribution ?? [] }))
    : (await computeResults(ctx.db, c)).filter((r) => !unitIds || unitIds.includes(r.unitId));
  const names = await repo.unitNames(
    ctx.db,
    rows.map((r) => r.unitId),
  );
  const q = await repo.findQuestionnaire(ctx.db, c.questionnaireId);
  const textQs = ((q?.questions ?? []) as Question[]).filter((x) => x.type === 'text');
  const comments = await repo.comments(
    ctx.db,
    id,
    textQs.map((x) => x.key),
    unitIds,
  );
  const unitNamesAll = await repo.unitNames(
    ctx.db,
    comments.flatMap((x) => (x.unit_id ? [x.unit_id] : [])),
  );
  return {
    campaignId: id,
    title: c.title,
    status: c.status,
    frozen: c.status === 'published',
    rows: rows
      .map((r) => ({
        unitId: r.unitId,
        unitName: names.get(r.unitId) ?? String(r.unitId),
        invited: r.invited,
        responses: r.responses,
        valid: r.valid,
        responseRate: r.responseRate,
        mean: r.mean,
        satisfactionRate: r.satisfactionRate,
        distribution: r.distribution,
        mapped: r.mapped,
        explanation: r.explanation,
      }))
      .sort((a, b) => (b.mapped ?? -1) - (a.mapped ?? -1) || a.unitName.localeCompare(b.unitName)),
    comments: comments.map((x) => ({
      unitName: x.unit_id ? (unitNamesAll.get(x.unit_id) ?? null) : null,
      question: textQs.find((t) => t.key === x.key)?.title ?? x.key,
      text: x.text,
    })),
  };
}
