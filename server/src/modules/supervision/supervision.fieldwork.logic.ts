/**
 * Pure rules of field checks and reconciliation rounds: the numbering of repeated checks (第N次督查), the
 * rectification point's states, and the differences and counts of a round. No I/O; tested directly.
 */
import type { TaskStatus } from './supervision.table.js';
import type { ReconClaim, PointStatus, ReconResolution, ReconRowState } from './supervision.fieldwork.table.js';

/** The number of a task's next check: one more than the highest so far (numbers are never reused). */
export function nextCheckSeq(existing: readonly number[]): number {
  return existing.reduce((max, n) => (n > max ? n : max), 0) + 1;
}

/** 第N次督查 / Check no. N. */
export function checkLabel(seq: number, lang: 'zh' | 'en' = 'zh'): string {
  return lang === 'en' ? `Check no. ${seq}` : `第${seq}次督查`;
}

export type PointAction = 'answer' | 'accept' | 'return';

/**
 * A rectification point's next status, or null when the action is not allowed: the unit answers an open or
 * returned point; the office accepts or returns (with a reason) an answered one.
 */
export function nextPointStatus(status: PointStatus, action: PointAction): PointStatus | null {
  switch (action) {
    case 'answer':
      return status === 'open' || status === 'returned' ? 'answered' : null;
    case 'accept':
      return status === 'answered' ? 'accepted' : null;
    case 'return':
      return status === 'answered' ? 'returned' : null;
  }
}

/** A point still needs the unit's answer. */
export const awaitsAnswer = (s: PointStatus) => s === 'open' || s === 'returned';

/** The stage of a ledger status in the units' vocabulary: 未启动 before the plan is approved, 已完成 from 办结申请. */
export function stageOf(status: TaskStatus | string): ReconClaim {
  switch (status) {
    case 'in_progress':
      return 'in_progress';
    case 'completion_applied':
    case 'completed':
      return 'completed';
    default:
      return 'not_started';
  }
}

export type Snapshot = { status: string; progress: number };
export type Claim = { claimedStatus: ReconClaim | null; claimedProgress: number | null };

/** The fields in which a unit's claim differs from the snapshot (a field not claimed does not differ). */
export function rowDifferences(snap: Snapshot, claim: Claim): ('status' | 'progress')[] {
  const out: ('status' | 'progress')[] = [];
  if (claim.claimedStatus !== null && claim.claimedStatus !== stageOf(snap.status)) out.push('status');
  if (claim.claimedProgress !== null && claim.claimedProgress !== snap.progress) out.push('progress');
  return out;
}

export type RowLike = {
  unitId: number;
  state: ReconRowState;
  resolution: ReconResolution | null;
  progressApplied: boolean;
};

export type UnitProgress = {
  unitId: number;
  tasks: number;
  confirmed: number;
  differs: number;
  pending: number;
  unresolved: number;
};

/** Per unit: how many of its rows are confirmed, differ, are still pending, and differences not yet resolved. */
export function unitProgress(rows: readonly RowLike[]): UnitProgress[] {
  const by = new Map<number, UnitProgress>();
  for (const r of rows) {
    const u = by.get(r.unitId) ?? { unitId: r.unitId, tasks: 0, confirmed: 0, differs: 0, pending: 0, unresolved: 0 };
    u.tasks++;
    if (r.state === 'confirmed') u.confirmed++;
    else if (r.state === 'differs') {
      u.differs++;
      if (r.resolution === null) u.unresolved++;
    } else u.pending++;
    by.set(r.unitId, u);
  }
  return [...by.values()].sort((a, b) => a.unitId - b.unitId);
}

export type RoundRecord = {
  units: number;
  unitsDone: number;
  tasks: number;
  confirmed: number;
  differs: number;
  pending: number;
  accepted: number;
  kept: number;
  progressApplied: number;
  unresolved: number;
};

/** The counts of a round (kept as its record when it closes). A unit is done when none of its rows is pending. */
export function roundRecord(rows: readonly RowLike[]): RoundRecord {
  const units = unitProgress(rows);
  return {
    units: units.length,
    unitsDone: units.filter((u) => u.pending === 0).length,
    tasks: rows.length,
    confirmed: rows.filter((r) => r.state === 'confirmed').length,
    differs: rows.filter((r) => r.state === 'differs').length,
    pending: rows.filter((r) => r.state === 'pending').length,
    accepted: rows.filter((r) => r.resolution === 'accepted').length,
    kept: rows.filter((r) => r.resolution === 'kept').length,
    progressApplied: rows.filter((r) => r.progressApplied).length,
    unresolved: rows.filter((r) => r.state === 'differs' && r.resolution === null).length,
  };
}

/** The default title of a round: 2026年第一季度对账 / 2026年年中查账 / 2026年年底收账. */
export function roundTitle(kind: 'quarterly' | 'midyear' | 'yearend', asOf: string): string {
  const y = asOf.slice(0, 4);
  if (kind === 'midyear') return `${y}年年中查账`;
  if (kind === 'yearend') return `${y}年年底收账`;
  const q = Math.ceil(Number(asOf.slice(5, 7)) / 3);
  return `${y}年第${['一', '二', '三', '四'][q - 1]}季度对账`;
}
