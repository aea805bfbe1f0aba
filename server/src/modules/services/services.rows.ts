/**
 * Government services: who sees an application, and the state machine on stored rows — loading an application
 * with its steps for update, writing back what the machine changed, the completion figures, the clerk's rights.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import * as m from './services.machine.js';
import * as repo from './services.repo.js';
import { serviceApplications, serviceSteps, type Light } from './services.table.js';
import { type AppRecord, type StepRecord, userOf } from './services.catalogue.js';

// ---------- visibility ----------

export async function visibility(ctx: Ctx): Promise<repo.Visibility> {
  const user = userOf(ctx);
  const scope = await ctx.scope();
  if (user.permissions.has('services.monitor') || (scope.all && user.permissions.has('services.stats')))
    return { all: true };
  const dept = user.permissions.has('services.handle') || user.permissions.has('services.stats');
  return {
    all: false,
    unitIds: dept ? (scope.all ? [] : [...scope.unitIds]) : [],
    clerkId: user.permissions.has('services.window') ? user.id : null,
  };
}

export async function loadVisible(ctx: Ctx, id: number): Promise<AppRecord> {
  const v = await visibility(ctx);
  const [ok] = await repo.rows<{ id: number }>(
    ctx.db,
    sql`SELECT a.id::int AS id FROM service_applications a WHERE a.id = ${id} AND ${repo.visibleSql(v)}`,
  );
  if (!ok) throw notFound();
  const [a] = await ctx.db.select().from(serviceApplications).where(eq(serviceApplications.id, id));
  if (!a) throw notFound();
  return a;
}

// ---------- the machine on stored rows ----------

const toMApp = (a: AppRecord): m.MApp => ({
  status: a.status,
  stage: a.stage,
  committedDays: a.committedDays,
  acceptedOn: a.acceptedOn,
  dueOn: a.dueOn,
  yellowOn: a.yellowOn,
  pausedSince: a.pausedSince,
  pausedDays: a.pausedDays,
  result: a.result,
  reason: a.reason,
  completedOn: a.completedOn,
  daysUsed: a.daysUsed,
});
const toMStep = (s: StepRecord): m.MStep => ({
  id: s.id,
  seq: s.seq,
  phase: s.phase,
  departmentId: s.departmentId,
  days: s.days,
  status: s.status,
  decision: s.decision,
  reason: s.reason,
  startedOn: s.startedOn,
  dueOn: s.dueOn,
  yellowOn: s.yellowOn,
  pausedSince: s.pausedSince,
  pausedDays: s.pausedDays,
});

type Loaded = { a: AppRecord; steps: StepRecord[]; app: m.MApp; msteps: m.MStep[] };

export async function loadForUpdate(tx: Db, id: number): Promise<Loaded> {
  const [a] = await tx.select().from(serviceApplications).where(eq(serviceApplications.id, id)).for('update');
  if (!a) throw notFound();
  const steps = await tx
    .select()
    .from(serviceSteps)
    .where(eq(serviceSteps.applicationId, id))
    .orderBy(asc(serviceSteps.seq), asc(serviceSteps.id));
  return { a, steps, app: toMApp(a), msteps: steps.map(toMStep) };
}

/** Writes back what the machine changed: the application, and each step whose fields differ; stamps times and officials. */
export async function persist(
  tx: Db,
  l: Loaded,
  on: string,
  official: { id: number | null; name: string },
  extra: Partial<typeof serviceApplications.$inferInsert> = {},
): Promise<void> {
  const now = new Date();
  const stepLights: Light[] = [];
  for (let i = 0; i < l.steps.length; i++) {
    const before = l.steps[i];
    const s = l.msteps[i];
    const light = ['pending', 'signed', 'correction'].includes(s.status) ? m.clockLight(s, on) : null;
    if (light) stepLights.push(light);
    const changed =
      before.status !== s.status ||
      before.dueOn !== s.dueOn ||
      before.pausedSince !== s.pausedSince ||
      before.light !== light;
    if (!changed) continue;
    const patch: Partial<typeof serviceSteps.$inferInsert> = {
      status: s.status,
      decision: s.decision,
      reason: s.reason,
      startedOn: s.startedOn,
      dueOn: s.dueOn,
      yellowOn: s.yellowOn,
      pausedSince: s.pausedSince,
      pausedDays: s.pausedDays,
      light,
    };
    if (before.status === 'waiting' && s.status === 'pending') patch.startedAt = now;
    if (s.status === 'signed' && before.status === 'pending') {
      patch.signedAt = now;
      patch.officialId = official.id;
      patch.officialName = official.name;
    }
    if ((s.status === 'done' || s.status === 'cancelled') && before.status !== s.status) {
      patch.endedAt = now;
      if (s.status === 'done' && !before.officialName) {
        patch.officialId = official.id;
        patch.officialName = official.name;
        patch.signedAt = before.signedAt ?? now;
        patch.startedAt = before.startedAt ?? now;
      }
    }
    await tx.update(serviceSteps).set(patch).where(eq(serviceSteps.id, before.id));
  }
  const lit = m.applicationLight(l.app, l.msteps, on);
  await tx
    .update(serviceApplications)
    .set({
      status: l.app.status,
      stage: l.app.stage,
      acceptedOn: l.app.acceptedOn,
      dueOn: l.app.dueOn,
      yellowOn: l.app.yellowOn,
      pausedSince: l.app.pausedSince,
      pausedDays: l.app.pausedDays,
      result: l.app.result,
      reason: l.app.reason,
      completedOn: l.app.completedOn,
      daysUsed: l.app.daysUsed,
      light: lit.light,
      lightReasons: lit.reasons,
      ...extra,
    })
    .where(eq(serviceApplications.id, l.a.id));
}

/** Completion figures of the month of completion. */
export async function countCompletion(tx: Db, l: Loaded): Promise<void> {
  if (l.app.status === 'completed' && l.app.daysUsed !== null) {
    const t = m.timeliness(l.app.daysUsed, l.app.committedDays);
    await repo.bumpStats(tx, l.a.departmentId, l.app.completedOn!.slice(0, 7), {
      completed: 1,
      early: t === 'early' ? 1 : 0,
      on_time: t !== 'overdue' ? 1 : 0,
      overdue: t === 'overdue' ? 1 : 0,
      refused: l.app.result === 'refused' ? 1 : 0,
      days_used: l.app.daysUsed,
      days_committed: l.app.committedDays,
    });
  }
}

export type Action = 'accept' | 'refuse' | 'correction' | 'supplement' | 'deliver' | 'sign' | 'decide';

export async function clerkMay(ctx: Ctx, a: AppRecord): Promise<boolean> {
  const user = userOf(ctx);
  if (!user.permissions.has('services.window')) return false;
  return a.channel === 'online' || a.filedBy === user.id || a.acceptedBy === user.id;
}
