/**
 * Digital urban-management records on cases (migration 0027): 误签 (a department signed for a case that
 * was not its own), 误结 (a closure found wrong at verification) and citizens' complaints about a reply,
 * recorded by the supervision centre against a department that held the case; and the monthly counts
 * the urban-management assessment reads (with 主动发现: grid-channel cases by the unit that found them).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { caseDispatches, caseMarks, cases } from './cases.table.js';
import type { CaseMarkKind } from '../../../../common/cases.js';

export type TCaseMark = {
  id: number;
  caseId: number;
  unitId: number;
  kind: CaseMarkKind;
  note: string;
  recordedByName: string;
  recordedAt: string;
};

const present = (r: typeof caseMarks.$inferSelect): TCaseMark => ({
  id: r.id,
  caseId: r.caseId,
  unitId: r.unitId,
  kind: r.kind,
  note: r.note,
  recordedByName: r.recordedByName,
  recordedAt: r.recordedAt.toISOString(),
});

async function caseExists(db: Db, caseId: number): Promise<void> {
  const rows = await db.select({ id: cases.id }).from(cases).where(eq(cases.id, caseId));
  if (!rows.length) throw notFound();
}

/** The supervision centre records 误签 / 误结 / a complaint about the reply against a department that held the case. */
export async function recordCaseMark(
  ctx: Ctx,
  caseId: number,
  input: { unitId: number; kind: CaseMarkKind; note: string },
): Promise<TCaseMark> {
  await caseExists(ctx.db, caseId);
  const held = await ctx.db
    .select({ id: caseDispatches.id })
    .from(caseDispatches)
    .where(and(eq(caseDispatches.caseId, caseId), eq(caseDispatches.unitId, input.unitId)))
    .limit(1);
  if (!held.length)
    throw invalid('unitId', '该单位没有承办过这件诉求', 'The unit never held a work order of this case');
  const user = ctx.user!;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(caseMarks)
      .values({ caseId, ...input, recordedBy: user.id, recordedByName: user.displayName })
      .returning();
    const out = present(row);
    await recordAudit(tx, ctx.actor, {
      action: 'case.mark',
      entityType: 'case',
      entityId: caseId,
      unitId: input.unitId,
      after: out,
    });
    return out;
  });
}

export async function listCaseMarks(ctx: Ctx, caseId: number): Promise<TCaseMark[]> {
  await caseExists(ctx.db, caseId);
  const rows = await ctx.db.select().from(caseMarks).where(eq(caseMarks.caseId, caseId)).orderBy(asc(caseMarks.id));
  return rows.map(present);
}

export type UrbanCounts = {
  unitId: number;
  month: string;
  misSignCount: number;
  misCloseCount: number;
  replyComplaintCount: number;
  gridFoundCount: number;
};

/**
 * Per unit and Beijing month of a calendar year: 误签, 误结 and reply complaints recorded against it, and
 * the grid-channel cases it found (主动发现). Counted from the raw rows every time (a few thousand a year).
 */
export async function urbanCaseCounts(db: Db, year: number): Promise<UrbanCounts[]> {
  const res = (await db.execute(sql`
    WITH m AS (
      SELECT unit_id, to_char(recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, kind FROM case_marks
      WHERE recorded_at >= make_timestamptz(${year}, 1, 1, 0, 0, 0, 'Asia/Shanghai')
        AND recorded_at < make_timestamptz(${year + 1}, 1, 1, 0, 0, 0, 'Asia/Shanghai')
      UNION ALL
      SELECT found_by_unit_id, to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), 'grid' FROM cases
      WHERE channel = 'grid' AND found_by_unit_id IS NOT NULL
        AND created_at >= make_timestamptz(${year}, 1, 1, 0, 0, 0, 'Asia/Shanghai')
        AND created_at < make_timestamptz(${year + 1}, 1, 1, 0, 0, 0, 'Asia/Shanghai')
    )
    SELECT unit_id AS "unitId", month,
      count(*) FILTER (WHERE kind = 'mis_sign')::int AS "misSignCount",
      count(*) FILTER (WHERE kind = 'mis_close')::int AS "misCloseCount",
      count(*) FILTER (WHERE kind = 'reply_complaint')::int AS "replyComplaintCount",
      count(*) FILTER (WHERE kind = 'grid')::int AS "gridFoundCount"
    FROM m GROUP BY unit_id, month ORDER BY unit_id, month`)) as unknown as { rows: UrbanCounts[] };
  return res.rows.map((r) => ({
    unitId: Number(r.unitId),
    month: r.month,
    misSignCount: Number(r.misSignCount),
    misCloseCount: Number(r.misCloseCount),
    replyComplaintCount: Number(r.replyComplaintCount),
    gridFoundCount: Number(r.gridFoundCount),
  }));
}
