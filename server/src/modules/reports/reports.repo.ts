/** Queries of the analysis reports; nothing else touches analysis_reports. */
import { and, count, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Lang } from '../../lib/errors.js';
import { analysisReports, type PeriodKind, type ReportTrigger } from './reports.table.js';

export type ReportHead = {
  id: number;
  yearId: number;
  period: string;
  periodKind: PeriodKind;
  unitId: number | null;
  title: string;
  lang: Lang;
  scoreVersion: number;
  docxSha256: string;
  xlsxSha256: string;
  docxBytes: number;
  xlsxBytes: number;
  trigger: ReportTrigger;
  createdByName: string;
  createdAt: Date;
};

const head = {
  id: analysisReports.id,
  yearId: analysisReports.yearId,
  period: analysisReports.period,
  periodKind: analysisReports.periodKind,
  unitId: analysisReports.unitId,
  title: analysisReports.title,
  lang: analysisReports.lang,
  scoreVersion: analysisReports.scoreVersion,
  docxSha256: analysisReports.docxSha256,
  xlsxSha256: analysisReports.xlsxSha256,
  docxBytes: sql<number>`octet_length(${analysisReports.docx})`.mapWith(Number),
  xlsxBytes: sql<number>`octet_length(${analysisReports.xlsx})`.mapWith(Number),
  trigger: analysisReports.trigger,
  createdByName: analysisReports.createdByName,
  createdAt: analysisReports.createdAt,
};

export type NewReport = typeof analysisReports.$inferInsert;

export async function insertReport(tx: Db, r: NewReport): Promise<number> {
  const [row] = await tx.insert(analysisReports).values(r).returning({ id: analysisReports.id });
  return row.id;
}

export type ListFilter = {
  yearId?: number;
  kind?: PeriodKind;
  scope?: 'district' | 'unit';
  unitId?: number;
  /** Null: every unit's special reports; otherwise only these units' (and, with district, the district's). */
  unitIds: number[] | null;
  district: boolean;
  limit: number;
  offset: number;
};

export async function listReports(db: Db, f: ListFilter): Promise<{ total: number; rows: ReportHead[] }> {
  const where: SQL[] = [];
  if (f.yearId) where.push(eq(analysisReports.yearId, f.yearId));
  if (f.kind) where.push(eq(analysisReports.periodKind, f.kind));
  if (f.scope === 'district') where.push(isNull(analysisReports.unitId));
  if (f.scope === 'unit') where.push(isNotNull(analysisReports.unitId));
  if (f.unitId) where.push(eq(analysisReports.unitId, f.unitId));
  // Visibility: the district's reports (when allowed) and the special reports of the units in scope.
  const units =
    f.unitIds === null
      ? isNotNull(analysisReports.unitId)
      : f.unitIds.length
        ? inArray(analysisReports.unitId, f.unitIds)
        : sql`false`;
  const visible = f.district ? sql`(${isNull(analysisReports.unitId)} OR ${units})` : units;
  where.push(visible);
  const cond = and(...where);
  const [{ n }] = await db.select({ n: count() }).from(analysisReports).where(cond);
  const rows = await db
    .select(head)
    .from(analysisReports)
    .where(cond)
    .orderBy(desc(analysisReports.createdAt), desc(analysisReports.id))
    .limit(f.limit)
    .offset(f.offset);
  return { total: Number(n), rows };
}

export async function findHead(db: Db, id: number): Promise<ReportHead | null> {
  const rows = await db.select(head).from(analysisReports).where(eq(analysisReports.id, id));
  return rows[0] ?? null;
}

export async function findContent(db: Db, id: number): Promise<Record<string, unknown> | null> {
  const rows = await db
    .select({ content: analysisReports.content })
    .from(analysisReports)
    .where(eq(analysisReports.id, id));
  return rows[0]?.content ?? null;
}

export async function findFile(db: Db, id: number, kind: 'docx' | 'xlsx'): Promise<Buffer | null> {
  const col = kind === 'docx' ? analysisReports.docx : analysisReports.xlsx;
  const rows = await db.select({ bytes: col }).from(analysisReports).where(eq(analysisReports.id, id));
  return rows[0]?.bytes ?? null;
}

/** The periods of a year that already have a district report made by `trigger` (the monthly job skips them). */
export async function districtPeriods(db: Db, yearId: number): Promise<Set<string>> {
  const rows = await db
    .select({ period: analysisReports.period })
    .from(analysisReports)
    .where(and(eq(analysisReports.yearId, yearId), isNull(analysisReports.unitId)));
  return new Set(rows.map((r) => r.period));
}
