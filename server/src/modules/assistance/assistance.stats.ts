/** Assistance statistics as plain functions (no database): referrals, on-time answers, satisfaction. */
import type { TCounts } from './assistance.schema.js';
import type { AssistanceKind, AssistanceStatus, Satisfaction } from './assistance.table.js';

export type StatRequest = {
  id: number;
  kind: AssistanceKind;
  unitId: number | null;
  receivedOn: string;
  status: AssistanceStatus;
  dueOn: string | null;
  answeredOn: string | null;
  satisfaction: Satisfaction | null;
  people: number;
  amountClaimed: number;
  amountRecovered: number;
};

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** A referral counts as due on a day once answered by then or once its due day has passed; on time when answered by the due day. */
export function dueState(r: StatRequest, asOf: string): { due: boolean; onTime: boolean; overdueOpen: boolean } {
  if (!r.dueOn) return { due: false, onTime: false, overdueOpen: false };
  const answered = r.answeredOn !== null && r.answeredOn <= asOf;
  const due = answered || r.dueOn < asOf;
  return { due, onTime: answered && r.answeredOn! <= r.dueOn, overdueOpen: !answered && r.dueOn < asOf };
}

/** The counts of a set of requests as of a day. */
export function countRequests(list: readonly StatRequest[], asOf: string): TCounts {
  const c: TCounts = {
    requests: list.length,
    referred: 0,
    answered: 0,
    due: 0,
    onTime: 0,
    overdueOpen: 0,
    closed: 0,
    satisfied: 0,
    basic: 0,
    unsatisfied: 0,
    people: 0,
    amountClaimed: 0,
    amountRecovered: 0,
    onTimeRate: null,
    satisfactionRate: null,
  };
  for (const r of list) {
    if (r.unitId !== null) c.referred += 1;
    if (r.answeredOn !== null && r.answeredOn <= asOf) c.answered += 1;
    const s = dueState(r, asOf);
    if (s.due) c.due += 1;
    if (s.onTime) c.onTime += 1;
    if (s.overdueOpen) c.overdueOpen += 1;
    if (r.status === 'closed') c.closed += 1;
    if (r.satisfaction) c[r.satisfaction] += 1;
    c.people += r.people;
    c.amountClaimed += r.amountClaimed;
    c.amountRecovered += r.amountRecovered;
  }
  c.amountClaimed = round2(c.amountClaimed);
  c.amountRecovered = round2(c.amountRecovered);
  c.onTimeRate = c.due ? round1((c.onTime / c.due) * 100) : null;
  const rated = c.satisfied + c.basic + c.unsatisfied;
  c.satisfactionRate = rated ? round1(((c.satisfied + c.basic) / rated) * 100) : null;
  return c;
}

export function groupBy<K>(list: readonly StatRequest[], key: (r: StatRequest) => K | null): Map<K, StatRequest[]> {
  const out = new Map<K, StatRequest[]>();
  for (const r of list) {
    const k = key(r);
    if (k !== null) out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}
