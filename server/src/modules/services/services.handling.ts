/**
 * Government services: handling an application — the window's actions (accept, refuse, 补正, supplement,
 * deliver), the departments' step actions (sign, decide), material files.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Ctx } from '../../lib/context.js';
import { forbidden, invalid, notFound } from '../../lib/errors.js';
import { beijingMonth } from '../../engine/workdays.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { inviteRating } from '../ratings/index.js';
import { evidenceKey } from '../reporting/index.js';
import { inScope } from '../units/index.js';
import * as m from './services.machine.js';
import * as repo from './services.repo.js';
import type { TAppDetail } from './services.schema.js';
import {
  serviceApplications,
  serviceCorrections,
  serviceEvents,
  serviceFiles,
  serviceItems,
  serviceSteps,
} from './services.table.js';
import { stateError, today, userOf } from './services.catalogue.js';
import { type IncomingFile, storeFiles } from './services.filing.js';
import { type Action, clerkMay, countCompletion, loadForUpdate, loadVisible, persist } from './services.rows.js';
import { getApplication } from './services.reading.js';

/** The window's actions on an application: accept, refuse acceptance, ask for materials before acceptance, record materials, deliver. */
export async function windowAction(
  ctx: Ctx,
  id: number,
  action: Exclude<Action, 'sign' | 'decide'>,
  body: { reason?: string; note?: string; materials?: string; stepId?: number },
): Promise<TAppDetail> {
  const user = userOf(ctx);
  const a0 = await loadVisible(ctx, id);
  const cal = await loadCalendar(ctx.db);
  const on = today();
  await ctx.db.transaction(async (tx) => {
    const l = await loadForUpdate(tx, id);
    const official = { id: user.id, name: user.displayName };
    const extra: Partial<typeof serviceApplications.$inferInsert> = {};
    let note = body.note ?? body.reason ?? body.materials ?? '';
    let stepId: number | null = null;
    try {
      switch (action) {
        case 'accept':
          if (!(await clerkMay(ctx, a0))) throw forbidden();
          m.accept(cal, l.app, l.msteps, on);
          extra.acceptedBy = user.id;
          break;
        case 'refuse':
          if (!(await clerkMay(ctx, a0))) throw forbidden();
          m.refuseAcceptance(l.app, l.msteps, body.reason!, on);
          extra.acceptedBy = user.id;
          extra.completedAt = new Date();
          break;
        case 'correction': {
          const step = body.stepId ? l.msteps.find((s) => s.id === body.stepId) : null;
          if (body.stepId && !step) throw invalid('stepId', '环节不存在', 'No such step');
          if (step) {
            if (!user.permissions.has('services.handle') || !inScope(await ctx.scope(), step.departmentId))
              throw forbidden();
          } else if (!(await clerkMay(ctx, a0))) throw forbidden();
          m.requestCorrection(l.app, step ?? null, on);
          stepId = step?.id ?? null;
          const dept = step?.departmentId ?? l.a.departmentId;
          await tx.insert(serviceCorrections).values({
            applicationId: id,
            stepId,
            departmentId: dept,
            materials: body.materials!,
            requestedBy: user.id,
            requestedOn: on,
          });
          await repo.bumpStats(tx, dept, beijingMonth(new Date()), { corrections: 1 });
          break;
        }
        case 'supplement': {
          const mayHandle = user.permissions.has('services.handle') && inScope(await ctx.scope(), l.a.departmentId);
          if (!(await clerkMay(ctx, a0)) && !mayHandle) throw forbidden();
          const r = m.supplement(cal, l.app, l.msteps, on);
          await tx
            .update(serviceCorrections)
            .set({ resolvedAt: new Date(), pausedDays: r.pausedDays })
            .where(and(eq(serviceCorrections.applicationId, id), sql`${serviceCorrections.resolvedAt} IS NULL`));
          note = note || '补正材料已收到';
          break;
        }
        case 'deliver': {
          const deliverStep = l.msteps.find((s) => s.phase === 'deliver');
          const mayHandle =
            user.permissions.has('services.handle') &&
            deliverStep !== undefined &&
            inScope(await ctx.scope(), deliverStep.departmentId);
          if (!(await clerkMay(ctx, a0)) && !mayHandle) throw forbidden();
          m.deliver(cal, l.app, l.msteps, on);
          extra.completedAt = new Date();
          break;
        }
      }
    } catch (e) {
      stateError(e);
    }
    await persist(tx, l, on, official, extra);
    await countCompletion(tx, l);
    // 好差评: the applicant is invited to rate every completed application (ratings module, in this transaction).
    if (action === 'deliver') {
      const [item] = await tx
        .select({ name: serviceItems.name })
        .from(serviceItems)
        .where(eq(serviceItems.id, l.a.itemId));
      await inviteRating(tx, {
        subjectKind: 'application',
        subjectId: id,
        subjectRef: l.a.number,
        subjectTitle: item?.name ?? '',
        unitId: l.a.departmentId,
        phone: l.a.applicantPhone,
        actor: ctx.actor,
      });
    }
    await tx
      .insert(serviceEvents)
      .values({ applicationId: id, stepId, kind: action, actorId: user.id, actorName: user.displayName, note });
    await recordAudit(tx, ctx.actor, {
      action: `services.${action}`,
      entityType: 'service_application',
      entityId: id,
      unitId: l.a.departmentId,
      before: { status: l.a.status },
      after: { status: l.app.status, ...body },
    });
  });
  return getApplication(ctx, id);
}

/** A department's actions on its step: sign for it, decide it (approve / refuse with reason). */
export async function stepAction(
  ctx: Ctx,
  stepId: number,
  action: 'sign' | 'decide',
  body: { decision?: 'approve' | 'refuse'; reason?: string },
): Promise<TAppDetail> {
  const user = userOf(ctx);
  const [s0] = await ctx.db.select().from(serviceSteps).where(eq(serviceSteps.id, stepId));
  const scope = await ctx.scope();
  if (!s0 || !inScope(scope, s0.departmentId)) throw notFound();
  const id = s0.applicationId;
  const cal = await loadCalendar(ctx.db);
  const on = today();
  await ctx.db.transaction(async (tx) => {
    const l = await loadForUpdate(tx, id);
    const step = l.msteps.find((s) => s.id === stepId)!;
    try {
      if (action === 'sign') m.sign(step);
      else m.decide(cal, l.app, l.msteps, step, body.decision!, body.reason?.trim() || null, on);
    } catch (e) {
      stateError(e);
    }
    await persist(
      tx,
      l,
      on,
      { id: user.id, name: user.displayName },
      l.app.result && !l.a.result ? { decidedAt: new Date() } : {},
    );
    await tx.insert(serviceEvents).values({
      applicationId: id,
      stepId,
      kind: action === 'sign' ? 'sign' : body.decision!,
      actorId: user.id,
      actorName: user.displayName,
      note: body.reason ?? '',
    });
    await recordAudit(tx, ctx.actor, {
      action: `services.step_${action}`,
      entityType: 'service_step',
      entityId: stepId,
      unitId: step.departmentId,
      before: { status: l.steps.find((s) => s.id === stepId)!.status },
      after: { status: step.status, ...body },
    });
  });
  return getApplication(ctx, id);
}

/** Adds material files to a visible application (window or department). */
export async function addFiles(ctx: Ctx, id: number, files: IncomingFile[], blobs: BlobStore): Promise<TAppDetail> {
  const user = userOf(ctx);
  if (!files.length) throw invalid('file', '请选择要上传的文件', 'No file was uploaded');
  const a = await loadVisible(ctx, id);
  const mayHandle = user.permissions.has('services.handle') && inScope(await ctx.scope(), a.departmentId);
  if (!(await clerkMay(ctx, a)) && !mayHandle && !user.permissions.has('services.monitor')) throw forbidden();
  const stored = await storeFiles(files, blobs);
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(serviceFiles)
      .values(stored.map((f) => ({ applicationId: id, sha256: f.sha, name: f.name, mime: f.mime, size: f.size })));
    await recordAudit(tx, ctx.actor, {
      action: 'services.files',
      entityType: 'service_application',
      entityId: id,
      unitId: a.departmentId,
      after: stored.map((f) => ({ name: f.name, sha256: f.sha, size: f.size })),
    });
  });
  return getApplication(ctx, id);
}

export async function openFile(ctx: Ctx, fileId: number, blobs: BlobStore) {
  const [f] = await ctx.db.select().from(serviceFiles).where(eq(serviceFiles.id, fileId));
  if (!f) throw notFound();
  await loadVisible(ctx, f.applicationId);
  const data = await blobs.get(evidenceKey(f.sha256));
  if (!data) throw notFound();
  return { name: f.name, mime: f.mime, size: f.size, data };
}
