// Who sees a task and who may take which step of its flow; shared by the ledger, the field checks and the rounds.
import type { Ctx } from '../../lib/context.js';
import { signedIn } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import { inScope } from '../units/index.js';
import { actionsIn, actorOf, type TaskAction } from './supervision.machine.js';
import * as repo from './supervision.repo.js';

/** The signed-in user, or 401 (the platform's `signedIn` under this module's name). */
export const userOf = signedIn;

/** The ledger's rule for the signed-in user: all (office, main leader) or their units' tasks and those they lead or instructed. */
export async function visibility(ctx: Ctx): Promise<repo.Visibility> {
  const user = userOf(ctx);
  const scope = await ctx.scope();
  return scope.all ? { all: true } : { all: false, unitIds: [...scope.unitIds], userId: user.id };
}

/** A visible task, or 404 (the same answer for a missing task and another unit's task). */
export async function loadVisible(ctx: Ctx, id: number): Promise<repo.TaskRow> {
  const v = await visibility(ctx);
  if (!(await repo.isVisible(ctx.db, v, id))) throw notFound();
  const t = await repo.findTask(ctx.db, id);
  if (!t) throw notFound();
  return t;
}

/** True when the signed-in user may take the action on the task (its status aside). */
export async function mayAct(ctx: Ctx, t: repo.TaskRow, action: TaskAction): Promise<boolean> {
  const user = userOf(ctx);
  const p = user.permissions;
  const scope = await ctx.scope();
  const leads = t.leadUnitId !== null && inScope(scope, t.leadUnitId);
  switch (actorOf(action)) {
    case 'office':
      // The office decides 立项; the rating may also be given by the leader in charge.
      if (p.has('supervision.manage')) return true;
      return (
        (action === 'review' || action === 'rejectCompletion') &&
        p.has('supervision.instruct') &&
        t.leaderId === user.id
      );
    case 'lead':
      return p.has('supervision.report') && leads;
    case 'participant': {
      if (!p.has('supervision.report')) return false;
      if (leads) return true;
      return (await repo.coUnits(ctx.db, t.id)).some((c) => inScope(scope, c.unitId));
    }
    case 'approver':
      return p.has('supervision.instruct') && (t.leaderId === user.id || user.roles.includes('main_leader'));
  }
}

/** The steps of its flow the user may take now on the task. */
export async function allowedActions(ctx: Ctx, t: repo.TaskRow): Promise<TaskAction[]> {
  const out: TaskAction[] = [];
  for (const a of actionsIn(t.status)) if (await mayAct(ctx, t, a)) out.push(a);
  return out;
}

/** The task with its co-units, milestones, instruction, sub-tasks, files, timeline and the user's possible actions. */
