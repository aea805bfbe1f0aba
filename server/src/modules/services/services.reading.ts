/**
 * Government services: reading — the application lists (desk, department, monitor), the department's inbox
 * and an application's detail with the actions the user may take.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import { beijingDate, type CalendarData } from '../../engine/workdays.js';
import { loadCalendar } from '../calendar/index.js';
import { inScope } from '../units/index.js';
import * as m from './services.machine.js';
import * as repo from './services.repo.js';
import type { TAppDetail, TAppList, TAppRow, TListQuery } from './services.schema.js';
import {
  serviceComplaints,
  serviceCorrections,
  serviceEvents,
  serviceFiles,
  serviceItems,
  serviceSteps,
  type Light,
} from './services.table.js';
import { type StepRecord, iso, today, unitNames, userOf } from './services.catalogue.js';
import { clerkMay, loadVisible, visibility } from './services.rows.js';

// ---------- reading ----------

function presentRow(r: repo.AppListRow): TAppRow {
  return {
    id: r.id,
    number: r.number,
    itemName: r.item_name,
    parallel: r.parallel,
    departmentName: r.department_name,
    channel: r.channel,
    applicantName: r.applicant_name,
    status: r.status as TAppRow['status'],
    paused: r.paused,
    committedDays: r.committed_days,
    filedAt: iso(r.filed_at)!,
    acceptedOn: r.accepted_on,
    dueOn: r.due_on,
    light: r.light as Light | null,
    lightReasons: r.light_reasons ?? [],
    anomalies: r.anomalies ?? [],
    result: r.result as TAppRow['result'],
    openSteps: (r.open_steps ?? []).map((s) => ({ ...s, light: s.light as Light | null })),
  };
}

/** The list of applications the user sees (the clerk's desk, the department's list, the monitor with `open`). */
export async function listApplications(ctx: Ctx, q: TListQuery, open = false): Promise<TAppList> {
  const user = userOf(ctx);
  let v = await visibility(ctx);
  if (q.mine === '1')
    v = {
      all: false,
      unitIds: user.permissions.has('services.handle') ? [user.unitId] : [],
      clerkId: user.permissions.has('services.window') ? user.id : null,
    };
  const r = await repo.listApplications(ctx.db, v, {
    open,
    status: q.status,
    light: q.light,
    anomaly: q.anomaly,
    itemId: q.itemId,
    departmentId: q.departmentId,
    q: q.q,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return {
    total: r.total,
    totalCapped: r.capped,
    counts: { green: r.counts.green, yellow: r.counts.yellow, red: r.counts.red, paused: r.counts.paused },
    rows: r.rows.map(presentRow),
  };
}

/** The department's inbox: its open steps, oldest first. */
export async function inbox(ctx: Ctx, q: { status?: string; page: number; pageSize: number }) {
  const scope = await ctx.scope();
  const ids = scope.all ? null : [...scope.unitIds];
  const where = sql.join(
    [
      sql`s.status IN ('pending','signed','correction')`,
      ids
        ? sql`s.department_id IN (${sql.join(
            (ids.length ? ids : [0]).map((i) => sql`${i}`),
            sql`, `,
          )})`
        : sql`true`,
      q.status ? sql`s.status = ${q.status}` : sql`true`,
      sql`s.phase <> 'accept'`,
    ],
    sql` AND `,
  );
  const list = await repo.rows<{
    step_id: number;
    application_id: number;
    number: string;
    item_name: string;
    step_name: string;
    department_name: string;
    status: string;
    started_at: string | Date | null;
    due_on: string | null;
    light: string | null;
  }>(
    ctx.db,
    sql`SELECT s.id::int AS step_id, a.id::int AS application_id, a.number, i.name AS item_name, s.name AS step_name,
               u.name AS department_name, s.status, s.started_at, s.due_on::text AS due_on, s.light
          FROM service_steps s JOIN service_applications a ON a.id = s.application_id
          JOIN service_items i ON i.id = a.item_id JOIN units u ON u.id = s.department_id
         WHERE ${where} ORDER BY s.due_on NULLS LAST, s.id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const [c] = await repo.rows<{ n: number }>(
    ctx.db,
    sql`SELECT count(*)::int AS n FROM service_steps s WHERE ${where}`,
  );
  return {
    total: c.n,
    rows: list.map((r) => ({
      stepId: r.step_id,
      applicationId: r.application_id,
      number: r.number,
      itemName: r.item_name,
      stepName: r.step_name,
      departmentName: r.department_name,
      status: r.status as StepRecord['status'],
      startedAt: iso(r.started_at),
      dueOn: r.due_on,
      light: r.light as Light | null,
    })),
  };
}

function stepDaysUsed(cal: CalendarData, s: StepRecord, on: string): number | null {
  if (!s.startedOn) return null;
  const end = s.endedAt ? beijingDate(s.endedAt) : on;
  const paused = s.pausedDays + (s.pausedSince ? m.daysUsed(cal, s.pausedSince, on, 0) : 0);
  return m.daysUsed(cal, s.startedOn, end, paused);
}

export async function getApplication(ctx: Ctx, id: number): Promise<TAppDetail> {
  const user = userOf(ctx);
  const a = await loadVisible(ctx, id);
  const [names, steps, corrections, files, events, warnings, complaints, cal, [item]] = await Promise.all([
    unitNames(ctx.db),
    ctx.db
      .select()
      .from(serviceSteps)
      .where(eq(serviceSteps.applicationId, id))
      .orderBy(asc(serviceSteps.seq), asc(serviceSteps.id)),
    ctx.db
      .select()
      .from(serviceCorrections)
      .where(eq(serviceCorrections.applicationId, id))
      .orderBy(asc(serviceCorrections.id)),
    ctx.db.select().from(serviceFiles).where(eq(serviceFiles.applicationId, id)).orderBy(asc(serviceFiles.id)),
    ctx.db.select().from(serviceEvents).where(eq(serviceEvents.applicationId, id)).orderBy(asc(serviceEvents.id)),
    repo.rows<{
      id: number;
      level: 'yellow' | 'red';
      at: string | Date;
      notified: number;
      step_name: string | null;
      notice_ref: string | null;
    }>(
      ctx.db,
      sql`SELECT w.id::int AS id, w.level, w.at, w.notified, s.name AS step_name, w.notice_ref FROM service_warnings w
          LEFT JOIN service_steps s ON s.id = w.step_id WHERE w.application_id = ${id} ORDER BY w.id`,
    ),
    ctx.db
      .select()
      .from(serviceComplaints)
      .where(eq(serviceComplaints.applicationId, id))
      .orderBy(asc(serviceComplaints.id)),
    loadCalendar(ctx.db),
    ctx.db.select().from(serviceItems).where(eq(serviceItems.id, a.itemId)),
  ]);
  const on = today();
  const scope = await ctx.scope();
  const p = user.permissions;
  const clerk = await clerkMay(ctx, a);
  const actions: string[] = [];
  if (clerk && a.status === 'submitted')
    actions.push(a.pausedSince ? 'supplement' : 'accept', 'refuse', ...(a.pausedSince ? [] : ['correction']));
  if (
    (clerk || (p.has('services.handle') && inScope(scope, a.departmentId))) &&
    a.pausedSince &&
    a.status !== 'submitted'
  )
    actions.push('supplement');
  if (a.status === 'delivering') {
    const d = steps.find((s) => s.phase === 'deliver');
    if (clerk || (p.has('services.handle') && d && inScope(scope, d.departmentId))) actions.push('deliver');
  }
  for (const s of steps)
    if (p.has('services.handle') && inScope(scope, s.departmentId) && s.phase !== 'accept' && s.phase !== 'deliver') {
      if (s.status === 'pending') actions.push(`sign:${s.id}`, `correction:${s.id}`);
      if (s.status === 'signed') actions.push(`decide:${s.id}`, `correction:${s.id}`);
    }
  if (p.has('services.monitor') && warnings.some((w) => w.level === 'red' && !w.notice_ref)) actions.push('notice');
  const openSteps = steps.filter((s) => ['pending', 'signed', 'correction'].includes(s.status));
  return {
    id: a.id,
    number: a.number,
    itemId: a.itemId,
    itemCode: item?.code ?? '',
    itemName: item?.name ?? '',
    parallel: item?.parallel ?? false,
    departmentName: names.get(a.departmentId) ?? '',
    channel: a.channel,
    applicantName: a.applicantName,
    applicantPhone: a.applicantPhone,
    applicantOrg: a.applicantOrg,
    note: a.note,
    status: a.status,
    paused: a.pausedSince !== null,
    committedDays: a.committedDays,
    filedAt: iso(a.filedAt)!,
    acceptedOn: a.acceptedOn,
    dueOn: a.dueOn,
    light: a.light,
    lightReasons: a.lightReasons,
    anomalies: a.anomalies,
    result: a.result,
    reason: a.reason,
    completedOn: a.completedOn,
    daysUsed: a.daysUsed ?? (a.acceptedOn ? m.daysUsed(cal, a.acceptedOn, a.pausedSince ?? on, a.pausedDays) : null),
    pausedDays: a.pausedDays,
    openSteps: openSteps.map((s) => ({
      name: s.name,
      departmentName: names.get(s.departmentId) ?? '',
      light: s.light,
    })),
    steps: steps.map((s) => ({
      id: s.id,
      seq: s.seq,
      phase: s.phase,
      name: s.name,
      departmentId: s.departmentId,
      departmentName: names.get(s.departmentId) ?? '',
      days: s.days,
      status: s.status,
      decision: s.decision,
      reason: s.reason,
      startedAt: iso(s.startedAt),
      signedAt: iso(s.signedAt),
      endedAt: iso(s.endedAt),
      dueOn: s.dueOn,
      daysUsed: stepDaysUsed(cal, s, on),
      officialName: s.officialName,
      light: s.light,
    })),
    corrections: corrections.map((c) => ({
      id: c.id,
      departmentName: names.get(c.departmentId) ?? '',
      materials: c.materials,
      requestedAt: iso(c.requestedAt)!,
      resolvedAt: iso(c.resolvedAt),
      pausedDays: c.pausedDays,
    })),
    files: files.map((f) => ({ id: f.id, name: f.name, size: f.size, uploadedAt: iso(f.uploadedAt)! })),
    events: events.map((e) => ({ id: e.id, kind: e.kind, actorName: e.actorName, note: e.note, at: iso(e.at)! })),
    warnings: warnings.map((w) => ({
      id: w.id,
      level: w.level,
      at: iso(w.at)!,
      notified: w.notified,
      stepName: w.step_name,
      noticeRef: w.notice_ref,
    })),
    complaints: complaints.map((c) => ({
      id: c.id,
      kind: c.kind,
      status: c.status,
      content: c.content,
      filedAt: iso(c.filedAt)!,
      decideBy: c.decideBy,
    })),
    actions,
  };
}
