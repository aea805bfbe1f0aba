/** Queries of the proposals (议案提案) and issued documents (专报/通报) tables. */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  supervisionDocumentUnits,
  supervisionDocuments,
  supervisionProposalCoUnits,
  supervisionProposalFiles,
  supervisionProposalRounds,
  supervisionProposals,
  type DocKind,
  type ProposalSatisfaction,
} from './supervision.docs.table.js';
import { proposalFigures, type StatsRound } from './supervision.proposals.rules.js';
import { monthEnd } from './supervision.stats.js';
import { idList, rows } from '../../db/rows.js';

export type ProposalRow = typeof supervisionProposals.$inferSelect;
export type RoundRow = typeof supervisionProposalRounds.$inferSelect;
export type DocumentRow = typeof supervisionDocuments.$inferSelect;

// ---------- proposals ----------

/** Who sees which proposals: all; a deputy's own; or those led or co-handled by a unit in scope. */
export type ProposalVisibility = { all: true } | { all: false; unitIds: number[]; deputyId: number | null };

function visibleSql(v: ProposalVisibility): SQL {
  if (v.all) return sql`true`;
  const list = idList(v.unitIds);
  return sql`(p.lead_unit_id IN (${list})
    OR EXISTS (SELECT 1 FROM supervision_proposal_co_units c WHERE c.proposal_id = p.id AND c.unit_id IN (${list}))
    ${v.deputyId !== null ? sql`OR p.deputy_id = ${v.deputyId}` : sql``})`;
}

export type ProposalFilter = {
  year?: number;
  kind?: string;
  status?: string;
  unitId?: number;
  deputyId?: number;
  satisfaction?: string;
  overdue?: boolean;
  q?: string;
  today: string;
  limit: number;
  offset: number;
};

export type ProposalListRow = {
  id: number;
  year: number;
  kind: string;
  number: string;
  title: string;
  deputy_id: number;
  deputy_name: string;
  lead_unit_id: number;
  lead_unit_name: string;
  co_unit_names: string[] | null;
  deadline: string;
  status: string;
  round: number;
  satisfaction: ProposalSatisfaction | null;
  replied_on: string | null;
};

export async function listProposals(
  db: Db,
  v: ProposalVisibility,
  f: ProposalFilter,
): Promise<{ total: number; rows: ProposalListRow[] }> {
  const conds: SQL[] = [visibleSql(v)];
  if (f.year) conds.push(sql`p.year = ${f.year}`);
  if (f.kind) conds.push(sql`p.kind = ${f.kind}`);
  if (f.status) conds.push(sql`p.status = ${f.status}`);
  if (f.satisfaction) conds.push(sql`p.satisfaction = ${f.satisfaction}`);
  if (f.deputyId) conds.push(sql`p.deputy_id = ${f.deputyId}`);
  if (f.unitId)
    conds.push(
      sql`(p.lead_unit_id = ${f.unitId} OR EXISTS (SELECT 1 FROM supervision_proposal_co_units c2 WHERE c2.proposal_id = p.id AND c2.unit_id = ${f.unitId}))`,
    );
  if (f.overdue) conds.push(sql`p.status = 'assigned' AND p.deadline < ${f.today}::date`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(sql`(p.title LIKE ${like} OR p.number LIKE ${like})`);
  }
  const where = sql.join(conds, sql` AND `);
  const [agg] = await rows<{ total: number }>(
    db,
    sql`SELECT count(*)::int AS total FROM supervision_proposals p WHERE ${where}`,
  );
  const page = await rows<ProposalListRow>(
    db,
    sql`SELECT p.id, p.year, p.kind, p.number, p.title, p.deputy_id, d.display_name AS deputy_name,
          p.lead_unit_id, u.name AS lead_unit_name,
          (SELECT array_agg(cu.name ORDER BY cu.id) FROM supervision_proposal_co_units c JOIN units cu ON cu.id = c.unit_id WHERE c.proposal_id = p.id) AS co_unit_names,
          p.deadline::text AS deadline, p.status, p.round, p.satisfaction,
          (SELECT r.replied_on::text FROM supervision_proposal_rounds r WHERE r.proposal_id = p.id AND r.round = p.round) AS replied_on
        FROM supervision_proposals p
        JOIN users d ON d.id = p.deputy_id
        JOIN units u ON u.id = p.lead_unit_id
        WHERE ${where}
        ORDER BY p.year DESC, p.kind, p.number, p.id
        LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  return { total: agg.total, rows: page };
}

export async function isProposalVisible(db: Db, v: ProposalVisibility, id: number): Promise<boolean> {
  return (
    (await rows(db, sql`SELECT 1 AS ok FROM supervision_proposals p WHERE p.id = ${id} AND ${visibleSql(v)}`)).length >
    0
  );
}

export async function findProposal(db: Db, id: number, forUpdate = false): Promise<ProposalRow | null> {
  const q = db.select().from(supervisionProposals).where(eq(supervisionProposals.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function numberTaken(db: Db, year: number, kind: string, number: string): Promise<boolean> {
  return (
    (
      await rows(
        db,
        sql`SELECT 1 FROM supervision_proposals WHERE year = ${year} AND kind = ${kind} AND number = ${number}`,
      )
    ).length > 0
  );
}

export async function insertProposal(tx: Db, v: typeof supervisionProposals.$inferInsert): Promise<ProposalRow> {
  const [row] = await tx.insert(supervisionProposals).values(v).returning();
  return row;
}

export async function updateProposal(
  tx: Db,
  id: number,
  v: Partial<typeof supervisionProposals.$inferInsert>,
): Promise<ProposalRow> {
  const [row] = await tx
    .update(supervisionProposals)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(supervisionProposals.id, id))
    .returning();
  return row;
}

export async function setCoUnits(tx: Db, proposalId: number, unitIds: readonly number[]): Promise<void> {
  await tx.delete(supervisionProposalCoUnits).where(eq(supervisionProposalCoUnits.proposalId, proposalId));
  if (unitIds.length)
    await tx.insert(supervisionProposalCoUnits).values(unitIds.map((unitId) => ({ proposalId, unitId })));
}

export async function coUnits(db: Db, proposalId: number): Promise<{ unitId: number; name: string }[]> {
  return rows(
    db,
    sql`SELECT c.unit_id AS "unitId", u.name FROM supervision_proposal_co_units c JOIN units u ON u.id = c.unit_id
        WHERE c.proposal_id = ${proposalId} ORDER BY u.id`,
  );
}

export async function insertRound(tx: Db, v: typeof supervisionProposalRounds.$inferInsert): Promise<void> {
  await tx.insert(supervisionProposalRounds).values(v);
}

export async function updateRound(
  tx: Db,
  proposalId: number,
  round: number,
  v: Partial<typeof supervisionProposalRounds.$inferInsert>,
): Promise<void> {
  await tx
    .update(supervisionProposalRounds)
    .set(v)
    .where(and(eq(supervisionProposalRounds.proposalId, proposalId), eq(supervisionProposalRounds.round, round)));
}

export async function roundsOf(db: Db, proposalId: number): Promise<RoundRow[]> {
  return db
    .select()
    .from(supervisionProposalRounds)
    .where(eq(supervisionProposalRounds.proposalId, proposalId))
    .orderBy(asc(supervisionProposalRounds.round));
}

export async function insertProposalFile(
  tx: Db,
  v: typeof supervisionProposalFiles.$inferInsert,
): Promise<typeof supervisionProposalFiles.$inferSelect> {
  const [row] = await tx.insert(supervisionProposalFiles).values(v).returning();
  return row;
}
export async function findProposalFile(db: Db, id: number) {
  return (await db.select().from(supervisionProposalFiles).where(eq(supervisionProposalFiles.id, id)))[0] ?? null;
}
export async function proposalFiles(db: Db, proposalId: number) {
  return db
    .select()
    .from(supervisionProposalFiles)
    .where(eq(supervisionProposalFiles.proposalId, proposalId))
    .orderBy(asc(supervisionProposalFiles.id));
}

export async function unitNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const r = await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM units WHERE id IN (${idList(ids)})`);
  return new Map(r.map((x) => [Number(x.id), x.name]));
}
export async function userName(db: Db, id: number): Promise<string> {
  return (await rows<{ n: string }>(db, sql`SELECT display_name AS n FROM users WHERE id = ${id}`))[0]?.n ?? '';
}
export async function unitsExist(db: Db, ids: readonly number[]): Promise<boolean> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM units WHERE id IN (${idList(ids)}) AND active`,
  );
  return Number(r.n) === new Set(ids).size;
}

/** The reply rounds of a year's proposals (the lead unit of each round), for the figures. */
export async function statsRounds(db: Db, year: number, unitIds?: readonly number[]): Promise<StatsRound[]> {
  const unitCond = unitIds?.length ? sql` AND r.unit_id IN (${idList(unitIds)})` : sql``;
  const r = await rows<{
    proposal_id: number;
    unit_id: number;
    round: number;
    deadline: string;
    replied_on: string | null;
    satisfaction: ProposalSatisfaction | null;
    rated_on: string | null;
  }>(
    db,
    sql`SELECT r.proposal_id, r.unit_id, r.round, r.deadline::text AS deadline, r.replied_on::text AS replied_on,
               r.satisfaction, r.rated_on::text AS rated_on
          FROM supervision_proposal_rounds r JOIN supervision_proposals p ON p.id = r.proposal_id
         WHERE p.year = ${year} ${unitCond}
         ORDER BY r.proposal_id, r.round`,
  );
  return r.map((x) => ({
    proposalId: Number(x.proposal_id),
    unitId: Number(x.unit_id),
    round: Number(x.round),
    deadline: x.deadline,
    repliedOn: x.replied_on,
    satisfaction: x.satisfaction,
    ratedOn: x.rated_on,
  }));
}

/**
 * The proposal figures as score-input fields, per month and unit (as of the month's end, or `on` in the
 * running month): proposalRepliesDue, proposalRepliesOnTime, proposalReplyRate, proposalsRated,
 * proposalsSatisfied, proposalSatisfactionRate and the proposal ids behind them.
 */
export async function proposalInputFields(
  db: Db,
  year: number,
  months: readonly string[],
  on: string,
  unitIds?: readonly number[],
): Promise<Map<string, Map<number, Record<string, unknown>>>> {
  const rounds = await statsRounds(db, year, unitIds);
  const out = new Map<string, Map<number, Record<string, unknown>>>();
  if (!rounds.length) return out;
  for (const period of months) {
    const end = monthEnd(period);
    const m = new Map<number, Record<string, unknown>>();
    for (const f of proposalFigures(rounds, end < on ? end : on).values())
      m.set(f.unitId, {
        proposalRepliesDue: f.repliesDue,
        proposalRepliesOnTime: f.repliesOnTime,
        proposalReplyRate: f.replyRate,
        proposalsRated: f.rated,
        proposalsSatisfied: f.satisfied,
        proposalSatisfactionRate: f.satisfactionRate,
        proposalDueIds: f.dueProposalIds,
        proposalLateIds: f.lateProposalIds,
        proposalRatedIds: f.ratedProposalIds,
        proposalUnsatisfiedIds: f.unsatisfiedProposalIds,
      });
    out.set(period, m);
  }
  return out;
}

// ---------- issued documents ----------

/** Reserves the next number of a kind and year (in the issuing transaction: a rollback gives it back). */
export async function nextDocumentSeq(tx: Db, kind: DocKind, year: number): Promise<number> {
  const [r] = await rows<{ last: number }>(
    tx,
    sql`INSERT INTO supervision_doc_counters (kind, year, last) VALUES (${kind}, ${year}, 1)
        ON CONFLICT (kind, year) DO UPDATE SET last = supervision_doc_counters.last + 1
        RETURNING last`,
  );
  return Number(r.last);
}

export async function insertDocument(
  tx: Db,
  v: typeof supervisionDocuments.$inferInsert,
  unitIds: readonly number[],
): Promise<number> {
  const [row] = await tx.insert(supervisionDocuments).values(v).returning({ id: supervisionDocuments.id });
  if (unitIds.length)
    await tx.insert(supervisionDocumentUnits).values(unitIds.map((unitId) => ({ documentId: row.id, unitId })));
  return row.id;
}

/** Who sees which documents: all; or 专报 (when `reports`) and 通报 naming a unit in scope. */
export type DocVisibility = { all: true } | { all: false; reports: boolean; unitIds: number[] };

function docVisibleSql(v: DocVisibility): SQL {
  if (v.all) return sql`true`;
  return sql`(${v.reports ? sql`d.kind = 'report' OR ` : sql``}(d.kind = 'bulletin' AND EXISTS (
    SELECT 1 FROM supervision_document_units du WHERE du.document_id = d.id AND du.unit_id IN (${idList(v.unitIds)}))))`;
}

export type DocumentHead = {
  id: number;
  kind: DocKind;
  year: number;
  seq: number;
  number: string;
  title: string;
  task_count: number;
  unit_names: string[] | null;
  docx_sha256: string;
  docx_bytes: number;
  issued_by_name: string;
  issued_at: Date | string;
};

export async function listDocuments(
  db: Db,
  v: DocVisibility,
  f: { kind?: DocKind; year?: number },
): Promise<DocumentHead[]> {
  const conds: SQL[] = [docVisibleSql(v)];
  if (f.kind) conds.push(sql`d.kind = ${f.kind}`);
  if (f.year) conds.push(sql`d.year = ${f.year}`);
  return rows(
    db,
    sql`SELECT d.id, d.kind, d.year, d.seq, d.number, d.title, jsonb_array_length(d.task_ids)::int AS task_count,
          (SELECT array_agg(u.name ORDER BY u.id) FROM supervision_document_units du JOIN units u ON u.id = du.unit_id WHERE du.document_id = d.id) AS unit_names,
          d.docx_sha256, octet_length(d.docx)::int AS docx_bytes, d.issued_by_name, d.issued_at
        FROM supervision_documents d WHERE ${sql.join(conds, sql` AND `)}
        ORDER BY d.issued_at DESC, d.id DESC LIMIT 500`,
  );
}

export async function isDocumentVisible(db: Db, v: DocVisibility, id: number): Promise<boolean> {
  return (
    (await rows(db, sql`SELECT 1 AS ok FROM supervision_documents d WHERE d.id = ${id} AND ${docVisibleSql(v)}`))
      .length > 0
  );
}

export async function findDocument(db: Db, id: number): Promise<DocumentRow | null> {
  return (await db.select().from(supervisionDocuments).where(eq(supervisionDocuments.id, id)))[0] ?? null;
}

export async function documentUnitIds(db: Db, id: number): Promise<number[]> {
  return (
    await db
      .select({ unitId: supervisionDocumentUnits.unitId })
      .from(supervisionDocumentUnits)
      .where(eq(supervisionDocumentUnits.documentId, id))
  ).map((r) => r.unitId);
}

/** What a document says of each selected task: its state, latest report and overdue milestones. */
export async function documentTasks(db: Db, ids: readonly number[], today: string) {
  if (!ids.length) return [];
  return rows<{
    id: number;
    title: string;
    lead_unit_id: number;
    lead_unit_name: string;
    status: string;
    progress: number;
    light: string | null;
    light_reasons: string[] | null;
    deadline: string;
    completion: string | null;
    report_on: string | null;
    report_note: string | null;
    overdue: { title: string; dueOn: string }[] | null;
  }>(
    db,
    sql`SELECT t.id, t.title, t.lead_unit_id, u.name AS lead_unit_name, t.status, t.progress, t.light, t.light_reasons,
          t.deadline::text AS deadline, t.completion,
          (SELECT to_char(e.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') FROM supervision_events e WHERE e.task_id = t.id AND e.kind IN ('report','applyCompletion') ORDER BY e.id DESC LIMIT 1) AS report_on,
          (SELECT e.note FROM supervision_events e WHERE e.task_id = t.id AND e.kind IN ('report','applyCompletion') ORDER BY e.id DESC LIMIT 1) AS report_note,
          (SELECT json_agg(json_build_object('title', m.title, 'dueOn', m.due_on::text) ORDER BY m.due_on)
             FROM supervision_milestones m WHERE m.task_id = t.id AND m.done_on IS NULL AND m.due_on < ${today}::date) AS overdue
        FROM supervision_tasks t JOIN units u ON u.id = t.lead_unit_id
        WHERE t.id IN (${idList(ids)}) AND t.lead_unit_id IS NOT NULL
        ORDER BY u.id, t.id`,
  );
}
