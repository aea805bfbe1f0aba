/** Requests and responses of the leader cockpit (领导驾驶舱). */
import { z } from 'zod';
import { RATING_LEVELS } from '../../../../common/ratings.js';

const id = z.coerce.number().int().positive().max(2147483647);
const LIGHT = z.enum(['red', 'yellow', 'green', 'none']);

export const ZCockpitQuery = z.object({ yearId: id.optional() });
export type TCockpitQuery = z.infer<typeof ZCockpitQuery>;

export const ZLightDrillQuery = z.object({
  yearId: id.optional(),
  light: z.enum(['red', 'yellow', 'green']).default('red'),
  unitId: id.optional(),
  /** A level-1 indicator: the leaves below it. */
  indicatorId: id.optional(),
});
export type TLightDrillQuery = z.infer<typeof ZLightDrillQuery>;

export const ZReportDrillQuery = z.object({
  yearId: id.optional(),
  unitId: id.optional(),
  status: z.enum(['missing', 'draft']).optional(),
});
export type TReportDrillQuery = z.infer<typeof ZReportDrillQuery>;

export const ZTaskDrillQuery = z.object({
  light: z.enum(['red', 'yellow', 'green']).optional(),
  status: z.enum(['open', 'overdue', 'completed', 'proposed']).optional(),
  unitId: id.optional(),
});
export type TTaskDrillQuery = z.infer<typeof ZTaskDrillQuery>;

export const ZCaseDrillQuery = z.object({
  kind: z.enum(['received', 'overdue', 'escalated']).default('received'),
  /** A top-level case category: it and its sub-categories. */
  categoryId: id.optional(),
  /** A street of the map, by unit code. */
  street: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'a street code')
    .optional(),
  unitId: id.optional(),
});
export type TCaseDrillQuery = z.infer<typeof ZCaseDrillQuery>;

export const ZRatingDrillQuery = z.object({
  yearId: id.optional(),
  /** A level of the five, or 'bad' for both 差评 levels. */
  level: z.enum([...RATING_LEVELS, 'bad']).optional(),
  /** 差评 whose rectification is open (not yet accepted), overdue, or done (accepted). */
  rectification: z.enum(['open', 'overdue', 'done']).optional(),
  unitId: id.optional(),
});
export type TRatingDrillQuery = z.infer<typeof ZRatingDrillQuery>;

const ZRankRow = z.object({
  unitId: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  categoryId: z.number().nullable(),
  categoryName: z.string(),
  total: z.number(),
  rank: z.number(),
  of: z.number(),
  grade: z.string().nullable(),
  /** Missing inputs in the window (the score is incomplete). */
  missing: z.number(),
  rankLastMonth: z.number().nullable(),
  /** Places gained since last month (positive = up). */
  moveMonth: z.number().nullable(),
  lastYearRank: z.number().nullable(),
  moveYear: z.number().nullable(),
});
export type TRankRow = z.infer<typeof ZRankRow>;

export const ZCockpit = z.object({
  generatedAt: z.string(),
  year: z.object({ id: z.number(), year: z.number(), name: z.string() }).nullable(),
  scope: z.object({ all: z.boolean(), units: z.number() }),
  rankings: z.object({
    window: z.string(),
    month: z.number(),
    categories: z.array(z.object({ id: z.number().nullable(), name: z.string() })),
    rows: z.array(ZRankRow),
    trend: z.object({
      months: z.array(z.number()),
      series: z.array(
        z.object({ categoryId: z.number().nullable(), name: z.string(), avg: z.array(z.number().nullable()) }),
      ),
    }),
    problem: z.string().nullable(),
  }),
  lights: z.object({
    indicators: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
    rows: z.array(
      z.object({
        unitId: z.number(),
        unitName: z.string(),
        red: z.number(),
        yellow: z.number(),
        green: z.number(),
        cells: z.array(z.object({ indicatorId: z.number(), light: LIGHT, red: z.number(), leaves: z.number() })),
      }),
    ),
    red: z.number(),
    yellow: z.number(),
    green: z.number(),
    unitsWithRed: z.number(),
  }),
  /** Monthly reports past their deadline with nothing submitted (missing or still a draft). */
  reports: z.object({ overdue: z.number() }),
  supervision: z.object({
    total: z.number(),
    byLight: z.object({ red: z.number(), yellow: z.number(), green: z.number() }),
    byStatus: z.object({ proposed: z.number(), open: z.number(), overdue: z.number(), completed: z.number() }),
    top: z.array(
      z.object({
        id: z.number(),
        title: z.string(),
        leadUnitName: z.string().nullable(),
        deadline: z.string(),
        status: z.string(),
        light: z.enum(['red', 'yellow', 'green']).nullable(),
        progress: z.number(),
        overdue: z.boolean(),
      }),
    ),
  }),
  cases: z.object({
    since: z.string(),
    months: z.array(
      z.object({
        month: z.string(),
        received: z.number(),
        onTimeRate: z.number().nullable(),
        satisfactionRate: z.number().nullable(),
      }),
    ),
    received: z.number(),
    onTimeRate: z.number().nullable(),
    satisfactionRate: z.number().nullable(),
    overdueOpen: z.number(),
    escalatedOpen: z.number(),
    topCategories: z.array(z.object({ categoryId: z.number(), name: z.string(), n: z.number() })),
    streets: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        n: z.number(),
        /** Cases of each of topCategories (same order). */
        byCategory: z.array(z.number()),
      }),
    ),
    unlocated: z.number(),
  }),
  evaluation: z.object({
    /** The year's closed/published campaigns the caller may see, over the units in their scope (newest first). */
    campaigns: z.array(
      z.object({
        id: z.number(),
        title: z.string(),
        kind: z.string(),
        status: z.enum(['closed', 'published']),
        periodFrom: z.string(),
        periodTo: z.string(),
        units: z.number(),
        valid: z.number(),
        mean: z.number().nullable(),
        satisfactionRate: z.number().nullable(),
        lowest: z.array(
          z.object({
            unitId: z.number(),
            unitName: z.string(),
            valid: z.number(),
            mean: z.number().nullable(),
            satisfactionRate: z.number().nullable(),
          }),
        ),
      }),
    ),
    /** 好差评 of the units since the year began: ratings given, by level, and the 差评's rectifications. */
    ratings: z.object({
      since: z.string(),
      rated: z.number(),
      levels: z.object({
        very_satisfied: z.number(),
        satisfied: z.number(),
        basic: z.number(),
        unsatisfied: z.number(),
        very_unsatisfied: z.number(),
      }),
      goodRate: z.number().nullable(),
      bad: z.number(),
      rectifications: z.object({ open: z.number(), overdue: z.number(), done: z.number() }),
      topBadUnits: z.array(z.object({ unitId: z.number(), unitName: z.string(), bad: z.number(), rated: z.number() })),
    }),
  }),
});
export type TCockpit = z.infer<typeof ZCockpit>;

export const ZLightDrill = z.object({
  total: z.number(),
  items: z.array(
    z.object({
      unitId: z.number(),
      unitName: z.string(),
      indicatorId: z.number(),
      code: z.string(),
      name: z.string(),
      groupName: z.string(),
      target: z.number().nullable(),
      actual: z.number().nullable(),
      completionPct: z.number().nullable(),
      timePct: z.number(),
      overdue: z.boolean(),
      light: LIGHT,
    }),
  ),
});
export type TLightDrill = z.infer<typeof ZLightDrill>;

export const ZReportDrill = z.object({
  total: z.number(),
  items: z.array(
    z.object({
      unitId: z.number(),
      unitName: z.string(),
      indicatorId: z.number(),
      code: z.string(),
      name: z.string(),
      period: z.string(),
      deadline: z.string(),
      daysOverdue: z.number(),
      status: z.enum(['missing', 'draft']),
    }),
  ),
});
export type TReportDrill = z.infer<typeof ZReportDrill>;

export const ZTaskDrill = z.object({
  total: z.number(),
  items: ZCockpit.shape.supervision.shape.top,
});
export type TTaskDrill = z.infer<typeof ZTaskDrill>;

export const ZCaseDrill = z.object({
  total: z.number(),
  items: z.array(
    z.object({
      id: z.number(),
      number: z.string(),
      categoryName: z.string(),
      status: z.string(),
      leadUnitName: z.string().nullable(),
      address: z.string(),
      createdAt: z.string(),
      deadline: z.string().nullable(),
      escalated: z.boolean(),
    }),
  ),
});
export type TCaseDrill = z.infer<typeof ZCaseDrill>;

export const ZRatingDrill = z.object({
  total: z.number(),
  items: z.array(
    z.object({
      ratingId: z.number(),
      unitId: z.number(),
      unitName: z.string(),
      subjectKind: z.enum(['case', 'application']),
      subjectId: z.number(),
      subjectRef: z.string(),
      subjectTitle: z.string(),
      level: z.enum(RATING_LEVELS),
      comment: z.string(),
      ratedAt: z.string(),
      rectification: z
        .object({ id: z.number(), status: z.string(), dueDate: z.string(), overdue: z.boolean() })
        .nullable(),
    }),
  ),
});
export type TRatingDrill = z.infer<typeof ZRatingDrill>;
