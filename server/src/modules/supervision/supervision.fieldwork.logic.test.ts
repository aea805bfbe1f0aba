import { describe, expect, it } from 'vitest';
import {
  checkLabel,
  nextCheckSeq,
  nextPointStatus,
  roundRecord,
  roundTitle,
  rowDifferences,
  stageOf,
  unitProgress,
  type RowLike,
} from './supervision.fieldwork.logic.js';
import { POINT_STATUSES } from './supervision.fieldwork.table.js';

describe('check numbering (反复督查)', () => {
  it('numbers a task’s first check 1 and each next one past the highest, never reusing a number', () => {
    expect(nextCheckSeq([])).toBe(1);
    expect(nextCheckSeq([1])).toBe(2);
    expect(nextCheckSeq([3, 1, 2])).toBe(4);
    // A gap (a number never used) is not filled: numbers only grow.
    expect(nextCheckSeq([1, 4])).toBe(5);
  });
  it('labels a check 第N次督查 (Check no. N in English)', () => {
    expect(checkLabel(2)).toBe('第2次督查');
    expect(checkLabel(3, 'en')).toBe('Check no. 3');
  });
});

describe('rectification point states', () => {
  const table = {
    answer: { open: 'answered', returned: 'answered', answered: null, accepted: null },
    accept: { open: null, returned: null, answered: 'accepted', accepted: null },
    return: { open: null, returned: null, answered: 'returned', accepted: null },
  } as const;
  for (const [action, row] of Object.entries(table))
    for (const from of POINT_STATUSES)
      it(`${action} from ${from} → ${row[from] ?? 'refused'}`, () => {
        expect(nextPointStatus(from, action as 'answer')).toBe(row[from]);
      });
});

describe('round differences', () => {
  it('maps ledger statuses to the stages units speak of', () => {
    expect(stageOf('assigned')).toBe('not_started');
    expect(stageOf('plan_submitted')).toBe('not_started');
    expect(stageOf('in_progress')).toBe('in_progress');
    expect(stageOf('completion_applied')).toBe('completed');
  });
  it('lists the fields a claim differs in; an unclaimed field does not differ', () => {
    const snap = { status: 'in_progress', progress: 40 };
    expect(rowDifferences(snap, { claimedStatus: null, claimedProgress: 40 })).toEqual([]);
    expect(rowDifferences(snap, { claimedStatus: 'in_progress', claimedProgress: null })).toEqual([]);
    expect(rowDifferences(snap, { claimedStatus: null, claimedProgress: 55 })).toEqual(['progress']);
    expect(rowDifferences(snap, { claimedStatus: 'completed', claimedProgress: 40 })).toEqual(['status']);
    expect(rowDifferences(snap, { claimedStatus: 'blocked', claimedProgress: 10 })).toEqual(['status', 'progress']);
  });
  it('counts per unit and for the record: confirmed, differences, pending, resolutions', () => {
    const rows: RowLike[] = [
      { unitId: 2, state: 'confirmed', resolution: null, progressApplied: false },
      { unitId: 2, state: 'differs', resolution: 'accepted', progressApplied: true },
      { unitId: 2, state: 'differs', resolution: null, progressApplied: false },
      { unitId: 1, state: 'pending', resolution: null, progressApplied: false },
      { unitId: 1, state: 'differs', resolution: 'kept', progressApplied: false },
    ];
    expect(unitProgress(rows)).toEqual([
      { unitId: 1, tasks: 2, confirmed: 0, differs: 1, pending: 1, unresolved: 0 },
      { unitId: 2, tasks: 3, confirmed: 1, differs: 2, pending: 0, unresolved: 1 },
    ]);
    expect(roundRecord(rows)).toEqual({
      units: 2,
      unitsDone: 1,
      tasks: 5,
      confirmed: 1,
      differs: 3,
      pending: 1,
      accepted: 1,
      kept: 1,
      progressApplied: 1,
      unresolved: 1,
    });
  });
  it('titles rounds by kind and quarter', () => {
    expect(roundTitle('quarterly', '2026-03-31')).toBe('2026年第一季度对账');
    expect(roundTitle('quarterly', '2026-10-08')).toBe('2026年第四季度对账');
    expect(roundTitle('midyear', '2026-06-30')).toBe('2026年年中查账');
    expect(roundTitle('yearend', '2026-12-31')).toBe('2026年年底收账');
  });
});
