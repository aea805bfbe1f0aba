import { and, asc, desc, eq, gte, ilike, inArray, isNull, lt, lte, ne, sql, type SQL } from 'drizzle-orm';
import { insertMany, insertSql } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';
import { idList, rows } from '../../db/rows.js';
import { cappedCount, COUNT_CAP, readPage, type ListPage, type PageRequest } from '../../platform/lists.js';
import { units } from '../units/index.js';
import { ACTIVE_DISPATCH_STATUSES, HANDLING_STATUSES, OPEN_STATUSES, type CaseStatus } from './cases.machine.js';
import {
  caseAttachments,
  caseCategories,
  caseDispatches,
  caseEscalations,
  caseEvents,
  caseNotices,
  cases,
  caseSettings,
  caseTrackFailures,
  routingRules,
  type CaseType,
  type EscalationStatus,
} from './cases.table.js';
import { forDatabase, SEARCH_COUNT_CAP, searchCondition, type SearchPlan } from './cases.search.js';

export type CategoryRow = typeof caseCategories.$inferSelect;
export type RuleRow = typeof routingRules.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;
export type NewCase = typeof cases.$inferInsert;
export type DispatchRow = typeof caseDispatches.$inferSelect;
export type NewDispatch = typeof caseDispatches.$inferInsert;
export type EventRow = typeof caseEvents.$inferSelect;
export type NewEvent = typeof caseEvents.$inferInsert;
export type NewAttachment = typeof caseAttachments.$inferInsert;
export type NewNotice = typeof caseNotices.$inferInsert;
export type EscalationRow = typeof caseEscalations.$inferSelect;
export type AttachmentRow = typeof caseAttachments.$inferSelect;
export type NoticeRow = typeof caseNotices.$inferSelect;

const first = <T>(rows: T[]): T | null => rows[0] ?? null;

/** Rows of a raw query: PGlite and node-postgres both answer with `{ rows }`. */
async function rawRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

// ---------- categories and rules ----------

export async function listCategories(db: Db): Promise<CategoryRow[]> {
  return db.select().from(caseCategories).orderBy(asc(caseCategories.sort), asc(caseCategories.id));
}
export async function findCategory(db: Db, id: number): Promise<CategoryRow | null> {
  return first(await db.select().from(caseCategories).where(eq(caseCategories.id, id)).limit(1));
}
export async function findCategoryByOpen311Code(db: Db, code: string): Promise<CategoryRow | null> {
  return first(await db.select().from(caseCategories).where(eq(caseCategories.open311Code, code)).limit(1));
}
export async function insertCategory(db: Db, v: typeof caseCategories.$inferInsert): Promise<CategoryRow> {
  return (await db.insert(caseCategories).values(v).returning())[0];
}
export async function updateCategory(
  db: Db,
  id: number,
  v: Partial<typeof caseCategories.$inferInsert>,
): Promise<CategoryRow | null> {
  return first(await db.update(caseCategories).set(v).where(eq(caseCategories.id, id)).returning());
}
export async function deleteCategory(db: Db, id: number): Promise<void> {
  await db.delete(caseCategories).where(eq(caseCategories.id, id));
}
export async function categoryInUse(db: Db, id: number): Promise<boolean> {
  const rows = await rawRows<{ x: number }>(
    db,
    sql`SELECT 1 AS x WHERE EXISTS (SELECT 1 FROM cases WHERE category_id = ${id}) OR EXISTS (SELECT 1 FROM case_categories WHERE parent_id = ${id})`,
  );
  return rows.length > 0;
}

export async function listRules(db: Db): Promise<RuleRow[]> {
  return db.select().from(routingRules).orderBy(desc(routingRules.priority), asc(routingRules.id));
}
export async function findRule(db: Db, id: number): Promise<RuleRow | null> {
  return first(await db.select().from(routingRules).where(eq(routingRules.id, id)).limit(1));
}
export async function insertRule(db: Db, v: typeof routingRules.$inferInsert): Promise<RuleRow> {
  return (await db.insert(routingRules).values(v).returning())[0];
}
export async function updateRule(
  db: Db,
  id: number,
  v: Partial<typeof routingRules.$inferInsert>,
): Promise<RuleRow | null> {
  return first(await db.update(routingRules).set(v).where(eq(routingRules.id, id)).returning());
}
export async function deleteRule(db: Db, id: number): Promise<void> {
  await db.delete(routingRules).where(eq(routingRules.id, id));
}

export async function getSetting(db: Db, key: string): Promise<unknown> {
  return first(await db.select().from(caseSettings).where(eq(caseSettings.key, key)).limit(1))?.value ?? null;
}
export async function putSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db.insert(caseSettings).values({ key, value }).onConflictDoUpdate({ target: caseSettings.key, set: { value } });
}

// ---------- cases ----------

/**
 * Reserves what a group of intakes writes, in the first statement of its transaction: `count`
 * consecutive numbers of the day's sequence (returns the first: the numbers are first … first + count − 1;
 * the counter row stays locked to the commit: intakes queue on it, and a rolled-back batch leaves no gap
 * in the numbers) and ids for its cases, work orders, attachments and events (sequences: unique across
 * instances; unused ones are gaps, as after any rollback). It also reads the departments the group
 * dispatches to (name, active), in the same round trip, as of the statement's start.
 */
export async function reserveIntake(
  db: Db,
  v: {
    day: string;
    count: number;
    dispatches: number;
    attachments: number;
    events: number;
    unitIds: readonly number[];
  },
): Promise<{
  firstSeq: number;
  caseIds: number[];
  dispatchIds: number[];
  attachmentIds: number[];
  eventIds: number[];
  units: Map<number, { name: string; active: boolean }>;
}> {
  const ids = (table: string, n: number) =>
    sql`ARRAY(SELECT nextval(pg_get_serial_sequence(${table}, 'id'))::bigint FROM generate_series(1, ${n}::int))`;
  const unitIds = [...new Set(v.unitIds)];
  const unitsRead = unitIds.length
    ? sql`(SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'active', u.active)) FROM ${units} u WHERE u.id IN (${sql.join(
        unitIds.map((id) => sql`${id}::int`),
        sql`, `,
      )}))`
    : sql`NULL::json`;
  type Ids = (number | string)[];
  type UnitRead = { id: number; name: string; active: boolean };
  const rows = await rawRows<{
    last: number;
    case_ids: Ids;
    dispatch_ids: Ids;
    attachment_ids: Ids;
    event_ids: Ids;
    units: UnitRead[] | string | null;
  }>(
    db,
    sql`WITH s AS (
        INSERT INTO case_number_counters (day, last) VALUES (${v.day}, ${v.count}::int)
        ON CONFLICT (day) DO UPDATE SET last = case_number_counters.last + excluded.last
        RETURNING last)
      SELECT s.last, ${ids('cases', v.count)} AS case_ids, ${ids('case_dispatches', v.dispatches)} AS dispatch_ids,
        ${ids('case_attachments', v.attachments)} AS attachment_ids, ${ids('case_events', v.events)} AS event_ids, ${unitsRead} AS units
      FROM s`,
  );
  const r = rows[0];
  const num = (xs: Ids) => xs.map(Number);
  const read: UnitRead[] = typeof r.units === 'string' ? (JSON.parse(r.units) as UnitRead[]) : (r.units ?? []);
  return {
    firstSeq: Number(r.last) - v.count + 1,
    caseIds: num(r.case_ids),
    dispatchIds: num(r.dispatch_ids),
    attachmentIds: num(r.attachment_ids),
    eventIds: num(r.event_ids),
    units: new Map(read.map((u) => [Number(u.id), { name: u.name, active: u.active }])),
  };
}

/** The INSERTs of a group of intakes (db/bulk: one JSON parameter each), for togetherSql; rows carry their reserved ids. */
export const intakeInserts = {
  cases: (rows: NewCase[]) => insertSql(cases, rows),
  dispatches: (rows: NewDispatch[]) => insertSql(caseDispatches, rows),
  attachments: (rows: (typeof caseAttachments.$inferInsert)[]) => insertSql(caseAttachments, rows),
  events: (rows: NewEvent[]) => insertSql(caseEvents, rows),
  notices: (rows: (typeof caseNotices.$inferInsert)[]) => insertSql(caseNotices, rows),
};

export async function findCase(db: Db, id: number): Promise<CaseRow | null> {
  return first(await db.select().from(cases).where(eq(cases.id, id)).limit(1));
}
/** Reads and row-locks a case for the rest of the transaction. */
export async function lockCase(tx: Db, id: number): Promise<CaseRow | null> {
  return first(await tx.select().from(cases).where(eq(cases.id, id)).limit(1).for('update'));
}
export async function findCaseByNumber(db: Db, number: string): Promise<CaseRow | null> {
  return first(await db.select().from(cases).where(eq(cases.number, number)).limit(1));
}
export async function findCasesByNumbers(db: Db, numbers: string[]): Promise<CaseRow[]> {
  if (!numbers.length) return [];
  return db.select().from(cases).where(inArray(cases.number, numbers));
}
export async function updateCase(tx: Db, id: number, v: Partial<NewCase>): Promise<CaseRow> {
  return (
    await tx
      .update(cases)
      .set({ ...v, updatedAt: new Date() })
      .where(eq(cases.id, id))
      .returning()
  )[0];
}
export async function mergedInto(db: Db, mainId: number): Promise<CaseRow[]> {
  return db
    .select()
    .from(cases)
    .where(and(eq(cases.mainCaseId, mainId), eq(cases.status, 'merged')))
    .orderBy(asc(cases.id));
}
export async function casesByIds(db: Db, ids: number[]): Promise<CaseRow[]> {
  if (!ids.length) return [];
  return db.select().from(cases).where(inArray(cases.id, ids));
}

/** True when the case has a work order (of any status) for one of the units. */
export async function hasDispatchTo(db: Db, caseId: number, unitIds: number[]): Promise<boolean> {
  if (!unitIds.length) return false;
  const rows = await db
    .select({ id: caseDispatches.id })
    .from(caseDispatches)
    .where(and(eq(caseDispatches.caseId, caseId), inArray(caseDispatches.unitId, unitIds)))
    .limit(1);
  return rows.length > 0;
}

export type CaseFilter = {
  /** Limit to cases with a work order for these units; undefined = all cases. */
  scopeUnitIds?: number[];
  statuses?: CaseStatus[];
  categoryIds?: number[];
  unitId?: number;
  channel?: string;
  type?: string;
  overdue?: boolean;
  dueSoon?: boolean;
  escalated?: boolean;
  awaiting?: 'dispatch' | 'verify' | 'feedback' | 'review' | 'extension';
  /** The search box (cases.search: number, phone or text path). */
  search?: SearchPlan;
  from?: Date;
  to?: Date;
  /** The address contains this text. */
  place?: string;
  sort?: 'newest' | 'oldest' | 'deadline' | 'deadline_desc';
};

function caseConditions(f: CaseFilter): SQL[] {
  const c: SQL[] = [];
  if (f.scopeUnitIds) {
    c.push(
      f.scopeUnitIds.length
        ? sql`EXISTS (SELECT 1 FROM case_dispatches sd WHERE sd.case_id = ${cases.id} AND sd.unit_id IN (${sql.join(
            f.scopeUnitIds.map((u) => sql`${u}`),
            sql`, `,
          )}))`
        : sql`false`,
    );
  }
  if (f.statuses?.length) c.push(inArray(cases.status, f.statuses));
  if (f.categoryIds?.length) c.push(inArray(cases.categoryId, f.categoryIds));
  if (f.unitId)
    c.push(
      sql`EXISTS (SELECT 1 FROM case_dispatches ud WHERE ud.case_id = ${cases.id} AND ud.unit_id = ${f.unitId} AND ud.status <> 'cancelled')`,
    );
  if (f.channel) c.push(eq(cases.channel, f.channel as CaseRow['channel']));
  if (f.type) c.push(eq(cases.type, f.type as CaseRow['type']));
  if (f.overdue) c.push(and(inArray(cases.status, [...HANDLING_STATUSES]), lt(cases.deadline, sql`now()`))!);
  if (f.dueSoon)
    c.push(
      and(
        inArray(cases.status, [...HANDLING_STATUSES]),
        lte(cases.dueSoonAt, sql`now()`),
        gte(cases.deadline, sql`now()`),
      )!,
    );
  if (f.escalated) c.push(eq(cases.escalated, true));
  switch (f.awaiting) {
    case 'dispatch':
      c.push(inArray(cases.status, ['accepted', 'returned']));
      break;
    case 'verify':
      c.push(eq(cases.status, 'reported'));
      break;
    case 'feedback':
      c.push(eq(cases.status, 'verified'));
      break;
    case 'review':
      c.push(eq(cases.status, 'review'));
      break;
    case 'extension':
      c.push(
        sql`EXISTS (SELECT 1 FROM case_dispatches xd WHERE xd.case_id = ${cases.id} AND xd.ext_requested_at IS NOT NULL AND xd.status IN ('pending','signed','in_progress'))`,
      );
      break;
    case undefined:
      break;
  }
  if (f.search) c.push(searchCondition(f.search));
  if (f.from) c.push(gte(cases.createdAt, f.from));
  if (f.to) c.push(lt(cases.createdAt, f.to));
  if (f.place) c.push(sql`${cases.address} ILIKE ${`%${f.place.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  return c;
}

const listColumns = {
  id: cases.id,
  number: cases.number,
  status: cases.status,
  channel: cases.channel,
  type: cases.type,
  categoryId: cases.categoryId,
  summary: sql<string>`left(${cases.description}, 80)`,
  address: cases.address,
  requesterName: cases.requesterName,
  anonymous: cases.anonymous,
  createdAt: cases.createdAt,
  leadUnitId: cases.leadUnitId,
  deadline: cases.deadline,
  dueSoonAt: cases.dueSoonAt,
  signDue: cases.signDue,
  signedAt: cases.signedAt,
  reportedAt: cases.reportedAt,
  escalated: cases.escalated,
  redoCount: cases.redoCount,
};
export type CaseListRow = Pick<
  CaseRow,
  | 'id'
  | 'number'
  | 'status'
  | 'channel'
  | 'type'
  | 'categoryId'
  | 'address'
  | 'requesterName'
  | 'anonymous'
  | 'createdAt'
  | 'leadUnitId'
  | 'deadline'
  | 'dueSoonAt'
  | 'signDue'
  | 'signedAt'
  | 'reportedAt'
  | 'escalated'
  | 'redoCount'
> & { summary: string };

/** True when the unit scope is the list's only condition (a handler's "all" tab). */
const scopeOnly = (f: CaseFilter) =>
  !!f.scopeUnitIds?.length && caseConditions({ ...f, scopeUnitIds: undefined }).length === 0;

/**
 * The cases ever dispatched to the units, counted up to `cap` from the work orders alone (an
 * index-only scan of (unit_id, case_id); every work order's case exists): the same number as the
 * scope condition's EXISTS over cases, without a lookup per case.
 */
async function scopeCount(db: Db, unitIds: readonly number[], cap: number): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM (SELECT DISTINCT case_id FROM case_dispatches WHERE unit_id IN (${idList(unitIds)}) LIMIT ${cap}) t`,
  );
  return Number(r.n);
}

/** A page of the case list (platform/lists: one extra row, a total capped at 10,000). */
export async function listCases(db: Db, filter: CaseFilter, page: PageRequest): Promise<ListPage<CaseListRow>> {
  const f = { ...filter, search: await forDatabase(db, filter.search) };
  const rowByRow = f.search?.kind === 'text' && !f.search.bigrams.length;
  const conds = caseConditions(f);
  const where = conds.length ? and(...conds) : undefined;
  const order =
    f.sort === 'deadline' || (!f.sort && (f.overdue || f.dueSoon))
      ? [sql`${cases.deadline} ASC NULLS LAST`, asc(cases.id)]
      : f.sort === 'deadline_desc'
        ? [sql`${cases.deadline} DESC NULLS LAST`, desc(cases.id)]
        : f.sort === 'oldest'
          ? [asc(cases.createdAt), asc(cases.id)]
          : [desc(cases.createdAt), desc(cases.id)];
  return readPage(
    page,
    async (limit, offset) =>
      (await db
        .select(listColumns)
        .from(cases)
        .where(where)
        .orderBy(...order)
        .limit(limit)
        .offset(offset)) as CaseListRow[],
    (cap) =>
      scopeOnly(f)
        ? scopeCount(db, f.scopeUnitIds!, cap)
        : cappedCount(
            db,
            where ? sql`${cases} WHERE ${where}` : sql`${cases}`,
            cap,
            rowByRow ? sql.join(order, sql`, `) : undefined,
          ),
    f.search?.kind === 'text' ? SEARCH_COUNT_CAP : COUNT_CAP,
  );
}

/** Names of just these units (a list page names its own units instead of loading the whole district). */
export async function unitNames(
  db: Db,
  ids: readonly number[],
): Promise<Map<number, { name: string; active: boolean }>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db
    .select({ id: units.id, name: units.name, active: units.active })
    .from(units)
    .where(inArray(units.id, unique));
  return new Map(rows.map((u) => [u.id, { name: u.name, active: u.active }]));
}

/** Full rows by number/id/category/status/creation time, newest first (for public records). */
export async function listCaseRecords(
  db: Db,
  f: {
    numbers?: string[];
    ids?: number[];
    categoryIds?: number[];
    statuses?: CaseStatus[];
    from?: Date;
    to?: Date;
    publicOnly?: { hiddenTypes: CaseType[] };
  },
  limit: number,
  offset = 0,
): Promise<CaseRow[]> {
  const conds = caseConditions({ categoryIds: f.categoryIds, statuses: f.statuses, from: f.from, to: f.to });
  if (f.numbers) conds.push(f.numbers.length ? inArray(cases.number, f.numbers) : sql`false`);
  if (f.ids) conds.push(f.ids.length ? inArray(cases.id, f.ids) : sql`false`);
  if (f.publicOnly) {
    conds.push(eq(cases.confidential, false));
    if (f.publicOnly.hiddenTypes.length)
      conds.push(
        sql`${cases.type} NOT IN (${sql.join(
          f.publicOnly.hiddenTypes.map((t) => sql`${t}`),
          sql`, `,
        )})`,
      );
  }
  return db
    .select()
    .from(cases)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(limit)
    .offset(offset);
}

export type PublicEventRow = {
  id: number;
  caseId: number;
  at: Date;
  type: string;
  publicText: string;
  /** The case's status after this event (the last status change up to it). */
  status: CaseStatus;
};

/**
 * Public timeline events (is_public) of cases in these categories, not confidential and not of the
 * hidden types, in [from, to), oldest first; optionally of some cases only.
 */
export async function listPublicEvents(
  db: Db,
  f: { categoryIds: number[]; hiddenTypes: CaseType[]; from: Date; to: Date; caseNumbers?: string[] },
  limit: number,
  offset: number,
): Promise<PublicEventRow[]> {
  if (!f.categoryIds.length) return [];
  const types = f.hiddenTypes.length
    ? sql`AND c.type NOT IN (${sql.join(
        f.hiddenTypes.map((t) => sql`${t}`),
        sql`, `,
      )})`
    : sql``;
  const numbers = f.caseNumbers
    ? f.caseNumbers.length
      ? sql`AND c.number IN (${sql.join(
          f.caseNumbers.map((n) => sql`${n}`),
          sql`, `,
        )})`
      : sql`AND false`
    : sql``;
  const rows = await rawRows<{
    id: number | string;
    case_id: number;
    at: Date | string;
    type: string;
    public_text: string;
    status: CaseStatus;
  }>(
    db,
    sql`SELECT e.id, e.case_id, e.at, e.type, e.public_text,
          coalesce(e.to_status, (SELECT p.to_status FROM case_events p WHERE p.case_id = e.case_id AND p.to_status IS NOT NULL AND p.id <= e.id ORDER BY p.id DESC LIMIT 1), c.status) AS status
        FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.is_public AND e.at >= ${f.from.toISOString()}::timestamptz AND e.at < ${f.to.toISOString()}::timestamptz
          AND c.category_id IN (${sql.join(
            f.categoryIds.map((id) => sql`${id}`),
            sql`, `,
          )})
          AND NOT c.confidential ${types} ${numbers}
        ORDER BY e.at, e.id
        LIMIT ${limit} OFFSET ${offset}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    caseId: r.case_id,
    at: new Date(r.at),
    type: r.type,
    publicText: r.public_text,
    status: r.status,
  }));
}

/** The active work orders of the units (the handler's inbox), most urgent first. */
export async function listInbox(
  db: Db,
  unitIds: number[],
  f: CaseFilter,
  page: PageRequest,
): Promise<ListPage<{ c: CaseListRow; d: DispatchRow }>> {
  if (!unitIds.length) return { rows: [], total: 0, totalCapped: false, hasMore: false };
  f = { ...f, search: await forDatabase(db, f.search) };
  const conds = [
    inArray(caseDispatches.unitId, unitIds),
    inArray(caseDispatches.status, [...ACTIVE_DISPATCH_STATUSES]),
    ...caseConditions({ ...f, scopeUnitIds: undefined, overdue: false, dueSoon: false }),
  ];
  if (f.overdue) conds.push(lt(caseDispatches.deadline, sql`now()`));
  if (f.dueSoon) conds.push(and(lte(caseDispatches.dueSoonAt, sql`now()`), gte(caseDispatches.deadline, sql`now()`))!);
  const where = and(...conds);
  return readPage(
    page,
    async (limit, offset) =>
      (await db
        .select({ c: listColumns, d: caseDispatches })
        .from(caseDispatches)
        .innerJoin(cases, eq(cases.id, caseDispatches.caseId))
        .where(where)
        .orderBy(asc(caseDispatches.deadline), asc(caseDispatches.id))
        .limit(limit)
        .offset(offset)) as { c: CaseListRow; d: DispatchRow }[],
    (cap) =>
      cappedCount(
        db,
        sql`${caseDispatches} INNER JOIN ${cases} ON ${cases.id} = ${caseDispatches.caseId} WHERE ${where}`,
        cap,
      ),
  );
}

/** Open cases of the category created since the date: the pool duplicate detection looks at. */
export async function duplicatePool(db: Db, categoryId: number, since: Date, excludeId: number | null) {
  return db
    .select({
      id: cases.id,
      number: cases.number,
      status: cases.status,
      categoryId: cases.categoryId,
      addressNorm: cases.addressNorm,
      address: cases.address,
      lat: cases.lat,
      lng: cases.lng,
      createdAt: cases.createdAt,
      summary: sql<string>`left(${cases.description}, 80)`,
    })
    .from(cases)
    .where(
      and(
        eq(cases.categoryId, categoryId),
        inArray(cases.status, [...OPEN_STATUSES]),
        gte(cases.createdAt, since),
        excludeId === null ? undefined : ne(cases.id, excludeId),
      ),
    )
    .orderBy(desc(cases.createdAt))
    .limit(500);
}

// ---------- dispatches ----------

export async function listDispatches(db: Db, caseId: number): Promise<DispatchRow[]> {
  return db
    .select()
    .from(caseDispatches)
    .where(eq(caseDispatches.caseId, caseId))
    .orderBy(asc(caseDispatches.round), asc(caseDispatches.id));
}
/** Inserts work orders with one statement (db/bulk); returns their ids, case ids and roles, in the order given. */
export async function insertDispatches(
  tx: Db,
  rows: NewDispatch[],
): Promise<Pick<DispatchRow, 'id' | 'caseId' | 'role'>[]> {
  return insertMany(tx, caseDispatches, rows, ['id', 'caseId', 'role']);
}
export async function updateDispatch(tx: Db, id: number, v: Partial<NewDispatch>): Promise<DispatchRow> {
  return (await tx.update(caseDispatches).set(v).where(eq(caseDispatches.id, id)).returning())[0];
}
export async function maxRound(tx: Db, caseId: number): Promise<number> {
  const rows = await tx
    .select({ n: sql<number>`coalesce(max(${caseDispatches.round}), 0)::int` })
    .from(caseDispatches)
    .where(eq(caseDispatches.caseId, caseId));
  return Number(rows[0]?.n ?? 0);
}

// ---------- events ----------

/** Inserts events with one statement (db/bulk) and returns them as stored, in the order given. */
export async function insertEvents(tx: Db, rows: (NewEvent & Omit<EventRow, 'id'>)[]): Promise<EventRow[]> {
  const ids = await insertMany(tx, caseEvents, rows, ['id']);
  return rows.map((r, i) => ({ ...r, id: ids[i].id }));
}
export async function listEvents(db: Db, caseId: number, onlyPublic = false): Promise<EventRow[]> {
  return db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), onlyPublic ? eq(caseEvents.isPublic, true) : undefined))
    .orderBy(asc(caseEvents.at), asc(caseEvents.id));
}

// ---------- escalations ----------

export async function insertEscalation(tx: Db, v: typeof caseEscalations.$inferInsert): Promise<EscalationRow> {
  return (await tx.insert(caseEscalations).values(v).returning())[0];
}
export async function lockEscalation(tx: Db, id: number): Promise<EscalationRow | null> {
  return first(await tx.select().from(caseEscalations).where(eq(caseEscalations.id, id)).limit(1).for('update'));
}
export async function findEscalation(db: Db, id: number): Promise<EscalationRow | null> {
  return first(await db.select().from(caseEscalations).where(eq(caseEscalations.id, id)).limit(1));
}
export async function updateEscalation(
  tx: Db,
  id: number,
  v: Partial<typeof caseEscalations.$inferInsert>,
): Promise<EscalationRow> {
  return (await tx.update(caseEscalations).set(v).where(eq(caseEscalations.id, id)).returning())[0];
}
export async function openEscalation(db: Db, caseId: number): Promise<EscalationRow | null> {
  return first(
    await db
      .select()
      .from(caseEscalations)
      .where(and(eq(caseEscalations.caseId, caseId), inArray(caseEscalations.status, ['pending', 'approved'])))
      .limit(1),
  );
}
export async function escalationsOfCase(db: Db, caseId: number): Promise<EscalationRow[]> {
  return db.select().from(caseEscalations).where(eq(caseEscalations.caseId, caseId)).orderBy(asc(caseEscalations.id));
}
export async function listEscalations(
  db: Db,
  f: { status?: EscalationStatus },
): Promise<{ e: EscalationRow; c: CaseListRow }[]> {
  const rows = await db
    .select({ e: caseEscalations, c: listColumns })
    .from(caseEscalations)
    .innerJoin(cases, eq(cases.id, caseEscalations.caseId))
    .where(f.status ? eq(caseEscalations.status, f.status) : undefined)
    .orderBy(desc(caseEscalations.requestedAt), desc(caseEscalations.id))
    .limit(500);
  return rows as { e: EscalationRow; c: CaseListRow }[];
}

// ---------- attachments ----------

export async function insertAttachments(
  tx: Db,
  rows: (typeof caseAttachments.$inferInsert)[],
): Promise<AttachmentRow[]> {
  if (!rows.length) return [];
  return tx.insert(caseAttachments).values(rows).returning();
}
export async function listAttachments(db: Db, caseId: number): Promise<AttachmentRow[]> {
  return db.select().from(caseAttachments).where(eq(caseAttachments.caseId, caseId)).orderBy(asc(caseAttachments.id));
}
export async function findAttachment(db: Db, caseId: number, id: number): Promise<AttachmentRow | null> {
  return first(
    await db
      .select()
      .from(caseAttachments)
      .where(and(eq(caseAttachments.caseId, caseId), eq(caseAttachments.id, id)))
      .limit(1),
  );
}

// ---------- notices ----------

export async function insertNotices(tx: Db, rows: (typeof caseNotices.$inferInsert)[]): Promise<void> {
  await insertMany(tx, caseNotices, rows);
}
export async function listNotices(db: Db, unitIds: number[], unreadOnly: boolean) {
  if (!unitIds.length) return [];
  return db
    .select({ n: caseNotices, number: cases.number })
    .from(caseNotices)
    .innerJoin(cases, eq(cases.id, caseNotices.caseId))
    .where(and(inArray(caseNotices.unitId, unitIds), unreadOnly ? isNull(caseNotices.readAt) : undefined))
    .orderBy(desc(caseNotices.id))
    .limit(200);
}
export async function markNoticeRead(tx: Db, id: number, unitIds: number[], userId: number): Promise<NoticeRow | null> {
  if (!unitIds.length) return null;
  return first(
    await tx
      .update(caseNotices)
      .set({ readAt: new Date(), readBy: userId })
      .where(and(eq(caseNotices.id, id), inArray(caseNotices.unitId, unitIds), isNull(caseNotices.readAt)))
      .returning(),
  );
}
export async function findNotice(db: Db, id: number): Promise<NoticeRow | null> {
  return first(await db.select().from(caseNotices).where(eq(caseNotices.id, id)).limit(1));
}

// ---------- counts for the home widgets ----------

export async function agentCounts(db: Db) {
  // One row per open status (an index-only scan, grouped: about half the time of seven FILTERed counts
  // over the same rows), the three queries at once.
  const [byStatus, ext, esc] = await Promise.all([
    rawRows<{
      status: CaseStatus;
      n: number | string;
      overdue: number | string;
      dueSoon: number | string;
      signOverdue: number | string;
    }>(
      db,
      sql`SELECT status, count(*)::int AS n,
        count(*) FILTER (WHERE deadline < now())::int AS overdue,
        count(*) FILTER (WHERE due_soon_at <= now() AND deadline >= now())::int AS "dueSoon",
        count(*) FILTER (WHERE sign_due < now())::int AS "signOverdue"
      FROM cases WHERE status IN (${sql.raw(OPEN_STATUSES.map((x) => `'${x}'`).join(','))}) GROUP BY status`,
    ),
    rawRows<{ n: number | string }>(
      db,
      sql`SELECT count(*)::int AS n FROM case_dispatches WHERE ext_requested_at IS NOT NULL AND status IN ('pending','signed','in_progress')`,
    ),
    rawRows<{ n: number | string }>(db, sql`SELECT count(*)::int AS n FROM case_escalations WHERE status = 'pending'`),
  ]);
  const sum = (statuses: readonly CaseStatus[], k: 'n' | 'overdue' | 'dueSoon' | 'signOverdue' = 'n') =>
    byStatus.filter((r) => statuses.includes(r.status)).reduce((a, r) => a + Number(r[k]), 0);
  return {
    awaitingDispatch: sum(['accepted', 'returned']),
    awaitingVerify: sum(['reported']),
    awaitingFeedback: sum(['verified']),
    awaitingReview: sum(['review']),
    overdue: sum(HANDLING_STATUSES, 'overdue'),
    dueSoon: sum(HANDLING_STATUSES, 'dueSoon'),
    signOverdue: sum(['dispatched'], 'signOverdue'),
    extensionRequests: Number(ext[0]?.n ?? 0),
    pendingEscalations: Number(esc[0]?.n ?? 0),
  };
}

export async function unitCounts(db: Db, unitIds: number[]) {
  if (!unitIds.length) return { toSign: 0, signOverdue: 0, inProgress: 0, overdue: 0, dueSoon: 0, unreadNotices: 0 };
  const ids = sql.join(
    unitIds.map((u) => sql`${u}`),
    sql`, `,
  );
  const rows = await rawRows<Record<string, number | string>>(
    db,
    sql`SELECT
      count(*) FILTER (WHERE status = 'pending')::int AS "toSign",
      count(*) FILTER (WHERE status = 'pending' AND sign_due < now())::int AS "signOverdue",
      count(*) FILTER (WHERE status IN ('signed','in_progress'))::int AS "inProgress",
      count(*) FILTER (WHERE deadline < now())::int AS "overdue",
      count(*) FILTER (WHERE due_soon_at <= now() AND deadline >= now())::int AS "dueSoon"
    FROM case_dispatches WHERE unit_id IN (${ids}) AND status IN ('pending','signed','in_progress')`,
  );
  const notices = await rawRows<{ n: number | string }>(
    db,
    sql`SELECT count(*)::int AS n FROM case_notices WHERE unit_id IN (${ids}) AND read_at IS NULL`,
  );
  const r = rows[0] ?? {};
  return {
    toSign: Number(r.toSign ?? 0),
    signOverdue: Number(r.signOverdue ?? 0),
    inProgress: Number(r.inProgress ?? 0),
    overdue: Number(r.overdue ?? 0),
    dueSoon: Number(r.dueSoon ?? 0),
    unreadNotices: Number(notices[0]?.n ?? 0),
  };
}

// ---------- tracking failures ----------

export async function trackFailureCounts(
  db: Db,
  number: string,
  ip: string,
  since: Date,
  daySince: Date = since,
): Promise<{ byNumber: number; byIp: number; byPair: number; byNumberDay: number; lastByNumber: Date | null }> {
  const res = await rawRows<{
    by_number: number | string;
    by_ip: number | string;
    by_pair: number | string;
    by_number_day: number | string;
    last_by_number: string | Date | null;
  }>(
    db,
    sql`SELECT
      (SELECT count(*)::int FROM case_track_failures WHERE number = ${number} AND at >= ${since.toISOString()}::timestamptz) AS by_number,
      (SELECT count(*)::int FROM case_track_failures WHERE ip = ${ip} AND at >= ${since.toISOString()}::timestamptz) AS by_ip,
      (SELECT count(*)::int FROM case_track_failures WHERE number = ${number} AND ip = ${ip} AND at >= ${since.toISOString()}::timestamptz) AS by_pair,
      (SELECT count(*)::int FROM case_track_failures WHERE number = ${number} AND at >= ${daySince.toISOString()}::timestamptz) AS by_number_day,
      (SELECT max(at) FROM case_track_failures WHERE number = ${number} AND at >= ${daySince.toISOString()}::timestamptz) AS last_by_number`,
  );
  const r = res[0];
  return {
    byNumber: Number(r?.by_number ?? 0),
    byIp: Number(r?.by_ip ?? 0),
    byPair: Number(r?.by_pair ?? 0),
    byNumberDay: Number(r?.by_number_day ?? 0),
    lastByNumber: r?.last_by_number ? new Date(r.last_by_number) : null,
  };
}

/** Cases whose query-password hash is of the earlier, unwrapped form (`hmac-sha256$`), a batch at a time. */
export async function legacyQueryHashes(db: Db, limit: number): Promise<{ id: number; hash: string }[]> {
  return db
    .select({ id: cases.id, hash: cases.passwordHash })
    .from(cases)
    .where(ilike(cases.passwordHash, 'hmac-sha256$%'))
    .orderBy(asc(cases.id))
    .limit(limit);
}

/** Replaces query-password hashes, each only if it still holds the old value; returns how many changed. */
export async function replaceQueryHashes(tx: Db, rows: { id: number; old: string; hash: string }[]): Promise<number> {
  if (!rows.length) return 0;
  const res = await rawRows<{ id: number }>(
    tx,
    sql`UPDATE cases c SET password_hash = v.hash
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS v(id int, old text, hash text)
    WHERE c.id = v.id AND c.password_hash = v.old RETURNING c.id`,
  );
  return res.length;
}

export async function insertTrackFailure(tx: Db, number: string, ip: string): Promise<void> {
  await tx.insert(caseTrackFailures).values({ number, ip });
}
export async function purgeTrackFailures(tx: Db, before: Date): Promise<void> {
  await tx.delete(caseTrackFailures).where(lt(caseTrackFailures.at, before));
}
export async function recentSubmissionsFromIp(db: Db, ip: string, since: Date): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cases)
    .where(and(eq(cases.sourceIp, ip), gte(cases.createdAt, since)));
  return Number(rows[0]?.n ?? 0);
}

/** Whether a unit exists (a grid case's finding unit, checked before the intake batch). */
export async function unitExists(db: Db, id: number): Promise<boolean> {
  return (await db.select({ id: units.id }).from(units).where(eq(units.id, id))).length > 0;
}
