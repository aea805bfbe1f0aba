/**
 * Special assessments' own data (the schemes themselves are assessment_years rows, configured in the
 * performance module; scores and publications per scheme are the scoring module's):
 * - 不定期抽查: spot checks by a scheme's assessing body, each (leaf, unit, month) input being the
 *   average of that month's checks;
 * - the urban-management internal leaves counted from the cases (误签, 误结, reply complaints, 主动发现:
 *   case-platform leaves with an urban case metric), per unit and month.
 *
 * Who records a spot check: the office, or a user of the scheme's (or the leaf's) assessing body.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { urbanCaseCounts } from '../cases/index.js';
import { listScoreInputs, upsertScoreInputs, type ScoreInputWrite } from '../inputs/index.js';
import { getYear, leavesFor, listIndicators, listYears, type TIndicator, type TYear } from '../performance/index.js';
import { inScope, listUnits } from '../units/index.js';
import { URBAN_CASE_METRICS, type UrbanCaseMetric } from '../../../../common/performance.js';
import { spotChecks } from './schemes.table.js';
import type { TSpotCheck, TSpotCheckCreate, TSpotCheckSetup } from './schemes.schema.js';

type SpotRow = typeof spotChecks.$inferSelect;

async function schemeOr400(db: Db, id: number, field = 'schemeId'): Promise<TYear> {
  try {
    return await getYear(db, id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND')
      throw invalid(field, '考核方案不存在', 'The scheme does not exist');
    throw e;
  }
}

/** The leaves a spot check can feed: the scheme's third-party leaves. */
function spotLeaves(tree: readonly TIndicator[]): TIndicator[] {
  return tree.filter((n) => n.dataSource === 'third_party' && !tree.some((c) => c.parentId === n.id));
}

const isOffice = (ctx: Ctx) => ctx.user?.permissions.has('indicators.manage') === true;

/** The office, or a user of the scheme's or the leaf's assessing body. */
function mayCheck(ctx: Ctx, scheme: TYear, leaf?: TIndicator): boolean {
  if (isOffice(ctx)) return true;
  const unitId = ctx.user?.unitId;
  return unitId !== undefined && (scheme.assessingUnitId === unitId || leaf?.assessingUnitId === unitId);
}

/** What the phone entry page needs: the scheme, its spot-check leaves and the units they apply to. */
export async function spotCheckSetup(ctx: Ctx, schemeId: number): Promise<TSpotCheckSetup> {
  const scheme = await getYear(ctx.db, schemeId);
  const tree = await listIndicators(ctx.db, scheme.id);
  const leaves = spotLeaves(tree).filter((l) => mayCheck(ctx, scheme, l));
  if (!leaves.length && !mayCheck(ctx, scheme)) throw forbidden();
  const units = (await listUnits(ctx.db)).filter(
    (u) => u.active && leaves.some((l) => leavesFor(u, tree).some((x) => x.id === l.id)),
  );
  return {
    scheme: { id: scheme.id, year: scheme.year, name: scheme.name, assessingUnitId: scheme.assessingUnitId },
    leaves: leaves.map((l) => ({ id: l.id, code: l.code, name: l.name })),
    units: units.map((u) => ({ id: u.id, name: u.name })),
  };
}

function present(r: SpotRow, names: { units: Map<number, string>; leaves: Map<number, string> }): TSpotCheck {
  return {
    id: r.id,
    schemeId: r.yearId,
    indicatorId: r.indicatorId,
    indicatorName: names.leaves.get(r.indicatorId) ?? '',
    unitId: r.unitId,
    unitName: names.units.get(r.unitId) ?? '',
    checkedOn: r.checkedOn,
    location: r.location,
    findings: r.findings,
    score: Number(r.score),
    checkedByName: r.checkedByName,
    createdAt: r.createdAt.toISOString(),
  };
}

async function namesOf(db: Db, schemeId: number) {
  const [units, tree] = await Promise.all([listUnits(db), listIndicators(db, schemeId)]);
  return { units: new Map(units.map((u) => [u.id, u.name])), leaves: new Map(tree.map((n) => [n.id, n.name])) };
}

/** Records a spot check; the (leaf, unit, month) input becomes the average of that month's checks. */
export async function createSpotCheck(ctx: Ctx, body: TSpotCheckCreate): Promise<TSpotCheck> {
  const scheme = await schemeOr400(ctx.db, body.schemeId);
  if (scheme.status !== 'in_force')
    throw new AppError('INVALID_STATE', {
      zh: `${scheme.name}${scheme.status === 'draft' ? '尚未生效' : '已结束'}，不能录入抽查结果`,
      en: `${scheme.name} is not in force`,
    });
  const tree = await listIndicators(ctx.db, scheme.id);
  const leaf = spotLeaves(tree).find((l) => l.id === body.indicatorId);
  if (!leaf) throw invalid('indicatorId', '该指标不是本考核方案的抽查指标', 'Not a spot-check leaf of the scheme');
  if (!mayCheck(ctx, scheme, leaf)) throw forbidden();
  if (!body.checkedOn.startsWith(`${scheme.year}-`))
    throw invalid('checkedOn', `抽查日期应在 ${scheme.year} 年内`, `The date must be in ${scheme.year}`);
  const unit = (await listUnits(ctx.db)).find((u) => u.id === body.unitId);
  if (!unit) throw invalid('unitId', '单位不存在', 'The unit does not exist');
  if (!leavesFor(unit, tree).some((l) => l.id === leaf.id))
    throw invalid(
      'unitId',
      `${unit.name}不在「${leaf.name}」的考核范围内`,
      `${unit.code} is not assessed on ${leaf.code}`,
    );
  const user = ctx.user!;
  const names = await namesOf(ctx.db, scheme.id);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(spotChecks)
      .values({
        yearId: scheme.id,
        indicatorId: leaf.id,
        unitId: unit.id,
        checkedOn: body.checkedOn,
        location: body.location,
        findings: body.findings,
        score: body.score,
        checkedBy: user.id,
        checkedByName: user.displayName,
      })
      .returning();
    const out = present(row, names);
    await writeSpotInput(tx, ctx.actor, scheme.id, leaf.id, unit.id, body.checkedOn.slice(0, 7), user);
    await recordAudit(tx, ctx.actor, {
      action: 'spot_check.create',
      entityType: 'spot_check',
      entityId: row.id,
      unitId: unit.id,
      after: out,
    });
    return out;
  });
}

/** The month's input of a spot-check leaf for a unit: the average score of its checks that month. */
async function writeSpotInput(
  tx: Db,
  _actor: Actor,
  schemeId: number,
  indicatorId: number,
  unitId: number,
  month: string,
  by: { id: number | null; displayName: string },
): Promise<void> {
  const rows = await tx
    .select({ id: spotChecks.id, score: spotChecks.score })
    .from(spotChecks)
    .where(
      and(
        eq(spotChecks.yearId, schemeId),
        eq(spotChecks.indicatorId, indicatorId),
        eq(spotChecks.unitId, unitId),
        sql`to_char(${spotChecks.checkedOn}, 'YYYY-MM') = ${month}`,
      ),
    )
    .orderBy(asc(spotChecks.id));
  if (!rows.length) return;
  const avg = rows.reduce((s, r) => s + Number(r.score), 0) / rows.length;
  await upsertScoreInputs(tx, [
    {
      yearId: schemeId,
      indicatorId,
      unitId,
      period: month,
      value: Math.round(avg * 100) / 100,
      fields: { checks: rows.length },
      source: 'third_party',
      sourceRef: `spot_check:${rows.map((r) => r.id).join(',')}`,
      enteredBy: by.id,
      enteredByName: by.displayName,
    },
  ]);
}

/** A scheme's spot checks of the units in the caller's scope (the assessing body and the office see all). */
export async function listSpotChecks(ctx: Ctx, q: { schemeId: number; unitId?: number }): Promise<TSpotCheck[]> {
  const scheme = await getYear(ctx.db, q.schemeId);
  const scope = await ctx.scope();
  const rows = await ctx.db
    .select()
    .from(spotChecks)
    .where(
      q.unitId === undefined
        ? eq(spotChecks.yearId, scheme.id)
        : and(eq(spotChecks.yearId, scheme.id), eq(spotChecks.unitId, q.unitId)),
    )
    .orderBy(sql`${spotChecks.checkedOn} DESC`, sql`${spotChecks.id} DESC`);
  const names = await namesOf(ctx.db, scheme.id);
  const all = mayCheck(ctx, scheme) || scope.all;
  return rows.filter((r) => all || inScope(scope, r.unitId)).map((r) => present(r, names));
}

export async function getSpotCheck(ctx: Ctx, id: number): Promise<TSpotCheck> {
  const [row] = await ctx.db.select().from(spotChecks).where(eq(spotChecks.id, id));
  if (!row) throw notFound();
  const scheme = await getYear(ctx.db, row.yearId);
  const scope = await ctx.scope();
  if (!mayCheck(ctx, scheme) && !inScope(scope, row.unitId)) throw notFound();
  return present(row, await namesOf(ctx.db, scheme.id));
}

// ---------- urban-management figures from the cases ----------

/** Who writes the urban case figures, as shown in explanations. */
export const URBAN_AUTHOR = '城市管理监督指挥中心';

const isUrban = (m: string | null): m is UrbanCaseMetric =>
  m !== null && (URBAN_CASE_METRICS as readonly string[]).includes(m);

/**
 * Writes the inputs of every urban case-metric leaf (误签, 误结, reply complaints, 主动发现) of the
 * schemes in force, per unit the leaf applies to and month, counted from the raw cases (months without
 * any record count 0 up to the current month). Idempotent; audited when it wrote anything.
 */
export async function syncUrbanInputs(
  db: Db,
  actor: Actor,
  opts: { schemeId?: number; now?: Date } = {},
): Promise<{ inputs: number }> {
  const now = opts.now ?? new Date();
  const schemes = (await listYears(db)).filter(
    (s) => s.status === 'in_force' && (opts.schemeId === undefined || s.id === opts.schemeId),
  );
  const units = (await listUnits(db)).filter((u) => u.active);
  const out: ScoreInputWrite[] = [];
  for (const scheme of schemes) {
    const tree = await listIndicators(db, scheme.id);
    const leaves = tree.filter((n) => n.dataSource === 'case_platform' && isUrban(n.caseMetric));
    if (!leaves.length) continue;
    const counts = await urbanCaseCounts(db, scheme.year);
    const current = new Map(
      (await listScoreInputs(db, scheme.id))
        .filter((r) => leaves.some((l) => l.id === r.indicatorId))
        .map((r) => [`${r.indicatorId}:${r.unitId}:${r.period}`, r.value === null ? null : Number(r.value)]),
    );
    const byKey = new Map(counts.map((c) => [`${c.unitId}:${c.month}`, c]));
    const beijing = new Date(now.getTime() + 8 * 3600_000);
    const lastMonth =
      scheme.year < beijing.getUTCFullYear()
        ? 12
        : scheme.year > beijing.getUTCFullYear()
          ? 0
          : beijing.getUTCMonth() + 1;
    for (const unit of units) {
      const own = leavesFor(unit, tree).filter((l) => leaves.some((x) => x.id === l.id));
      for (const leaf of own) {
        for (let m = 1; m <= lastMonth; m++) {
          const month = `${scheme.year}-${String(m).padStart(2, '0')}`;
          const c = byKey.get(`${unit.id}:${month}`);
          const value = c ? c[leaf.caseMetric as UrbanCaseMetric] : 0;
          if (current.get(`${leaf.id}:${unit.id}:${month}`) === value) continue;
          out.push({
            yearId: scheme.id,
            indicatorId: leaf.id,
            unitId: unit.id,
            period: month,
            value,
            fields: c
              ? {
                  misSignCount: c.misSignCount,
                  misCloseCount: c.misCloseCount,
                  replyComplaintCount: c.replyComplaintCount,
                  gridFoundCount: c.gridFoundCount,
                }
              : {},
            source: 'case_platform',
            sourceRef: `urban:${unit.id}:${month}`,
            enteredBy: null,
            enteredByName: URBAN_AUTHOR,
          });
        }
      }
    }
  }
  if (!out.length) return { inputs: 0 };
  await db.transaction(async (tx) => {
    await upsertScoreInputs(tx, out);
    await recordAudit(tx, actor, {
      action: 'urban.sync',
      entityType: 'score_input',
      entityId: 'urban',
      after: { inputs: out.length, schemes: schemes.map((s) => s.id) },
    });
  });
  return { inputs: out.length };
}
