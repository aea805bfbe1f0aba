/**
 * Government services, the 监察 body: complaints (online and hotline, accepted or declined within 5 working
 * days) and the 监察建议书 for a red application.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { addWorkingDays, beijingMonth } from '../../engine/workdays.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { issueNotice } from '../notices/index.js';
import * as repo from './services.repo.js';
import type { TAppDetail, TTrack } from './services.schema.js';
import { serviceApplications, serviceComplaints, serviceEvents, serviceItems } from './services.table.js';
import { type AppRecord, iso, today, userOf } from './services.catalogue.js';
import { loadVisible } from './services.rows.js';
import { getApplication } from './services.reading.js';
import { authenticate } from './services.public.js';

async function insertComplaint(
  db: Db,
  actor: Actor,
  a: AppRecord,
  v: { kind: (typeof serviceComplaints.$inferInsert)['kind']; content: string; channel: 'public' | 'hotline' },
): Promise<{ id: number; decideBy: string }> {
  const cal = await loadCalendar(db);
  const decideBy = addWorkingDays(cal, today(), 5);
  return db.transaction(async (tx) => {
    const [c] = await tx
      .insert(serviceComplaints)
      .values({
        applicationId: a.id,
        departmentId: a.departmentId,
        channel: v.channel,
        kind: v.kind,
        content: v.content,
        decideBy,
      })
      .returning({ id: serviceComplaints.id });
    await repo.bumpStats(tx, a.departmentId, beijingMonth(new Date()), { complaints: 1 });
    await recordAudit(tx, actor, {
      action: 'services.complaint',
      entityType: 'service_complaint',
      entityId: c.id,
      unitId: a.departmentId,
      after: { applicationId: a.id, kind: v.kind, channel: v.channel },
    });
    return { id: c.id, decideBy };
  });
}

export async function complainPublic(
  db: Db,
  input: TTrack & { kind: (typeof serviceComplaints.$inferInsert)['kind']; content: string },
  ip: string,
) {
  const a = await authenticate(db, input, ip);
  const [n] = await repo.rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM service_complaints WHERE application_id = ${a.id} AND filed_at > now() - interval '1 day'`,
  );
  if (n.n >= 3) throw new AppError('TOO_MANY_REQUESTS');
  return insertComplaint(db, { id: null, name: 'applicant', ip }, a, { ...input, channel: 'public' });
}

/** A complaint taken on the hotline by the 监察 body. */
export async function complainHotline(
  ctx: Ctx,
  input: { number: string; kind: (typeof serviceComplaints.$inferInsert)['kind']; content: string },
) {
  const [a] = await ctx.db.select().from(serviceApplications).where(eq(serviceApplications.number, input.number));
  if (!a) throw invalid('number', '办件编号不存在', 'No such application number');
  return insertComplaint(ctx.db, ctx.actor, a, { ...input, channel: 'hotline' });
}

export async function listComplaints(ctx: Ctx, q: { status?: string; page: number; pageSize: number }) {
  const where = q.status ? sql`c.status = ${q.status}` : sql`true`;
  const list = await repo.rows<{
    id: number;
    application_id: number;
    number: string;
    department_name: string;
    channel: 'public' | 'hotline';
    kind: (typeof serviceComplaints.$inferSelect)['kind'];
    content: string;
    filed_at: string | Date;
    decide_by: string;
    status: (typeof serviceComplaints.$inferSelect)['status'];
    decision_note: string | null;
  }>(
    ctx.db,
    sql`SELECT c.id::int AS id, c.application_id::int AS application_id, a.number, u.name AS department_name, c.channel, c.kind,
               c.content, c.filed_at, c.decide_by::text AS decide_by, c.status, c.decision_note
          FROM service_complaints c JOIN service_applications a ON a.id = c.application_id JOIN units u ON u.id = c.department_id
         WHERE ${where} ORDER BY c.status = 'pending' DESC, c.decide_by, c.id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const [c] = await repo.rows<{ n: number }>(
    ctx.db,
    sql`SELECT count(*)::int AS n FROM service_complaints c WHERE ${where}`,
  );
  return {
    total: c.n,
    rows: list.map((r) => ({
      id: r.id,
      applicationId: r.application_id,
      number: r.number,
      departmentName: r.department_name,
      channel: r.channel,
      kind: r.kind,
      content: r.content,
      filedAt: iso(r.filed_at)!,
      decideBy: r.decide_by,
      status: r.status,
      decisionNote: r.decision_note,
    })),
  };
}

const COMPLAINT_FLOW: Record<string, { from: string; to: 'accepted' | 'declined' | 'resolved' }> = {
  accept: { from: 'pending', to: 'accepted' },
  decline: { from: 'pending', to: 'declined' },
  resolve: { from: 'accepted', to: 'resolved' },
};

/** The 监察 body accepts or declines a complaint (within 5 working days), then records its result. */
export async function decideComplaint(
  ctx: Ctx,
  id: number,
  v: { decision: 'accept' | 'decline' | 'resolve'; note: string },
) {
  const user = userOf(ctx);
  await ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(serviceComplaints).where(eq(serviceComplaints.id, id)).for('update');
    if (!c) throw notFound();
    const flow = COMPLAINT_FLOW[v.decision];
    if (c.status !== flow.from)
      throw new AppError('CONFLICT', {
        zh: '投诉当前状态不能进行该操作',
        en: 'The complaint is not in a state for this',
      });
    await tx
      .update(serviceComplaints)
      .set({ status: flow.to, decisionNote: v.note, decidedBy: user.id, decidedAt: new Date() })
      .where(eq(serviceComplaints.id, id));
    if (c.kind === 'refused_complete' && flow.to === 'accepted')
      await tx.execute(
        sql`UPDATE service_applications SET anomalies = anomalies || '["refused_complete"]'::jsonb WHERE id = ${c.applicationId} AND NOT anomalies ? 'refused_complete'`,
      );
    await tx.insert(serviceEvents).values({
      applicationId: c.applicationId,
      kind: `complaint_${v.decision}`,
      actorId: user.id,
      actorName: user.displayName,
      note: v.note,
    });
    await recordAudit(tx, ctx.actor, {
      action: `services.complaint_${v.decision}`,
      entityType: 'service_complaint',
      entityId: id,
      unitId: c.departmentId,
      before: { status: c.status },
      after: { status: flow.to, note: v.note },
    });
  });
  return listComplaints(ctx, { page: 1, pageSize: 20 });
}

/**
 * The 监察 body issues a 监察建议书 to the department of a red application (notices module, in one
 * transaction with the warning it answers and the timeline entry); its reply is tracked by the notices module.
 */
export async function issueSupervisionNotice(
  ctx: Ctx,
  id: number,
  v: { findings: string; actions: string; deadline: string },
): Promise<TAppDetail> {
  const user = userOf(ctx);
  const a = await loadVisible(ctx, id);
  if (!user.permissions.has('services.monitor')) throw forbidden();
  await ctx.db.transaction(async (tx) => {
    const [red] = await repo.rows<{ id: number; notice_ref: string | null }>(
      tx,
      sql`SELECT id::int AS id, notice_ref FROM service_warnings WHERE application_id = ${id} AND level = 'red' ORDER BY id DESC LIMIT 1 FOR UPDATE`,
    );
    if (!red)
      throw new AppError('CONFLICT', {
        zh: '该办件没有红牌预警，不能下发监察建议书',
        en: 'The application has no red warning',
      });
    if (red.notice_ref)
      throw new AppError('CONFLICT', {
        zh: `已下发监察建议书 ${red.notice_ref}`,
        en: `Notice ${red.notice_ref} already issued`,
      });
    const [item] = await tx.select({ name: serviceItems.name }).from(serviceItems).where(eq(serviceItems.id, a.itemId));
    const n = await issueNotice(tx, {
      kind: 'supervision_advice',
      unitId: a.departmentId,
      title: `关于办件${a.number}（${item?.name ?? ''}）超时的监察建议书`,
      findings: v.findings,
      actions: v.actions,
      deadline: v.deadline,
      sourceKind: 'application',
      sourceId: id,
      issuedBy: user.id,
      actor: ctx.actor,
    });
    await tx.execute(sql`UPDATE service_warnings SET notice_ref = ${n.number} WHERE id = ${red.id}`);
    await tx.insert(serviceEvents).values({
      applicationId: id,
      kind: 'notice',
      actorId: user.id,
      actorName: user.displayName,
      note: `监察建议书 ${n.number}`,
    });
  });
  return getApplication(ctx, id);
}
