import { describe, expect, it } from 'vitest';
import {
  beijingMonth,
  eventDeltas,
  mergeDeltas,
  monthRange,
  zeroCounters,
  type StatsEvent,
} from './casestats.counters.js';
import { compileRates, DEFAULT_FORMULAS, formulaProblem, metricValue } from './casestats.formulas.js';

const at = new Date('2026-03-10T02:00:00Z');
const ev = (type: string, extra: Partial<StatsEvent> = {}): StatsEvent => ({
  type,
  toStatus: null,
  unitId: 7,
  at,
  payload: {},
  ...extra,
});
const lead = { leadUnitId: 9, categoryId: 3 };

describe('beijingMonth', () => {
  it('counts an event in the Beijing month, not the UTC one', () => {
    expect(beijingMonth(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03');
    expect(beijingMonth(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04');
    expect(beijingMonth(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01');
  });
  it('lists month ranges across years', () => {
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthRange('2026-02', '2026-01')).toEqual([]);
  });
});

describe('eventDeltas', () => {
  it('counts a dispatch for the lead and each assisting department', () => {
    const d = eventDeltas(ev('dispatched', { payload: { assistUnitIds: [11, 12] } }), lead);
    expect(d.units).toEqual([
      { unitId: 7, month: '2026-03', add: { dispatched: 1 } },
      { unitId: 11, month: '2026-03', add: { assistDispatched: 1 } },
      { unitId: 12, month: '2026-03', add: { assistDispatched: 1 } },
    ]);
    expect(d.categories).toEqual([]);
  });
  it('splits signing and completion by the late flag', () => {
    expect(eventDeltas(ev('signed', { payload: { late: true } }), lead).units[0].add).toEqual({ signedLate: 1 });
    expect(eventDeltas(ev('assist_signed', { payload: { late: false } }), lead).units[0].add).toEqual({
      signedOnTime: 1,
    });
    expect(eventDeltas(ev('reported', { payload: { late: true } }), lead).units[0].add).toEqual({ completedLate: 1 });
    expect(eventDeltas(ev('assist_reported', { payload: {} }), lead).units[0].add).toEqual({ completedOnTime: 1 });
    // Only a real boolean counts as late (the SQL rebuild reads it the same way).
    expect(eventDeltas(ev('signed', { payload: { late: 'true' } }), lead).units[0].add).toEqual({ signedOnTime: 1 });
  });
  it('gives the rating and the closure to the case lead, in one delta', () => {
    const d = eventDeltas(ev('feedback', { unitId: null, toStatus: 'closed', payload: { rating: 'basic' } }), lead);
    expect(d.units).toEqual([{ unitId: 9, month: '2026-03', add: { basic: 1, closed: 1 } }]);
    expect(d.categories).toEqual([{ categoryId: 3, month: '2026-03', created: 0, closed: 1 }]);
  });
  it('counts returns, extensions, redos, escalations, reminders and failed verifications', () => {
    const kinds = [
      'returned',
      'assist_returned',
      'extension_approved',
      'redo',
      'escalation_approved',
      'reminded',
      'verify_failed',
    ].map((t) => Object.keys(eventDeltas(ev(t), lead).units[0].add)[0]);
    expect(kinds).toEqual(['returns', 'returns', 'extensions', 'redos', 'escalated', 'reminded', 'verifyFailed']);
  });
  it('counts a created case per category and ignores events that change no counter', () => {
    expect(eventDeltas(ev('created', { unitId: null }), lead)).toEqual({
      units: [],
      categories: [{ categoryId: 3, month: '2026-03', created: 1, closed: 0 }],
    });
    for (const t of [
      'started',
      'attachment_added',
      'extension_requested',
      'escalation_requested',
      'verified',
      'merged',
    ]) {
      expect(eventDeltas(ev(t), lead)).toEqual({ units: [], categories: [] });
    }
  });
  it('skips events without a unit (escalation before dispatch)', () => {
    expect(eventDeltas(ev('escalation_approved', { unitId: null }), lead).units).toEqual([]);
  });
});

describe('rate formulas', () => {
  const rates = compileRates(DEFAULT_FORMULAS);
  it('computes the default rates', () => {
    const c = {
      ...zeroCounters(),
      dispatched: 10,
      signedOnTime: 8,
      signedLate: 2,
      completedOnTime: 9,
      completedLate: 1,
      closed: 8,
      redos: 2,
      satisfied: 6,
      basic: 2,
      unsatisfied: 2,
      reviewQualified: 1,
    };
    const r = rates.compute(c);
    expect(r.signOnTimeRate).toBe(80);
    expect(r.onTimeRate).toBe(90);
    expect(r.satisfactionRate).toBe(76); // (6 + 2×0.8) / 10
    expect(r.resolutionRate).toBe(90); // (6 + 2 + 1) / 10
    expect(r.responseRate).toBe(83.33); // 10 / 12
    expect(r.closureRate).toBe(80);
    expect(r.redoRate).toBe(20);
  });
  it('gives no value (null) where the denominator is zero', () => {
    const r = rates.compute(zeroCounters());
    expect(Object.values(r).every((v) => v === null)).toBe(true);
  });
  it('names the first bad formula', () => {
    expect(formulaProblem({ ...DEFAULT_FORMULAS, onTimeRate: 'completedOnTime / nosuch' })).toMatchObject({
      key: 'onTimeRate',
    });
    expect(formulaProblem({ ...DEFAULT_FORMULAS, satisfactionRate: '(satisfied +' })).toMatchObject({
      key: 'satisfactionRate',
    });
    expect(formulaProblem(DEFAULT_FORMULAS)).toBeNull();
  });
  it('resolves indicator metric names: rates, counters and count aliases', () => {
    const c = { ...zeroCounters(), returns: 3, redos: 1 };
    const r = rates.compute(c);
    expect(metricValue('returnCount', c, r)).toBe(3);
    expect(metricValue('redos', c, r)).toBe(1);
    expect(metricValue('satisfactionRate', c, r)).toBeNull();
    expect(metricValue('nonsense', c, r)).toBeUndefined();
  });
});

describe('mergeDeltas', () => {
  it('adds up the deltas of many events into one per (unit, month) and (category, month), in a fixed order', () => {
    const april = new Date('2026-04-02T02:00:00Z');
    const events = [
      eventDeltas(ev('created', { unitId: null }), lead),
      eventDeltas(ev('dispatched', { unitId: 9, payload: { assistUnitIds: [7] } }), lead),
      eventDeltas(ev('created', { unitId: null }), { leadUnitId: null, categoryId: 2 }),
      eventDeltas(ev('dispatched', { unitId: 9, at: april, payload: {} }), lead),
      eventDeltas(ev('signed', { unitId: 9, payload: { late: true } }), lead),
      eventDeltas(ev('dispatched', { unitId: 9, payload: {} }), lead),
      eventDeltas(ev('created', { unitId: null }), lead),
    ];
    expect(mergeDeltas(events)).toEqual({
      units: [
        { unitId: 7, month: '2026-03', add: { assistDispatched: 1 } },
        { unitId: 9, month: '2026-03', add: { dispatched: 2, signedLate: 1 } },
        { unitId: 9, month: '2026-04', add: { dispatched: 1 } },
      ],
      categories: [
        { categoryId: 2, month: '2026-03', created: 1, closed: 0 },
        { categoryId: 3, month: '2026-03', created: 2, closed: 0 },
      ],
    });
    expect(mergeDeltas([])).toEqual({ units: [], categories: [] });
  });

  it('does not change the deltas it was given', () => {
    const one = eventDeltas(ev('dispatched', { unitId: 9, payload: {} }), lead);
    const copy = structuredClone(one);
    mergeDeltas([one, one]);
    expect(one).toEqual(copy);
  });
});
