/** The notices module's queries; nothing else touches its tables. */
import { asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { cappedCount, readPage, type ListPage, type PageRequest } from '../../platform/lists.js';
import { noticeFiles, notices, type NoticeKind, type NoticeStatus } from './notices.table.js';
import { rows } from '../../db/rows.js';

export type NoticeRow = typeof notices.$inferSelect;
export type NoticeListRow = NoticeRow & {
  unitName: string;
  dPoints: number | null;
  dReason: string | null;
  dDocumentNo: string | null;
};

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The next number of a kind in a year; the advisory lock keeps two issuers from taking the same one. */
export async function nextSeq(tx: Db, kind: NoticeKind, year: number): Promise<number> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`notices:${kind}:${year}`}))`);
  const [r] = await rows<{ n: number }>(
    tx,
    sql`SELECT coalesce(max(seq), 0)::int + 1 AS n FROM notices WHERE kind = ${kind} AND year = ${year}`,
  );
  return r.n;
}

export async function insertNotice(tx: Db, v: typeof notices.$inferInsert): Promise<NoticeRow> {
  return (await tx.insert(notices).values(v).returning())[0];
}

export async function lockNotice(tx: Db, id: number): Promise<NoticeRow | null> {
  return (await tx.select().from(notices).where(eq(notices.id, id)).for('update').limit(1))[0] ?? null;
}

export async function updateNotice(tx: Db, id: number, v: Partial<NoticeRow>): Promise<void> {
  await tx.update(notices).set(v).where(eq(notices.id, id));
}

/** An existing 问责扣分 (scoring's accountability deductions) and its unit, or null. */
export async function findDeduction(
  db: Db,
  id: number,
): Promise<{ id: number; unitId: number; points: number; reason: string; documentNo: string } | null> {
  return (
    (
      await rows<{ id: number; unitId: number; points: number; reason: string; documentNo: string }>(
        db,
        sql`SELECT id, unit_id AS "unitId", points::float AS points, reason, document_no AS "documentNo"
            FROM accountability_deductions WHERE id = ${id}`,
      )
    )[0] ?? null
  );
}

export async function unitExists(db: Db, id: number): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM units WHERE id = ${id}`)).length > 0;
}

const COLS = sql`n.id, n.kind, n.year, n.seq, n.number, n.unit_id AS "unitId", u.name AS "unitName", n.title, n.findings,
  n.actions, n.deadline::text AS deadline, n.issuer_name AS "issuerName", n.issued_by AS "issuedBy",
  n.issued_at AS "issuedAt", n.source_kind AS "sourceKind", n.source_id AS "sourceId", n.deduction_id AS "deductionId",
  n.status, n.reply_measures AS "replyMeasures", n.reply_evidence AS "replyEvidence", n.replied_at AS "repliedAt",
  n.replied_by AS "repliedBy", n.reviewed_at AS "reviewedAt", n.reviewed_by AS "reviewedBy", n.review_note AS "reviewNote",
  n.returns, d.points::float AS "dPoints", d.reason AS "dReason", d.document_no AS "dDocumentNo"`;

export type NoticeFilter = {
  id?: number;
  unitIds: number[] | null;
  unitId?: number;
  kind?: NoticeKind;
  status?: NoticeStatus;
  year?: number;
  q?: string;
  overdueOn?: string;
};

function fromOf(f: NoticeFilter): SQL {
  const conds: SQL[] = [sql`true`];
  if (f.id) conds.push(sql`n.id = ${f.id}`);
  if (f.unitIds) conds.push(f.unitIds.length ? sql`n.unit_id = ANY(${`{${f.unitIds.join(',')}}`}::int[])` : sql`false`);
  if (f.unitId) conds.push(sql`n.unit_id = ${f.unitId}`);
  if (f.kind) conds.push(sql`n.kind = ${f.kind}`);
  if (f.status) conds.push(sql`n.status = ${f.status}`);
  if (f.year) conds.push(sql`n.year = ${f.year}`);
  if (f.q) conds.push(sql`(n.title LIKE ${like(f.q)} OR n.number LIKE ${like(f.q)})`);
  if (f.overdueOn) conds.push(sql`n.status IN ('issued','returned') AND n.deadline < ${f.overdueOn}::date`);
  return sql`notices n JOIN units u ON u.id = n.unit_id LEFT JOIN accountability_deductions d ON d.id = n.deduction_id
    WHERE ${sql.join(conds, sql` AND `)}`;
}

export async function listNotices(db: Db, f: NoticeFilter, page: PageRequest): Promise<ListPage<NoticeListRow>> {
  const from = fromOf(f);
  return readPage(
    page,
    (limit, offset) =>
      rows<NoticeListRow>(
        db,
        sql`SELECT ${COLS} FROM ${from} ORDER BY n.issued_at DESC, n.id DESC LIMIT ${limit} OFFSET ${offset}`,
      ),
    (cap) => cappedCount(db, from, cap),
  );
}

export async function findNotice(db: Db, id: number): Promise<NoticeListRow | null> {
  return (await rows<NoticeListRow>(db, sql`SELECT ${COLS} FROM ${fromOf({ id, unitIds: null })}`))[0] ?? null;
}

/** Per unit in a year: notices issued, accepted, overdue on `today`. */
export async function countsPerUnit(db: Db, year: number, today: string, unitIds: number[] | null) {
  const scope = unitIds ? sql`AND n.unit_id = ANY(${`{${unitIds.join(',') || '0'}}`}::int[])` : sql``;
  return rows<{ unitId: number; unitName: string; issued: number; accepted: number; overdue: number }>(
    db,
    sql`SELECT n.unit_id AS "unitId", u.name AS "unitName", count(*)::int AS issued,
          count(*) FILTER (WHERE n.status = 'accepted')::int AS accepted,
          count(*) FILTER (WHERE n.status IN ('issued','returned') AND n.deadline < ${today}::date)::int AS overdue
        FROM notices n JOIN units u ON u.id = n.unit_id WHERE n.year = ${year} ${scope}
        GROUP BY n.unit_id, u.name ORDER BY u.name`,
  );
}

/** Per unit and Beijing month of issue: the notices issued in a year, by kind, with their numbers (for the `notices` leaves). */
export async function monthlyCounts(
  db: Db,
  year: number,
  unitIds: readonly number[] | null,
): Promise<{ unitId: number; month: string; kind: NoticeKind; n: number; numbers: string[] }[]> {
  const scope = unitIds ? sql`AND unit_id = ANY(${`{${unitIds.join(',') || '0'}}`}::int[])` : sql``;
  return rows(
    db,
    sql`SELECT unit_id AS "unitId", to_char(issued_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, kind,
               count(*)::int AS n, array_agg(number ORDER BY issued_at, id) AS numbers
          FROM notices
         WHERE issued_at >= (${`${year}-01-01`}::timestamp AT TIME ZONE 'Asia/Shanghai')
           AND issued_at < (${`${year + 1}-01-01`}::timestamp AT TIME ZONE 'Asia/Shanghai') ${scope}
         GROUP BY 1, 2, 3`,
  );
}

// ---------- reply evidence files ----------

export type NoticeFileRow = typeof noticeFiles.$inferSelect;

export async function insertFile(tx: Db, v: typeof noticeFiles.$inferInsert): Promise<NoticeFileRow> {
  return (await tx.insert(noticeFiles).values(v).returning())[0];
}
export async function findFile(db: Db, id: number): Promise<NoticeFileRow | null> {
  return (await db.select().from(noticeFiles).where(eq(noticeFiles.id, id)).limit(1))[0] ?? null;
}
/** The files of some notices, oldest first. */
export async function filesOf(db: Db, noticeIds: readonly number[]): Promise<NoticeFileRow[]> {
  if (!noticeIds.length) return [];
  return db
    .select()
    .from(noticeFiles)
    .where(inArray(noticeFiles.noticeId, [...noticeIds]))
    .orderBy(asc(noticeFiles.id));
}
