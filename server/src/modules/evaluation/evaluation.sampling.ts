/**
 * Evaluation campaigns: the sampling frame (imported or from closed cases), drawing the sample, and opening
 * the campaign — sending the one-time links and the reminders.
 */
import { randomInt } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { insertMany } from '../../db/bulk.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid } from '../../lib/errors.js';
import { enqueueSms } from '../../platform/sms/index.js';
import { recordAudit } from '../audit/index.js';
import { closedCaseContacts } from '../cases/index.js';
import { listUnits } from '../units/index.js';
import { allocate, drawSample } from './evaluation.logic.js';
import * as repo from './evaluation.repo.js';
import type { TSampleInput } from './evaluation.schema.js';
import { evaluationCampaigns, evaluationFrame, evaluationInvitations } from './evaluation.table.js';
import { PUBLIC_PATH, invitationToken, isSampled, iso } from './evaluation.tokens.js';
import { loadManaged } from './evaluation.campaigns.js';

// ---------- frame and sample ----------

const PHONE = /^1\d{10}$|^0\d{2,3}-?\d{7,8}$/;
export const FRAME_COLUMNS = [
  { key: 'unit', header: '单位', required: true, note: '被评价单位的名称或编码（须为本活动的被评价单位）' },
  { key: 'name', header: '姓名/企业', note: '受访对象名称，可空' },
  { key: 'phone', header: '手机号', required: true, note: '11 位手机号或带区号的固定电话' },
] as const;

/** Replaces the imported part of the sampling frame (all-or-nothing; problems per row and column). */
export async function importFrame(
  ctx: Ctx,
  id: number,
  parsed: { row: number; values: Record<'unit' | 'name' | 'phone', string> }[],
): Promise<{ imported: number; errors: { row: number; column: string; message: string }[] }> {
  const c = await loadManaged(ctx, id);
  if (c.status !== 'draft')
    throw new AppError('INVALID_STATE', { zh: '评议活动已开始，不能更换抽样框', en: 'The campaign has started' });
  const units = (await listUnits(ctx.db)).filter((u) => c.targetUnitIds.includes(u.id));
  const errors: { row: number; column: string; message: string }[] = [];
  const rows: (typeof evaluationFrame.$inferInsert)[] = [];
  for (const r of parsed) {
    const u = units.find((x) => x.name === r.values.unit || x.code === r.values.unit);
    if (!u) errors.push({ row: r.row, column: 'A', message: `「${r.values.unit}」不是本活动的被评价单位` });
    const phone = r.values.phone.replace(/\s/g, '');
    if (!PHONE.test(phone)) errors.push({ row: r.row, column: 'C', message: '手机号格式不正确' });
    if (u && PHONE.test(phone))
      rows.push({ campaignId: id, unitId: u.id, name: r.values.name.slice(0, 100), phone, source: 'import' });
  }
  if (errors.length) return { imported: 0, errors };
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(evaluationFrame)
      .where(and(eq(evaluationFrame.campaignId, id), eq(evaluationFrame.source, 'import')));
    await insertMany(tx, evaluationFrame, rows);
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.frame.import',
      entityType: 'evaluation_campaign',
      entityId: id,
      after: { rows: rows.length },
    });
  });
  return { imported: rows.length, errors: [] };
}

/**
 * Draws the sample: the frame (closed cases of the period by the target units, copied into the frame,
 * or the imported list), stratified by unit, sizes per stratum given or in proportion to the frame,
 * with a recorded seed (given, or drawn now). Replaces any earlier sample of this draft.
 */
export async function drawCampaignSample(ctx: Ctx, id: number, input: TSampleInput) {
  const c = await loadManaged(ctx, id);
  if (!isSampled(c.kind))
    throw new AppError('INVALID_STATE', {
      zh: '该类评议由评价人名单作答，无需抽样',
      en: 'This kind is answered by a named panel; no sample',
    });
  if (c.status !== 'draft')
    throw new AppError('INVALID_STATE', {
      zh: '评议活动已开始，不能重新抽样',
      en: 'The campaign has started; the sample is fixed',
    });
  for (const [i, s] of input.sizes.entries())
    if (!c.targetUnitIds.includes(s.unitId))
      throw invalid(`sizes.${i}.unitId`, '不是本活动的被评价单位', 'Not a target unit of the campaign');
  if (input.total === undefined && !input.sizes.length)
    throw invalid('total', '请填写样本量（总量或各层样本量）', 'Give the sample size (a total or per stratum)');
  const seed = input.seed ?? randomInt(1, 2147483647);
  return ctx.db.transaction(async (tx) => {
    if (input.source === 'cases') {
      const contacts = await closedCaseContacts(tx, c.periodFrom, c.periodTo, c.targetUnitIds);
      await tx
        .delete(evaluationFrame)
        .where(and(eq(evaluationFrame.campaignId, id), eq(evaluationFrame.source, 'cases')));
      await insertMany(
        tx,
        evaluationFrame,
        contacts.map((x) => ({
          campaignId: id,
          unitId: x.unitId,
          name: x.name,
          phone: x.phone,
          caseId: x.caseId,
          source: 'cases' as const,
        })),
      );
    }
    const frame = await repo.frame(tx, id, input.source);
    if (!frame.length)
      throw invalid(
        'source',
        input.source === 'cases' ? '统计期内被评价单位没有可抽样的已办结诉求' : '请先导入抽样名单',
        input.source === 'cases' ? 'No closed cases of the target units in the period' : 'Import the frame first',
      );
    const counts = new Map<number, number>();
    for (const r of frame) counts.set(r.unitId, (counts.get(r.unitId) ?? 0) + 1);
    const given = new Map(input.sizes.map((s) => [s.unitId, s.size]));
    const rest = new Map([...counts].filter(([u]) => !given.has(u)));
    const sizes =
      input.total !== undefined
        ? allocate(rest, Math.max(0, input.total - [...given.values()].reduce((a, b) => a + b, 0)))
        : new Map<number, number>();
    for (const [u, s] of given) sizes.set(u, Math.min(s, counts.get(u) ?? 0));
    const drawn = drawSample(frame, sizes, seed);
    await tx.delete(evaluationInvitations).where(eq(evaluationInvitations.campaignId, id));
    await insertMany(
      tx,
      evaluationInvitations,
      drawn.map((r) => ({
        campaignId: id,
        channel: 'sms' as const,
        unitId: r.unitId,
        phone: r.phone,
        name: r.name,
        caseId: r.caseId,
      })),
    );
    const sampling = {
      source: input.source,
      seed,
      at: new Date().toISOString(),
      strata: [...counts]
        .sort((a, b) => a[0] - b[0])
        .map(([unitId, n]) => ({ unitId, frame: n, size: sizes.get(unitId) ?? 0 })),
    };
    await tx.update(evaluationCampaigns).set({ sampling }).where(eq(evaluationCampaigns.id, id));
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.sample',
      entityType: 'evaluation_campaign',
      entityId: id,
      after: { ...sampling, invitations: drawn.length },
    });
    return { invitations: drawn.length, frame: frame.length, seed };
  });
}

const maskPhone = (p: string | null) => (p ? p.replace(/^(\d{3})\d+(\d{4})$/, '$1****$2') : null);

export async function samplePage(
  ctx: Ctx,
  id: number,
  q: { unitId?: number; responded?: '1' | '0'; page: number; pageSize: number },
) {
  const c = await loadManaged(ctx, id);
  const r = await repo.samplePage(ctx.db, id, { ...q, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return {
    total: r.total,
    rows: r.rows.map((x) => ({
      id: Number(x.id),
      channel: x.channel,
      unitName: x.unit_name,
      name: x.user_name ?? x.name,
      phone: maskPhone(x.phone),
      caseId: x.case_id,
      sentAt: iso(x.sent_at),
      reminders: x.reminders,
      // An anonymous campaign shows who answered only as a count per stratum, not per person.
      respondedOn: c.anonymous && x.channel !== 'app' ? (x.responded_on ? '已答' : null) : x.responded_on,
    })),
  };
}

// ---------- opening, sending, reminders ----------

function link(origin: string, salt: string, id: number) {
  return `${origin}${PUBLIC_PATH}${invitationToken(salt, id)}`;
}

/**
 * Opens the campaign (a draft: panel invitations are made for the named evaluators) and sends the SMS
 * invitations not sent yet through the outbox.
 */
export async function sendInvitations(ctx: Ctx, id: number, origin: string): Promise<{ sent: number }> {
  await loadManaged(ctx, id);
  return ctx.db.transaction(async (tx) => {
    const c = (await repo.findCampaign(tx, id, true))!;
    if (c.status !== 'draft' && c.status !== 'open')
      throw new AppError('INVALID_STATE', { zh: '评议活动已结束', en: 'The campaign has ended' });
    if (c.status === 'draft') {
      const panel = await repo.panel(tx, id);
      if (isSampled(c.kind)) {
        if (!c.sampling) throw invalid('sample', '请先抽取样本', 'Draw the sample first');
      } else {
        // A consultation may be answered by the public alone (the QR / open link).
        if (!panel.length && c.kind !== 'consultation')
          throw invalid('panelUserIds', '请先确定评价人名单', 'Name the evaluators first');
        await insertMany(
          tx,
          evaluationInvitations,
          panel.map((p) => ({
            campaignId: id,
            channel: 'app' as const,
            userId: p.id,
            name: p.name,
            sentAt: new Date(),
          })),
        );
      }
      await tx
        .update(evaluationCampaigns)
        .set({ status: 'open', openedAt: new Date() })
        .where(eq(evaluationCampaigns.id, id));
    }
    const due = await tx
      .select({ id: evaluationInvitations.id, phone: evaluationInvitations.phone })
      .from(evaluationInvitations)
      .where(
        and(
          eq(evaluationInvitations.campaignId, id),
          eq(evaluationInvitations.channel, 'sms'),
          isNull(evaluationInvitations.sentAt),
        ),
      );
    const withPhone = due.filter((d) => d.phone);
    await enqueueSms(
      tx,
      withPhone.map((d) => ({
        caseId: null,
        phone: d.phone!,
        template: 'evaluation_invitation' as const,
        params: { title: c.title, link: link(origin, c.salt, d.id) },
      })),
    );
    if (due.length)
      await tx
        .update(evaluationInvitations)
        .set({ sentAt: new Date() })
        .where(
          and(
            eq(evaluationInvitations.campaignId, id),
            eq(evaluationInvitations.channel, 'sms'),
            isNull(evaluationInvitations.sentAt),
          ),
        );
    await recordAudit(tx, ctx.actor, {
      action: c.status === 'draft' ? 'evaluation.open' : 'evaluation.send',
      entityType: 'evaluation_campaign',
      entityId: id,
      after: { sms: withPhone.length },
    });
    return { sent: withPhone.length };
  });
}

/** Reminds the sampled respondents who have not answered (SMS with the same link). */
export async function remind(ctx: Ctx, id: number, origin: string): Promise<{ sent: number }> {
  await loadManaged(ctx, id);
  return ctx.db.transaction(async (tx) => {
    const c = (await repo.findCampaign(tx, id, true))!;
    if (c.status !== 'open')
      throw new AppError('INVALID_STATE', { zh: '评议活动未在进行中', en: 'The campaign is not open' });
    const due = await tx
      .update(evaluationInvitations)
      .set({ remindedAt: new Date(), reminders: sql`${evaluationInvitations.reminders} + 1` })
      .where(
        and(
          eq(evaluationInvitations.campaignId, id),
          eq(evaluationInvitations.channel, 'sms'),
          isNull(evaluationInvitations.respondedOn),
          sql`${evaluationInvitations.sentAt} IS NOT NULL AND ${evaluationInvitations.phone} IS NOT NULL`,
        ),
      )
      .returning({ id: evaluationInvitations.id, phone: evaluationInvitations.phone });
    await enqueueSms(
      tx,
      due.map((d) => ({
        caseId: null,
        phone: d.phone!,
        template: 'evaluation_reminder' as const,
        params: { title: c.title, link: link(origin, c.salt, d.id) },
      })),
    );
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.remind',
      entityType: 'evaluation_campaign',
      entityId: id,
      after: { sms: due.length },
    });
    return { sent: due.length };
  });
}
