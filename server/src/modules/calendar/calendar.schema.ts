import { z } from 'zod';

export const DAY_KINDS = ['holiday', 'workday'] as const;
export type DayKind = (typeof DAY_KINDS)[number];
export const DAY_SOURCES = ['package', 'admin'] as const;

/** Years the calendar accepts (a deadline 10 years out from 2100 still fits in a date column). */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
/** The largest N the public add-working-days endpoint computes. */
export const MAX_WORKING_DAYS = 3650;

/** A real calendar date as YYYY-MM-DD (2026-02-30 is refused). */
export const ZDate = z.iso.date();

const ZYear = z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR);

/** An official day off on a weekday (or within a holiday period) or a make-up working day (调休上班). */
export const ZCalendarDay = z.object({
  date: z.string(),
  kind: z.enum(DAY_KINDS),
  name: z.string(),
  source: z.enum(DAY_SOURCES),
});
export type TCalendarDay = z.infer<typeof ZCalendarDay>;

export const ZAddWorkingDaysQuery = z.object({
  from: ZDate,
  // A string first, so "abc" reads as a bad format rather than as a missing number.
  days: z
    .string()
    .regex(/^[+-]?\d+$/, 'an integer')
    .transform(Number)
    .pipe(z.number().int().min(0).max(MAX_WORKING_DAYS)),
});
export type TAddWorkingDaysQuery = z.infer<typeof ZAddWorkingDaysQuery>;
export const ZAddWorkingDaysResult = z.object({ date: z.string() });
export type TAddWorkingDaysResult = z.infer<typeof ZAddWorkingDaysResult>;

export const ZIsWorkingDayQuery = z.object({ date: ZDate });
export const ZIsWorkingDayResult = z.object({
  date: z.string(),
  working: z.boolean(),
  /** The holiday or make-up day's name; null on an ordinary weekday or weekend. */
  name: z.string().nullable(),
  /** Why: an official holiday, a make-up working day, or an ordinary weekend/weekday. */
  kind: z.enum(['holiday', 'workday', 'weekend', 'weekday']),
});
export type TIsWorkingDayResult = z.infer<typeof ZIsWorkingDayResult>;

export const ZYearQuery = z.object({ year: ZYear });
export const ZYearParam = z.object({ year: ZYear });
export const ZDateParam = z.object({ date: ZDate });

export const ZDayUpsert = z.object({
  kind: z.enum(DAY_KINDS),
  name: z.string().trim().max(50).default(''),
});
export type TDayUpsert = z.infer<typeof ZDayUpsert>;

export const ZYearArrangement = z.object({
  days: z
    .array(
      z.object({
        date: ZDate,
        kind: z.enum(DAY_KINDS),
        name: z.string().trim().max(50).default(''),
      }),
    )
    .min(1)
    .max(366),
});
export type TYearArrangement = z.infer<typeof ZYearArrangement>;

export const ZCalendarYearStatus = z.object({
  year: z.number(),
  /** Who confirmed the year's arrangement; null when the year only has single edits. */
  source: z.enum(DAY_SOURCES).nullable(),
  confirmedAt: z.string().nullable(),
  /** Holidays and make-up days stored for the year. */
  days: z.number(),
});
export type TCalendarYearStatus = z.infer<typeof ZCalendarYearStatus>;

export const ZCalendarWarning = z.object({ year: z.number(), message: z.string() });
export type TCalendarWarning = z.infer<typeof ZCalendarWarning>;

export const ZCalendarStatus = z.object({
  years: z.array(ZCalendarYearStatus),
  warnings: z.array(ZCalendarWarning),
});
export type TCalendarStatus = z.infer<typeof ZCalendarStatus>;
