import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  assessmentYears,
  indicators,
  performancePlans,
  planAdjustments,
  planTargets,
  type AdjustmentStatus,
} from './performance.table.js';

export type YearRow = typeof assessmentYears.$inferSelect;
export type IndicatorRow = typeof indicators.$inferSelect;
export type PlanRow = typeof performancePlans.$inferSelect;
export type TargetRow = typeof planTargets.$inferSelect;
export type AdjustmentRow = typeof planAdjustments.$inferSelect;

// ---------- years ----------

/** Every scheme, newest year first; in a year the annual scheme first, then the special ones by id. */
export async function listYears(db: Db) {
  return db
    .select()
    .from(assessmentYears)
    .orderBy(desc(assessmentYears.year), sql`(${assessmentYears.kind} = 'annual') DESC`, asc(assessmentYears.id));
}

export async function findYear(db: Db, id: number): Promise<YearRow | null> {
  return (await db.select().from(assessmentYears).where(eq(assessmentYears.id, id)).limit(1))[0] ?? null;
}

/** The annual scheme of a calendar year (or the scheme with this code). */
export async function findYearByYear(db: Db, year: number, code = 'annual'): Promise<YearRow | null> {
  return (
    (
      await db
        .select()
        .from(assessmentYears)
        .where(and(eq(assessmentYears.year, year), eq(assessmentYears.code, code)))
        .limit(1)
    )[0] ?? null
  );
}

export async function latestYearInForce(db: Db): Promise<YearRow | null> {
  return (
    (
      await db
        .select()
        .from(assessmentYears)
        .where(and(eq(assessmentYears.status, 'in_force'), eq(assessmentYears.kind, 'annual')))
        .orderBy(desc(assessmentYears.year))
        .limit(1)
    )[0] ?? null
  );
}

export async function insertYear(db: Db, v: typeof assessmentYears.$inferInsert): Promise<YearRow> {
  return (await db.insert(assessmentYears).values(v).returning())[0];
}

export async function updateYear(
  db: Db,
  id: number,
  v: Partial<typeof assessmentYears.$inferInsert>,
): Promise<YearRow> {
  return (await db.update(assessmentYears).set(v).where(eq(assessmentYears.id, id)).returning())[0];
}

export async function deleteYear(db: Db, id: number): Promise<void> {
  await db.delete(assessmentYears).where(eq(assessmentYears.id, id));
}

/** The indicators (of any scheme) that take in this special scheme's result. */
export async function indicatorsTakingIn(db: Db, schemeId: number): Promise<IndicatorRow[]> {
  return db.select().from(indicators).where(eq(indicators.specialSchemeId, schemeId));
}

/** Indicator and leaf counts per year. */
export async function yearCounts(db: Db): Promise<Map<number, { indicators: number; leaves: number }>> {
  const rows = await db
    .select({
      yearId: indicators.yearId,
      n: sql<number>`count(*)::int`,
      leaves: sql<number>`count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM indicators c WHERE c.parent_id = indicators.id))::int`,
    })
    .from(indicators)
    .groupBy(indicators.yearId);
  return new Map(rows.map((r) => [r.yearId, { indicators: Number(r.n), leaves: Number(r.leaves) }]));
}

// ---------- indicators ----------

export async function listIndicators(db: Db, yearId: number): Promise<IndicatorRow[]> {
  return db
    .select()
    .from(indicators)
    .where(eq(indicators.yearId, yearId))
    .orderBy(asc(indicators.level), asc(indicators.sort), asc(indicators.id));
}

export async function findIndicator(db: Db, id: number): Promise<IndicatorRow | null> {
  return (await db.select().from(indicators).where(eq(indicators.id, id)).limit(1))[0] ?? null;
}

export async function findIndicatorByCode(db: Db, yearId: number, code: string): Promise<IndicatorRow | null> {
  return (
    (
      await db
        .select()
        .from(indicators)
        .where(and(eq(indicators.yearId, yearId), eq(indicators.code, code)))
        .limit(1)
    )[0] ?? null
  );
}

export async function insertIndicator(db: Db, v: typeof indicators.$inferInsert): Promise<IndicatorRow> {
  return (await db.insert(indicators).values(v).returning())[0];
}

export async function updateIndicator(
  db: Db,
  id: number,
  v: Partial<typeof indicators.$inferInsert>,
): Promise<IndicatorRow> {
  return (await db.update(indicators).set(v).where(eq(indicators.id, id)).returning())[0];
}

export async function deleteIndicator(db: Db, id: number): Promise<void> {
  await db.delete(indicators).where(eq(indicators.id, id));
}

export async function setLevels(db: Db, levels: { id: number; level: number }[]): Promise<void> {
  for (const l of levels) await db.update(indicators).set({ level: l.level }).where(eq(indicators.id, l.id));
}

// ---------- plans ----------

/** Each plan's unit and status (the score tables ask on every read: no timestamps to decode). */
export async function planStatusRows(db: Db, yearId: number): Promise<Pick<PlanRow, 'unitId' | 'status'>[]> {
  return db
    .select({ unitId: performancePlans.unitId, status: performancePlans.status })
    .from(performancePlans)
    .where(eq(performancePlans.yearId, yearId));
}

export async function listPlans(db: Db, yearId: number): Promise<PlanRow[]> {
  return db.select().from(performancePlans).where(eq(performancePlans.yearId, yearId));
}

export async function findPlan(db: Db, yearId: number, unitId: number): Promise<PlanRow | null> {
  return (
    (
      await db
        .select()
        .from(performancePlans)
        .where(and(eq(performancePlans.yearId, yearId), eq(performancePlans.unitId, unitId)))
        .limit(1)
    )[0] ?? null
  );
}

export async function findPlanById(db: Db, id: number): Promise<PlanRow | null> {
  return (await db.select().from(performancePlans).where(eq(performancePlans.id, id)).limit(1))[0] ?? null;
}

/** The unit's plan row for the year, created as a draft when missing. */
export async function ensurePlan(db: Db, yearId: number, unitId: number): Promise<PlanRow> {
  await db
    .insert(performancePlans)
    .values({ yearId, unitId })
    .onConflictDoNothing({ target: [performancePlans.yearId, performancePlans.unitId] });
  return (await findPlan(db, yearId, unitId))!;
}

export async function updatePlan(
  db: Db,
  id: number,
  v: Partial<typeof performancePlans.$inferInsert>,
): Promise<PlanRow> {
  return (
    await db
      .update(performancePlans)
      .set({ ...v, updatedAt: new Date() })
      .where(eq(performancePlans.id, id))
      .returning()
  )[0];
}

export async function listTargets(db: Db, planId: number): Promise<TargetRow[]> {
  return db.select().from(planTargets).where(eq(planTargets.planId, planId));
}

/** Every target of the year's plans, with the plan's unit and status. */
export async function yearTargets(db: Db, yearId: number, status?: PlanRow['status'], unitId?: number) {
  const where = and(
    eq(performancePlans.yearId, yearId),
    status ? eq(performancePlans.status, status) : undefined,
    unitId === undefined ? undefined : eq(performancePlans.unitId, unitId),
  );
  return db
    .select({
      unitId: performancePlans.unitId,
      status: performancePlans.status,
      indicatorId: planTargets.indicatorId,
      target: planTargets.target,
      challenge: planTargets.challenge,
      note: planTargets.note,
    })
    .from(planTargets)
    .innerJoin(performancePlans, eq(performancePlans.id, planTargets.planId))
    .where(where);
}

/** Replaces the plan's targets with the given list. */
export async function replaceTargets(db: Db, planId: number, rows: Omit<TargetRow, 'planId'>[]): Promise<void> {
  await db.delete(planTargets).where(eq(planTargets.planId, planId));
  if (rows.length) await db.insert(planTargets).values(rows.map((r) => ({ ...r, planId })));
}

export async function upsertTarget(db: Db, row: TargetRow): Promise<void> {
  await db
    .insert(planTargets)
    .values(row)
    .onConflictDoUpdate({
      target: [planTargets.planId, planTargets.indicatorId],
      set: { target: row.target, challenge: row.challenge },
    });
}

// ---------- adjustments ----------

export async function insertAdjustment(db: Db, v: typeof planAdjustments.$inferInsert): Promise<AdjustmentRow> {
  return (await db.insert(planAdjustments).values(v).returning())[0];
}

export async function findAdjustment(db: Db, id: number): Promise<AdjustmentRow | null> {
  return (await db.select().from(planAdjustments).where(eq(planAdjustments.id, id)).limit(1))[0] ?? null;
}

export async function updateAdjustment(
  db: Db,
  id: number,
  v: Partial<typeof planAdjustments.$inferInsert>,
): Promise<AdjustmentRow> {
  return (await db.update(planAdjustments).set(v).where(eq(planAdjustments.id, id)).returning())[0];
}

export async function listAdjustmentsOfPlans(
  db: Db,
  planIds: number[],
  status?: AdjustmentStatus,
): Promise<AdjustmentRow[]> {
  if (!planIds.length) return [];
  const where = status
    ? and(inArray(planAdjustments.planId, planIds), eq(planAdjustments.status, status))
    : inArray(planAdjustments.planId, planIds);
  return db
    .select()
    .from(planAdjustments)
    .where(where)
    .orderBy(desc(planAdjustments.requestedAt), desc(planAdjustments.id));
}

export async function findOpenAdjustment(db: Db, planId: number, indicatorId: number): Promise<AdjustmentRow | null> {
  return (
    (
      await db
        .select()
        .from(planAdjustments)
        .where(
          and(
            eq(planAdjustments.planId, planId),
            eq(planAdjustments.indicatorId, indicatorId),
            eq(planAdjustments.status, 'requested'),
          ),
        )
        .limit(1)
    )[0] ?? null
  );
}
