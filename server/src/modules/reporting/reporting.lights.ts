/**
 * Progress warning lights (进度警示灯): time progress against completion progress for one unit and
 * leaf. Pure functions, no I/O.
 */

export type Light = 'green' | 'yellow' | 'red' | 'none';

export type LightThresholds = {
  /** Green while completion ≥ time − greenMargin (percentage points). */
  greenMargin: number;
  /** Yellow while completion ≥ time − yellowMargin; red beyond. */
  yellowMargin: number;
};

export const DEFAULT_LIGHT_THRESHOLDS: LightThresholds = { greenMargin: 5, yellowMargin: 15 };

export type MonthValue = { month: number; value: number };

export type ProgressInput = {
  aggregate: 'sum' | 'last' | 'avg';
  direction: 'positive' | 'negative';
  /** The annual target from the approved plan (null: no target, no light). */
  target: number | null;
  /** Months (1–12) with a value so far this year. */
  values: readonly MonthValue[];
  /** Months whose data are due by now (deadline passed): the elapsed share of the year is this / 12. */
  monthsDue: number;
  /** Optional plan milestones: cumulative share of the target expected by the end of each month (12 entries). */
  milestones?: readonly number[] | null;
  /** A due month has no data: the light is red whatever the numbers say. */
  overdue: boolean;
};

export type Progress = {
  /** Time progress in percent (0–100). */
  timePct: number;
  /** Completion progress in percent (actual to date / annual target), null without target or data. */
  completionPct: number | null;
  /** Actual to date (sum, last or average by the leaf's aggregate). */
  actual: number | null;
  light: Light;
  /** Percentage points behind time (positive = behind), null when not computed. */
  gap: number | null;
};

/** The actual to date from monthly values, by aggregate. */
export function actualToDate(aggregate: ProgressInput['aggregate'], values: readonly MonthValue[]): number | null {
  if (!values.length) return null;
  switch (aggregate) {
    case 'sum':
      return values.reduce((s, v) => s + v.value, 0);
    case 'last':
      return [...values].sort((a, b) => a.month - b.month)[values.length - 1].value;
    case 'avg':
      return values.reduce((s, v) => s + v.value, 0) / values.length;
  }
}

/**
 * The light for one leaf and unit. Time progress is the share of the year whose data are due (or
 * the plan milestone for that month); for averaged rates the target applies all year, so time is
 * 100 %. Completion is actual ÷ target. For a positive leaf the gap is time − completion; for a
 * negative one (a ceiling, e.g. incidents) using the allowance faster than time is the gap.
 * Green: gap ≤ greenMargin; yellow: gap ≤ yellowMargin; red beyond, or when data are overdue.
 */
export function progressLight(input: ProgressInput, th: LightThresholds = DEFAULT_LIGHT_THRESHOLDS): Progress {
  const months = Math.max(input.monthsDue, ...input.values.map((v) => v.month), 0);
  let timePct: number;
  if (input.aggregate === 'avg') timePct = months > 0 ? 100 : 0;
  else if (input.milestones && input.milestones.length === 12 && months > 0)
    timePct = Math.min(100, Math.max(0, input.milestones[months - 1] * 100));
  else timePct = (Math.min(12, months) / 12) * 100;
  const actual = actualToDate(input.aggregate, input.values);
  const completionPct = input.target && actual !== null ? (actual / input.target) * 100 : null;
  if (input.overdue)
    return {
      timePct,
      completionPct,
      actual,
      light: 'red',
      gap: completionPct === null ? null : timePct - completionPct,
    };
  if (completionPct === null || months === 0) return { timePct, completionPct, actual, light: 'none', gap: null };
  const gap = input.direction === 'positive' ? timePct - completionPct : completionPct - timePct;
  const light: Light = gap <= th.greenMargin ? 'green' : gap <= th.yellowMargin ? 'yellow' : 'red';
  return { timePct, completionPct, actual, light, gap };
}
