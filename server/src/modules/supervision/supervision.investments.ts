/**
 * Investment projects (招商引资督办): the office enters a project with its contract amount, responsible unit,
 * leader in charge and the planned date of each stage (签约 → 注册 → 开工 → 投产); the responsible unit records
 * each stage as it is reached, in order, with its date and the paid-in amount (到位资金). A stage planned
 * before today and not done is overdue. Queries are here too (the tables are this file's alone).
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { forbidden, invalid, notFound } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import { recordAudit } from '../audit/index.js';
import { inScope } from '../units/index.js';
import type { TInvestment, TInvestmentCreate, TInvestmentQuery, TInvestmentStage } from './supervision.docs.schema.js';
import {
  INVESTMENT_STAGES,
  supervisionInvestmentStages,
  supervisionInvestments,
  type InvestmentStage,
} from './supervision.docs.table.js';
import { userOf } from './supervision.access.js';

const today = () => beijingDate(new Date());

/** The stage after the last one reached, or null when 投产 is reached. */
export function nextStage(stage: InvestmentStage | null): InvestmentStage | null {
  const i = stage === null ? 0 : INVESTMENT_STAGES.indexOf(stage) + 1;
  return INVESTMENT_STAGES[i] ?? null;
}

async function present(ctx: Ctx, rows: (typeof supervisionInvestments.$inferSelect)[]): Promise<TInvestment[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const stages = await ctx.db
    .select()
    .from(supervisionInvestmentStages)
    .where(inArray(supervisionInvestmentStages.projectId, ids))
    .orderBy(asc(supervisionInvestmentStages.plannedOn));
  const names = (
    (await ctx.db.execute(
      sql`SELECT 'u' || id AS k, name FROM units WHERE id IN (${sql.join(
        rows.map((r) => sql`${r.unitId}`),
        sql`, `,
      )})
          UNION ALL SELECT 'p' || id, display_name FROM users WHERE id IN (${sql.join(
            [0, ...rows.map((r) => r.leaderId ?? 0)].map((i) => sql`${i}`),
            sql`, `,
          )})`,
    )) as unknown as { rows: { k: string; name: string }[] }
  ).rows;
  const name = new Map(names.map((n) => [n.k, n.name]));
  const user = userOf(ctx);
  const scope = await ctx.scope();
  const on = today();
  const order = (s: InvestmentStage) => INVESTMENT_STAGES.indexOf(s);
  return rows.map((r) => {
    const mine = stages.filter((s) => s.projectId === r.id).sort((a, b) => order(a.stage) - order(b.stage));
    return {
      id: r.id,
      year: r.year,
      name: r.name,
      investor: r.investor,
      industry: r.industry,
      contractAmount: Number(r.contractAmount),
      paidInAmount: Number(r.paidInAmount),
      unitId: r.unitId,
      unitName: name.get(`u${r.unitId}`) ?? '',
      leaderId: r.leaderId,
      leaderName: r.leaderId ? (name.get(`p${r.leaderId}`) ?? null) : null,
      stage: r.stage,
      overdueStages: mine.filter((s) => !s.doneOn && s.plannedOn < on).map((s) => s.stage),
      stages: mine.map((s) => ({ stage: s.stage, plannedOn: s.plannedOn, doneOn: s.doneOn, note: s.note })),
      canRecord:
        nextStage(r.stage) !== null &&
        (user.permissions.has('supervision.manage') ||
          (user.permissions.has('supervision.report') && inScope(scope, r.unitId))),
    };
  });
}

async function visibleCond(ctx: Ctx): Promise<SQL> {
  const scope = await ctx.scope();
  if (scope.all) return sql`true`;
  const user = userOf(ctx);
  const ids = [...scope.unitIds];
  return sql`(${supervisionInvestments.unitId} IN (${sql.join(
    (ids.length ? ids : [0]).map((i) => sql`${i}`),
    sql`, `,
  )}) OR ${supervisionInvestments.leaderId} = ${user.id})`;
}

/** The projects the user may see: all (office, main leader), their units' (a unit, a leader in charge) or those they lead. */
export async function listInvestments(ctx: Ctx, q: TInvestmentQuery): Promise<TInvestment[]> {
  const conds: SQL[] = [await visibleCond(ctx)];
  if (q.year) conds.push(sql`${supervisionInvestments.year} = ${q.year}`);
  if (q.unitId) conds.push(sql`${supervisionInvestments.unitId} = ${q.unitId}`);
  if (q.stage)
    conds.push(
      q.stage === 'none'
        ? sql`${supervisionInvestments.stage} IS NULL`
        : sql`${supervisionInvestments.stage} = ${q.stage}`,
    );
  if (q.q) conds.push(sql`${supervisionInvestments.name} LIKE ${`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (q.overdue === '1')
    conds.push(
      sql`EXISTS (SELECT 1 FROM supervision_investment_stages s WHERE s.project_id = ${supervisionInvestments.id} AND s.done_on IS NULL AND s.planned_on < ${today()}::date)`,
    );
  const rows = await ctx.db
    .select()
    .from(supervisionInvestments)
    .where(and(...conds))
    .orderBy(asc(supervisionInvestments.year), asc(supervisionInvestments.id))
    .limit(2000);
  return present(ctx, rows);
}

async function loadVisible(ctx: Ctx, id: number) {
  const [row] = await ctx.db
    .select()
    .from(supervisionInvestments)
    .where(and(eq(supervisionInvestments.id, id), await visibleCond(ctx)));
  if (!row) throw notFound();
  return row;
}

export async function getInvestment(ctx: Ctx, id: number): Promise<TInvestment> {
  return (await present(ctx, [await loadVisible(ctx, id)]))[0];
}

async function unitExists(db: Db, id: number): Promise<boolean> {
  return (
    ((await db.execute(sql`SELECT 1 FROM units WHERE id = ${id} AND active`)) as unknown as { rows: unknown[] }).rows
      .length > 0
  );
}
async function userExists(db: Db, id: number): Promise<boolean> {
  return (
    ((await db.execute(sql`SELECT 1 FROM users WHERE id = ${id}`)) as unknown as { rows: unknown[] }).rows.length > 0
  );
}

/** The office enters a project with the planned date of every stage. */
export async function createInvestment(ctx: Ctx, input: TInvestmentCreate): Promise<TInvestment> {
  const user = userOf(ctx);
  if (!(await unitExists(ctx.db, input.unitId)))
    throw invalid('unitId', '责任单位不存在', 'The responsible unit does not exist');
  if (input.leaderId !== null && !(await userExists(ctx.db, input.leaderId)))
    throw invalid('leaderId', '分管领导不存在', 'The leader in charge does not exist');
  INVESTMENT_STAGES.forEach((s, i) => {
    if (i > 0 && input.planned[s] < input.planned[INVESTMENT_STAGES[i - 1]])
      throw invalid(`planned.${s}`, '各阶段计划日期须依次不早于前一阶段', 'A stage is planned before the previous one');
  });
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(supervisionInvestments)
      .values({
        year: input.year,
        name: input.name,
        investor: input.investor,
        industry: input.industry,
        contractAmount: input.contractAmount,
        unitId: input.unitId,
        leaderId: input.leaderId,
        createdBy: user.id,
      })
      .returning({ id: supervisionInvestments.id });
    await tx
      .insert(supervisionInvestmentStages)
      .values(INVESTMENT_STAGES.map((stage) => ({ projectId: row.id, stage, plannedOn: input.planned[stage] })));
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.investment.create',
      entityType: 'supervision_investment',
      entityId: row.id,
      unitId: input.unitId,
      after: { ...input },
    });
    return row.id;
  });
  return getInvestment(ctx, id);
}

/** The responsible unit (or the office) records the next stage reached, with its date and the paid-in amount. */
export async function recordStage(ctx: Ctx, id: number, body: TInvestmentStage): Promise<TInvestment> {
  const user = userOf(ctx);
  const p0 = await loadVisible(ctx, id);
  const may =
    user.permissions.has('supervision.manage') ||
    (user.permissions.has('supervision.report') && inScope(await ctx.scope(), p0.unitId));
  if (!may) throw forbidden();
  if (body.doneOn > today()) throw invalid('doneOn', '完成日期不能晚于今天', 'The date is in the future');
  await ctx.db.transaction(async (tx) => {
    const [p] = await tx.select().from(supervisionInvestments).where(eq(supervisionInvestments.id, id)).for('update');
    const next = nextStage(p.stage);
    if (next !== body.stage)
      throw invalid(
        'stage',
        next ? '请按 签约→注册→开工→投产 的顺序登记下一阶段' : '项目已投产',
        next ? `The next stage to record is ${next}` : 'The project is already producing',
      );
    const [prev] = p.stage
      ? await tx
          .select()
          .from(supervisionInvestmentStages)
          .where(and(eq(supervisionInvestmentStages.projectId, id), eq(supervisionInvestmentStages.stage, p.stage)))
      : [];
    if (prev?.doneOn && body.doneOn < prev.doneOn)
      throw invalid('doneOn', '完成日期早于上一阶段', 'The date is before the previous stage');
    await tx
      .update(supervisionInvestmentStages)
      .set({ doneOn: body.doneOn, note: body.note, recordedBy: user.id })
      .where(and(eq(supervisionInvestmentStages.projectId, id), eq(supervisionInvestmentStages.stage, body.stage)));
    await tx
      .update(supervisionInvestments)
      .set({ stage: body.stage, paidInAmount: body.paidInAmount ?? Number(p.paidInAmount), updatedAt: new Date() })
      .where(eq(supervisionInvestments.id, id));
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.investment.stage',
      entityType: 'supervision_investment',
      entityId: id,
      unitId: p.unitId,
      before: { stage: p.stage, paidInAmount: Number(p.paidInAmount) },
      after: { ...body },
    });
  });
  return getInvestment(ctx, id);
}
