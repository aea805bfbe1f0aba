import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { idList, rows } from '../../db/rows.js';
import type { Visibility } from '../../lib/context.js';
import { cappedCount, readPage, type ListPage, type PageRequest } from '../../platform/lists.js';
import type { AssistanceKind, AssistanceStatus, Satisfaction } from './assistance.table.js';

/** The desk sees every request; a unit sees those referred to it (or to a unit below it). */
const visibleSql = (v: Visibility): SQL => (v.all ? sql`true` : sql`a.unit_id IN (${idList(v.unitIds)})`);

export type ListFilter = { year?: number; kind?: string; status?: string; unitId?: number; overdue?: '1'; q?: string };

export type RequestRowDb = {
  id: number;
  number: string;
  kind: AssistanceKind;
  requester_name: string;
  requester_phone: string;
  requester_address: string;
  description: string;
  people: number;
  amount_claimed: string | number;
  amount_recovered: string | number;
  received_on: string;
  status: AssistanceStatus;
  unit_id: number | null;
  unit_name: string | null;
  referred_on: string | null;
  due_on: string | null;
  answered_on: string | null;
  urge_count: number;
  satisfaction: Satisfaction | null;
  answer: string;
  feedback_note: string;
  closed_on: string | null;
};

const COLUMNS = sql`a.id, a.number, a.kind, a.requester_name, a.requester_phone, a.requester_address, a.description, a.people,
  a.amount_claimed, a.amount_recovered, a.received_on::text AS received_on, a.status, a.unit_id, u.name AS unit_name,
  a.referred_on::text AS referred_on, a.due_on::text AS due_on, a.answered_on::text AS answered_on, a.urge_count, a.satisfaction,
  a.answer, a.feedback_note, a.closed_on::text AS closed_on`;

function whereOf(v: Visibility, f: ListFilter, today: string): SQL {
  const conds: SQL[] = [visibleSql(v)];
  if (f.year) conds.push(sql`a.year = ${f.year}`);
  if (f.kind) conds.push(sql`a.kind = ${f.kind}`);
  if (f.status) conds.push(sql`a.status = ${f.status}`);
  if (f.unitId) conds.push(sql`a.unit_id = ${f.unitId}`);
  if (f.overdue)
    conds.push(
      sql`a.due_on IS NOT NULL AND ((a.answered_on IS NULL AND a.due_on < ${today}) OR a.answered_on > a.due_on)`,
    );
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(sql`(a.number LIKE ${like} OR a.requester_name LIKE ${like} OR a.description LIKE ${like})`);
  }
  return sql.join(conds, sql` AND `);
}

export async function listRequests(
  db: Db,
  v: Visibility,
  f: ListFilter,
  page: PageRequest,
  today: string,
): Promise<ListPage<RequestRowDb>> {
  const where = whereOf(v, f, today);
  return readPage(
    page,
    (limit, offset) =>
      rows<RequestRowDb>(
        db,
        sql`SELECT ${COLUMNS} FROM assistance_requests a LEFT JOIN units u ON u.id = a.unit_id
            WHERE ${where} ORDER BY a.received_on DESC, a.id DESC LIMIT ${limit} OFFSET ${offset}`,
      ),
    (cap) => cappedCount(db, sql`assistance_requests a WHERE ${where}`, cap),
  );
}

export async function findRequest(db: Db, id: number, forUpdate = false): Promise<RequestRowDb | null> {
  const lock = forUpdate ? sql` FOR UPDATE OF a` : sql``;
  const [r] = await rows<RequestRowDb>(
    db,
    sql`SELECT ${COLUMNS} FROM assistance_requests a LEFT JOIN units u ON u.id = a.unit_id WHERE a.id = ${id}${lock}`,
  );
  return r ?? null;
}

export async function isVisible(db: Db, v: Visibility, id: number): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM assistance_requests a WHERE a.id = ${id} AND ${visibleSql(v)}`)).length > 0;
}

export async function events(db: Db, id: number) {
  return rows<{
    id: number;
    kind: string;
    actor_name: string;
    unit_name: string | null;
    note: string;
    at: string | Date;
  }>(
    db,
    sql`SELECT e.id, e.kind, e.actor_name, u.name AS unit_name, e.note, e.at FROM assistance_events e
        LEFT JOIN units u ON u.id = e.unit_id WHERE e.request_id = ${id} ORDER BY e.id`,
  );
}

export async function unitExists(db: Db, id: number): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM units WHERE id = ${id} AND active`)).length > 0;
}

export async function insertRequest(
  tx: Db,
  v: {
    year: number;
    kind: string;
    requesterName: string;
    requesterPhone: string;
    requesterAddress: string;
    people: number;
    amountClaimed: number;
    description: string;
    receivedOn: string;
    createdBy: number;
  },
): Promise<{ id: number; number: string }> {
  const [{ id }] = await rows<{ id: number }>(
    tx,
    sql`SELECT nextval(pg_get_serial_sequence('assistance_requests', 'id'))::int AS id`,
  );
  const number = `QZ${v.year}-${String(id).padStart(5, '0')}`;
  await tx.execute(
    sql`INSERT INTO assistance_requests(id, number, year, kind, requester_name, requester_phone, requester_address, people, amount_claimed, description, received_on, created_by)
        VALUES (${id}, ${number}, ${v.year}, ${v.kind}, ${v.requesterName}, ${v.requesterPhone}, ${v.requesterAddress}, ${v.people}, ${v.amountClaimed}, ${v.description}, ${v.receivedOn}, ${v.createdBy})`,
  );
  return { id, number };
}

/** Sets the columns of a step (only those given). */
export async function update(
  tx: Db,
  id: number,
  v: Partial<{
    status: AssistanceStatus;
    unitId: number;
    referredOn: string;
    dueOn: string;
    signedAt: Date;
    answer: string;
    answeredOn: string;
    amountRecovered: number;
    urge: true;
    satisfaction: Satisfaction;
    feedbackNote: string;
    closedOn: string;
  }>,
): Promise<void> {
  const sets: SQL[] = [];
  if (v.status) sets.push(sql`status = ${v.status}`);
  if (v.unitId !== undefined) sets.push(sql`unit_id = ${v.unitId}`);
  if (v.referredOn) sets.push(sql`referred_on = ${v.referredOn}`);
  if (v.dueOn) sets.push(sql`due_on = ${v.dueOn}`);
  if (v.signedAt) sets.push(sql`signed_at = ${v.signedAt.toISOString()}`);
  if (v.answer !== undefined) sets.push(sql`answer = ${v.answer}`);
  if (v.answeredOn) sets.push(sql`answered_on = ${v.answeredOn}`);
  if (v.amountRecovered !== undefined) sets.push(sql`amount_recovered = ${v.amountRecovered}`);
  if (v.urge) sets.push(sql`urge_count = urge_count + 1`);
  if (v.satisfaction) sets.push(sql`satisfaction = ${v.satisfaction}`);
  if (v.feedbackNote !== undefined) sets.push(sql`feedback_note = ${v.feedbackNote}`);
  if (v.closedOn) sets.push(sql`closed_on = ${v.closedOn}`);
  if (sets.length) await tx.execute(sql`UPDATE assistance_requests SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

export async function insertEvent(
  tx: Db,
  v: {
    requestId: number;
    kind: string;
    actorId: number | null;
    actorName: string;
    unitId: number | null;
    note: string;
  },
): Promise<void> {
  await tx.execute(
    sql`INSERT INTO assistance_events(request_id, kind, actor_id, actor_name, unit_id, note)
        VALUES (${v.requestId}, ${v.kind}, ${v.actorId}, ${v.actorName}, ${v.unitId}, ${v.note})`,
  );
}

export type StatRowDb = {
  id: number;
  kind: AssistanceKind;
  unit_id: number | null;
  received_on: string;
  status: AssistanceStatus;
  due_on: string | null;
  answered_on: string | null;
  satisfaction: Satisfaction | null;
  people: number;
  amount_claimed: string | number;
  amount_recovered: string | number;
};

export async function statRows(db: Db, year: number, v: Visibility): Promise<StatRowDb[]> {
  return rows<StatRowDb>(
    db,
    sql`SELECT a.id, a.kind, a.unit_id, a.received_on::text AS received_on, a.status, a.due_on::text AS due_on,
          a.answered_on::text AS answered_on, a.satisfaction, a.people, a.amount_claimed, a.amount_recovered
        FROM assistance_requests a WHERE a.year = ${year} AND ${visibleSql(v)} ORDER BY a.id`,
  );
}

export async function unitNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const r = await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM units WHERE id IN (${idList(ids)})`);
  return new Map(r.map((u) => [u.id, u.name]));
}

/** Phones of the unit's handlers and leaders (for the 督办 SMS). */
export async function unitPhones(db: Db, unitId: number): Promise<string[]> {
  const r = await rows<{ phone: string }>(
    db,
    sql`SELECT DISTINCT u.phone FROM users u JOIN user_roles r ON r.user_id = u.id
        WHERE u.unit_id = ${unitId} AND u.active AND u.phone IS NOT NULL AND u.phone <> '' AND r.role IN ('handler', 'unit_leader')`,
  );
  return r.map((x) => x.phone);
}
