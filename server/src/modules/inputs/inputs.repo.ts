/** Reads of the score inputs (what scoring loads, explains and publishes). */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { scoreInputs } from './inputs.table.js';

export type InputRowDb = typeof scoreInputs.$inferSelect;

/** The values of a year's inputs (what the model needs; provenance is read on demand). */
export async function yearInputValues(db: Db, yearId: number) {
  return db
    .select({ indicatorId: scoreInputs.indicatorId, unitId: scoreInputs.unitId, period: scoreInputs.period, value: scoreInputs.value, fields: scoreInputs.fields })
    .from(scoreInputs)
    .where(eq(scoreInputs.yearId, yearId));
}

/** Inputs of one indicator (all units), for a sandbox formula that needs form fields. */
export async function indicatorInputs(db: Db, yearId: number, indicatorIds: number[]) {
  if (!indicatorIds.length) return [];
  return db
    .select({ indicatorId: scoreInputs.indicatorId, unitId: scoreInputs.unitId, period: scoreInputs.period, fields: scoreInputs.fields })
    .from(scoreInputs)
    .where(and(eq(scoreInputs.yearId, yearId), inArray(scoreInputs.indicatorId, indicatorIds)));
}

/** Inputs with provenance of some indicators for one unit (explanations). */
export async function unitInputs(db: Db, yearId: number, unitId: number, indicatorIds?: number[]) {
  const where = indicatorIds?.length
    ? and(eq(scoreInputs.yearId, yearId), eq(scoreInputs.unitId, unitId), inArray(scoreInputs.indicatorId, indicatorIds))
    : and(eq(scoreInputs.yearId, yearId), eq(scoreInputs.unitId, unitId));
  return db.select().from(scoreInputs).where(where).orderBy(asc(scoreInputs.indicatorId), asc(scoreInputs.period));
}

/** Every input of a year with provenance up to a month (publication snapshots). */
export async function yearInputsUpTo(db: Db, yearId: number, lastPeriod: string) {
  return db
    .select()
    .from(scoreInputs)
    .where(and(eq(scoreInputs.yearId, yearId), sql`${scoreInputs.period} <= ${lastPeriod}`));
}

export async function findInput(db: Db, indicatorId: number, unitId: number, period: string): Promise<InputRowDb | null> {
  const rows = await db
    .select()
    .from(scoreInputs)
    .where(and(eq(scoreInputs.indicatorId, indicatorId), eq(scoreInputs.unitId, unitId), eq(scoreInputs.period, period)));
  return rows[0] ?? null;
}
