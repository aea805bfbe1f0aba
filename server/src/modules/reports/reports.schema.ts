/** Request/response contract of the analysis reports (综合分析报告), shared with the web app. */
import { z } from 'zod';

export const PERIOD_KIND_VALUES = ['month', 'quarter', 'half', 'year'] as const;
export type TPeriodKind = (typeof PERIOD_KIND_VALUES)[number];

/** The language a report is written in: the request's (Accept-Language) when generated on demand. */
export const ZReportLang = z.enum(['zh', 'en']);

const ZId = z.coerce.number().int().positive().max(2_147_483_647);

/** 'YYYY' (the year), 'YYYY-MM', 'YYYY-Qn' or 'YYYY-Hn'. */
export const ZPeriod = z
  .string()
  .trim()
  .regex(/^20\d{2}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/, 'YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn');

export const ZIdParam = z.object({ id: ZId });

export const ZGenerate = z.object({
  yearId: ZId,
  period: ZPeriod,
  /** A unit's special report (专项分析报告); omitted for the district's report. */
  unitId: ZId.optional(),
});
export type TGenerate = z.infer<typeof ZGenerate>;

export const ZListQuery = z.object({
  yearId: ZId.optional(),
  kind: z.enum(PERIOD_KIND_VALUES).optional(),
  scope: z.enum(['district', 'unit']).optional(),
  unitId: ZId.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TListQuery = z.infer<typeof ZListQuery>;

export const ZReportRow = z.object({
  id: z.number(),
  yearId: z.number(),
  period: z.string(),
  periodKind: z.enum(PERIOD_KIND_VALUES),
  periodLabel: z.string(),
  unitId: z.number().nullable(),
  unitName: z.string().nullable(),
  title: z.string(),
  lang: ZReportLang,
  status: z.literal('issued'),
  scoreVersion: z.number(),
  docxSha256: z.string(),
  xlsxSha256: z.string(),
  docxBytes: z.number(),
  xlsxBytes: z.number(),
  trigger: z.enum(['manual', 'scheduled', 'seed']),
  createdByName: z.string(),
  createdAt: z.string(),
});
export type TReportRow = z.infer<typeof ZReportRow>;

export const ZReportList = z.object({ total: z.number(), rows: z.array(ZReportRow) });
export type TReportList = z.infer<typeof ZReportList>;

// ---------- the analysis (what every output is rendered from) ----------

const n = z.number();
const nn = z.number().nullable();

export const ZLeafMove = z.object({ code: z.string(), name: z.string(), delta: n });
export const ZUnitMove = z.object({
  unitId: n,
  unitName: z.string(),
  total: n,
  previous: n,
  delta: n,
  causes: z.array(ZLeafMove),
});
export const ZWeakLeaf = z.object({
  indicatorId: n,
  code: z.string(),
  name: z.string(),
  points: n,
  score: nn,
  categoryAvg: nn,
  /** (category average − score) ÷ points × 100: percentage points of the leaf's full score. */
  gap: nn,
});
export type TWeakLeaf = z.infer<typeof ZWeakLeaf>;

export const ZSuggestion = z.object({
  rule: z.string(),
  unitName: z.string(),
  code: z.string(),
  indicator: z.string(),
  finding: z.string(),
  advice: z.string(),
});
export type TSuggestion = z.infer<typeof ZSuggestion>;

export const ZAnalysis = z.object({
  title: z.string(),
  /** The language of the texts (configured names — units, indicators, grades, categories — stay as configured). */
  lang: ZReportLang,
  scope: z.object({ kind: z.enum(['district', 'unit']), unitId: nn, unitName: z.string().nullable() }),
  year: n,
  yearId: n,
  period: z.string(),
  periodKind: z.enum(PERIOD_KIND_VALUES),
  periodLabel: z.string(),
  /** The window the movement compares against, e.g. '2026年2月' (null: nothing to compare with). */
  comparedWith: z.string().nullable(),
  generatedAt: z.string(),
  scoreVersion: n,
  summary: z.object({
    units: n,
    average: nn,
    paragraphs: z.array(z.string()),
    categories: z.array(
      z.object({
        name: z.string(),
        units: n,
        average: nn,
        max: nn,
        min: nn,
        top: z.array(z.object({ unitName: z.string(), total: n })),
      }),
    ),
    grades: z.array(z.object({ label: z.string(), count: n })),
    /** First-level indicators: the district's (or the unit's) average score beside the category average. */
    topNodes: z.array(z.object({ code: z.string(), name: z.string(), points: n, score: nn, categoryAvg: nn })),
    /** The unit's own figures in a special report. */
    unit: z
      .object({
        total: n,
        rank: n,
        of: n,
        grade: z.string().nullable(),
        categoryName: z.string(),
        categoryAverage: nn,
        previous: nn,
        missing: n,
      })
      .nullable(),
  }),
  ranking: z.array(
    z.object({
      unitId: n,
      unitCode: z.string(),
      unitName: z.string(),
      categoryName: z.string(),
      total: n,
      rank: n,
      of: n,
      grade: z.string().nullable(),
      previous: nn,
      delta: nn,
      missing: n,
    }),
  ),
  movement: z.array(z.object({ categoryName: z.string(), gains: z.array(ZUnitMove), losses: z.array(ZUnitMove) })),
  behind: z.array(
    z.object({
      categoryName: z.string(),
      units: z.array(
        z.object({ unitId: n, unitName: z.string(), total: n, rank: n, of: n, weakest: z.array(ZWeakLeaf) }),
      ),
    }),
  ),
  lights: z.object({
    red: n,
    yellow: n,
    green: n,
    units: z.array(z.object({ unitName: z.string(), red: n, yellow: n, green: n })),
  }),
  missingReports: z.object({
    missing: n,
    late: n,
    units: z.array(z.object({ unitName: z.string(), missing: n, late: n })),
  }),
  supervision: z.object({
    available: z.boolean(),
    note: z.string(),
    total: n,
    overdue: n,
    red: n,
    tasks: z.array(
      z.object({
        id: n,
        title: z.string(),
        leadUnitName: z.string(),
        deadline: z.string(),
        status: z.string(),
        daysOverdue: n,
        light: z.string().nullable(),
      }),
    ),
  }),
  cases: z.object({
    available: z.boolean(),
    note: z.string(),
    months: z.array(z.object({ month: z.string(), dispatched: n, closed: n, onTimeRate: nn, satisfactionRate: nn })),
    totals: z.object({ dispatched: n, closed: n, escalated: n, onTimeRate: nn, satisfactionRate: nn }),
    topCategories: z.array(z.object({ name: z.string(), created: n, closed: n })),
    units: z.array(z.object({ unitName: z.string(), dispatched: n, closed: n, onTimeRate: nn, satisfactionRate: nn })),
    /** Hot spots: the streets with most cases received in the period (reports issued before they existed have none). */
    streets: z
      .array(
        z.object({
          code: z.string(),
          name: z.string(),
          cases: n,
          topCategory: z.string().nullable(),
          topCategoryCases: n,
        }),
      )
      .default([]),
  }),
  /**
   * 多元评价 and 好差评. Reports issued before these were connected hold only `available: false` and the
   * note; the defaults let them be read as they were kept.
   */
  evaluation: z.object({
    available: z.boolean(),
    note: z.string(),
    /** The year's published campaigns whose period ended by the end of the report's period (frozen results). */
    campaigns: z
      .array(
        z.object({
          id: n,
          title: z.string(),
          periodFrom: z.string(),
          periodTo: z.string(),
          units: n,
          valid: n,
          mean: nn,
          satisfactionRate: nn,
          lowest: z.array(z.object({ unitName: z.string(), valid: n, mean: nn, satisfactionRate: nn })),
        }),
      )
      .default([]),
    /** 好差评 given in the report's period. */
    ratings: z
      .object({
        rated: n,
        levels: z.array(z.object({ label: z.string(), count: n })),
        goodRate: nn,
        bad: n,
        rectifications: z.object({ open: n, overdue: n, done: n }),
        topBadUnits: z.array(z.object({ unitName: z.string(), bad: n, rated: n })),
      })
      .nullable()
      .default(null),
  }),
  suggestions: z.array(ZSuggestion),
  charts: z.array(z.object({ key: z.string(), title: z.string(), svg: z.string() })),
});
export type TAnalysis = z.infer<typeof ZAnalysis>;

export const ZReportDetail = z.object({ report: ZReportRow, analysis: ZAnalysis });
export type TReportDetail = z.infer<typeof ZReportDetail>;
