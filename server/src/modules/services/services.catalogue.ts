/**
 * Government services: shared helpers (Beijing today, the signed-in user, state errors), the public limits,
 * the module's settings and the catalogue of service items.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { signedIn } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import { recordAudit } from '../audit/index.js';
import { getSetting, setSetting } from '../settings/index.js';
import { assertUnitsExist } from '../units/index.js';
import * as m from './services.machine.js';
import * as repo from './services.repo.js';
import type { TItem, TItemInput, TSettings } from './services.schema.js';
import { ZSettings } from './services.schema.js';
import { serviceApplications, serviceItems, serviceSteps, type ItemStep } from './services.table.js';

export const today = () => beijingDate(new Date());
export const iso = (d: Date | string | null) =>
  d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString();

export type AppRecord = typeof serviceApplications.$inferSelect;
export type StepRecord = typeof serviceSteps.$inferSelect;

/** The signed-in user, or 401 (the platform's `signedIn` under this module's name). */
export const userOf = signedIn;

export function stateError(e: unknown): never {
  if (e instanceof m.StateError) throw new AppError('CONFLICT', { zh: e.zh, en: e.en });
  throw e;
}

/** Applications per hour one address may file online. */
export const PUBLIC_FILINGS_PER_HOUR = 20;
/** Tracking failures allowed per address in 15 minutes (and per number and address). */
export const TRACK_LIMITS = { perPair: 5, perIp: 30, windowMinutes: 15 } as const;

// ---------- settings ----------

const SETTINGS_KEY = 'services.settings';
export async function getServiceSettings(db: Db): Promise<TSettings> {
  return (await getSetting(db, SETTINGS_KEY, ZSettings)) ?? { trackOfficial: 'name' };
}
export async function putServiceSettings(ctx: Ctx, v: TSettings): Promise<TSettings> {
  await ctx.db.transaction(async (tx) => {
    const before = await getServiceSettings(tx);
    await setSetting(tx, SETTINGS_KEY, v);
    await recordAudit(tx, ctx.actor, {
      action: 'services.settings',
      entityType: 'app_setting',
      entityId: SETTINGS_KEY,
      before,
      after: v,
    });
  });
  return v;
}
/** The staff number shown instead of a name when the setting says so. */
export const staffNumber = (userId: number) => `工号 ${String(userId).padStart(5, '0')}`;

// ---------- catalogue ----------

export async function unitNames(db: Db): Promise<Map<number, string>> {
  const r = await repo.rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM units`);
  return new Map(r.map((u) => [u.id, u.name]));
}

function presentItem(i: typeof serviceItems.$inferSelect, names: Map<number, string>): TItem {
  return {
    id: i.id,
    code: i.code,
    name: i.name,
    kind: i.kind,
    departmentId: i.departmentId,
    departmentName: names.get(i.departmentId) ?? '',
    legalDays: i.legalDays,
    committedDays: i.committedDays,
    materials: i.materials,
    fees: i.fees,
    channel: i.channel,
    guide: i.guide,
    steps: [...i.steps]
      .sort((a, b) => a.seq - b.seq)
      .map((s) => ({ ...s, departmentName: names.get(s.departmentId) ?? '' })),
    parallel: i.parallel,
    active: i.active,
  };
}

export async function listItems(
  db: Db,
  q: { q?: string; kind?: string; departmentId?: number },
  activeOnly: boolean,
): Promise<TItem[]> {
  const w = [];
  if (activeOnly) w.push(eq(serviceItems.active, true));
  if (q.kind) w.push(eq(serviceItems.kind, q.kind as TItem['kind']));
  if (q.departmentId) w.push(eq(serviceItems.departmentId, q.departmentId));
  if (q.q)
    w.push(
      sql`(${serviceItems.name} LIKE ${'%' + q.q.replace(/[\\%_]/g, '\\$&') + '%'} OR ${serviceItems.code} = ${q.q})`,
    );
  const [list, names] = await Promise.all([
    db
      .select()
      .from(serviceItems)
      .where(w.length ? and(...w) : undefined)
      .orderBy(asc(serviceItems.code)),
    unitNames(db),
  ]);
  return list.map((i) => presentItem(i, names));
}

export async function getItem(db: Db, id: number, activeOnly: boolean): Promise<TItem> {
  const [i] = await db.select().from(serviceItems).where(eq(serviceItems.id, id));
  if (!i || (activeOnly && !i.active)) throw notFound();
  return presentItem(i, await unitNames(db));
}

const isParallel = (steps: readonly ItemStep[]) => steps.some((s) => steps.filter((x) => x.seq === s.seq).length > 1);

async function checkItem(db: Db, v: TItemInput): Promise<void> {
  await assertUnitsExist(db, [v.departmentId], 'departmentId');
  await assertUnitsExist(
    db,
    v.steps.map((s) => s.departmentId),
    'steps',
  );
}

/** Creates or updates (by id) a catalogue item; the code is unique. */
export async function saveItem(ctx: Ctx, id: number | null, v: TItemInput): Promise<TItem> {
  await checkItem(ctx.db, v);
  const saved = await ctx.db.transaction(async (tx) => {
    const [dup] = await tx.select({ id: serviceItems.id }).from(serviceItems).where(eq(serviceItems.code, v.code));
    if (dup && dup.id !== id) throw invalid('code', '事项编码已存在', 'The item code is taken');
    const values = { ...v, parallel: isParallel(v.steps), updatedAt: new Date() };
    let before: unknown = null;
    let row;
    if (id === null) {
      [row] = await tx.insert(serviceItems).values(values).returning();
    } else {
      [before] = await tx.select().from(serviceItems).where(eq(serviceItems.id, id)).for('update');
      if (!before) throw notFound();
      [row] = await tx.update(serviceItems).set(values).where(eq(serviceItems.id, id)).returning();
    }
    await recordAudit(tx, ctx.actor, {
      action: id === null ? 'services.item_create' : 'services.item_update',
      entityType: 'service_item',
      entityId: row.id,
      unitId: row.departmentId,
      before,
      after: v,
    });
    return row;
  });
  return presentItem(saved, await unitNames(ctx.db));
}
