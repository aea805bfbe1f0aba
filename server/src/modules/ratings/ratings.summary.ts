/**
 * 好差评 as other modules read it (the cockpit, the analysis reports): the figures of a period and the
 * ratings behind them, limited to the units the caller passes (their scope). Read-only.
 *
 * A rating belongs to the period in which it was given (rated_at, Beijing date); a 差评's rectification
 * is counted with its rating: open (not yet accepted by the office), overdue (still with the
 * department past its due date, `isOverdue`) and done (accepted).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  BAD_LEVELS,
  RATING_LEVELS,
  type RatingLevel,
  type RectificationStatus,
  type SubjectKind,
} from './ratings.table.js';
import { isOverdue, summariseCounts } from './ratings.rules.js';
import { rows } from '../../db/rows.js';

export type RatingsPeriod = {
  /** First Beijing day of the period, 'YYYY-MM-DD'. */
  from: string;
  /** The day after the period, 'YYYY-MM-DD'. */
  to: string;
  /** null: every unit. */
  unitIds: readonly number[] | null;
  /** Today's Beijing date, for the overdue rectifications. */
  today: string;
};

export type RatingsSummary = {
  rated: number;
  levels: Record<RatingLevel, number>;
  /** (非常满意 + 满意 + 基本满意) / rated in percent, one decimal; null when nothing was rated. */
  goodRate: number | null;
  /** 差评: 不满意 + 非常不满意. */
  bad: number;
  rectifications: { open: number; overdue: number; done: number };
  /** The units with most 差评 (at most `topUnits`, none without a 差评). */
  topBadUnits: { unitId: number; unitName: string; bad: number; rated: number }[];
};

export type RatingDrillFilter = {
  /** A level, or 'bad' for both 差评 levels. */
  level?: RatingLevel | 'bad';
  /** Only 差评 whose rectification is in this state. */
  rectification?: 'open' | 'overdue' | 'done';
  unitId?: number;
  limit?: number;
};

export type RatingDrillItem = {
  ratingId: number;
  unitId: number;
  unitName: string;
  subjectKind: SubjectKind;
  subjectId: number;
  subjectRef: string;
  subjectTitle: string;
  level: RatingLevel;
  comment: string;
  ratedAt: string;
  rectification: { id: number; status: RectificationStatus; dueDate: string; overdue: boolean } | null;
};

/** The five levels' Chinese names (documents, exports). */
export const RATING_LEVEL_ZH: Record<RatingLevel, string> = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basic: '基本满意',
  unsatisfied: '不满意',
  very_unsatisfied: '非常不满意',
};

const intList = (ids: readonly number[]) => `{${ids.map((i) => Math.trunc(i)).join(',')}}`;
const LATE = sql`x.status IN ('open','called_back','returned') AND x.due_date < `;

/** The rated ratings of the period in the units (alias r; x is the rectification, if any). */
function periodWhere(p: RatingsPeriod): SQL {
  const conds: SQL[] = [
    sql`r.status = 'rated'`,
    sql`r.level IS NOT NULL`,
    sql`r.rated_at >= (${p.from}::timestamp AT TIME ZONE 'Asia/Shanghai')`,
    sql`r.rated_at < (${p.to}::timestamp AT TIME ZONE 'Asia/Shanghai')`,
  ];
  if (p.unitIds) conds.push(sql`r.unit_id = ANY(${intList(p.unitIds)}::int[])`);
  return sql.join(conds, sql` AND `);
}

/** The period's 好差评 figures in the units: counts by level, satisfaction rate, 差评 and their rectifications. */
export async function ratingsSummary(db: Db, p: RatingsPeriod & { topUnits?: number }): Promise<RatingsSummary> {
  const perUnit = await rows<{
    unitId: number;
    unitName: string;
    level: RatingLevel;
    n: number;
    open: number;
    overdue: number;
    done: number;
  }>(
    db,
    sql`SELECT r.unit_id AS "unitId", u.name AS "unitName", r.level, count(*)::int AS n,
               count(x.id) FILTER (WHERE x.status <> 'accepted')::int AS open,
               count(x.id) FILTER (WHERE ${LATE} ${p.today}::date)::int AS overdue,
               count(x.id) FILTER (WHERE x.status = 'accepted')::int AS done
          FROM service_ratings r
          JOIN units u ON u.id = r.unit_id
          LEFT JOIN rating_rectifications x ON x.rating_id = r.id
         WHERE ${periodWhere(p)}
         GROUP BY r.unit_id, u.name, r.level`,
  );
  const levels = Object.fromEntries(RATING_LEVELS.map((l) => [l, 0])) as Record<RatingLevel, number>;
  const rectifications = { open: 0, overdue: 0, done: 0 };
  const units = new Map<number, { unitId: number; unitName: string; bad: number; rated: number }>();
  for (const r of perUnit) {
    levels[r.level] += r.n;
    rectifications.open += r.open;
    rectifications.overdue += r.overdue;
    rectifications.done += r.done;
    const u = units.get(r.unitId) ?? { unitId: r.unitId, unitName: r.unitName, bad: 0, rated: 0 };
    u.rated += r.n;
    if (BAD_LEVELS.includes(r.level)) u.bad += r.n;
    units.set(r.unitId, u);
  }
  const s = summariseCounts(levels);
  return {
    rated: s.rated,
    levels,
    goodRate: s.goodRate,
    bad: levels.unsatisfied + levels.very_unsatisfied,
    rectifications,
    topBadUnits: [...units.values()]
      .filter((u) => u.bad > 0)
      .sort((a, b) => b.bad - a.bad || b.bad / b.rated - a.bad / a.rated || a.unitName.localeCompare(b.unitName, 'zh'))
      .slice(0, p.topUnits ?? 5),
  };
}

/** The ratings behind a summary's number (newest first, at most `limit`, default 200) and how many there are. */
export async function ratingsDrill(
  db: Db,
  p: RatingsPeriod & RatingDrillFilter,
): Promise<{ total: number; items: RatingDrillItem[] }> {
  const conds: SQL[] = [periodWhere(p)];
  if (p.level === 'bad') conds.push(sql`r.level IN ('unsatisfied', 'very_unsatisfied')`);
  else if (p.level) conds.push(sql`r.level = ${p.level}`);
  if (p.unitId !== undefined) conds.push(sql`r.unit_id = ${p.unitId}`);
  if (p.rectification === 'open') conds.push(sql`x.status <> 'accepted'`);
  if (p.rectification === 'overdue') conds.push(sql`${LATE} ${p.today}::date`);
  if (p.rectification === 'done') conds.push(sql`x.status = 'accepted'`);
  const from = sql`service_ratings r JOIN units u ON u.id = r.unit_id
    LEFT JOIN rating_rectifications x ON x.rating_id = r.id
    WHERE ${sql.join(conds, sql` AND `)}`;
  const [count, list] = await Promise.all([
    rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${from}`),
    rows<{
      ratingId: number;
      unitId: number;
      unitName: string;
      subjectKind: SubjectKind;
      subjectId: number;
      subjectRef: string;
      subjectTitle: string;
      level: RatingLevel;
      comment: string;
      ratedAt: Date | string;
      xId: number | null;
      xStatus: RectificationStatus | null;
      xDue: string | null;
    }>(
      db,
      sql`SELECT r.id AS "ratingId", r.unit_id AS "unitId", u.name AS "unitName", r.subject_kind AS "subjectKind",
                 r.subject_id AS "subjectId", r.subject_ref AS "subjectRef", r.subject_title AS "subjectTitle",
                 r.level, r.comment, r.rated_at AS "ratedAt",
                 x.id AS "xId", x.status AS "xStatus", x.due_date::text AS "xDue"
            FROM ${from}
           ORDER BY r.rated_at DESC, r.id DESC LIMIT ${p.limit ?? 200}`,
    ),
  ]);
  return {
    total: count[0]?.n ?? 0,
    items: list.map((r) => ({
      ratingId: r.ratingId,
      unitId: r.unitId,
      unitName: r.unitName,
      subjectKind: r.subjectKind,
      subjectId: r.subjectId,
      subjectRef: r.subjectRef,
      subjectTitle: r.subjectTitle,
      level: r.level,
      comment: r.comment,
      ratedAt: new Date(r.ratedAt).toISOString(),
      rectification:
        r.xId === null || r.xStatus === null || r.xDue === null
          ? null
          : {
              id: r.xId,
              status: r.xStatus,
              dueDate: r.xDue,
              overdue: isOverdue({ status: r.xStatus, dueDate: r.xDue }, p.today),
            },
    })),
  };
}
