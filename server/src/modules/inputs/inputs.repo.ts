/** Reads of the score inputs (what scoring loads, explains and publishes). */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { scoreInputs } from './inputs.table.js';

export type InputRowDb = typeof scoreInputs.$inferSelect;

/**
 * Every input value of a year, for the engine: the value as a float and the form fields only of the
 * `fieldIndicatorIds` (formula leaves; NULL for the others) — reading and parsing every row's fields took
 * most of a cold build at 1,000 units (issue 19). One raw query, no per-row mapping.
 */
export async function yearInputValues(
  db: Db,
  yearId: number,
  fieldIndicatorIds: readonly number[],
): Promise<
  {
    indicatorId: number;
    unitId: number;
    period: string;
    value: number | null;
    fields: Record<string, unknown> | null;
  }[]
> {
  const ids = fieldIndicatorIds.length
    ? sql.join(
        fieldIndicatorIds.map((i) => sql`${i}::int`),
        sql`, `,
      )
    : sql`NULL::int`;
  // One JSON array per slice of units instead of a row per input: the embedded database decodes a
  // row field by field, and a year of a city (250,000 inputs) took 2.7–3.9 s as rows, 1.0 s as JSON.
  const res = (await db.execute(sql`SELECT json_agg(json_build_array(indicator_id, unit_id, period, value::float8,
      CASE WHEN indicator_id IN (${ids}) THEN fields END))::text AS j
    FROM score_inputs WHERE year_id = ${yearId} GROUP BY unit_id % 32`)) as unknown as { rows: { j: string }[] };
  const out: {
    indicatorId: number;
    unitId: number;
    period: string;
    value: number | null;
    fields: Record<string, unknown> | null;
  }[] = [];
  for (const { j } of res.rows)
    for (const [indicatorId, unitId, period, value, fields] of JSON.parse(j) as [
      number,
      number,
      string,
      number | string | null,
      Record<string, unknown> | null,
    ][])
      // A value PostgreSQL writes as a JSON string (NaN, ±Infinity) is read back as that number.
      out.push({ indicatorId, unitId, period, value: typeof value === 'string' ? Number(value) : value, fields });
  return out;
}

/** Inputs of one indicator (all units), for a sandbox formula that needs form fields. */
export async function indicatorInputs(db: Db, yearId: number, indicatorIds: number[]) {
  if (!indicatorIds.length) return [];
  return db
    .select({
      indicatorId: scoreInputs.indicatorId,
      unitId: scoreInputs.unitId,
      period: scoreInputs.period,
      fields: scoreInputs.fields,
    })
    .from(scoreInputs)
    .where(and(eq(scoreInputs.yearId, yearId), inArray(scoreInputs.indicatorId, indicatorIds)));
}

/** Inputs with provenance of some indicators for one unit (explanations). */
export async function unitInputs(db: Db, yearId: number, unitId: number, indicatorIds?: number[]) {
  const where = indicatorIds?.length
    ? and(
        eq(scoreInputs.yearId, yearId),
        eq(scoreInputs.unitId, unitId),
        inArray(scoreInputs.indicatorId, indicatorIds),
      )
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

export async function findInput(
  db: Db,
  indicatorId: number,
  unitId: number,
  period: string,
): Promise<InputRowDb | null> {
  const rows = await db
    .select()
    .from(scoreInputs)
    .where(
      and(eq(scoreInputs.indicatorId, indicatorId), eq(scoreInputs.unitId, unitId), eq(scoreInputs.period, period)),
    );
  return rows[0] ?? null;
}
