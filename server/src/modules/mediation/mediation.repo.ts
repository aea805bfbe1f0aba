import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { idList, rows } from '../../db/rows.js';
import type { Visibility } from '../../lib/context.js';
import { cappedCount, readPage, type ListPage, type PageRequest } from '../../platform/lists.js';
import type { DisputeType, MediationStatus } from './mediation.table.js';

/** Who sees what: the desk (all), or the cases hosted by or jointly mediated with a unit in scope. */
function visibleSql(v: Visibility): SQL {
  if (v.all) return sql`true`;
  const list = idList(v.unitIds);
  return sql`(m.host_unit_id IN (${list}) OR EXISTS (SELECT 1 FROM mediation_units j WHERE j.case_id = m.id AND j.unit_id IN (${list})))`;
}

export type ListFilter = {
  year?: number;
  month?: number;
  disputeType?: string;
  status?: string;
  unitId?: number;
  joint?: '1' | '0';
  q?: string;
};

export type CaseRowDb = {
  id: number;
  number: string;
  dispute_type: DisputeType;
  title: string;
  host_unit_id: number;
  host_unit_name: string;
  joint_unit_names: string[] | null;
  applicants: string[] | null;
  respondents: string[] | null;
  mediator_names: string[] | null;
  received_on: string;
  status: MediationStatus;
  outcome_on: string | null;
  people: number;
  amount_claimed: string | number;
  amount_recovered: string | number;
  sessions: number;
};

function whereOf(v: Visibility, f: ListFilter): SQL {
  const conds: SQL[] = [visibleSql(v)];
  if (f.year) conds.push(sql`m.year = ${f.year}`);
  if (f.year && f.month)
    conds.push(sql`to_char(m.received_on, 'YYYY-MM') = ${`${f.year}-${String(f.month).padStart(2, '0')}`}`);
  if (f.disputeType) conds.push(sql`m.dispute_type = ${f.disputeType}`);
  if (f.status) conds.push(sql`m.status = ${f.status}`);
  if (f.unitId)
    conds.push(
      sql`(m.host_unit_id = ${f.unitId} OR EXISTS (SELECT 1 FROM mediation_units j2 WHERE j2.case_id = m.id AND j2.unit_id = ${f.unitId}))`,
    );
  if (f.joint === '1') conds.push(sql`EXISTS (SELECT 1 FROM mediation_units j3 WHERE j3.case_id = m.id)`);
  if (f.joint === '0') conds.push(sql`NOT EXISTS (SELECT 1 FROM mediation_units j3 WHERE j3.case_id = m.id)`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(
      sql`(m.title LIKE ${like} OR m.number LIKE ${like} OR EXISTS (SELECT 1 FROM mediation_parties p2 WHERE p2.case_id = m.id AND p2.name LIKE ${like}))`,
    );
  }
  return sql.join(conds, sql` AND `);
}

const ROW_COLUMNS = sql`m.id, m.number, m.dispute_type, m.title, m.host_unit_id, hu.name AS host_unit_name,
  (SELECT array_agg(u.name ORDER BY u.id) FROM mediation_units j JOIN units u ON u.id = j.unit_id WHERE j.case_id = m.id) AS joint_unit_names,
  (SELECT array_agg(p.name ORDER BY p.id) FROM mediation_parties p WHERE p.case_id = m.id AND p.side = 'applicant') AS applicants,
  (SELECT array_agg(p.name ORDER BY p.id) FROM mediation_parties p WHERE p.case_id = m.id AND p.side = 'respondent') AS respondents,
  (SELECT array_agg(us.display_name ORDER BY us.id) FROM mediation_mediators mm JOIN users us ON us.id = mm.user_id WHERE mm.case_id = m.id) AS mediator_names,
  m.received_on::text AS received_on, m.status, m.outcome_on::text AS outcome_on, m.people, m.amount_claimed, m.amount_recovered,
  (SELECT count(*)::int FROM mediation_sessions s WHERE s.case_id = m.id) AS sessions`;

/** One page of the visible cases, newest first. */
export async function listCases(db: Db, v: Visibility, f: ListFilter, page: PageRequest): Promise<ListPage<CaseRowDb>> {
  const where = whereOf(v, f);
  return readPage(
    page,
    (limit, offset) =>
      rows<CaseRowDb>(
        db,
        sql`SELECT ${ROW_COLUMNS} FROM mediation_cases m JOIN units hu ON hu.id = m.host_unit_id
            WHERE ${where} ORDER BY m.received_on DESC, m.id DESC LIMIT ${limit} OFFSET ${offset}`,
      ),
    (cap) => cappedCount(db, sql`mediation_cases m WHERE ${where}`, cap),
  );
}

export async function caseRow(db: Db, id: number): Promise<CaseRowDb | null> {
  const [r] = await rows<CaseRowDb>(
    db,
    sql`SELECT ${ROW_COLUMNS} FROM mediation_cases m JOIN units hu ON hu.id = m.host_unit_id WHERE m.id = ${id}`,
  );
  return r ?? null;
}

export async function isVisible(db: Db, v: Visibility, id: number): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM mediation_cases m WHERE m.id = ${id} AND ${visibleSql(v)}`)).length > 0;
}

export type CaseCore = {
  id: number;
  number: string;
  year: number;
  status: MediationStatus;
  host_unit_id: number;
  facts: string;
  outcome_note: string;
  agreement: string;
  performance: string;
  received_on: string;
};

export async function caseCore(db: Db, id: number, forUpdate = false): Promise<CaseCore | null> {
  const lock = forUpdate ? sql` FOR UPDATE` : sql``;
  const [r] = await rows<CaseCore>(
    db,
    sql`SELECT id, number, year, status, host_unit_id, facts, outcome_note, agreement, performance, received_on::text AS received_on
        FROM mediation_cases WHERE id = ${id}${lock}`,
  );
  return r ?? null;
}

export async function parties(db: Db, id: number) {
  return rows<{ id: number; side: 'applicant' | 'respondent'; name: string; contact: string; address: string }>(
    db,
    sql`SELECT id, side, name, contact, address FROM mediation_parties WHERE case_id = ${id} ORDER BY side, id`,
  );
}
export async function mediators(db: Db, id: number) {
  return rows<{ id: number; name: string }>(
    db,
    sql`SELECT u.id, u.display_name AS name FROM mediation_mediators mm JOIN users u ON u.id = mm.user_id WHERE mm.case_id = ${id} ORDER BY u.id`,
  );
}
export async function jointUnits(db: Db, id: number) {
  return rows<{ id: number; name: string }>(
    db,
    sql`SELECT u.id, u.name FROM mediation_units j JOIN units u ON u.id = j.unit_id WHERE j.case_id = ${id} ORDER BY u.id`,
  );
}
export async function sessions(db: Db, id: number) {
  return rows<{ id: number; held_on: string; place: string; note: string; recorded_by_name: string }>(
    db,
    sql`SELECT id, held_on::text AS held_on, place, note, recorded_by_name FROM mediation_sessions WHERE case_id = ${id} ORDER BY held_on, id`,
  );
}

export async function unitsExist(db: Db, ids: readonly number[]): Promise<boolean> {
  if (!ids.length) return true;
  const r = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM units WHERE active AND id IN (${idList(ids)})`,
  );
  return r[0].n === new Set(ids).size;
}

/** The users among ids who may mediate (hold the mediator or office role). */
export async function mediatorUsers(db: Db, ids?: readonly number[]) {
  const only = ids ? sql` AND u.id IN (${idList(ids)})` : sql``;
  return rows<{ id: number; name: string; unit_name: string }>(
    db,
    sql`SELECT u.id, u.display_name AS name, un.name AS unit_name FROM users u JOIN units un ON un.id = u.unit_id
        WHERE u.active AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('mediator', 'office'))${only}
        ORDER BY u.id`,
  );
}

export type CaseWrite = {
  year: number;
  disputeType: string;
  title: string;
  facts: string;
  hostUnitId: number;
  receivedOn: string;
  people: number;
  amountClaimed: number;
};

export async function insertCase(
  tx: Db,
  v: CaseWrite & { createdBy: number },
): Promise<{ id: number; number: string }> {
  // The number carries the id (TJ2026-00042): take the id first, so both are known in the one INSERT.
  const [{ id }] = await rows<{ id: number }>(
    tx,
    sql`SELECT nextval(pg_get_serial_sequence('mediation_cases', 'id'))::int AS id`,
  );
  const number = `TJ${v.year}-${String(id).padStart(5, '0')}`;
  await tx.execute(
    sql`INSERT INTO mediation_cases(id, number, year, dispute_type, title, facts, host_unit_id, received_on, people, amount_claimed, created_by)
        VALUES (${id}, ${number}, ${v.year}, ${v.disputeType}, ${v.title}, ${v.facts}, ${v.hostUnitId}, ${v.receivedOn}, ${v.people}, ${v.amountClaimed}, ${v.createdBy})`,
  );
  return { id, number };
}

export async function updateCase(tx: Db, id: number, v: CaseWrite): Promise<void> {
  await tx.execute(
    sql`UPDATE mediation_cases SET dispute_type = ${v.disputeType}, title = ${v.title}, facts = ${v.facts}, host_unit_id = ${v.hostUnitId},
          received_on = ${v.receivedOn}, people = ${v.people}, amount_claimed = ${v.amountClaimed}, updated_at = now() WHERE id = ${id}`,
  );
}

export async function replaceLinks(
  tx: Db,
  id: number,
  v: {
    parties: readonly { side: string; name: string; contact: string; address: string }[];
    mediatorIds: readonly number[];
    jointUnitIds: readonly number[];
  },
): Promise<void> {
  await tx.execute(sql`DELETE FROM mediation_parties WHERE case_id = ${id}`);
  await tx.execute(sql`DELETE FROM mediation_mediators WHERE case_id = ${id}`);
  await tx.execute(sql`DELETE FROM mediation_units WHERE case_id = ${id}`);
  await tx.execute(
    sql`INSERT INTO mediation_parties(case_id, side, name, contact, address)
        SELECT ${id}, x.side, x.name, x.contact, x.address FROM json_to_recordset(${JSON.stringify(v.parties)}::json)
          AS x(side text, name text, contact text, address text)`,
  );
  for (const m of new Set(v.mediatorIds))
    await tx.execute(sql`INSERT INTO mediation_mediators(case_id, user_id) VALUES (${id}, ${m})`);
  for (const u of new Set(v.jointUnitIds))
    await tx.execute(sql`INSERT INTO mediation_units(case_id, unit_id) VALUES (${id}, ${u})`);
}

export async function insertSession(
  tx: Db,
  v: { caseId: number; heldOn: string; place: string; note: string; recordedBy: number; recordedByName: string },
): Promise<number> {
  const [r] = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO mediation_sessions(case_id, held_on, place, note, recorded_by, recorded_by_name)
        VALUES (${v.caseId}, ${v.heldOn}, ${v.place}, ${v.note}, ${v.recordedBy}, ${v.recordedByName}) RETURNING id`,
  );
  await tx.execute(sql`UPDATE mediation_cases SET updated_at = now() WHERE id = ${v.caseId}`);
  return r.id;
}

export async function sessionSpan(db: Db, id: number): Promise<{ n: number; first: string | null }> {
  const [r] = await rows<{ n: number; first: string | null }>(
    db,
    sql`SELECT count(*)::int AS n, min(held_on)::text AS first FROM mediation_sessions WHERE case_id = ${id}`,
  );
  return r;
}

export async function setOutcome(
  tx: Db,
  id: number,
  v: {
    status: string;
    outcomeOn: string;
    note: string;
    agreement: string;
    performance: string;
    amountRecovered: number;
  },
): Promise<void> {
  await tx.execute(
    sql`UPDATE mediation_cases SET status = ${v.status}, outcome_on = ${v.outcomeOn}, outcome_note = ${v.note}, agreement = ${v.agreement},
          performance = ${v.performance}, amount_recovered = ${v.amountRecovered}, updated_at = now() WHERE id = ${id}`,
  );
}

export type StatRowDb = {
  id: number;
  host_unit_id: number;
  joint: number[] | null;
  dispute_type: DisputeType;
  received_on: string;
  status: MediationStatus;
  outcome_on: string | null;
  people: number;
  amount_claimed: string | number;
  amount_recovered: string | number;
};

/** The cases of a year received (for the year's figures), visible under the rule. */
export async function statRows(db: Db, year: number, v: Visibility): Promise<StatRowDb[]> {
  return rows<StatRowDb>(
    db,
    sql`SELECT m.id, m.host_unit_id, (SELECT array_agg(j.unit_id ORDER BY j.unit_id) FROM mediation_units j WHERE j.case_id = m.id) AS joint,
          m.dispute_type, m.received_on::text AS received_on, m.status, m.outcome_on::text AS outcome_on, m.people, m.amount_claimed, m.amount_recovered
        FROM mediation_cases m WHERE m.year = ${year} AND ${visibleSql(v)} ORDER BY m.id`,
  );
}

export async function unitNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const r = await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM units WHERE id IN (${idList(ids)})`);
  return new Map(r.map((u) => [u.id, u.name]));
}
