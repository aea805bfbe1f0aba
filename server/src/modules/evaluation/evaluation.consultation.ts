/**
 * Consultations (协商中心: public consultations and hearings before a decision) are evaluation campaigns of
 * kind 'consultation': a topic (the campaign's title and a background text) answered by the public through
 * the open QR link and by invited participants, feeding no indicator. After closing, the office writes the
 * summary (意见汇总与采纳情况) and publishes it; publication freezes the tallies of the closed questions, and
 * only then does the consultation appear on the public page. Every office write is audited in its
 * transaction. (The answer page takes `consultationBackground` from here: evaluation.responses.ts.)
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './evaluation.repo.js';
import type {
  TConsultation,
  TConsultationSummaryInput,
  TConsultationTopicInput,
  TPublicConsultation,
  TPublicConsultationRow,
} from './evaluation.schema.js';
import {
  evaluationCampaigns,
  evaluationConsultations,
  evaluationResponses,
  type Question,
  type QuestionTally,
} from './evaluation.table.js';
import { tallyAnswers } from './evaluation.tally.js';
import { iso, isOffice } from './evaluation.tokens.js';

type ConsultationRow = typeof evaluationConsultations.$inferSelect;

const EMPTY = { background: '', heard: '', adopted: '', notAdopted: '' };

/** The campaign when it is a consultation and the user manages evaluation; 404 otherwise (as for a missing one). */
async function managed(ctx: Ctx, db: Db, id: number, forUpdate = false) {
  if (!isOffice(ctx)) throw notFound();
  const c = await repo.findCampaign(db, id, forUpdate);
  if (!c || c.kind !== 'consultation') throw notFound();
  return c;
}

async function findRow(db: Db, campaignId: number): Promise<ConsultationRow | null> {
  const [r] = await db.select().from(evaluationConsultations).where(eq(evaluationConsultations.campaignId, campaignId));
  return r ?? null;
}

/** The valid (not excluded) responses' answers and the tallies of the closed questions over them, now. */
async function liveTallies(db: Db, c: repo.CampaignRow): Promise<{ participants: number; tallies: QuestionTally[] }> {
  const [q, answers] = await Promise.all([
    repo.findQuestionnaire(db, c.questionnaireId),
    db
      .select({ answers: evaluationResponses.answers })
      .from(evaluationResponses)
      .where(and(eq(evaluationResponses.campaignId, c.id), eq(evaluationResponses.excluded, false))),
  ]);
  const list = answers.map((a) => a.answers);
  return { participants: list.length, tallies: tallyAnswers((q?.questions ?? []) as Question[], list) };
}

/** The topic's background shown above a consultation's questionnaire (the respondent's page). */
export async function consultationBackground(db: Db, campaignId: number): Promise<string> {
  return (await findRow(db, campaignId))?.background ?? '';
}

/** The office's view: topic, summary, and the tallies (live until published, then as published). */
export async function getConsultation(ctx: Ctx, id: number): Promise<TConsultation> {
  const c = await managed(ctx, ctx.db, id);
  const r = await findRow(ctx.db, id);
  const frozen = c.status === 'published' && r?.tallies;
  const live = frozen ? null : await liveTallies(ctx.db, c);
  const by = r?.summaryBy
    ? await repo.rows<{ name: string }>(ctx.db, sql`SELECT display_name AS name FROM users WHERE id = ${r.summaryBy}`)
    : [];
  return {
    campaignId: id,
    title: c.title,
    status: c.status,
    background: r?.background ?? '',
    summary: {
      heard: r?.heard ?? '',
      adopted: r?.adopted ?? '',
      notAdopted: r?.notAdopted ?? '',
      at: iso(r?.summaryAt ?? null),
      by: by[0]?.name ?? null,
    },
    participants: live?.participants ?? r?.participants ?? 0,
    tallies: live?.tallies ?? r?.tallies ?? [],
    publishedAt: iso(c.publishedAt),
  };
}

async function upsert(tx: Db, campaignId: number, set: Partial<typeof evaluationConsultations.$inferInsert>) {
  await tx
    .insert(evaluationConsultations)
    .values({ campaignId, ...set })
    .onConflictDoUpdate({ target: evaluationConsultations.campaignId, set });
}

const published = () =>
  new AppError('IMMUTABLE', {
    zh: '意见汇总已发布，不能再修改',
    en: 'The summary is published and can no longer change',
  });

/** The topic's background (any time before publication). */
export async function saveTopic(ctx: Ctx, id: number, input: TConsultationTopicInput): Promise<TConsultation> {
  await ctx.db.transaction(async (tx) => {
    const c = await managed(ctx, tx, id, true);
    if (c.status === 'published') throw published();
    const before = (await findRow(tx, id))?.background ?? '';
    await upsert(tx, id, { background: input.background });
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.consultation.topic',
      entityType: 'evaluation_campaign',
      entityId: id,
      before: { background: before },
      after: { background: input.background },
    });
  });
  return getConsultation(ctx, id);
}

/** The summary: what was heard, what was adopted, what not and why. Only once closed, and not after publication. */
export async function saveSummary(ctx: Ctx, id: number, input: TConsultationSummaryInput): Promise<TConsultation> {
  await ctx.db.transaction(async (tx) => {
    const c = await managed(ctx, tx, id, true);
    if (c.status === 'published') throw published();
    if (c.status !== 'closed')
      throw new AppError('INVALID_STATE', {
        zh: '请先结束征求意见，再填写意见汇总',
        en: 'Close the consultation before writing its summary',
      });
    const r = await findRow(tx, id);
    await upsert(tx, id, {
      heard: input.heard,
      adopted: input.adopted,
      notAdopted: input.notAdopted,
      summaryBy: ctx.user!.id,
      summaryAt: new Date(),
    });
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.consultation.summary',
      entityType: 'evaluation_campaign',
      entityId: id,
      before: { heard: r?.heard ?? '', adopted: r?.adopted ?? '', notAdopted: r?.notAdopted ?? '' },
      after: { ...input },
    });
  });
  return getConsultation(ctx, id);
}

/**
 * Publishes a closed consultation with its summary: freezes the participants and the tallies of the
 * closed questions (the responses can no longer be excluded once published), and sets the campaign published.
 */
export async function publishConsultation(ctx: Ctx, id: number): Promise<TConsultation> {
  await ctx.db.transaction(async (tx) => {
    const c = await managed(ctx, tx, id, true);
    if (c.status !== 'closed')
      throw new AppError('INVALID_STATE', {
        zh: c.status === 'published' ? '已发布' : '请先结束征求意见并填写意见汇总',
        en: c.status === 'published' ? 'Already published' : 'Close the consultation and write its summary first',
      });
    const r = await findRow(tx, id);
    if (!r?.heard.trim()) throw invalid('heard', '请先填写意见汇总', 'Write the summary first');
    const { participants, tallies } = await liveTallies(tx, c);
    const at = new Date();
    await upsert(tx, id, { participants, tallies });
    await tx
      .update(evaluationCampaigns)
      .set({ status: 'published', publishedAt: at })
      .where(eq(evaluationCampaigns.id, id));
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.consultation.publish',
      entityType: 'evaluation_campaign',
      entityId: id,
      before: { status: 'closed' },
      after: {
        status: 'published',
        participants,
        summary: { heard: r.heard, adopted: r.adopted, notAdopted: r.notAdopted },
      },
    });
  });
  return getConsultation(ctx, id);
}

// ---------- the public page ----------

type PublicRow = {
  id: number;
  title: string;
  target_unit_ids: number[];
  period_from: string;
  period_to: string;
  published_at: Date | string;
  participants: number | null;
};

async function publicRows(db: Db, id?: number): Promise<(PublicRow & { units: string[] })[]> {
  const rows = await repo.rows<PublicRow>(
    db,
    sql`SELECT c.id, c.title, c.target_unit_ids, c.period_from::text AS period_from, c.period_to::text AS period_to,
               c.published_at, k.participants
          FROM evaluation_campaigns c JOIN evaluation_consultations k ON k.campaign_id = c.id
         WHERE c.kind = 'consultation' AND c.status = 'published' ${id === undefined ? sql`` : sql`AND c.id = ${id}`}
         ORDER BY c.published_at DESC, c.id DESC
         LIMIT 200`,
  );
  const names = await repo.unitNames(
    db,
    rows.flatMap((r) => r.target_unit_ids),
  );
  return rows.map((r) => ({ ...r, units: r.target_unit_ids.map((u) => names.get(u) ?? '') }));
}

const presentPublic = (r: PublicRow & { units: string[] }): TPublicConsultationRow => ({
  id: r.id,
  title: r.title,
  units: r.units,
  periodFrom: r.period_from,
  periodTo: r.period_to,
  participants: r.participants ?? 0,
  publishedAt: iso(r.published_at)!,
});

/** Published consultations, newest first (the public list). */
export async function publicConsultations(db: Db): Promise<TPublicConsultationRow[]> {
  return (await publicRows(db)).map(presentPublic);
}

/** One published consultation: topic, period, participants, the frozen tallies and the summary; 404 unless published. */
export async function publicConsultation(db: Db, id: number): Promise<TPublicConsultation> {
  const [r] = await publicRows(db, id);
  if (!r) throw notFound();
  const k = (await findRow(db, id)) ?? { ...EMPTY, tallies: [] };
  return {
    ...presentPublic(r),
    background: k.background,
    tallies: k.tallies ?? [],
    summary: { heard: k.heard, adopted: k.adopted, notAdopted: k.notAdopted },
  };
}
