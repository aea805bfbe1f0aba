/** Points of a quality rating, for the rating average (优 100, 良 85, 中 70, 差 50). */
export const QUALITY_POINTS: Record<string, number> = { excellent: 100, good: 85, fair: 70, poor: 50 };

export type StatsTask = {
  id: number;
  unitId: number;
  deadline: string;
  completion: string | null;
  quality: string | null;
  reviewedOn: string | null;
  milestones: readonly { due: string; done: string | null }[];
};

export type UnitMonthStats = {
  unitId: number;
  due: number;
  onTime: number;
  onTimeRate: number | null;
  milestonesDue: number;
  milestonesOnTime: number;
  milestoneRate: number | null;
  rated: number;
  ratingAverage: number | null;
  dueTaskIds: number[];
  onTimeTaskIds: number[];
};

/** A unit's statistics with nothing counted. */
export function emptyUnitStats(unitId: number): UnitMonthStats {
  return {
    unitId,
    due: 0,
    onTime: 0,
    onTimeRate: null,
    milestonesDue: 0,
    milestonesOnTime: 0,
    milestoneRate: null,
    rated: 0,
    ratingAverage: null,
    dueTaskIds: [],
    onTimeTaskIds: [],
  };
}

const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);

/**
 * Per unit, as of a date (a month's last day, or today for the running month; pure):
 * - due: tasks whose deadline has come by then, or that were rated by then;
 * - on time: of those, rated 按时办结 by then — the 督办完成率 is on time / due in %;
 * - milestones due by then and those done by their date;
 * - the average of the quality ratings given by then.
 */
export function unitStats(tasks: readonly StatsTask[], asOf: string): Map<number, UnitMonthStats> {
  const out = new Map<number, UnitMonthStats>();
  for (const t of tasks) {
    let s = out.get(t.unitId);
    if (!s) {
      s = emptyUnitStats(t.unitId);
      out.set(t.unitId, s);
    }
    const rated = t.reviewedOn !== null && t.reviewedOn <= asOf;
    if (t.deadline <= asOf || rated) {
      s.due++;
      s.dueTaskIds.push(t.id);
      if (rated && t.completion === 'on_time') {
        s.onTime++;
        s.onTimeTaskIds.push(t.id);
      }
    }
    for (const m of t.milestones) {
      if (m.due > asOf) continue;
      s.milestonesDue++;
      if (m.done !== null && m.done <= m.due) s.milestonesOnTime++;
    }
    if (rated && t.quality && t.quality in QUALITY_POINTS) {
      s.ratingAverage = ((s.ratingAverage ?? 0) * s.rated + QUALITY_POINTS[t.quality]) / (s.rated + 1);
      s.rated++;
    }
  }
  for (const s of out.values()) {
    s.onTimeRate = pct(s.onTime, s.due);
    s.milestoneRate = pct(s.milestonesOnTime, s.milestonesDue);
    if (s.ratingAverage !== null) s.ratingAverage = Math.round(s.ratingAverage * 10) / 10;
  }
  return out;
}

/** The last day of a month 'YYYY-MM' (the working-day calendar's helper). */
export { monthEnd } from '../../engine/workdays.js';
