/**
 * What each case event adds to the monthly statistics of a department — pure functions, no database.
 *
 * An event counts in the Beijing month in which it happened (派单 in March counts in March, its
 * completion in April counts in April). The same rules, written in SQL, rebuild the table from the
 * case timeline (casestats.repo.ts `rebuildSql`); a test checks that both agree.
 *
 * | event type                          | unit                  | counter                                   |
 * |-------------------------------------|-----------------------|-------------------------------------------|
 * | dispatched                          | event unit (the lead) | dispatched; each payload.assistUnitIds → assistDispatched |
 * | signed, assist_signed               | event unit            | signedLate if payload.late else signedOnTime |
 * | reported, assist_reported           | event unit            | completedLate if payload.late else completedOnTime |
 * | returned, assist_returned           | event unit            | returns                                   |
 * | extension_approved                  | event unit            | extensions                                |
 * | redo                                | event unit (the lead) | redos                                     |
 * | verify_failed                       | event unit            | verifyFailed                              |
 * | escalation_approved                 | event unit            | escalated                                 |
 * | reminded                            | event unit            | reminded                                  |
 * | feedback                            | the case's lead       | satisfied / basic / unsatisfied (payload.rating) |
 * | review with payload.qualified       | the case's lead       | reviewQualified                           |
 * | any event with toStatus = closed    | the case's lead       | closed                                    |
 * Per category: created → created; toStatus = closed → closed.
 */
import type { CaseEventType } from '../cases/cases.schema.js';

export const COUNTERS = [
  { key: 'dispatched', column: 'dispatched', zh: '派单量', en: 'Dispatched (lead)' },
  { key: 'assistDispatched', column: 'assist_dispatched', zh: '协办量', en: 'Assisting orders' },
  { key: 'signedOnTime', column: 'signed_on_time', zh: '按时签收', en: 'Signed on time' },
  { key: 'signedLate', column: 'signed_late', zh: '超时签收', en: 'Signed late' },
  { key: 'completedOnTime', column: 'completed_on_time', zh: '按时办结', en: 'Completed on time' },
  { key: 'completedLate', column: 'completed_late', zh: '超期办结', en: 'Completed late' },
  { key: 'closed', column: 'closed', zh: '结案量', en: 'Closed' },
  { key: 'extensions', column: 'extensions', zh: '延期次数', en: 'Extensions' },
  { key: 'returns', column: 'returns', zh: '退单次数', en: 'Returns' },
  { key: 'redos', column: 'redos', zh: '重办次数', en: 'Redos' },
  { key: 'satisfied', column: 'satisfied', zh: '满意', en: 'Satisfied' },
  { key: 'basic', column: 'basic', zh: '基本满意', en: 'Basically satisfied' },
  { key: 'unsatisfied', column: 'unsatisfied', zh: '不满意', en: 'Unsatisfied' },
  { key: 'reviewQualified', column: 'review_qualified', zh: '专业评价合格', en: 'Review qualified' },
  { key: 'verifyFailed', column: 'verify_failed', zh: '核查不通过', en: 'Verification failed' },
  { key: 'escalated', column: 'escalated', zh: '督办件', en: 'Escalated' },
  { key: 'reminded', column: 'reminded', zh: '催办次数', en: 'Reminders' },
] as const;

export type CounterKey = (typeof COUNTERS)[number]['key'];
export type Counters = Record<CounterKey, number>;
export const COUNTER_KEYS: readonly CounterKey[] = COUNTERS.map((c) => c.key);

/** All counters at zero. */
export function zeroCounters(): Counters {
  return Object.fromEntries(COUNTER_KEYS.map((k) => [k, 0])) as Counters;
}

/** Adds b into a (in place) and returns a. */
export function addCounters(a: Counters, b: Partial<Counters>): Counters {
  for (const k of COUNTER_KEYS) a[k] += b[k] ?? 0;
  return a;
}

import { beijingMonth } from '../../engine/workdays.js';

export { beijingMonth };

/** The months from `from` to `to` inclusive ('YYYY-MM'); empty when from > to. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The parts of a case event the statistics read. */
export type StatsEvent = {
  type: CaseEventType | (string & {});
  toStatus: string | null;
  unitId: number | null;
  at: Date;
  payload: Record<string, unknown>;
};
/** The parts of the case (as it is after the event) the statistics read. */
export type StatsCase = { leadUnitId: number | null; categoryId: number };

export type UnitDelta = { unitId: number; month: string; add: Partial<Counters> };
export type CategoryDelta = { categoryId: number; month: string; created: number; closed: number };
export type EventDeltas = { units: UnitDelta[]; categories: CategoryDelta[] };

/** The counter changes one case event causes: at most one delta per unit and one per category. */
export function eventDeltas(e: StatsEvent, c: StatsCase): EventDeltas {
  const month = beijingMonth(e.at);
  const byUnit = new Map<number, Partial<Counters>>();
  const bump = (unitId: number | null | undefined, key: CounterKey) => {
    if (typeof unitId !== 'number' || !Number.isInteger(unitId) || unitId <= 0) return;
    let d = byUnit.get(unitId);
    if (!d) byUnit.set(unitId, (d = {}));
    d[key] = (d[key] ?? 0) + 1;
  };
  const late = e.payload.late === true;
  // Typed against the case timeline's event types, so a renamed event type fails to compile here.
  switch (e.type as CaseEventType) {
    case 'dispatched':
      bump(e.unitId, 'dispatched');
      break;
    case 'signed':
    case 'assist_signed':
      bump(e.unitId, late ? 'signedLate' : 'signedOnTime');
      break;
    case 'reported':
    case 'assist_reported':
      bump(e.unitId, late ? 'completedLate' : 'completedOnTime');
      break;
    case 'returned':
    case 'assist_returned':
      bump(e.unitId, 'returns');
      break;
    case 'extension_approved':
      bump(e.unitId, 'extensions');
      break;
    case 'redo':
      bump(e.unitId, 'redos');
      break;
    case 'verify_failed':
      bump(e.unitId, 'verifyFailed');
      break;
    case 'escalation_approved':
      bump(e.unitId, 'escalated');
      break;
    case 'reminded':
      bump(e.unitId, 'reminded');
      break;
    case 'feedback':
      if (e.payload.rating === 'satisfied' || e.payload.rating === 'basic' || e.payload.rating === 'unsatisfied')
        bump(c.leadUnitId, e.payload.rating);
      break;
    case 'review':
      if (e.payload.qualified === true) bump(c.leadUnitId, 'reviewQualified');
      break;
    default:
      break;
  }
  if (e.type === 'dispatched' || e.type === 'redo') {
    const assists = Array.isArray(e.payload.assistUnitIds) ? e.payload.assistUnitIds : [];
    for (const u of assists) bump(typeof u === 'number' ? u : Number(u), 'assistDispatched');
  }
  const closed = e.toStatus === 'closed';
  if (closed) bump(c.leadUnitId, 'closed');
  const categories: CategoryDelta[] = [];
  if (e.type === 'created' || closed) {
    categories.push({ categoryId: c.categoryId, month, created: e.type === 'created' ? 1 : 0, closed: closed ? 1 : 0 });
  }
  return { units: [...byUnit].map(([unitId, add]) => ({ unitId, month, add })), categories };
}

/**
 * The deltas of several events added up: one entry per (unit, month) and per (category, month), in a
 * fixed order (by month, then id) so concurrent writers lock the statistics rows in the same order.
 */
export function mergeDeltas(list: readonly EventDeltas[]): EventDeltas {
  const units = new Map<string, UnitDelta>();
  const categories = new Map<string, CategoryDelta>();
  for (const d of list) {
    for (const u of d.units) {
      const key = `${u.month}|${u.unitId}`;
      const hit = units.get(key);
      if (!hit) units.set(key, { unitId: u.unitId, month: u.month, add: { ...u.add } });
      else for (const k of COUNTER_KEYS) if (u.add[k]) hit.add[k] = (hit.add[k] ?? 0) + (u.add[k] ?? 0);
    }
    for (const c of d.categories) {
      const key = `${c.month}|${c.categoryId}`;
      const hit = categories.get(key);
      if (!hit) categories.set(key, { ...c });
      else {
        hit.created += c.created;
        hit.closed += c.closed;
      }
    }
  }
  const byMonthThen =
    <T extends { month: string }>(id: (x: T) => number) =>
    (a: T, b: T) =>
      a.month < b.month ? -1 : a.month > b.month ? 1 : id(a) - id(b);
  return {
    units: [...units.values()].sort(byMonthThen((u) => u.unitId)),
    categories: [...categories.values()].sort(byMonthThen((c) => c.categoryId)),
  };
}
