/** The ratings module's queries; nothing else touches its tables. */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { cappedCount, readPage, type ListPage, type PageRequest } from '../../platform/lists.js';
import {
  ratingRectifications,
  reviewerProfiles,
  serviceRatings,
  type RatingLevel,
  type RectificationStatus,
  type ReviewerKind,
  type SubjectKind,
} from './ratings.table.js';
import { rows } from '../../db/rows.js';

export type RatingRow = typeof serviceRatings.$inferSelect;
export type RectificationRow = typeof ratingRectifications.$inferSelect;

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function nextRound(db: Db, kind: SubjectKind, subjectId: number): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`SELECT coalesce(max(round), 0)::int + 1 AS n FROM service_ratings WHERE subject_kind = ${kind} AND subject_id = ${subjectId}`,
  );
  return r.n;
}

export async function insertRating(tx: Db, v: typeof serviceRatings.$inferInsert): Promise<RatingRow> {
  return (await tx.insert(serviceRatings).values(v).returning())[0];
}

export async function findRatingByToken(db: Db, hash: string): Promise<RatingRow | null> {
  return (await db.select().from(serviceRatings).where(eq(serviceRatings.tokenHash, hash)).limit(1))[0] ?? null;
}

export async function lockRatingByToken(tx: Db, hash: string): Promise<RatingRow | null> {
  return (
    (await tx.select().from(serviceRatings).where(eq(serviceRatings.tokenHash, hash)).for('update').limit(1))[0] ?? null
  );
}

/** The subject's latest round, locked for the rest of the transaction. */
export async function lockLatestRatingOf(tx: Db, kind: SubjectKind, subjectId: number): Promise<RatingRow | null> {
  return (
    (
      await tx
        .select()
        .from(serviceRatings)
        .where(and(eq(serviceRatings.subjectKind, kind), eq(serviceRatings.subjectId, subjectId)))
        .orderBy(desc(serviceRatings.round))
        .limit(1)
        .for('update')
    )[0] ?? null
  );
}

export async function findRating(db: Db, id: number): Promise<RatingRow | null> {
  return (await db.select().from(serviceRatings).where(eq(serviceRatings.id, id)).limit(1))[0] ?? null;
}

export async function updateRating(tx: Db, id: number, v: Partial<RatingRow>): Promise<RatingRow> {
  return (await tx.update(serviceRatings).set(v).where(eq(serviceRatings.id, id)).returning())[0];
}

export async function latestRatingOf(db: Db, kind: SubjectKind, subjectId: number): Promise<RatingRow | null> {
  return (
    (
      await db
        .select()
        .from(serviceRatings)
        .where(and(eq(serviceRatings.subjectKind, kind), eq(serviceRatings.subjectId, subjectId)))
        .orderBy(desc(serviceRatings.round))
        .limit(1)
    )[0] ?? null
  );
}

/** Invitations still unrated and not reminded, sent before `before` (at most `limit`). */
export async function dueForReminder(db: Db, before: Date, notBefore: Date, limit: number): Promise<RatingRow[]> {
  return rows<RatingRow>(
    db,
    sql`SELECT id, subject_kind AS "subjectKind", subject_id AS "subjectId", subject_ref AS "subjectRef", subject_title AS "subjectTitle", phone
        FROM service_ratings
        WHERE status = 'invited' AND reminded_at IS NULL AND invited_at < ${before.toISOString()} AND invited_at > ${notBefore.toISOString()}
        ORDER BY invited_at LIMIT ${limit}`,
  );
}

export async function markReminded(tx: Db, ids: number[], at: Date): Promise<number[]> {
  if (!ids.length) return [];
  const r = await rows<{ id: number }>(
    tx,
    sql`UPDATE service_ratings SET reminded_at = ${at.toISOString()} WHERE id IN (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )}) AND reminded_at IS NULL AND status = 'invited' RETURNING id`,
  );
  return r.map((x) => x.id);
}

// ---------- lists ----------

export type RatingListRow = RatingRow & { unitName: string };
const RATING_COLS = sql`r.id, r.subject_kind AS "subjectKind", r.subject_id AS "subjectId", r.subject_ref AS "subjectRef",
  r.subject_title AS "subjectTitle", r.unit_id AS "unitId", u.name AS "unitName", r.round, r.phone, r.status,
  r.invited_at AS "invitedAt", r.reminded_at AS "remindedAt", r.rated_at AS "ratedAt", r.level, r.aspects, r.comment`;

export type RatingFilter = {
  unitIds: number[] | null;
  unitId?: number;
  level?: RatingLevel;
  status?: 'invited' | 'rated';
  subjectKind?: SubjectKind;
  q?: string;
  from?: string;
  to?: string;
};

export async function listRatings(db: Db, f: RatingFilter, page: PageRequest): Promise<ListPage<RatingListRow>> {
  const conds: SQL[] = [sql`true`];
  if (f.unitIds) conds.push(f.unitIds.length ? sql`r.unit_id = ANY(${`{${f.unitIds.join(',')}}`}::int[])` : sql`false`);
  if (f.unitId) conds.push(sql`r.unit_id = ${f.unitId}`);
  if (f.level) conds.push(sql`r.level = ${f.level}`);
  if (f.status) conds.push(sql`r.status = ${f.status}`);
  if (f.subjectKind) conds.push(sql`r.subject_kind = ${f.subjectKind}`);
  if (f.q) conds.push(sql`(r.subject_ref LIKE ${like(f.q)} OR r.subject_title LIKE ${like(f.q)})`);
  if (f.from) conds.push(sql`r.invited_at >= ${f.from}::date`);
  if (f.to) conds.push(sql`r.invited_at < ${f.to}::date + 1`);
  const where = sql.join(conds, sql` AND `);
  const from = sql`service_ratings r JOIN units u ON u.id = r.unit_id WHERE ${where}`;
  return readPage(
    page,
    (limit, offset) =>
      rows<RatingListRow>(
        db,
        sql`SELECT ${RATING_COLS} FROM ${from} ORDER BY r.invited_at DESC, r.id DESC LIMIT ${limit} OFFSET ${offset}`,
      ),
    (cap) => cappedCount(db, from, cap),
  );
}

export type RectificationListRow = RectificationRow & { unitName: string; rating: RatingListRow };

export type RectificationFilter = {
  unitIds: number[] | null;
  unitId?: number;
  status?: RectificationStatus;
  overdueOn?: string;
  notOverdueOn?: string;
  q?: string;
};

const RECT_COLS = sql`x.id, x.rating_id AS "ratingId", x.unit_id AS "unitId", u.name AS "unitName", x.status,
  x.due_date::text AS "dueDate", x.called_back_at AS "calledBackAt", x.callback_note AS "callbackNote", x.result,
  x.submitted_at AS "submittedAt", x.reviewed_at AS "reviewedAt", x.reviewed_by AS "reviewedBy",
  x.review_note AS "reviewNote", x.returns, x.created_at AS "createdAt",
  json_build_object('id', r.id, 'subjectKind', r.subject_kind, 'subjectId', r.subject_id, 'subjectRef', r.subject_ref,
    'subjectTitle', r.subject_title, 'unitId', r.unit_id, 'unitName', u.name, 'round', r.round, 'phone', r.phone,
    'status', r.status, 'invitedAt', r.invited_at, 'remindedAt', r.reminded_at, 'ratedAt', r.rated_at,
    'level', r.level, 'aspects', r.aspects, 'comment', r.comment) AS rating`;
const LATE = sql`x.status IN ('open','called_back','returned')`;

function rectWhere(f: RectificationFilter & { id?: number }): SQL {
  const conds: SQL[] = [sql`true`];
  if (f.id) conds.push(sql`x.id = ${f.id}`);
  if (f.unitIds) conds.push(f.unitIds.length ? sql`x.unit_id = ANY(${`{${f.unitIds.join(',')}}`}::int[])` : sql`false`);
  if (f.unitId) conds.push(sql`x.unit_id = ${f.unitId}`);
  if (f.status) conds.push(sql`x.status = ${f.status}`);
  if (f.overdueOn) conds.push(sql`${LATE} AND x.due_date < ${f.overdueOn}::date`);
  if (f.notOverdueOn) conds.push(sql`NOT (${LATE} AND x.due_date < ${f.notOverdueOn}::date)`);
  if (f.q) conds.push(sql`(r.subject_ref LIKE ${like(f.q)} OR r.subject_title LIKE ${like(f.q)})`);
  return sql`rating_rectifications x JOIN service_ratings r ON r.id = x.rating_id JOIN units u ON u.id = x.unit_id WHERE ${sql.join(conds, sql` AND `)}`;
}

export async function listRectifications(
  db: Db,
  f: RectificationFilter,
  page: PageRequest,
): Promise<ListPage<RectificationListRow>> {
  const from = rectWhere(f);
  return readPage(
    page,
    (limit, offset) =>
      rows<RectificationListRow>(
        db,
        sql`SELECT ${RECT_COLS} FROM ${from}
            ORDER BY CASE x.status WHEN 'submitted' THEN 0 WHEN 'open' THEN 1 WHEN 'returned' THEN 1 WHEN 'called_back' THEN 2 ELSE 3 END, x.due_date, x.id
            LIMIT ${limit} OFFSET ${offset}`,
      ),
    (cap) => cappedCount(db, from, cap),
  );
}

export async function findRectification(db: Db, id: number): Promise<RectificationListRow | null> {
  return (
    (await rows<RectificationListRow>(db, sql`SELECT ${RECT_COLS} FROM ${rectWhere({ unitIds: null, id })}`))[0] ?? null
  );
}

export async function lockRectification(tx: Db, id: number): Promise<RectificationRow | null> {
  return (
    (await tx.select().from(ratingRectifications).where(eq(ratingRectifications.id, id)).for('update').limit(1))[0] ??
    null
  );
}

export async function insertRectification(
  tx: Db,
  v: typeof ratingRectifications.$inferInsert,
): Promise<RectificationRow> {
  return (await tx.insert(ratingRectifications).values(v).returning())[0];
}

export async function updateRectification(tx: Db, id: number, v: Partial<RectificationRow>): Promise<void> {
  await tx.update(ratingRectifications).set(v).where(eq(ratingRectifications.id, id));
}

// ---------- rates per unit ----------

export type UnitRateRow = {
  unitId: number;
  unitName: string;
  invited: number;
  rectifications: number;
  overdue: number;
} & Record<RatingLevel, number>;

/** Per unit: invitations and rated levels of ratings invited in [from, to), and their rectifications (overdue on `today`). */
export async function unitRates(
  db: Db,
  from: string,
  to: string,
  today: string,
  unitIds: number[] | null,
): Promise<UnitRateRow[]> {
  const scope = unitIds ? sql`AND r.unit_id = ANY(${`{${unitIds.join(',') || '0'}}`}::int[])` : sql``;
  return rows<UnitRateRow>(
    db,
    sql`SELECT r.unit_id AS "unitId", u.name AS "unitName", count(*)::int AS invited,
          count(*) FILTER (WHERE r.level = 'very_satisfied')::int AS very_satisfied,
          count(*) FILTER (WHERE r.level = 'satisfied')::int AS satisfied,
          count(*) FILTER (WHERE r.level = 'basic')::int AS basic,
          count(*) FILTER (WHERE r.level = 'unsatisfied')::int AS unsatisfied,
          count(*) FILTER (WHERE r.level = 'very_unsatisfied')::int AS very_unsatisfied,
          count(x.id)::int AS rectifications,
          count(x.id) FILTER (WHERE x.status IN ('open','called_back','returned') AND x.due_date < ${today}::date)::int AS overdue
        FROM service_ratings r
        JOIN units u ON u.id = r.unit_id
        LEFT JOIN rating_rectifications x ON x.rating_id = r.id
        WHERE r.invited_at >= ${from}::date AND r.invited_at < ${to}::date ${scope}
        GROUP BY r.unit_id, u.name ORDER BY u.name`,
  );
}

// ---------- reviewer profiles ----------

export async function findProfile(db: Db, userId: number) {
  return (await db.select().from(reviewerProfiles).where(eq(reviewerProfiles.userId, userId)).limit(1))[0] ?? null;
}
export async function listProfiles(db: Db) {
  return rows<{ userId: number; displayName: string; kind: ReviewerKind; title: string }>(
    db,
    sql`SELECT p.user_id AS "userId", us.display_name AS "displayName", p.kind, p.title
        FROM reviewer_profiles p JOIN users us ON us.id = p.user_id ORDER BY p.user_id`,
  );
}
/** Active evaluator accounts with an NPC deputy or CPPCC member profile (all, or those among `userIds`). */
export async function deputyProfiles(db: Db, userIds?: readonly number[]) {
  const only = userIds ? sql`AND p.user_id = ANY(${`{${userIds.map(Number).join(',')}}`}::int[])` : sql``;
  return rows<{ userId: number; displayName: string; kind: 'npc_deputy' | 'cppcc_member'; title: string }>(
    db,
    sql`SELECT p.user_id AS "userId", us.display_name AS "displayName", p.kind, p.title
          FROM reviewer_profiles p JOIN users us ON us.id = p.user_id
         WHERE p.kind IN ('npc_deputy', 'cppcc_member') AND us.active
           AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = us.id AND r.role = 'evaluator') ${only}
         ORDER BY p.kind, us.display_name, p.user_id`,
  );
}
export async function upsertProfile(tx: Db, v: { userId: number; kind: ReviewerKind; title: string }): Promise<void> {
  await tx
    .insert(reviewerProfiles)
    .values(v)
    .onConflictDoUpdate({ target: reviewerProfiles.userId, set: { kind: v.kind, title: v.title } });
}
export async function deleteProfile(tx: Db, userId: number): Promise<boolean> {
  return (await tx.delete(reviewerProfiles).where(eq(reviewerProfiles.userId, userId)).returning()).length > 0;
}

export async function userExists(db: Db, id: number): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM users WHERE id = ${id}`)).length > 0;
}

export async function isEvaluator(db: Db, id: number): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 FROM user_roles WHERE user_id = ${id} AND role = 'evaluator'`)).length > 0;
}

/** Every account with the evaluator role, with its profile (kind null without one). */
export async function evaluatorsWithProfiles(db: Db) {
  return rows<{
    userId: number;
    username: string;
    displayName: string;
    unitName: string;
    active: boolean;
    kind: ReviewerKind | null;
    title: string | null;
  }>(
    db,
    sql`SELECT us.id AS "userId", us.username, us.display_name AS "displayName", coalesce(u.name, '') AS "unitName",
               us.active, p.kind, p.title
          FROM users us JOIN user_roles r ON r.user_id = us.id AND r.role = 'evaluator'
          LEFT JOIN units u ON u.id = us.unit_id
          LEFT JOIN reviewer_profiles p ON p.user_id = us.id
         ORDER BY (p.user_id IS NULL), us.display_name, us.id`,
  );
}

// ---------- score inputs ----------

/** Per unit, Beijing month of the rating and level: the rated ratings of a year (for the `ratings` leaves). */
export async function monthlyLevels(
  db: Db,
  year: number,
  unitIds: readonly number[] | null,
): Promise<{ unitId: number; month: string; level: RatingLevel; n: number }[]> {
  const scope = unitIds ? sql`AND unit_id = ANY(${`{${unitIds.join(',') || '0'}}`}::int[])` : sql``;
  return rows(
    db,
    sql`SELECT unit_id AS "unitId", to_char(rated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, level,
               count(*)::int AS n
          FROM service_ratings
         WHERE status = 'rated' AND level IS NOT NULL
           AND rated_at >= (${`${year}-01-01`}::timestamp AT TIME ZONE 'Asia/Shanghai')
           AND rated_at < (${`${year + 1}-01-01`}::timestamp AT TIME ZONE 'Asia/Shanghai') ${scope}
         GROUP BY 1, 2, 3`,
  );
}
