/**
 * Who may do what with submissions. Pure functions over the user, their unit scope, the
 * submission and its leaf; outsiders get the same answer as for a missing record (404).
 *
 * - reporter (submissions.fill): reads and fills its units' self-reported data;
 * - unit leader (submissions.approve): also approves (or returns) what its reporters submitted;
 * - office (submissions.accept): reads everything, accepts or returns, decides revisions;
 * - assessing body (submissions.thirdParty): reads and enters third-party data of the leaves it
 *   assesses (leaf.assessingUnitId = its unit), for every unit the leaf applies to.
 * A unit sees third-party data about itself once it is submitted (read-only).
 */
import type { AuthUser, UnitScope } from '../../lib/context.js';
import type { SubmissionSource, SubmissionStatus } from './reporting.table.js';

export type Viewer = { user: AuthUser; scope: UnitScope };
type SubRef = { unitId: number; source: SubmissionSource; status: SubmissionStatus };
type LeafRef = { assessingUnitId: number | null; dataSource: string };

const inScope = (scope: UnitScope, unitId: number) => scope.all || scope.unitIds.has(unitId);
const has = (v: Viewer, p: Parameters<AuthUser['permissions']['has']>[0]) => v.user.permissions.has(p);

/** True when the user assesses this leaf (third-party entry). */
export function isAssessorOf(v: Viewer, leaf: LeafRef): boolean {
  return (
    has(v, 'submissions.thirdParty') && leaf.dataSource === 'third_party' && leaf.assessingUnitId === v.user.unitId
  );
}

/** May the user see this submission at all? */
export function canRead(v: Viewer, sub: SubRef, leaf: LeafRef): boolean {
  if (has(v, 'submissions.accept') && inScope(v.scope, sub.unitId)) return true;
  if (sub.source === 'third_party') {
    if (isAssessorOf(v, leaf)) return true;
    return (
      (has(v, 'submissions.fill') || has(v, 'submissions.approve')) &&
      inScope(v.scope, sub.unitId) &&
      sub.status !== 'draft'
    );
  }
  return (has(v, 'submissions.fill') || has(v, 'submissions.approve')) && inScope(v.scope, sub.unitId);
}

/** May the user enter data for this leaf and unit (drafts, submit, revision requests)? */
export function canFill(v: Viewer, unitId: number, leaf: LeafRef): boolean {
  if (leaf.dataSource === 'third_party') return isAssessorOf(v, leaf);
  if (leaf.dataSource !== 'self_report') return false;
  return has(v, 'submissions.fill') && inScope(v.scope, unitId);
}

/** May the user approve (or return) a submitted self-report as the unit's leader? */
export function canLeaderApprove(v: Viewer, sub: SubRef): boolean {
  return has(v, 'submissions.approve') && sub.source === 'self_report' && inScope(v.scope, sub.unitId);
}

/** May the user accept (or return) as the performance office? */
export function canAccept(v: Viewer, sub: { unitId: number }): boolean {
  return has(v, 'submissions.accept') && inScope(v.scope, sub.unitId);
}

/** The state a submission must be in for the office to accept it: leader-approved, or third-party data submitted. */
export function awaitingOffice(sub: { status: SubmissionStatus; source: SubmissionSource }): boolean {
  return sub.status === 'leader_approved' || (sub.status === 'submitted' && sub.source === 'third_party');
}

/** The state a submission must be in for the unit leader: submitted self-report. */
export function awaitingLeader(sub: { status: SubmissionStatus; source: SubmissionSource }): boolean {
  return sub.status === 'submitted' && sub.source === 'self_report';
}
