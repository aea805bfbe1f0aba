/** Mediation statistics as plain functions over the cases (no database): counts, success rate, people, amounts. */
import type { TCounts } from './mediation.schema.js';
import type { DisputeType, MediationStatus } from './mediation.table.js';

export type StatCase = {
  id: number;
  hostUnitId: number;
  jointUnitIds: readonly number[];
  disputeType: DisputeType;
  receivedOn: string;
  status: MediationStatus;
  outcomeOn: string | null;
  people: number;
  amountClaimed: number;
  amountRecovered: number;
};

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The counts of a set of cases; a case counts as joint when another unit mediated with the host. */
export function countCases(cases: readonly StatCase[]): TCounts {
  const c: TCounts = {
    cases: cases.length,
    concluded: 0,
    agreed: 0,
    failed: 0,
    arbitration: 0,
    court: 0,
    open: 0,
    joint: 0,
    people: 0,
    amountClaimed: 0,
    amountRecovered: 0,
    successRate: null,
  };
  for (const k of cases) {
    c[k.status] += 1;
    if (k.status !== 'open') c.concluded += 1;
    if (k.jointUnitIds.length) c.joint += 1;
    c.people += k.people;
    c.amountClaimed += k.amountClaimed;
    c.amountRecovered += k.amountRecovered;
  }
  c.amountClaimed = round2(c.amountClaimed);
  c.amountRecovered = round2(c.amountRecovered);
  c.successRate = c.concluded ? round1((c.agreed / c.concluded) * 100) : null;
  return c;
}

/** Groups cases by a key (a case may fall in several groups, e.g. its host and joint units). */
export function groupBy<K>(cases: readonly StatCase[], keys: (c: StatCase) => readonly K[]): Map<K, StatCase[]> {
  const out = new Map<K, StatCase[]>();
  for (const c of cases) for (const k of new Set(keys(c))) out.set(k, [...(out.get(k) ?? []), c]);
  return out;
}

/** The units that mediated a case: its host and its joint units. */
export const unitsOf = (c: StatCase): number[] => [c.hostUnitId, ...c.jointUnitIds];

/**
 * The 调解成功率 input of a unit as of a day: the unit's cases (host or joint) of the year concluded by
 * that day, and the share of them that ended in agreement. Null when none is concluded yet.
 */
export function successAsOf(
  cases: readonly StatCase[],
  asOf: string,
): { concluded: number; agreed: number; rate: number | null; caseIds: number[] } {
  const done = cases.filter((c) => c.outcomeOn !== null && c.outcomeOn <= asOf);
  const agreed = done.filter((c) => c.status === 'agreed').length;
  return {
    concluded: done.length,
    agreed,
    rate: done.length ? round1((agreed / done.length) * 100) : null,
    caseIds: done.map((c) => c.id),
  };
}
