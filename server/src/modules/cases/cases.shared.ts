/**
 * 12345 cases: helpers every section of cases.service uses — actors, the viewer, the unit/category directory, changing a case, notices, row locks.
 */
import type { Db } from '../../db/client.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { signedIn } from '../../lib/context.js';
import { AppError, notFound } from '../../lib/errors.js';
import { categoryPath, unitDirectory, type UnitInfo } from './cases.config.js';
import { type MachineActor } from './cases.dispatching.js';
import { recordCaseEvent, type CaseActor, type CaseEventInput } from './cases.events.js';
import { dispatchTransition, type CaseAction, type DispatchAction, type DispatchStatus } from './cases.machine.js';
import { mustTransition, viewerOf, type Viewer } from './cases.policy.js';
import * as repo from './cases.repo.js';

/** Citizens' web submissions per IP address per hour. */
export const PUBLIC_SUBMISSIONS_PER_HOUR = 10;

export type StaffRole = 'agent' | 'handler' | 'supervisor' | 'reviewer';

/** The timeline actor for a signed-in user acting in a role. */
export function staffActor(ctx: Ctx, role: StaffRole): MachineActor {
  const user = signedIn(ctx);
  return { actor: ctx.actor, name: user.displayName, role, userId: user.id, unitId: user.unitId };
}

/** The timeline actor for a citizen using the public pages. */
export function citizenActor(ip: string | null): MachineActor {
  return { actor: { id: null, name: 'citizen', ip }, name: '市民', role: 'citizen', userId: null, unitId: null };
}

/** The timeline actor for another system (Open311 client, city platform). */
export function systemActor(name: string, actor: Actor): CaseActor {
  return { actor, name, role: 'system', userId: null, unitId: null };
}

export async function viewer(ctx: Ctx): Promise<Viewer> {
  return viewerOf(signedIn(ctx), await ctx.scope());
}

export type Directory = {
  units: Map<number, UnitInfo>;
  categories: readonly repo.CategoryRow[];
  unitName(id: number | null): string | null;
  categoryName(id: number): string;
};

export async function directory(db: Db): Promise<Directory> {
  const [units, categories] = await Promise.all([unitDirectory(db), repo.listCategories(db)]);
  return {
    units,
    categories,
    unitName: (id) => (id === null ? null : (units.get(id)?.name ?? null)),
    categoryName: (id) => categoryPath(categories, id),
  };
}

/** A Directory of the categories and only the units a list page names. */
export async function pageDirectory(
  db: Db,
  categories: readonly repo.CategoryRow[],
  unitIds: (number | null)[],
): Promise<Directory> {
  const units = await repo.unitNames(
    db,
    unitIds.filter((u): u is number => u !== null),
  );
  return {
    units,
    categories,
    unitName: (id) => (id === null ? null : (units.get(id)?.name ?? null)),
    categoryName: (id) => categoryPath(categories, id),
  };
}

/** The one function through which a case changes state: checks the machine, updates the row, writes the event. */
export async function changeCase(
  tx: Db,
  by: MachineActor,
  c: repo.CaseRow,
  action: CaseAction,
  patch: Partial<repo.NewCase>,
  event: Omit<CaseEventInput, 'fromStatus' | 'toStatus'>,
): Promise<repo.CaseRow> {
  const to = mustTransition(c.status, action, by.role);
  const updated = await repo.updateCase(tx, c.id, { ...patch, status: to });
  await recordCaseEvent(tx, by, updated, { ...event, fromStatus: c.status, toStatus: to });
  return updated;
}

export function moveDispatch(d: repo.DispatchRow, action: DispatchAction): DispatchStatus {
  const to = dispatchTransition(d.status, action);
  if (!to) throw new AppError('INVALID_STATE');
  return to;
}

export async function notify(
  tx: Db,
  by: CaseActor,
  caseId: number,
  unitIds: number[],
  kind: string,
  text: string,
): Promise<void> {
  await repo.insertNotices(
    tx,
    [...new Set(unitIds)].map((unitId) => ({ caseId, unitId, kind, text, actorName: by.name })),
  );
}

export async function lockedCase(tx: Db, id: number): Promise<repo.CaseRow> {
  const c = await repo.lockCase(tx, id);
  if (!c) throw notFound();
  return c;
}
