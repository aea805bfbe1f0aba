/**
 * Evaluation campaigns: the dashboard, responses and their quality flags, responding through the public
 * one-time link (group commit of concurrent answers) and the evaluator's inbox in the app.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { insertMany } from '../../db/bulk.js';
import { groupCommit, type Settled } from '../../lib/groupcommit.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { DEFAULT_QUALITY, ownFlags, scoreAnswers } from './evaluation.logic.js';
import * as repo from './evaluation.repo.js';
import type { TAnswerInput, TCampaignRow, TDashboard, TForm } from './evaluation.schema.js';
import {
  evaluationInvitations,
  evaluationResponses,
  evaluationScores,
  type CampaignKind,
  type Question,
  type QualityFlag,
} from './evaluation.table.js';
import { invitationByToken, isOffice, sha, today, userOf } from './evaluation.tokens.js';
import { loadManaged } from './evaluation.campaigns.js';
import { consultationBackground } from './evaluation.consultation.js';

// ---------- dashboard, responses, quality ----------

export async function dashboard(ctx: Ctx, id: number): Promise<TDashboard> {
  const c = await loadManaged(ctx, id);
  const d = await repo.dashboard(ctx.db, id);
  const names = await repo.unitNames(
    ctx.db,
    d.strata.flatMap((s) => (s.unit_id === null ? [] : [s.unit_id])),
  );
  const invited = d.strata.reduce((a, s) => a + s.invited, 0);
  const responded = d.strata.reduce((a, s) => a + s.responded, 0);
  const rate = (n: number, of: number) => (of ? Math.round((1000 * n) / of) / 10 : null);
  return {
    status: c.status,
    invited,
    sent: d.strata.reduce((a, s) => a + s.sent, 0),
    responded,
    responseRate: rate(responded, invited),
    flagged: d.totals.flagged,
    excluded: d.totals.excluded,
    strata: d.strata
      .map((s) => ({
        unitId: s.unit_id,
        unitName: s.unit_id === null ? '评价人' : (names.get(s.unit_id) ?? String(s.unit_id)),
        invited: s.invited,
        responded: s.responded,
        responseRate: rate(s.responded, s.invited),
      }))
      .sort((a, b) => (a.responseRate ?? 0) - (b.responseRate ?? 0) || a.unitName.localeCompare(b.unitName)),
    byDay: d.byDay.map((x) => ({ day: x.day, responses: x.n })),
  };
}

export async function responsesPage(
  ctx: Ctx,
  id: number,
  q: { flagged?: '1' | '0'; excluded?: '1' | '0'; unitId?: number; page: number; pageSize: number },
) {
  await loadManaged(ctx, id);
  const r = await repo.responsesPage(ctx.db, id, { ...q, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return {
    total: r.total,
    rows: r.rows.map((x) => ({
      id: Number(x.id),
      unitName: x.unit_name,
      submittedOn: x.submitted_on,
      durationS: x.duration_s,
      flags: x.flags as QualityFlag[],
      excluded: x.excluded,
      excludeReason: x.exclude_reason,
      answers: x.answers,
    })),
  };
}

/** Excludes a response from the results (or takes it back), with a reason; not once the results are published. */
export async function setExcluded(ctx: Ctx, responseId: number, v: { excluded: boolean; reason: string }) {
  if (!isOffice(ctx)) throw notFound();
  const r = await repo.findResponse(ctx.db, responseId);
  if (!r) throw notFound();
  await ctx.db.transaction(async (tx) => {
    const c = (await repo.findCampaign(tx, r.campaignId, true))!;
    if (c.status === 'published')
      throw new AppError('IMMUTABLE', { zh: '结果已发布，答卷不能再调整', en: 'The results are published and frozen' });
    await tx
      .update(evaluationResponses)
      .set({ excluded: v.excluded, excludeReason: v.reason, excludedBy: userOf(ctx).id, excludedAt: new Date() })
      .where(eq(evaluationResponses.id, responseId));
    await recordAudit(tx, ctx.actor, {
      action: v.excluded ? 'evaluation.response.exclude' : 'evaluation.response.include',
      entityType: 'evaluation_response',
      entityId: responseId,
      unitId: r.unitId,
      before: { excluded: r.excluded, reason: r.excludeReason },
      after: { excluded: v.excluded, reason: v.reason, flags: r.flags },
    });
  });
  return { ok: true as const };
}

// ---------- responding ----------

type Submit = { ip: string; device?: string; userId: number | null; ownUnitId: number | null };

/** One checked response waiting to be written (group commit: concurrent responses share one transaction). */
type Pending = {
  campaignId: number;
  invitationId: number;
  anonymous: boolean;
  userId: number | null;
  unitId: number | null;
  clean: Record<string, unknown>;
  scores: { unitId: number; key: string; score: number; level: number | null }[];
  flags: QualityFlag[];
  maxPerIp: number;
  maxPerDevice: number;
  durationS: number | null;
  ipHash: string;
  deviceHash: string | null;
  on: string;
};
type Written = { ok: true; flags: QualityFlag[] };

/**
 * Writes a batch of responses in one transaction: marks the invitations used (only those still unused
 * of open campaigns — the one-response rule, also within the batch), counts earlier responses from the
 * same address and device, inserts the responses and their scored answers. Lock order: invitation rows,
 * then the inserts; no audit entry (a response is not an office act; an anonymous one must name nobody).
 */
async function writeResponses(db: Db, items: Pending[]): Promise<Settled<Written>[]> {
  return db.transaction(async (tx) => {
    const ids = [...new Set(items.map((i) => i.invitationId))];
    const used = new Set(
      (
        await repo.rows<{ id: number }>(
          tx,
          sql`UPDATE evaluation_invitations i SET responded_on = ${items[0].on}::date
                FROM evaluation_campaigns c
               WHERE c.id = i.campaign_id AND c.status = 'open' AND i.responded_on IS NULL
                 AND i.id IN (${sql.join(
                   ids.map((x) => sql`${x}`),
                   sql`, `,
                 )})
           RETURNING i.id`,
        )
      ).map((r) => Number(r.id)),
    );
    const taken = new Set<number>();
    const accepted: Pending[] = [];
    const out: Settled<Written>[] = items.map((it) => {
      if (!used.has(it.invitationId) || taken.has(it.invitationId)) return { ok: false, error: null };
      taken.add(it.invitationId);
      accepted.push(it);
      return { ok: true, value: { ok: true, flags: it.flags } };
    });
    if (accepted.length) {
      const counts = await repo.sourceCounts(tx, accepted);
      for (const it of accepted) {
        const ipKey = `${it.campaignId}|${it.ipHash}`;
        const ip = counts.ip.get(ipKey) ?? 0;
        counts.ip.set(ipKey, ip + 1);
        if (ip >= it.maxPerIp) it.flags.push('same_ip');
        if (it.deviceHash) {
          const devKey = `${it.campaignId}|${it.deviceHash}`;
          const dev = counts.device.get(devKey) ?? 0;
          counts.device.set(devKey, dev + 1);
          if (dev >= it.maxPerDevice) it.flags.push('same_device');
        }
      }
      const rows = await insertMany(
        tx,
        evaluationResponses,
        accepted.map((it) => ({
          campaignId: it.campaignId,
          // Anonymous: the response keeps neither the invitation nor the person, and only the day.
          invitationId: it.anonymous ? null : it.invitationId,
          respondentId: it.anonymous ? null : it.userId,
          unitId: it.unitId,
          answers: it.clean,
          submittedOn: it.on,
          durationS: it.durationS,
          ipHash: it.ipHash,
          deviceHash: it.deviceHash,
          flags: it.flags,
        })),
        ['id'],
      );
      const scores = accepted.flatMap((it, k) =>
        it.scores.map((x) => ({
          responseId: rows[k].id,
          campaignId: it.campaignId,
          unitId: x.unitId,
          questionKey: x.key,
          score: x.score,
          level: x.level,
        })),
      );
      if (scores.length) await insertMany(tx, evaluationScores, scores);
    }
    return out;
  });
}

const writers = new WeakMap<Db, (p: Pending) => Promise<Written>>();
function writerOf(db: Db) {
  let w = writers.get(db);
  if (!w) {
    w = groupCommit<Pending, Written>((items) => writeResponses(db, items), { maxBatch: 200 });
    writers.set(db, w);
  }
  return w;
}

async function submit(db: Db, camp: repo.CampaignRow, inv: repo.InvitationRow, input: TAnswerInput, who: Submit) {
  if (camp.status !== 'open')
    throw new AppError('INVALID_STATE', { zh: '本次评议已结束或尚未开始', en: 'The survey is not open' });
  if (inv.respondedOn) throw alreadyAnswered();
  const questions = await questionsOf(db, camp.questionnaireId);
  // A panel answer is about its single target when the campaign has one; else only matrix rows name units.
  const unitId = inv.unitId ?? (camp.targetUnitIds.length === 1 ? camp.targetUnitIds[0] : null);
  const scored = scoreAnswers(questions, input.answers, {
    unitId,
    targetUnitIds: camp.targetUnitIds,
    ownUnitId: camp.kind === 'mutual' ? who.ownUnitId : null,
  });
  if ('problem' in scored) throw invalid(scored.problem.field, scored.problem.zh, scored.problem.en);
  const rules = { ...DEFAULT_QUALITY, ...camp.quality };
  const durationS = inv.openedAt ? Math.round((Date.now() - new Date(inv.openedAt).getTime()) / 1000) : null;
  try {
    return await writerOf(db)({
      campaignId: camp.id,
      invitationId: inv.id,
      anonymous: camp.anonymous,
      userId: who.userId,
      unitId,
      clean: scored.clean,
      scores: scored.scores,
      flags: ownFlags(scored.scores, durationS, rules),
      maxPerIp: rules.maxPerIp,
      maxPerDevice: rules.maxPerDevice,
      durationS,
      ipHash: sha(`${camp.salt}|ip|${who.ip}`),
      deviceHash: who.device ? sha(`${camp.salt}|dev|${who.device}`) : null,
      on: today(),
    });
  } catch (e) {
    if (e !== null) throw e;
    // Refused in the batch: already used, or the campaign closed meanwhile.
    const now = await repo.findInvitation(db, inv.id);
    if (now?.respondedOn) throw alreadyAnswered();
    throw new AppError('INVALID_STATE', { zh: '本次评议已结束或尚未开始', en: 'The survey is not open' });
  }
}

/** A questionnaire's questions, kept for a few seconds (a campaign's version never changes once it is open). */
const questionCache = new WeakMap<Db, Map<number, { at: number; questions: Question[] }>>();
async function questionsOf(db: Db, id: number): Promise<Question[]> {
  let m = questionCache.get(db);
  if (!m) questionCache.set(db, (m = new Map()));
  const hit = m.get(id);
  if (hit && Date.now() - hit.at < 10_000) return hit.questions;
  const q = await repo.findQuestionnaire(db, id);
  const questions = (q?.questions ?? []) as Question[];
  if (m.size > 1000) m.clear();
  m.set(id, { at: Date.now(), questions });
  return questions;
}

const alreadyAnswered = () =>
  new AppError('CONFLICT', {
    field: 'token',
    zh: '该问卷已提交过，每个邀请只能作答一次，感谢您的参与',
    en: 'This invitation has already been answered; each invitation allows one response',
  });

async function formOf(
  db: Db,
  camp: repo.CampaignRow,
  inv: repo.InvitationRow,
  ownUnitId: number | null,
): Promise<TForm> {
  const q = await repo.findQuestionnaire(db, camp.questionnaireId);
  const targetIds = camp.targetUnitIds.filter((u) => !(camp.kind === 'mutual' && u === ownUnitId));
  const names = await repo.unitNames(db, [...targetIds, ...(inv.unitId ? [inv.unitId] : [])]);
  return {
    campaignId: camp.id,
    title: camp.title,
    kind: camp.kind,
    intro: q?.intro ?? '',
    unitName: inv.unitId ? (names.get(inv.unitId) ?? null) : null,
    questions: (q?.questions ?? []) as TForm['questions'],
    targets: targetIds.map((id) => ({ id, name: names.get(id) ?? String(id) })),
    anonymous: camp.anonymous,
    answered: inv.respondedOn !== null,
    open: camp.status === 'open',
    ...(camp.kind === 'consultation' ? { background: await consultationBackground(db, camp.id) } : {}),
  };
}

/** The public page of a one-time link: the questionnaire (first opening noted, for the too-fast check). */
export async function publicForm(db: Db, token: string): Promise<TForm> {
  const { inv, camp } = await invitationByToken(db, token);
  if (!inv.openedAt && !inv.respondedOn)
    await db
      .update(evaluationInvitations)
      .set({ openedAt: new Date() })
      .where(and(eq(evaluationInvitations.id, inv.id), isNull(evaluationInvitations.openedAt)));
  return formOf(db, camp, inv, null);
}

export async function publicRespond(db: Db, token: string, input: TAnswerInput, ip: string) {
  const { inv, camp } = await invitationByToken(db, token);
  if (inv.channel === 'app') throw notFound();
  return submit(db, camp, inv, input, { ip, device: input.device, userId: null, ownUnitId: null });
}

// ---------- evaluator inbox ----------

export async function inbox(ctx: Ctx) {
  const user = userOf(ctx);
  return (await repo.inbox(ctx.db, user.id)).map((r) => ({
    campaignId: r.campaign_id,
    title: r.title,
    kind: r.kind as CampaignKind,
    periodTo: r.period_to,
    status: r.status as TCampaignRow['status'],
    respondedOn: r.responded_on,
    targets: r.targets,
  }));
}

async function myInvitation(ctx: Ctx, campaignId: number) {
  const user = userOf(ctx);
  const inv = await repo.invitationOf(ctx.db, campaignId, user.id);
  if (!inv) throw notFound();
  const camp = await repo.findCampaign(ctx.db, campaignId);
  if (!camp) throw notFound();
  return { inv, camp, user };
}

export async function inboxForm(ctx: Ctx, campaignId: number): Promise<TForm> {
  const { inv, camp, user } = await myInvitation(ctx, campaignId);
  if (!inv.openedAt)
    await ctx.db
      .update(evaluationInvitations)
      .set({ openedAt: new Date() })
      .where(eq(evaluationInvitations.id, inv.id));
  return formOf(ctx.db, camp, inv, user.unitId);
}

export async function inboxRespond(ctx: Ctx, campaignId: number, input: TAnswerInput) {
  const { inv, camp, user } = await myInvitation(ctx, campaignId);
  return submit(ctx.db, camp, inv, input, {
    ip: ctx.actor.ip ?? '',
    device: input.device,
    userId: user.id,
    ownUnitId: user.unitId,
  });
}
